//! # ofdkit-1c: ofdkit as a 1C:Enterprise external component
//!
//! A Native API add-in (`ПодключитьВнешнююКомпоненту(…,
//! ТипВнешнейКомпоненты.Native)`) for Windows x86_64 and x86 and Linux
//! x86_64, over the core and the client: receipts validated, normalised,
//! sent and followed to their fiscal result, the registration API, code
//! tables. `scripts/build-1c` packs the libraries into the ZIP 1C loads.
//!
//! - [`native`]: the Native API itself (values, the platform's memory
//!   manager and connection, the component object and its vtables),
//!   written from the API's public description.
//! - [`addin`]: the `Ofdkit` component: its methods and properties.
//!
//! The library exports what the platform looks up: `GetClassNames`,
//! `GetClassObject`, `DestroyObject`, `GetAttachType` and
//! `SetPlatformCapabilities`. Nothing panics across them.
// The Native API is a foreign ABI of raw pointers and vtables: this crate,
// like the C library, is where the workspace allows unsafe code, each
// block with its SAFETY.
#![allow(unsafe_code)]

pub mod addin;
pub mod native;

// A panic must become an exception in 1C, never the end of the 1C process:
// every entry catches it, which needs unwinding.
#[cfg(panic = "abort")]
compile_error!("the 1C add-in must be built with panic = \"unwind\"");

use std::ffi::c_void;
use std::os::raw::{c_int, c_long};
use std::panic::catch_unwind;

use addin::Ofdkit;
use native::{ascii_utf16, read_nul_terminated, same_name, AddIn, Component, WChar};

/// The class names, `|`-separated, as `GetClassNames` returns them.
static CLASS_NAMES: [WChar; 7] = ascii_utf16("Ofdkit");
const _: () = assert!(CLASS_NAMES.len() == Ofdkit::NAME.len() + 1);

/// `eCanAttachAny`: the component runs in the platform's process or in a
/// separate one (`ТипПодключенияВнешнейКомпоненты.Изолированно`).
const ATTACH_ANY: c_int = 3;

/// `eAppCapabilitiesLast` of the Native API this component is written
/// against (`eAppCapabilities1`).
const APP_CAPABILITIES: c_int = 1;

/// The names of the classes the library makes: `Ofdkit`. Static: the
/// platform does not free it.
#[no_mangle]
pub extern "C" fn GetClassNames() -> *const WChar {
    CLASS_NAMES.as_ptr()
}

/// Makes an object of class `name` and stores its `IComponentBase*` in
/// `*object`. Returns non-zero on success, 0 for an unknown name.
///
/// # Safety
/// `name` is NULL or a NUL-terminated UTF-16 string; `object` is NULL or
/// valid for a write.
#[no_mangle]
pub unsafe extern "C" fn GetClassObject(name: *const WChar, object: *mut *mut c_void) -> c_long {
    catch_unwind(|| {
        let known = read_nul_terminated(name).is_some_and(|n| same_name(&n, Ofdkit::NAME));
        if !known || object.is_null() {
            return 0;
        }
        *object = Component::<Ofdkit>::create();
        1
    })
    .unwrap_or(0)
}

/// Destroys an object from `GetClassObject` and sets `*object` to NULL.
/// Returns 0, or -1 when there is no object.
///
/// # Safety
/// `object` is NULL or points to NULL or to an object from `GetClassObject`
/// not yet destroyed.
#[no_mangle]
pub unsafe extern "C" fn DestroyObject(object: *mut *mut c_void) -> c_long {
    if object.is_null() || (*object).is_null() {
        return -1;
    }
    let component = std::mem::replace(&mut *object, std::ptr::null_mut());
    catch_unwind(|| Component::<Ofdkit>::destroy(component)).map_or(-1, |()| 0)
}

/// How the component may be attached: in the platform's process or apart.
#[no_mangle]
pub extern "C" fn GetAttachType() -> c_int {
    ATTACH_ANY
}

/// The platform says which capabilities it has; the component answers the
/// version it is written against. Without this export the platform would
/// not let the component report errors.
#[no_mangle]
pub extern "C" fn SetPlatformCapabilities(_capabilities: c_int) -> c_int {
    APP_CAPABILITIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exports_make_and_destroy_an_object_by_its_name_in_any_case() {
        let name: Vec<u16> = "OFDKIT".encode_utf16().chain([0]).collect();
        let mut object: *mut c_void = std::ptr::null_mut();
        unsafe {
            assert_eq!(read_nul_terminated(GetClassNames()).as_deref(), Some("Ofdkit"));
            assert_ne!(GetClassObject(name.as_ptr(), &mut object), 0);
            assert!(!object.is_null());
            assert_eq!(DestroyObject(&mut object), 0);
            assert!(object.is_null());
            assert_eq!(DestroyObject(&mut object), -1);
            let other: Vec<u16> = "Other".encode_utf16().chain([0]).collect();
            assert_eq!(GetClassObject(other.as_ptr(), &mut object), 0);
            assert_eq!(GetClassObject(std::ptr::null(), &mut object), 0);
        }
        assert_eq!(SetPlatformCapabilities(2), 1);
        assert_eq!(GetAttachType(), 3);
    }
}
