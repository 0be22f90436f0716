//! The Ferma client: tokens, receipts of all 8 operations, reports,
//! waiting, callbacks and cashbox statistics, over the core's sans-IO
//! protocol. Every call ends by its deadline.

mod config;
mod fiscalize;
mod token;

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ofdkit::codes::Operation;
use ofdkit::ferma::{self, CashboxStats, ReceiptRequest};
use ofdkit::protocol::{
    self, verdict, CashboxFilter, Created, FermaApi, HttpRequest, HttpResponse, PollDecision, ReceiptState,
    ReportOutcome, Secret, Verdict,
};
use ofdkit::{ApiError, ErrorCode, Violations};

use crate::deadline::Deadline;
use crate::error::{Error, TransportError, TransportKind, Unclear};
use crate::redact::Secrets;
use crate::transport::{Transport, MAX_JSON_BYTES};

pub use config::{FermaConfig, FermaConfigBuilder};
pub use fiscalize::{Fiscalization, Outcome, Progress};
use token::TokenCache;

/// A registered receipt: its uuid, or the uuids of every part Ferma split
/// it into, and the warnings validation gave.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Sent {
    pub external_id: String,
    pub uuids: Vec<String>,
    pub warnings: Violations,
}

/// What sending a receipt again with the same `external_id` found.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Recovery {
    /// No earlier attempt had registered it: this one did.
    Sent(Sent),
    /// Ferma already knows the `external_id` (table 3.2): an earlier
    /// attempt registered it. Its uuid was in the answer that got lost; the
    /// receipt is in the Ferma cabinet.
    AlreadyRegistered { external_id: String },
}

/// A receipt checked and in wire form, ready to go out.
struct Prepared {
    external_id: String,
    wire: Vec<u8>,
    warnings: Violations,
}

impl Prepared {
    fn typed(operation: Operation, request: &ReceiptRequest) -> Result<Self, Error> {
        let violations = request.violations(operation);
        if violations.has_errors() {
            return Err(ofdkit::Error::Invalid(violations).into());
        }
        let mut request = request.clone();
        request.document_key = ferma::DocumentKey::for_operation(operation);
        Ok(Prepared {
            external_id: request.external_id.clone(),
            wire: request.to_wire_json().into_bytes(),
            warnings: violations,
        })
    }

    fn json(operation: Operation, json: &[u8]) -> Result<Self, Error> {
        let prepared = ferma::prepare_receipt(json, operation)?;
        Ok(Prepared {
            external_id: prepared.value.external_id.clone(),
            wire: prepared.value.to_wire_json().into_bytes(),
            warnings: prepared.warnings,
        })
    }

    fn sent(&self, created: Created) -> Sent {
        Sent { external_id: self.external_id.clone(), uuids: created.uuids, warnings: self.warnings.clone() }
    }

    fn unknown(&self, sends: u32, cause: Unclear) -> Error {
        Error::OutcomeUnknown { request: "receipt", external_id: Some(self.external_id.clone()), sends, cause }
    }
}

/// What one receipt request that went out found.
enum Posted {
    Registered(Created),
    Refused(ApiError),
    Unclear(Unclear),
}

/// A blocking client of the Ferma API. It is `Send + Sync`: share one
/// between threads; they share its token too.
///
/// ```no_run
/// use std::time::Duration;
/// use ofdkit::codes::Operation;
/// use ofdkit_client::{FermaClient, FermaConfig, Outcome};
///
/// let config = FermaConfig::builder()
///     .base_url(FermaConfig::TEST_URL)
///     .login("fermatest2")
///     .password("Go2999483Mb")
///     .group_code("1")
///     .build()?;
/// let client = FermaClient::new(config)?;
/// let json = std::fs::read("examples/receipt.json")?;
/// let result = client.fiscalize_json(Operation::Sell, &json, Duration::from_secs(60))?;
/// if let Outcome::Done(parts) = result.outcome {
///     println!("fiscal sign {:?}", parts[0].1.fiscal_document_attribute);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct FermaClient {
    api: FermaApi,
    config: FermaConfig,
    transport: Transport,
    tokens: TokenCache,
}

impl fmt::Debug for FermaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FermaClient").field("config", &self.config).finish_non_exhaustive()
    }
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl FermaClient {
    pub fn new(config: FermaConfig) -> Result<Self, Error> {
        let api = FermaApi::new(&config.base_url)?;
        Ok(FermaClient {
            transport: Transport::new(&config.network, api.base_url())?,
            api,
            config,
            tokens: TokenCache::default(),
        })
    }

    pub fn config(&self) -> &FermaConfig {
        &self.config
    }

    /// The deadline of a call that takes none: the configured call timeout.
    fn call_deadline(&self) -> Deadline {
        Deadline::after(self.config.network.timeouts.call)
    }

    /// What must not appear in an error: the credentials and the token.
    fn secrets<'a>(&'a self, token: Option<&'a Secret>) -> Secrets<'a> {
        Secrets::new(
            [self.config.login.as_str(), self.config.password.expose()].into_iter().chain(token.map(Secret::expose)),
        )
    }

    /// One exchange. A request that certainly did not arrive, or a read,
    /// is tried again (up to `attempts`, with doubling pauses, within the
    /// deadline); a request that may have arrived never is.
    fn exchange(&self, request: &HttpRequest, deadline: &Deadline, read: bool) -> Result<HttpResponse, TransportError> {
        exchange(
            &self.transport,
            request,
            deadline,
            read,
            self.config.attempts,
            self.config.retry_pause,
            MAX_JSON_BYTES,
        )
    }

    /// A token that is valid for a while: the cached one, or a new one,
    /// within the call timeout.
    pub fn token(&self) -> Result<Secret, Error> {
        self.token_by(&self.call_deadline())
    }

    fn token_by(&self, deadline: &Deadline) -> Result<Secret, Error> {
        self.tokens.get(deadline, || {
            let request = self.api.token_request(&self.config.login, self.config.password.expose());
            // Asking for a token changes nothing on the server: safe to repeat.
            let response = self.exchange(&request, deadline, true).map_err(Error::Transport)?;
            let received_at = unix_now();
            let grant =
                protocol::parse_token_response(&response).map_err(|e| self.secrets(None).error(e, &response.body))?;
            let margin = self.config.token_refresh_margin.as_secs() as i64;
            let fresh_for = Duration::from_secs(grant.refresh_after(received_at, margin).max(0) as u64);
            Ok((grant.token, fresh_for))
        })
    }

    /// Forgets the cached token, so that the next request gets a new one.
    pub fn forget_token(&self) {
        self.tokens.clear();
    }

    /// A read with a token; on an authentication error, once more with a
    /// new one.
    fn read<T>(
        &self,
        deadline: &Deadline,
        build: impl Fn(&Secret) -> Result<HttpRequest, ofdkit::Error>,
        parse: impl Fn(&HttpResponse) -> Result<T, ofdkit::Error>,
    ) -> Result<T, Error> {
        let mut refreshed = false;
        loop {
            let token = self.token_by(deadline)?;
            let request = build(&token)?;
            let response = self.exchange(&request, deadline, true).map_err(Error::Transport)?;
            match parse(&response) {
                Err(e) if !refreshed && is_auth(&e) => {
                    self.tokens.forget(&token);
                    refreshed = true;
                }
                result => return result.map_err(|e| self.secrets(Some(&token)).error(e, &response.body).into()),
            }
        }
    }

    /// Sends a receipt once. What certainly did not arrive is tried again,
    /// and a refused token is replaced once; a request that went out is
    /// never repeated here. `Err` means nothing of it reached Ferma.
    fn post_receipt(&self, operation: Operation, receipt: &Prepared, deadline: &Deadline) -> Result<Posted, Error> {
        let mut refreshed = false;
        loop {
            let token = self.token_by(deadline).map_err(receipt_not_sent)?;
            let request =
                self.api.receipt_request_json(&self.config.group_code, &token, operation, receipt.wire.clone())?;
            let secrets = self.secrets(Some(&token));
            let response = match self.exchange(&request, deadline, false) {
                Ok(response) => response,
                Err(failure) if failure.may_have_arrived => return Ok(Posted::Unclear(Unclear::Transport(failure))),
                Err(failure) => return Err(Error::Transport(failure)),
            };
            return Ok(match verdict(&response, protocol::parse_create_response) {
                Verdict::Done(created) => Posted::Registered(created),
                // An expired token is refused before anything is done.
                Verdict::Refused(refusal) if !refreshed && refusal.kind == ErrorCode::Auth => {
                    self.tokens.forget(&token);
                    refreshed = true;
                    continue;
                }
                Verdict::Refused(refusal) => Posted::Refused(secrets.api(refusal)),
                Verdict::Unclear(answer) => Posted::Unclear(Unclear::Answer(secrets.protocol(answer, &response.body))),
                _ => Posted::Unclear(Unclear::Answer(ofdkit::ProtocolError::new(
                    ErrorCode::UnexpectedResponse,
                    response.status,
                    "an answer this version cannot read",
                    b"",
                ))),
            });
        }
    }

    fn send_prepared(&self, operation: Operation, receipt: &Prepared) -> Result<Sent, Error> {
        match self.post_receipt(operation, receipt, &self.call_deadline())? {
            Posted::Registered(created) => Ok(receipt.sent(created)),
            Posted::Refused(refusal) => Err(ofdkit::Error::Api(refusal).into()),
            Posted::Unclear(cause) => Err(receipt.unknown(1, cause)),
        }
    }

    /// Validates and sends a receipt, once: a request that certainly did
    /// not arrive is tried again, one that went out is not. When no clear
    /// answer comes back the error is [`Error::OutcomeUnknown`]: call
    /// [`recover`](Self::recover), or use [`fiscalize`](Self::fiscalize),
    /// which recovers by itself.
    pub fn send(&self, operation: Operation, request: &ReceiptRequest) -> Result<Sent, Error> {
        self.send_prepared(operation, &Prepared::typed(operation, request)?)
    }

    /// Validates and sends a receipt given as JSON, as [`send`](Self::send).
    pub fn send_json(&self, operation: Operation, json: &[u8]) -> Result<Sent, Error> {
        self.send_prepared(operation, &Prepared::json(operation, json)?)
    }

    fn recover_prepared(&self, operation: Operation, receipt: &Prepared) -> Result<Recovery, Error> {
        match self.post_receipt(operation, receipt, &self.call_deadline())? {
            Posted::Registered(created) => Ok(Recovery::Sent(receipt.sent(created))),
            Posted::Refused(refusal) if refusal.kind == ErrorCode::DuplicateExternalId => {
                Ok(Recovery::AlreadyRegistered { external_id: receipt.external_id.clone() })
            }
            Posted::Refused(refusal) => Err(ofdkit::Error::Api(refusal).into()),
            Posted::Unclear(cause) => Err(receipt.unknown(1, cause)),
        }
    }

    /// Finds out, safely, what became of a receipt whose outcome was
    /// unknown: it is sent again with the same `external_id`, which Ferma
    /// refuses if an earlier attempt registered it (table 3.2): that
    /// refusal is [`Recovery::AlreadyRegistered`], the proof it exists.
    /// Another refusal means this attempt was not registered; whether an
    /// earlier one was is then still not known.
    pub fn recover(&self, operation: Operation, request: &ReceiptRequest) -> Result<Recovery, Error> {
        self.recover_prepared(operation, &Prepared::typed(operation, request)?)
    }

    /// [`recover`](Self::recover) for a receipt given as JSON.
    pub fn recover_json(&self, operation: Operation, json: &[u8]) -> Result<Recovery, Error> {
        self.recover_prepared(operation, &Prepared::json(operation, json)?)
    }

    /// The processing report of a document (§4), within the call timeout.
    /// Retried on any transport failure: asking changes nothing.
    pub fn report(&self, uuid: &str) -> Result<ReportOutcome, Error> {
        self.report_by(uuid, &self.call_deadline())
    }

    fn report_by(&self, uuid: &str, deadline: &Deadline) -> Result<ReportOutcome, Error> {
        let group = &self.config.group_code;
        self.read(deadline, |token| self.api.report_request(group, token, uuid), protocol::parse_report)
    }

    /// Polls the report with backoff until the document is `done` or
    /// `fail`, or `deadline` comes (then the state is `Pending`).
    pub fn wait(&self, uuid: &str, deadline: impl Into<Deadline>) -> Result<ReceiptState, Error> {
        self.wait_with_progress(uuid, deadline, |_, _| {})
    }

    /// [`wait`](Self::wait), calling `progress(elapsed, polls)` before each
    /// pause, for a caller that shows progress.
    pub fn wait_with_progress(
        &self,
        uuid: &str,
        deadline: impl Into<Deadline>,
        progress: impl FnMut(Duration, u32),
    ) -> Result<ReceiptState, Error> {
        self.wait_by(uuid, &deadline.into(), progress)
    }

    fn wait_by(
        &self,
        uuid: &str,
        deadline: &Deadline,
        mut progress: impl FnMut(Duration, u32),
    ) -> Result<ReceiptState, Error> {
        let start = Instant::now();
        let mut polls = 0;
        loop {
            match self.report_by(uuid, deadline) {
                Ok(report) if report.state == ReceiptState::Pending => {}
                Ok(report) => return Ok(report.state),
                // A poll cut short by the deadline is the deadline coming.
                Err(_) if polls > 0 && deadline.is_over() => return Ok(ReceiptState::Pending),
                Err(e) => return Err(e),
            }
            polls += 1;
            let elapsed = start.elapsed();
            match self.config.poll.next(elapsed, polls - 1, None) {
                PollDecision::PollAfter(pause) => {
                    progress(elapsed, polls);
                    if !deadline.sleep(pause) {
                        return Ok(ReceiptState::Pending);
                    }
                }
                _ => return Ok(ReceiptState::Pending),
            }
        }
    }

    /// Reads the body Ferma POSTed to a `callback_url` (§4).
    pub fn parse_callback(body: &[u8]) -> Result<ReportOutcome, Error> {
        Ok(protocol::parse_callback(body)?)
    }

    /// The cashboxes and their fiscal drives (§7), filtered, within the
    /// call timeout.
    pub fn cashbox_stats(&self, filter: &CashboxFilter) -> Result<CashboxStats, Error> {
        self.read(
            &self.call_deadline(),
            |token| Ok(self.api.cashbox_stats_request(token, filter)),
            protocol::parse_cashbox_stats,
        )
    }
}

/// A failure to get a token, seen from the receipt waiting for it: the
/// token request may have arrived, the receipt certainly did not.
fn receipt_not_sent(error: Error) -> Error {
    match error {
        Error::Transport(mut t) => {
            t.may_have_arrived = false;
            t.detail = format!("getting a token: {}", t.detail);
            Error::Transport(t)
        }
        other => other,
    }
}

fn is_auth(error: &ofdkit::Error) -> bool {
    matches!(error, ofdkit::Error::Api(e) if e.kind == ErrorCode::Auth)
}

/// One exchange with the safe retries: a request that certainly did not
/// arrive, or a read, is tried up to `attempts` times with doubling pauses
/// within the deadline. A read answered with a 5xx (the server or a gateway
/// in front of it failing, which says nothing of the document) is tried
/// again too; the last such answer is returned for the caller to report.
/// A TLS failure is not retried: it would fail alike.
pub(crate) fn exchange(
    transport: &Transport,
    request: &HttpRequest,
    deadline: &Deadline,
    read: bool,
    attempts: u32,
    first_pause: Duration,
    limit: u64,
) -> Result<HttpResponse, TransportError> {
    let mut pause = first_pause;
    let mut attempt = 1;
    loop {
        let last = attempt >= attempts.max(1);
        match transport.execute(request, deadline, limit) {
            Ok(response) => {
                if !read || response.status < 500 || last || !deadline.sleep(pause) {
                    return Ok(response);
                }
            }
            Err(mut failure) => {
                let repeatable = (read || !failure.may_have_arrived) && failure.kind != TransportKind::Tls;
                if !repeatable || last || !deadline.sleep(pause) {
                    failure.attempts = attempt;
                    return Err(failure);
                }
            }
        }
        pause = pause.saturating_mul(2);
        attempt += 1;
    }
}

macro_rules! operations {
    ($($method:ident => $operation:ident),* $(,)?) => {
        impl FermaClient {
            $(
                #[doc = concat!("Sends a `", stringify!($method), "` receipt: [`FermaClient::send`] with [`Operation::", stringify!($operation), "`].")]
                pub fn $method(&self, request: &ReceiptRequest) -> Result<Sent, Error> {
                    self.send(Operation::$operation, request)
                }
            )*
        }
    };
}

operations! {
    sell => Sell,
    sell_refund => SellRefund,
    sell_correction => SellCorrection,
    sell_refund_correction => SellRefundCorrection,
    buy => Buy,
    buy_refund => BuyRefund,
    buy_correction => BuyCorrection,
    buy_refund_correction => BuyRefundCorrection,
}
