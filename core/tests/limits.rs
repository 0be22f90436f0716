//! The limits on untrusted input: a maximum size checked before parsing,
//! a byte order mark, a capped list of violations, and hostile shapes that
//! must end in an error or a verdict, never in a crash or a hang.

use ofdkit::codes::Operation;
use ofdkit::context::MAX_VIOLATIONS;
use ofdkit::ferma::{self, ReceiptRequest};
use ofdkit::json::{self, Input, JsonErrorKind, DEFAULT_MAX_INPUT_BYTES};
use ofdkit::ofd::{self, ApplicationCheck};
use ofdkit::{Error, ErrorCode, RequestKind, Severity, ViolationCode};

fn example() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/receipt.json")).unwrap()
}

#[test]
fn input_over_the_limit_is_refused_before_parsing() {
    // Not even JSON: were it parsed, the error would be INVALID_JSON.
    let over = vec![b'x'; DEFAULT_MAX_INPUT_BYTES + 1];
    let at_limit = vec![b' '; DEFAULT_MAX_INPUT_BYTES];
    let too_large = |e: &json::JsonError| {
        e.kind == JsonErrorKind::TooLarge { size: DEFAULT_MAX_INPUT_BYTES + 1, max: DEFAULT_MAX_INPUT_BYTES }
            && e.code() == ErrorCode::InputTooLarge
    };
    assert!(too_large(&ferma::validate_receipt_json(&over, Operation::Sell).unwrap_err()));
    assert!(too_large(&ofd::validate_application_json(&over, ApplicationCheck::Draft).unwrap_err()));
    assert!(too_large(&ofd::validate_update_json(&over, ApplicationCheck::Draft).unwrap_err()));
    assert!(too_large(&ofd::validate_partner_registration_json(&over).unwrap_err()));
    assert!(too_large(&RequestKind::guess_json(&over).unwrap_err()));
    for error in [
        ferma::normalize_receipt_json(&over, Operation::Sell).unwrap_err(),
        ferma::prepare_receipt(&over, Operation::Sell).unwrap_err(),
        ReceiptRequest::from_json_bytes(&over).unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::InputTooLarge, "{error}");
        assert_eq!(error.code().number(), 1005);
    }
    // At the limit the text is read (and is only whitespace).
    assert_eq!(ferma::validate_receipt_json(&at_limit, Operation::Sell).unwrap_err().code(), ErrorCode::InvalidJson);
}

#[test]
fn the_limit_can_be_set() {
    let receipt = example();
    let input = Input::new(&receipt).max_bytes(receipt.len() - 1);
    let error = ferma::validate_receipt_json(input, Operation::Sell).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("the input is {} bytes, over the limit of {} bytes", receipt.len(), receipt.len() - 1)
    );
    let input = Input::new(&receipt).max_bytes(receipt.len());
    assert!(ferma::validate_receipt_json(input, Operation::Sell).unwrap().is_empty());
    let big = vec![b' '; DEFAULT_MAX_INPUT_BYTES + 10];
    let mut padded = receipt.clone();
    padded.extend_from_slice(&big);
    let input = Input::new(&padded).max_bytes(padded.len());
    assert!(ferma::validate_receipt_json(input, Operation::Sell).unwrap().is_empty());
}

#[test]
fn a_byte_order_mark_is_ignored_with_a_warning() {
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&example());
    let violations = ferma::validate_receipt_json(&with_bom, Operation::Sell).unwrap();
    assert_eq!(violations.len(), 1, "{violations}");
    let bom = &violations.0[0];
    assert_eq!((bom.path.as_str(), bom.code, bom.severity), ("", ViolationCode::NonCanonical, Severity::Warning));
    assert!(bom.message.contains("byte order mark"));
    // It is not sent, and the other readers take it too.
    let wire = ferma::normalize_receipt_json(&with_bom, Operation::Sell).unwrap();
    assert!(wire.value.starts_with('{'));
    assert_eq!(
        ReceiptRequest::from_json_bytes(&with_bom).unwrap(),
        ReceiptRequest::from_json_bytes(&example()).unwrap()
    );
    assert_eq!(RequestKind::guess_json(&with_bom).unwrap(), RequestKind::Receipt);
    assert!(json::parse_bytes(&with_bom).is_ok());
    // Positions count from after the mark, as an editor shows them.
    let error = ferma::validate_receipt_json(b"\xEF\xBB\xBF{x", Operation::Sell).unwrap_err();
    assert_eq!((error.line, error.column), (1, 2));
    // Only at the start: elsewhere it is not whitespace.
    assert!(json::parse_bytes(b"{}\xEF\xBB\xBF").is_err());
}

/// `{"external_id":"1","receipt":{<member>:[0,0,…]}}` with `n` zeros.
fn zeros_under(member: &str, n: usize) -> Vec<u8> {
    let mut out = format!(r#"{{"external_id":"1","receipt":{{"{member}":["#).into_bytes();
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'0');
    }
    out.extend_from_slice(b"]}}");
    out
}

#[test]
fn violations_are_capped_with_a_count_of_the_rest() {
    let input = zeros_under("items", 100_000);
    let violations = ferma::validate_receipt_json(&input, Operation::Sell).unwrap();
    assert_eq!(violations.len(), MAX_VIOLATIONS + 1);
    let last = violations.0.last().unwrap();
    assert_eq!((last.code, last.severity, last.path.as_str()), (ViolationCode::TooManyViolations, Severity::Error, ""));
    assert!(last.message.ends_with("are; fix these and check again"), "{}", last.message);
    assert!(violations.has_errors());
    assert_eq!(ferma::normalize_receipt_json(&input, Operation::Sell).unwrap_err().code(), ErrorCode::InvalidRequest);
    // The first ones are the real ones, in order.
    assert_eq!(violations.0[0].path, "receipt.items[0]");
    assert_eq!(violations.0[1].path, "receipt.items[1]");
}

#[test]
fn warnings_past_the_cap_keep_the_document() {
    // Unknown members are warnings: the request stays valid and keeps them all.
    let mut text = String::from(r#"{"external_id":"1","#);
    for i in 0..(MAX_VIOLATIONS + 5) {
        text.push_str(&format!(r#""x{i}":{i},"#));
    }
    let receipt = String::from_utf8(example()).unwrap();
    text.push_str(&receipt[receipt.find("\"receipt\"").unwrap()..]);
    let violations = ferma::validate_receipt_json(&text, Operation::Sell).unwrap();
    let last = violations.0.last().unwrap();
    assert_eq!((last.code, last.severity), (ViolationCode::TooManyViolations, Severity::Warning));
    assert!(last.message.starts_with("5 more"), "{}", last.message);
    assert!(!violations.has_errors());
    let wire = ferma::normalize_receipt_json(&text, Operation::Sell).unwrap().value;
    assert!(wire.contains(&format!(r#""x{}":{}"#, MAX_VIOLATIONS + 4, MAX_VIOLATIONS + 4)));
}

#[test]
fn hostile_shapes_end_in_a_verdict() {
    let shapes: Vec<(&str, Vec<u8>)> = vec![
        ("zeros at the root", format!("[{}0]", "0,".repeat(200_000)).into_bytes()),
        ("zeros in items", zeros_under("items", 200_000)),
        ("zeros in an unknown member", zeros_under("unknown", 200_000)),
        ("empty objects in items", {
            let mut s = String::from(r#"{"receipt":{"items":["#);
            s.push_str(&"{},".repeat(100_000));
            s.push_str("{}]}}");
            s.into_bytes()
        }),
        ("a long string", format!(r#"{{"external_id":"{}"}}"#, "я\\n".repeat(500_000)).into_bytes()),
        ("deep but allowed", format!("{}{}", "[".repeat(128), "]".repeat(128)).into_bytes()),
    ];
    for (name, input) in shapes {
        match ferma::validate_receipt_json(&input, Operation::Sell) {
            Ok(violations) => {
                assert!(violations.len() <= MAX_VIOLATIONS + 1, "{name}: {}", violations.len());
                assert!(violations.has_errors(), "{name}");
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
    let too_deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(128), "]".repeat(128));
    let error = ferma::validate_receipt_json(&too_deep, Operation::Sell).unwrap_err();
    assert!(error.message.contains("nesting deeper than 128"), "{error}");
}

#[test]
fn a_syntax_error_after_a_bad_value_is_the_error() {
    // The first element is reported only if the document is JSON at all.
    let input = br#"{"receipt": {"items": [0, 1, 2,]}}"#;
    let error = ferma::validate_receipt_json(input, Operation::Sell).unwrap_err();
    assert_eq!((error.line, error.column, error.message.as_str()), (1, 32, "expected a JSON value"));
    match ferma::normalize_receipt_json(input, Operation::Sell) {
        Err(Error::Json(e)) => assert_eq!(e.column, 32),
        other => panic!("{other:?}"),
    }
}

#[test]
fn serde_reads_numbers_as_text() {
    let text = String::from_utf8(example()).unwrap().replace("\"price\": 300", "\"price\": 1.0000000000000001");
    assert!(text.contains("1.0000000000000001"));
    let own = ReceiptRequest::from_json_str(&text).unwrap_err();
    assert!(own.violations().unwrap().iter().any(|v| v.code == ViolationCode::TooPrecise), "{own}");
    let error = serde_json::from_str::<ReceiptRequest>(&text).unwrap_err().to_string();
    assert!(error.contains("receipt.items[1].price") && error.contains("too_precise"), "{error}");
    let error = serde_json::from_slice::<ReceiptRequest>(text.as_bytes()).unwrap_err().to_string();
    assert!(error.contains("too_precise"), "{error}");
    let error = serde_json::from_reader::<_, ReceiptRequest>(text.as_bytes()).unwrap_err().to_string();
    assert!(error.contains("too_precise"), "{error}");
    // What does fit is read as written.
    let request: ReceiptRequest = serde_json::from_slice(&example()).unwrap();
    assert_eq!(request, ReceiptRequest::from_json_bytes(&example()).unwrap());
}
