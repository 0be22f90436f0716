//! Parse + validate + serialize of a typical receipt and a 200-item one,
//! measured beside the floor: a bare `serde_json` typed parse + serialize
//! of the same bytes into a plain mirror of the model (f64 money, string
//! codes, no rules). Target: ofdkit at most 2.5× the floor.
//!
//! `cargo bench -p ofdkit --bench receipt`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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

fn vector_input(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/vectors/ferma/valid/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let vector = ofdkit::json::parse(&text).unwrap();
    let input = vector.get("input").unwrap();
    // The bytes as a shop would send them: compact JSON.
    serde_json::to_vec(input).unwrap()
}

fn bench(c: &mut Criterion) {
    for (label, name) in [("typical", "typical_two_items"), ("200_items", "two_hundred_items")] {
        let bytes = vector_input(name);
        let mut group = c.benchmark_group(format!("receipt_{label}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("serde_json_floor", |b| {
            b.iter(|| {
                let request: FloorRequest = serde_json::from_slice(black_box(&bytes)).unwrap();
                black_box(serde_json::to_string(&request).unwrap())
            })
        });
        group.bench_function("ofdkit_parse_validate_serialize", |b| {
            b.iter(|| black_box(ferma::normalize_receipt_json(black_box(&bytes), Operation::Sell).unwrap()))
        });
        group.bench_function("ofdkit_validate_only", |b| {
            b.iter(|| black_box(ferma::validate_receipt_json(black_box(&bytes), Operation::Sell).unwrap()))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
