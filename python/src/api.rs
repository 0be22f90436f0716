//! The pure functions of `ofdkit._native`: validation, normalisation,
//! totals, VAT, and reading answers of both APIs. Each only converts:
//! every rule is the core's.

use ofdkit::codes::{Code, Operation, PaymentType, VatType};
use ofdkit::ferma;
use ofdkit::json::{Input, Value};
use ofdkit::money::Amount;
use ofdkit::ofd::{ApplicationCheck, ApplicationState};
use ofdkit::output::AnswerKind;
use ofdkit::protocol::HttpResponse;
use ofdkit::{RequestKind, Strictness};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

use crate::convert::{integer_arg, parse_text_arg, text_arg, to_value, Document};
#[cfg(not(windows))]
use crate::convert::{kind_by_member_names, Walker};
use crate::errors::{guard, violation_list, Failure};

pub fn operation(text: &str) -> Result<Operation, Failure> {
    text.parse().map_err(|e: ofdkit::codes::UnknownCode| Failure::argument(format!("operation: {e}")))
}

fn request_kind(text: &str) -> Result<RequestKind, Failure> {
    text.parse().map_err(|e: ofdkit::ParseNameError| Failure::argument(e.to_string()))
}

fn check_level(text: &str) -> Result<ApplicationCheck, Failure> {
    text.parse().map_err(|e: ofdkit::ParseNameError| Failure::argument(e.to_string()))
}

/// Runs `body` on the document as JSON text (with the size limit),
/// whether it came as an object or as text.
pub fn with_document<T>(
    document: &Bound<'_, PyAny>,
    body: impl FnOnce(Input<'_>) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let document = Document::read(document)?;
    body(document.input())
}

/// The document as JSON text, for the client calls that take bytes.
pub fn document_bytes(document: &Bound<'_, PyAny>) -> Result<Vec<u8>, Failure> {
    Ok(Document::read(document)?.into_bytes())
}

/// Every violation of `document`. `kind` is "receipt", "application",
/// "update" or "partner", or None to tell by its members.
/// With `raise_on_error`, a request with an error raises ValidationError.
/// With `strict`, every warning counts as an error.
#[pyfunction]
#[pyo3(signature = (document, kind=None, operation=None, check=None, raise_on_error=false, strict=false))]
pub fn validate<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    kind: Option<&Bound<'py, PyAny>>,
    operation: Option<&Bound<'py, PyAny>>,
    check: Option<&Bound<'py, PyAny>>,
    raise_on_error: bool,
    strict: bool,
) -> PyResult<Bound<'py, PyList>> {
    let violations = guard(py, || {
        let operation = operation.map(|o| parse_text_arg(o, "operation", self::operation)).transpose()?;
        let operation = operation.unwrap_or(Operation::Sell);
        let check = check.map(|c| parse_text_arg(c, "check", check_level)).transpose()?;
        let check = check.unwrap_or(ApplicationCheck::Draft);
        let kind = match kind {
            Some(k) if !k.is_none() => Some(parse_text_arg(k, "kind", request_kind)?),
            _ => None,
        };
        violations_of(document, kind, operation, check, raise_on_error, strict)
    })?;
    violation_list(py, &violations)
}

/// Every violation of a Ferma receipt or correction request (the body
/// POSTed to ``{group_code}/{operation}``), errors and warnings, each with
/// its path (``receipt.items[2].vat.type``) and its rule (``docs/rules.md``).
/// With ``raise_on_error`` a request with an error raises
/// ``ValidationError`` instead. Severity follows the spec: a warning is
/// something the spec leaves open or that only affects delivery to the
/// buyer; with ``strict`` every warning counts as an error.
///
/// Money may be ``Decimal``, ``int``, ``str`` or a ``float`` that is exact
/// to the kopeck (``249.9``); ``0.123`` rubles is a ``too_precise`` error.
//
// Called directly, not through a Python function: the extra frame was a
// twentieth of checking a typical receipt (python/bench).
#[pyfunction]
#[pyo3(
    signature = (receipt, operation=Operation::Sell, *, raise_on_error=false, strict=false),
    text_signature = "(receipt, operation='sell', *, raise_on_error=False, strict=False)"
)]
pub fn validate_receipt<'py>(
    py: Python<'py>,
    receipt: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = operation_arg)] operation: Operation,
    raise_on_error: bool,
    strict: bool,
) -> PyResult<Bound<'py, PyList>> {
    let violations = guard(py, || {
        let kind = Some(RequestKind::Receipt);
        violations_of(receipt, kind, operation, ApplicationCheck::Draft, raise_on_error, strict)
    })?;
    violation_list(py, &violations)
}

/// An operation given as text (a `str` or a `str` enum member): `None`
/// is none, not the default.
fn operation_arg(object: &Bound<'_, PyAny>) -> PyResult<Operation> {
    parse_text_arg(object, "operation", operation).map_err(|failure| failure.into_pyerr(object.py()))
}

/// What `validate` and `validate_receipt` return, read directly when the
/// document allows it.
fn violations_of(
    document: &Bound<'_, PyAny>,
    kind: Option<RequestKind>,
    operation: Operation,
    check: ApplicationCheck,
    raise_on_error: bool,
    strict: bool,
) -> Result<ofdkit::Violations, Failure> {
    let violations = match read_directly(document, kind, operation, check) {
        Some(violations) => violations,
        None => with_document(document, |input| {
            let kind = match kind {
                Some(kind) => kind,
                None => RequestKind::guess_json(input)?,
            };
            Ok(kind.check_json(input, operation, check)?)
        })?,
    };
    let violations = violations.with_strictness(strictness(strict));
    if raise_on_error && violations.has_errors() {
        return Err(Failure::invalid(violations));
    }
    Ok(violations)
}

/// The violations of a dict read by the core directly, without JSON text;
/// `None` when it must take the long way (text, or what the walker does
/// not read: see `convert::walk`).
#[cfg(not(windows))]
fn read_directly(
    document: &Bound<'_, PyAny>,
    kind: Option<RequestKind>,
    operation: Operation,
    check: ApplicationCheck,
) -> Option<ofdkit::Violations> {
    let kind = match kind {
        Some(kind) => kind,
        None => kind_by_member_names(document)?,
    };
    let mut walker = Walker::of(document)?;
    let violations = kind.check_source(&mut walker, operation, check);
    (!walker.stopped()).then_some(violations)
}

/// Windows reads every document as text: its `python3.dll` (the wheel's
/// floor, 3.9) cannot lend a `str`'s UTF-8.
#[cfg(windows)]
fn read_directly(
    _: &Bound<'_, PyAny>,
    _: Option<RequestKind>,
    _: Operation,
    _: ApplicationCheck,
) -> Option<ofdkit::Violations> {
    None
}

/// What `document` is taken for when no kind is given.
#[pyfunction]
pub fn guess_kind(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<&'static str> {
    guard(py, || with_document(document, |input| Ok(RequestKind::guess_json(input)?.name())))
}

/// The exact JSON Ferma expects, and the warnings; raises ValidationError
/// (with `strict`, for warnings too).
#[pyfunction]
#[pyo3(signature = (document, operation, strict=false))]
pub fn normalize_receipt<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    operation: &Bound<'py, PyAny>,
    strict: bool,
) -> PyResult<(String, Bound<'py, PyList>)> {
    let checked = guard(py, || {
        let operation = self::operation(&text_arg(operation, "operation")?)?;
        with_document(document, |input| {
            Ok(ferma::normalize_receipt_json(input, operation)?.require(strictness(strict))?)
        })
    })?;
    Ok((checked.value, violation_list(py, &checked.warnings)?))
}

/// The request with item VAT sums, `vats` and `total` filled, and with
/// `pay_rest` (a payment type) a payment of what is left unpaid, as wire JSON.
#[pyfunction]
#[pyo3(signature = (document, pay_rest=None))]
pub fn fill_totals(
    py: Python<'_>,
    document: &Bound<'_, PyAny>,
    pay_rest: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    guard(py, || {
        let pay_rest = pay_rest.filter(|p| !p.is_none()).map(payment_type).transpose()?;
        with_document(document, |input| Ok(ferma::fill_totals_json(input, pay_rest)?.to_wire_json()?))
    })
}

/// A payment type given as its number (`1`, `PaymentType.ELECTRONIC`) or its
/// number as text.
fn payment_type(object: &Bound<'_, PyAny>) -> Result<PaymentType, Failure> {
    let number = match integer_arg::<u32>(object, "pay_rest") {
        Ok(n) => n,
        Err(_) => text_arg(object, "pay_rest")?.trim().parse::<u32>().map_err(|_| {
            Failure::argument(
                "pay_rest must be a payment type: 0 cash, 1 electronic, 2 prepaid, 3 credit, 4 other, 5-9 extended",
            )
        })?,
    };
    PaymentType::from_number(number).ok_or_else(|| {
        Failure::argument(format!(
            "pay_rest {number} is not a payment type ({})",
            PaymentType::TABLE.entries.iter().map(|e| e.wire).collect::<Vec<_>>().join(", ")
        ))
    })
}

fn strictness(strict: bool) -> Strictness {
    if strict {
        Strictness::Strict
    } else {
        Strictness::Spec
    }
}

/// What an application's stage and status mean for a user, as the core's
/// JSON: `{stage, status, final, next_step, advice, advice_ru, allowed}`.
#[pyfunction]
pub fn application_state(py: Python<'_>, stage: &Bound<'_, PyAny>, status: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let state = ApplicationState::from_names(&text_arg(stage, "stage")?, &text_arg(status, "status")?)?;
        serde_json::to_string(&state.summary()).map_err(|e| Failure::argument(e.to_string()))
    })
}

/// A money amount given as Decimal, int, str or an exact float.
fn amount(object: &Bound<'_, PyAny>, name: &str) -> Result<Amount, Failure> {
    let text = match to_value(object) {
        Ok(Value::Number(n)) => n.as_str().to_owned(),
        Ok(Value::String(s)) => s.into_owned(),
        Ok(other) => {
            return Err(Failure::argument(format!("{name} must be a Decimal, int, str or float, not {}", other.kind())))
        }
        Err(failure) => return Err(failure.context(name)),
    };
    text.parse::<Amount>().map_err(|e| Failure::argument(format!("{name} {text:?}: {e}")))
}

/// The VAT included in `amount` at `vat_type`, rounded half-up to the kopeck.
#[pyfunction]
pub fn vat(py: Python<'_>, amount: &Bound<'_, PyAny>, vat_type: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let sum = self::amount(amount, "amount")?;
        let vat_type = &text_arg(vat_type, "vat_type")?;
        let rate: VatType =
            vat_type.parse().map_err(|e: ofdkit::codes::UnknownCode| Failure::argument(format!("vat_type: {e}")))?;
        Ok(ofdkit::vat::vat_of(sum, rate).to_string())
    })
}

/// The full 16-digit KKT registration number from its first 10 digits.
#[pyfunction]
pub fn kkt_registration_number(
    py: Python<'_>,
    first_ten_digits: &Bound<'_, PyAny>,
    inn: &Bound<'_, PyAny>,
    serial_number: &Bound<'_, PyAny>,
) -> PyResult<String> {
    guard(py, || {
        let first_ten_digits = text_arg(first_ten_digits, "first_ten_digits")?;
        let inn = text_arg(inn, "inn")?;
        let serial_number = text_arg(serial_number, "serial_number")?;
        ofdkit::rules::kkt_registration_number(&first_ten_digits, &inn, &serial_number)
            .map_err(|e| Failure::argument(e.to_string()))
    })
}

fn body_bytes(body: &Bound<'_, PyAny>) -> Result<Vec<u8>, Failure> {
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(s) = body.cast::<PyString>() {
        return Ok(s.to_cow().map_err(|_| Failure::argument("body is not valid Unicode"))?.into_owned().into_bytes());
    }
    Err(Failure::argument(format!(
        "body must be bytes or str, not {}",
        body.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    )))
}

/// Reads an answer of either API into the JSON the Python result types
/// are built from. `kind`: token, create, report, callback,
/// cashbox_stats, application, application_list, partner.
#[pyfunction]
#[pyo3(signature = (kind, body, http_status=None))]
pub fn parse_response(
    py: Python<'_>,
    kind: &str,
    body: &Bound<'_, PyAny>,
    http_status: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    guard(py, || {
        let http_status = http_status.map(|s| integer_arg::<u16>(s, "http_status")).transpose()?.unwrap_or(200);
        let response = HttpResponse::new(http_status, body_bytes(body)?);
        let kind: AnswerKind = kind.parse().map_err(|e: ofdkit::ParseNameError| Failure::argument(e.to_string()))?;
        Ok(kind.read(&response)?)
    })
}

/// What `python -m ofdkit validate` prints for one document: the core's
/// report, the same bytes `ofdkit validate` prints. `body` is the file's
/// bytes (read up to the limit and one byte); returns `(exit_code, stdout,
/// stderr)`.
#[pyfunction]
#[pyo3(signature = (body, source, kind=None, operation="sell", check="draft", strict=false, json=false))]
#[allow(clippy::too_many_arguments)]
pub fn validation_report(
    py: Python<'_>,
    body: &[u8],
    source: &str,
    kind: Option<&str>,
    operation: &str,
    check: &str,
    strict: bool,
    json: bool,
) -> PyResult<(u8, String, String)> {
    guard(py, || {
        let operation = self::operation(operation)?;
        let check = check_level(check)?;
        let kind = kind.map(|k| k.parse::<RequestKind>().map_err(|e| Failure::argument(e.to_string()))).transpose()?;
        let input = Input::new(body).max_bytes(crate::convert::max_input_bytes());
        let verdict = kind
            .map_or_else(|| RequestKind::guess_json(input), Ok)
            .and_then(|kind| kind.check_json(input, operation, check))
            .map(|v| v.with_strictness(strictness(strict)));
        let report = ofdkit::output::CommandReport::of(source, verdict.as_ref(), json);
        Ok((report.exit_code, report.stdout, report.stderr))
    })
}

/// Every violation of each of `documents` (dicts or JSON text), in order:
/// a list per document. A dict is checked where it lies, with the GIL held
/// (writing it out as text for another thread cost four times as much);
/// JSON text, and a document the walker does not read, is checked without
/// the GIL on `threads` threads (default: every core). A document that
/// cannot be converted or read raises, naming its index.
#[pyfunction]
#[pyo3(signature = (documents, kind=None, operation=None, check=None, strict=false, threads=None))]
#[allow(clippy::too_many_arguments)]
pub fn validate_many<'py>(
    py: Python<'py>,
    documents: &Bound<'py, PyAny>,
    kind: Option<&Bound<'py, PyAny>>,
    operation: Option<&Bound<'py, PyAny>>,
    check: Option<&Bound<'py, PyAny>>,
    strict: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    type Verdict = Option<Result<ofdkit::Violations, ofdkit::json::JsonError>>;
    let strictness = strictness(strict);
    let (read, texts, kind, operation, check, max) = guard(py, || {
        let operation = operation.map(|o| parse_text_arg(o, "operation", self::operation)).transpose()?;
        let operation = operation.unwrap_or(Operation::Sell);
        let check = check.map(|c| parse_text_arg(c, "check", check_level)).transpose()?;
        let check = check.unwrap_or(ApplicationCheck::Draft);
        let kind = match kind {
            Some(k) if !k.is_none() => Some(parse_text_arg(k, "kind", request_kind)?),
            _ => None,
        };
        // The verdicts of the dicts read directly, and the texts of the rest
        // with their places.
        let (mut read, mut texts): (Vec<Verdict>, Vec<(usize, Vec<u8>)>) = (Vec::new(), Vec::new());
        for (i, document) in
            documents.try_iter().map_err(|_| Failure::argument("documents must be iterable"))?.enumerate()
        {
            let document = document.map_err(Failure::from)?;
            if let Some(violations) = read_directly(&document, kind, operation, check) {
                read.push(Some(Ok(violations.with_strictness(strictness))));
                continue;
            }
            let text = Document::read(&document).map_err(|f| f.context(&format!("documents[{i}]")))?.into_bytes();
            read.push(None);
            texts.push((i, text));
        }
        Ok((read, texts, kind, operation, check, crate::convert::max_input_bytes()))
    })?;
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let results: Vec<Verdict> = py.detach(|| {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut out = read;
        std::thread::scope(|scope| {
            // None at all when every document was a dict read directly.
            let workers: Vec<_> = (0..threads.min(texts.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let next = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some((i, text)) = texts.get(next) else { break };
                            let input = Input::new(text).max_bytes(max);
                            let verdict = kind
                                .map_or_else(|| RequestKind::guess_json(input), Ok)
                                .and_then(|k| k.check_json(input, operation, check))
                                .map(|v| v.with_strictness(strictness));
                            done.push((*i, verdict));
                        }
                        done
                    })
                })
                .collect();
            for worker in workers {
                if let Ok(done) = worker.join() {
                    for (i, verdict) in done {
                        out[i] = Some(verdict);
                    }
                }
            }
        });
        out
    });
    let lists = PyList::empty(py);
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Some(Ok(violations)) => lists.append(violation_list(py, &violations)?)?,
            Some(Err(e)) => return Err(Failure::new(e.code(), format!("documents[{i}]: {e}")).into_pyerr(py)),
            None => {
                let message = format!("documents[{i}] was not checked: a worker thread stopped");
                return Err(Failure::new(ofdkit::ErrorCode::Internal, message).into_pyerr(py));
            }
        }
    }
    Ok(lists)
}
