//! What validation reports: every problem with its JSON path, a stable code,
//! a severity and a message in English and Russian.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::RuleRef;

/// Whether a violation stops the request (`Error`: the server would reject
/// it or the fiscal document would be wrong) or only deserves attention
/// (`Warning`: a rule the spec leaves open, or a value ofdkit normalised).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The request fails, or the document would be wrong.
    Error,
    /// Worth attention; the request goes through.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as bindings write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! violation_codes {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal, )+) => {
        /// A stable, snake_case identifier of the rule a value broke. Bindings
        /// and test vectors match on it; messages may change, codes do not.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ViolationCode {
            $( $(#[$doc])* $variant, )+
        }

        impl ViolationCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ViolationCode] = &[$(ViolationCode::$variant),+];

            /// The snake_case identifier (`"inn_checksum"`).
            pub fn as_str(self) -> &'static str {
                match self { $( ViolationCode::$variant => $wire, )+ }
            }

            /// The code named `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $wire => Some(ViolationCode::$variant), )+ _ => None }
            }
        }
    };
}

violation_codes! {
    /// A required field is absent or `null`.
    Required = "required",
    /// The JSON type is wrong (a string where a number is expected, …).
    BadType = "bad_type",
    /// The value is not in its code table.
    UnknownValue = "unknown_value",
    /// A string is longer than allowed.
    TooLong = "too_long",
    /// A string is shorter than allowed (empty where text is required).
    TooShort = "too_short",
    /// The text does not follow the required format (date, phone, email, URL, digits).
    BadFormat = "bad_format",
    /// A number is outside its allowed range (negative money, above a maximum).
    OutOfRange = "out_of_range",
    /// A number has more fraction digits than allowed (kopecks, thousandths).
    TooPrecise = "too_precise",
    /// An INN has the right length but a wrong check digit.
    InnChecksum = "inn_checksum",
    /// An OGRN or OGRNIP has a wrong check digit.
    OgrnChecksum = "ogrn_checksum",
    /// A barcode (EAN-8, EAN-13, ITF-14) has a wrong check digit.
    CheckDigit = "check_digit",
    /// A KKT registration number does not match its CRC.
    RegNumberChecksum = "reg_number_checksum",
    /// A field is present where the spec forbids it.
    NotAllowed = "not_allowed",
    /// An array has fewer elements than allowed.
    TooFew = "too_few",
    /// An array has more elements than allowed.
    TooMany = "too_many",
    /// The same value or member appears twice where it must be unique.
    Duplicate = "duplicate",
    /// Exactly one of several alternatives must be given.
    OneOf = "one_of",
    /// The item sums do not add up to the receipt total.
    TotalMismatch = "total_mismatch",
    /// The payments do not add up to the receipt total.
    PaymentsMismatch = "payments_mismatch",
    /// An item sum is above price × quantity.
    SumMismatch = "sum_mismatch",
    /// A VAT sum does not match its rate.
    VatMismatch = "vat_mismatch",
    /// A member ofdkit does not know; it is kept and sent as given.
    UnknownField = "unknown_field",
    /// The value was accepted in a form the spec does not document and will
    /// be sent in its canonical form.
    NonCanonical = "non_canonical",
    /// The server will apply a default because the field is absent.
    DefaultApplied = "default_applied",
    /// The client has neither an email nor a phone.
    NoContact = "no_contact",
    /// The request is over 20 000 characters and Ferma will split it.
    WillSplit = "will_split",
    /// A rule for receipts that Ferma splits is broken.
    SplitRule = "split_rule",
    /// The request is not allowed in the current state of its life cycle.
    InvalidState = "invalid_state",
    /// A field the spec does not strictly require but the situation calls
    /// for (excise for excisable goods, a partner's details).
    Recommended = "recommended",
    /// More violations than are listed (1000): the last entry counts the rest.
    TooManyViolations = "too_many_violations",
}

impl fmt::Display for ViolationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ViolationCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ViolationCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        ViolationCode::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown violation code {name:?}")))
    }
}

/// One problem found in a request: where (`path`, a JSON path from the
/// request body's root such as `receipt.items[2].vat.type`), what kind of
/// problem (`code`), which rule of the [catalog](crate::catalog) (`rule`:
/// its id, with its source in `docs/rules.md`), how serious, and why in
/// English and Russian.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Where, as a JSON path from the body's root (`receipt.items[2].vat.type`); empty for the whole document.
    pub path: String,
    /// What kind of problem.
    pub code: ViolationCode,
    /// The catalog rule that was broken.
    pub rule: RuleRef,
    /// How serious it is.
    pub severity: Severity,
    /// Why, in English.
    pub message: String,
    /// Why, in Russian.
    pub message_ru: String,
}

impl Violation {
    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether warnings count: [`Strictness::Spec`] (the default) follows the
/// spec, where only errors stop a request; [`Strictness::Strict`] treats
/// every warning as an error, for shops that want no surprises (a receipt
/// that would not reach the buyer, a callback that would never come).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strictness {
    /// Follow the spec: only errors stop a request.
    #[default]
    Spec,
    /// Every warning is an error too.
    Strict,
}

impl Strictness {
    /// `spec` or `strict`, as bindings write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Strictness::Spec => "spec",
            Strictness::Strict => "strict",
        }
    }
}

impl std::str::FromStr for Strictness {
    type Err = crate::error::ParseNameError;

    /// `spec` or `strict`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "spec" => Ok(Strictness::Spec),
            "strict" => Ok(Strictness::Strict),
            other => Err(crate::error::ParseNameError::new("strictness", other, &["spec", "strict"])),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(root)" } else { &self.path };
        write!(f, "{} {path}: {} [{}]", self.severity.as_str(), self.message, self.code)
    }
}

/// The violations of one request, errors and warnings together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// The violations under `strictness`: with [`Strictness::Strict`] every
    /// warning becomes an error (its message and rule unchanged).
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        if strictness == Strictness::Strict {
            for v in &mut self.0 {
                v.severity = Severity::Error;
            }
        }
        self
    }

    /// Whether any violation is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Violation::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter().filter(|v| v.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter().filter(|v| !v.is_error())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every violation, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// The violations as a JSON array of `{code, message, message_ru, path,
    /// rule, severity}`: the one form every binding gives ([`crate::output`]).
    pub fn to_json(&self) -> String {
        crate::output::violations(self).to_string()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
