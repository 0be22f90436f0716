//! Which handler a request goes to, what can be decided before its body is
//! read (authentication), and the injected faults around the handler.

use serde_json::json;

use crate::faults::{Endpoint, FaultKind};
use crate::http::{Delivery, Reply, Request};
use crate::{control, ferma, ofd, State};

/// The API a path belongs to: it decides the shape of errors the server
/// itself gives (a body too large, too slow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    Ferma,
    Registration,
    Other,
}

/// What a request asks for.
#[derive(Debug)]
pub(crate) enum Route {
    /// `getToken` (§2): credentials are in the body or the query.
    Token,
    /// A receipt (§3): `POST /possystem/v1/{group}/{operation}`.
    Create {
        group: String,
        operation: String,
    },
    /// A receipt's report (§4).
    Report {
        group: String,
        uuid: String,
    },
    /// Cashbox statistics (§7).
    CashboxStats,
    /// A path under `/possystem/v1` that is no method.
    FermaUnknown,
    /// `/api/kkt/application…`: the segments after it.
    Registration(Vec<String>),
    /// `/api/partner/v2/kkt/application`.
    Partner,
    /// `/sandbox/…`: the test controls, never caught by faults.
    Control(Vec<String>),
    NotFound,
}

impl Route {
    pub(crate) fn of(request: &Request) -> Route {
        let method = request.method.as_str();
        if let Some(rest) = request.segments_after("/possystem/v1") {
            let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
            return match (method, rest.as_slice()) {
                ("POST" | "GET", ["getToken"]) => Route::Token,
                ("GET", ["stats", "cashboxes", "extended"]) => Route::CashboxStats,
                ("GET", [group, "report", uuid]) => Route::Report { group: (*group).into(), uuid: (*uuid).into() },
                ("POST", [group, operation]) => {
                    Route::Create { group: (*group).into(), operation: (*operation).into() }
                }
                _ => Route::FermaUnknown,
            };
        }
        if let Some(rest) = request.segments_after("/api/kkt/application") {
            return Route::Registration(rest);
        }
        if request.path == "/api/partner/v2/kkt/application" && method == "POST" {
            return Route::Partner;
        }
        if let Some(rest) = request.segments_after("/sandbox") {
            return Route::Control(rest);
        }
        Route::NotFound
    }

    pub(crate) fn api(&self) -> Api {
        match self {
            Route::Token | Route::Create { .. } | Route::Report { .. } | Route::CashboxStats | Route::FermaUnknown => {
                Api::Ferma
            }
            Route::Registration(_) | Route::Partner => Api::Registration,
            Route::Control(_) | Route::NotFound => Api::Other,
        }
    }

    /// The endpoint faults are matched against; `None` for the controls.
    fn endpoint(&self) -> Option<Endpoint> {
        Some(match self {
            Route::Token => Endpoint::Token,
            Route::Create { .. } | Route::FermaUnknown => Endpoint::Receipt,
            Route::Report { .. } => Endpoint::Report,
            Route::CashboxStats => Endpoint::CashboxStats,
            Route::Registration(_) | Route::Partner => Endpoint::Registration,
            Route::NotFound => Endpoint::Any,
            Route::Control(_) => return None,
        })
    }

    /// The refusal of a request whose credentials are in its query or
    /// headers, decided before its body is read: a stranger's body is never
    /// taken in. getToken's credentials are in its body and are checked by
    /// its handler.
    pub(crate) fn authenticate(&self, state: &State, request: &Request) -> Option<Reply> {
        match self {
            Route::Create { .. } | Route::Report { .. } | Route::CashboxStats => {
                ferma::authenticate(state, request).err()
            }
            Route::Registration(_) => ofd::authenticate(state, request).err(),
            Route::Partner => ofd::authenticate_partner(state, request).err(),
            Route::Token | Route::FermaUnknown | Route::Control(_) | Route::NotFound => None,
        }
    }
}

/// The server's own refusal of a request (too large, too slow), in the
/// error shape of the API it was sent to.
pub(crate) fn refusal(api: Api, status: u16, error: &str, text: &str) -> Reply {
    match api {
        Api::Ferma => ferma::plain_error(status, 1, text),
        Api::Registration => ofd::failed(status, error, text),
        Api::Other => Reply::json(status, json!({"error": error, "message": text}).to_string()),
    }
}

/// Runs the request's handler, with the faults queued for its endpoint.
pub(crate) fn dispatch(state: &State, route: &Route, request: &Request) -> Reply {
    let Some(endpoint) = route.endpoint() else {
        return handle(state, route, request);
    };
    let (before, delay) = {
        let mut faults = state.faults();
        let before = faults.take(endpoint, |k| {
            matches!(
                k,
                FaultKind::Garbage(_)
                    | FaultKind::ErrorBeforeProcessing(_)
                    | FaultKind::HangBeforeProcessing
                    | FaultKind::DropBeforeProcessing
            )
        });
        let delay = match faults.take(endpoint, |k| matches!(k, FaultKind::Delay(_))) {
            Some(FaultKind::Delay(d)) => d,
            _ => std::time::Duration::ZERO,
        };
        (before, delay)
    };
    let reply = match before {
        Some(FaultKind::Garbage(status)) => {
            Reply::bytes(status, "text/html", b"<html><body>502 Bad Gateway</body></html>".to_vec())
        }
        Some(FaultKind::ErrorBeforeProcessing(status)) => Reply::proxy_error(status),
        Some(FaultKind::HangBeforeProcessing) => Reply::Hang,
        Some(_) => Reply::Drop,
        None => {
            let reply = handle(state, route, request);
            match state.faults().take(endpoint, FaultKind::is_after_processing) {
                Some(FaultKind::DropAfterProcessing) => Reply::Drop,
                Some(FaultKind::ErrorAfterProcessing(status)) => Reply::proxy_error(status),
                Some(FaultKind::HangAfterProcessing) => Reply::Hang,
                Some(FaultKind::TruncatedAfterProcessing) => reply.delivered(Delivery::Truncated).closing(),
                Some(FaultKind::EndlessAfterProcessing) => reply.delivered(Delivery::Endless).closing(),
                Some(FaultKind::Slow(over)) => reply.delivered(Delivery::Slow(over)),
                _ => reply,
            }
        }
    };
    reply.delayed(delay)
}

fn handle(state: &State, route: &Route, request: &Request) -> Reply {
    match route {
        Route::Token => ferma::token(state, request),
        Route::Create { group, operation } => ferma::create(state, request, group, operation),
        Route::Report { group, uuid } => ferma::report(state, request, group, uuid),
        Route::CashboxStats => ferma::cashbox_stats(state, request),
        Route::FermaUnknown => {
            Reply::json(404, json!({"error": {"code": 1, "text": "Нет такого метода", "type": "system"}}).to_string())
        }
        Route::Registration(rest) => ofd::handle(state, request, rest),
        Route::Partner => ofd::partner(state, request),
        Route::Control(rest) => control::handle(state, request, rest),
        Route::NotFound => Reply::json(404, r#"{"error":"not found"}"#),
    }
}
