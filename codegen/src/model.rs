//! The models as the JSON Schemas describe them, read back from
//! [`ofdkit::schema::document_schemas`] into a form the type and document
//! generators share: objects with their members (wire name, type, whether
//! required and by which rule, other spellings, description) and types
//! (text, numbers, money, dates, code tables, arrays, references).
//!
//! Reading the schemas, not the Rust source, keeps one description: what a
//! generated type says is what the schema says, which the schema agreement
//! test holds to the core.

use std::collections::BTreeMap;

use ofdkit::schema::{Describe, DocumentSchema, SchemaGenerator, NOT_SPACE, SPACE};
use serde_json::{Map, Value};

/// The type of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Text(Text),
    Integer {
        minimum: Option<Value>,
        maximum: Option<Value>,
    },
    /// Any JSON number.
    Number,
    Boolean,
    Decimal(Decimal),
    Date(DateKind),
    /// A code table: its name and every accepted spelling with its
    /// description, the canonical one first for each entry.
    Code {
        table: String,
        values: Vec<(Value, String)>,
    },
    Const(Value),
    Array {
        items: Box<Ty>,
        min: Option<u64>,
        max: Option<u64>,
    },
    /// A model under `$defs`, with members this use also requires.
    Model {
        name: String,
        also_required: Vec<String>,
    },
    /// An object described in place.
    Object(Object),
    Union(Vec<Ty>),
    Any,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    /// The pattern as the checks wrote it (`\S` for the core's not-blank).
    pub pattern: Option<String>,
}

impl Text {
    pub fn not_blank(&self) -> bool {
        self.pattern.as_deref() == Some(r"\S")
    }
}

/// Money (2 decimals) or a quantity (3 decimals).
#[derive(Clone, Debug, PartialEq)]
pub struct Decimal {
    pub quantity: bool,
    pub maximum: String,
    pub step: String,
}

/// A date or time format of the specs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DateKind {
    /// The name the TypeScript types give it (`DateTimeText`).
    pub name: &'static str,
    /// How it is written (`dd.mm.yyyy HH:MM:SS`).
    pub format: &'static str,
}

/// An object: its members in the schema's order (by wire name).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    pub description: Option<String>,
    pub members: Vec<Member>,
    /// Members that need others beside them (`agent_info` → `supplier_info`).
    pub needs: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub wire: String,
    pub ty: Ty,
    pub required: bool,
    /// The catalog rule that makes an optional-looking member required.
    pub required_by: Option<String>,
    /// For another spelling: the member it is read as.
    pub alias_of: Option<String>,
    /// The other spellings of this member.
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

/// A model of `$defs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub name: String,
    pub description: Option<String>,
    pub ty: Ty,
}

/// One schema file, read.
pub struct Document {
    pub file: &'static str,
    pub title: &'static str,
    pub description: String,
    pub request: bool,
    pub root: Ty,
    pub models: BTreeMap<String, Model>,
}

/// The date formats, by the pattern their schema carries.
fn date_kinds() -> Vec<(Value, DateKind)> {
    fn of<T: Describe>(name: &'static str, format: &'static str) -> (Value, DateKind) {
        let schema = T::schema(&mut SchemaGenerator::new());
        (schema["pattern"].clone(), DateKind { name, format })
    }
    use ofdkit::datetime::{Date, DateTime, DateTimeMinutes, IsoDate, IsoDateTime, ShortDate, TimeSpan};
    vec![
        of::<DateTime>("DateTimeText", "dd.mm.yyyy HH:MM:SS"),
        of::<Date>("DateText", "dd.mm.yyyy"),
        of::<ShortDate>("ShortDateText", "dd.mm.yy"),
        of::<IsoDate>("IsoDateText", "yyyy-mm-dd"),
        of::<IsoDateTime>("IsoDateTimeText", "yyyy-mm-ddTHH:MM:SS[.fffffff]"),
        of::<DateTimeMinutes>("DateTimeMinutesText", "yyyy-mm-dd HH:MM"),
        of::<TimeSpan>("TimeSpanText", "[d.]hh:mm:ss[.fffffff]"),
    ]
}

/// Every schema file, read.
pub fn documents() -> Result<Vec<Document>, String> {
    let dates = date_kinds();
    ofdkit::schema::document_schemas().into_iter().map(|d| read_document(d, &dates)).collect()
}

fn read_document(document: DocumentSchema, dates: &[(Value, DateKind)]) -> Result<Document, String> {
    let reader = Reader { dates };
    let schema = document.schema.as_object().ok_or("a schema that is not an object")?;
    let mut models = BTreeMap::new();
    for (name, def) in schema.get("$defs").and_then(Value::as_object).into_iter().flatten() {
        let description = text(def, "description");
        models.insert(name.clone(), Model { name: name.clone(), description, ty: reader.ty(def)? });
    }
    let mut root = schema.clone();
    for keyword in ["$schema", "$id", "$defs", "title", "description"] {
        root.remove(keyword);
    }
    Ok(Document {
        file: document.file,
        title: document.title,
        description: text(&document.schema, "description").unwrap_or_default(),
        request: document.request,
        root: reader.ty(&Value::Object(root))?,
        models,
    })
}

fn text(schema: &Value, keyword: &str) -> Option<String> {
    schema.get(keyword).and_then(Value::as_str).map(str::to_owned)
}

struct Reader<'a> {
    dates: &'a [(Value, DateKind)],
}

impl Reader<'_> {
    fn ty(&self, schema: &Value) -> Result<Ty, String> {
        let map = match schema {
            Value::Object(map) => map,
            Value::Bool(true) => return Ok(Ty::Any),
            other => return Err(format!("unexpected schema {other}")),
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference).to_owned();
            return Ok(Ty::Model { name, also_required: Vec::new() });
        }
        if let Some(all) = map.get("allOf").and_then(Value::as_array).filter(|_| !map.contains_key("properties")) {
            // A model this use requires more of: `{"allOf": [{"$ref"}, {"required": [...]}]}`.
            let mut parts = all.iter();
            let mut ty = self.ty(parts.next().ok_or("an empty allOf")?)?;
            for part in parts {
                let required = part.get("required").and_then(Value::as_array).ok_or("an allOf part beyond required")?;
                if let Ty::Model { also_required, .. } = &mut ty {
                    also_required.extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
                }
            }
            return Ok(ty);
        }
        if let Some(any) = map.get("anyOf").and_then(Value::as_array).filter(|_| !map.contains_key("properties")) {
            let branches: Vec<&Value> = any.iter().filter(|b| **b != serde_json::json!({ "type": "null" })).collect();
            if let Some(decimal) = decimal(map, &branches) {
                return Ok(Ty::Decimal(decimal));
            }
            let mut types = Vec::new();
            let mut anything = false;
            for branch in branches {
                match self.ty(branch)? {
                    Ty::Any => anything = true,
                    ty => types.push(ty),
                }
            }
            // An answer's code may be newer than the spec (kept as sent):
            // its table still says what it means.
            return Ok(match types.len() {
                1 if !anything || matches!(types[0], Ty::Code { .. }) => types.remove(0),
                _ if anything => Ty::Any,
                _ => Ty::Union(types),
            });
        }
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            let descriptions = map.get("enumDescriptions").and_then(Value::as_array);
            let values = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let d = descriptions.and_then(|d| d.get(i)).and_then(Value::as_str).unwrap_or_default();
                    (v.clone(), d.to_owned())
                })
                .collect();
            let table = text(schema, "x-ofdkit-code-table").ok_or("an enum that is not a code table")?;
            return Ok(Ty::Code { table, values });
        }
        if let Some(value) = map.get("const") {
            return Ok(Ty::Const(value.clone()));
        }
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
            _ if map.contains_key("properties") => vec!["object"],
            _ => vec![],
        };
        let mut out: Vec<Ty> = types.iter().map(|t| self.typed(t, map)).collect::<Result<_, _>>()?;
        Ok(match out.len() {
            0 => Ty::Any,
            1 => out.remove(0),
            _ => Ty::Union(out),
        })
    }

    fn typed(&self, kind: &str, map: &Map<String, Value>) -> Result<Ty, String> {
        let number = |k: &str| map.get(k).and_then(Value::as_u64);
        Ok(match kind {
            "string" => {
                if let Some((_, date)) = self.dates.iter().find(|(p, _)| Some(p) == map.get("pattern")) {
                    return Ok(Ty::Date(*date));
                }
                Ty::Text(Text {
                    max_length: number("maxLength"),
                    min_length: number("minLength"),
                    pattern: map.get("pattern").and_then(Value::as_str).map(readable_pattern),
                })
            }
            "integer" => Ty::Integer { minimum: map.get("minimum").cloned(), maximum: map.get("maximum").cloned() },
            "boolean" => Ty::Boolean,
            "number" => Ty::Number,
            "array" => Ty::Array {
                items: Box::new(self.ty(map.get("items").unwrap_or(&Value::Bool(true)))?),
                min: number("minItems"),
                max: number("maxItems"),
            },
            "object" => Ty::Object(self.object(map)?),
            other => return Err(format!("unexpected type {other}")),
        })
    }

    fn object(&self, map: &Map<String, Value>) -> Result<Object, String> {
        let strings = |v: &Value| -> Vec<String> {
            v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
        };
        let required = map.get("required").map(strings).unwrap_or_default();
        let mut spellings: Vec<Vec<String>> = Vec::new();
        let mut needs = Vec::new();
        for part in map.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            if let Some(choices) = part.get("oneOf").and_then(Value::as_array) {
                spellings.push(choices.iter().flat_map(|c| strings(&c["required"])).collect());
            } else if let (Some(given), Some(then)) = (part.get("if"), part.get("then")) {
                let member = strings(&given["required"]).join(", ");
                let needed = then["allOf"].as_array().into_iter().flatten().flat_map(|p| strings(&p["required"]));
                needs.push((member, needed.collect()));
            }
        }
        let mut members = Vec::new();
        for (wire, schema) in map.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let alias_of = (schema.get("deprecated") == Some(&Value::Bool(true)))
                .then(|| text(schema, "description"))
                .flatten()
                .and_then(|d| d.strip_prefix("Read as ").and_then(|d| d.split(';').next()).map(str::to_owned));
            let group = spellings.iter().find(|g| g.contains(wire));
            let mut description = member_description(schema);
            let mut required_by = None;
            if let Some(d) = &description {
                if let Some((before, rule)) = d.split_once("Required (rule ") {
                    required_by = rule.strip_suffix(").").map(str::to_owned);
                    description = Some(before.trim().to_owned()).filter(|d| !d.is_empty());
                }
            }
            if alias_of.is_some() {
                description = None;
            }
            members.push(Member {
                wire: wire.clone(),
                ty: self.ty(schema)?,
                required: alias_of.is_none() && (required.contains(wire) || group.is_some()),
                required_by,
                aliases: map
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(_, s)| {
                        text(s, "description").as_deref() == Some(&format!("Read as {wire}; send {wire}."))
                    })
                    .map(|(a, _)| a.clone())
                    .collect(),
                alias_of,
                description,
            });
        }
        let description = map.get("description").and_then(Value::as_str).map(str::to_owned);
        Ok(Object { description, members, needs })
    }
}

/// A member's description: its own, or its value's.
fn member_description(schema: &Value) -> Option<String> {
    text(schema, "description").or_else(|| {
        let any = schema.get("anyOf")?.as_array()?;
        any.iter().find_map(|b| text(b, "description"))
    })
}

/// Money or a quantity: a number with a step and a decimal string.
fn decimal(map: &Map<String, Value>, branches: &[&Value]) -> Option<Decimal> {
    let [number, string] = branches else { return None };
    if number.get("type")? != "number" || string.get("type")? != "string" {
        return None;
    }
    let step = number.get("multipleOf")?.to_string();
    // A field's own maximum (an item's price) sits beside the anyOf.
    let maximum = map.get("maximum").or_else(|| number.get("maximum"))?.to_string();
    Some(Decimal { quantity: step == "0.001", maximum, step })
}

/// A pattern as the checks wrote it, for people: the core's space spelt
/// `\s` again, and no guard against Python's `$`.
pub fn readable_pattern(pattern: &str) -> String {
    pattern.replace(NOT_SPACE, r"\S").replace(SPACE, r"\s").replace(r"$(?!\n)", "$")
}

impl Ty {
    /// The models this type refers to.
    pub fn references(&self, out: &mut Vec<String>) {
        match self {
            Ty::Model { name, .. } => out.push(name.clone()),
            Ty::Array { items, .. } => items.references(out),
            Ty::Union(types) => types.iter().for_each(|t| t.references(out)),
            Ty::Object(object) => object.members.iter().for_each(|m| m.ty.references(out)),
            _ => {}
        }
    }
}

/// Models in an order where each comes after the models it uses, from the
/// given roots.
pub fn dependency_order(roots: &[&Ty], models: &BTreeMap<String, Model>) -> Vec<String> {
    fn visit(name: &str, models: &BTreeMap<String, Model>, out: &mut Vec<String>, seen: &mut Vec<String>) {
        if seen.iter().any(|s| s == name) {
            return;
        }
        seen.push(name.to_owned());
        if let Some(model) = models.get(name) {
            let mut used = Vec::new();
            model.ty.references(&mut used);
            for u in used {
                visit(&u, models, out, seen);
            }
            out.push(name.to_owned());
        }
    }
    let (mut out, mut seen) = (Vec::new(), Vec::new());
    for root in roots {
        let mut used = Vec::new();
        root.references(&mut used);
        for u in used {
            visit(&u, models, &mut out, &mut seen);
        }
    }
    out
}

/// The models of several documents as one set: a name means one model.
pub fn merged_models<'a>(documents: impl IntoIterator<Item = &'a Document>) -> Result<BTreeMap<String, Model>, String> {
    let mut out: BTreeMap<String, Model> = BTreeMap::new();
    for document in documents {
        for (name, model) in &document.models {
            match out.get(name) {
                Some(known) if known != model => {
                    return Err(format!("{name} differs between schema files (last in {})", document.file))
                }
                _ => {
                    out.insert(name.clone(), model.clone());
                }
            }
        }
    }
    Ok(out)
}

/// A table name as a type name: `payment_object` → `PaymentObject`.
pub fn pascal_case(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// `text` wrapped to lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_read_back_as_the_checks_wrote_them() {
        for pattern in [r"\S", r"^\s*[0-9]{2}\.[0-9]{2}\s*$", r"^([0-9]{10}|[0-9]{12})$"] {
            assert_eq!(readable_pattern(&ofdkit::schema::portable_pattern(pattern)), pattern);
        }
    }

    #[test]
    fn every_request_field_has_a_type_a_generator_can_write() {
        fn check(ty: &Ty, path: &str) {
            match ty {
                Ty::Any => panic!("{path}: any JSON"),
                Ty::Object(o) => o.members.iter().for_each(|m| check(&m.ty, &format!("{path}.{}", m.wire))),
                Ty::Array { items, .. } => check(items, &format!("{path}[]")),
                Ty::Union(types) => types.iter().for_each(|t| check(t, path)),
                _ => {}
            }
        }
        let documents = documents().unwrap();
        assert!(documents.iter().filter(|d| d.request).count() >= 6);
        for document in documents.iter().filter(|d| d.request) {
            check(&document.root, document.file);
            for model in document.models.values() {
                check(&model.ty, &model.name);
            }
        }
    }

    #[test]
    fn required_members_and_spellings_are_read() {
        let documents = documents().unwrap();
        let application = documents.iter().find(|d| d.file == "ofd-application-request.json").unwrap();
        let Ty::Object(object) = &application.models["ApplicationRequest"].ty else { panic!() };
        let member = |wire: &str| object.members.iter().find(|m| m.wire == wire).unwrap();
        assert!(member("ofdAgreementId").required);
        assert_eq!(member("ofdAgreementId").aliases, ["OfdAgreementId"]);
        assert_eq!(member("OfdAgreementId").alias_of.as_deref(), Some("ofdAgreementId"));
        assert!(!member("OfdAgreementId").required && !member("KktDetails").required);
        let receipt = documents.iter().find(|d| d.file == "ferma-receipt-request.json").unwrap();
        let Ty::Object(item) = &receipt.models["Item"].ty else { panic!() };
        let measure = item.members.iter().find(|m| m.wire == "measure").unwrap();
        assert!(measure.required);
        assert_eq!(measure.required_by.as_deref(), Some("measure_required"));
        assert_eq!(
            item.needs,
            [
                ("agent_info".to_owned(), vec!["supplier_info".to_owned()]),
                ("supplier_info".to_owned(), vec!["agent_info".to_owned()])
            ]
        );
    }

    #[test]
    fn a_name_means_one_model_across_schema_files() {
        let documents = documents().unwrap();
        let mut changed = documents.into_iter().filter(|d| d.file.starts_with("ofd-application")).collect::<Vec<_>>();
        assert!(merged_models(changed.iter()).is_ok());
        changed[0].models.get_mut("Person").unwrap().description = Some("another".to_owned());
        assert!(merged_models(changed.iter()).is_err());
    }
}
