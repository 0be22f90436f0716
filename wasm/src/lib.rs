//! # ofdkit-wasm
//!
//! The WebAssembly skin of ofdkit: it converts JavaScript values into the
//! core's types and the core's answers back into JavaScript, and nothing
//! else (DESIGN.md §1). Every rule lives in the core.
//!
//! - [`convert`]: a JS value or JSON text into JSON text for the core's
//!   exact reader (within the input limit), money arguments into amounts.
//! - [`errors`]: every failure as a thrown `OfdkitError` with `code`,
//!   `codeName` and `violations`, from the core's one table of codes.
//! - [`receipts`]: the Ferma receipts API: validate, normalise, fill totals, VAT.
//! - [`registration`]: the KKT registration API: applications, updates,
//!   signatures, partner registrations.
//! - [`codes`]: the code tables with their Russian descriptions.
//! - [`answers`]: answers of both APIs and violations in the core's one JSON form.
//!
//! The package's public face is the small ES module in `wasm/js/`, which
//! loads this module and re-exports these functions; there is no network
//! code and no credential anywhere in it.

pub mod answers;
pub mod codes;
pub mod convert;
pub mod errors;
pub mod receipts;
pub mod registration;

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of ofdkit this module was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
