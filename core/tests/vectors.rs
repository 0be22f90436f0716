//! Runs the shared test vectors of `tests/vectors/` (see its README): the
//! same files the C, Python and JavaScript bindings run, so every language
//! must reach the same verdicts.
//!
//! `OFDKIT_BLESS=1 cargo test --test vectors` rewrites the expectations of
//! the vectors under `spec/` directories from what the code does now; the
//! diff is then reviewed by hand. Hand-written vectors are never rewritten.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ofdkit::codes::{Code, Operation};
use ofdkit::context::Mode;
use ofdkit::decode::decode_document;
use ofdkit::ferma::{self, CashboxStats, CreateResponse, ReceiptRequest, Report, TokenRequest, TokenResponse};
use ofdkit::json::{self, Source, Value};
use ofdkit::ofd::{self, ApplicationCheck, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest};
use ofdkit::protocol::{self, HttpResponse, ReceiptState};
use ofdkit::RequestKind;

fn vectors_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            // peers/ holds other projects' raw requests: tests/peers.rs runs them.
            if path.file_name().is_some_and(|n| n != "tools" && n != "peers") {
                collect(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// JSON equality with numbers compared by value (`300` equals `300.0`) and
/// objects compared as unordered maps.
fn json_eq(a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            ofdkit::parse_decimal(x.as_str()).ok() == ofdkit::parse_decimal(y.as_str()).ok()
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && json_eq(v, v2)))
        }
        _ => a == b,
    }
}

/// Every path to a non-null leaf of `value`.
fn leaf_paths(value: &Value<'_>, prefix: String, out: &mut BTreeSet<String>) {
    match value {
        Value::Null => {}
        Value::Object(members) => {
            for (k, v) in members {
                leaf_paths(v, format!("{prefix}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaf_paths(v, format!("{prefix}[{i}]"), out);
            }
        }
        _ => {
            out.insert(prefix);
        }
    }
}

fn violations_value(violations: &ofdkit::Violations) -> Value<'static> {
    let text = serde_json::to_string(
        &violations
            .iter()
            .map(|v| serde_json::json!({"path": v.path, "code": v.code.as_str(), "severity": v.severity.as_str()}))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    json::parse(&text).unwrap().into_owned()
}

fn violation_set(value: &Value<'_>) -> BTreeSet<(String, String, String)> {
    value
        .as_array()
        .expect("violations is an array")
        .iter()
        .map(|v| {
            let field = |k| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            (field("path"), field("code"), field("severity"))
        })
        .collect()
}

/// A document read from a tree by a [`json::Source`] gets exactly the
/// violations its text gets (bar the byte order mark, which only text has),
/// and the source's extent bounds its wire form as the text's length does.
fn same_from_a_tree(kind: RequestKind, input_text: &str, operation: Operation, check: ApplicationCheck) {
    let Ok(text_violations) = kind.check_json(input_text.as_bytes(), operation, check) else { return };
    if input_text.starts_with('\u{feff}') {
        return;
    }
    let tree = json::parse(input_text).unwrap();
    let mut source = json::TreeSource::new(&tree);
    let tree_violations = kind.check_source(&mut source, operation, check);
    assert!(!source.stopped());
    assert_eq!(tree_violations.iter().collect::<Vec<_>>(), text_violations.iter().collect::<Vec<_>>(), "{input_text}");
    if let (RequestKind::Receipt, Ok(request)) = (kind, ReceiptRequest::from_json_str(input_text)) {
        assert!(ferma::wire_chars(&request) <= ferma::wire_chars_bound_of(source.extent()), "{input_text}");
    }
}

/// What the code says of a vector's input, as the vector's `expect` would record it.
fn observe(kind: &str, vector: &Value<'_>, input_text: &str) -> Vec<(String, Value<'static>)> {
    let mut out = Vec::new();
    let reserialize = |text: String| json::parse(&text).unwrap().into_owned();
    match kind {
        "ferma.receipt_request" => {
            let operation: Operation =
                vector.get("operation").and_then(Value::as_str).expect("operation").parse().unwrap();
            same_from_a_tree(RequestKind::Receipt, input_text, operation, ApplicationCheck::Draft);
            match ferma::validate_receipt_json(input_text.as_bytes(), operation) {
                Ok(violations) => out.push(("violations".into(), violations_value(&violations))),
                Err(e) => {
                    let at = format!(r#"{{"line":{},"column":{}}}"#, e.line, e.column);
                    out.push(("json_error".into(), json::parse(&at).unwrap().into_owned()));
                }
            }
            if let Ok(request) = ReceiptRequest::from_json_str(input_text) {
                // The split rule's count, made without writing, is the written length.
                let wire = request.to_wire_json().unwrap();
                assert_eq!(ferma::wire_chars(&request), wire.chars().count());
                // The bound that lets validation skip the count holds.
                assert!(wire.chars().count() <= ferma::wire_chars_bound(input_text.as_bytes()));
                out.push(("reserialized".into(), reserialize(wire)));
            }
            if let Ok(normalized) = ferma::normalize_receipt_json(input_text.as_bytes(), operation) {
                assert!(normalized.value.chars().count() <= ferma::wire_chars_bound(input_text.as_bytes()));
                out.push(("wire".into(), reserialize(normalized.value)));
            }
        }
        "ferma.token_request" => {
            let value = json::parse(input_text).unwrap();
            let (model, _) = decode_document::<TokenRequest>(&value, Mode::Request);
            out.push(("reserialized".into(), reserialize(serde_json::to_string(&model).unwrap())));
        }
        "ferma.token_response" => {
            let value = json::parse(input_text).unwrap();
            let (model, _) = decode_document::<TokenResponse>(&value, Mode::Response);
            out.push(("reserialized".into(), reserialize(serde_json::to_string(&model).unwrap())));
            let outcome = match protocol::parse_token_response(&HttpResponse::new(200, input_text)) {
                Ok(grant) => format!(
                    "token valid until {}",
                    grant.valid_until.map_or_else(|| "unknown".to_owned(), |t| t.to_string())
                ),
                Err(e) => format!("error {}", e.code().name()),
            };
            out.push(("outcome".into(), Value::String(outcome.into())));
        }
        "ferma.create_response" => {
            let value = json::parse(input_text).unwrap();
            let (model, _) = decode_document::<CreateResponse>(&value, Mode::Response);
            out.push(("reserialized".into(), reserialize(serde_json::to_string(&model).unwrap())));
            let outcome = match protocol::parse_create_response(&HttpResponse::new(200, input_text)) {
                Ok(created) => format!("created {}", created.uuids.join(" ")),
                Err(e) => format!("error {}", e.code().name()),
            };
            out.push(("outcome".into(), Value::String(outcome.into())));
        }
        "ferma.report" => {
            let value = json::parse(input_text).unwrap();
            let (model, _) = decode_document::<Report>(&value, Mode::Response);
            out.push(("reserialized".into(), reserialize(serde_json::to_string(&model).unwrap())));
            let outcome = match protocol::parse_report(&HttpResponse::new(200, input_text)) {
                Ok(o) => match o.state {
                    ReceiptState::Pending => "pending".to_owned(),
                    ReceiptState::Done(p) => format!(
                        "done: fiscal document {} sign {}",
                        p.fiscal_document_number.unwrap_or_default(),
                        p.fiscal_document_attribute.unwrap_or_default()
                    ),
                    ReceiptState::Failed(e) => format!("failed {}", e.kind.name()),
                },
                Err(e) => format!("error {}", e.code().name()),
            };
            out.push(("outcome".into(), Value::String(outcome.into())));
        }
        "ferma.cashbox_stats" => {
            let value = json::parse(input_text).unwrap();
            let (model, _) = decode_document::<CashboxStats>(&value, Mode::Response);
            out.push(("reserialized".into(), reserialize(serde_json::to_string(&model).unwrap())));
            let outcome = match protocol::parse_cashbox_stats(&HttpResponse::new(200, input_text)) {
                Ok(stats) => {
                    let states: Vec<String> = stats
                        .data
                        .unwrap_or_default()
                        .iter()
                        .map(|c| {
                            c.kkt_state
                                .as_ref()
                                .and_then(|s| s.known())
                                .map_or("?".to_owned(), |s| s.entry().name.to_owned())
                        })
                        .collect();
                    format!("cashboxes {}", states.join(" "))
                }
                Err(e) => format!("error {}", e.code().name()),
            };
            out.push(("outcome".into(), Value::String(outcome.into())));
        }
        "ofd.application_request" | "ofd.application_update" | "ofd.partner_registration" | "ofd.sign_request" => {
            let check = match vector.get("check").and_then(Value::as_str).unwrap_or("draft") {
                "draft" => ApplicationCheck::Draft,
                "complete" => ApplicationCheck::Complete,
                "secondary" => ApplicationCheck::Secondary,
                other => panic!("unknown check {other}"),
            };
            let request_kind = match kind {
                "ofd.application_request" => Some(RequestKind::Application),
                "ofd.application_update" => Some(RequestKind::ApplicationUpdate),
                "ofd.partner_registration" => Some(RequestKind::PartnerRegistration),
                _ => None,
            };
            if let Some(request_kind) = request_kind {
                same_from_a_tree(request_kind, input_text, Operation::Sell, check);
            }
            let bytes = input_text.as_bytes();
            let violations = match kind {
                "ofd.application_request" => ofd::validate_application_json(bytes, check),
                "ofd.application_update" => ofd::validate_update_json(bytes, check),
                "ofd.partner_registration" => ofd::validate_partner_registration_json(bytes),
                _ => json::parse_bytes(bytes).map(|v| ofd::check_request::<SignRequest>(&v, check).1),
            };
            match violations {
                Ok(violations) => out.push(("violations".into(), violations_value(&violations))),
                Err(e) => {
                    let at = format!(r#"{{"line":{},"column":{}}}"#, e.line, e.column);
                    out.push(("json_error".into(), json::parse(&at).unwrap().into_owned()));
                }
            }
            let reserialized = match kind {
                "ofd.application_request" => {
                    ofd::parse_request::<ApplicationRequest>(bytes).and_then(|m| ofd::to_wire_json(&m))
                }
                "ofd.application_update" => {
                    ofd::parse_request::<ApplicationUpdate>(bytes).and_then(|m| ofd::to_wire_json(&m))
                }
                "ofd.partner_registration" => {
                    ofd::parse_request::<PartnerRegistration>(bytes).and_then(|m| ofd::to_wire_json(&m))
                }
                _ => ofd::parse_request::<SignRequest>(bytes).and_then(|m| ofd::to_wire_json(&m)),
            };
            if let Ok(text) = reserialized {
                out.push(("reserialized".into(), reserialize(text)));
            }
        }
        "ofd.application_response" | "ofd.application_list_response" => {
            let value = json::parse(input_text).unwrap();
            let response = HttpResponse::new(200, input_text);
            let (reserialized, outcome) = if kind == "ofd.application_response" {
                let (model, _) = decode_document::<ofd::ApplicationResponse>(&value, Mode::Response);
                let outcome = match protocol::parse_application(&response) {
                    Ok(app) => describe_application(&app),
                    Err(e) => format!("error {}", e.code().name()),
                };
                (serde_json::to_string(&model).unwrap(), outcome)
            } else {
                let (model, _) = decode_document::<ofd::ApplicationListResponse>(&value, Mode::Response);
                let outcome = match protocol::parse_application_list(&response) {
                    Ok(apps) => apps.iter().map(describe_application).collect::<Vec<_>>().join("; "),
                    Err(e) => format!("error {}", e.code().name()),
                };
                (serde_json::to_string(&model).unwrap(), outcome)
            };
            out.push(("reserialized".into(), reserialize(reserialized)));
            out.push(("outcome".into(), Value::String(outcome.into())));
        }
        "ofd.partner_response" => {
            let value = json::parse(input_text).unwrap();
            let (model, _) = decode_document::<ofd::PartnerResponse>(&value, Mode::Response);
            out.push(("reserialized".into(), reserialize(serde_json::to_string(&model).unwrap())));
            let outcome = match protocol::parse_partner_response(&HttpResponse::new(200, input_text)) {
                Ok(agreement) => format!("registered {agreement}"),
                Err(e) => format!("error {}", e.code().name()),
            };
            out.push(("outcome".into(), Value::String(outcome.into())));
        }
        other => panic!("unknown vector kind {other}"),
    }
    out
}

/// One line about an application: `application Stage/Status documents kinds…`.
fn describe_application(app: &ofd::Application) -> String {
    let kinds: Vec<String> = app
        .documents
        .iter()
        .flatten()
        .map(|d| {
            let kind =
                d.kind.as_ref().map_or_else(|| "?".to_owned(), |k| serde_json::to_string(k).unwrap().replace('"', ""));
            let signature = d
                .signature
                .as_ref()
                .map_or_else(|| "?".to_owned(), |k| serde_json::to_string(k).unwrap().replace('"', ""));
            format!("{kind}:{signature}")
        })
        .collect();
    let stage = app.stage().map_or("?", |s| s.wire());
    let status = app.status().map_or("?", |s| s.wire());
    format!("application {stage}/{status} documents [{}]", kinds.join(" "))
}

fn input_text(vector: &Value<'_>) -> String {
    match (vector.get("input"), vector.get("input_text")) {
        (Some(input), _) => input.to_json_string(),
        (None, Some(Value::String(text))) => text.to_string(),
        _ => panic!("a vector needs input or input_text"),
    }
}

/// Runs one vector; returns the problems found.
fn run(path: &Path, bless: bool) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let vector = json::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kind = vector.get("kind").and_then(Value::as_str).expect("kind");
    let input = input_text(&vector);
    let observed = observe(kind, &vector, &input);
    let blessable = path.parent().is_some_and(|p| p.ends_with("spec"));
    if bless && blessable {
        let mut members = vector.as_object().unwrap().clone();
        members.retain(|(k, _)| k != "expect");
        let expect: Vec<_> = observed.iter().map(|(k, v)| (std::borrow::Cow::Owned(k.clone()), v.clone())).collect();
        members.push((std::borrow::Cow::Borrowed("expect"), Value::Object(expect)));
        let mut out = serde_json::to_string_pretty(&Value::Object(members)).unwrap();
        out.push('\n');
        fs::write(path, out).unwrap();
        return Vec::new();
    }
    let expect = vector.get("expect").unwrap_or_else(|| panic!("{}: no expect", path.display()));
    let mut problems = Vec::new();
    for (key, expected) in expect.as_object().unwrap() {
        let key: &str = key;
        let actual = observed.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let same = match (key, actual) {
            ("violations", Some(actual)) => violation_set(expected) == violation_set(actual),
            (_, Some(actual)) => json_eq(expected, actual),
            (_, None) => false,
        };
        if !same {
            let shown = actual.map_or_else(|| "(nothing)".to_owned(), |a| a.to_json_string());
            let (expected, shown) = if key == "violations" {
                let e = violation_set(expected);
                let a = actual.map(violation_set).unwrap_or_default();
                (
                    format!("missing {:?}", e.difference(&a).collect::<Vec<_>>()),
                    format!("unexpected {:?}", a.difference(&e).collect::<Vec<_>>()),
                )
            } else {
                (expected.to_json_string(), shown)
            };
            problems.push(format!("{}: {key}:\n  expected {expected}\n  actual   {shown}", path.display()));
        }
    }
    // A re-serialized request loses no field: every non-null leaf of the
    // input is still there.
    if let (Some(input), Some((_, reserialized))) =
        (vector.get("input"), observed.iter().find(|(k, _)| k == "reserialized"))
    {
        let (mut before, mut after) = (BTreeSet::new(), BTreeSet::new());
        leaf_paths(input, String::new(), &mut before);
        leaf_paths(reserialized, String::new(), &mut after);
        // Documented spellings normalised to the server's are declared:
        // `"renames": {".name": ".Name"}`.
        if let Some(Value::Object(renames)) = vector.get("renames") {
            before = before
                .into_iter()
                .map(|path| {
                    renames.iter().fold(path, |path, (from, to)| {
                        match (path.strip_prefix(from.as_ref()), to.as_str()) {
                            (Some(rest), Some(to)) if rest.is_empty() || rest.starts_with(['.', '[']) => {
                                format!("{to}{rest}")
                            }
                            _ => path,
                        }
                    })
                })
                .collect();
        }
        let lost: Vec<_> = before.difference(&after).collect();
        if !lost.is_empty() {
            problems.push(format!("{}: re-serializing lost {lost:?}", path.display()));
        }
    }
    problems
}

#[test]
fn every_vector_gives_its_expected_verdict() {
    let bless = std::env::var_os("OFDKIT_BLESS").is_some();
    let mut paths = Vec::new();
    collect(&vectors_root(), &mut paths);
    assert!(paths.len() >= 14, "only {} vectors found", paths.len());
    let problems: Vec<String> = paths.iter().flat_map(|p| run(p, bless)).collect();
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
