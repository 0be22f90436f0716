//! What a failed call tells 1C: an exception whose text is Russian, and
//! `ПоследняяОшибка` / `LastError`: the core's form of the error (the code
//! from ofdkit's one table, the violations or the API's error) with the
//! Russian message added. Every error is the core's or the client's,
//! converted; the only text written here is the Russian name of each code
//! of the table (which the core has in English only), of a few of the
//! core's small error enums, and of the add-in's own argument checks.

use ofdkit::json::JsonError;
use ofdkit::{ApiError, ErrorCode, Violations};
use ofdkit_client::TransportError;

use super::catalog::{METHODS, PROPERTIES};
use crate::native::{Failure, Problem, ReadError, WriteError};

/// The machine-readable part of an error: what `LastError` carries besides
/// the messages.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    /// The add-in's own (an argument), or a panic.
    None,
    /// The core's error, which `ofdkit::output::error` writes.
    Core(ofdkit::Error),
    Transport {
        may_have_arrived: bool,
        attempts: u32,
    },
    OutcomeUnknown {
        external_id: Option<String>,
        sends: u32,
        cause: String,
    },
}

/// An error as 1C gets it.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: String,
    pub message_ru: String,
    /// Boxed: errors travel in every `Result` of the add-in.
    pub detail: Box<Detail>,
}

/// The Russian name of each code of ofdkit's table; a code added to the
/// table without one here falls back to its English description, and the
/// test below fails.
pub fn code_ru(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidJson => "некорректный JSON",
        ErrorCode::InvalidRequest => "запрос нарушает правила API",
        ErrorCode::InvalidArgument => "недопустимый аргумент",
        ErrorCode::InvalidState => "действие недопустимо на этом шаге",
        ErrorCode::InputTooLarge => "входные данные больше допустимого размера",
        ErrorCode::UnexpectedResponse => "ответ сервера не соответствует спецификации",
        ErrorCode::HttpStatus => "неожиданный HTTP-статус ответа сервера",
        ErrorCode::Connect => "не удалось подключиться к серверу; ничего не отправлено",
        ErrorCode::Timeout => "сервер не ответил вовремя",
        ErrorCode::Tls => "ошибка TLS; ничего не отправлено",
        ErrorCode::OutcomeUnknown => "запрос отправлен, его результат неизвестен",
        ErrorCode::Io => "соединение оборвалось",
        ErrorCode::Api => "сервер вернул ошибку",
        ErrorCode::Auth => "логин, пароль или токен не приняты",
        ErrorCode::DuplicateExternalId => "чек с таким external_id уже отправлялся",
        ErrorCode::Cashbox => "касса не может фискализировать чек сейчас",
        ErrorCode::NotFound => "не найдено",
        ErrorCode::AccessDenied => "доступ запрещён",
        ErrorCode::Rejected => "сервер отклонил данные запроса",
        ErrorCode::WrongState => "действие недопустимо в текущем состоянии заявления",
        ErrorCode::Internal => "внутренняя ошибка ofdkit",
        ErrorCode::Panic => "внутренняя ошибка ofdkit (перехвачена паника)",
        other => other.description(),
    }
}

/// "Имя (English)" for a parameter or property in messages.
pub fn both(ru: &str, en: &str) -> String {
    format!("«{ru}» ({en})")
}

impl ErrorReport {
    /// An argument the add-in cannot use, said in both languages.
    pub fn argument(message: impl Into<String>, message_ru: impl Into<String>) -> Self {
        ErrorReport {
            code: ErrorCode::InvalidArgument,
            message: message.into(),
            message_ru: format!("{}: {}", code_ru(ErrorCode::InvalidArgument), message_ru.into()),
            detail: Box::new(Detail::None),
        }
    }

    /// A panic caught at the boundary.
    pub fn panic(message: &str) -> Self {
        ErrorReport {
            code: ErrorCode::Panic,
            message: format!("internal error (a bug in ofdkit): {message}"),
            message_ru: format!("{}: {message}", code_ru(ErrorCode::Panic)),
            detail: Box::new(Detail::None),
        }
    }

    pub fn from_core(error: ofdkit::Error) -> Self {
        let code = error.code();
        let message_ru = match &error {
            ofdkit::Error::Json(e) => json_ru(e),
            ofdkit::Error::Invalid(violations) => invalid_ru(violations),
            ofdkit::Error::Protocol(p) => format!("{} (HTTP {}): {}", code_ru(code), p.http_status, p.detail),
            ofdkit::Error::Api(api) => api_ru(api),
            // An argument or a state the core refused: its own words.
            other => format!("{}: {other}", code_ru(code)),
        };
        ErrorReport { code, message: error.to_string(), message_ru, detail: Box::new(Detail::Core(error)) }
    }

    pub fn from_client(error: ofdkit_client::Error) -> Self {
        let code = error.code();
        let message = error.to_string();
        match error {
            ofdkit_client::Error::Core(core) => Self::from_core(core),
            ofdkit_client::Error::Transport(t) => Self::transport(t),
            ofdkit_client::Error::OutcomeUnknown { request, external_id, sends, cause, .. } => {
                let times = if sends == 1 { "один раз".to_owned() } else { format!("{sends} раз(а)") };
                let message_ru = match &external_id {
                    Some(id) => format!(
                        "{}: чек «{id}» мог быть зарегистрирован ({cause}). Он отправлен {times}, всегда с этим \
                         external_id, а Ferma регистрирует его не больше одного раза: не отправляйте продажу с \
                         другим external_id — выясните, что с ней, методом ВосстановитьЧек (или снова \
                         ФискализироватьЧек) с тем же",
                        code_ru(code)
                    ),
                    None => format!("{}: запрос «{request}» отправлен {times} ({cause})", code_ru(code)),
                };
                let cause = cause.to_string();
                ErrorReport {
                    code,
                    message,
                    message_ru,
                    detail: Box::new(Detail::OutcomeUnknown { external_id, sends, cause }),
                }
            }
            // A kind of failure this add-in does not know yet: its code and
            // English text, with the code's Russian name.
            _ => ErrorReport {
                code,
                message_ru: format!("{}: {message}", code_ru(code)),
                message,
                detail: Box::new(Detail::None),
            },
        }
    }

    fn transport(t: TransportError) -> Self {
        let code = t.code();
        // Connect and TLS failures say so in their name already.
        let said = matches!(code, ErrorCode::Connect | ErrorCode::Tls);
        let nothing_sent =
            if t.may_have_arrived || said { "" } else { "; запрос не дошёл до сервера" };
        ErrorReport {
            code,
            message: t.to_string(),
            message_ru: format!("{}: {}{nothing_sent}", code_ru(code), t.detail),
            detail: Box::new(Detail::Transport { may_have_arrived: t.may_have_arrived, attempts: t.attempts }),
        }
    }

    /// What the platform shows: the Russian message, with the code in the
    /// exception's `HRESULT`.
    pub fn failure(&self) -> Failure {
        Failure { code: u16::try_from(self.code.number()).unwrap_or(u16::MAX), description: self.message_ru.clone() }
    }
}

fn read_error(error: ReadError) -> (String, String) {
    match error {
        ReadError::Unsupported(kind) => (
            format!("a value of variant type {kind} is not accepted: pass a string, a number or a boolean"),
            format!("значение этого типа (тип варианта {kind}) не принимается: передайте строку, число или булево"),
        ),
        ReadError::BadUtf16 => {
            ("the string is not valid UTF-16".to_owned(), "строка не является корректной UTF-16".to_owned())
        }
        ReadError::BadUtf8 => {
            ("the string is not valid UTF-8".to_owned(), "строка не является корректной UTF-8".to_owned())
        }
        ReadError::NullData => {
            ("the platform passed a length but no data".to_owned(), "платформа передала длину без данных".to_owned())
        }
    }
}

impl ErrorReport {
    /// A failure the Native API layer found, said as 1C should hear it.
    pub fn from_problem(problem: Problem) -> Self {
        match problem {
            Problem::Argument { method, param, error } => {
                let (method, param) = (&METHODS[method].name, &METHODS[method].params[param].name);
                let (en, ru) = read_error(error);
                Self::argument(
                    format!("parameter {} of {}: {en}", param.en, method.en),
                    format!("параметр {} метода «{}»: {ru}", both(param.ru, param.en), method.ru),
                )
            }
            Problem::PropertyValue { property, error } => {
                let property = &PROPERTIES[property].name;
                let (en, ru) = read_error(error);
                Self::argument(
                    format!("property {}: {en}", property.en),
                    format!("свойство {}: {ru}", both(property.ru, property.en)),
                )
            }
            Problem::TooManyArguments { method, given } => {
                let method = &METHODS[method];
                let most = method.params.len();
                Self::argument(
                    format!("{} takes at most {most} parameters, not {given}", method.name.en),
                    format!("метод «{}» принимает не больше {most} параметров, передано {given}", method.name.ru),
                )
            }
            Problem::Result(error) => {
                let (en, ru) = match error {
                    WriteError::NoMemory => (
                        "the platform's memory manager gave no memory for the result",
                        "менеджер памяти платформы не выделил память для результата",
                    ),
                    WriteError::TooLong => {
                        ("the result is longer than 1C can take", "результат длиннее, чем может принять 1С")
                    }
                };
                ErrorReport {
                    code: ErrorCode::Internal,
                    message: en.to_owned(),
                    message_ru: format!("{}: {ru}", code_ru(ErrorCode::Internal)),
                    detail: Box::new(Detail::None),
                }
            }
            Problem::NoSuchMember(number) => Self::argument(
                format!("the component has no method or property number {number}"),
                format!("у компоненты нет метода или свойства с номером {number}"),
            ),
            Problem::Panic(message) => Self::panic(&message),
        }
    }
}

fn json_ru(e: &JsonError) -> String {
    format!("{}: строка {}, столбец {} ({})", code_ru(ErrorCode::InvalidJson), e.line, e.column, e.message)
}

/// The first error in Russian with its path, and how many more there are.
fn invalid_ru(violations: &Violations) -> String {
    let mut errors = violations.errors();
    let Some(first) = errors.next() else { return code_ru(ErrorCode::InvalidRequest).to_owned() };
    let path = if first.path.is_empty() { "(корень)" } else { first.path.as_str() };
    let more = errors.count();
    let tail = if more > 0 {
        format!(" (и ещё ошибок: {more}; все — в ПоследняяОшибка)")
    } else {
        String::new()
    };
    format!("{}: {path}: {}{tail}", code_ru(ErrorCode::InvalidRequest), first.message_ru)
}

fn api_ru(api: &ApiError) -> String {
    let mut text = format!("{}: {}", code_ru(api.kind), api.text);
    match (api.code, &api.name) {
        (Some(code), _) => text.push_str(&format!(" (код {code})")),
        (None, Some(name)) => text.push_str(&format!(" ({name})")),
        (None, None) => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use ofdkit::codes::Operation;

    #[test]
    fn an_invalid_receipt_names_its_first_error_in_russian() {
        let violations =
            ofdkit::ferma::validate_receipt_json(br#"{"external_id": "1", "receipt": {}}"#, Operation::Sell).unwrap();
        let report = ErrorReport::from_core(ofdkit::Error::Invalid(violations.clone()));
        assert_eq!(report.code, ErrorCode::InvalidRequest);
        assert!(report.message_ru.starts_with("запрос нарушает правила API: receipt."), "{}", report.message_ru);
        assert!(report.message_ru.contains("и ещё ошибок"), "{}", report.message_ru);
        assert_eq!(*report.detail, Detail::Core(ofdkit::Error::Invalid(violations)));
        assert_eq!(report.failure().code, 1002);
    }

    #[test]
    fn every_code_of_the_table_has_a_russian_name() {
        for &code in ErrorCode::ALL {
            assert_ne!(code_ru(code), code.description(), "{code}");
        }
    }

    #[test]
    fn malformed_json_says_where() {
        let error = ofdkit::json::parse("{\n  \"a\": }").unwrap_err();
        let report = ErrorReport::from_core(error.into());
        assert!(report.message_ru.contains("строка 2, столбец 8"), "{}", report.message_ru);
    }
}
