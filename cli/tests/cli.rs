//! The `ofdkit` command, run as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use ofdkit_sandbox::{Endpoint, Fault, FaultKind, Sandbox, SandboxConfig};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn ofdkit(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ofdkit"));
    command.args(args);
    for name in ["OFDKIT_BASE_URL", "OFDKIT_LOGIN", "OFDKIT_PASSWORD", "OFDKIT_PROXY", "OFDKIT_CA_BUNDLE"] {
        command.env_remove(name);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A file in a directory of its own that is removed when the test ends, so
/// that no test leaves anything behind in the temporary directory.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    fn to_str(&self) -> Option<&str> {
        self.path.to_str()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn temp_file(name: &str, contents: &str) -> TempFile {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ofdkit-cli-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    TempFile { dir, path }
}

/// Runs `ofdkit` with `input` on its standard input.
fn ofdkit_with_input(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ofdkit"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_readme_command_fiscalises_the_example_in_the_built_in_sandbox() {
    let receipt = repo("examples/receipt.json");
    let output = ofdkit(&["send", receipt.to_str().unwrap(), "--operation", "sell"], &[]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("built-in sandbox") && stderr.lines().filter(|l| l.contains("sandbox")).count() == 1,
        "{stderr}"
    );
    assert!(
        stdout.contains("fiscalised") && stdout.contains("0007795807005569") && stdout.contains("799.80"),
        "{stdout}"
    );
}

#[test]
fn sends_to_a_configured_server_and_asks_for_the_status() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let base = sandbox.base_url();
    let env = [
        ("OFDKIT_BASE_URL", base.as_str()),
        ("OFDKIT_LOGIN", "fermatest2"),
        ("OFDKIT_PASSWORD", "Go2999483Mb"),
        ("OFDKIT_GROUP_CODE", "1"),
    ];
    let receipt = repo("examples/receipt.json");
    let output = ofdkit(&["send", receipt.to_str().unwrap(), "--json"], &env);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!text(&output.stderr).contains("built-in sandbox"));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["outcome"], "done");
    let uuid = result["parts"][0]["uuid"].as_str().unwrap().to_owned();
    assert_eq!(result["parts"][0]["payload"]["total"], "799.80");
    assert_eq!(sandbox.stats().receipts_registered, 1);
    let status = ofdkit(&["status", &uuid], &env);
    assert!(status.status.success());
    assert!(text(&status.stdout).contains("fiscal sign"), "{}", text(&status.stdout));
    // Without the password it refuses to start, saying what is missing.
    let output = ofdkit(&["status", &uuid], &env[..2]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("password"));
}

#[test]
fn validate_lists_every_violation_and_fails() {
    let bad = temp_file(
        "bad.json",
        r#"{"external_id": "1", "receipt": {"company": {"sno": "osn", "inn": "1234567891", "payment_address": "x"},
            "items": [{"name": "Tea", "price": "1,5", "quantity": 1, "sum": 1, "measure": 0, "payment_method": "full_payment",
            "payment_object": 1, "vat": {"type": "vat20", "sum": 0.17}}], "payments": [{"type": 1, "sum": 1}], "total": 1}}"#,
    );
    let output = ofdkit(&["validate", bad.to_str().unwrap(), "--json"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let violations: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = violations.as_array().unwrap().iter().map(|v| v["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"receipt.company.inn") && paths.contains(&"receipt.items[0].price"), "{paths:?}");
    assert!(violations[0]["message_ru"].is_string());
    // And nothing is sent: send refuses it before any server is contacted.
    let output = ofdkit(&["send", bad.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!text(&output.stderr).contains("sandbox"));
    let good = ofdkit(&["validate", repo("examples/receipt.json").to_str().unwrap()], &[]);
    assert!(good.status.success() && text(&good.stdout).contains("valid"));
}

#[test]
fn validate_guesses_a_registration_application() {
    let app = temp_file(
        "app.json",
        r#"{"ofdAgreementId": "555b55e5-a555-4e55-95d5-5fcbafd5fe55", "purpose": "Reregistration", "KktDetails": {"FnNumber": "1"}}"#,
    );
    let output = ofdkit(&["validate", app.to_str().unwrap(), "--check", "complete"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("KktDetails.FnNumber") && stdout.contains("KktDetails.ReregistrationReasons"), "{stdout}");
}

#[test]
fn malformed_json_and_missing_files_are_clear_errors() {
    let broken = temp_file("broken.json", "{\n  \"external_id\": 1,\n  \"receipt\": tru\n}");
    let output = ofdkit(&["validate", broken.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("line 3, column"), "{}", text(&output.stderr));
    let output = ofdkit(&["validate", "/nonexistent/receipt.json"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot read"));
    let output = ofdkit(&["send", repo("examples/receipt.json").to_str().unwrap(), "--operation", "sale"], &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_input_over_the_limit_is_refused_without_reading_it() {
    // An endless file: only the limit and one byte more are ever read.
    let output = ofdkit(&["validate", "/dev/zero"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("larger than the limit of 4194304 bytes") && stderr.contains("INPUT_TOO_LARGE"),
        "{stderr}"
    );
    let example = repo("examples/receipt.json");
    let size = std::fs::metadata(&example).unwrap().len();
    let output = ofdkit(&["validate", example.to_str().unwrap(), "--max-input-bytes", &(size - 1).to_string()], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let output = ofdkit(&["validate", example.to_str().unwrap()], &[("OFDKIT_MAX_INPUT_BYTES", &size.to_string())]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = ofdkit(&["send", "/dev/zero"], &[]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_byte_order_mark_is_a_warning() {
    let mut text_with_bom = String::from("\u{feff}");
    text_with_bom.push_str(&std::fs::read_to_string(repo("examples/receipt.json")).unwrap());
    let file = temp_file("bom.json", &text_with_bom);
    let output = ofdkit(&["validate", file.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("byte order mark"), "{}", text(&output.stdout));
}

#[test]
fn codes_prints_a_table() {
    let output = ofdkit(&["codes", "measure"], &[]);
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).lines().count(), 24);
    assert!(text(&output.stdout).contains("Килограмм"));
    let output = ofdkit(&["codes", "federal_id", "--json"], &[]);
    let table: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(table["entries"].as_array().unwrap().len(), 72);
    let output = ofdkit(&["codes", "colours"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("measure"));
}

fn ferma_env(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("OFDKIT_BASE_URL", sandbox.base_url()),
        ("OFDKIT_LOGIN", "fermatest2".to_owned()),
        ("OFDKIT_PASSWORD", "Go2999483Mb".to_owned()),
        ("OFDKIT_GROUP_CODE", "1".to_owned()),
    ]
}

fn run_send(args: &[&str], env: &[(&'static str, String)]) -> (Output, std::time::Duration) {
    let receipt = repo("examples/receipt.json");
    let mut all = vec!["send", receipt.to_str().unwrap()];
    all.extend_from_slice(args);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let started = std::time::Instant::now();
    let output = ofdkit(&all, &env);
    (output, started.elapsed())
}

#[test]
fn a_lost_answer_is_recovered_not_reported_as_a_duplicate() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    // Ferma registers the receipt, and the connection drops before its answer.
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::DropAfterProcessing));
    let (output, _) = run_send(&[], &ferma_env(&sandbox));
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stdout.contains("outcome unknown") && stdout.contains("registered by an earlier send"), "{stdout}");
    assert!(!stderr.contains("уже существует") && !stderr.contains("Ferma error 2"), "{stderr}");
    assert!(stderr.contains("asking again with the same external_id"), "{stderr}");
    assert_eq!(sandbox.registrations()["shop-order-10001"], 1);
}

#[test]
fn send_ends_by_its_deadline_when_the_report_never_comes() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    sandbox.inject(Fault { endpoint: Endpoint::Report, kind: FaultKind::Delay(Duration::from_secs(60)), times: 100 });
    let (output, took) = run_send(&["--deadline", "2"], &ferma_env(&sandbox));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(text(&output.stdout).contains("ofdkit status"), "{}", text(&output.stdout));
}

#[test]
fn a_failure_before_sending_says_nothing_was_sent() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let mut env = ferma_env(&sandbox);
    env[0].1 = "https://nonexistent.invalid".to_owned();
    let (output, _) = run_send(&["--deadline", "10"], &env);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nothing was sent") && !stderr.contains("Uncategorized"), "{stderr}");

    // A proxy that refuses: nothing reaches the sandbox either.
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.local_addr().unwrap().port());
    let refuser = std::thread::spawn(move || {
        for stream in proxy.incoming().take(3) {
            let mut stream = stream.unwrap();
            let (mut head, mut byte) = (Vec::new(), [0u8]);
            while !head.ends_with(b"\r\n\r\n") && std::io::Read::read(&mut stream, &mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let _ = std::io::Write::write_all(&mut stream, b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let (output, _) = run_send(&["--proxy", &proxy_url], &ferma_env(&sandbox));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("proxy") && stderr.contains("nothing was sent"), "{stderr}");
    assert_eq!(sandbox.stats().receipts_registered, 0);
    refuser.join().unwrap();
    // A CA bundle that is not one is refused before anything is tried.
    let bad = temp_file("not-a-ca.pem", "hello");
    let (output, _) = run_send(&["--ca-bundle", bad.to_str().unwrap()], &ferma_env(&sandbox));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("CA bundle"), "{}", text(&output.stderr));
}

#[test]
fn each_command_shows_only_its_own_options_and_every_argument_is_described() {
    let validate = text(&ofdkit(&["validate", "--help"], &[]).stdout);
    assert!(!validate.contains("--base-url") && !validate.contains("--password"), "{validate}");
    assert!(validate.contains("--strict") && validate.contains("JSON Lines"), "{validate}");
    let codes = text(&ofdkit(&["codes", "--help"], &[]).stdout);
    assert!(!codes.contains("--base-url") && !codes.contains("--max-input-bytes"), "{codes}");
    assert!(codes.contains("A table's name"), "{codes}");
    let top = text(&ofdkit(&["--help"], &[]).stdout);
    assert!(top.contains("Exit codes") && top.contains("outcome unknown"), "{top}");
    // An unknown operation lists the valid ones.
    let output = ofdkit(&["validate", "--operation", "sale", "x.json"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("sell_refund_correction"), "{}", text(&output.stderr));
}

#[test]
fn validate_reads_standard_input_and_answers_malformed_json_in_json() {
    let receipt = std::fs::read(repo("examples/receipt.json")).unwrap();
    let output = ofdkit_with_input(&["validate", "-"], &receipt);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("(stdin): valid"));
    let output = ofdkit_with_input(&["validate", "--json", "-"], b"{\"external_id\": ");
    assert_eq!(output.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["error_name"], "INVALID_JSON");
    assert_eq!(error["line"], 1);
}

#[test]
fn strict_counts_warnings_as_errors() {
    let mut receipt: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo("examples/receipt.json")).unwrap()).unwrap();
    receipt["receipt"]["client"]["phone"] = "88002000600".into();
    let file = temp_file("phone.json", &receipt.to_string());
    let output = ofdkit(&["validate", file.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(0), "a warning only: {}", text(&output.stdout));
    assert!(text(&output.stdout).contains("warning receipt.client.phone"));
    let output = ofdkit(&["validate", "--strict", file.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("error receipt.client.phone"));
    let output = ofdkit(&["send", "--strict", file.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!text(&output.stderr).contains("sandbox"), "nothing is sent");
}

#[test]
fn many_files_and_json_lines_are_checked_on_every_core_with_a_summary() {
    let good = std::fs::read_to_string(repo("examples/receipt.json")).unwrap();
    let one_line: serde_json::Value = serde_json::from_str(&good).unwrap();
    let mut bad = one_line.clone();
    bad["receipt"]["company"]["inn"] = "1234567891".into();
    let lines = format!("{one_line}\n\n{bad}\n{{\"external_id\": \n{one_line}\n");
    let jsonl = temp_file("receipts.jsonl", &lines);
    let output = ofdkit(&["validate", jsonl.to_str().unwrap(), "--threads", "2"], &[]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("receipts.jsonl:3: error receipt.company.inn"), "{stdout}");
    assert!(stdout.contains("receipts.jsonl:4: malformed JSON"), "{stdout}");
    assert!(
        stderr.contains("checked 4 requests") && stderr.contains("2 valid") && stderr.contains("2 with errors"),
        "{stderr}"
    );
    // JSON: a line per document, in order.
    let output = ofdkit(&["validate", "--json", jsonl.to_str().unwrap()], &[]);
    let lines: Vec<serde_json::Value> =
        text(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1]["source"], format!("{}:3", jsonl.to_str().unwrap()));
    assert_eq!(lines[1]["violations"][0]["rule"], "inn_checksum");
    assert_eq!(lines[2]["error"]["error_name"], "INVALID_JSON");
    // Several plain files are a batch too.
    let valid = repo("examples/receipt.json");
    let output = ofdkit(&["validate", valid.to_str().unwrap(), valid.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).contains("checked 2 requests"), "{}", text(&output.stderr));
    // A line over the limit is refused alone, the rest checked.
    let output = ofdkit(&["validate", "--max-input-bytes", "100", jsonl.to_str().unwrap()], &[]);
    assert!(text(&output.stdout).contains("larger than the limit of 100 bytes"), "{}", text(&output.stdout));
}

#[test]
fn answer_reads_what_ferma_sent_in_ofdkits_form() {
    let vector: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo("tests/vectors/ferma/spec/report_done.json")).unwrap()).unwrap();
    let body = temp_file("callback.json", &vector["input"].to_string());
    let output = ofdkit(&["answer", "callback", body.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["state"], "done");
    assert_eq!(report["payload"]["total"], "1598.00");
    let output = ofdkit(&["answer", "create", body.to_str().unwrap(), "--status", "500"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(error["error_code"].is_number(), "{error}");
}

#[test]
fn status_without_a_server_says_how_to_run_the_sandbox() {
    let output = ofdkit(&["status", "0099caf8-2c9c-4888-a289-b8ac879cdd91"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("ofdkit sandbox") && stderr.contains("OFDKIT_BASE_URL"), "{stderr}");
}

#[test]
fn the_sandbox_command_serves_until_stopped() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ofdkit"))
        .args(["sandbox", "--port", "0", "--processing-delay-ms", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    // Keep reading what it prints: a closed pipe would end it.
    let drain = std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap().to_owned();
    let env = [
        ("OFDKIT_BASE_URL", url.as_str()),
        ("OFDKIT_LOGIN", "fermatest2"),
        ("OFDKIT_PASSWORD", "Go2999483Mb"),
        ("OFDKIT_GROUP_CODE", "1"),
    ];
    let output = ofdkit(&["send", repo("examples/receipt.json").to_str().unwrap(), "--json"], &env);
    let _ = child.kill();
    let _ = child.wait();
    let _ = drain.join();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["outcome"], "done");
}
