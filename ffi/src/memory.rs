//! Reading the caller's arguments and handing out results: UTF-8 in,
//! UTF-8 out, nothing the caller passes is retained, everything handed out
//! has its `ofdkit_*_free`.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::sync::atomic::{AtomicUsize, Ordering};

use ofdkit_core::json::{Input, DEFAULT_MAX_INPUT_BYTES};

use crate::landing::{c_string, Fail};

static MAX_INPUT_BYTES: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the largest JSON input any function reads, in bytes, for the whole
/// process (4 MiB, 4194304, by default; 0 restores the default). A larger
/// input is `OFDKIT_E_INPUT_TOO_LARGE` before anything is parsed, and
/// reading takes at most a few times the input's size. Safe from any thread.
#[no_mangle]
pub extern "C" fn ofdkit_set_max_input_bytes(max_bytes: usize) {
    let max = if max_bytes == 0 { DEFAULT_MAX_INPUT_BYTES } else { max_bytes };
    MAX_INPUT_BYTES.store(max, Ordering::Relaxed);
}

/// The largest JSON input read, in bytes (see `ofdkit_set_max_input_bytes`).
#[no_mangle]
pub extern "C" fn ofdkit_max_input_bytes() -> usize {
    MAX_INPUT_BYTES.load(Ordering::Relaxed)
}

/// JSON text with its length, refused at once when over the limit.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn input<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<Input<'a>, Fail> {
    let input = Input::new(bytes(ptr, len, name)?).max_bytes(ofdkit_max_input_bytes());
    input.check_size().map_err(ofdkit_core::Error::Json)?;
    Ok(input)
}

/// A NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Fail> {
    if ptr.is_null() {
        return Err(Fail::argument(format!("{name} is NULL")));
    }
    CStr::from_ptr(ptr).to_str().map_err(|_| Fail::argument(format!("{name} is not UTF-8")))
}

/// An optional NUL-terminated UTF-8 argument: NULL means absent.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Fail> {
    if ptr.is_null() {
        Ok(None)
    } else {
        text(ptr, name).map(Some)
    }
}

/// A byte buffer with its length (JSON text need not be NUL-terminated).
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes valid for the call.
pub(crate) unsafe fn bytes<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a [u8], Fail> {
    if ptr.is_null() {
        return Err(Fail::argument(format!("{name} is NULL")));
    }
    if len > isize::MAX as usize {
        return Err(Fail::argument(format!("{name}: the length is too large")));
    }
    Ok(std::slice::from_raw_parts(ptr.cast::<u8>(), len))
}

/// An out-parameter, cleared first so that a failed call leaves NULL.
///
/// # Safety
/// `out` is NULL or valid for writes.
pub(crate) unsafe fn out<'a, T>(out: *mut *mut T, name: &str) -> Result<&'a mut *mut T, Fail> {
    if out.is_null() {
        return Err(Fail::argument(format!("{name} is NULL")));
    }
    *out = std::ptr::null_mut();
    Ok(&mut *out)
}

/// A scalar out-parameter.
///
/// # Safety
/// `out` is NULL or valid for writes.
pub(crate) unsafe fn out_value<'a, T>(out: *mut T, name: &str) -> Result<&'a mut T, Fail> {
    if out.is_null() {
        return Err(Fail::argument(format!("{name} is NULL")));
    }
    Ok(&mut *out)
}

/// A string for the caller, freed with `ofdkit_string_free`.
pub(crate) fn give(text: String) -> *mut c_char {
    c_string(text).into_raw()
}

/// Frees a string ofdkit returned. NULL is ignored.
///
/// # Safety
/// `text` is NULL or a string returned by ofdkit and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_string_free(text: *mut c_char) {
    if !text.is_null() {
        drop(CString::from_raw(text));
    }
}

/// Frees bytes ofdkit returned (a downloaded document), with their length.
/// NULL is ignored.
///
/// # Safety
/// `data` is NULL or a buffer returned by ofdkit with this `len`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_bytes_free(data: *mut u8, len: usize) {
    if !data.is_null() {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(data, len)));
    }
}

/// Bytes for the caller, freed with `ofdkit_bytes_free`.
#[cfg(feature = "transport")]
pub(crate) fn give_bytes(data: Vec<u8>) -> (*mut u8, usize) {
    let boxed = data.into_boxed_slice();
    let len = boxed.len();
    (Box::into_raw(boxed).cast::<u8>(), len)
}
