//! The rule catalog: every rule ofdkit checks, with its stable id, the
//! violation code it reports, its severity, the fields it applies to, what
//! it checks and where the rule comes from.
//!
//! Every violation names its rule ([`Violation::rule`](crate::Violation)),
//! and `docs/rules.md` is generated from [`all`], so a rule is found by its
//! id in one search: the id `client_phone_format` is the constant
//! `CLIENT_PHONE_FORMAT` here and at every place that reports it.
//!
//! # Severity policy
//! A rule is an **error** only where the spec, or the law and FFD tag it
//! cites, makes the request fail, or where the value is certainly wrong in
//! the domain (a failing check digit, an all-zero INN, a 15-digit FN
//! number). Where the spec is silent, or says the server merely skips
//! something (delivery to the buyer, the callback), it is a **warning**:
//! the client refuses to send a request with an error, so a false error
//! blocks a real sale. A rule stricter than the spec's own words says why
//! in [`Rule::stricter`]. [`Strictness::Strict`](crate::Strictness) turns
//! every warning into an error for shops that want that.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::violation::{Severity, ViolationCode};

mod common;
mod ferma;
mod ofd;
mod reference;

pub use common::*;
pub use ferma::*;
pub use ofd::*;
pub use reference::rules_reference_markdown;

/// Which API a rule belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Api {
    /// Rules of the JSON reader that apply to every request of both APIs.
    Both,
    /// The Ferma receipts API (ferma-api.ru.md).
    Ferma,
    /// The OFD.ru KKT registration API (ofd-kkt-registration-api.ru.txt).
    Registration,
}

impl Api {
    /// `both`, `ferma` or `registration`.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Both => "both",
            Api::Ferma => "ferma",
            Api::Registration => "registration",
        }
    }
}

/// One rule of the catalog.
#[derive(Debug)]
#[non_exhaustive]
pub struct Rule {
    /// The stable snake_case id (`client_phone_format`); the constant that
    /// defines the rule is the same name in capitals.
    pub id: &'static str,
    /// The API the rule belongs to.
    pub api: Api,
    /// The violation code the rule reports (`bad_format`, `required`, …).
    pub code: ViolationCode,
    /// How serious a broken rule is under the spec (see the module's
    /// severity policy).
    pub severity: Severity,
    /// The JSON paths the rule applies to; `receipt` also stands for
    /// `correction`, `[]` for every element. Rules of the reader apply to
    /// every field of their kind and name those kinds instead.
    pub fields: &'static [&'static str],
    /// What the rule checks, in a sentence.
    pub checks: &'static str,
    /// Where the rule comes from: the spec's table, section and footnote,
    /// the FFD tag, the law.
    pub source: &'static str,
    /// Why the rule is stricter than the spec's own words, if it is.
    pub stricter: Option<&'static str>,
}

impl Rule {
    /// Whether a broken rule is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The rule with this id.
    pub fn by_id(id: &str) -> Option<&'static Rule> {
        all().find(|rule| rule.id == id)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// A reference to a rule of the catalog, as a violation carries it:
/// serialised as the rule's id.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RuleRef(pub &'static Rule);

impl RuleRef {
    /// The rule's id.
    pub fn id(self) -> &'static str {
        self.0.id
    }

    /// The rule.
    pub fn rule(self) -> &'static Rule {
        self.0
    }
}

impl fmt::Debug for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.id)
    }
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.id)
    }
}

impl std::ops::Deref for RuleRef {
    type Target = Rule;
    fn deref(&self) -> &Rule {
        self.0
    }
}

impl Serialize for RuleRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.id)
    }
}

impl<'de> Deserialize<'de> for RuleRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Rule::by_id(&id).map(RuleRef).ok_or_else(|| serde::de::Error::custom(format!("unknown rule {id:?}")))
    }
}

/// Writes the rule constants of one part of the catalog and the list of
/// them, so that a rule cannot be defined without being listed.
macro_rules! rules {
    ($list:ident: $( $(#[$doc:meta])* $name:ident {
        id: $id:literal,
        api: $api:ident,
        code: $code:ident,
        severity: $severity:ident,
        fields: [$($field:literal),* $(,)?],
        checks: $checks:literal,
        source: $source:literal,
        $(stricter: $stricter:literal,)?
    } )+) => {
        $(
            $(#[$doc])*
            // One static behind the constant, so the rule's texts are in
            // the binary once, not copied into every crate that names it.
            pub const $name: &$crate::catalog::Rule = {
                static RULE: $crate::catalog::Rule = $crate::catalog::Rule {
                    id: $id,
                    api: $crate::catalog::Api::$api,
                    code: $crate::violation::ViolationCode::$code,
                    severity: $crate::violation::Severity::$severity,
                    fields: &[$($field),*],
                    checks: $checks,
                    source: $source,
                    stricter: rules!(@stricter $($stricter)?),
                };
                &RULE
            };
        )+
        /// Every rule of this part, in the order written.
        pub const $list: &[&$crate::catalog::Rule] = &[$($name),+];
        #[cfg(test)]
        pub(super) const NAMES: &[(&str, &$crate::catalog::Rule)] = &[$((stringify!($name), $name)),+];
    };
    (@stricter) => { None };
    (@stricter $text:literal) => { Some($text) };
}
pub(crate) use rules;

/// Every rule of both APIs: the reader's, Ferma's, then the registration API's.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    common::COMMON_RULES.iter().chain(ferma::FERMA_RULES).chain(ofd::REGISTRATION_RULES).copied()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_are_unique_snake_case_and_match_their_constants() {
        let mut seen = HashSet::new();
        let names = common::NAMES.iter().chain(ferma::NAMES).chain(ofd::NAMES);
        for (name, rule) in names {
            assert_eq!(name.to_lowercase(), rule.id, "the constant {name} must be the id in capitals");
            assert!(rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{}", rule.id);
            assert!(seen.insert(rule.id), "{} is defined twice", rule.id);
        }
        assert_eq!(seen.len(), all().count());
    }

    #[test]
    fn every_rule_names_its_source_and_fields() {
        for rule in all() {
            assert!(!rule.source.is_empty() && !rule.checks.is_empty(), "{}", rule.id);
            assert!(!rule.fields.is_empty(), "{} names no field", rule.id);
            assert!(rule.checks.ends_with('.'), "{}: a sentence", rule.id);
        }
    }

    #[test]
    fn warnings_never_claim_the_request_fails() {
        // A warning is where the spec is silent or the server only skips
        // something; its text must not say the request is refused.
        for rule in all().filter(|r| r.severity == Severity::Warning) {
            assert!(!rule.checks.contains("refuse"), "{}", rule.id);
        }
    }
}
