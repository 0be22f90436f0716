//! The body of every method and property: arguments converted from 1C's
//! values, the core or the client called, the answer converted back.
//! Nothing here decides anything about receipts or applications.

use std::time::Duration;

use ofdkit::codes::{self, Code, Operation, VatType};
use ofdkit::ferma::{self, ReceiptRequest};
use ofdkit::json::{self, Number};
use ofdkit::money::Amount;
use ofdkit::ofd::{self, ApplicationCheck};
use ofdkit::{vat, ParseNameError, Strictness, Violations};

use super::catalog::{MethodId, PropertyId, PROPERTIES};
use super::errors::{both, ErrorReport};
use super::output;
use super::Ofdkit;
use crate::native::{Method, Value};

/// Longest wait or timeout a caller may ask for: a day. Longer is a
/// mistake (milliseconds given as seconds), not a plan.
const MAX_SECONDS: f64 = 86_400.0;

/// The arguments of one call, with their method for messages.
pub struct Args<'a> {
    pub method: &'static Method,
    pub values: &'a [Value],
}

impl Args<'_> {
    fn name(&self, i: usize) -> (String, String) {
        let param = &self.method.params[i].name;
        (
            format!("parameter {} of {}", param.en, self.method.name.en),
            format!("параметр {} метода «{}»", both(param.ru, param.en), self.method.name.ru),
        )
    }

    fn text(&self, i: usize) -> Result<&str, ErrorReport> {
        let (en, ru) = self.name(i);
        match &self.values[i] {
            Value::Str(s) => Ok(s),
            Value::Empty => Err(ErrorReport::argument(format!("{en} is required"), format!("{ru} обязателен"))),
            _ => Err(ErrorReport::argument(format!("{en} must be a string"), format!("{ru} должен быть строкой"))),
        }
    }

    fn seconds(&self, i: usize) -> Result<Duration, ErrorReport> {
        let (en, ru) = self.name(i);
        seconds(&self.values[i], &en, &ru)
    }

    fn operation(&self, i: usize) -> Result<Operation, ErrorReport> {
        let text = self.text(i)?;
        text.parse().map_err(|_| {
            let (en, ru) = self.name(i);
            let all = Operation::ALL.iter().map(|o| o.wire()).collect::<Vec<_>>().join(", ");
            ErrorReport::argument(
                format!("{en}: {text:?} is not one of {all}"),
                format!("{ru}: «{text}» — не операция; операции: {all}"),
            )
        })
    }

    fn check(&self, i: usize) -> Result<ApplicationCheck, ErrorReport> {
        let text = self.text(i)?;
        text.parse().map_err(|e: ParseNameError| {
            let (en, ru) = self.name(i);
            ErrorReport::argument(format!("{en}: {e}"), format!("{ru}: «{text}»; допустимо: {}", e.allowed.join(", ")))
        })
    }

    fn vat_type(&self, i: usize) -> Result<VatType, ErrorReport> {
        let text = self.text(i)?;
        text.parse().map_err(|_| {
            let (en, ru) = self.name(i);
            let all = VatType::ALL.iter().map(|v| v.wire()).collect::<Vec<_>>().join(", ");
            ErrorReport::argument(
                format!("{en}: {text:?} is not one of {all}"),
                format!("{ru}: «{text}» — не ставка НДС; ставки: {all}"),
            )
        })
    }

    /// A sum of money from a 1C `Число` (which arrives as an integer or a
    /// double: the double's shortest decimal is taken, as every binding
    /// does) or from a string.
    fn amount(&self, i: usize) -> Result<Amount, ErrorReport> {
        let (en, ru) = self.name(i);
        let text = match &self.values[i] {
            Value::Int(n) => n.to_string(),
            Value::Double(d) => Number::from_f64(*d).map(|n| n.as_str().to_owned()).unwrap_or_default(),
            Value::Str(s) => s.clone(),
            Value::Empty => return Err(ErrorReport::argument(format!("{en} is required"), format!("{ru} обязателен"))),
            _ => {
                return Err(ErrorReport::argument(
                    format!("{en} must be a number or a string"),
                    format!("{ru} должен быть числом или строкой"),
                ))
            }
        };
        text.parse().map_err(|e: ofdkit::money::MoneyError| {
            ErrorReport::argument(format!("{en}: {e}"), format!("{ru}: {}", e.message_ru()))
        })
    }
}

/// A positive number of seconds, at most [`MAX_SECONDS`].
// 1C's numbers are doubles; a count of seconds is far below 2^53.
#[allow(clippy::cast_precision_loss)]
fn seconds(value: &Value, en: &str, ru: &str) -> Result<Duration, ErrorReport> {
    let given = match value {
        Value::Int(n) => *n as f64,
        Value::Double(d) => *d,
        _ => f64::NAN,
    };
    if given.is_finite() && given > 0.0 && given <= MAX_SECONDS {
        Ok(Duration::from_secs_f64(given))
    } else {
        Err(ErrorReport::argument(
            format!("{en} must be a number of seconds above 0 and at most {MAX_SECONDS}"),
            format!("{ru} должен быть числом секунд больше 0 и не больше {MAX_SECONDS}"),
        ))
    }
}

fn parse(text: &str) -> Result<json::Value<'_>, ErrorReport> {
    json::parse(text).map_err(|e| ErrorReport::from_core(e.into()))
}

/// Keeps a check's violations for `Нарушения`, warnings as errors when
/// `Строгость` is `strict`, and answers whether none is an error.
fn verdict(addin: &mut Ofdkit, violations: Violations) -> Value {
    let violations = violations.with_strictness(addin.strictness);
    let valid = !violations.has_errors();
    addin.violations = violations;
    Value::Bool(valid)
}

/// The receipt normalised as the core checks it, with `Строгость` applied;
/// an invalid one is an error whose violations also go to `Нарушения`.
fn normalized(addin: &mut Ofdkit, receipt: &str, operation: Operation) -> Result<String, ErrorReport> {
    match ferma::normalize_receipt_json(receipt.as_bytes(), operation).and_then(|c| c.require(addin.strictness)) {
        Ok(checked) => {
            addin.violations = checked.warnings;
            Ok(checked.value)
        }
        Err(error) => {
            if let ofdkit::Error::Invalid(violations) = &error {
                addin.violations = violations.clone();
            }
            Err(ErrorReport::from_core(error))
        }
    }
}

/// In strict mode a receipt with a warning is not sent: the client checks
/// by the spec, so the strict check comes first.
fn strict_check(addin: &mut Ofdkit, receipt: &str, operation: Operation) -> Result<(), ErrorReport> {
    if addin.strictness == Strictness::Strict {
        normalized(addin, receipt, operation)?;
    }
    Ok(())
}

pub fn call(addin: &mut Ofdkit, id: MethodId, args: &Args<'_>) -> Result<Value, ErrorReport> {
    use MethodId as M;
    let text = |answer: Result<String, ErrorReport>| answer.map(Value::Str);
    match id {
        M::ValidateReceipt => {
            let operation = args.operation(1)?;
            let value = parse(args.text(0)?)?;
            Ok(verdict(addin, ferma::check_receipt_value(&value, operation).1))
        }
        M::NormalizeReceipt => normalized(addin, args.text(0)?, args.operation(1)?).map(Value::Str),
        M::FillTotals => {
            let mut request = ReceiptRequest::from_json_str(args.text(0)?).map_err(ErrorReport::from_core)?;
            request.receipt.fill_totals().map_err(ErrorReport::from_core)?;
            Ok(Value::Str(request.to_wire_json().map_err(ErrorReport::from_core)?))
        }
        M::VatOfSum => Ok(Value::Str(vat::vat_of(args.amount(0)?, args.vat_type(1)?).to_string())),
        M::CodeTable => match args.text(0)? {
            "" => Ok(Value::Str(output::code_table_names())),
            name => codes::table(name).map(|t| Value::Str(output::code_table(t))).ok_or_else(|| {
                let all = codes::tables().iter().map(|t| t.name).collect::<Vec<_>>().join(", ");
                ErrorReport::argument(
                    format!("no code table {name:?}; the tables are {all}"),
                    format!("таблицы кодов «{name}» нет; таблицы: {all}"),
                )
            }),
        },
        M::KktRegistrationNumber => ofdkit::rules::kkt_registration_number(args.text(0)?, args.text(1)?, args.text(2)?)
            .map(Value::Str)
            .map_err(|e| ErrorReport::argument(e.to_string(), e.message_ru().to_owned())),
        M::ValidateApplication => {
            let check = args.check(1)?;
            let value = parse(args.text(0)?)?;
            Ok(verdict(addin, ofd::check_application_value(&value, check).1))
        }
        M::ValidateApplicationUpdate => {
            let check = args.check(1)?;
            let value = parse(args.text(0)?)?;
            Ok(verdict(addin, ofd::check_update_value(&value, check).1))
        }
        M::ValidatePartnerRegistration => {
            let value = parse(args.text(0)?)?;
            Ok(verdict(addin, ofd::check_partner_registration_value(&value).1))
        }
        M::SendReceipt | M::FiscalizeReceipt | M::RecoverReceipt => {
            let (receipt, operation) = (args.text(0)?, args.operation(1)?);
            strict_check(addin, receipt, operation)?;
            let (settings, clients) = (&addin.settings, &mut addin.clients);
            text(match id {
                M::SendReceipt => clients.send(settings, operation, receipt),
                M::FiscalizeReceipt => clients.fiscalize(settings, operation, receipt, args.seconds(2)?),
                _ => clients.recover(settings, operation, receipt),
            })
        }
        _ => registration_and_status(addin, id, args),
    }
}

/// The calls that only pass their arguments to the client.
fn registration_and_status(addin: &mut Ofdkit, id: MethodId, args: &Args<'_>) -> Result<Value, ErrorReport> {
    use MethodId as M;
    let text = |answer: Result<String, ErrorReport>| answer.map(Value::Str);
    let (settings, clients) = (&addin.settings, &mut addin.clients);
    match id {
        M::ReceiptStatus => text(clients.report(settings, args.text(0)?)),
        M::WaitForReceipt => text(clients.wait(settings, args.text(0)?, args.seconds(1)?)),
        M::CreateApplication => text(clients.create_application(settings, args.text(0)?)),
        M::UpdateApplication => text(clients.update_application(settings, args.text(0)?, args.text(1)?)),
        M::ListApplications => text(clients.list_applications(settings, args.text(0)?)),
        M::GetApplication => text(clients.get_application(settings, args.text(0)?)),
        M::PrepareDocuments => text(clients.prepare_documents(settings, args.text(0)?)),
        M::SignDocument => text(clients.sign(settings, args.text(0)?, args.text(1)?, args.text(2)?)),
        M::DownloadDocument => clients.download(settings, args.text(0)?, args.text(1)?).map(Value::Blob),
        M::RegisterPartnerClient => text(clients.register_partner_client(settings, args.text(0)?)),
        other => unreachable!("{other:?} is dispatched by call"),
    }
}

pub fn get(addin: &Ofdkit, id: PropertyId) -> Value {
    use PropertyId as P;
    let s = &addin.settings;
    match id {
        P::BaseUrl => Value::Str(s.base_url.clone()),
        P::Login => Value::Str(s.login.clone()),
        P::GroupCode => Value::Str(s.group_code.clone()),
        P::ConnectTimeout => Value::Double(s.timeouts.connect.as_secs_f64()),
        P::RequestTimeout => Value::Double(s.timeouts.request.as_secs_f64()),
        P::CallTimeout => Value::Double(s.timeouts.call.as_secs_f64()),
        P::Proxy => Value::Str(s.proxy.clone()),
        P::RegistrationBaseUrl => Value::Str(s.registration_base_url.clone()),
        P::PartnerBaseUrl => Value::Str(s.partner_base_url.clone()),
        P::Violations => Value::Str(output::violations(&addin.violations)),
        P::LastError => Value::Str(addin.last_error.as_ref().map(output::last_error).unwrap_or_default()),
        P::ErrorCode => Value::Int(addin.last_error.as_ref().map_or(0, |e| e.code.number().into())),
        P::Version => Value::Str(env!("CARGO_PKG_VERSION").to_owned()),
        P::Strictness => Value::Str(addin.strictness.as_str().to_owned()),
        // Write-only: the platform asks IsPropReadable first.
        P::Password | P::RegistrationToken => Value::Empty,
    }
}

pub fn set(addin: &mut Ofdkit, id: PropertyId, value: Value) -> Result<(), ErrorReport> {
    use PropertyId as P;
    let property = &PROPERTIES[id as usize].name;
    let (en, ru) = (format!("property {}", property.en), format!("свойство {}", both(property.ru, property.en)));
    let text = |value: Value| match value {
        Value::Str(s) => Ok(s),
        _ => Err(ErrorReport::argument(format!("{en} must be a string"), format!("{ru} должно быть строкой"))),
    };
    let s = &mut addin.settings;
    match id {
        P::Strictness => {
            // Not a client setting: the clients stay.
            let given = text(value)?;
            addin.strictness = given.parse().map_err(|e: ParseNameError| {
                let allowed = e.allowed.join(", ");
                ErrorReport::argument(format!("{en}: {e}"), format!("{ru}: «{given}»; допустимо: {allowed}"))
            })?;
            return Ok(());
        }
        P::BaseUrl => s.base_url = text(value)?,
        P::Login => s.login = text(value)?,
        P::Password => s.password = text(value)?,
        P::GroupCode => s.group_code = text(value)?,
        P::ConnectTimeout => s.with_timeouts(Some(seconds(&value, &en, &ru)?), None, None),
        P::RequestTimeout => s.with_timeouts(None, Some(seconds(&value, &en, &ru)?), None),
        P::CallTimeout => s.with_timeouts(None, None, Some(seconds(&value, &en, &ru)?)),
        P::Proxy => s.proxy = text(value)?,
        P::RegistrationBaseUrl => s.registration_base_url = text(value)?,
        P::PartnerBaseUrl => s.partner_base_url = text(value)?,
        P::RegistrationToken => s.registration_token = text(value)?,
        P::Violations | P::LastError | P::ErrorCode | P::Version => {
            return Err(ErrorReport::argument(format!("{en} is read-only"), format!("{ru} только для чтения")))
        }
    }
    addin.clients.reset();
    Ok(())
}
