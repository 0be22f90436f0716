//! The registration client: applications through their life cycle,
//! documents, waiting for the FNS, and partner registration of new
//! clients. Every call ends by its deadline; a request that changes
//! something and whose answer is unclear is reported unknown, never sent
//! again blindly.

use std::fmt;
use std::time::{Duration, Instant};

use ofdkit::codes::{ApplicationStage, ApplicationStatus};
use ofdkit::ofd::{
    self, Application, ApplicationCheck, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest,
};
use ofdkit::protocol::{
    self, verdict, HttpRequest, HttpResponse, OfdApi, OfdAuth, PollDecision, PollPolicy, Secret, Verdict,
};
use ofdkit::ErrorCode;

use crate::deadline::Deadline;
use crate::error::{Error, Unclear};
use crate::ferma::exchange;
use crate::network::{network_setters, Network, NetworkDraft};
use crate::redact::Secrets;
use crate::transport::{Transport, MAX_DOCUMENT_BYTES, MAX_JSON_BYTES};

/// How the client reaches the OFD.ru registration API.
///
/// ```
/// use ofdkit_client::RegistrationConfig;
/// let config = RegistrationConfig::builder().auth_token("cabinet-token").build()?;
/// assert_eq!(config.base_url, "https://ofd.ru");
/// assert_eq!(config.partner_base_url, "https://ofd.me");
/// # Ok::<(), ofdkit_client::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct RegistrationConfig {
    /// `https://ofd.ru`, or a sandbox.
    pub base_url: String,
    /// Where partners register new clients (appendix 1): `https://ofd.me`
    /// (see [`OfdApi::PARTNER_BASE_URL`]), or a sandbox.
    pub partner_base_url: String,
    /// The `AuthToken` of the user's or partner's cabinet.
    pub auth_token: Secret,
    pub auth: OfdAuth,
    /// Timeouts, proxy and trusted certificates.
    pub network: Network,
    /// Attempts for a request that certainly did not arrive, and for reads.
    pub attempts: u32,
    /// The pause before the second attempt; it doubles after.
    pub retry_pause: Duration,
    /// How [`RegistrationClient::wait_for_change`] polls.
    pub poll: PollPolicy,
}

impl RegistrationConfig {
    /// A builder: the `auth_token` is needed.
    pub fn builder() -> RegistrationConfigBuilder {
        RegistrationConfigBuilder::default()
    }
}

impl fmt::Debug for RegistrationConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationConfig")
            .field("base_url", &self.base_url)
            .field("partner_base_url", &self.partner_base_url)
            .field("auth_token", &self.auth_token)
            .field("auth", &self.auth)
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

/// Builds a [`RegistrationConfig`].
#[derive(Clone, Debug, Default)]
pub struct RegistrationConfigBuilder {
    base_url: Option<String>,
    partner_base_url: Option<String>,
    auth_token: Option<Secret>,
    auth: OfdAuth,
    network: NetworkDraft,
    attempts: Option<u32>,
    retry_pause: Option<Duration>,
    poll: Option<PollPolicy>,
}

impl RegistrationConfigBuilder {
    /// The registration API (`https://ofd.ru` when not given).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Partner registration (`https://ofd.me` when not given).
    pub fn partner_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.partner_base_url = Some(base_url.into());
        self
    }

    pub fn auth_token(mut self, auth_token: impl Into<String>) -> Self {
        self.auth_token = Some(Secret::new(auth_token));
        self
    }

    /// How the `AuthToken` travels (a query parameter by default).
    pub fn auth(mut self, auth: OfdAuth) -> Self {
        self.auth = auth;
        self
    }

    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = Some(attempts);
        self
    }

    pub fn retry_pause(mut self, pause: Duration) -> Self {
        self.retry_pause = Some(pause);
        self
    }

    pub fn poll(mut self, poll: PollPolicy) -> Self {
        self.poll = Some(poll);
        self
    }

    network_setters!();

    pub fn build(self) -> Result<RegistrationConfig, Error> {
        let network = self.network.finish()?;
        let auth_token = self.auth_token.ok_or_else(|| {
            Error::argument("RegistrationConfig needs the auth_token of the user's or partner's cabinet")
        })?;
        let base_url = self.base_url.unwrap_or_else(|| OfdApi::PRODUCTION_BASE_URL.to_owned());
        let partner_base_url = self.partner_base_url.unwrap_or_else(|| OfdApi::PARTNER_BASE_URL.to_owned());
        OfdApi::new(&base_url, self.auth)?.with_partner_base_url(&partner_base_url)?;
        Ok(RegistrationConfig {
            base_url,
            partner_base_url,
            auth_token,
            auth: self.auth,
            network,
            attempts: self.attempts.unwrap_or(3).max(1),
            retry_pause: self.retry_pause.unwrap_or(Duration::from_millis(200)),
            poll: self.poll.unwrap_or_else(PollPolicy::for_applications),
        })
    }
}

/// An application's place in its life cycle, as the server wrote it
/// (values the spec does not know included).
fn position(app: &Application) -> String {
    format!("{:?} {:?}", app.stage, app.status)
}

/// The end of [`RegistrationClient::wait_for_change`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Waited {
    /// The application as last read.
    pub application: Application,
    /// Whether its stage or status changed before the deadline.
    pub changed: bool,
}

/// A blocking client of the OFD.ru registration API; `Send + Sync`.
pub struct RegistrationClient {
    api: OfdApi,
    config: RegistrationConfig,
    transport: Transport,
    partner_transport: Transport,
}

impl fmt::Debug for RegistrationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl RegistrationClient {
    pub fn new(config: RegistrationConfig) -> Result<Self, Error> {
        let api = OfdApi::new(&config.base_url, config.auth)?.with_partner_base_url(&config.partner_base_url)?;
        Ok(RegistrationClient {
            transport: Transport::new(&config.network, api.base_url())?,
            partner_transport: Transport::new(&config.network, api.partner_base_url())?,
            api,
            config,
        })
    }

    pub fn config(&self) -> &RegistrationConfig {
        &self.config
    }

    fn token(&self) -> &Secret {
        &self.config.auth_token
    }

    fn call_deadline(&self) -> Deadline {
        Deadline::after(self.config.network.timeouts.call)
    }

    fn exchange(
        &self,
        transport: &Transport,
        request: &HttpRequest,
        deadline: &Deadline,
        read: bool,
        limit: u64,
    ) -> Result<HttpResponse, crate::TransportError> {
        exchange(transport, request, deadline, read, self.config.attempts, self.config.retry_pause, limit)
    }

    /// A read: repeated on any transport failure within the deadline.
    fn read<T>(
        &self,
        request: HttpRequest,
        deadline: &Deadline,
        limit: u64,
        parse: impl Fn(&HttpResponse) -> Result<T, ofdkit::Error>,
    ) -> Result<T, Error> {
        let response = self.exchange(&self.transport, &request, deadline, true, limit).map_err(Error::Transport)?;
        parse(&response).map_err(|e| Secrets::new([self.token().expose()]).error(e, &response.body).into())
    }

    /// A request that changes something: repeated only while it certainly
    /// did not arrive; an unclear answer is [`Error::OutcomeUnknown`].
    fn write<T>(
        &self,
        what: &'static str,
        transport: &Transport,
        request: HttpRequest,
        parse: impl FnOnce(&HttpResponse) -> Result<T, ofdkit::Error>,
    ) -> Result<T, Error> {
        let secrets = Secrets::new([self.token().expose()]);
        let unknown = |cause| Error::OutcomeUnknown { request: what, external_id: None, sends: 1, cause };
        let response = match self.exchange(transport, &request, &self.call_deadline(), false, MAX_JSON_BYTES) {
            Ok(response) => response,
            Err(failure) if failure.may_have_arrived => return Err(unknown(Unclear::Transport(failure))),
            Err(failure) => return Err(Error::Transport(failure)),
        };
        match verdict(&response, parse) {
            Verdict::Done(value) => Ok(value),
            Verdict::Refused(refusal) => Err(ofdkit::Error::Api(secrets.api(refusal)).into()),
            Verdict::Unclear(answer) => Err(unknown(Unclear::Answer(secrets.protocol(answer, &response.body)))),
            _ => Err(unknown(Unclear::Answer(ofdkit::ProtocolError::new(
                ErrorCode::UnexpectedResponse,
                response.status,
                "an answer this version cannot read",
                b"",
            )))),
        }
    }

    /// Creates an application (§2.1). It is checked first, as a draft
    /// (§2.5.1's completeness is for `prepare_documents`): a request with
    /// an error is refused without being sent.
    pub fn create(&self, application: &ApplicationRequest) -> Result<Application, Error> {
        refuse_errors(ofd::validate_application(application, ApplicationCheck::Draft))?;
        let request = self.api.create_application(self.token(), application);
        self.write("application create", &self.transport, request, protocol::parse_application)
    }

    /// Changes an application's details (§2.2), checked first as `create`.
    pub fn update(&self, id: &str, update: &ApplicationUpdate) -> Result<Application, Error> {
        refuse_errors(ofd::validate_update(update, ApplicationCheck::Draft))?;
        let request = self.api.update_application(self.token(), id, update)?;
        self.write("application update", &self.transport, request, protocol::parse_application)
    }

    /// The applications of a personal cabinet (§2.3).
    pub fn list(&self, ofd_agreement_id: &str) -> Result<Vec<Application>, Error> {
        let request = self.api.list_applications(self.token(), ofd_agreement_id);
        self.read(request, &self.call_deadline(), MAX_JSON_BYTES, protocol::parse_application_list)
    }

    /// One application (§2.4).
    pub fn get(&self, id: &str) -> Result<Application, Error> {
        self.get_by(id, &self.call_deadline())
    }

    fn get_by(&self, id: &str, deadline: &Deadline) -> Result<Application, Error> {
        let request = self.api.get_application(self.token(), id)?;
        self.read(request, deadline, MAX_JSON_BYTES, protocol::parse_application)
    }

    /// Prepares the documents to sign (§2.5).
    pub fn prepare_documents(&self, id: &str) -> Result<Application, Error> {
        let request = self.api.prepare_documents(self.token(), id)?;
        self.write("prepareDocuments", &self.transport, request, protocol::parse_application)
    }

    /// Uploads a document's signature (§2.6), checked first (table 7: a
    /// document id, a base64 signature): a request with an error is refused
    /// without being sent.
    pub fn sign(&self, id: &str, sign: &SignRequest) -> Result<Application, Error> {
        // The same check the WebAssembly `validateSignRequest` runs: the
        // core's reader of the request's JSON.
        let wire = ofd::to_wire_json(sign);
        let value = ofdkit::json::parse_bytes(wire.as_bytes()).map_err(ofdkit::Error::Json)?;
        refuse_errors(ofd::check_request::<SignRequest>(&value, ApplicationCheck::Draft).1)?;
        let request = self.api.sign(self.token(), id, sign)?;
        self.write("sign", &self.transport, request, protocol::parse_application)
    }

    /// Downloads a document's file (§2.7).
    pub fn download(&self, id: &str, document_id: &str) -> Result<Vec<u8>, Error> {
        let request = self.api.download_document(self.token(), id, document_id)?;
        self.read(request, &self.call_deadline(), MAX_DOCUMENT_BYTES, protocol::parse_document)
    }

    /// Registers a new client through a partner (appendix 1), at the
    /// partner base URL; returns the agreement's identifier.
    pub fn register_partner_client(&self, registration: &PartnerRegistration) -> Result<String, Error> {
        refuse_errors(ofd::validate_partner_registration(registration))?;
        let request = self.api.register_partner_client(self.token(), registration);
        self.write("partner registration", &self.partner_transport, request, protocol::parse_partner_response)
    }

    /// Waits until the application's stage or status is no longer what it
    /// was at the first read (figure 1: the FNS answers in minutes to
    /// days), polling with backoff until `deadline`.
    pub fn wait_for_change(&self, id: &str, deadline: impl Into<Deadline>) -> Result<Waited, Error> {
        let deadline = deadline.into();
        let first = self.get_by(id, &deadline)?;
        let from = position(&first);
        self.poll_until(id, first, &deadline, |app| position(app) != from)
    }

    /// Waits while the application is in `stage` and `status` (for
    /// example `ProcessingSignedDocuments` after signing), polling with
    /// backoff until `deadline`; returns at once if it is not.
    pub fn wait_while(
        &self,
        id: &str,
        stage: ApplicationStage,
        status: ApplicationStatus,
        deadline: impl Into<Deadline>,
    ) -> Result<Waited, Error> {
        let deadline = deadline.into();
        let first = self.get_by(id, &deadline)?;
        self.poll_until(id, first, &deadline, |app| (app.stage(), app.status()) != (Some(stage), Some(status)))
    }

    fn poll_until(
        &self,
        id: &str,
        first: Application,
        deadline: &Deadline,
        moved: impl Fn(&Application) -> bool,
    ) -> Result<Waited, Error> {
        let start = Instant::now();
        let mut last = first;
        let mut polls = 0;
        loop {
            if moved(&last) {
                return Ok(Waited { application: last, changed: true });
            }
            match self.config.poll.next(start.elapsed(), polls, None) {
                PollDecision::PollAfter(pause) if deadline.sleep(pause) => {}
                _ => return Ok(Waited { application: last, changed: false }),
            }
            polls += 1;
            last = match self.get_by(id, deadline) {
                Ok(app) => app,
                // A poll cut short by the deadline is the deadline coming.
                Err(_) if deadline.is_over() => return Ok(Waited { application: last, changed: false }),
                Err(e) => return Err(e),
            };
        }
    }
}

/// Nothing that breaks a rule is sent: the server would refuse it anyway,
/// with less detail.
fn refuse_errors(violations: ofdkit::Violations) -> Result<(), Error> {
    if violations.has_errors() {
        return Err(ofdkit::Error::Invalid(violations).into());
    }
    Ok(())
}
