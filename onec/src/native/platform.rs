//! The two objects the platform hands a component: its memory manager
//! (`IMemoryManager`), through which every string and blob returned to the
//! platform is allocated, and its connection (`IAddInDefBase`), through
//! which errors are reported.
//!
//! Both are C++ objects compiled by the platform's compiler: a pointer to a
//! vtable whose first slots are the virtual destructor (one on Windows,
//! where 1C is built with MSVC; two with the Itanium ABI of GCC and Clang
//! on Linux), then the methods in declaration order, `__stdcall` on 32-bit
//! Windows (`extern "system"`). Only the slots called are declared.

use std::ffi::c_void;
use std::os::raw::{c_long, c_ulong};
use std::ptr::NonNull;

use super::variant::{WChar, WriteError};
use super::DESTRUCTOR_SLOTS;

#[repr(C)]
struct MemoryManagerVtable {
    destructor: [*const c_void; DESTRUCTOR_SLOTS],
    /// `bool AllocMemory(void **pMemory, unsigned long ulCountByte)`
    alloc_memory: unsafe extern "system" fn(*mut c_void, *mut *mut c_void, c_ulong) -> bool,
    /// `void FreeMemory(void **pMemory)`
    free_memory: unsafe extern "system" fn(*mut c_void, *mut *mut c_void),
}

/// The platform's memory manager. Memory it allocates and that is handed
/// to the platform is freed by the platform.
#[derive(Clone, Copy, Debug)]
pub struct MemoryManager(NonNull<c_void>);

impl MemoryManager {
    /// # Safety
    /// `pointer` is NULL or the `IMemoryManager*` the platform passed to
    /// `setMemManager`, alive as long as the component.
    pub unsafe fn new(pointer: *mut c_void) -> Option<Self> {
        NonNull::new(pointer).map(MemoryManager)
    }

    fn vtable(&self) -> &MemoryManagerVtable {
        // SAFETY: a C++ object starts with its vtable pointer (`new`).
        unsafe { &**self.0.as_ptr().cast::<*const MemoryManagerVtable>() }
    }

    /// `bytes` bytes from the platform, or `None` when it refuses.
    pub fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, WriteError> {
        // `unsigned long` is 32 bits on Windows.
        let count = c_ulong::try_from(bytes).map_err(|_| WriteError::TooLong)?;
        let mut memory: *mut c_void = std::ptr::null_mut();
        // SAFETY: the object is the platform's live memory manager.
        let ok = unsafe { (self.vtable().alloc_memory)(self.0.as_ptr(), &mut memory, count) };
        match NonNull::new(memory.cast::<u8>()) {
            Some(memory) if ok => Ok(memory),
            _ => Err(WriteError::NoMemory),
        }
    }

    /// Gives back memory from [`MemoryManager::alloc`] that was not handed
    /// to the platform after all.
    pub fn free(&self, memory: NonNull<u8>) {
        let mut pointer = memory.as_ptr().cast::<c_void>();
        // SAFETY: as in `alloc`; the memory came from this manager.
        unsafe { (self.vtable().free_memory)(self.0.as_ptr(), &mut pointer) }
    }

    /// `text` as a NUL-terminated UTF-16 string in the platform's memory,
    /// and its length in UTF-16 units *without* the NUL (what `wstrLen`
    /// holds).
    pub fn alloc_wide(&self, text: &str) -> Result<(*mut WChar, u32), WriteError> {
        let mut units: Vec<WChar> = text.encode_utf16().collect();
        let len = u32::try_from(units.len()).map_err(|_| WriteError::TooLong)?;
        units.push(0);
        let bytes = units.len().checked_mul(2).ok_or(WriteError::TooLong)?;
        let memory = self.alloc(bytes)?.as_ptr().cast::<WChar>();
        // SAFETY: `memory` holds `bytes` bytes; the platform's allocator
        // aligns for any type, as malloc does.
        unsafe { std::ptr::copy_nonoverlapping(units.as_ptr(), memory, units.len()) };
        Ok((memory, len))
    }

    /// A copy of `data` in the platform's memory, and its length.
    pub fn alloc_bytes(&self, data: &[u8]) -> Result<(*mut u8, u32), WriteError> {
        let len = u32::try_from(data.len()).map_err(|_| WriteError::TooLong)?;
        // Zero bytes are allocated as one, so that the pointer is never NULL.
        let memory = self.alloc(data.len().max(1))?.as_ptr();
        // SAFETY: `memory` holds at least `data.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), memory, data.len()) };
        Ok((memory, len))
    }
}

/// `wcode` of `AddError`: how the platform shows a message. Errors of a
/// method go as `ADDIN_E_VERY_IMPORTANT` ("!!!"), which with a non-zero
/// `scode` and the method returning `false` becomes an exception in the
/// 1C code that called it.
pub const ADDIN_E_VERY_IMPORTANT: u16 = 1004;

#[repr(C)]
struct ConnectionVtable {
    destructor: [*const c_void; DESTRUCTOR_SLOTS],
    /// `bool AddError(unsigned short wcode, const WCHAR_T *source, const
    /// WCHAR_T *descr, long scode)`
    add_error: unsafe extern "system" fn(*mut c_void, u16, *const WChar, *const WChar, c_long) -> bool,
}

/// The platform's connection (`IAddInDefBase`).
#[derive(Clone, Copy, Debug)]
pub struct Connection(NonNull<c_void>);

impl Connection {
    /// # Safety
    /// `pointer` is NULL or the `IAddInDefBase*` the platform passed to
    /// `Init`, alive as long as the component.
    pub unsafe fn new(pointer: *mut c_void) -> Option<Self> {
        NonNull::new(pointer).map(Connection)
    }

    /// Reports an error to the platform. `scode` is an `HRESULT`: failure
    /// codes (negative) make it an exception.
    pub fn add_error(&self, wcode: u16, source: &str, description: &str, scode: i32) -> bool {
        let source: Vec<WChar> = source.encode_utf16().chain([0]).collect();
        let description: Vec<WChar> = description.encode_utf16().chain([0]).collect();
        // SAFETY: a C++ object starts with its vtable pointer; the strings
        // are NUL-terminated and outlive the call, which copies them.
        unsafe {
            let vtable = &**self.0.as_ptr().cast::<*const ConnectionVtable>();
            (vtable.add_error)(self.0.as_ptr(), wcode, source.as_ptr(), description.as_ptr(), scode.into())
        }
    }
}
