//! A receipt followed to its end: sent, recovered when its answer was
//! unclear, and waited for, within one deadline. The one outcome path the
//! CLI, C and Python all use.
//!
//! After the receipt went out, an unclear answer (a broken connection, a
//! timeout, a 5xx, garbage) is followed by recovery, never by a blind
//! resend: the same request, with the same `external_id`, is sent again,
//! and Ferma's refusal of a known `external_id` (table 3.2, error 2) is the
//! proof that an earlier send registered it.

use std::time::Duration;

use ofdkit::codes::Operation;
use ofdkit::ferma::{FiscalPayload, ReceiptRequest};
use ofdkit::protocol::ReceiptState;
use ofdkit::{ApiError, ErrorCode, Violations};

use super::{FermaClient, Posted, Prepared};
use crate::deadline::Deadline;
use crate::error::{Error, Unclear};

/// How a receipt ended.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// Fiscalised: the fiscal requisites of each part.
    Done(Vec<(String, FiscalPayload)>),
    /// Not fiscalised: Ferma refused the receipt (nothing was registered;
    /// it may be sent again once the cause is fixed) or its fiscalisation
    /// failed. The error says which.
    Failed(ApiError),
    /// Not known by the deadline. It was never sent under another
    /// `external_id`: fiscalising it again with the same one is safe.
    Unknown {
        /// The uuids, when Ferma registered it and said so.
        uuids: Vec<String>,
        /// Whether Ferma is known to hold the receipt (its uuids came back,
        /// or it refused the `external_id` as known); `false` when even
        /// that is not known.
        registered: bool,
        reason: String,
    },
}

/// The end of [`FermaClient::fiscalize`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Fiscalization {
    pub external_id: String,
    pub outcome: Outcome,
    /// The warnings validation gave.
    pub warnings: Violations,
}

/// What a fiscalisation goes through, for a caller that shows progress.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// Ferma registered the receipt as these documents.
    Registered { external_id: &'a str, uuids: &'a [String] },
    /// Send number `sends` got no clear answer: the same request goes again.
    Recovering { sends: u32, cause: &'a Unclear },
    /// Waiting for a document's result.
    Waiting { uuid: &'a str, elapsed: Duration, polls: u32 },
}

impl FermaClient {
    /// Validates a receipt given as JSON, sends it and follows it to its
    /// end within `deadline`: done, failed or unknown, never fiscalised
    /// twice.
    ///
    /// It returns an [`Outcome`] once Ferma may hold the receipt, and an
    /// error when it certainly does not and gave no verdict on it: an
    /// invalid receipt, credentials refused, a request that was not sent.
    pub fn fiscalize_json(
        &self,
        operation: Operation,
        json: &[u8],
        deadline: impl Into<Deadline>,
    ) -> Result<Fiscalization, Error> {
        self.fiscalize_json_with_progress(operation, json, deadline, |_| {})
    }

    /// [`fiscalize_json`](Self::fiscalize_json), telling `progress` what happens.
    pub fn fiscalize_json_with_progress(
        &self,
        operation: Operation,
        json: &[u8],
        deadline: impl Into<Deadline>,
        progress: impl FnMut(Progress<'_>),
    ) -> Result<Fiscalization, Error> {
        self.fiscalize_prepared(operation, &Prepared::json(operation, json)?, &deadline.into(), progress)
    }

    /// [`fiscalize_json`](Self::fiscalize_json) for a typed receipt.
    pub fn fiscalize(
        &self,
        operation: Operation,
        request: &ReceiptRequest,
        deadline: impl Into<Deadline>,
    ) -> Result<Fiscalization, Error> {
        self.fiscalize_prepared(operation, &Prepared::typed(operation, request)?, &deadline.into(), |_| {})
    }

    fn fiscalize_prepared(
        &self,
        operation: Operation,
        receipt: &Prepared,
        deadline: &Deadline,
        mut progress: impl FnMut(Progress<'_>),
    ) -> Result<Fiscalization, Error> {
        let end = |outcome| Fiscalization {
            external_id: receipt.external_id.clone(),
            outcome,
            warnings: receipt.warnings.clone(),
        };
        let unknown = |registered, reason: String| end(Outcome::Unknown { uuids: Vec::new(), registered, reason });
        let mut sends = 0;
        let created = loop {
            let posted = match self.post_receipt(operation, receipt, deadline) {
                Ok(posted) => posted,
                // Nothing of this receipt ever reached Ferma.
                Err(e) if sends == 0 => return Err(e),
                Err(e) => {
                    return Ok(unknown(
                        false,
                        format!("{} without a clear answer; asking again failed before it was sent: {e}", times(sends)),
                    ))
                }
            };
            sends += 1;
            match posted {
                Posted::Registered(created) => break created,
                Posted::Refused(refusal) if refusal.kind == ErrorCode::DuplicateExternalId => {
                    let reason = if sends == 1 {
                        "Ferma already has a receipt with this external_id: it was registered before this call \
                         (by an earlier call whose answer was lost, or by another sale given the same external_id); \
                         its uuid and result are in the Ferma cabinet"
                            .to_owned()
                    } else {
                        format!(
                            "registered by an earlier send of this call whose answer was lost ({} with this \
                             external_id; Ferma refused the last as a known one); its uuid and result are in the \
                             Ferma cabinet",
                            times(sends)
                        )
                    };
                    return Ok(unknown(true, reason));
                }
                // Credentials refused: nothing registered, no verdict on the receipt.
                Posted::Refused(refusal) if sends == 1 && refusal.kind == ErrorCode::Auth => {
                    return Err(ofdkit::Error::Api(refusal).into())
                }
                Posted::Refused(refusal) if sends == 1 => return Ok(end(Outcome::Failed(refusal))),
                Posted::Refused(refusal) => {
                    return Ok(unknown(
                        false,
                        format!(
                            "{} without a clear answer, then Ferma refused the next ({refusal}): that one was not \
                             registered, an earlier one may have been; fiscalise it again later with the same \
                             external_id to find out",
                            times(sends - 1)
                        ),
                    ))
                }
                Posted::Unclear(cause) => {
                    if sends >= self.config.attempts.max(1) || deadline.is_over() {
                        return Ok(unknown(false, no_answer(sends, &cause)));
                    }
                    progress(Progress::Recovering { sends, cause: &cause });
                    if !deadline.sleep(self.config.retry_pause) {
                        return Ok(unknown(false, no_answer(sends, &cause)));
                    }
                }
            }
        };
        let uuids = created.uuids;
        progress(Progress::Registered { external_id: &receipt.external_id, uuids: &uuids });
        let mut done = Vec::new();
        for uuid in &uuids {
            let waited =
                self.wait_by(uuid, deadline, |elapsed, polls| progress(Progress::Waiting { uuid, elapsed, polls }));
            let reason = match waited {
                Ok(ReceiptState::Done(payload)) => {
                    done.push((uuid.clone(), payload));
                    continue;
                }
                Ok(ReceiptState::Failed(error)) => return Ok(end(Outcome::Failed(error))),
                Ok(ReceiptState::Pending) => {
                    "registered, and still being processed when the deadline came: ask for the report by uuid"
                        .to_owned()
                }
                Err(e) => format!("registered, but its report could not be read: {e}"),
            };
            return Ok(end(Outcome::Unknown { uuids: uuids.clone(), registered: true, reason }));
        }
        Ok(end(Outcome::Done(done)))
    }
}

fn times(sends: u32) -> String {
    if sends == 1 {
        "sent once".to_owned()
    } else {
        format!("sent {sends} times")
    }
}

fn no_answer(sends: u32, cause: &Unclear) -> String {
    format!(
        "{}, always with this external_id, and no clear answer came back ({cause}); Ferma registers an \
         external_id at most once: fiscalise it again later with the same one to find out",
        times(sends)
    )
}
