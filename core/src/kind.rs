//! The four kinds of request a user validates, told apart by their
//! members, so that every front end (the CLI, `python -m ofdkit`) checks a
//! file the same way without being told what it holds.

use std::fmt;
use std::str::FromStr;

use crate::codes::Operation;
use crate::json::{Input, Json, JsonError, Reader, Source, Value};
use crate::ofd::ApplicationCheck;
use crate::violation::Violations;
use crate::{ferma, ofd};

/// What a request document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// A Ferma receipt or correction (ferma-api §3.1–§3.2).
    Receipt,
    /// A registration application (registration API §2.1).
    Application,
    /// An update of an application (§2.2).
    ApplicationUpdate,
    /// A partner's registration of a new client (appendix 1).
    PartnerRegistration,
}

impl RequestKind {
    /// Every kind, in the order bindings list them.
    pub const ALL: [RequestKind; 4] = [
        RequestKind::Receipt,
        RequestKind::Application,
        RequestKind::ApplicationUpdate,
        RequestKind::PartnerRegistration,
    ];

    /// The short name front ends use (`receipt`, `application`, `update`, `partner`).
    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Receipt => "receipt",
            RequestKind::Application => "application",
            RequestKind::ApplicationUpdate => "update",
            RequestKind::PartnerRegistration => "partner",
        }
    }

    /// The kind a document's top-level members point to: `ofdAgreementId`
    /// only in an application (§2.1), `kktDetails`/`companyDetails` without
    /// it in an update (§2.2), `okved`/`taxPayer` in a partner registration
    /// (appendix 1), anything else a receipt. The registration API's
    /// members are matched in either case, as its examples write both.
    pub fn guess(document: &Value<'_>) -> RequestKind {
        let mut found = Found::default();
        if let Value::Object(members) = document {
            members.iter().for_each(|(name, _)| found.note(name));
        }
        found.kind()
    }

    /// [`RequestKind::guess`] for JSON text: reads the top-level member
    /// names only. Malformed JSON and text over the size limit are errors.
    pub fn guess_json<'a>(json: impl Into<Input<'a>>) -> Result<RequestKind, JsonError> {
        let (text, _) = json.into().text()?;
        let mut reader = Reader::new(text);
        let mut found = Found::default();
        if let Json::Object(mut members) = reader.root().read() {
            while let Some((name, value)) = members.next() {
                found.note(&name);
                value.skip();
            }
        }
        reader.finish()?;
        Ok(found.kind())
    }

    /// [`RequestKind::guess`] for a document held as a binding's own
    /// objects, from the names of its top-level members: nothing else
    /// tells a kind, and checking the document reads the rest. (Reading
    /// a whole dict only to guess cost as much as checking it.)
    pub fn guess_names<'n>(names: impl IntoIterator<Item = &'n str>) -> RequestKind {
        let mut found = Found::default();
        names.into_iter().for_each(|name| found.note(name));
        found.kind()
    }

    /// Every violation of a document held as a binding's own objects (see
    /// [`crate::json::Source`]), read as this kind. The violations mean
    /// nothing if the source stopped: the binding reports why instead.
    pub fn check_source<'a>(
        self,
        source: &'a mut (dyn Source<'a> + 'a),
        operation: Operation,
        check: ApplicationCheck,
    ) -> Violations {
        use crate::ofd::{ApplicationRequest, ApplicationUpdate, PartnerRegistration};
        match self {
            RequestKind::Receipt => ferma::validate_receipt_source(source, operation),
            RequestKind::Application => ofd::validate_source::<ApplicationRequest>(source, check, false),
            RequestKind::ApplicationUpdate => ofd::validate_source::<ApplicationUpdate>(source, check, true),
            RequestKind::PartnerRegistration => {
                ofd::validate_source::<PartnerRegistration>(source, ApplicationCheck::Draft, false)
            }
        }
    }

    /// Every violation of a document given as JSON text, read as this
    /// kind. Malformed JSON and text over the size limit are errors.
    pub fn check_json<'a>(
        self,
        json: impl Into<Input<'a>>,
        operation: Operation,
        check: ApplicationCheck,
    ) -> Result<Violations, JsonError> {
        match self {
            RequestKind::Receipt => ferma::validate_receipt_json(json, operation),
            RequestKind::Application => ofd::validate_application_json(json, check),
            RequestKind::ApplicationUpdate => ofd::validate_update_json(json, check),
            RequestKind::PartnerRegistration => ofd::validate_partner_registration_json(json),
        }
    }

    /// Every violation of `document` read as this kind. `operation` matters
    /// for receipts only, `check` for applications and updates only.
    pub fn check(self, document: &Value<'_>, operation: Operation, check: ApplicationCheck) -> Violations {
        match self {
            RequestKind::Receipt => ferma::check_receipt_value(document, operation).1,
            RequestKind::Application => ofd::check_application_value(document, check).1,
            RequestKind::ApplicationUpdate => ofd::check_update_value(document, check).1,
            RequestKind::PartnerRegistration => ofd::check_partner_registration_value(document).1,
        }
    }
}

/// Which telling members a document has at its top level.
#[derive(Default)]
struct Found {
    application: bool,
    update: bool,
    partner: bool,
}

impl Found {
    fn note(&mut self, name: &str) {
        match name {
            "ofdAgreementId" | "OfdAgreementId" => self.application = true,
            "kktDetails" | "KktDetails" | "companyDetails" | "CompanyDetails" => self.update = true,
            "okved" | "taxPayer" | "Okved" | "TaxPayer" => self.partner = true,
            _ => {}
        }
    }

    fn kind(&self) -> RequestKind {
        if self.application {
            RequestKind::Application
        } else if self.update {
            RequestKind::ApplicationUpdate
        } else if self.partner {
            RequestKind::PartnerRegistration
        } else {
            RequestKind::Receipt
        }
    }
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RequestKind {
    type Err = crate::error::ParseNameError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const NAMES: &[&str] = &["receipt", "application", "update", "partner"];
        RequestKind::ALL
            .into_iter()
            .find(|k| k.name() == text)
            .ok_or_else(|| crate::error::ParseNameError::new("kind of request", text, NAMES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn documents_are_told_apart_by_their_members() {
        let kind = |text: &str| {
            let from_tree = RequestKind::guess(&json::parse(text).unwrap());
            assert_eq!(RequestKind::guess_json(text).unwrap(), from_tree, "{text}");
            from_tree
        };
        assert_eq!(kind(r#"{"ofdAgreementId": "x", "KktDetails": {}}"#), RequestKind::Application);
        assert_eq!(kind(r#"{"KktDetails": {}}"#), RequestKind::ApplicationUpdate);
        assert_eq!(kind(r#"{"companyDetails": {}}"#), RequestKind::ApplicationUpdate);
        assert_eq!(kind(r#"{"okved": "47.91"}"#), RequestKind::PartnerRegistration);
        assert_eq!(kind(r#"{"external_id": "1", "receipt": {}}"#), RequestKind::Receipt);
        assert_eq!(kind("[]"), RequestKind::Receipt);
    }

    #[test]
    fn names_read_back() {
        for kind in RequestKind::ALL {
            assert_eq!(kind.name().parse::<RequestKind>(), Ok(kind));
        }
        let refused = "receipts".parse::<RequestKind>().unwrap_err();
        assert_eq!(refused.allowed, RequestKind::ALL.map(RequestKind::name));
        assert_eq!(
            refused.to_string(),
            r#""receipts" is not a kind of request (receipt, application, update, partner)"#
        );
        assert_eq!("secondary".parse::<ApplicationCheck>(), Ok(ApplicationCheck::Secondary));
        assert!("final".parse::<ApplicationCheck>().is_err());
    }
}
