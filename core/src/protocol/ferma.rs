//! The Ferma endpoints (§2 getToken, §3 receipts, §4 report, §7 cashbox
//! statistics) as request builders and answer parsers.

use crate::codes::{FermaErrorCode, Operation, ReceiptStatus};
use crate::context::Mode;
use crate::datetime::DateTime;
use crate::decode::{decode_document, FromJson, Placeholder};
use crate::error::{ApiError, ApiKind, Error, ErrorCode, ProtocolError};
use crate::ferma::{
    CashboxStats, CreateResponse, ErrorBody, FiscalPayload, ReceiptRequest, Report, TokenRequest, TokenResponse,
};
use crate::json;

use super::http::{normalize_base_url, segment, HttpRequest, HttpResponse, Method};
use super::token::{Secret, TokenGrant};

/// The Ferma API at one base URL.
///
/// ```
/// use ofdkit::protocol::FermaApi;
/// let api = FermaApi::new(FermaApi::TEST_BASE_URL).unwrap();
/// let request = api.token_request("fermatest2", "Go2999483Mb");
/// assert_eq!(request.url(), "https://ferma-test-at.ofd.ru/possystem/v1/getToken");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FermaApi {
    base_url: String,
}

/// Filters of the cashbox statistics (§7); all optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CashboxFilter {
    /// `deviceId`: the service identifier of the device.
    pub device_id: Option<String>,
    /// `rn`: the registration number (the spec's URL writes `rn=rnm`).
    pub registration_number: Option<String>,
    /// `zn`: the cashbox's serial number.
    pub serial_number: Option<String>,
    /// `fn`: the fiscal drive's number.
    pub fn_number: Option<String>,
}

/// A registered receipt: the uuid, or the uuids of every part Ferma split it into.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// The uuid, or the uuid of every part.
    pub uuids: Vec<String>,
    /// The answer's `timestamp`.
    pub timestamp: Option<DateTime>,
    /// The whole answer.
    pub response: CreateResponse,
}

/// Where a document stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ReceiptState {
    /// Still being processed (`wait`, or error 34 "state not found, try later").
    Pending,
    /// Fiscalised, with its requisites.
    Done(FiscalPayload),
    /// Not fiscalised: the error says why.
    Failed(ApiError),
}

/// A parsed report or callback: the state and the whole answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportOutcome {
    /// Where the document stands.
    pub state: ReceiptState,
    /// The whole answer.
    pub report: Report,
}

const PREFIX: &str = "/possystem/v1";

impl FermaApi {
    /// The production service (§2).
    pub const PRODUCTION_BASE_URL: &'static str = "https://ferma-at.ofd.ru";
    /// The test environment of §6.2.
    pub const TEST_BASE_URL: &'static str = "https://ferma-test-at.ofd.ru";

    /// The API at `base_url`.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Ok(FermaApi { base_url: normalize_base_url(base_url)? })
    }

    /// The base URL, normalised.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `POST getToken` with the credentials in a JSON body (§2).
    pub fn token_request(&self, login: &str, password: &str) -> HttpRequest {
        let body = serde_json::to_vec(&TokenRequest::new(login, password)).unwrap_or_default();
        HttpRequest::new(Method::Post, &self.base_url, format!("{PREFIX}/getToken")).with_json(body)
    }

    /// `GET getToken?login=…&pass=…` (§2).
    pub fn token_request_via_query(&self, login: &str, password: &str) -> HttpRequest {
        HttpRequest::new(Method::Get, &self.base_url, format!("{PREFIX}/getToken"))
            .with_query("login", login)
            .with_query("pass", password)
    }

    /// `POST {group_code}/{operation}?token=…` with a typed request (§3).
    pub fn receipt_request(
        &self,
        group_code: &str,
        token: &Secret,
        operation: Operation,
        request: &ReceiptRequest,
    ) -> Result<HttpRequest, Error> {
        self.receipt_request_json(group_code, token, operation, request.to_wire_json()?.into_bytes())
    }

    /// The same with a body already in wire form (from
    /// [`normalize_receipt_json`](crate::ferma::normalize_receipt_json)).
    pub fn receipt_request_json(
        &self,
        group_code: &str,
        token: &Secret,
        operation: Operation,
        wire_json: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let group = segment("group_code", group_code, 128)?;
        Ok(HttpRequest::new(Method::Post, &self.base_url, format!("{PREFIX}/{group}/{operation}"))
            .with_query("token", token.expose())
            .with_json(wire_json))
    }

    /// `GET {group_code}/report/{uuid}?token=…` (§4). The uuid is at most
    /// 128 characters (table 3.5).
    pub fn report_request(&self, group_code: &str, token: &Secret, uuid: &str) -> Result<HttpRequest, Error> {
        let group = segment("group_code", group_code, 128)?;
        let uuid = segment("uuid", uuid, 128)?;
        Ok(HttpRequest::new(Method::Get, &self.base_url, format!("{PREFIX}/{group}/report/{uuid}"))
            .with_query("token", token.expose()))
    }

    /// `GET stats/cashboxes/extended?token=…` with the filters given (§7).
    pub fn cashbox_stats_request(&self, token: &Secret, filter: &CashboxFilter) -> HttpRequest {
        let mut request = HttpRequest::new(Method::Get, &self.base_url, format!("{PREFIX}/stats/cashboxes/extended"))
            .with_query("token", token.expose());
        for (name, value) in [
            ("deviceId", &filter.device_id),
            ("rn", &filter.registration_number),
            ("zn", &filter.serial_number),
            ("fn", &filter.fn_number),
        ] {
            if let Some(value) = value {
                request = request.with_query(name, value);
            }
        }
        request
    }
}

/// Reads an answer body of type `T`, or explains why it cannot.
fn read<T: FromJson + Placeholder>(status: u16, body: &[u8]) -> Result<T, Error> {
    let value = json::parse_bytes(body).map_err(|e| {
        let kind = if status == 200 { ErrorCode::UnexpectedResponse } else { ErrorCode::HttpStatus };
        Error::Protocol(ProtocolError::new(kind, status, format!("the body is not JSON: {e}"), body))
    })?;
    let (model, cx) = decode_document::<T>(&value, Mode::Response);
    if let Some(first) = cx.violations().iter().find(|v| v.is_error() && v.path.is_empty()) {
        let kind = if status == 200 { ErrorCode::UnexpectedResponse } else { ErrorCode::HttpStatus };
        return Err(Error::Protocol(ProtocolError::new(kind, status, first.to_string(), body)));
    }
    Ok(model)
}

/// The documented answer to a second request with a known external_id
/// (table 3.2): «Идентификатор счёта(external_id) уже существует.»
fn is_duplicate_external_id(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("external_id") && (lower.contains("уже существует") || lower.contains("already exists"))
}

/// The typed error for an error body.
pub(crate) fn api_error(status: u16, body: &ErrorBody) -> ApiError {
    let text = body.text.clone().unwrap_or_default().trim().to_owned();
    let known = body.known_code();
    let kind = match known {
        _ if is_duplicate_external_id(&text) => ErrorCode::DuplicateExternalId,
        Some(FermaErrorCode::InvalidCredentials) => ErrorCode::Auth,
        Some(code) if code.is_cashbox_error() => ErrorCode::Cashbox,
        Some(FermaErrorCode::ReceiptStateNotFound) => ErrorCode::NotFound,
        _ if status == 401 || status == 403 => ErrorCode::Auth,
        _ => ErrorCode::Api,
    };
    ApiError {
        api: ApiKind::Ferma,
        kind,
        http_status: status,
        code: body.code,
        name: error_name(kind, known),
        error_id: body.error_id.clone(),
        text,
    }
}

/// The symbolic name of a Ferma error: table 5.1's where it gives one
/// (`CASHBOX_ARCHIVED`), otherwise the code table's name of the code
/// (`INVALID_CREDENTIALS` for 12), and `DUPLICATE_EXTERNAL_ID` for the
/// refusal of a known external_id, which the spec gives no number of its
/// own (its examples answer it with 2 and with 1019).
fn error_name(kind: ErrorCode, known: Option<FermaErrorCode>) -> Option<String> {
    if kind == ErrorCode::DuplicateExternalId {
        return Some(ErrorCode::DuplicateExternalId.name().to_owned());
    }
    let code = known?;
    Some(code.symbol().map_or_else(|| screaming_snake(&format!("{code:?}")), str::to_owned))
}

/// `InvalidCredentials` → `INVALID_CREDENTIALS`.
fn screaming_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// Turns an answer with an error body, or with a status other than 200,
/// into an error; returns the model otherwise.
fn answer<T: FromJson + Placeholder>(
    response: &HttpResponse,
    error_of: impl Fn(&T) -> Option<&ErrorBody>,
) -> Result<T, Error> {
    let model = read::<T>(response.status, &response.body)?;
    if let Some(error) = error_of(&model) {
        return Err(Error::Api(api_error(response.status, error)));
    }
    if response.status != 200 {
        return Err(Error::Protocol(ProtocolError::new(
            ErrorCode::HttpStatus,
            response.status,
            format!("HTTP status {} without an error in the body", response.status),
            &response.body,
        )));
    }
    Ok(model)
}

/// Parses the answer to `getToken`. The token is a JSON string (§2's
/// example): a number there is not taken for one, since its text would
/// depend on how the number is written.
pub fn parse_token_response(response: &HttpResponse) -> Result<TokenGrant, Error> {
    let model: TokenResponse = answer(response, |m: &TokenResponse| m.error.as_ref())?;
    let is_string = json::parse_bytes(&response.body)
        .ok()
        .is_some_and(|value| value.get("token").and_then(|t| t.as_str()).is_some());
    match model.token {
        Some(token) if is_string && !token.is_empty() => {
            Ok(TokenGrant { token: Secret::new(token), valid_until: model.timestamp })
        }
        Some(_) if !is_string => Err(Error::Protocol(ProtocolError::new(
            ErrorCode::UnexpectedResponse,
            response.status,
            "the answer's token is not a string",
            b"",
        ))),
        _ => Err(Error::Protocol(ProtocolError::new(
            ErrorCode::UnexpectedResponse,
            response.status,
            "the answer has no token",
            b"",
        ))),
    }
}

/// Parses the answer to a receipt request.
pub fn parse_create_response(response: &HttpResponse) -> Result<Created, Error> {
    let model: CreateResponse = answer(response, |m: &CreateResponse| m.error.as_ref())?;
    let uuids = model.uuids();
    if uuids.is_empty() {
        return Err(Error::Protocol(ProtocolError::new(
            ErrorCode::UnexpectedResponse,
            response.status,
            "the answer has neither uuid nor split_receipt_data",
            &response.body,
        )));
    }
    Ok(Created { uuids, timestamp: model.timestamp, response: model })
}

fn outcome(status: u16, report: Report) -> Result<ReportOutcome, Error> {
    let state = match (report.status(), &report.error) {
        (Some(ReceiptStatus::Done), None) => match &report.payload {
            Some(payload) => ReceiptState::Done(payload.clone()),
            None => {
                return Err(Error::Protocol(ProtocolError::new(
                    ErrorCode::UnexpectedResponse,
                    status,
                    "status done without a payload",
                    b"",
                )))
            }
        },
        // §4: error 34 "state not found, try later" comes with status wait.
        (Some(ReceiptStatus::Wait), _) => ReceiptState::Pending,
        (_, Some(error)) if error.known_code() == Some(FermaErrorCode::ReceiptStateNotFound) => ReceiptState::Pending,
        (Some(ReceiptStatus::Fail), error) | (None, error @ Some(_)) | (Some(ReceiptStatus::Done), error @ Some(_)) => {
            let body = error.clone().unwrap_or_default();
            ReceiptState::Failed(api_error(status, &body))
        }
        (None, None) => {
            let detail = match &report.status {
                Some(unknown) => format!(
                    "the report's status {} is not one the spec knows (wait, done, fail)",
                    serde_json::to_string(unknown).unwrap_or_default()
                ),
                None => "the report has no status".to_owned(),
            };
            return Err(Error::Protocol(ProtocolError::new(ErrorCode::UnexpectedResponse, status, detail, b"")));
        }
    };
    Ok(ReportOutcome { state, report })
}

/// Parses the answer to `report/{uuid}`.
pub fn parse_report(response: &HttpResponse) -> Result<ReportOutcome, Error> {
    let report = read::<Report>(response.status, &response.body)?;
    if response.status != 200 {
        return match &report.error {
            Some(error) => Err(Error::Api(api_error(response.status, error))),
            None => Err(Error::Protocol(ProtocolError::new(
                ErrorCode::HttpStatus,
                response.status,
                format!("HTTP status {}", response.status),
                &response.body,
            ))),
        };
    }
    outcome(response.status, report)
}

/// Parses the body Ferma POSTs to `callback_url` (the same as a report, §4).
pub fn parse_callback(body: &[u8]) -> Result<ReportOutcome, Error> {
    outcome(200, read::<Report>(200, body)?)
}

/// Parses the cashbox statistics (§7).
pub fn parse_cashbox_stats(response: &HttpResponse) -> Result<CashboxStats, Error> {
    let stats: CashboxStats = answer(response, |_: &CashboxStats| None)?;
    match stats.status.as_deref() {
        Some("Success") | None => Ok(stats),
        Some(other) => Err(Error::Api(ApiError {
            api: ApiKind::Ferma,
            kind: ErrorCode::Api,
            http_status: response.status,
            code: None,
            name: Some(other.to_owned()),
            error_id: None,
            text: format!("Status {other}"),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> HttpResponse {
        HttpResponse::new(200, body)
    }

    #[test]
    fn builds_every_request() {
        let api = FermaApi::new("http://127.0.0.1:9000/").unwrap();
        let token = Secret::new("abc");
        let r = api.token_request("fermatest1", "Hjsf3321klsadFAA");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.body.as_deref(), Some(br#"{"login":"fermatest1","pass":"Hjsf3321klsadFAA"}"#.as_slice()));
        let r = api.token_request_via_query("l", "p&q");
        assert_eq!(r.url(), "http://127.0.0.1:9000/possystem/v1/getToken?login=l&pass=p%26q");
        let r = api.report_request("1", &token, "0099caf8-2c9c-4888-a289-b8ac879cdd91").unwrap();
        assert_eq!(
            r.url(),
            "http://127.0.0.1:9000/possystem/v1/1/report/0099caf8-2c9c-4888-a289-b8ac879cdd91?token=abc"
        );
        assert!(api.report_request("1", &token, "").is_err());
        let r = api.cashbox_stats_request(
            &token,
            &CashboxFilter { registration_number: Some("0004939230052000".into()), ..Default::default() },
        );
        assert_eq!(
            r.url(),
            "http://127.0.0.1:9000/possystem/v1/stats/cashboxes/extended?token=abc&rn=0004939230052000"
        );
        let r = api.receipt_request_json("1", &token, Operation::SellRefund, b"{}".to_vec()).unwrap();
        assert_eq!(r.url(), "http://127.0.0.1:9000/possystem/v1/1/sell_refund?token=abc");
    }

    #[test]
    fn reads_tokens_and_their_errors() {
        let grant =
            parse_token_response(&ok(r#"{"error":null,"token":"fj45","timestamp":"30.11.2017 17:58:53"}"#)).unwrap();
        assert_eq!(grant.token.expose(), "fj45");
        assert_eq!(grant.valid_until.unwrap().to_string(), "30.11.2017 17:58:53");
        let err = parse_token_response(&ok(
            r#"{"error":{"error_id":"x","code":12,"text":"Неверный логин или пароль","type":"system"}}"#,
        ))
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Auth);
        match err {
            Error::Api(e) => assert_eq!(e.name.as_deref(), Some("INVALID_CREDENTIALS")),
            other => panic!("{other:?}"),
        }
        // A number is not a token: its text would depend on how it is written.
        for body in [r#"{"token":12345,"timestamp":"30.11.2017 17:58:53"}"#, r#"{"token":1e5}"#, r#"{"token":""}"#] {
            assert_eq!(parse_token_response(&ok(body)).unwrap_err().code(), ErrorCode::UnexpectedResponse, "{body}");
        }
    }

    #[test]
    fn recognises_a_duplicate_external_id() {
        let body = r#"{"status":"fail","error":{"code":1019,"text":"Идентификатор счёта(external_id) уже существует.","type":"system"}}"#;
        let err = parse_create_response(&HttpResponse::new(400, body)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::DuplicateExternalId);
        let body = r#"{"status":"fail","error":{"code":2,"text":"Идентификатор счёта(external_id) уже существует."}}"#;
        match parse_create_response(&HttpResponse::new(400, body)).unwrap_err() {
            Error::Api(e) => assert_eq!(e.name.as_deref(), Some("DUPLICATE_EXTERNAL_ID")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_cashbox_errors_and_garbage() {
        let body = r#"{"status":"fail","error":{"code":1073,"text":"CASHBOX_ARCHIVED","type":"system"}}"#;
        match parse_create_response(&ok(body)).unwrap_err() {
            Error::Api(e) => {
                assert_eq!(e.kind, ErrorCode::Cashbox);
                assert_eq!(e.name.as_deref(), Some("CASHBOX_ARCHIVED"));
            }
            other => panic!("{other:?}"),
        }
        match parse_create_response(&HttpResponse::new(502, "<html>Bad gateway</html>")).unwrap_err() {
            Error::Protocol(p) => {
                assert_eq!(p.kind, ErrorCode::HttpStatus);
                assert_eq!(p.body_start, "<html>Bad gateway</html>");
            }
            other => panic!("{other:?}"),
        }
        let err = parse_create_response(&ok("[1,2]")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnexpectedResponse);
        let err = parse_create_response(&ok(r#"{"status":"wait"}"#)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnexpectedResponse);
    }

    #[test]
    fn reads_reports_in_every_state() {
        let done = parse_report(&ok(r#"{"status":"done","payload":{"total":1598,"shift_number":23}}"#)).unwrap();
        assert!(matches!(done.state, ReceiptState::Done(ref p) if p.shift_number == Some(23)));
        let wait =
            parse_report(&ok(r#"{"status":"wait","error":{"code":34,"text":"Состояние чека не найдено"}}"#)).unwrap();
        assert_eq!(wait.state, ReceiptState::Pending);
        let failed = parse_callback(br#"{"status":"fail","error":{"code":1080,"text":"no cashbox"}}"#).unwrap();
        assert!(matches!(failed.state, ReceiptState::Failed(ref e) if e.kind == ErrorCode::Cashbox));
        assert!(parse_report(&ok(r#"{"status":"done"}"#)).is_err());
        match parse_report(&ok(r#"{"status":"processing"}"#)).unwrap_err() {
            Error::Protocol(p) => assert!(p.detail.contains("\"processing\""), "{}", p.detail),
            other => panic!("{other:?}"),
        }
    }
}
