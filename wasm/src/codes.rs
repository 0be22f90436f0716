//! The code tables of both specs, with their Russian descriptions, as plain
//! objects: `{name, source, wireKind, entries: [{name, wire, number, tag,
//! aliases, descriptionRu}]}`.

use js_sys::{Array, Object, Reflect};
use ofdkit::codes::{self, CodeEntry, CodeTable, WireKind};
use wasm_bindgen::prelude::*;

use crate::errors::Fail;

/// Sets a member on an object this module just made; that cannot fail.
pub(crate) fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn optional_number(n: Option<u32>) -> JsValue {
    n.map_or(JsValue::NULL, JsValue::from)
}

fn entry_to_js(entry: &CodeEntry) -> JsValue {
    let object = Object::new();
    set(&object, "name", &JsValue::from_str(entry.name));
    set(&object, "wire", &JsValue::from_str(entry.wire));
    set(&object, "number", &optional_number(entry.number));
    set(&object, "tag", &optional_number(entry.tag));
    let aliases: Array = entry.aliases.iter().map(|a| JsValue::from_str(a)).collect();
    set(&object, "aliases", &aliases);
    set(&object, "descriptionRu", &JsValue::from_str(entry.description_ru));
    object.into()
}

fn table_to_js(table: &CodeTable) -> JsValue {
    let object = Object::new();
    set(&object, "name", &JsValue::from_str(table.name));
    set(&object, "source", &JsValue::from_str(table.source));
    let wire_kind = match table.wire_kind {
        WireKind::String => "string",
        WireKind::Integer => "integer",
    };
    set(&object, "wireKind", &JsValue::from_str(wire_kind));
    let entries: Array = table.entries.iter().map(entry_to_js).collect();
    set(&object, "entries", &entries);
    object.into()
}

fn find(name: &str) -> Result<&'static CodeTable, Fail> {
    codes::table(name).ok_or_else(|| {
        let names: Vec<&str> = codes::tables().iter().map(|t| t.name).collect();
        Fail::argument(format!("there is no code table {name:?}; the tables are {}", names.join(", ")))
    })
}

/// Every code table.
#[wasm_bindgen(js_name = codeTables)]
pub fn code_tables() -> Array {
    codes::tables().iter().map(|t| table_to_js(t)).collect()
}

/// The table called `name` (`"measure"`, `"payment_object"`, …).
#[wasm_bindgen(js_name = codeTable)]
pub fn code_table(name: &str) -> Result<JsValue, JsValue> {
    Ok(table_to_js(find(name)?))
}

/// The entry of table `name` for any accepted spelling of a value: its
/// wire form, an alias, or its number as a number or text. `null` when
/// the table has no such value.
#[wasm_bindgen(js_name = codeLookup)]
pub fn code_lookup(name: &str, value: &JsValue) -> Result<JsValue, JsValue> {
    let table = find(name)?;
    let text = match (value.as_string(), value.as_f64()) {
        (Some(text), _) => text,
        (None, Some(n)) => crate::convert::number_text(n).unwrap_or_default(),
        _ => return Ok(JsValue::NULL),
    };
    Ok(table.lookup(&text).map_or(JsValue::NULL, entry_to_js))
}
