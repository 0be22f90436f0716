//! Times `ferma::validate_receipt_json` on a vector's input and prints
//! nanoseconds per call: the Rust side of scripts/bench-c, which compares it
//! with the same call through the C ABI.
// Timings are statistics in f64.
#![allow(clippy::cast_precision_loss)]

use std::time::Instant;

use ofdkit::codes::Operation;
use ofdkit::ferma;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: validate_timing VECTOR.json [ITERATIONS]");
    let iterations: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let text = std::fs::read_to_string(path).expect("the vector is readable");
    let vector = ofdkit::json::parse(&text).expect("the vector is JSON");
    let input = vector.get("input").expect("the vector has an input").to_json_string().into_bytes();
    for _ in 0..2000 {
        std::hint::black_box(ferma::validate_receipt_json(&input, Operation::Sell).unwrap());
    }
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(ferma::validate_receipt_json(std::hint::black_box(&input), Operation::Sell).unwrap());
    }
    println!("{:.1}", start.elapsed().as_nanos() as f64 / f64::from(iterations));
}
