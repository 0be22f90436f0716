//! The Native API of 1C:Enterprise, written from its public description:
//! the value type, the platform's memory manager and connection, and the
//! component object with its vtables. It knows nothing of receipts: the
//! component's logic plugs in through [`AddIn`].
//!
//! Facts of the ABI this layer rests on:
//! - strings are UTF-16 (`WCHAR_T`, 2 bytes) on every platform;
//! - interface methods are `__stdcall` on 32-bit Windows and the C
//!   convention elsewhere (`extern "system"`); `long` is 32 bits on
//!   Windows and 64 on Linux (`c_long`);
//! - a C++ vtable starts with the virtual destructor: one slot with MSVC,
//!   which builds 1C for Windows, two with the Itanium ABI on Linux;
//! - every string or blob handed to the platform is allocated with its
//!   memory manager, which the platform frees.

mod component;
mod platform;
mod variant;
mod wide;

#[cfg(test)]
mod tests;

pub use component::{AddIn, Component, Default, Failure, Method, Names, Param, Problem, Property, NATIVE_API_VERSION};
pub use platform::{Connection, MemoryManager, ADDIN_E_VERY_IMPORTANT};
pub use variant::{kind, ReadError, TVariant, Value, WChar, WriteError};
pub use wide::{ascii_utf16, read_nul_terminated, same_name};

/// Destructor slots at the start of a vtable: MSVC's scalar deleting
/// destructor on Windows; the Itanium ABI's complete-object and deleting
/// destructors elsewhere.
pub const DESTRUCTOR_SLOTS: usize = if cfg!(windows) { 1 } else { 2 };
