//! The registration client: applications through their life cycle,
//! documents, and partner registration of new clients.

use std::fmt;

use ofdkit::ofd::{
    self, Application, ApplicationCheck, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest,
};
use ofdkit::protocol::{self, HttpRequest, HttpResponse, OfdApi, OfdAuth, Secret};

use crate::error::Error;
use crate::transport::{Timeouts, Transport};

/// How the client reaches the OFD.ru registration API.
#[derive(Clone)]
pub struct RegistrationConfig {
    /// `https://ofd.ru`, or a sandbox.
    pub base_url: String,
    /// The `AuthToken` of the user's or partner's cabinet.
    pub auth_token: Secret,
    pub auth: OfdAuth,
    pub timeouts: Timeouts,
    /// Attempts for a request that certainly did not arrive, and for reads.
    pub attempts: u32,
}

impl RegistrationConfig {
    pub fn new(base_url: impl Into<String>, auth_token: impl Into<String>) -> Self {
        RegistrationConfig {
            base_url: base_url.into(),
            auth_token: Secret::new(auth_token),
            auth: OfdAuth::default(),
            timeouts: Timeouts::default(),
            attempts: 3,
        }
    }
}

impl fmt::Debug for RegistrationConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationConfig")
            .field("base_url", &self.base_url)
            .field("auth_token", &self.auth_token)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

/// A blocking client of the OFD.ru registration API; `Send + Sync`.
pub struct RegistrationClient {
    api: OfdApi,
    config: RegistrationConfig,
    transport: Transport,
}

impl fmt::Debug for RegistrationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl RegistrationClient {
    pub fn new(config: RegistrationConfig) -> Result<Self, Error> {
        Ok(RegistrationClient {
            api: OfdApi::new(&config.base_url, config.auth)?,
            transport: Transport::new(config.timeouts),
            config,
        })
    }

    /// Sends a request, again only when it certainly did not arrive, or
    /// when it is a read.
    fn run<T>(
        &self,
        request: HttpRequest,
        read: bool,
        parse: impl Fn(&HttpResponse) -> Result<T, ofdkit::Error>,
    ) -> Result<T, Error> {
        let mut attempt = 1;
        loop {
            match self.transport.execute(&request) {
                Ok(response) => return Ok(parse(&response)?),
                Err(e) if (read || !e.may_have_arrived) && attempt < self.config.attempts.max(1) => {
                    std::thread::sleep(std::time::Duration::from_millis(100 << attempt));
                    attempt += 1;
                }
                Err(e) => return Err(Error::Transport(e)),
            }
        }
    }

    fn token(&self) -> &Secret {
        &self.config.auth_token
    }

    /// Creates an application (§2.1). It is checked first, as a draft
    /// (§2.5.1's completeness is for `prepare_documents`): a request with
    /// an error is refused without being sent.
    pub fn create(&self, application: &ApplicationRequest) -> Result<Application, Error> {
        refuse_errors(ofd::validate_application(application, ApplicationCheck::Draft))?;
        self.run(self.api.create_application(self.token(), application), false, protocol::parse_application)
    }

    /// Changes an application's details (§2.2), checked first as `create`.
    pub fn update(&self, id: &str, update: &ApplicationUpdate) -> Result<Application, Error> {
        refuse_errors(ofd::validate_update(update, ApplicationCheck::Draft))?;
        self.run(self.api.update_application(self.token(), id, update)?, false, protocol::parse_application)
    }

    /// The applications of a personal cabinet (§2.3).
    pub fn list(&self, ofd_agreement_id: &str) -> Result<Vec<Application>, Error> {
        self.run(self.api.list_applications(self.token(), ofd_agreement_id), true, protocol::parse_application_list)
    }

    /// One application (§2.4).
    pub fn get(&self, id: &str) -> Result<Application, Error> {
        self.run(self.api.get_application(self.token(), id)?, true, protocol::parse_application)
    }

    /// Prepares the documents to sign (§2.5).
    pub fn prepare_documents(&self, id: &str) -> Result<Application, Error> {
        self.run(self.api.prepare_documents(self.token(), id)?, false, protocol::parse_application)
    }

    /// Uploads a document's signature (§2.6).
    pub fn sign(&self, id: &str, sign: &SignRequest) -> Result<Application, Error> {
        self.run(self.api.sign(self.token(), id, sign)?, false, protocol::parse_application)
    }

    /// Downloads a document's file (§2.7).
    pub fn download(&self, id: &str, document_id: &str) -> Result<Vec<u8>, Error> {
        self.run(self.api.download_document(self.token(), id, document_id)?, true, protocol::parse_document)
    }

    /// Registers a new client through a partner (appendix 1); returns the
    /// agreement's identifier.
    pub fn register_partner_client(&self, registration: &PartnerRegistration) -> Result<String, Error> {
        refuse_errors(ofd::validate_partner_registration(registration))?;
        self.run(self.api.register_partner_client(self.token(), registration), false, protocol::parse_partner_response)
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
