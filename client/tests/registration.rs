//! The registration client against the sandbox: the whole life cycle of an
//! application, its refusals, and partner registration.

mod hostile;

use std::time::Duration;

use ofdkit::codes::{ApplicationStage, ApplicationStatus, DocumentKind, SignatureState};
use ofdkit::ofd::{
    Application, ApplicationRequest, ApplicationUpdate, FiscalDocumentData, KktDetails, PartnerRegistration,
    SignRequest,
};
use ofdkit::rules::check_kkt_registration_number;
use ofdkit::ErrorCode;
use ofdkit_client::{Error, RegistrationClient, RegistrationConfig};
use ofdkit_sandbox::{Endpoint, Fault, FaultKind, Sandbox, SandboxConfig};

const APPLICATION: &str = r#"{
  "ofdAgreementId": "555b55e5-a555-4e55-95d5-5fcbafd5fe55",
  "purpose": "InitialRegistration",
  "KktDetails": {
    "FnName": "ФН-1.1М исполнение 15-2", "FnNumber": "7380440700000001", "Model": "ШТРИХ-ON-LINE",
    "SerialNumber": "00105726645591", "FnsBranchCode": "7841",
    "InstallmentAddress": {"FiasCode": "0c5b2444-70a0-4932-980c-b4dc0d3f02b5", "RegionCode": "78", "PostalCode": "190000"},
    "InstallmentPlace": "https://shop.example.ru", "UsageMode": {"Internet": true}
  },
  "CompanyDetails": {
    "CompanyType": "LegalEntity", "Inn": "7825706086", "Kpp": "784101001", "Ogrn": "1027700132195",
    "CompanyName": "ООО «Ромашка»", "FnsBranchCode": "7841", "LegalAddress": {"RegionCode": "78"},
    "Signatory": {"FirstName": "Иван", "LastName": "Иванов", "MiddleName": "Иванович", "Email": "director@example.ru",
                  "Phone": "+79001234567", "Position": "генеральный директор"}
  }
}"#;

fn start() -> (Sandbox, RegistrationClient) {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let client = client_for(&sandbox);
    (sandbox, client)
}

const PARTNER: &str = r#"{"Name": "ООО «Ромашка»", "email": "owner@example.ru", "inn": "7825706086", "kpp": "784101001",
    "ogrn": "1027700132195", "okved": "47.91", "phoneNumber": "+79001234567", "agreement": "UEsDBBQAAAAIAA==",
    "legalAddress": {"regionCode": "78", "zipCode": "190000", "city": "Санкт-Петербург", "street": "Невский пр.", "building": "1"},
    "taxPayer": {"lastName": "Иванов", "firstName": "Иван"}}"#;

fn client_for(sandbox: &Sandbox) -> RegistrationClient {
    let config = RegistrationConfig::builder()
        .base_url(sandbox.base_url())
        .partner_base_url(sandbox.base_url())
        .auth_token(sandbox.config().ofd_auth_token)
        .build()
        .unwrap();
    RegistrationClient::new(config).unwrap()
}

fn application() -> ApplicationRequest {
    ofdkit::ofd::parse_request(APPLICATION.as_bytes()).unwrap()
}

fn state(app: &Application) -> (ApplicationStage, ApplicationStatus) {
    (app.stage().unwrap(), app.status().unwrap())
}

fn sign_all(client: &RegistrationClient, app: &Application) -> Application {
    let id = app.id.as_deref().unwrap();
    let mut last = app.clone();
    for document in app.unsigned_documents() {
        last = client.sign(id, &SignRequest::new(document.id.clone().unwrap(), "MIIGZgYJKoZIhvcNAQcC")).unwrap();
    }
    last
}

#[test]
fn an_application_goes_from_new_to_approved_with_its_registration_card() {
    let (_sandbox, client) = start();
    let created = client.create(&application()).unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(state(&created), (ApplicationStage::Initialization, ApplicationStatus::New));

    // The primary request: prepare, sign, and the FNS assigns a number.
    let prepared = client.prepare_documents(&id).unwrap();
    assert_eq!(state(&prepared), (ApplicationStage::Initialization, ApplicationStatus::AwaitingSignature));
    assert_eq!(prepared.documents.as_ref().unwrap()[0].kind(), Some(DocumentKind::RegistrationApplication));
    let signed = sign_all(&client, &prepared);
    assert_eq!(state(&signed), (ApplicationStage::Initialization, ApplicationStatus::ProcessingSignedDocuments));
    let numbered = client.get(&id).unwrap();
    assert_eq!(state(&numbered), (ApplicationStage::Finalization, ApplicationStatus::New));
    let reg_number = numbered.reg_number().unwrap().to_owned();
    assert_eq!(check_kkt_registration_number(&reg_number, "7825706086", "00105726645591"), Ok(true));

    // The secondary request: the registration report's data, then sign again.
    let update = ApplicationUpdate {
        kkt_details: Some(KktDetails {
            fiscal_document_data: Some(FiscalDocumentData {
                date_time: Some("2026-11-24T10:15:00".parse().unwrap()),
                document_number: Some("1".into()),
                signature: Some("3449555955".into()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let violations = ofdkit::ofd::validate_update(&update, ofdkit::ofd::ApplicationCheck::Secondary);
    assert!(violations.is_empty(), "{violations}");
    client.update(&id, &update).unwrap();
    let prepared = client.prepare_documents(&id).unwrap();
    assert!(prepared.unsigned_documents().any(|d| d.kind() == Some(DocumentKind::RegistrationReport)));
    sign_all(&client, &prepared);
    let approved = client.get(&id).unwrap();
    assert_eq!(state(&approved), (ApplicationStage::Finalization, ApplicationStatus::Approved));
    let card =
        approved.documents.as_ref().unwrap().iter().find(|d| d.kind() == Some(DocumentKind::RegistrationCard)).unwrap();
    assert_eq!(card.signature.as_ref().and_then(|s| s.known()), Some(SignatureState::NotNeeded));
    let bytes = client.download(&id, card.id.as_deref().unwrap()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("1110066") && text.contains(&reg_number), "{text}");

    let listed = client.list("555b55e5-a555-4e55-95d5-5fcbafd5fe55").unwrap();
    assert_eq!(listed.len(), 1);
}

#[test]
fn the_fns_can_reject_with_a_reason() {
    let (sandbox, client) = start();
    sandbox.inject(Fault::once(
        Endpoint::Registration,
        FaultKind::RejectApplication("Неверно указаны ФИО подписанта".into()),
    ));
    let id = client.create(&application()).unwrap().id.unwrap();
    let prepared = client.prepare_documents(&id).unwrap();
    sign_all(&client, &prepared);
    let rejected = client.get(&id).unwrap();
    assert_eq!(rejected.status(), Some(ApplicationStatus::Rejected));
    assert_eq!(rejected.status_reason.as_deref(), Some("Неверно указаны ФИО подписанта"));
    assert!(rejected.documents.unwrap().iter().any(|d| d.kind() == Some(DocumentKind::RefusalNotice)));
    // A rejected application takes no more requests.
    assert_eq!(client.prepare_documents(&id).unwrap_err().code(), ErrorCode::WrongState);
}

#[test]
fn every_refusal_is_typed() {
    let (_sandbox, client) = start();
    assert_eq!(client.get("00000000-0000-4000-8000-000000000000").unwrap_err().code(), ErrorCode::NotFound);

    let mut foreign = application();
    foreign.ofd_agreement_id = "00000000-0000-4000-8000-000000000001".into();
    let error = client.create(&foreign).unwrap_err();
    assert_eq!(
        (error.code(), error.api_error().unwrap().name.as_deref()),
        (ErrorCode::NotFound, Some("OfdAgreementNotFound"))
    );

    let mut incomplete = application();
    incomplete.kkt_details.as_mut().unwrap().fn_number = None;
    let id = client.create(&incomplete).unwrap().id.unwrap();
    let error = client.prepare_documents(&id).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Rejected);
    assert_eq!(error.api_error().unwrap().name.as_deref(), Some("Missing_KktDetails.FnNumber"));

    let error = client.sign(&id, &SignRequest::new("nope", "AA==")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::WrongState, "{error}");

    let config = RegistrationConfig::builder().base_url(_sandbox.base_url()).auth_token("wrong-token").build().unwrap();
    let stranger = RegistrationClient::new(config).unwrap();
    let error = stranger.list("555b55e5-a555-4e55-95d5-5fcbafd5fe55").unwrap_err();
    assert_eq!(error.code(), ErrorCode::AccessDenied);
    assert!(!format!("{error} {stranger:?}").contains("wrong-token"));
}

#[test]
fn partners_register_clients_once() {
    let (_sandbox, client) = start();
    let registration: PartnerRegistration = ofdkit::ofd::parse_request(PARTNER.as_bytes()).unwrap();
    let agreement = client.register_partner_client(&registration).unwrap();
    assert!(!agreement.is_empty());
    // The new cabinet takes applications at once.
    let mut app = application();
    app.ofd_agreement_id = agreement;
    client.create(&app).unwrap();
    // The same entity from another email is refused (appendix 1, scenarios).
    let mut other = registration.clone();
    other.email = Some("someone@example.ru".into());
    let error = client.register_partner_client(&other).unwrap_err();
    assert_eq!(error.api_error().unwrap().name.as_deref(), Some("ValidationError"));
    // A request that breaks a rule is refused before it is sent.
    let mut invalid = registration;
    invalid.okved = Some("47911".into());
    match client.register_partner_client(&invalid).unwrap_err() {
        Error::Core(ofdkit::Error::Invalid(v)) => assert_eq!(v.errors().next().unwrap().path, "okved"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn processing_takes_the_configured_steps() {
    let sandbox =
        Sandbox::start(SandboxConfig { fns_step_delay: Duration::from_millis(150), ..SandboxConfig::instant() })
            .unwrap();
    let client = client_for(&sandbox);
    let id = client.create(&application()).unwrap().id.unwrap();
    let prepared = client.prepare_documents(&id).unwrap();
    sign_all(&client, &prepared);
    let mut seen = vec![client.get(&id).unwrap().status().unwrap()];
    while seen.last() != Some(&ApplicationStatus::New) {
        std::thread::sleep(Duration::from_millis(40));
        let status = client.get(&id).unwrap().status().unwrap();
        if seen.last() != Some(&status) {
            seen.push(status);
        }
    }
    assert_eq!(
        seen,
        [
            ApplicationStatus::ProcessingSignedDocuments,
            ApplicationStatus::ReadyToBeSentToFns,
            ApplicationStatus::SentToFns,
            ApplicationStatus::New
        ]
    );
}

#[test]
fn a_signature_that_breaks_a_rule_is_never_sent() {
    let server = hostile::Server::start(|x| x.respond(200, r#"{"Status":"Success","Data":{"Id":"a"}}"#));
    let config = RegistrationConfig::builder().base_url(&server.url).auth_token("cabinet-token").build().unwrap();
    let client = RegistrationClient::new(config).unwrap();
    let id = "5fe3c011-3137-422f-bde8-893dbd41d326";
    for (sign, path) in
        [(SignRequest::new("d-1", "not base64!"), "signature"), (SignRequest::new("", "AA=="), "documentId")]
    {
        match client.sign(id, &sign).unwrap_err() {
            Error::Core(ofdkit::Error::Invalid(v)) => assert_eq!(v.errors().next().unwrap().path, path),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(server.requests().len(), 0, "nothing was sent");
    client.sign(id, &SignRequest::new("d-1", "MIIGZgYJKoZIhvcNAQcC")).unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn partner_registration_goes_to_its_own_host() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let (partner_sandbox, partner_url) = {
        let other = Sandbox::start(SandboxConfig::instant()).unwrap();
        let url = other.base_url();
        (other, url)
    };
    let config = RegistrationConfig::builder()
        .base_url(sandbox.base_url())
        .partner_base_url(&partner_url)
        .auth_token(sandbox.config().ofd_auth_token)
        .build()
        .unwrap();
    let client = RegistrationClient::new(config).unwrap();
    let registration: PartnerRegistration = ofdkit::ofd::parse_request(PARTNER.as_bytes()).unwrap();
    let agreement = client.register_partner_client(&registration).unwrap();
    // The agreement is the partner host's: the application API's host has never seen it.
    let mut app = application();
    app.ofd_agreement_id = agreement;
    assert_eq!(client.create(&app).unwrap_err().code(), ErrorCode::NotFound);
    drop(partner_sandbox);
    // Without a setting, partners register at the spec's host.
    let default = RegistrationConfig::builder().auth_token("t").build().unwrap();
    assert_eq!(default.partner_base_url, "https://ofd.me");
}

#[test]
fn waiting_for_the_fns_ends_when_the_status_changes_or_the_deadline_comes() {
    let sandbox =
        Sandbox::start(SandboxConfig { fns_step_delay: Duration::from_millis(300), ..SandboxConfig::instant() })
            .unwrap();
    let config = RegistrationConfig::builder()
        .base_url(sandbox.base_url())
        .auth_token(sandbox.config().ofd_auth_token)
        .poll(ofdkit::protocol::PollPolicy::new(Duration::from_millis(20), Duration::from_millis(100)))
        .build()
        .unwrap();
    let client = RegistrationClient::new(config).unwrap();
    let id = client.create(&application()).unwrap().id.unwrap();
    // Nothing happens to a new application by itself: the deadline ends the wait.
    let started = std::time::Instant::now();
    let idle = client.wait_for_change(&id, Duration::from_millis(500)).unwrap();
    assert!(!idle.changed && started.elapsed() < Duration::from_secs(2));
    assert_eq!(idle.application.status(), Some(ApplicationStatus::New));
    let prepared = client.prepare_documents(&id).unwrap();
    sign_all(&client, &prepared);
    let mut seen = vec![client.get(&id).unwrap().status().unwrap()];
    while seen.last() != Some(&ApplicationStatus::New) {
        let waited = client.wait_for_change(&id, Duration::from_secs(5)).unwrap();
        assert!(waited.changed);
        seen.push(waited.application.status().unwrap());
    }
    assert_eq!(
        seen,
        [
            ApplicationStatus::ProcessingSignedDocuments,
            ApplicationStatus::ReadyToBeSentToFns,
            ApplicationStatus::SentToFns,
            ApplicationStatus::New
        ]
    );
    let finalized = client
        .wait_while(&id, ApplicationStage::Initialization, ApplicationStatus::SentToFns, Duration::from_millis(10))
        .unwrap();
    assert_eq!(finalized.application.stage(), Some(ApplicationStage::Finalization));
}
