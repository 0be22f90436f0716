//! Peak memory of reading, checking and writing a request, against its size,
//! for the shapes a hostile or careless sender can make (a benchmark, not a
//! test: it prints ratios). A counting global allocator records the highest
//! number of bytes held during each call, the input itself excluded. The
//! target is at most 4× the input plus a constant.
//!
//! `cargo bench -p ofdkit --bench memory`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ofdkit::codes::Operation;
use ofdkit::ferma;
use ofdkit::json::DEFAULT_MAX_INPUT_BYTES;

struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            if new_size >= layout.size() {
                let held = HELD.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(held, Ordering::Relaxed);
            } else {
                HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes held at the peak of `run`, beyond what was held before it.
fn peak_of(run: impl FnOnce()) -> usize {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    run();
    PEAK.load(Ordering::Relaxed) - before
}

/// About `target` bytes of `unit` repeated, between `open` and `close`.
fn repeated(open: &str, unit: &str, separator: &str, close: &str, target: usize) -> Vec<u8> {
    let n = (target - open.len() - close.len()) / (unit.len() + separator.len());
    let mut out = String::with_capacity(target);
    out.push_str(open);
    for i in 0..n {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(unit);
    }
    out.push_str(close);
    out.into_bytes()
}

fn valid_item() -> String {
    r#"{"name":"Чай зелёный, 100 г","price":249.90,"quantity":1,"sum":249.90,"measure":0,"payment_method":"full_payment","payment_object":1,"vat":{"type":"vat20","sum":41.65}}"#.to_owned()
}

fn main() {
    let target = DEFAULT_MAX_INPUT_BYTES - 1024;
    let receipt_open = r#"{"external_id":"1","receipt":{"company":{"sno":"osn","inn":"7825706086","payment_address":"shop"},"payments":[{"type":1,"sum":1}],"#;
    let deep = format!("{}{}", "[".repeat(126), "]".repeat(126));
    let shapes: Vec<(&str, Vec<u8>)> = vec![
        ("[0,0,…] at the root", repeated("[", "0", ",", "]", target)),
        ("[0,0,…] as the items", repeated(&format!(r#"{receipt_open}"items":["#), "0", ",", "]}}", target)),
        ("[0,0,…] in an unknown member", repeated(&format!(r#"{receipt_open}"extra":["#), "0", ",", "]}}", target)),
        ("{} objects as the items", repeated(&format!(r#"{receipt_open}"items":["#), "{}", ",", "]}}", target)),
        ("small objects in an unknown member", repeated(r#"{"x":["#, r#"{"a":1}"#, ",", "]}", target)),
        ("many unknown members", repeated(r#"{"external_id":"1","#, r#""a":0"#, ",", "}", target)),
        ("valid items (a huge valid receipt)", {
            let item = valid_item();
            let mut text = repeated(&format!(r#"{receipt_open}"items":["#), &item, ",", "]}}", target);
            // Make the payment match so that it is valid, however many items fit.
            let n = (text.len() - receipt_open.len()) / (item.len() + 1);
            let total = format!("{}.{:02}", (n * 24990) / 100, (n * 24990) % 100);
            let s = String::from_utf8(text).unwrap().replace(r#""sum":1}]"#, &format!(r#""sum":{total}}}]"#));
            text = s.into_bytes();
            text
        }),
        (
            "the smallest items that read",
            repeated(
                &format!(r#"{receipt_open}"items":["#),
                r#"{"name":"a","price":1,"quantity":1,"sum":1,"payment_object":1,"vat":{"type":"none"}}"#,
                ",",
                "]}}",
                target,
            ),
        ),
        ("a long plain string", repeated(r#"{"external_id":""#, "я", "", r#""}"#, target)),
        ("a long string of escapes", repeated(r#"{"external_id":""#, r"\n", "", r#""}"#, target)),
        ("a long string of \\u escapes", repeated(r#"{"external_id":""#, r"\u0416", "", r#""}"#, target)),
        ("deep but allowed nesting, repeated", repeated(r#"{"x":["#, &deep, ",", "]}", target)),
        (
            "deep nesting as the items",
            repeated(&format!(r#"{receipt_open}"items":["#), &deep[1..deep.len() - 1], ",", "]}}", target),
        ),
    ];
    let mut worst: f64 = 0.0;
    for (name, input) in &shapes {
        let mut validated = None;
        let validate = peak_of(|| validated = Some(ferma::validate_receipt_json(input, Operation::Sell)));
        let violations = match validated.unwrap() {
            Ok(v) => format!("{} violations", v.len()),
            Err(e) => format!("error: {e}"),
        };
        let normalize = peak_of(|| drop(ferma::normalize_receipt_json(input, Operation::Sell)));
        let ratio = validate.max(normalize) as f64 / input.len() as f64;
        worst = worst.max(ratio);
        println!(
            "{name}: {:.1} MiB in; peak {:.2} MiB validating, {:.2} MiB normalizing = {ratio:.2}× the input ({violations})",
            input.len() as f64 / 1048576.0,
            validate as f64 / 1048576.0,
            normalize as f64 / 1048576.0,
        );
    }
    println!("worst: {worst:.2}× the input (target ≤ 4×)");
}
