//! `tVariant`, the value every call between 1C:Enterprise and a component
//! carries, laid out exactly as the platform's C compiler lays it out, and
//! its conversion to and from [`Value`].
//!
//! The layout (types.h of the Native API): a union of every value kind,
//! then `uint32_t cbElements`, then `TYPEVAR vt` (`unsigned short`), with
//! the platform's natural alignment and no packing pragma. The union's
//! largest member is `struct tm`, which differs by platform: 9 `int`s on
//! Windows (36 bytes), 9 `int`s plus `long tm_gmtoff` and `const char
//! *tm_zone` with glibc (56 bytes on x86_64). `double` and `int64_t` align
//! the union to 8 on all three targets (MSVC and MinGW align them to 8 on
//! x86 too), so a variant is 64 bytes on Linux x86_64 and 48 bytes on
//! Windows x86_64 and x86. The constants below are checked at compile time
//! and again by the C harness (tests/onec), compiled by the platform's C
//! compiler for every target.
// 1C's number is a double: an integer beyond 2^53 becomes the nearest one, as in 1C.
#![allow(clippy::cast_precision_loss)]

use std::ffi::c_void;
use std::mem::{offset_of, size_of};
use std::os::raw::{c_char, c_int};

use super::platform::MemoryManager;

/// A string unit of the platform: UTF-16, 2 bytes on every platform
/// (`WCHAR_T` is `wchar_t` on Windows and `uint16_t` elsewhere).
pub type WChar = u16;

/// The variant kinds (`enum ENUMVAR`), in their declaration order.
pub mod kind {
    pub const EMPTY: u16 = 0;
    pub const NULL: u16 = 1;
    pub const I2: u16 = 2;
    pub const I4: u16 = 3;
    pub const R4: u16 = 4;
    pub const R8: u16 = 5;
    pub const DATE: u16 = 6;
    pub const TM: u16 = 7;
    pub const PSTR: u16 = 8;
    pub const INTERFACE: u16 = 9;
    pub const ERROR: u16 = 10;
    pub const BOOL: u16 = 11;
    pub const VARIANT: u16 = 12;
    pub const I1: u16 = 13;
    pub const UI1: u16 = 14;
    pub const UI2: u16 = 15;
    pub const UI4: u16 = 16;
    pub const I8: u16 = 17;
    pub const UI8: u16 = 18;
    pub const INT: u16 = 19;
    pub const UINT: u16 = 20;
    pub const HRESULT: u16 = 21;
    pub const PWSTR: u16 = 22;
    pub const BLOB: u16 = 23;
    pub const CLSID: u16 = 24;
}

/// `struct tm` of the platform's C library.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Tm {
    pub sec: c_int,
    pub min: c_int,
    pub hour: c_int,
    pub mday: c_int,
    pub mon: c_int,
    pub year: c_int,
    pub wday: c_int,
    pub yday: c_int,
    pub isdst: c_int,
    #[cfg(not(windows))]
    pub gmtoff: std::os::raw::c_long,
    #[cfg(not(windows))]
    pub zone: *const c_char,
}

/// `IID`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Guid {
    pub data1: u32,
    pub data2: u16,
    pub data3: u16,
    pub data4: [u8; 8],
}

/// The `iface` member: an interface pointer and its identifier.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Interface {
    pub pointer: *mut c_void,
    pub id: Guid,
}

/// The `str` member: bytes (`VTYPE_PSTR`, `VTYPE_BLOB`); `len` counts bytes.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Bytes {
    pub data: *mut c_char,
    pub len: u32,
}

/// The `wstr` member (`VTYPE_PWSTR`); `len` counts UTF-16 units, without
/// any terminating NUL.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Wide {
    pub data: *mut WChar,
    pub len: u32,
}

/// The union of a variant's values. Members that only give the union its
/// size and alignment on some platform are kept for that reason.
#[repr(C)]
#[derive(Clone, Copy)]
pub union VariantValue {
    pub i8: i8,
    pub i16: i16,
    pub i32: i32,
    pub i64: i64,
    pub u8: u8,
    pub u16: u16,
    pub u32: u32,
    pub u64: u64,
    pub f32: f32,
    pub f64: f64,
    pub bool: bool,
    pub int: c_int,
    pub tm: Tm,
    pub iface: Interface,
    pub bytes: Bytes,
    pub wide: Wide,
    pub variant: *mut TVariant,
}

/// `tVariant`.
#[repr(C)]
pub struct TVariant {
    pub value: VariantValue,
    /// `cbElements`: the length of an array in `pvarVal` (unused here).
    pub elements: u32,
    /// `vt`: one of [`kind`].
    pub vt: u16,
}

/// The size and member offsets of `tVariant` on this target.
pub const TVARIANT_SIZE: usize = if cfg!(windows) { 48 } else { 64 };
pub const TVARIANT_ELEMENTS_OFFSET: usize = if cfg!(windows) { 40 } else { 56 };
pub const TVARIANT_VT_OFFSET: usize = if cfg!(windows) { 44 } else { 60 };

// The add-in is built for Linux x86_64 and Windows x86_64 and x86, whose
// layouts the constants state; any other target fails here, before a
// mislaid variant can corrupt the platform's memory.
const _: () = {
    assert!(cfg!(any(all(target_os = "linux", target_arch = "x86_64"), windows)));
    assert!(size_of::<TVariant>() == TVARIANT_SIZE);
    assert!(offset_of!(TVariant, elements) == TVARIANT_ELEMENTS_OFFSET);
    assert!(offset_of!(TVariant, vt) == TVARIANT_VT_OFFSET);
    assert!(size_of::<WChar>() == 2);
};

/// A value as the add-in sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `Неопределено` (`VTYPE_EMPTY`; `VTYPE_NULL` reads as this too).
    Empty,
    Bool(bool),
    /// Every integer kind.
    Int(i64),
    /// `VTYPE_R4` and `VTYPE_R8`: how the platform passes a `Число` with
    /// a fraction.
    Double(f64),
    Str(String),
    /// `ДвоичныеДанные` (`VTYPE_BLOB`).
    Blob(Vec<u8>),
}

/// A variant the add-in cannot read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// A kind the add-in takes no values of (a date, an interface, …).
    Unsupported(u16),
    /// A string that is not valid UTF-16 (a lone surrogate).
    BadUtf16,
    /// A `VTYPE_PSTR` that is not UTF-8.
    BadUtf8,
    /// A string or blob with a length but no data.
    NullData,
}

/// A value that could not be handed to the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The platform gave no memory manager, or it refused to allocate.
    NoMemory,
    /// Longer than a variant's 32-bit length can say.
    TooLong,
}

impl TVariant {
    /// An empty variant (`tVarInit`).
    pub fn empty() -> Self {
        // SAFETY: every member of the union is plain data for which all
        // zero bytes is a valid value (null pointers, zero numbers, false).
        let mut variant: TVariant = unsafe { std::mem::zeroed() };
        variant.vt = kind::EMPTY;
        variant
    }

    /// Reads the value. Strings and blobs are copied: nothing the platform
    /// owns is kept.
    ///
    /// # Safety
    /// The variant is one the platform filled: a string's or blob's data
    /// points to `len` units.
    pub unsafe fn read(&self) -> Result<Value, ReadError> {
        let v = &self.value;
        Ok(match self.vt {
            kind::EMPTY | kind::NULL => Value::Empty,
            kind::BOOL => Value::Bool(v.bool),
            kind::I1 => Value::Int(v.i8.into()),
            kind::I2 => Value::Int(v.i16.into()),
            kind::I4 | kind::ERROR => Value::Int(v.i32.into()),
            kind::INT => Value::Int(v.int.into()),
            kind::I8 => Value::Int(v.i64),
            kind::UI1 => Value::Int(v.u8.into()),
            kind::UI2 => Value::Int(v.u16.into()),
            kind::UI4 | kind::UINT => Value::Int(v.u32.into()),
            kind::UI8 => i64::try_from(v.u64).map_or(Value::Double(v.u64 as f64), Value::Int),
            kind::R4 => Value::Double(v.f32.into()),
            kind::R8 => Value::Double(v.f64),
            kind::PWSTR => {
                let units = slice(v.wide.data, v.wide.len)?;
                Value::Str(String::from_utf16(units).map_err(|_| ReadError::BadUtf16)?)
            }
            kind::PSTR => {
                let bytes = slice(v.bytes.data.cast::<u8>(), v.bytes.len)?;
                Value::Str(String::from_utf8(bytes.to_vec()).map_err(|_| ReadError::BadUtf8)?)
            }
            kind::BLOB => Value::Blob(slice(v.bytes.data.cast::<u8>(), v.bytes.len)?.to_vec()),
            other => return Err(ReadError::Unsupported(other)),
        })
    }
}

/// `len` elements at `data`; an empty slice for a zero length, whatever
/// the pointer.
unsafe fn slice<'a, T>(data: *const T, len: u32) -> Result<&'a [T], ReadError> {
    match (data.is_null(), len) {
        (_, 0) => Ok(&[]),
        (true, _) => Err(ReadError::NullData),
        (false, len) => Ok(std::slice::from_raw_parts(data, len as usize)),
    }
}

/// Writes `value` into the platform's variant at `target`, allocating
/// strings and blobs with the platform's memory manager (the platform frees
/// them). Whatever `target` held is overwritten, not freed: the platform
/// owns it. Integers go as `VTYPE_I4` when they fit, else as `VTYPE_R8`;
/// strings as `VTYPE_PWSTR`, NUL-terminated with `wstrLen` counting the
/// units before the NUL.
///
/// # Safety
/// `target` is valid for a write of a `TVariant`.
pub unsafe fn write(target: *mut TVariant, value: &Value, memory: Option<&MemoryManager>) -> Result<(), WriteError> {
    let mut variant = TVariant::empty();
    match value {
        Value::Empty => {}
        Value::Bool(b) => {
            variant.vt = kind::BOOL;
            variant.value.bool = *b;
        }
        Value::Int(i) => match i32::try_from(*i) {
            Ok(small) => {
                variant.vt = kind::I4;
                variant.value.i32 = small;
            }
            Err(_) => {
                variant.vt = kind::R8;
                variant.value.f64 = *i as f64;
            }
        },
        Value::Double(d) => {
            variant.vt = kind::R8;
            variant.value.f64 = *d;
        }
        Value::Str(text) => {
            let (data, len) = memory.ok_or(WriteError::NoMemory)?.alloc_wide(text)?;
            variant.vt = kind::PWSTR;
            variant.value.wide = Wide { data, len };
        }
        Value::Blob(bytes) => {
            let (data, len) = memory.ok_or(WriteError::NoMemory)?.alloc_bytes(bytes)?;
            variant.vt = kind::BLOB;
            variant.value.bytes = Bytes { data: data.cast(), len };
        }
    }
    target.write(variant);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_number_kind_and_refuses_dates() {
        let mut v = TVariant::empty();
        assert_eq!(unsafe { v.read() }, Ok(Value::Empty));
        v.vt = kind::I4;
        v.value.i32 = -7;
        assert_eq!(unsafe { v.read() }, Ok(Value::Int(-7)));
        v.vt = kind::R8;
        v.value.f64 = 249.9;
        assert_eq!(unsafe { v.read() }, Ok(Value::Double(249.9)));
        v.vt = kind::UI8;
        v.value.u64 = u64::MAX;
        assert_eq!(unsafe { v.read() }, Ok(Value::Double(u64::MAX as f64)));
        v.vt = kind::TM;
        assert_eq!(unsafe { v.read() }, Err(ReadError::Unsupported(kind::TM)));
    }

    #[test]
    fn reads_strings_by_their_length_not_by_a_nul() {
        // "Чай" followed by garbage that a NUL-seeking reader would take.
        let mut units: Vec<u16> = "Чай".encode_utf16().collect();
        units.extend_from_slice(&[0x41, 0x42]);
        let mut v = TVariant::empty();
        v.vt = kind::PWSTR;
        v.value.wide = Wide { data: units.as_mut_ptr(), len: 3 };
        assert_eq!(unsafe { v.read() }, Ok(Value::Str("Чай".to_owned())));
        v.value.wide = Wide { data: std::ptr::null_mut(), len: 0 };
        assert_eq!(unsafe { v.read() }, Ok(Value::Str(String::new())));
        v.value.wide = Wide { data: std::ptr::null_mut(), len: 2 };
        assert_eq!(unsafe { v.read() }, Err(ReadError::NullData));
        let mut lone = [0xD800u16];
        v.value.wide = Wide { data: lone.as_mut_ptr(), len: 1 };
        assert_eq!(unsafe { v.read() }, Err(ReadError::BadUtf16));
    }

    #[test]
    fn writes_integers_that_do_not_fit_as_doubles() {
        let mut v = TVariant::empty();
        unsafe { write(&mut v, &Value::Int(1 << 40), None) }.unwrap();
        assert_eq!((v.vt, unsafe { v.value.f64 }), (kind::R8, (1u64 << 40) as f64));
        unsafe { write(&mut v, &Value::Bool(true), None) }.unwrap();
        assert_eq!(unsafe { v.read() }, Ok(Value::Bool(true)));
        // A string needs the platform's memory manager.
        assert_eq!(unsafe { write(&mut v, &Value::Str("x".into()), None) }, Err(WriteError::NoMemory));
    }
}
