//! The life cycle of a registration application (figure 1, §§2.1.1–2.1.3):
//! which request is allowed in which stage and status, and what comes next.
//! Clients and the sandbox share this one definition.
//!
//! ```text
//! Initialization/New ──prepareDocuments──▶ AwaitingSignature ──sign (all)──▶ ProcessingSignedDocuments
//!   ▲   update                                                                     │ checked
//!   └──────────── (update before signing goes back to New)                        ▼
//!                                                       ReadyToBeSentToFns ──sent──▶ SentToFns
//!                                                                                    │ FNS accepts: RegNumber
//!                                                                                    ▼
//! Finalization/New ──update (registration report's data)──▶ prepareDocuments ──▶ … ──▶ SentToFns
//!                                                                                    │ FNS accepts: card
//!                                                                                    ▼
//!                                                                        Finalization/Approved
//! Any processing status ──FNS or data error──▶ Rejected (StatusReason); a failure ──▶ UnknownError
//! ```
//!
//! An unregistration has one round: its acceptance ends in
//! Finalization/Approved with the unregistration card.

use std::fmt;

use crate::codes::{ApplicationPurpose, ApplicationStage, ApplicationStatus, DocumentKind, SignatureState};

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApplicationState {
    /// The processing stage (§2.1.3).
    pub stage: ApplicationStage,
    /// The status (§2.1.1).
    pub status: ApplicationStatus,
}

/// A request a user makes of an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserAction {
    /// `PUT api/kkt/application/{id}` (§2.2).
    Update,
    /// `POST …/prepareDocuments` (§2.5).
    PrepareDocuments,
    /// `POST …/sign` (§2.6).
    Sign,
    /// `GET api/kkt/application/{id}` (§2.4), the list (§2.3), a download (§2.7).
    Read,
}

/// What moves an application forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The details were updated (§2.2).
    Update,
    /// The documents were prepared (§2.5).
    PrepareDocuments,
    /// A signature was uploaded; `all_signed` when no document awaits one.
    Sign {
        /// No document awaits a signature any more.
        all_signed: bool,
    },
    /// The server checked the signed data and found it sound.
    DataChecked,
    /// The server sent the application to the FNS.
    SentToFns,
    /// The FNS accepted: a registration number, or the card.
    FnsAccepted,
    /// The data or the FNS rejected the application (with a StatusReason).
    Rejected,
    /// Processing failed.
    Failed,
}

/// A step the life cycle does not allow in a state. The server answers it
/// with `InvalidStatus` (§2.5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidTransition {
    /// The state the step was tried in.
    pub state: ApplicationState,
    /// The step not allowed there.
    pub step: Step,
}

impl fmt::Display for InvalidTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not allowed in {}/{}", self.step, self.state.stage, self.state.status)
    }
}

impl std::error::Error for InvalidTransition {}

/// A document a step produces, with the state of its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssuedDocument {
    /// The kind of document (§2.3.2).
    pub kind: DocumentKind,
    /// Whether it is signed, unsigned or needs no signature (§2.3.3).
    pub signature: SignatureState,
}

/// The result of an allowed step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The state after the step.
    pub state: ApplicationState,
    /// Documents the step adds to the application.
    pub issued: Vec<IssuedDocument>,
    /// Whether the step discards the documents prepared so far (an update
    /// after preparing them).
    pub discards_prepared: bool,
}

/// What the user should do next, for clients to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// Fill the details §2.5.1 requires, then prepare the documents.
    PrepareDocuments,
    /// Sign the unsigned documents with the qualified electronic signature.
    SignDocuments,
    /// Wait: the server or the FNS is processing (this may take days).
    Wait,
    /// Configure the KKT with the registration number, print the
    /// registration report, put its data into `FiscalDocumentData`, then
    /// prepare and sign the secondary request's documents.
    SendSecondaryRequest,
    /// Registered (or unregistered): download the card.
    Done,
    /// Rejected or failed: read `StatusReason`, fix the data, start again.
    Failed,
}

use ApplicationStage::{Finalization, Initialization};
use ApplicationStatus::*;

impl ApplicationState {
    /// A new application (§2.1).
    pub const CREATED: ApplicationState = ApplicationState { stage: Initialization, status: New };

    /// The state of a stage and a status.
    pub const fn new(stage: ApplicationStage, status: ApplicationStatus) -> Self {
        ApplicationState { stage, status }
    }

    /// Nothing more will happen to the application.
    pub fn is_final(self) -> bool {
        matches!(self.status, Rejected | UnknownError) || (self.stage == Finalization && self.status == Approved)
    }

    /// Whether the user may make this request now.
    pub fn allows(self, action: UserAction) -> bool {
        match action {
            UserAction::Read => true,
            UserAction::Update | UserAction::PrepareDocuments => {
                matches!(self.status, New | AwaitingDocuments | AwaitingSignature)
            }
            UserAction::Sign => self.status == AwaitingSignature,
        }
    }

    /// The state after `step` for an application of `purpose`, with the
    /// documents the step issues.
    pub fn step(self, purpose: ApplicationPurpose, step: Step) -> Result<Transition, InvalidTransition> {
        let invalid = InvalidTransition { state: self, step };
        let to = |status| ApplicationState { stage: self.stage, status };
        let plain = |state| Ok(Transition { state, issued: Vec::new(), discards_prepared: false });
        match (step, self.status) {
            (Step::Update, New | AwaitingDocuments | AwaitingSignature) => Ok(Transition {
                state: to(New),
                issued: Vec::new(),
                discards_prepared: self.status == AwaitingSignature,
            }),
            (Step::PrepareDocuments, New | AwaitingDocuments | AwaitingSignature) => {
                let kind = match (self.stage, purpose) {
                    (Initialization, ApplicationPurpose::Unregistration) => DocumentKind::UnregistrationApplication,
                    (Initialization, _) => DocumentKind::RegistrationApplication,
                    (Finalization, _) => DocumentKind::RegistrationReport,
                };
                Ok(Transition {
                    state: to(AwaitingSignature),
                    issued: vec![IssuedDocument { kind, signature: SignatureState::Unsigned }],
                    discards_prepared: self.status == AwaitingSignature,
                })
            }
            (Step::Sign { all_signed: false }, AwaitingSignature) => plain(self),
            (Step::Sign { all_signed: true }, AwaitingSignature) => plain(to(ProcessingSignedDocuments)),
            (Step::DataChecked, ProcessingSignedDocuments) => plain(to(ReadyToBeSentToFns)),
            (Step::SentToFns, ReadyToBeSentToFns) => plain(to(SentToFns)),
            (Step::FnsAccepted, SentToFns) => {
                let (state, kind) = match (self.stage, purpose) {
                    (_, ApplicationPurpose::Unregistration) => {
                        (ApplicationState::new(Finalization, Approved), DocumentKind::UnregistrationCard)
                    }
                    (Initialization, _) => (ApplicationState::new(Finalization, New), DocumentKind::RegNumberNotice),
                    (Finalization, _) => {
                        (ApplicationState::new(Finalization, Approved), DocumentKind::RegistrationCard)
                    }
                };
                Ok(Transition {
                    state,
                    issued: vec![IssuedDocument { kind, signature: SignatureState::NotNeeded }],
                    discards_prepared: false,
                })
            }
            (Step::Rejected, ProcessingSignedDocuments | ReadyToBeSentToFns | SentToFns) => Ok(Transition {
                state: to(Rejected),
                issued: vec![IssuedDocument {
                    kind: DocumentKind::RefusalNotice,
                    signature: SignatureState::NotNeeded,
                }],
                discards_prepared: false,
            }),
            (Step::Failed, ProcessingSignedDocuments | ReadyToBeSentToFns | SentToFns) => plain(to(UnknownError)),
            _ => Err(invalid),
        }
    }

    /// What the user should do next.
    pub fn next_step(self) -> NextStep {
        match (self.stage, self.status) {
            (_, Rejected | UnknownError) => NextStep::Failed,
            (Finalization, Approved) => NextStep::Done,
            (Initialization, New | AwaitingDocuments) => NextStep::PrepareDocuments,
            (Finalization, New | AwaitingDocuments) => NextStep::SendSecondaryRequest,
            (_, AwaitingSignature) => NextStep::SignDocuments,
            _ => NextStep::Wait,
        }
    }
}

impl UserAction {
    /// Every action, in the order bindings list them.
    pub const ALL: [UserAction; 4] =
        [UserAction::Update, UserAction::PrepareDocuments, UserAction::Sign, UserAction::Read];

    /// The snake_case name bindings use (`prepare_documents`).
    pub fn as_str(self) -> &'static str {
        match self {
            UserAction::Update => "update",
            UserAction::PrepareDocuments => "prepare_documents",
            UserAction::Sign => "sign",
            UserAction::Read => "read",
        }
    }
}

impl NextStep {
    /// The snake_case name bindings use (`sign_documents`).
    pub fn as_str(self) -> &'static str {
        match self {
            NextStep::PrepareDocuments => "prepare_documents",
            NextStep::SignDocuments => "sign_documents",
            NextStep::Wait => "wait",
            NextStep::SendSecondaryRequest => "send_secondary_request",
            NextStep::Done => "done",
            NextStep::Failed => "failed",
        }
    }

    /// What to do, in English and Russian, for a user interface.
    pub fn advice(self) -> (&'static str, &'static str) {
        match self {
            NextStep::PrepareDocuments => (
                "fill in what §2.5.1 requires, then prepare the documents",
                "заполните сведения, которые требует §2.5.1, и подготовьте документы",
            ),
            NextStep::SignDocuments => (
                "sign the unsigned documents with the qualified electronic signature",
                "подпишите неподписанные документы квалифицированной электронной подписью",
            ),
            NextStep::Wait => (
                "wait: OFD.ru or the FNS is processing the application, which may take days",
                "ожидайте: заявку обрабатывает OFD.ru или ФНС, это может занять несколько дней",
            ),
            NextStep::SendSecondaryRequest => (
                "enter the registration number into the KKT, print the registration report, put its data into FiscalDocumentData, then prepare and sign the secondary request",
                "введите регистрационный номер в ККТ, распечатайте отчёт о регистрации, внесите его данные в FiscalDocumentData, затем подготовьте и подпишите вторичный запрос",
            ),
            NextStep::Done => ("done: download the card", "готово: скачайте карточку"),
            NextStep::Failed => (
                "rejected or failed: read StatusReason, fix the data and start again",
                "отклонено или ошибка: прочитайте StatusReason, исправьте данные и начните заново",
            ),
        }
    }
}

/// What a state means for a user, in the one JSON form every binding
/// gives: `{stage, status, final, next_step, advice, advice_ru, allowed}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StateSummary {
    /// The processing stage (§2.1.3).
    pub stage: ApplicationStage,
    /// The status (§2.1.1).
    pub status: ApplicationStatus,
    /// Whether nothing more will happen to the application (`final`).
    #[serde(rename = "final")]
    pub is_final: bool,
    /// What to do next, as a [`NextStep`]'s snake_case name.
    pub next_step: &'static str,
    /// What to do next, in English.
    pub advice: &'static str,
    /// What to do next, in Russian.
    pub advice_ru: &'static str,
    /// The requests the user may make now (`update`, `prepare_documents`, `sign`, `read`).
    pub allowed: Vec<&'static str>,
}

impl ApplicationState {
    /// The state from its wire names (`"Initialization"`, `"AwaitingSignature"`).
    pub fn from_names(stage: &str, status: &str) -> Result<Self, crate::Error> {
        use crate::codes::Code;
        let stage = ApplicationStage::from_wire(stage).ok_or_else(|| {
            crate::Error::Argument(format!("{stage:?} is not an application stage ({})", names::<ApplicationStage>()))
        })?;
        let status = ApplicationStatus::from_wire(status).ok_or_else(|| {
            crate::Error::Argument(format!(
                "{status:?} is not an application status ({})",
                names::<ApplicationStatus>()
            ))
        })?;
        Ok(ApplicationState { stage, status })
    }

    /// What this state means for a user.
    ///
    /// ```
    /// use ofdkit::ofd::ApplicationState;
    /// let summary = ApplicationState::from_names("Initialization", "AwaitingSignature").unwrap().summary();
    /// assert_eq!(summary.next_step, "sign_documents");
    /// assert!(summary.allowed.contains(&"sign"));
    /// ```
    pub fn summary(self) -> StateSummary {
        let next = self.next_step();
        let (advice, advice_ru) = next.advice();
        StateSummary {
            stage: self.stage,
            status: self.status,
            is_final: self.is_final(),
            next_step: next.as_str(),
            advice,
            advice_ru,
            allowed: UserAction::ALL.into_iter().filter(|a| self.allows(*a)).map(UserAction::as_str).collect(),
        }
    }
}

fn names<C: crate::codes::Code>() -> String {
    C::TABLE.entries.iter().map(|e| e.wire).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for ApplicationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.stage, self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    const REG: ApplicationPurpose = ApplicationPurpose::InitialRegistration;

    fn run(purpose: ApplicationPurpose, steps: &[Step]) -> (ApplicationState, Vec<DocumentKind>) {
        let mut state = ApplicationState::CREATED;
        let mut docs = Vec::new();
        for step in steps {
            let t = state.step(purpose, *step).unwrap_or_else(|e| panic!("{e}"));
            docs.extend(t.issued.iter().map(|d| d.kind));
            state = t.state;
        }
        (state, docs)
    }

    #[test]
    fn a_registration_goes_through_both_requests() {
        let round = [Step::PrepareDocuments, Step::Sign { all_signed: true }, Step::DataChecked, Step::SentToFns];
        let mut steps = vec![Step::Update];
        steps.extend(round);
        steps.push(Step::FnsAccepted);
        let (state, _) = run(REG, &steps);
        assert_eq!(state, ApplicationState::new(Finalization, New));
        assert_eq!(state.next_step(), NextStep::SendSecondaryRequest);
        steps.push(Step::Update);
        steps.extend(round);
        steps.push(Step::FnsAccepted);
        let (state, docs) = run(REG, &steps);
        assert_eq!(state, ApplicationState::new(Finalization, Approved));
        assert!(state.is_final() && state.next_step() == NextStep::Done);
        assert_eq!(
            docs,
            [
                DocumentKind::RegistrationApplication,
                DocumentKind::RegNumberNotice,
                DocumentKind::RegistrationReport,
                DocumentKind::RegistrationCard
            ]
        );
    }

    #[test]
    fn an_unregistration_has_one_round() {
        let (state, docs) = run(
            ApplicationPurpose::Unregistration,
            &[
                Step::PrepareDocuments,
                Step::Sign { all_signed: true },
                Step::DataChecked,
                Step::SentToFns,
                Step::FnsAccepted,
            ],
        );
        assert_eq!(state, ApplicationState::new(Finalization, Approved));
        assert_eq!(docs, [DocumentKind::UnregistrationApplication, DocumentKind::UnregistrationCard]);
    }

    #[test]
    fn rejection_and_failure_end_it() {
        let (state, docs) = run(REG, &[Step::PrepareDocuments, Step::Sign { all_signed: true }, Step::Rejected]);
        assert_eq!(state.status, Rejected);
        assert_eq!(docs.last(), Some(&DocumentKind::RefusalNotice));
        assert_eq!(state.next_step(), NextStep::Failed);
        let (state, _) =
            run(REG, &[Step::PrepareDocuments, Step::Sign { all_signed: true }, Step::DataChecked, Step::Failed]);
        assert_eq!(state.status, UnknownError);
        assert!(state.is_final());
    }

    #[test]
    fn every_forbidden_step_is_refused() {
        let steps = [
            Step::Update,
            Step::PrepareDocuments,
            Step::Sign { all_signed: false },
            Step::Sign { all_signed: true },
            Step::DataChecked,
            Step::SentToFns,
            Step::FnsAccepted,
            Step::Rejected,
            Step::Failed,
        ];
        let mut allowed = 0;
        for stage in ApplicationStage::ALL {
            for status in ApplicationStatus::ALL {
                let state = ApplicationState::new(*stage, *status);
                for step in steps {
                    let result = state.step(REG, step);
                    let user = match step {
                        Step::Update => Some(UserAction::Update),
                        Step::PrepareDocuments => Some(UserAction::PrepareDocuments),
                        Step::Sign { .. } => Some(UserAction::Sign),
                        _ => None,
                    };
                    if let Some(action) = user {
                        assert_eq!(result.is_ok(), state.allows(action), "{state} {step:?}");
                    }
                    if state.is_final() {
                        assert!(result.is_err(), "a final state moves: {state} {step:?}");
                    }
                    allowed += usize::from(result.is_ok());
                }
            }
        }
        // Per stage: update and prepare in 3 statuses each, 2 kinds of sign,
        // and 9 processing steps (checked, sent, accepted: 1 each; rejected, failed: 3 each).
        assert_eq!(allowed, 2 * (3 + 3 + 2 + 9));
        assert!(ApplicationState::new(Finalization, SentToFns).step(REG, Step::DataChecked).is_err());
        assert!(!ApplicationState::new(Initialization, SentToFns).allows(UserAction::Sign));
        assert!(ApplicationState::new(Initialization, Rejected).allows(UserAction::Read));
    }

    #[test]
    fn an_update_after_preparing_discards_the_documents() {
        let prepared = ApplicationState::new(Initialization, AwaitingSignature);
        let t = prepared.step(REG, Step::Update).unwrap();
        assert!(t.discards_prepared);
        assert_eq!(t.state.status, New);
    }
}
