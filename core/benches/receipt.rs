//! Parse + validate + serialize of a typical receipt (the two items of
//! `examples/receipt.json`, in the shared vectors) and a 200-item one, measured beside the floor: a bare `serde_json` typed
//! parse + serialize of the same bytes into a plain mirror of the model (f64
//! money, string codes, no rules). Prints each ratio; the target is ofdkit
//! at most 1.5× the floor on both sizes. The two run in alternating rounds
//! and each keeps its best round, so a loaded machine skews both alike.
//!
//! `cargo bench -p ofdkit --bench receipt`

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use ofdkit::codes::Operation;
use ofdkit::ferma;
#[derive(Serialize, Deserialize)]
struct FloorRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    external_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<FloorService>,
    receipt: FloorReceipt,
}

#[derive(Serialize, Deserialize)]
struct FloorService {
    callback_url: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct FloorReceipt {
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<FloorClient>,
    company: FloorCompany,
    items: Vec<FloorItem>,
    payments: Vec<FloorPayment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vats: Option<Vec<FloorVat>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cashier: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct FloorClient {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct FloorCompany {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    sno: String,
    inn: String,
    payment_address: String,
}

#[derive(Serialize, Deserialize)]
struct FloorItem {
    name: String,
    price: f64,
    quantity: f64,
    sum: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    measure: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_method: Option<String>,
    payment_object: u32,
    vat: FloorVatItem,
}

#[derive(Serialize, Deserialize)]
struct FloorVatItem {
    #[serde(rename = "type")]
    vat_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sum: Option<f64>,
}

#[derive(Serialize, Deserialize)]
struct FloorPayment {
    #[serde(rename = "type")]
    payment_type: u32,
    sum: f64,
}

#[derive(Serialize, Deserialize)]
struct FloorVat {
    #[serde(rename = "type")]
    vat_type: String,
    sum: f64,
}

/// A vector's input as a shop would send it: compact JSON.
fn vector_input(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/vectors/ferma/valid/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let vector = ofdkit::json::parse(&text).unwrap();
    serde_json::to_vec(vector.get("input").unwrap()).unwrap()
}

/// Nanoseconds per call of each of `runs`: rounds alternate between them,
/// and each keeps its best round.
fn measure(runs: &mut [&mut dyn FnMut()], budget: Duration) -> Vec<f64> {
    let mut per_round = Vec::new();
    for run in runs.iter_mut() {
        // Calls per round: about 20 ms each.
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(20) {
            run();
            n += 1;
        }
        per_round.push(n.max(1));
    }
    let mut best = vec![f64::INFINITY; runs.len()];
    let start = Instant::now();
    while start.elapsed() < budget {
        for (i, run) in runs.iter_mut().enumerate() {
            let t = Instant::now();
            for _ in 0..per_round[i] {
                run();
            }
            best[i] = best[i].min(t.elapsed().as_nanos() as f64 / f64::from(per_round[i]));
        }
    }
    best
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick" || a == "--test");
    let budget = Duration::from_millis(if quick { 100 } else { 3000 });
    for (label, bytes) in
        [("typical", vector_input("typical_two_items")), ("200 items", vector_input("two_hundred_items"))]
    {
        assert!(ferma::validate_receipt_json(&bytes, Operation::Sell).unwrap().iter().all(|v| !v.is_error()));
        let mut floor = || {
            let request: FloorRequest = serde_json::from_slice(black_box(&bytes)).unwrap();
            black_box(serde_json::to_string(&request).unwrap());
        };
        let mut full = || {
            black_box(ferma::normalize_receipt_json(black_box(&bytes), Operation::Sell).unwrap());
        };
        let mut validate = || {
            black_box(ferma::validate_receipt_json(black_box(&bytes), Operation::Sell).unwrap());
        };
        // For an instruction count under callgrind, which a loaded machine
        // does not skew: OFDKIT_BENCH_ONLY="typical floor 1000" runs one
        // loop alone (subtract a run of 0 for the setup).
        if let Ok(only) = std::env::var("OFDKIT_BENCH_ONLY") {
            let mut words = only.split(' ');
            let (size, run, n) = (words.next(), words.next(), words.next().and_then(|n| n.parse::<u32>().ok()));
            if size == Some(label.split(' ').next().unwrap_or_default()) {
                let run: &mut dyn FnMut() = match run {
                    Some("floor") => &mut floor,
                    Some("validate") => &mut validate,
                    _ => &mut full,
                };
                (0..n.unwrap_or(1000)).for_each(|_| run());
            }
            continue;
        }
        let t = measure(&mut [&mut floor, &mut full, &mut validate], budget);
        println!(
            "receipt {label} ({} bytes): serde_json floor {:.2} µs; ofdkit parse+validate+serialize {:.2} µs = {:.2}× the floor (target ≤ 1.5×); validate only {:.2} µs = {:.2}×",
            bytes.len(),
            t[0] / 1000.0,
            t[1] / 1000.0,
            t[1] / t[0],
            t[2] / 1000.0,
            t[2] / t[0],
        );
    }
}
