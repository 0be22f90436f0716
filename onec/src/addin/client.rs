//! The one module that calls the client crate: the component's settings
//! become client configurations, and each network method of the component
//! is one call here, answered in the client's and the core's one JSON
//! form. When the client's API changes, this module is what changes.

use std::time::Duration;

use ofdkit::codes::Operation;
use ofdkit::ofd::{self, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest};
use ofdkit::protocol::OfdApi;
use ofdkit_client::{
    output as client_output, FermaClient, FermaConfig, Proxy, RegistrationClient, RegistrationConfig, Timeouts,
};

use super::errors::ErrorReport;
use super::output;

/// What the component's properties set.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Empty until set: a receipt never goes to production by omission.
    pub base_url: String,
    pub login: String,
    pub password: String,
    pub group_code: String,
    pub timeouts: Timeouts,
    /// `""` (the environment's proxy variables), `"direct"` or a URL.
    pub proxy: String,
    pub registration_base_url: String,
    pub partner_base_url: String,
    pub registration_token: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            base_url: String::new(),
            login: String::new(),
            password: String::new(),
            group_code: String::new(),
            timeouts: Timeouts::default(),
            proxy: String::new(),
            registration_base_url: OfdApi::PRODUCTION_BASE_URL.to_owned(),
            partner_base_url: OfdApi::PARTNER_BASE_URL.to_owned(),
            registration_token: String::new(),
        }
    }
}

impl Settings {
    /// The three timeouts, with one of them changed.
    pub fn with_timeouts(&mut self, connect: Option<Duration>, request: Option<Duration>, call: Option<Duration>) {
        let t = self.timeouts;
        self.timeouts =
            Timeouts::new(connect.unwrap_or(t.connect), request.unwrap_or(t.request), call.unwrap_or(t.call));
    }

    fn proxy(&self) -> Result<Proxy, ErrorReport> {
        self.proxy.parse().map_err(ErrorReport::from_client)
    }
}

/// The clients, made from the settings when first needed and again after
/// a setting changes (the token cache goes with the old client).
#[derive(Default)]
pub struct Clients {
    ferma: Option<FermaClient>,
    registration: Option<RegistrationClient>,
}

type Answer = Result<String, ErrorReport>;

impl Clients {
    /// Forgets the clients: the next call makes them from new settings.
    pub fn reset(&mut self) {
        *self = Clients::default();
    }

    fn ferma(&mut self, settings: &Settings) -> Result<&FermaClient, ErrorReport> {
        if self.ferma.is_none() {
            if settings.base_url.is_empty() {
                return Err(ErrorReport::argument(
                    format!(
                        "set BaseUrl: {} (test) or {} (production)",
                        FermaConfig::TEST_URL,
                        FermaConfig::PRODUCTION_URL
                    ),
                    format!(
                        "задайте АдресСервера: {} (тестовый контур) или {} (боевой)",
                        FermaConfig::TEST_URL,
                        FermaConfig::PRODUCTION_URL
                    ),
                ));
            }
            let config = FermaConfig::builder()
                .base_url(settings.base_url.as_str())
                .login(settings.login.as_str())
                .password(settings.password.as_str())
                .group_code(settings.group_code.as_str())
                .timeouts(settings.timeouts)
                .proxy(settings.proxy()?)
                .build()
                .map_err(ErrorReport::from_client)?;
            self.ferma = Some(FermaClient::new(config).map_err(ErrorReport::from_client)?);
        }
        Ok(self.ferma.as_ref().expect("made above"))
    }

    fn registration(&mut self, settings: &Settings) -> Result<&RegistrationClient, ErrorReport> {
        if self.registration.is_none() {
            let config = RegistrationConfig::builder()
                .base_url(settings.registration_base_url.as_str())
                .partner_base_url(settings.partner_base_url.as_str())
                .auth_token(settings.registration_token.as_str())
                .timeouts(settings.timeouts)
                .proxy(settings.proxy()?)
                .build()
                .map_err(ErrorReport::from_client)?;
            self.registration = Some(RegistrationClient::new(config).map_err(ErrorReport::from_client)?);
        }
        Ok(self.registration.as_ref().expect("made above"))
    }

    pub fn send(&mut self, settings: &Settings, operation: Operation, receipt: &str) -> Answer {
        let sent = self.ferma(settings)?.send_json(operation, receipt.as_bytes()).map_err(ErrorReport::from_client)?;
        Ok(client_output::sent(&sent).to_string())
    }

    pub fn fiscalize(
        &mut self,
        settings: &Settings,
        operation: Operation,
        receipt: &str,
        deadline: Duration,
    ) -> Answer {
        let result = self
            .ferma(settings)?
            .fiscalize_json(operation, receipt.as_bytes(), deadline)
            .map_err(ErrorReport::from_client)?;
        Ok(client_output::fiscalization(&result).to_string())
    }

    pub fn recover(&mut self, settings: &Settings, operation: Operation, receipt: &str) -> Answer {
        let recovery =
            self.ferma(settings)?.recover_json(operation, receipt.as_bytes()).map_err(ErrorReport::from_client)?;
        Ok(client_output::recovery(&recovery).to_string())
    }

    pub fn report(&mut self, settings: &Settings, uuid: &str) -> Answer {
        let outcome = self.ferma(settings)?.report(uuid).map_err(ErrorReport::from_client)?;
        Ok(output::report(&outcome))
    }

    pub fn wait(&mut self, settings: &Settings, uuid: &str, deadline: Duration) -> Answer {
        let state = self.ferma(settings)?.wait(uuid, deadline).map_err(ErrorReport::from_client)?;
        Ok(client_output::waited(uuid, &state).to_string())
    }

    pub fn create_application(&mut self, settings: &Settings, json: &str) -> Answer {
        let request: ApplicationRequest = ofd::parse_request(json.as_bytes()).map_err(ErrorReport::from_core)?;
        let application = self.registration(settings)?.create(&request).map_err(ErrorReport::from_client)?;
        Ok(output::application(&application))
    }

    pub fn update_application(&mut self, settings: &Settings, id: &str, json: &str) -> Answer {
        let update: ApplicationUpdate = ofd::parse_request(json.as_bytes()).map_err(ErrorReport::from_core)?;
        let application = self.registration(settings)?.update(id, &update).map_err(ErrorReport::from_client)?;
        Ok(output::application(&application))
    }

    pub fn list_applications(&mut self, settings: &Settings, ofd_agreement_id: &str) -> Answer {
        let list = self.registration(settings)?.list(ofd_agreement_id).map_err(ErrorReport::from_client)?;
        Ok(output::applications(&list))
    }

    pub fn get_application(&mut self, settings: &Settings, id: &str) -> Answer {
        let application = self.registration(settings)?.get(id).map_err(ErrorReport::from_client)?;
        Ok(output::application(&application))
    }

    pub fn prepare_documents(&mut self, settings: &Settings, id: &str) -> Answer {
        let application = self.registration(settings)?.prepare_documents(id).map_err(ErrorReport::from_client)?;
        Ok(output::application(&application))
    }

    pub fn sign(&mut self, settings: &Settings, id: &str, document_id: &str, signature_base64: &str) -> Answer {
        let sign = SignRequest::new(document_id, signature_base64);
        let application = self.registration(settings)?.sign(id, &sign).map_err(ErrorReport::from_client)?;
        Ok(output::application(&application))
    }

    /// The document's file, as bytes (1C's `ДвоичныеДанные`).
    pub fn download(&mut self, settings: &Settings, id: &str, document_id: &str) -> Result<Vec<u8>, ErrorReport> {
        self.registration(settings)?.download(id, document_id).map_err(ErrorReport::from_client)
    }

    /// The agreement's identifier.
    pub fn register_partner_client(&mut self, settings: &Settings, json: &str) -> Answer {
        let registration: PartnerRegistration = ofd::parse_request(json.as_bytes()).map_err(ErrorReport::from_core)?;
        self.registration(settings)?.register_partner_client(&registration).map_err(ErrorReport::from_client)
    }
}
