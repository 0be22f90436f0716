//! The OFD.ru registration endpoints (§§2.1–2.7, appendix 1) as request
//! builders and answer parsers.
//!
//! Authentication: appendix 1 refers to another document's «Авторизация
//! через AuthToken», which OFD.ru's APIs implement as an `AuthToken` query
//! parameter; a header of that name is offered too, for deployments that
//! want it (see [`OfdAuth`]).
//!
//! Errors: the spec names the error values (§§2.1.5–2.5.2) but not where
//! they travel. The parser looks for them in a non-`Success` envelope under
//! `Error`, `Errors`, `ErrorCode`, `Code` or appendix 1's `errorValue`,
//! with the text under `Message`, `ErrorText` or `errorText`.

use crate::context::Mode;
use crate::decode::{decode_document, FromJson, Placeholder};
use crate::error::{ApiError, ApiKind, Error, ErrorCode, ProtocolError};
use crate::json::{self, Value};
use crate::ofd::{
    Application, ApplicationListResponse, ApplicationRequest, ApplicationResponse, ApplicationUpdate, OfdError,
    PartnerRegistration, PartnerResponse, SignRequest,
};

use super::http::{normalize_base_url, segment, HttpRequest, HttpResponse, Method};
use super::token::Secret;

/// How the `AuthToken` is passed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OfdAuth {
    /// `?AuthToken=…` (OFD.ru's convention).
    #[default]
    Query,
    /// An `AuthToken: …` header.
    Header,
}

/// The registration API at one base URL.
///
/// ```
/// use ofdkit::protocol::{OfdApi, OfdAuth, Secret};
/// let api = OfdApi::new("https://ofd.ru", OfdAuth::Query).unwrap();
/// let request = api.get_application(&Secret::new("t"), "5fe3c011-3137-422f-bde8-893dbd41d326").unwrap();
/// assert_eq!(request.url(), "https://ofd.ru/api/kkt/application/5fe3c011-3137-422f-bde8-893dbd41d326?AuthToken=t");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfdApi {
    base_url: String,
    /// Partner registration lives on its own host (appendix 1).
    partner_base_url: String,
    auth: OfdAuth,
}

const APPLICATIONS: &str = "/api/kkt/application";

impl OfdApi {
    /// The production service.
    pub const PRODUCTION_BASE_URL: &'static str = "https://ofd.ru";

    /// Where partners register new clients. Appendix 1 writes
    /// `POST http://ofd.me/api/partner/v2/kkt/application`: this is its
    /// host, over HTTPS, because the request carries the partner's
    /// `AuthToken` and a client's INN, OGRN and passport-grade details,
    /// which must not cross the internet in clear text. A deployment that
    /// answers only on plain HTTP can be configured.
    pub const PARTNER_BASE_URL: &'static str = "https://ofd.me";

    /// The API at `base_url`, with partner registration at
    /// [`OfdApi::PARTNER_BASE_URL`].
    pub fn new(base_url: &str, auth: OfdAuth) -> Result<Self, Error> {
        Ok(OfdApi {
            base_url: normalize_base_url(base_url)?,
            partner_base_url: Self::PARTNER_BASE_URL.to_owned(),
            auth,
        })
    }

    /// The same API with partner registration at `partner_base_url`.
    pub fn with_partner_base_url(mut self, partner_base_url: &str) -> Result<Self, Error> {
        self.partner_base_url = normalize_base_url(partner_base_url)?;
        Ok(self)
    }

    /// The base URL, normalised.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The partner registration's base URL, normalised.
    pub fn partner_base_url(&self) -> &str {
        &self.partner_base_url
    }

    fn request(&self, method: Method, path: String, token: &Secret) -> HttpRequest {
        self.request_at(&self.base_url, method, path, token)
    }

    fn request_at(&self, base_url: &str, method: Method, path: String, token: &Secret) -> HttpRequest {
        let request = HttpRequest::new(method, base_url, path);
        match self.auth {
            OfdAuth::Query => request.with_query("AuthToken", token.expose()),
            OfdAuth::Header => {
                let mut request = request;
                request.headers.push(("AuthToken".to_owned(), token.expose().to_owned()));
                request
            }
        }
    }

    fn application_path(id: &str) -> Result<String, Error> {
        Ok(format!("{APPLICATIONS}/{}", segment("application id", id, 128)?))
    }

    /// `POST api/kkt/application` (§2.1).
    pub fn create_application(&self, token: &Secret, application: &ApplicationRequest) -> HttpRequest {
        self.request(Method::Post, APPLICATIONS.to_owned(), token).with_json(json_body(application))
    }

    /// `PUT api/kkt/application/{id}` (§2.2).
    pub fn update_application(
        &self,
        token: &Secret,
        id: &str,
        update: &ApplicationUpdate,
    ) -> Result<HttpRequest, Error> {
        Ok(self.request(Method::Put, Self::application_path(id)?, token).with_json(json_body(update)))
    }

    /// `GET api/kkt/application?ofdAgreementId=…` (§2.3).
    pub fn list_applications(&self, token: &Secret, ofd_agreement_id: &str) -> HttpRequest {
        self.request(Method::Get, APPLICATIONS.to_owned(), token).with_query("ofdAgreementId", ofd_agreement_id)
    }

    /// `GET api/kkt/application/{id}` (§2.4).
    pub fn get_application(&self, token: &Secret, id: &str) -> Result<HttpRequest, Error> {
        Ok(self.request(Method::Get, Self::application_path(id)?, token))
    }

    /// `POST api/kkt/application/{id}/prepareDocuments` (§2.5), without a body.
    pub fn prepare_documents(&self, token: &Secret, id: &str) -> Result<HttpRequest, Error> {
        Ok(self.request(Method::Post, format!("{}/prepareDocuments", Self::application_path(id)?), token))
    }

    /// `POST api/kkt/application/{id}/sign` (§2.6).
    pub fn sign(&self, token: &Secret, id: &str, sign: &SignRequest) -> Result<HttpRequest, Error> {
        Ok(self
            .request(Method::Post, format!("{}/sign", Self::application_path(id)?), token)
            .with_json(json_body(sign)))
    }

    /// `GET api/kkt/application/{id}/document/{documentId}/download` (§2.7).
    pub fn download_document(&self, token: &Secret, id: &str, document_id: &str) -> Result<HttpRequest, Error> {
        let document = segment("document id", document_id, 128)?;
        Ok(self.request(Method::Get, format!("{}/document/{document}/download", Self::application_path(id)?), token))
    }

    /// `POST api/partner/v2/kkt/application` at the partner base URL (appendix 1).
    pub fn register_partner_client(&self, token: &Secret, registration: &PartnerRegistration) -> HttpRequest {
        self.request_at(&self.partner_base_url, Method::Post, "/api/partner/v2/kkt/application".to_owned(), token)
            .with_json(json_body(registration))
    }
}

fn json_body<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn first_text(value: &Value<'_>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match value.get(n)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The error value and text of a failed envelope, wherever they are.
fn find_error(body: &Value<'_>) -> Option<(String, Option<String>)> {
    const VALUE: [&str; 6] = ["Error", "ErrorCode", "Code", "errorValue", "ErrorValue", "Errors"];
    const TEXT: [&str; 5] = ["Message", "ErrorText", "errorText", "Text", "ErrorMessage"];
    for name in VALUE {
        match body.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => return Some((s.to_string(), first_text(body, &TEXT))),
            Some(object @ Value::Object(_)) => {
                if let Some(value) = first_text(object, &["Code", "Value", "Name", "Error"]) {
                    return Some((value, first_text(object, &TEXT).or_else(|| first_text(body, &TEXT))));
                }
            }
            Some(Value::Array(items)) => {
                if let Some(found) = items.iter().find_map(|item| match item {
                    Value::String(s) => Some((s.to_string(), first_text(body, &TEXT))),
                    object @ Value::Object(_) => find_error(object).or_else(|| {
                        first_text(object, &["Code", "Value", "Name"]).map(|v| (v, first_text(object, &TEXT)))
                    }),
                    _ => None,
                }) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

fn api_error(http_status: u16, value: &str, text: Option<String>, partner: bool) -> Error {
    let parsed = OfdError::parse(value, partner);
    Error::Api(ApiError {
        api: ApiKind::Ofd,
        kind: parsed.error_code(),
        http_status,
        code: None,
        name: Some(parsed.value()),
        error_id: None,
        text: text.unwrap_or_else(|| parsed.description_ru()),
    })
}

fn protocol(kind: ErrorCode, status: u16, detail: impl Into<String>, body: &[u8]) -> Error {
    Error::Protocol(ProtocolError::new(kind, status, detail, body))
}

/// Reads an application envelope of type `T` with its `Status`, turning a
/// failed one into a typed error.
fn envelope<T: FromJson + Placeholder>(response: &HttpResponse) -> Result<T, Error> {
    let status_kind = if response.status == 200 { ErrorCode::UnexpectedResponse } else { ErrorCode::HttpStatus };
    let value = match json::parse_bytes(&response.body) {
        Ok(v) => v,
        Err(e) => {
            return Err(protocol(status_kind, response.status, format!("the body is not JSON: {e}"), &response.body))
        }
    };
    let succeeded = value.get("Status").and_then(Value::as_str) == Some("Success");
    if !succeeded || response.status != 200 {
        if let Some((error, text)) = find_error(&value) {
            return Err(api_error(response.status, &error, text, false));
        }
        let status = value.get("Status").map(|s| s.to_json_string()).unwrap_or_else(|| "none".to_owned());
        let detail = format!("Status {status} without an error value (HTTP {})", response.status);
        return Err(protocol(status_kind, response.status, detail, &response.body));
    }
    let (model, cx) = decode_document::<T>(&value, Mode::Response);
    if let Some(first) = cx.violations().iter().find(|v| v.is_error() && v.path.is_empty()) {
        return Err(protocol(ErrorCode::UnexpectedResponse, response.status, first.to_string(), &response.body));
    }
    Ok(model)
}

/// Parses the answer of create, update, get, prepareDocuments and sign.
pub fn parse_application(response: &HttpResponse) -> Result<Application, Error> {
    let envelope: ApplicationResponse = envelope(response)?;
    envelope.data.ok_or_else(|| {
        protocol(ErrorCode::UnexpectedResponse, response.status, "Status Success without Data", &response.body)
    })
}

/// Parses the answer of the list request (§2.3).
pub fn parse_application_list(response: &HttpResponse) -> Result<Vec<Application>, Error> {
    let envelope: ApplicationListResponse = envelope(response)?;
    Ok(envelope.data.map(|d| d.items).unwrap_or_default())
}

/// Parses a document download (§2.7): the file's bytes, or the error the
/// server answered with instead.
pub fn parse_document(response: &HttpResponse) -> Result<Vec<u8>, Error> {
    if response.status == 200 {
        // A file that happens to be JSON is still a file, unless it is a
        // failed envelope.
        let failed = json::parse_bytes(&response.body).ok().and_then(|v| {
            let status = v.get("Status").and_then(Value::as_str)?.to_owned();
            (status != "Success").then(|| find_error(&v))
        });
        return match failed {
            Some(Some((error, text))) => Err(api_error(200, &error, text, false)),
            Some(None) => Err(protocol(
                ErrorCode::UnexpectedResponse,
                200,
                "a failed envelope instead of the document",
                &response.body,
            )),
            None => Ok(response.body.clone()),
        };
    }
    let error = json::parse_bytes(&response.body).ok().and_then(|v| find_error(&v));
    match error {
        Some((error, text)) => Err(api_error(response.status, &error, text, false)),
        None => Err(protocol(
            ErrorCode::HttpStatus,
            response.status,
            format!("HTTP status {}", response.status),
            &response.body,
        )),
    }
}

/// Parses the answer of a partner client registration (appendix 1): the
/// agreement's identifier. Appendix 1 answers every processed request with
/// HTTP 200; any other status means the request was not processed.
pub fn parse_partner_response(response: &HttpResponse) -> Result<String, Error> {
    let value = json::parse_bytes(&response.body).map_err(|e| {
        let kind = if response.status == 200 { ErrorCode::UnexpectedResponse } else { ErrorCode::HttpStatus };
        protocol(kind, response.status, format!("the body is not JSON: {e}"), &response.body)
    })?;
    let (model, _) = decode_document::<PartnerResponse>(&value, Mode::Response);
    if model.success == Some(false) {
        let error = model.error_value.clone().unwrap_or_else(|| "InternalError".to_owned());
        return Err(api_error(response.status, &error, model.error_text.clone(), true));
    }
    if response.status != 200 {
        return Err(protocol(ErrorCode::HttpStatus, response.status, "the request was not processed", &response.body));
    }
    match (model.success, model.data.and_then(|d| d.agreement)) {
        (Some(true), Some(agreement)) => Ok(agreement),
        _ => Err(protocol(ErrorCode::UnexpectedResponse, 200, "no Success with data.agreement", &response.body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::ApplicationStatus;

    fn api() -> OfdApi {
        OfdApi::new("http://127.0.0.1:8080", OfdAuth::Query).unwrap()
    }

    #[test]
    fn builds_every_request() {
        let t = Secret::new("tok");
        let a = api();
        let id = "5fe3c011-3137-422f-bde8-893dbd41d326";
        assert_eq!(
            a.list_applications(&t, "x y").url(),
            "http://127.0.0.1:8080/api/kkt/application?AuthToken=tok&ofdAgreementId=x%20y"
        );
        assert_eq!(a.prepare_documents(&t, id).unwrap().method, Method::Post);
        assert!(a.prepare_documents(&t, id).unwrap().body.is_none());
        let sign = a.sign(&t, id, &SignRequest::new("d1", "AA==")).unwrap();
        assert_eq!(sign.body.as_deref(), Some(br#"{"documentId":"d1","signature":"AA=="}"#.as_slice()));
        assert_eq!(
            a.download_document(&t, id, "d/1").unwrap().url(),
            format!("http://127.0.0.1:8080/api/kkt/application/{id}/document/d%2F1/download?AuthToken=tok")
        );
        assert!(a.get_application(&t, "").is_err());
        let header = OfdApi::new("https://ofd.ru", OfdAuth::Header).unwrap().get_application(&t, id).unwrap();
        assert_eq!(header.query, []);
        assert_eq!(header.headers, [("AuthToken".to_owned(), "tok".to_owned())]);
        assert!(!format!("{header:?}").contains("tok"));
    }

    #[test]
    fn partner_registration_has_its_own_host() {
        let t = Secret::new("tok");
        let value = json::parse_bytes(br#"{"Name":"x"}"#).unwrap();
        let registration = decode_document::<PartnerRegistration>(&value, Mode::Response).0;
        let default = OfdApi::new("https://ofd.ru", OfdAuth::Query).unwrap();
        assert!(default
            .register_partner_client(&t, &registration)
            .url()
            .starts_with("https://ofd.me/api/partner/v2/kkt/application?AuthToken="));
        let local = api().with_partner_base_url("http://127.0.0.1:9/partner/").unwrap();
        assert!(local
            .register_partner_client(&t, &registration)
            .url()
            .starts_with("http://127.0.0.1:9/partner/api/partner/v2/kkt/application"));
        assert!(api().with_partner_base_url("ofd.me").is_err());
    }

    #[test]
    fn reads_applications_and_their_errors() {
        let ok = HttpResponse::new(
            200,
            r#"{"Status":"Success","Data":{"Id":"a","Status":"New","Stage":"Initialization"},"Elapsed":"00:00:00.0475426"}"#,
        );
        let app = parse_application(&ok).unwrap();
        assert_eq!(app.status(), Some(ApplicationStatus::New));
        for (body, code, name) in [
            (r#"{"Status":"Failed","Error":"ApplicationNotFound"}"#, ErrorCode::NotFound, "ApplicationNotFound"),
            (
                r#"{"Status":"Error","Error":{"Code":"InvalidStatus","Message":"у заявки неверный статус"}}"#,
                ErrorCode::WrongState,
                "InvalidStatus",
            ),
            (
                r#"{"Status":"Failed","Errors":["Missing_KktDetails.FnNumber"]}"#,
                ErrorCode::Rejected,
                "Missing_KktDetails.FnNumber",
            ),
            (
                r#"{"Status":"Failed","errorValue":"AccessDenied","errorText":"нет доступа"}"#,
                ErrorCode::AccessDenied,
                "AccessDenied",
            ),
        ] {
            match parse_application(&HttpResponse::new(400, body)).unwrap_err() {
                Error::Api(e) => {
                    assert_eq!((e.kind, e.name.as_deref()), (code, Some(name)), "{body}");
                }
                other => panic!("{other:?}"),
            }
        }
        let err = parse_application(&HttpResponse::new(500, "<html>")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::HttpStatus);
        let err = parse_application(&HttpResponse::new(200, r#"{"Status":"Success"}"#)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnexpectedResponse);
    }

    #[test]
    fn reads_lists_documents_and_partner_answers() {
        let one = HttpResponse::new(200, r#"{"Status":"Success","Data":{"Id":"a"}}"#);
        assert_eq!(parse_application_list(&one).unwrap().len(), 1);
        let many = HttpResponse::new(200, r#"{"Status":"Success","Data":[{"Id":"a"},{"Id":"b"}]}"#);
        assert_eq!(parse_application_list(&many).unwrap().len(), 2);
        assert_eq!(parse_document(&HttpResponse::new(200, "<xml/>")).unwrap(), b"<xml/>");
        assert_eq!(
            parse_document(&HttpResponse::new(404, r#"{"Status":"Failed","Error":"ApplicationNotFound"}"#))
                .unwrap_err()
                .code(),
            ErrorCode::NotFound
        );
        let registered = HttpResponse::new(200, r#"{"data":{"agreement":"A-17"},"Success":true}"#);
        assert_eq!(parse_partner_response(&registered).unwrap(), "A-17");
        let refused =
            HttpResponse::new(200, r#"{"Success":false,"errorText":"Нет прав доступа","errorValue":"AccessDenied"}"#);
        match parse_partner_response(&refused).unwrap_err() {
            Error::Api(e) => assert_eq!((e.kind, e.text.as_str()), (ErrorCode::AccessDenied, "Нет прав доступа")),
            other => panic!("{other:?}"),
        }
    }
}
