//! Receipts through client → sandbox → report on loopback, beside the bare
//! HTTP round trip of the same requests, and the sandbox's own throughput.
//! Targets: the client adds under 50 µs over the bare round trip; the
//! sandbox serves at least 5 000 receipts/s on 2 cores.
//!
//! `cargo bench -p ofdkit-client --bench throughput`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ofdkit::codes::{Operation, PaymentType, Sno, VatType};
use ofdkit::ferma::{Company, ItemSpec, ReceiptBuilder, ReceiptRequest};
use ofdkit_client::{FermaClient, FermaConfig};
use ofdkit_sandbox::{Sandbox, SandboxConfig};

static NEXT: AtomicU64 = AtomicU64::new(0);

fn receipt() -> ReceiptRequest {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    ReceiptBuilder::new(
        Operation::Sell,
        format!("bench-{id}"),
        Company::new(Sno::Osn, "7825706086", "https://shop.example.ru"),
    )
    .client_email("buyer@example.ru")
    .item(ItemSpec::new("Чай зелёный, 100 г", "249.90".parse().unwrap(), "2".parse().unwrap(), VatType::Vat20))
    .item(ItemSpec::new("Доставка", "300".parse().unwrap(), "1".parse().unwrap(), VatType::Vat20))
    .pay_rest(PaymentType::Electronic)
    .build()
    .unwrap()
    .value
}

fn setup() -> (Sandbox, FermaClient) {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let c = sandbox.config();
    let config = FermaConfig::builder()
        .base_url(sandbox.base_url())
        .login(c.login)
        .password(c.password)
        .group_code(c.group_code)
        .build()
        .unwrap();
    let client = FermaClient::new(config).unwrap();
    (sandbox, client)
}

fn bench(c: &mut Criterion) {
    let (sandbox, client) = setup();
    let token = client.token().unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let create_url = format!("{}/possystem/v1/1/sell?token={}", sandbox.base_url(), token.expose());
    let template = receipt().to_wire_json();

    let mut group = c.benchmark_group("send");
    group.throughput(Throughput::Elements(1));
    // The floor: the same request, already serialized, posted by ureq.
    group.bench_function("bare_http_round_trip", |b| {
        b.iter_batched(
            || template.replace("bench-0", &format!("bench-{}", NEXT.fetch_add(1, Ordering::Relaxed))),
            |body| {
                let mut response =
                    agent.post(&create_url).header("Content-Type", "application/json").send(body.as_bytes()).unwrap();
                response.body_mut().read_to_vec().unwrap()
            },
            criterion::BatchSize::SmallInput,
        )
    });
    // The client: validation, serialization, the cached token, the answer parsed.
    group.bench_function("client_send", |b| {
        b.iter_batched(receipt, |r| client.sell(&r).unwrap(), criterion::BatchSize::SmallInput)
    });
    group.finish();

    let mut group = c.benchmark_group("fiscalize");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.bench_function("send_and_report_1_thread", |b| {
        b.iter_batched(
            receipt,
            |r| {
                let sent = client.sell(&r).unwrap();
                client.report(&sent.uuids[0]).unwrap()
            },
            criterion::BatchSize::SmallInput,
        )
    });
    let shared = Arc::new(client);
    group.bench_function("send_and_report_8_threads", |b| {
        b.iter_custom(|iterations| {
            let per_thread = iterations.div_ceil(8);
            let start = Instant::now();
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    let client = shared.clone();
                    std::thread::spawn(move || {
                        for _ in 0..per_thread {
                            let sent = client.sell(&receipt()).unwrap();
                            client.report(&sent.uuids[0]).unwrap();
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            start.elapsed().mul_f64(iterations as f64 / (per_thread * 8) as f64)
        })
    });
    group.finish();

    // The sandbox alone: 8 bare ureq clients posting receipts as fast as it answers.
    let mut group = c.benchmark_group("sandbox");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.bench_function("receipts_8_connections", |b| {
        b.iter_custom(|iterations| {
            let per_thread = iterations.div_ceil(8);
            let start = Instant::now();
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    let agent = agent.clone();
                    let url = create_url.clone();
                    let template = template.clone();
                    std::thread::spawn(move || {
                        for _ in 0..per_thread {
                            let body =
                                template.replace("bench-0", &format!("bench-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
                            let mut response = agent.post(&url).send(body.as_bytes()).unwrap();
                            let _ = response.body_mut().read_to_vec();
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            start.elapsed().mul_f64(iterations as f64 / (per_thread * 8) as f64)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
