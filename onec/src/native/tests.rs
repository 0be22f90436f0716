//! The layer driven through its vtables as the platform drives it, with a
//! fake memory manager and connection, and a component whose methods echo,
//! fail and panic. These are the bugs of the `native_api_1c` crate this
//! layer must not have: names that never match, returned lengths that count
//! the NUL, panics that unwind into the platform, and no
//! `SetPlatformCapabilities` (tested at the crate root).
// The tests build the platform's values bit by bit, as 1C does.
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::os::raw::{c_long, c_ulong};

use super::component::{InitDoneVtable, LanguageExtenderVtable, This};
use super::*;

#[repr(C)]
struct FakeMemoryVtable {
    destructor: [usize; DESTRUCTOR_SLOTS],
    alloc: unsafe extern "system" fn(*mut FakeMemory, *mut *mut c_void, c_ulong) -> bool,
    free: unsafe extern "system" fn(*mut FakeMemory, *mut *mut c_void),
}

/// A memory manager that knows every block it handed out.
#[repr(C)]
struct FakeMemory {
    vtable: &'static FakeMemoryVtable,
    live: RefCell<HashMap<usize, std::alloc::Layout>>,
}

unsafe extern "system" fn fake_alloc(this: *mut FakeMemory, out: *mut *mut c_void, bytes: c_ulong) -> bool {
    let layout = std::alloc::Layout::from_size_align(bytes as usize, 8).unwrap();
    let block = std::alloc::alloc(layout);
    (*this).live.borrow_mut().insert(block as usize, layout);
    *out = block.cast();
    true
}

unsafe extern "system" fn fake_free(this: *mut FakeMemory, block: *mut *mut c_void) {
    let layout = (*this).live.borrow_mut().remove(&(*block as usize)).expect("freed a block it never allocated");
    std::alloc::dealloc((*block).cast(), layout);
    *block = std::ptr::null_mut();
}

static FAKE_MEMORY_VTABLE: FakeMemoryVtable =
    FakeMemoryVtable { destructor: [0; DESTRUCTOR_SLOTS], alloc: fake_alloc, free: fake_free };

impl FakeMemory {
    fn new() -> Box<Self> {
        Box::new(FakeMemory { vtable: &FAKE_MEMORY_VTABLE, live: RefCell::new(HashMap::new()) })
    }

    /// Frees a string the component handed over, after checking it is one
    /// of this manager's blocks and NUL-terminated after `len` units.
    unsafe fn take_string(&self, data: *const WChar, len: usize) -> String {
        let layout = self.live.borrow()[&(data as usize)];
        assert_eq!(layout.size(), (len + 1) * 2, "the block holds the units and one NUL");
        assert_eq!(*data.add(len), 0, "NUL-terminated");
        let text = String::from_utf16(std::slice::from_raw_parts(data, len)).unwrap();
        let mut pointer = data as *mut c_void;
        fake_free(self as *const Self as *mut Self, &mut pointer);
        text
    }
}

#[repr(C)]
struct FakeConnectionVtable {
    destructor: [usize; DESTRUCTOR_SLOTS],
    add_error: unsafe extern "system" fn(*mut FakeConnection, u16, *const WChar, *const WChar, c_long) -> bool,
}

#[repr(C)]
struct FakeConnection {
    vtable: &'static FakeConnectionVtable,
    errors: RefCell<Vec<(u16, String, String, c_long)>>,
}

unsafe extern "system" fn fake_add_error(
    this: *mut FakeConnection,
    wcode: u16,
    source: *const WChar,
    description: *const WChar,
    scode: c_long,
) -> bool {
    let source = read_nul_terminated(source).unwrap();
    let description = read_nul_terminated(description).unwrap();
    (*this).errors.borrow_mut().push((wcode, source, description, scode));
    true
}

static FAKE_CONNECTION_VTABLE: FakeConnectionVtable =
    FakeConnectionVtable { destructor: [0; DESTRUCTOR_SLOTS], add_error: fake_add_error };

/// A component to drive the layer with.
struct Mock {
    counter: i64,
    problems: Vec<Problem>,
}

const TEXT: Param = Param { name: Names { en: "Text", ru: "Текст" }, default: None };
const SUFFIX: Param =
    Param { name: Names { en: "Suffix", ru: "Окончание" }, default: Some(Default::Str("!")) };

impl AddIn for Mock {
    const NAME: &'static str = "Mock";
    const METHODS: &'static [Method] = &[
        Method { name: Names { en: "Echo", ru: "Эхо" }, params: &[TEXT, SUFFIX], returns: true },
        Method { name: Names { en: "Boom", ru: "Взрыв" }, params: &[], returns: false },
        Method { name: Names { en: "Fail", ru: "Отказ" }, params: &[], returns: true },
    ];
    const PROPERTIES: &'static [Property] =
        &[Property { name: Names { en: "Counter", ru: "Счётчик" }, readable: true, writable: true }];

    fn new() -> Self {
        Mock { counter: 0, problems: Vec::new() }
    }

    fn call(&mut self, method: usize, args: Vec<Value>) -> Result<Value, Failure> {
        match (method, &args[..]) {
            (0, [Value::Str(text), Value::Str(suffix)]) => Ok(Value::Str(format!("{text}{suffix}"))),
            (1, _) => panic!("boom in Boom"),
            _ => Err(Failure { code: 1003, description: "отказ".to_owned() }),
        }
    }

    fn get(&mut self, _property: usize) -> Result<Value, Failure> {
        Ok(Value::Int(self.counter))
    }

    fn set(&mut self, _property: usize, value: Value) -> Result<(), Failure> {
        match value {
            Value::Int(i) => {
                self.counter = i;
                Ok(())
            }
            _ => panic!("a counter takes numbers"),
        }
    }

    fn fail(&mut self, problem: Problem) -> Failure {
        self.problems.push(problem.clone());
        Failure { code: 9002, description: format!("{problem:?}") }
    }
}

/// A component created and initialised as the platform does it.
struct Platform {
    object: *mut c_void,
    memory: Box<FakeMemory>,
    connection: Box<FakeConnection>,
}

fn wide(text: &str) -> Vec<WChar> {
    text.encode_utf16().chain([0]).collect()
}

impl Platform {
    fn start() -> Self {
        let object = Component::<Mock>::create();
        let mut platform = Platform {
            object,
            memory: FakeMemory::new(),
            connection: Box::new(FakeConnection { vtable: &FAKE_CONNECTION_VTABLE, errors: RefCell::new(Vec::new()) }),
        };
        let init_done = platform.init_done();
        unsafe {
            assert!((init_done.set_mem_manager)(object, (&mut *platform.memory as *mut FakeMemory).cast()));
            assert!((init_done.init)(object, (&mut *platform.connection as *mut FakeConnection).cast()));
            assert_eq!((init_done.get_info)(object), 2000);
        }
        platform
    }

    fn init_done(&self) -> &'static InitDoneVtable {
        unsafe { *self.object.cast::<&'static InitDoneVtable>() }
    }

    /// `this` for `ILanguageExtenderBase`: the second vtable pointer.
    fn extender(&self) -> (This, &'static LanguageExtenderVtable) {
        unsafe {
            let this = self.object.cast::<*const c_void>().add(1).cast::<c_void>();
            (this, *this.cast::<&'static LanguageExtenderVtable>())
        }
    }

    fn find_method(&self, name: &str) -> c_long {
        let (this, vt) = self.extender();
        unsafe { (vt.find_method)(this, wide(name).as_ptr()) }
    }

    fn mock(&self) -> &Mock {
        unsafe { (*self.object.cast::<Component<Mock>>()).addin_for_tests() }
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        unsafe { Component::<Mock>::destroy(self.object) };
        assert!(self.memory.live.borrow().is_empty(), "every block handed over was freed");
    }
}

#[test]
fn methods_and_properties_are_found_by_either_name_in_any_case() {
    let platform = Platform::start();
    assert_eq!(platform.find_method("Echo"), 0);
    assert_eq!(platform.find_method("эхо"), 0);
    assert_eq!(platform.find_method("ЭХО"), 0);
    assert_eq!(platform.find_method("отказ"), 2);
    assert_eq!(platform.find_method("Ech"), -1);
    let (this, vt) = platform.extender();
    unsafe {
        assert_eq!((vt.get_n_methods)(this), 3);
        assert_eq!((vt.find_prop)(this, wide("счётчик").as_ptr()), 0);
        assert_eq!((vt.find_prop)(this, wide("COUNTER").as_ptr()), 0);
        assert_eq!((vt.find_prop)(this, std::ptr::null()), -1);
    }
}

#[test]
fn names_handed_over_are_platform_memory_and_nul_terminated() {
    let platform = Platform::start();
    let (this, vt) = platform.extender();
    unsafe {
        let english = (vt.get_method_name)(this, 0, 0);
        assert_eq!(platform.memory.take_string(english, 4), "Echo");
        let russian = (vt.get_method_name)(this, 0, 1);
        assert_eq!(platform.memory.take_string(russian, 3), "Эхо");
        assert!((vt.get_method_name)(this, 3, 0).is_null());
        let property = (vt.get_prop_name)(this, 0, 1);
        assert_eq!(platform.memory.take_string(property, 7), "Счётчик");
        let mut name: *mut WChar = std::ptr::null_mut();
        assert!((vt.register_extension_as)(this, &mut name));
        assert_eq!(platform.memory.take_string(name, 4), "Mock");
    }
}

#[test]
fn a_returned_string_has_its_length_without_the_nul() {
    let platform = Platform::start();
    let (this, vt) = platform.extender();
    let mut params = [TVariant::empty(), TVariant::empty()];
    let mut text = "Чек".encode_utf16().collect::<Vec<_>>();
    params[0].vt = kind::PWSTR;
    params[0].value.wide = super::variant::Wide { data: text.as_mut_ptr(), len: 3 };
    let mut result = TVariant::empty();
    unsafe {
        assert_eq!((vt.get_n_params)(this, 0), 2);
        assert!((vt.has_ret_val)(this, 0));
        assert!(!(vt.has_ret_val)(this, 1));
        // The second parameter is omitted: the default applies.
        assert!((vt.call_as_func)(this, 0, &mut result, params.as_mut_ptr(), 2));
        assert_eq!(result.vt, kind::PWSTR);
        assert_eq!(result.value.wide.len, 4, "Чек! is 4 units, not 5");
        assert_eq!(platform.memory.take_string(result.value.wide.data, 4), "Чек!");
        // And the default as the platform asks for it.
        let mut default = TVariant::empty();
        assert!((vt.get_param_def_value)(this, 0, 1, &mut default));
        assert_eq!(platform.memory.take_string(default.value.wide.data, default.value.wide.len as usize), "!");
        assert!(!(vt.get_param_def_value)(this, 0, 0, &mut default), "a required parameter has no default");
    }
    assert!(platform.connection.errors.borrow().is_empty());
}

#[test]
fn a_panic_becomes_an_error_the_platform_sees_not_an_unwind() {
    let platform = Platform::start();
    let (this, vt) = platform.extender();
    unsafe {
        assert!(!(vt.call_as_proc)(this, 1, std::ptr::null_mut(), 0));
        // A property setter that panics, too.
        let mut text = TVariant::empty();
        let mut units = wide("x");
        text.vt = kind::PWSTR;
        text.value.wide = super::variant::Wide { data: units.as_mut_ptr(), len: 1 };
        assert!(!(vt.set_prop_val)(this, 0, &mut text));
    }
    let errors = platform.connection.errors.borrow();
    assert_eq!(errors.len(), 2);
    let (wcode, source, description, scode) = &errors[0];
    assert_eq!((*wcode, source.as_str()), (ADDIN_E_VERY_IMPORTANT, "Mock"));
    assert!(description.contains("boom in Boom"), "{description}");
    assert!(*scode < 0, "a failure HRESULT");
    assert!(matches!(platform.mock().problems[..], [Problem::Panic(_), Problem::Panic(_)]));
    drop(errors);
    // The component still works after a caught panic.
    assert_eq!(platform.find_method("echo"), 0);
}

#[test]
fn a_failure_is_reported_through_add_error_and_returns_false() {
    let platform = Platform::start();
    let (this, vt) = platform.extender();
    let mut result = TVariant::empty();
    unsafe {
        assert!(!(vt.call_as_func)(this, 2, &mut result, std::ptr::null_mut(), 0));
        assert_eq!(result.vt, kind::EMPTY);
        // A required parameter given a date, which the component does not take.
        let mut params = [TVariant::empty(), TVariant::empty()];
        params[0].vt = kind::TM;
        assert!(!(vt.call_as_func)(this, 0, &mut result, params.as_mut_ptr(), 2));
        // An unknown method number.
        assert!(!(vt.call_as_func)(this, 42, &mut result, std::ptr::null_mut(), 0));
    }
    let errors = platform.connection.errors.borrow();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0].2, "отказ");
    assert_eq!(errors[0].3, (0x8004_0000u32 | 1003) as i32 as c_long);
    assert_eq!(
        platform.mock().problems,
        [Problem::Argument { method: 0, param: 0, error: ReadError::Unsupported(kind::TM) }, Problem::NoSuchMember(42)]
    );
}

#[test]
fn properties_read_and_write_through_variants() {
    let platform = Platform::start();
    let (this, vt) = platform.extender();
    let mut value = TVariant::empty();
    value.vt = kind::R8;
    value.value.f64 = 3.0;
    unsafe {
        assert!((vt.is_prop_readable)(this, 0) && (vt.is_prop_writable)(this, 0));
        assert!(!(vt.is_prop_readable)(this, 1));
        value.vt = kind::I4;
        value.value.i32 = 42;
        assert!((vt.set_prop_val)(this, 0, &mut value));
        let mut read = TVariant::empty();
        assert!((vt.get_prop_val)(this, 0, &mut read));
        assert_eq!(read.read(), Ok(Value::Int(42)));
    }
}

#[test]
fn without_a_memory_manager_nothing_is_handed_over_and_nothing_crashes() {
    let object = Component::<Mock>::create();
    unsafe {
        let this = object.cast::<*const c_void>().add(1).cast::<c_void>();
        let vt = *this.cast::<&'static LanguageExtenderVtable>();
        assert!((vt.get_method_name)(this, 0, 0).is_null());
        let mut name: *mut WChar = std::ptr::null_mut();
        assert!(!(vt.register_extension_as)(this, &mut name));
        Component::<Mock>::destroy(object);
    }
}
