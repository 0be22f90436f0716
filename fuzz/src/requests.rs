//! Requests users hand to ofdkit: Ferma receipts (ferma-api §3) and the
//! registration API's applications, updates, signatures and partner
//! registrations, read through the entry points the bindings call.

use ofdkit::codes::{Code, Operation, PaymentType};
use ofdkit::ferma::{self, ReceiptRequest};
use ofdkit::ofd::{self, ApplicationCheck, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest};
use ofdkit::{json, output, Error, RequestKind, Violations};

use crate::support::{assert_json, pick, verdict};

const CHECKS: [ApplicationCheck; 3] =
    [ApplicationCheck::Draft, ApplicationCheck::Complete, ApplicationCheck::Secondary];

/// A Ferma receipt, validated and normalised for the operation the input's
/// length picks. Validation and normalisation agree on the verdict; what
/// normalises is JSON that validates without errors for the same operation
/// and normalises to itself.
pub fn receipt(data: &[u8]) {
    let operation = pick(Operation::ALL, data);
    let validated = ferma::validate_receipt_json(data, operation);
    let normalized = ferma::normalize_receipt_json(data, operation);
    match (&validated, &normalized) {
        (Err(_), Err(Error::Json(_))) => {}
        (Ok(violations), Ok(checked)) => {
            assert!(!violations.has_errors(), "normalised despite errors: {:?}", verdict(violations));
            assert_eq!(verdict(violations), verdict(&checked.warnings), "validate and normalize warn differently");
        }
        (Ok(violations), Err(Error::Invalid(errors))) => {
            assert!(violations.has_errors(), "refused without an error: {:?}", verdict(errors));
            assert_eq!(verdict(violations), verdict(errors), "validate and normalize disagree");
        }
        (validated, normalized) => panic!("validate says {validated:?}, normalize says {normalized:?}"),
    }
    match normalized {
        Ok(checked) => {
            assert_json(&checked.value, "the normalised receipt");
            // Validation skips the split rule's count below this bound.
            assert!(checked.value.chars().count() <= ferma::wire_chars_bound(data), "the wire form outgrew its bound");
            let again = ferma::validate_receipt_json(checked.value.as_bytes(), operation)
                .unwrap_or_else(|e| panic!("the normalised receipt is malformed ({e}): {}", checked.value));
            assert!(!again.has_errors(), "the normalised receipt has errors: {:?}", verdict(&again));
            let twice = ferma::normalize_receipt_json(checked.value.as_bytes(), operation)
                .unwrap_or_else(|e| panic!("the normalised receipt does not normalise: {e}"));
            assert_eq!(twice.value, checked.value, "normalising twice changes the receipt");
        }
        Err(error) => assert_json(&output::error(&error).to_string(), "the error's JSON"),
    }
    if let Ok(violations) = validated {
        assert_json(&output::violations(&violations).to_string(), "the violations' JSON");
    }
}

/// Rules a receipt whose totals ofdkit filled can no longer break.
const TOTALS_RULES: [&str; 8] = [
    "total_required",
    "total_matches_items",
    "item_vat_sum_required",
    "vats_rate_duplicate",
    "item_vat_sum_matches_rate",
    "vats_sum_matches_rate",
    "vats_rate_without_items",
    "vats_rate_missing",
];

/// A Ferma receipt whose VAT sums, `vats` and `total` ofdkit fills (and
/// the rest of the payment, as `ofdkit_fill_totals_paying_rest` does): the
/// result writes as JSON that reads back to itself, and breaks none of the
/// rules about totals.
pub fn receipt_totals(data: &[u8]) {
    let Ok(value) = json::parse_bytes(data) else { return };
    for pay_rest in [None, Some(pick(PaymentType::ALL, data))] {
        let request = match ferma::fill_totals_value(&value, pay_rest) {
            Ok(request) => request,
            Err(error) => {
                assert_json(&output::error(&error).to_string(), "the error's JSON");
                continue;
            }
        };
        let wire = request.to_wire_json().expect("a read receipt is written");
        assert_json(&wire, "the filled receipt");
        let reread = ReceiptRequest::from_json_str(&wire)
            .unwrap_or_else(|e| panic!("the filled receipt does not read back ({e}): {wire}"));
        assert_eq!(reread.to_wire_json().ok(), Some(wire.clone()), "the filled receipt reads back differently");
        let receipt = &request.receipt;
        let paid: i64 = receipt.payments.iter().map(|p| p.sum.kopecks()).sum();
        let total = receipt.total.map(|t| t.kopecks());
        assert_eq!(total, Some(receipt.items.iter().map(|i| i.sum.kopecks()).sum()), "total is not the items' sum");
        let paid_in_full = pay_rest.is_some() && total.is_some_and(|t| t <= paid);
        for violation in request.violations(Operation::Sell).iter() {
            let rule = violation.rule.id();
            let broken =
                TOTALS_RULES.contains(&rule) || (paid_in_full && rule == "payments_match_total" && Some(paid) == total);
            assert!(!broken, "filled totals break {rule} at {}: {}", violation.path, violation.message);
        }
        if pay_rest.is_some() {
            assert!(total.is_some_and(|t| paid >= t), "pay_rest left {total:?} unpaid ({paid} paid)");
        }
    }
}

/// Registration requests are read for each completeness level: malformed
/// for one means malformed for all, and a more complete level keeps every
/// violation of a less complete one, never milder.
fn levels(
    data: &[u8],
    validate: impl Fn(&[u8], ApplicationCheck) -> Result<Violations, json::JsonError>,
) -> Option<Violations> {
    let verdicts: Vec<_> = CHECKS.iter().map(|check| validate(data, *check)).collect();
    if verdicts.iter().any(Result::is_err) {
        assert!(verdicts.iter().all(Result::is_err), "malformed for one level only: {verdicts:?}");
        return None;
    }
    let verdicts: Vec<Violations> = verdicts.into_iter().map(Result::unwrap).collect();
    for pair in verdicts.windows(2) {
        for milder in pair[0].iter() {
            let kept = pair[1]
                .iter()
                .any(|v| v.path == milder.path && v.code == milder.code && (v.is_error() || !milder.is_error()));
            assert!(kept, "a stricter level drops or softens {} {}", milder.path, milder.code.as_str());
        }
    }
    for violations in &verdicts {
        assert_json(&output::violations(violations).to_string(), "the violations' JSON");
    }
    verdicts.into_iter().next()
}

/// What passes at the draft level reads as the model, and the model's wire
/// JSON (what the client sends) passes too.
fn wire_passes<T: ofdkit::decode::FromJson + ofdkit::decode::Placeholder + serde::Serialize>(
    data: &[u8],
    draft: &Violations,
    validate: impl Fn(&[u8]) -> Result<Violations, json::JsonError>,
) {
    if draft.has_errors() {
        return;
    }
    let model: T = ofd::parse_request(data).unwrap_or_else(|e| panic!("valid but unreadable: {e}"));
    let wire = ofd::to_wire_json(&model).expect("a read request is written");
    assert_json(&wire, "the request's wire JSON");
    let again = validate(wire.as_bytes()).unwrap_or_else(|e| panic!("the wire JSON is malformed ({e}): {wire}"));
    assert!(!again.has_errors(), "the wire JSON has errors: {:?}\n{wire}", verdict(&again));
}

// The closures below stay closures: the entry points take `impl Into<Input>`
// in the JSON reader's rewrite, which a function item cannot pass for every
// lifetime of the bytes.

/// A registration application (`POST api/kkt/application`, table 1).
#[allow(clippy::redundant_closure)]
pub fn application(data: &[u8]) {
    if let Some(draft) = levels(data, |d, c| ofd::validate_application_json(d, c)) {
        wire_passes::<ApplicationRequest>(data, &draft, |d| ofd::validate_application_json(d, ApplicationCheck::Draft));
    }
}

/// An update of an application (`PUT api/kkt/application/{id}`, table 3).
#[allow(clippy::redundant_closure)]
pub fn application_update(data: &[u8]) {
    if let Some(draft) = levels(data, |d, c| ofd::validate_update_json(d, c)) {
        wire_passes::<ApplicationUpdate>(data, &draft, |d| ofd::validate_update_json(d, ApplicationCheck::Draft));
    }
}

/// A partner's registration of a new client (appendix 1).
#[allow(clippy::redundant_closure)]
pub fn partner_registration(data: &[u8]) {
    let Ok(violations) = ofd::validate_partner_registration_json(data) else { return };
    assert_json(&output::violations(&violations).to_string(), "the violations' JSON");
    wire_passes::<PartnerRegistration>(data, &violations, |d| ofd::validate_partner_registration_json(d));
}

/// A signature request (§2.6), checked as the client checks it: on a
/// parsed value, at every level.
pub fn sign_request(data: &[u8]) {
    let Ok(value) = json::parse_bytes(data) else { return };
    let check = |d: &[u8], level| json::parse_bytes(d).map(|v| ofd::check_request::<SignRequest>(&v, level).1);
    let draft = levels(data, check).expect("parsed once, so parsed again");
    assert_eq!(verdict(&ofd::check_request::<SignRequest>(&value, ApplicationCheck::Draft).1), verdict(&draft));
    wire_passes::<SignRequest>(data, &draft, |d| check(d, ApplicationCheck::Draft));
}

/// Any request, told apart by its members as the CLI and `python -m
/// ofdkit` do: checking the parsed value as each kind gives the verdict of
/// that kind's own entry point on the text.
pub fn request_kind(data: &[u8]) {
    let Ok(value) = json::parse_bytes(data) else { return };
    let guessed = RequestKind::guess(&value);
    assert_eq!(guessed.name().parse::<RequestKind>(), Ok(guessed));
    let (operation, check) = (pick(Operation::ALL, data), pick(&CHECKS, data));
    for kind in RequestKind::ALL {
        let by_value = kind.check(&value, operation, check);
        let by_text = match kind {
            RequestKind::Receipt => ferma::validate_receipt_json(data, operation),
            RequestKind::Application => ofd::validate_application_json(data, check),
            RequestKind::ApplicationUpdate => ofd::validate_update_json(data, check),
            RequestKind::PartnerRegistration => ofd::validate_partner_registration_json(data),
        };
        let by_text = by_text.unwrap_or_else(|e| panic!("parsed as a value, yet malformed as text: {e}"));
        assert_eq!(verdict(&by_value), verdict(&by_text), "{kind} checked as a value and as text");
    }
}
