//! The code tables for C: look a value up in any spelling, or iterate a
//! table. Every string here is static: never free it.

use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::sync::OnceLock;

use ofdkit_core::codes::{self, CodeTable};

use crate::landing::{c_string, guard, Fail, OFDKIT_OK};
use crate::memory::{out_value, text};

/// One value of a code table. Static: never free its strings.
#[repr(C)]
pub struct OfdkitCodeEntry {
    /// The Rust name (`Kilogram`).
    pub name: *const c_char,
    /// The canonical wire form (`"11"`, `"osn"`).
    pub wire: *const c_char,
    /// The Russian description from the spec.
    pub description_ru: *const c_char,
    /// The value's number, or -1 where the spec gives none.
    pub number: i64,
    /// The FFD tag the spec gives, or -1.
    pub tag: i64,
}

struct Table {
    source: &'static CodeTable,
    name: CString,
    entries: Vec<OfdkitCodeEntry>,
    _strings: Vec<CString>,
}

/// The tables as C data, built once and never freed.
struct Tables(Vec<Table>);

// The raw pointers point into CStrings owned by the same never-dropped,
// never-mutated value: sharing it between threads is sound.
unsafe impl Sync for Tables {}
unsafe impl Send for Tables {}

fn tables() -> &'static [Table] {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    &TABLES
        .get_or_init(|| {
            Tables(
                codes::tables()
                    .iter()
                    .map(|table| {
                        let mut strings = Vec::new();
                        let mut keep = |s: &str| {
                            let c = c_string(s.to_owned());
                            let ptr = c.as_ptr();
                            strings.push(c);
                            ptr
                        };
                        let entries = table
                            .entries
                            .iter()
                            .map(|e| OfdkitCodeEntry {
                                name: keep(e.name),
                                wire: keep(e.wire),
                                description_ru: keep(e.description_ru),
                                number: e.number.map_or(-1, i64::from),
                                tag: e.tag.map_or(-1, i64::from),
                            })
                            .collect();
                        Table { source: table, name: c_string(table.name.to_owned()), entries, _strings: strings }
                    })
                    .collect(),
            )
        })
        .0
}

fn table(name: &str) -> Result<&'static Table, Fail> {
    tables().iter().find(|t| t.source.name == name).ok_or_else(|| {
        let names: Vec<&str> = tables().iter().map(|t| t.source.name).collect();
        Fail::argument(format!("no code table {name:?}; the tables are {}", names.join(", ")))
    })
}

/// How many code tables there are.
#[no_mangle]
pub extern "C" fn ofdkit_code_table_count() -> usize {
    tables().len()
}

/// The name of table `index` (`"measure"`, …), or NULL past the end. Static.
#[no_mangle]
pub extern "C" fn ofdkit_code_table_name(index: usize) -> *const c_char {
    tables().get(index).map_or(std::ptr::null(), |t| t.name.as_ptr())
}

/// The number of values in the table called `table`.
///
/// # Safety
/// `table` is NUL-terminated; `size_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_code_table_size(table: *const c_char, size_out: *mut usize) -> c_int {
    guard(|| {
        let slot = out_value(size_out, "size_out")?;
        *slot = self::table(text(table, "table")?)?.entries.len();
        Ok(OFDKIT_OK)
    })
}

/// Value `index` of the table called `table`. `*entry_out` is static.
///
/// # Safety
/// `table` is NUL-terminated; `entry_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_code_table_entry(
    table: *const c_char,
    index: usize,
    entry_out: *mut *const OfdkitCodeEntry,
) -> c_int {
    guard(|| {
        let slot = out_value(entry_out, "entry_out")?;
        *slot = std::ptr::null();
        let table = self::table(text(table, "table")?)?;
        let entry = table.entries.get(index).ok_or_else(|| {
            Fail::argument(format!("index {index} is past the {} values of {}", table.entries.len(), table.source.name))
        })?;
        *slot = entry;
        Ok(OFDKIT_OK)
    })
}

/// The value of table `table` spelt `value` in any accepted way (its wire
/// form, its number, a documented alias: `"commodity"`, `"1"`).
/// `*entry_out` is static. An unknown value is `OFDKIT_E_NOT_FOUND`.
///
/// # Safety
/// `table` and `value` are NUL-terminated; `entry_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_code_lookup(
    table: *const c_char,
    value: *const c_char,
    entry_out: *mut *const OfdkitCodeEntry,
) -> c_int {
    guard(|| {
        let slot = out_value(entry_out, "entry_out")?;
        *slot = std::ptr::null();
        let table = self::table(text(table, "table")?)?;
        let value = text(value, "value")?;
        let found = table.source.lookup(value).ok_or_else(|| {
            Fail::new(
                ofdkit_core::ErrorCode::NotFound,
                format!("{value:?} is not a value of the {} table", table.source.name),
            )
        })?;
        let index = table.source.entries.iter().position(|e| std::ptr::eq(e, found)).unwrap_or(0);
        *slot = &table.entries[index];
        Ok(OFDKIT_OK)
    })
}
