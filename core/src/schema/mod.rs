//! JSON Schema (draft 2020-12) of every request and answer, written from
//! the same definitions the reader uses: `#[derive(Model)]` describes each
//! struct's members (wire names, aliases, required-ness, doc comments), each
//! field check ([`Check::describe`](crate::validate::Check::describe)) adds
//! the constraints it can express, and code tables give their values with
//! the spec's Russian descriptions.
//!
//! A schema holds what makes a request fail, as far as JSON Schema can say
//! it: types, required members, code values, lengths, ranges, patterns.
//! Warnings are not constraints (a schema that refused them would refuse
//! what the API accepts). What a schema cannot express (check digits,
//! totals, VAT arithmetic, rules across fields) is listed in
//! [`NOT_EXPRESSED`] and left to the core.

mod documents;
mod types;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

pub use documents::{document_schemas, DocumentSchema};
pub use types::{code_schema, decimal_number, decimal_schema};

/// One character the core's `str::trim` takes for space: Unicode's
/// White_Space, spelt out, because `\s` means another set in every regex
/// dialect (ECMA-262 adds U+FEFF and leaves out U+0085; Python's `re`
/// adds U+001C–U+001F).
pub const SPACE: &str = r"[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// One character that is not [`SPACE`]: what "not blank" needs once.
pub const NOT_SPACE: &str = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// A pattern as the checks write it (ECMA-262, JSON Schema's dialect), made
/// to mean the same in every validator and to the core: `\s` and `\S`
/// become the core's space ([`SPACE`], [`NOT_SPACE`]), and a final `$`
/// becomes `$(?!\n)`, since Python's `re` (python-jsonschema) lets `$`
/// match before a final newline, where ECMA-262 and the core do not. The
/// checks write `\s` and `\S` only outside character classes.
pub fn portable_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('s')) => {
                chars.next();
                out.push_str(SPACE);
            }
            ('\\', Some('S')) => {
                chars.next();
                out.push_str(NOT_SPACE);
            }
            ('\\', Some(&next)) => {
                chars.next();
                out.push(c);
                out.push(next);
            }
            ('$', None) => out.push_str(r"$(?!\n)"),
            _ => out.push(c),
        }
    }
    out
}

/// A schema as a JSON value (for the derive, which names no crate but ofdkit).
pub use serde_json::Value as SchemaValue;

/// The rules of the catalog a schema cannot express, with why: the core
/// checks them, a schema validator does not.
pub const NOT_EXPRESSED: &[(&str, &str)] = &[
    ("inn_checksum", "check digits are arithmetic over the digits"),
    ("inn_all_zeros", "expressible as a pattern, but kept with the check digits it belongs to"),
    ("ogrn_checksum", "check digits are arithmetic over the digits"),
    ("ogrn_all_zeros", "kept with the check digits it belongs to"),
    ("barcode_check_digit", "GS1 check digits are arithmetic over the digits"),
    ("reg_number_checksum", "a CRC over three fields"),
    ("total_matches_items", "a sum over the items"),
    ("payments_match_total", "a sum over the payments"),
    ("item_vat_sum_required", "depends on whether the receipt gives vats and on the item's rate"),
    ("correction_info_required", "depends on the operation (the correction schema requires it)"),
    ("correction_base_number_required", "depends on the correction's type"),
    ("one_document", "receipt and correction exclude each other by the operation's schema"),
    ("mark_quantity_fraction", "compares two members"),
    ("mark_code_empty", "one of nine members, with unknown members allowed"),
    ("company_type_inn_length", "depends on CompanyType"),
    ("company_type_ogrn_length", "depends on CompanyType or the INN's length"),
    ("documents_field_missing", "depends on the check level and the company type (§2.5.1)"),
    ("purpose_reason_required", "depends on the purpose"),
    ("secondary_fiscal_data_required", "depends on the check level"),
    ("duplicate_member", "JSON Schema sees objects after parsing, when duplicates are gone"),
    ("nul_character", "would need a pattern on every string; checked by the core"),
    ("date_format", "the calendar (31 November, 29 February) is beyond a pattern; the pattern gives the form"),
    ("amount_max", "for amounts written as strings; numbers carry maximum"),
    ("amount_precision", "for amounts written as strings; numbers carry multipleOf"),
    ("amount_negative", "for amounts written as strings; numbers carry minimum"),
    ("too_many_violations", "a bound on the core's list of violations, not on the document"),
];

/// Builds schemas, collecting every model once under `$defs`.
#[derive(Debug, Default)]
pub struct SchemaGenerator {
    defs: BTreeMap<String, Value>,
    /// Models being described, so that a recursive model refers to itself.
    in_progress: Vec<String>,
}

impl SchemaGenerator {
    /// A generator with no definitions yet.
    pub fn new() -> Self {
        SchemaGenerator::default()
    }

    /// A reference to the model `name`, describing it first if needed.
    pub fn model(&mut self, name: &str, describe: impl FnOnce(&mut Self) -> Value) -> Value {
        if !self.defs.contains_key(name) && !self.in_progress.iter().any(|n| n == name) {
            self.in_progress.push(name.to_owned());
            let mut schema = describe(self);
            null_means_absent(&mut schema);
            self.in_progress.pop();
            self.defs.insert(name.to_owned(), schema);
        }
        json!({ "$ref": format!("#/$defs/{name}") })
    }

    /// The schema of `T`.
    pub fn of<T: Describe + ?Sized>(&mut self) -> Value {
        T::schema(self)
    }

    /// Consumes the generator into the `$defs` it collected.
    pub fn into_defs(self) -> BTreeMap<String, Value> {
        self.defs
    }
}

/// JSON Schema counts a member set to null as present; the core, like
/// every object described here, counts it absent. So `dependentRequired`
/// (which a model's own schema function may write) is restated as
/// conditions under which a null member is absent: `{"agent_info": null,
/// "supplier_info": {…}}` lacks an agent_info as much as the core says.
fn null_means_absent(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let Some(Value::Object(dependencies)) = map.remove("dependentRequired") else { return };
    let given = |name: &str| json!({ "required": [name], "properties": { name: { "not": { "type": "null" } } } });
    let conditions = dependencies.iter().map(|(member, needed)| {
        let needed: Vec<Value> = needed.as_array().into_iter().flatten().filter_map(Value::as_str).map(given).collect();
        json!({ "if": given(member), "then": { "allOf": needed } })
    });
    match map.entry("allOf").or_insert_with(|| json!([])) {
        Value::Array(all) => all.extend(conditions),
        other => *other = json!([other.take()].into_iter().chain(conditions).collect::<Vec<_>>()),
    }
}

/// A type that has a JSON Schema.
pub trait Describe {
    /// The type's schema; models are added to `gen`'s definitions and referred to.
    fn schema(gen: &mut SchemaGenerator) -> Value;
}

/// One member of an object being described, for the derive and the checks.
#[derive(Debug)]
pub struct FieldSchema {
    /// The member's schema, where checks add their keywords.
    pub schema: Map<String, Value>,
}

impl FieldSchema {
    /// A member of this schema.
    pub fn new(schema: Value) -> Self {
        let schema = match schema {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".to_owned(), Value::Array(vec![other]));
                map
            }
        };
        FieldSchema { schema }
    }

    /// Sets a keyword (`maxLength`, `pattern`, …); a pattern is made
    /// [portable](portable_pattern).
    pub fn set(&mut self, keyword: &str, value: Value) {
        let value = match (keyword, value) {
            ("pattern", Value::String(pattern)) => Value::String(portable_pattern(&pattern)),
            (_, value) => value,
        };
        self.schema.insert(keyword.to_owned(), value);
    }

    /// The schema of the array's elements, to constrain them.
    pub fn items(&mut self) -> FieldSchema {
        let items = self.schema.remove("items").unwrap_or_else(|| json!({}));
        FieldSchema::new(items)
    }

    /// Puts back the element schema taken with [`FieldSchema::items`].
    pub fn set_items(&mut self, items: FieldSchema) {
        self.schema.insert("items".to_owned(), Value::Object(items.schema));
    }
}

/// An object model, as the derive describes it member by member.
#[derive(Debug, Default)]
pub struct ObjectSchema {
    properties: Map<String, Value>,
    required: Vec<String>,
    description: Option<String>,
    /// Aliases: spellings read as a member, described as deprecated names.
    aliases: Vec<(String, String)>,
}

impl ObjectSchema {
    /// An object with this description (none if empty).
    pub fn new(description: &str) -> Self {
        ObjectSchema { description: (!description.is_empty()).then(|| description.to_owned()), ..Default::default() }
    }

    /// Adds a member: `schema` is its value's, `required` whether the
    /// request fails without it, `doc` its doc comment, `rule` the catalog
    /// rule that requires an optional-looking member.
    pub fn member(&mut self, wire: &str, field: FieldSchema, required: bool, doc: &str, rule: Option<&str>) {
        let mut schema = field.schema;
        let mut description = doc.trim().to_owned();
        if let Some(rule) = rule {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(&format!("Required (rule {rule})."));
        }
        if !description.is_empty() {
            schema.insert("description".to_owned(), Value::String(description));
        }
        // A null member means absent (JSON's way to write nothing): an
        // optional member may be null, a required one may not.
        let schema = if required {
            Value::Object(schema)
        } else {
            json!({ "anyOf": [Value::Object(schema), { "type": "null" }] })
        };
        if required {
            self.required.push(wire.to_owned());
        }
        self.properties.insert(wire.to_owned(), schema);
    }

    /// A spelling read as `wire` (the spec's examples spell some members
    /// two ways).
    pub fn alias(&mut self, alias: &str, wire: &str) {
        self.aliases.push((alias.to_owned(), wire.to_owned()));
    }

    /// The object's schema.
    pub fn finish(self) -> Value {
        let mut out = Map::new();
        out.insert("type".to_owned(), json!("object"));
        if let Some(d) = self.description {
            out.insert("description".to_owned(), Value::String(d));
        }
        let mut properties = self.properties;
        for (alias, wire) in &self.aliases {
            if let Some(schema) = properties.get(wire).cloned() {
                let mut schema = schema;
                if let Value::Object(map) = &mut schema {
                    map.insert("deprecated".to_owned(), json!(true));
                    map.insert("description".to_owned(), json!(format!("Read as {wire}; send {wire}.")));
                }
                properties.insert(alias.clone(), schema);
            }
        }
        out.insert("properties".to_owned(), Value::Object(properties));
        // A required member read under another spelling too is required
        // in exactly one of them (both at once are a duplicate).
        let mut required = Vec::new();
        let mut spelt = Vec::new();
        for wire in self.required {
            let aliases: Vec<&String> = self.aliases.iter().filter(|(_, w)| *w == wire).map(|(a, _)| a).collect();
            if aliases.is_empty() {
                required.push(wire);
            } else {
                let choices: Vec<Value> =
                    std::iter::once(&wire).chain(aliases).map(|s| json!({ "required": [s] })).collect();
                spelt.push(json!({ "oneOf": choices }));
            }
        }
        if !required.is_empty() {
            out.insert("required".to_owned(), json!(required));
        }
        if !spelt.is_empty() {
            out.insert("allOf".to_owned(), Value::Array(spelt));
        }
        // Members the spec does not describe are kept and sent, with a
        // warning: never an error, so the schema allows them.
        out.insert("additionalProperties".to_owned(), json!(true));
        Value::Object(out)
    }
}

/// Lets the derive call a check's `describe` with the field's type named.
pub fn describe_check<T: ?Sized, C: crate::validate::Check<T>>(check: &C, field: &mut FieldSchema) {
    check.describe(field);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_mean_the_cores_space_and_end_in_every_dialect() {
        assert_eq!(portable_pattern(r"\S"), NOT_SPACE);
        assert_eq!(portable_pattern(r"^\s*[0-9]+\s*$"), format!("^{SPACE}*[0-9]+{SPACE}*$(?!\\n)"));
        assert_eq!(portable_pattern(r"^[0-9]{4}\.[0-9]\$"), r"^[0-9]{4}\.[0-9]\$");
        // The core's space is exactly what `str::trim` removes.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let listed = SPACE.contains(&format!("\\u{:04x}", c as u32))
                || matches!(c, '\t'..='\r' | ' ')
                || ('\u{2000}'..='\u{200a}').contains(&c);
            assert_eq!(c.is_whitespace(), listed, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn a_null_member_does_not_count_as_given() {
        let mut schema = json!({ "dependentRequired": { "agent_info": ["supplier_info"] } });
        null_means_absent(&mut schema);
        let given = |name: &str| json!({ "required": [name], "properties": { name: { "not": { "type": "null" } } } });
        assert_eq!(
            schema,
            json!({ "allOf": [{ "if": given("agent_info"), "then": { "allOf": [given("supplier_info")] } }] })
        );
    }

    #[test]
    fn a_required_member_with_another_spelling_is_required_in_one_of_them() {
        let mut object = ObjectSchema::new("");
        object.member("purpose", FieldSchema::new(json!({ "type": "string" })), true, "", None);
        object.member("inn", FieldSchema::new(json!({ "type": "string" })), true, "", None);
        object.alias("Purpose", "purpose");
        let schema = object.finish();
        assert_eq!(schema["required"], json!(["inn"]));
        assert_eq!(schema["allOf"], json!([{ "oneOf": [{ "required": ["purpose"] }, { "required": ["Purpose"] }] }]));
    }
}
