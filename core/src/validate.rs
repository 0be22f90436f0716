//! The rule traversal: every model walks its fields with their JSON paths,
//! applies the checks declared on them and its own cross-field rules.

use crate::context::Context;
use crate::decode::Extra;
use crate::json::Value;

/// Walks a model and reports every rule it breaks into the context.
/// Structs derive this with `#[derive(Model)]`.
pub trait Validate {
    /// Leaves (strings, numbers, codes) have no rules of their own, so the
    /// walk does not even descend into them.
    const LEAF: bool = false;

    /// Reports every broken rule of `self` and its fields.
    fn validate(&self, _cx: &mut Context) {}
}

/// A rule on one field's value, declared with `#[json(check = …)]`.
pub trait Check<T: ?Sized> {
    /// Reports into `cx` if `value` breaks the rule.
    fn check(&self, value: &T, cx: &mut Context);

    /// Adds to the field's JSON Schema what the check can express of its
    /// errors (a length, a pattern, a maximum). Warnings add nothing: a
    /// schema that refused them would refuse what the API accepts.
    fn describe(&self, _field: &mut crate::schema::FieldSchema) {}
}

impl<T: Validate> Validate for Option<T> {
    const LEAF: bool = T::LEAF;
    fn validate(&self, cx: &mut Context) {
        if let Some(inner) = self {
            inner.validate(cx);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    const LEAF: bool = T::LEAF;
    fn validate(&self, cx: &mut Context) {
        for (i, item) in self.iter().enumerate() {
            cx.push_index(i);
            item.validate(cx);
            cx.pop();
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    const LEAF: bool = T::LEAF;
    fn validate(&self, cx: &mut Context) {
        (**self).validate(cx);
    }
}

macro_rules! leaves {
    ($($t:ty),*) => {$( impl Validate for $t { const LEAF: bool = true; } )*};
}

leaves!(String, bool, u8, u16, u32, u64, i32, i64, Value<'static>, Extra);

/// Applies a check to every element of a list (`phones`, …).
pub struct Each<C>(pub C);

impl<T, C: Check<T>> Check<Vec<T>> for Each<C> {
    fn check(&self, values: &Vec<T>, cx: &mut Context) {
        for (i, value) in values.iter().enumerate() {
            cx.at_index(i, |cx| self.0.check(value, cx));
        }
    }

    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        let mut items = field.items();
        self.0.describe(&mut items);
        field.set_items(items);
    }
}

/// Length of a string in characters (not bytes), within `min..=max`.
#[derive(Clone, Copy, Debug)]
pub struct Chars {
    /// The fewest characters.
    pub min: usize,
    /// The most characters.
    pub max: usize,
}

/// A string of `min..=max` characters.
pub const fn chars(min: usize, max: usize) -> Chars {
    Chars { min, max }
}

/// A string of at most `max` characters (empty allowed).
pub const fn max_chars(max: usize) -> Chars {
    Chars { min: 0, max }
}

/// A string that is not empty.
pub const NOT_EMPTY: Chars = Chars { min: 1, max: usize::MAX };

impl Check<String> for Chars {
    fn check(&self, value: &String, cx: &mut Context) {
        self.check(value.as_str(), cx)
    }

    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        // Blank text counts as empty, so "not empty" is "has a visible character".
        if self.min == 1 {
            field.set("pattern", serde_json::json!(r"\S"));
        } else if self.min > 1 {
            field.set("minLength", serde_json::json!(self.min));
        }
        if self.max != usize::MAX {
            field.set("maxLength", serde_json::json!(self.max));
        }
    }
}

impl Check<str> for Chars {
    fn check(&self, value: &str, cx: &mut Context) {
        // Blank is whitespace throughout: the first other character ends
        // the search (`trim` walked both ends of a Cyrillic name).
        let blank = value.chars().all(char::is_whitespace);
        if self.min > 0 && blank {
            cx.too_short(self.min, value.chars().count());
            return;
        }
        // A UTF-8 character takes 1 to 4 bytes: counting is only needed near the limits.
        if value.len() <= self.max && value.len() >= self.min.saturating_mul(4) {
            return;
        }
        let n = value.chars().count();
        if n < self.min {
            cx.too_short(self.min, n);
        } else if n > self.max {
            cx.too_long(self.max, n);
        }
    }
}

/// Collection size within `min..=max`.
#[derive(Clone, Copy, Debug)]
pub struct Count {
    /// The fewest elements.
    pub min: usize,
    /// The most elements.
    pub max: usize,
}

/// Between `min` and `max` elements.
pub const fn count(min: usize, max: usize) -> Count {
    Count { min, max }
}

impl<T> Check<Vec<T>> for Count {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        if self.min > 0 {
            field.set("minItems", serde_json::json!(self.min));
        }
        if self.max != usize::MAX {
            field.set("maxItems", serde_json::json!(self.max));
        }
    }

    fn check(&self, values: &Vec<T>, cx: &mut Context) {
        use crate::catalog::{MAX_ELEMENTS, MIN_ELEMENTS};
        let n = values.len();
        if n < self.min {
            let (en, ru) = if self.min == 1 {
                ("must have at least one element".to_owned(), "должно содержать хотя бы один элемент".to_owned())
            } else {
                (
                    format!("must have at least {} elements, got {n}", self.min),
                    format!("должно содержать не менее {} элементов, передано {n}", self.min),
                )
            };
            cx.violate(MIN_ELEMENTS, en, ru);
        } else if n > self.max {
            cx.violate(
                MAX_ELEMENTS,
                format!("must have at most {} elements, got {n}", self.max),
                format!("должно содержать не более {} элементов, передано {n}", self.max),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Mode;
    use crate::violation::ViolationCode;

    fn run<T: ?Sized>(check: impl Check<T>, value: &T) -> Vec<ViolationCode> {
        let mut cx = Context::new(Mode::Request);
        cx.start_checking();
        check.check(value, &mut cx);
        cx.violations().iter().map(|v| v.code).collect()
    }

    #[test]
    fn counts_characters_not_bytes() {
        let name = "Ж".repeat(128);
        assert!(run(chars(1, 128), name.as_str()).is_empty());
        let long = "Ж".repeat(129);
        assert_eq!(run(chars(1, 128), long.as_str()), [ViolationCode::TooLong]);
        assert_eq!(run(chars(1, 128), ""), [ViolationCode::TooShort]);
        assert_eq!(run(chars(1, 128), "   "), [ViolationCode::TooShort]);
        assert!(run(max_chars(16), "").is_empty());
    }

    #[test]
    fn blank_is_whitespace_throughout() {
        for blank in ["\t\n ", "\u{3000}", "\u{a0} \u{2003}"] {
            assert_eq!(run(chars(1, 128), blank), [ViolationCode::TooShort], "{blank:?}");
        }
        for text in [" Чай", "\u{3000}Ж", "  x  ", "Ж"] {
            assert!(run(chars(1, 128), text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn counts_elements() {
        assert_eq!(run(count(1, 10), &Vec::<u8>::new()), [ViolationCode::TooFew]);
        assert_eq!(run(count(1, 10), &vec![0u8; 11]), [ViolationCode::TooMany]);
        assert!(run(count(1, 10), &vec![0u8; 10]).is_empty());
    }
}
