//! The Ferma client: tokens, receipts of all 8 operations, reports,
//! waiting, callbacks and cashbox statistics, over the core's sans-IO
//! protocol.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ofdkit::codes::Operation;
use ofdkit::ferma::{self, CashboxStats, Checked, FiscalPayload, ReceiptRequest};
use ofdkit::protocol::{
    self, CashboxFilter, FermaApi, HttpRequest, HttpResponse, PollDecision, PollPolicy, ReceiptState, ReportOutcome,
    Secret, TokenGrant,
};
use ofdkit::{ApiError, ErrorCode, Violations};

use crate::error::{Error, TransportError};
use crate::transport::{Timeouts, Transport};

/// How the client reaches Ferma.
#[derive(Clone)]
pub struct FermaConfig {
    /// `https://ferma-at.ofd.ru`, the test `https://ferma-test-at.ofd.ru`, or a sandbox.
    pub base_url: String,
    pub login: String,
    pub password: Secret,
    /// The cashbox group (ЛКК Ferma, «Реквизиты доступа»; 1 in the test environment).
    pub group_code: String,
    pub timeouts: Timeouts,
    /// How to wait for a document's result.
    pub poll: PollPolicy,
    /// Refresh the token this long before it expires.
    pub token_refresh_margin: Duration,
    /// Attempts for a request that certainly did not arrive (no connection).
    pub attempts: u32,
    /// The pause before the second attempt; it doubles for each further one.
    pub retry_pause: Duration,
}

impl FermaConfig {
    pub fn new(
        base_url: impl Into<String>,
        login: impl Into<String>,
        password: impl Into<String>,
        group_code: impl Into<String>,
    ) -> Self {
        FermaConfig {
            base_url: base_url.into(),
            login: login.into(),
            password: Secret::new(password),
            group_code: group_code.into(),
            timeouts: Timeouts::default(),
            poll: PollPolicy::default(),
            token_refresh_margin: Duration::from_secs(TokenGrant::REFRESH_MARGIN_SECONDS as u64),
            attempts: 3,
            retry_pause: Duration::from_millis(200),
        }
    }
}

impl fmt::Debug for FermaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FermaConfig")
            .field("base_url", &self.base_url)
            .field("login", &self.login)
            .field("password", &self.password)
            .field("group_code", &self.group_code)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// A registered receipt: its uuid, or the uuids of every part Ferma split
/// it into, and the warnings validation gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    pub external_id: String,
    pub uuids: Vec<String>,
    pub warnings: Violations,
}

/// What sending a receipt again found.
#[derive(Clone, Debug, PartialEq)]
pub enum Recovery {
    /// The first attempt never registered: this one did.
    Sent(Sent),
    /// Ferma already knows the `external_id` (table 3.2): the first attempt
    /// registered it. Its uuid was in the answer that got lost; the receipt
    /// is in the Ferma cabinet.
    AlreadyRegistered { external_id: String },
}

/// How a receipt ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Fiscalised: the fiscal requisites of each part.
    Done(Vec<(String, FiscalPayload)>),
    /// Not fiscalised: why.
    Failed(ApiError),
    /// Not known: registered but not yet processed within the deadline, or
    /// registered with a uuid that was lost. It was never sent twice.
    Unknown { uuids: Vec<String>, reason: String },
}

/// The end of [`FermaClient::fiscalize`].
#[derive(Clone, Debug, PartialEq)]
pub struct Fiscalization {
    pub external_id: String,
    pub outcome: Outcome,
    /// The warnings validation gave.
    pub warnings: Violations,
}

struct CachedToken {
    grant: TokenGrant,
    obtained_at: i64,
}

/// A blocking client of the Ferma API. It is `Send + Sync`: share one
/// between threads; they share its token too.
///
/// ```no_run
/// use std::time::Duration;
/// use ofdkit::codes::Operation;
/// use ofdkit_client::{FermaClient, FermaConfig, Outcome};
///
/// let client = FermaClient::new(FermaConfig::new("https://ferma-test-at.ofd.ru", "fermatest2", "Go2999483Mb", "1"))?;
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
    token: Mutex<Option<CachedToken>>,
}

impl fmt::Debug for FermaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FermaClient").field("config", &self.config).finish_non_exhaustive()
    }
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn is_auth(error: &ofdkit::Error) -> bool {
    matches!(error, ofdkit::Error::Api(e) if e.kind == ErrorCode::Auth)
}

impl FermaClient {
    pub fn new(config: FermaConfig) -> Result<Self, Error> {
        Ok(FermaClient {
            api: FermaApi::new(&config.base_url)?,
            transport: Transport::new(config.timeouts),
            config,
            token: Mutex::new(None),
        })
    }

    pub fn config(&self) -> &FermaConfig {
        &self.config
    }

    /// Sends a request that did not arrive again, up to `attempts` times.
    fn execute(&self, request: &HttpRequest, idempotent: bool) -> Result<HttpResponse, TransportError> {
        let mut pause = self.config.retry_pause;
        let mut attempt = 1;
        loop {
            match self.transport.execute(request) {
                Err(e) if (idempotent || !e.may_have_arrived) && attempt < self.config.attempts.max(1) => {
                    std::thread::sleep(pause);
                    pause = pause.saturating_mul(2);
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    /// A token that is valid for a while: the cached one, or a new one.
    pub fn token(&self) -> Result<Secret, Error> {
        let mut cached = self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let margin = self.config.token_refresh_margin.as_secs() as i64;
        if let Some(c) = cached.as_ref() {
            if !c.grant.needs_refresh(c.obtained_at, unix_now(), margin) {
                return Ok(c.grant.token.clone());
            }
        }
        let request = self.api.token_request(&self.config.login, self.config.password.expose());
        // Asking for a token changes nothing on the server: safe to repeat.
        let response = self.execute(&request, true).map_err(Error::Transport)?;
        let grant = protocol::parse_token_response(&response)?;
        let token = grant.token.clone();
        *cached = Some(CachedToken { grant, obtained_at: unix_now() });
        Ok(token)
    }

    /// Forgets the cached token, so that the next request gets a new one.
    pub fn forget_token(&self) {
        *self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// Runs a request built with a token; on an authentication error, once
    /// more with a new token.
    fn with_token<T>(
        &self,
        idempotent: bool,
        build: impl Fn(&Secret) -> Result<HttpRequest, ofdkit::Error>,
        parse: impl Fn(&HttpResponse) -> Result<T, ofdkit::Error>,
    ) -> Result<T, RequestError> {
        for attempt in 0..2 {
            let token = self.token().map_err(RequestError::Other)?;
            let request = build(&token).map_err(|e| RequestError::Other(e.into()))?;
            let response = self.execute(&request, idempotent).map_err(RequestError::Transport)?;
            match parse(&response) {
                Err(e) if attempt == 0 && is_auth(&e) => self.forget_token(),
                result => return result.map_err(|e| RequestError::Other(e.into())),
            }
        }
        unreachable!("the loop returns on its second pass")
    }

    /// Validates and sends a receipt. On an unclear transport failure the
    /// receipt is not sent again: the error is [`Error::OutcomeUnknown`].
    pub fn send(&self, operation: Operation, request: &ReceiptRequest) -> Result<Sent, Error> {
        let violations = request.violations(operation);
        if violations.has_errors() {
            return Err(ofdkit::Error::Invalid(violations).into());
        }
        let mut request = request.clone();
        request.document_key = ferma::DocumentKey::for_operation(operation);
        let checked = Checked { value: request.to_wire_json(), warnings: violations };
        self.send_wire(operation, &request.external_id, checked)
    }

    /// Validates and sends a receipt given as JSON.
    pub fn send_json(&self, operation: Operation, json: &[u8]) -> Result<Sent, Error> {
        let prepared = ferma::prepare_receipt(json, operation)?;
        let external_id = prepared.value.external_id.clone();
        let checked = Checked { value: prepared.value.to_wire_json(), warnings: prepared.warnings };
        self.send_wire(operation, &external_id, checked)
    }

    fn send_wire(&self, operation: Operation, external_id: &str, wire: Checked<String>) -> Result<Sent, Error> {
        let group = &self.config.group_code;
        let result = self.with_token(
            false,
            |token| self.api.receipt_request_json(group, token, operation, wire.value.clone().into_bytes()),
            protocol::parse_create_response,
        );
        match result {
            Ok(created) => {
                Ok(Sent { external_id: external_id.to_owned(), uuids: created.uuids, warnings: wire.warnings })
            }
            Err(RequestError::Transport(cause)) if cause.may_have_arrived => {
                Err(Error::OutcomeUnknown { external_id: external_id.to_owned(), cause })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Finds out, safely, what became of a receipt whose outcome was
    /// unknown: it is sent again with the same `external_id`, which Ferma
    /// refuses if the first attempt registered it (table 3.2).
    pub fn recover(&self, operation: Operation, request: &ReceiptRequest) -> Result<Recovery, Error> {
        Self::recovery(self.send(operation, request), &request.external_id)
    }

    /// [`FermaClient::recover`] for a receipt given as JSON.
    pub fn recover_json(&self, operation: Operation, json: &[u8]) -> Result<Recovery, Error> {
        let external_id = ReceiptRequest::from_json_bytes(json).map(|r| r.external_id).unwrap_or_default();
        Self::recovery(self.send_json(operation, json), &external_id)
    }

    fn recovery(result: Result<Sent, Error>, external_id: &str) -> Result<Recovery, Error> {
        match result {
            Ok(sent) => Ok(Recovery::Sent(sent)),
            Err(e) if e.code() == ErrorCode::DuplicateExternalId => {
                Ok(Recovery::AlreadyRegistered { external_id: external_id.to_owned() })
            }
            Err(e) => Err(e),
        }
    }

    /// The processing report of a document (§4). Retried on any transport
    /// failure: asking changes nothing.
    pub fn report(&self, uuid: &str) -> Result<ReportOutcome, Error> {
        let group = &self.config.group_code;
        self.with_token(true, |token| self.api.report_request(group, token, uuid), protocol::parse_report)
            .map_err(Error::from)
    }

    /// Polls the report with backoff until the document is `done` or
    /// `fail`, or `deadline` passes (then the state is `Pending`).
    pub fn wait(&self, uuid: &str, deadline: Duration) -> Result<ReceiptState, Error> {
        self.wait_with_progress(uuid, deadline, |_, _| {})
    }

    /// [`FermaClient::wait`], calling `progress(elapsed, polls)` before each
    /// pause, for a caller that shows progress.
    pub fn wait_with_progress(
        &self,
        uuid: &str,
        deadline: Duration,
        mut progress: impl FnMut(Duration, u32),
    ) -> Result<ReceiptState, Error> {
        let start = Instant::now();
        let mut polls = 0;
        loop {
            match self.report(uuid)?.state {
                ReceiptState::Pending => {}
                finished => return Ok(finished),
            }
            polls += 1;
            let elapsed = start.elapsed();
            match self.config.poll.next(elapsed, polls - 1, false, Some(deadline)) {
                PollDecision::GiveUp => return Ok(ReceiptState::Pending),
                PollDecision::PollAfter(pause) | PollDecision::AwaitCallback(pause) => {
                    progress(elapsed, polls);
                    std::thread::sleep(pause);
                }
            }
        }
    }

    /// Sends a receipt given as JSON and follows it to its end: an unknown
    /// outcome is recovered safely (never sent twice), then every part is
    /// waited for until `deadline`.
    pub fn fiscalize_json(
        &self,
        operation: Operation,
        json: &[u8],
        deadline: Duration,
    ) -> Result<Fiscalization, Error> {
        let external_id = ReceiptRequest::from_json_bytes(json).map(|r| r.external_id).unwrap_or_default();
        self.fiscalize_with(
            &external_id,
            deadline,
            || self.send_json(operation, json),
            || self.recover_json(operation, json),
        )
    }

    /// [`FermaClient::fiscalize_json`] for a typed receipt.
    pub fn fiscalize(
        &self,
        operation: Operation,
        request: &ReceiptRequest,
        deadline: Duration,
    ) -> Result<Fiscalization, Error> {
        self.fiscalize_with(
            &request.external_id,
            deadline,
            || self.send(operation, request),
            || self.recover(operation, request),
        )
    }

    fn fiscalize_with(
        &self,
        external_id: &str,
        deadline: Duration,
        send: impl Fn() -> Result<Sent, Error>,
        recover: impl Fn() -> Result<Recovery, Error>,
    ) -> Result<Fiscalization, Error> {
        let start = Instant::now();
        let unknown = |uuids: Vec<String>, reason: String| Fiscalization {
            external_id: external_id.to_owned(),
            outcome: Outcome::Unknown { uuids, reason },
            warnings: Violations::default(),
        };
        let mut result = send();
        let mut recoveries = 0;
        let sent = loop {
            match result {
                Ok(sent) => break sent,
                Err(Error::OutcomeUnknown { cause, .. }) => {
                    recoveries += 1;
                    if recoveries > self.config.attempts.max(1) || start.elapsed() >= deadline {
                        return Ok(unknown(Vec::new(), format!("no answer after {recoveries} attempts: {cause}")));
                    }
                    std::thread::sleep(self.config.retry_pause);
                    result = match recover() {
                        Ok(Recovery::Sent(sent)) => Ok(sent),
                        Ok(Recovery::AlreadyRegistered { .. }) => {
                            return Ok(unknown(
                                Vec::new(),
                                "registered by an attempt whose answer was lost; its uuid is in the Ferma cabinet"
                                    .to_owned(),
                            ))
                        }
                        Err(e) => Err(e),
                    };
                }
                Err(e) => match e.api_error() {
                    // Refused by Ferma: not registered, so not fiscalised.
                    Some(api) if api.kind != ErrorCode::DuplicateExternalId => {
                        return Ok(Fiscalization {
                            external_id: external_id.to_owned(),
                            outcome: Outcome::Failed(api.clone()),
                            warnings: Violations::default(),
                        })
                    }
                    _ => return Err(e),
                },
            }
        };
        let mut done = Vec::new();
        for uuid in &sent.uuids {
            let left = deadline.saturating_sub(start.elapsed());
            match self.wait(uuid, left)? {
                ReceiptState::Done(payload) => done.push((uuid.clone(), payload)),
                ReceiptState::Failed(error) => {
                    return Ok(Fiscalization {
                        external_id: sent.external_id,
                        outcome: Outcome::Failed(error),
                        warnings: sent.warnings,
                    })
                }
                ReceiptState::Pending => {
                    let mut f = unknown(
                        sent.uuids.clone(),
                        format!("still processing after {deadline:?}; ask for the report by uuid"),
                    );
                    f.warnings = sent.warnings;
                    return Ok(f);
                }
            }
        }
        Ok(Fiscalization { external_id: sent.external_id, outcome: Outcome::Done(done), warnings: sent.warnings })
    }

    /// Reads the body Ferma POSTed to a `callback_url` (§4).
    pub fn parse_callback(body: &[u8]) -> Result<ReportOutcome, Error> {
        Ok(protocol::parse_callback(body)?)
    }

    /// The cashboxes and their fiscal drives (§7), filtered.
    pub fn cashbox_stats(&self, filter: &CashboxFilter) -> Result<CashboxStats, Error> {
        self.with_token(true, |token| Ok(self.api.cashbox_stats_request(token, filter)), protocol::parse_cashbox_stats)
            .map_err(Error::from)
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

/// The failure of one request, before it becomes an [`Error`].
pub(crate) enum RequestError {
    Transport(TransportError),
    Other(Error),
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Transport(t) => Error::Transport(t),
            RequestError::Other(e) => e,
        }
    }
}
