//! What an answer to a request that changes something (a receipt, an
//! application) says happened. Only an answer that can be read says it:
//! the server did it, or refused it. Anything else that comes back after
//! the request went out (a 5xx from the server or a gateway, a body that is
//! not the API's JSON) leaves the outcome unknown: it is never taken for a
//! refusal, which would invite sending the request again.

use crate::error::{ApiError, Error, ErrorCode, ProtocolError};

use super::http::HttpResponse;

/// The verdict of an answer to a request that changes something.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Verdict<T> {
    /// The server did it: its answer.
    Done(T),
    /// The server refused it: nothing changed.
    Refused(ApiError),
    /// The answer does not say: it may or may not have been done.
    Unclear(ProtocolError),
}

/// Reads the answer to a request that changes something with `parse`.
///
/// ```
/// use ofdkit::protocol::{parse_create_response, verdict, HttpResponse, Verdict};
/// let gateway = HttpResponse::new(502, "<html>Bad Gateway</html>");
/// assert!(matches!(verdict(&gateway, parse_create_response), Verdict::Unclear(_)));
/// let refused = HttpResponse::new(400, r#"{"status":"fail","error":{"code":1073,"text":"Касса заархивирована"}}"#);
/// assert!(matches!(verdict(&refused, parse_create_response), Verdict::Refused(_)));
/// ```
pub fn verdict<T>(response: &HttpResponse, parse: impl FnOnce(&HttpResponse) -> Result<T, Error>) -> Verdict<T> {
    // A 5xx is the server (or a gateway in front of it) failing, possibly
    // after the work was done; even an error body in it is not a refusal.
    if response.status >= 500 {
        return Verdict::Unclear(ProtocolError::new(
            ErrorCode::HttpStatus,
            response.status,
            format!("HTTP status {}: the server failed after the request arrived", response.status),
            &response.body,
        ));
    }
    match parse(response) {
        Ok(value) => Verdict::Done(value),
        Err(Error::Api(refusal)) => Verdict::Refused(refusal),
        Err(Error::Protocol(unclear)) => Verdict::Unclear(unclear),
        Err(other) => Verdict::Unclear(ProtocolError::new(
            ErrorCode::UnexpectedResponse,
            response.status,
            other.to_string(),
            &response.body,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{parse_application, parse_create_response};

    #[test]
    fn only_a_readable_answer_is_a_verdict() {
        let created = HttpResponse::new(200, r#"{"uuid":"u-1","status":"wait","error":null}"#);
        assert!(matches!(verdict(&created, parse_create_response), Verdict::Done(c) if c.uuids == ["u-1"]));
        let duplicate = HttpResponse::new(
            400,
            r#"{"status":"fail","error":{"code":2,"text":"Идентификатор счёта(external_id) уже существует."}}"#,
        );
        assert!(
            matches!(verdict(&duplicate, parse_create_response), Verdict::Refused(e) if e.kind == ErrorCode::DuplicateExternalId)
        );
        for unclear in [
            HttpResponse::new(500, r#"{"status":"fail","error":{"code":1,"text":"Internal"}}"#),
            HttpResponse::new(502, "<html>Bad Gateway</html>"),
            HttpResponse::new(504, ""),
            HttpResponse::new(200, r#"{"uuid":"#),
            HttpResponse::new(200, "<html>"),
            HttpResponse::new(404, "<html>Not Found</html>"),
        ] {
            assert!(matches!(verdict(&unclear, parse_create_response), Verdict::Unclear(_)), "{unclear:?}");
        }
        let rejected = HttpResponse::new(200, r#"{"Status":"Failed","Error":"ApplicationNotFound"}"#);
        assert!(matches!(verdict(&rejected, parse_application), Verdict::Refused(e) if e.kind == ErrorCode::NotFound));
    }
}
