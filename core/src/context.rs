//! The state shared by decoding and rule checking: the current JSON path,
//! the violations found so far, and the paths whose values could not be read.

use crate::catalog::{self, Rule, RuleRef};
use crate::json::HasKind;
use crate::violation::{Severity, Violation, ViolationCode, Violations};

/// How strictly a document is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A request the user wrote: unknown members are reported as warnings,
    /// non-canonical forms too.
    Request,
    /// A server's answer: unknown members are ignored, never an error.
    Response,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Decode,
    Check,
}

/// Facts about the whole request that some rules need: which operation it is
/// sent as, how long its wire form is. Set by the entry points.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// The operation the request is sent as.
    pub operation: Option<crate::codes::Operation>,
    /// Characters (not bytes) of the request's wire JSON; `None` when it
    /// has none (unreadable values) or is known to be under the split
    /// threshold without counting (ferma-api §3.2).
    pub wire_chars: Option<usize>,
    /// Whether the document is a correction: from the operation, or from
    /// the member it came under when no operation is given.
    pub correction_document: Option<bool>,
    /// How complete a registration application must be.
    pub application_check: Option<crate::ofd::ApplicationCheck>,
    /// The document checked is an application update (§2.2), whose members
    /// are spelt `kktDetails` and `companyDetails`.
    pub application_update: bool,
}

/// At most this many violations are listed; past it they are counted, and
/// one last violation says how many were left out. Each costs a few
/// hundred bytes, so a hostile input of 4 MiB could otherwise record a
/// million of them (a `[0,0,…]` where items go); a person fixes a request
/// from its first problems anyway.
pub const MAX_VIOLATIONS: usize = 1000;

/// Collects violations while walking a document. Decoding and checking use
/// the same context, so a rule never reports again at a path where the value
/// could not even be read: those paths are *tainted* and suppress rule
/// violations under them.
#[derive(Debug)]
pub struct Context {
    segments: Vec<Segment>,
    /// The innermost step when it is a model field's name, not yet pushed
    /// onto `segments`: most fields are leaves, entered and left with
    /// nothing reported, and keeping the name here spared each of them a
    /// push and a pop of the stack (a twentieth of reading a dict).
    /// Pushed when anything descends below it.
    pending_key: Option<&'static str>,
    /// The names of the [`Segment::Owned`] segments, in order: kept apart
    /// so that a segment holds no `String`, and pushing and popping one,
    /// which the walk does for every field, never allocates or drops.
    owned: Vec<String>,
    violations: Vec<Violation>,
    tainted: Vec<String>,
    mode: Mode,
    phase: Phase,
    /// Violations past [`MAX_VIOLATIONS`], counted, not kept.
    dropped: usize,
    dropped_error: bool,
    /// Facts about the whole request, for rules that need them.
    pub facts: Facts,
}

/// One step of a path. The walk pushes and pops these for every field, so
/// they are cheap; the path is only written out when something is reported.
#[derive(Clone, Copy, Debug)]
enum Segment {
    /// A member name known at compile time (every model field).
    Key(&'static str),
    /// A member name from the input (unknown members): the last of
    /// [`Context::owned`] when it is pushed.
    Owned,
    Index(usize),
}

impl Context {
    /// An empty context for reading a request or an answer.
    pub fn new(mode: Mode) -> Self {
        Context {
            segments: Vec::with_capacity(8),
            pending_key: None,
            owned: Vec::new(),
            violations: Vec::new(),
            tainted: Vec::new(),
            mode,
            phase: Phase::Decode,
            dropped: 0,
            dropped_error: false,
            facts: Facts::default(),
        }
    }

    /// Whether a request or an answer is being read.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Ends decoding: from now on violations under tainted paths are dropped.
    pub fn start_checking(&mut self) {
        self.phase = Phase::Check;
        self.segments.clear();
        self.pending_key = None;
        self.owned.clear();
    }

    /// The current JSON path (`receipt.items[2].vat`).
    pub fn path(&self) -> String {
        let mut path = String::new();
        let mut owned = self.owned.iter();
        for segment in &self.segments {
            match segment {
                Segment::Key(key) => write_key(&mut path, key),
                Segment::Owned => write_key(&mut path, owned.next().map_or("", String::as_str)),
                Segment::Index(i) => write_index(&mut path, *i),
            }
        }
        if let Some(key) = self.pending_key {
            write_key(&mut path, key);
        }
        path
    }

    // The path steps below are inlined where instructions count; not in the
    // WebAssembly build, where their copies in every decoder and check cost
    // 6 KiB of its 250 KB budget.

    /// Descends into the member `key`, a name known at compile time.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn push_key(&mut self, key: &'static str) {
        if let Some(outer) = self.pending_key.replace(key) {
            self.segments.push(Segment::Key(outer));
        }
    }

    /// Moves a pending field name onto the stack, before a step that is
    /// not one.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    fn push_pending(&mut self) {
        if let Some(key) = self.pending_key.take() {
            self.segments.push(Segment::Key(key));
        }
    }

    /// Descends into the member `key`, a name from the input.
    pub fn push_member(&mut self, key: &str) {
        self.push_pending();
        self.owned.push(key.to_owned());
        self.segments.push(Segment::Owned);
    }

    /// Descends into the array element `index`.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn push_index(&mut self, index: usize) {
        self.push_pending();
        self.segments.push(Segment::Index(index));
    }

    /// Goes back up one level.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn pop(&mut self) {
        if self.pending_key.take().is_some() {
            return;
        }
        if let Some(Segment::Owned) = self.segments.pop() {
            self.owned.pop();
        }
    }

    /// Runs `f` one level down, in the member `key`.
    pub fn at<R>(&mut self, key: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.push_key(key);
        let result = f(self);
        self.pop();
        result
    }

    /// Runs `f` one level down, in the array element `index`.
    pub fn at_index<R>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.push_index(index);
        let result = f(self);
        self.pop();
        result
    }

    /// Marks the current path as unreadable.
    pub fn taint(&mut self) {
        let path = self.path();
        self.tainted.push(path);
    }

    /// Whether every value at and under `key` (relative to the current path;
    /// empty for the current path itself) was read without error. Rules that
    /// combine several values (totals) run only over clean values.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn is_clean(&self, key: &str) -> bool {
        // Nearly always nothing is tainted: that answer costs no call.
        self.tainted.is_empty() || self.is_clean_tainted(key)
    }

    fn is_clean_tainted(&self, key: &str) -> bool {
        let mut full = self.path();
        if !key.is_empty() {
            if !full.is_empty() {
                full.push('.');
            }
            full.push_str(key);
        }
        !self.tainted.iter().any(|t| is_under(t, &full) || is_under(&full, t))
    }

    fn suppressed(&self, path: &str) -> bool {
        self.phase == Phase::Check && self.tainted.iter().any(|t| is_under(path, t))
    }

    /// Records a violation of `rule` at the current path, with the rule's
    /// code and severity.
    pub fn violate(&mut self, rule: &'static Rule, message: impl Into<String>, message_ru: impl Into<String>) {
        if self.violations.len() >= MAX_VIOLATIONS {
            if self.phase == Phase::Decode || self.tainted.is_empty() || !self.suppressed(&self.path()) {
                self.dropped += 1;
                self.dropped_error |= rule.severity == Severity::Error;
            }
            return;
        }
        let path = self.path();
        if self.suppressed(&path) {
            return;
        }
        self.violations.push(Violation {
            path,
            code: rule.code,
            rule: RuleRef(rule),
            severity: rule.severity,
            message: message.into(),
            message_ru: message_ru.into(),
        });
    }

    /// Whether any error (not warning) has been recorded.
    pub fn has_errors(&self) -> bool {
        self.dropped_error || self.violations.iter().any(Violation::is_error)
    }

    /// Whether the list is full and holds an error: the document will be
    /// refused whatever comes next, so decoders stop building it (a
    /// placeholder for each of a million bad elements would cost far more
    /// than the input).
    pub fn gave_up(&self) -> bool {
        self.dropped > 0 && self.has_errors()
    }

    /// The violations found so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations, with one that counts those past [`MAX_VIOLATIONS`] if any were dropped.
    pub fn into_violations(mut self) -> Violations {
        if self.dropped > 0 {
            let severity = if self.dropped_error { Severity::Error } else { Severity::Warning };
            let n = self.dropped;
            self.violations.push(Violation {
                path: String::new(),
                code: ViolationCode::TooManyViolations,
                rule: RuleRef(catalog::TOO_MANY_VIOLATIONS),
                severity,
                message: format!("{n} more violations are not listed: at most {MAX_VIOLATIONS} are; fix these and check again"),
                message_ru: format!("ещё нарушений, не вошедших в список: {n}; в списке не более {MAX_VIOLATIONS}; исправьте эти и проверьте снова"),
            });
        }
        Violations(self.violations)
    }

    // Messages shared by many rules, so that each reads the same everywhere.

    /// The field is absent or null but required.
    pub fn required(&mut self) {
        self.violate(catalog::REQUIRED, "is required", "обязательное поле");
    }

    /// The field is absent but `rule` requires it because of `reason`.
    pub fn required_because(&mut self, rule: &'static Rule, reason: &str, reason_ru: &str) {
        self.violate(rule, format!("is required {reason}"), format!("обязательное поле {reason_ru}"));
    }

    /// The JSON type is not the one expected.
    pub fn bad_type(&mut self, expected: Expected, got: &impl HasKind) {
        let got = got.json_kind();
        self.violate(
            catalog::BAD_TYPE,
            format!("must be {}, got {}", expected.en(), got.name()),
            format!("должно быть {}, передано: {}", expected.ru(), got.name_ru()),
        );
    }

    /// The string is longer than `max` characters.
    pub fn too_long(&mut self, max: usize, actual: usize) {
        self.violate(
            catalog::MAX_LENGTH,
            format!("must be at most {max} characters long, got {actual}"),
            format!("должно быть не длиннее {max} символов, передано {actual}"),
        );
    }

    /// The string is shorter than `min` characters (empty when `min` is 1).
    pub fn too_short(&mut self, min: usize, actual: usize) {
        let (en, ru) = if min == 1 {
            ("must not be empty".to_owned(), "не должно быть пустым".to_owned())
        } else {
            (
                format!("must be at least {min} characters long, got {actual}"),
                format!("должно быть не короче {min} символов, передано {actual}"),
            )
        };
        self.violate(catalog::NOT_EMPTY, en, ru);
    }

    /// The value breaks `rule`'s format: "must be {form}", with `form_ru`
    /// in the instrumental case («должно быть десятичным числом»). Warnings
    /// say in their own words what the server will do instead.
    pub fn bad_format(&mut self, rule: &'static Rule, form: &str, form_ru: &str) {
        debug_assert!(rule.is_error(), "{} is a warning: word it with violate()", rule.id);
        self.violate(rule, format!("must be {form}"), format!("должно быть {form_ru}"));
    }

    /// The field is given but `rule` forbids it because of `reason`.
    pub fn not_allowed(&mut self, rule: &'static Rule, reason: &str, reason_ru: &str) {
        self.violate(rule, format!("must not be given {reason}"), format!("не допускается {reason_ru}"));
    }
}

/// Appends an array index to a path: `[2]`.
pub fn write_index(path: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(path, "[{index}]");
}

/// Appends a member name to a path: `.name`, or `["odd name"]` for names
/// that are not plain identifiers. Bindings that find a bad value on their
/// side of the boundary write its path with this, so it reads as the
/// core's own violation paths do.
pub fn write_key(path: &mut String, key: &str) {
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        crate::json::write_json_string(key, path);
        path.push(']');
    }
}

/// Whether `path` is `base` or lies under it.
fn is_under(path: &str, base: &str) -> bool {
    match path.strip_prefix(base) {
        Some(rest) => rest.is_empty() || base.is_empty() || rest.starts_with(['.', '[']),
        None => false,
    }
}

/// What a decoder expected, for `bad_type` messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A whole JSON number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// A money amount: a JSON number or a decimal string.
    Money,
    /// A code: its wire string or its number.
    Code,
}

impl Expected {
    fn en(self) -> &'static str {
        match self {
            Expected::String => "a string",
            Expected::Number => "a number",
            Expected::Integer => "an integer",
            Expected::Boolean => "true or false",
            Expected::Object => "an object",
            Expected::Array => "an array",
            Expected::Money => "a number or a decimal string",
            Expected::Code => "a code (string or number)",
        }
    }

    fn ru(self) -> &'static str {
        match self {
            Expected::String => "строкой",
            Expected::Number => "числом",
            Expected::Integer => "целым числом",
            Expected::Boolean => "логическим значением (true или false)",
            Expected::Object => "объектом",
            Expected::Array => "массивом",
            Expected::Money => "числом или строкой с десятичным числом",
            Expected::Code => "кодом (строка или число)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_json_paths() {
        let mut cx = Context::new(Mode::Request);
        cx.push_key("receipt");
        cx.push_key("items");
        cx.push_index(2);
        cx.push_key("vat");
        assert_eq!(cx.path(), "receipt.items[2].vat");
        cx.pop();
        cx.push_member("odd key");
        assert_eq!(cx.path(), "receipt.items[2][\"odd key\"]");
        cx.pop();
        cx.pop();
        cx.pop();
        cx.pop();
        assert_eq!(cx.path(), "");
    }

    #[test]
    fn tainted_paths_suppress_rule_violations_below_them() {
        let mut cx = Context::new(Mode::Request);
        cx.at("receipt", |cx| cx.at("items", |cx| cx.at_index(1, |cx| cx.taint())));
        cx.start_checking();
        cx.at("receipt", |cx| {
            assert!(!cx.is_clean("items"));
            assert!(cx.is_clean("payments"));
            cx.at("items", |cx| {
                cx.at_index(1, |cx| cx.at("price", |cx| cx.required()));
                cx.at_index(10, |cx| cx.required());
            });
        });
        let paths: Vec<_> = cx.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["receipt.items[10]"]);
    }
}
