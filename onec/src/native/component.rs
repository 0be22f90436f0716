//! The component object 1C:Enterprise talks to: an `IComponentBase`, which
//! is the C++ class `IInitDoneBase, ILanguageExtenderBase, LocaleBase,
//! UserLanguageBase` with multiple inheritance, built here by hand.
//!
//! Layout, as MSVC (Windows) and the Itanium ABI (Linux) both give it for
//! bases without data members: four vtable pointers in base order, then the
//! object's own data. The platform calls `ILanguageExtenderBase` methods
//! with `this` pointing at the second vtable pointer, and so on; each thunk
//! steps back to the start of the object. Every vtable starts with the
//! virtual destructor's slots ([`DESTRUCTOR_SLOTS`]), which the platform
//! never calls (it destroys objects through `DestroyObject`); they hold a
//! harmless function rather than NULL all the same.
//!
//! Every thunk runs its body under `catch_unwind`: a panic never unwinds
//! into the platform. A method or property that fails reports through
//! `AddError` and returns `false`, which the platform turns into an
//! exception in the calling 1C code.

use std::ffi::c_void;
use std::mem::{offset_of, size_of};
use std::os::raw::c_long;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::platform::{Connection, MemoryManager, ADDIN_E_VERY_IMPORTANT};
use super::variant::{write, ReadError, TVariant, Value, WChar, WriteError};
use super::wide::{read_nul_terminated, same_name};
use super::DESTRUCTOR_SLOTS;

/// The version of the Native API the component implements (`GetInfo`).
pub const NATIVE_API_VERSION: c_long = 2000;

/// A name in both of 1C's languages.
#[derive(Clone, Copy, Debug)]
pub struct Names {
    pub en: &'static str,
    pub ru: &'static str,
}

impl Names {
    fn matches(&self, given: &str) -> bool {
        same_name(given, self.en) || same_name(given, self.ru)
    }

    /// `alias` 0 is the English name, anything else the Russian one, as
    /// `GetMethodName` and `GetPropName` define it.
    fn get(&self, alias: c_long) -> &'static str {
        if alias == 0 {
            self.en
        } else {
            self.ru
        }
    }
}

/// The default of an optional parameter.
#[derive(Clone, Copy, Debug)]
pub enum Default {
    Str(&'static str),
    Int(i64),
}

impl Default {
    fn value(self) -> Value {
        match self {
            Default::Str(s) => Value::Str(s.to_owned()),
            Default::Int(i) => Value::Int(i),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub name: Names,
    /// `None`: the parameter is required.
    pub default: Option<Default>,
}

#[derive(Clone, Copy, Debug)]
pub struct Method {
    pub name: Names,
    pub params: &'static [Param],
    /// Whether it is a function (`HasRetVal`).
    pub returns: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Property {
    pub name: Names,
    pub readable: bool,
    pub writable: bool,
}

/// What a failed method or property reports to the platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The component's own error number, carried in the `HRESULT`.
    pub code: u16,
    /// The text 1C shows as the exception's description.
    pub description: String,
}

/// A failure the layer found rather than the component: the component
/// turns it into its [`Failure`] (and remembers it, for `LastError`).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// An argument the platform passed could not be read.
    Argument { method: usize, param: usize, error: ReadError },
    /// A value assigned to a property could not be read.
    PropertyValue { property: usize, error: ReadError },
    /// More arguments than the method has parameters.
    TooManyArguments { method: usize, given: usize },
    /// The result could not be handed to the platform.
    Result(WriteError),
    /// A method or property number the component does not have.
    NoSuchMember(c_long),
    /// A panic was caught (a bug), with its message.
    Panic(String),
}

/// The component's logic: its methods and properties, called with values.
pub trait AddIn: Sized + 'static {
    /// The name of the object's class (`GetClassNames`) and extension
    /// (`RegisterExtensionAs`).
    const NAME: &'static str;
    const METHODS: &'static [Method];
    const PROPERTIES: &'static [Property];

    fn new() -> Self;
    /// Calls method `method` with one value per parameter (defaults
    /// applied to omitted ones).
    fn call(&mut self, method: usize, args: Vec<Value>) -> Result<Value, Failure>;
    fn get(&mut self, property: usize) -> Result<Value, Failure>;
    fn set(&mut self, property: usize, value: Value) -> Result<(), Failure>;
    fn fail(&mut self, problem: Problem) -> Failure;
    /// The platform is done with the object (`Done`).
    fn done(&mut self) {}
}

pub(super) type This = *mut c_void;

#[cfg(all(windows, target_arch = "x86"))]
pub(super) type Destructor = unsafe extern "thiscall" fn(This, u32) -> This;
#[cfg(all(windows, not(target_arch = "x86")))]
pub(super) type Destructor = unsafe extern "C" fn(This, u32) -> This;
#[cfg(not(windows))]
pub(super) type Destructor = unsafe extern "C" fn(This);

/// MSVC's "scalar deleting destructor": `this` in ECX on x86 (thiscall),
/// the flags after it. Returns `this` and frees nothing.
#[cfg(all(windows, target_arch = "x86"))]
unsafe extern "thiscall" fn destructor(this: This, _flags: u32) -> This {
    this
}
#[cfg(all(windows, not(target_arch = "x86")))]
unsafe extern "C" fn destructor(this: This, _flags: u32) -> This {
    this
}
/// The Itanium ABI's complete-object and deleting destructors.
#[cfg(not(windows))]
unsafe extern "C" fn destructor(_this: This) {}

const DESTRUCTORS: [Destructor; DESTRUCTOR_SLOTS] = [destructor; DESTRUCTOR_SLOTS];

#[repr(C)]
pub(super) struct InitDoneVtable {
    pub(super) destructor: [Destructor; DESTRUCTOR_SLOTS],
    pub(super) init: unsafe extern "system" fn(This, *mut c_void) -> bool,
    pub(super) set_mem_manager: unsafe extern "system" fn(This, *mut c_void) -> bool,
    pub(super) get_info: unsafe extern "system" fn(This) -> c_long,
    pub(super) done: unsafe extern "system" fn(This),
}

#[repr(C)]
pub(super) struct LanguageExtenderVtable {
    pub(super) destructor: [Destructor; DESTRUCTOR_SLOTS],
    pub(super) register_extension_as: unsafe extern "system" fn(This, *mut *mut WChar) -> bool,
    pub(super) get_n_props: unsafe extern "system" fn(This) -> c_long,
    pub(super) find_prop: unsafe extern "system" fn(This, *const WChar) -> c_long,
    pub(super) get_prop_name: unsafe extern "system" fn(This, c_long, c_long) -> *const WChar,
    pub(super) get_prop_val: unsafe extern "system" fn(This, c_long, *mut TVariant) -> bool,
    pub(super) set_prop_val: unsafe extern "system" fn(This, c_long, *mut TVariant) -> bool,
    pub(super) is_prop_readable: unsafe extern "system" fn(This, c_long) -> bool,
    pub(super) is_prop_writable: unsafe extern "system" fn(This, c_long) -> bool,
    pub(super) get_n_methods: unsafe extern "system" fn(This) -> c_long,
    pub(super) find_method: unsafe extern "system" fn(This, *const WChar) -> c_long,
    pub(super) get_method_name: unsafe extern "system" fn(This, c_long, c_long) -> *const WChar,
    pub(super) get_n_params: unsafe extern "system" fn(This, c_long) -> c_long,
    pub(super) get_param_def_value: unsafe extern "system" fn(This, c_long, c_long, *mut TVariant) -> bool,
    pub(super) has_ret_val: unsafe extern "system" fn(This, c_long) -> bool,
    pub(super) call_as_proc: unsafe extern "system" fn(This, c_long, *mut TVariant, c_long) -> bool,
    pub(super) call_as_func: unsafe extern "system" fn(This, c_long, *mut TVariant, *mut TVariant, c_long) -> bool,
}

/// `LocaleBase` (`SetLocale`) and `UserLanguageBase`
/// (`SetUserInterfaceLanguageCode`) share this shape.
#[repr(C)]
pub(super) struct LanguageVtable {
    pub(super) destructor: [Destructor; DESTRUCTOR_SLOTS],
    pub(super) set: unsafe extern "system" fn(This, *const WChar),
}

/// The object handed to the platform. The platform calls one object from
/// one thread at a time (a session's calls are serialised), so the thunks
/// take it as `&mut` without a lock.
#[repr(C)]
pub struct Component<A: AddIn> {
    init_done: &'static InitDoneVtable,
    language_extender: &'static LanguageExtenderVtable,
    locale: &'static LanguageVtable,
    user_language: &'static LanguageVtable,
    memory: Option<MemoryManager>,
    connection: Option<Connection>,
    addin: A,
}

/// Which vtable pointer a thunk's `this` points at.
#[derive(Clone, Copy)]
enum Base {
    InitDone = 0,
    LanguageExtender = 1,
    Locale = 2,
    UserLanguage = 3,
}

impl<A: AddIn> Component<A> {
    const INIT_DONE: InitDoneVtable = InitDoneVtable {
        destructor: DESTRUCTORS,
        init: init::<A>,
        set_mem_manager: set_mem_manager::<A>,
        get_info,
        done: done::<A>,
    };
    const LANGUAGE_EXTENDER: LanguageExtenderVtable = LanguageExtenderVtable {
        destructor: DESTRUCTORS,
        register_extension_as: register_extension_as::<A>,
        get_n_props: get_n_props::<A>,
        find_prop: find_prop::<A>,
        get_prop_name: get_prop_name::<A>,
        get_prop_val: get_prop_val::<A>,
        set_prop_val: set_prop_val::<A>,
        is_prop_readable: is_prop_readable::<A>,
        is_prop_writable: is_prop_writable::<A>,
        get_n_methods: get_n_methods::<A>,
        find_method: find_method::<A>,
        get_method_name: get_method_name::<A>,
        get_n_params: get_n_params::<A>,
        get_param_def_value: get_param_def_value::<A>,
        has_ret_val: has_ret_val::<A>,
        call_as_proc: call_as_proc::<A>,
        call_as_func: call_as_func::<A>,
    };
    const LOCALE: LanguageVtable = LanguageVtable { destructor: DESTRUCTORS, set: set_language };
    const USER_LANGUAGE: LanguageVtable = LanguageVtable { destructor: DESTRUCTORS, set: set_language };
    const LAYOUT: () = {
        let word = size_of::<usize>();
        assert!(offset_of!(Self, init_done) == Base::InitDone as usize * word);
        assert!(offset_of!(Self, language_extender) == Base::LanguageExtender as usize * word);
        assert!(offset_of!(Self, locale) == Base::Locale as usize * word);
        assert!(offset_of!(Self, user_language) == Base::UserLanguage as usize * word);
    };

    /// A new object, as `GetClassObject` hands it out: the pointer is the
    /// `IComponentBase*`. Free it with [`Component::destroy`].
    pub fn create() -> *mut c_void {
        #[allow(clippy::let_unit_value)]
        let () = Self::LAYOUT;
        Box::into_raw(Box::new(Component {
            init_done: &Self::INIT_DONE,
            language_extender: &Self::LANGUAGE_EXTENDER,
            locale: &Self::LOCALE,
            user_language: &Self::USER_LANGUAGE,
            memory: None,
            connection: None,
            addin: A::new(),
        }))
        .cast()
    }

    /// Frees an object from [`Component::create`].
    ///
    /// # Safety
    /// `object` came from `create` with the same `A` and is not used after.
    pub unsafe fn destroy(object: *mut c_void) {
        drop(Box::from_raw(object.cast::<Self>()));
    }

    #[cfg(test)]
    pub(super) fn addin_for_tests(&self) -> &A {
        &self.addin
    }

    /// The object whose vtable pointer for `base` is at `this`.
    unsafe fn from_this<'a>(this: This, base: Base) -> Option<&'a mut Self> {
        if this.is_null() {
            return None;
        }
        Some(&mut *this.cast::<*const c_void>().sub(base as usize).cast::<Self>())
    }

    fn method(&self, number: c_long) -> Option<(usize, &'static Method)> {
        let index = usize::try_from(number).ok()?;
        A::METHODS.get(index).map(|m| (index, m))
    }

    fn property(&self, number: c_long) -> Option<(usize, &'static Property)> {
        let index = usize::try_from(number).ok()?;
        A::PROPERTIES.get(index).map(|p| (index, p))
    }

    /// Runs a method's or property's body: a failure, or a panic, is
    /// reported to the platform and becomes `false`.
    fn run(&mut self, body: impl FnOnce(&mut Self) -> Result<(), Failure>) -> bool {
        let failure = match catch_unwind(AssertUnwindSafe(|| body(self))) {
            Ok(Ok(())) => return true,
            Ok(Err(failure)) => failure,
            Err(panic) => {
                let message = panic_message(panic.as_ref());
                catch_unwind(AssertUnwindSafe(|| self.addin.fail(Problem::Panic(message.clone()))))
                    .unwrap_or(Failure {
                        code: 9002, description: format!("внутренняя ошибка (паника): {message}")
                    })
            }
        };
        if let Some(connection) = self.connection {
            // Survive a panic in the report itself: the answer is false anyway.
            let _ = catch_unwind(|| {
                connection.add_error(ADDIN_E_VERY_IMPORTANT, A::NAME, &failure.description, hresult(failure.code))
            });
        }
        false
    }

    /// Reads the arguments, applies the defaults and calls the method.
    unsafe fn invoke(&mut self, number: c_long, params: *mut TVariant, count: c_long) -> Result<Value, Failure> {
        let Some((index, method)) = self.method(number) else {
            return Err(self.addin.fail(Problem::NoSuchMember(number)));
        };
        let given = if params.is_null() { 0 } else { usize::try_from(count).unwrap_or(0) };
        if given > method.params.len() {
            return Err(self.addin.fail(Problem::TooManyArguments { method: index, given }));
        }
        let mut args = Vec::with_capacity(method.params.len());
        for (position, param) in method.params.iter().enumerate() {
            let value = if position < given {
                match (*params.add(position)).read() {
                    Ok(value) => value,
                    Err(error) => {
                        return Err(self.addin.fail(Problem::Argument { method: index, param: position, error }))
                    }
                }
            } else {
                Value::Empty
            };
            // The platform fills an omitted argument with the default
            // GetParamDefValue gave; an explicit Неопределено gets it too.
            args.push(match (value, param.default) {
                (Value::Empty, Some(default)) => default.value(),
                (value, _) => value,
            });
        }
        self.addin.call(index, args)
    }

    /// Hands `value` to the platform in `target`.
    unsafe fn deliver(&mut self, target: *mut TVariant, value: &Value) -> Result<(), Failure> {
        if target.is_null() {
            return Ok(());
        }
        write(target, value, self.memory.as_ref()).map_err(|e| self.addin.fail(Problem::Result(e)))
    }

    /// A name in the platform's memory, for `GetMethodName` and `GetPropName`.
    fn platform_string(&self, text: &str) -> *const WChar {
        self.memory.and_then(|m| m.alloc_wide(text).ok()).map_or(std::ptr::null(), |(data, _)| data)
    }
}

/// `HRESULT` of a failure: `MAKE_HRESULT(SEVERITY_ERROR, FACILITY_ITF,
/// code)`, negative, so the platform treats it as an error.
fn hresult(code: u16) -> i32 {
    // The bits as they are: an HRESULT with the severity bit set is negative.
    i32::from_ne_bytes((0x8004_0000u32 | u32::from(code)).to_ne_bytes())
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Runs a thunk's body that reports nothing: a panic gives `fallback`.
fn quiet<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn to_long(n: usize) -> c_long {
    c_long::try_from(n).unwrap_or(c_long::MAX)
}

unsafe extern "system" fn init<A: AddIn>(this: This, connection: *mut c_void) -> bool {
    quiet(false, || match Component::<A>::from_this(this, Base::InitDone) {
        Some(c) => {
            c.connection = Connection::new(connection);
            c.connection.is_some()
        }
        None => false,
    })
}

unsafe extern "system" fn set_mem_manager<A: AddIn>(this: This, memory: *mut c_void) -> bool {
    quiet(false, || match Component::<A>::from_this(this, Base::InitDone) {
        Some(c) => {
            c.memory = MemoryManager::new(memory);
            c.memory.is_some()
        }
        None => false,
    })
}

unsafe extern "system" fn get_info(_this: This) -> c_long {
    NATIVE_API_VERSION
}

unsafe extern "system" fn done<A: AddIn>(this: This) {
    quiet((), || {
        if let Some(c) = Component::<A>::from_this(this, Base::InitDone) {
            c.addin.done();
        }
    })
}

unsafe extern "system" fn register_extension_as<A: AddIn>(this: This, name: *mut *mut WChar) -> bool {
    quiet(false, || {
        let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return false };
        match (name.is_null(), c.memory.and_then(|m| m.alloc_wide(A::NAME).ok())) {
            (false, Some((data, _))) => {
                *name = data;
                true
            }
            _ => false,
        }
    })
}

unsafe extern "system" fn get_n_props<A: AddIn>(_this: This) -> c_long {
    to_long(A::PROPERTIES.len())
}

unsafe extern "system" fn find_prop<A: AddIn>(_this: This, name: *const WChar) -> c_long {
    quiet(-1, || {
        let Some(name) = read_nul_terminated(name) else { return -1 };
        A::PROPERTIES.iter().position(|p| p.name.matches(&name)).map_or(-1, to_long)
    })
}

unsafe extern "system" fn get_prop_name<A: AddIn>(this: This, number: c_long, alias: c_long) -> *const WChar {
    quiet(std::ptr::null(), || {
        let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return std::ptr::null() };
        match c.property(number) {
            Some((_, property)) => c.platform_string(property.name.get(alias)),
            None => std::ptr::null(),
        }
    })
}

unsafe extern "system" fn get_prop_val<A: AddIn>(this: This, number: c_long, value: *mut TVariant) -> bool {
    let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return false };
    c.run(|c| {
        let result = match c.property(number) {
            Some((index, _)) => c.addin.get(index)?,
            None => return Err(c.addin.fail(Problem::NoSuchMember(number))),
        };
        c.deliver(value, &result)
    })
}

unsafe extern "system" fn set_prop_val<A: AddIn>(this: This, number: c_long, value: *mut TVariant) -> bool {
    let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return false };
    c.run(|c| {
        let Some((index, _)) = c.property(number) else {
            return Err(c.addin.fail(Problem::NoSuchMember(number)));
        };
        let given = if value.is_null() { Ok(Value::Empty) } else { (*value).read() };
        match given {
            Ok(v) => c.addin.set(index, v),
            Err(error) => Err(c.addin.fail(Problem::PropertyValue { property: index, error })),
        }
    })
}

unsafe extern "system" fn is_prop_readable<A: AddIn>(_this: This, number: c_long) -> bool {
    usize::try_from(number).ok().and_then(|i| A::PROPERTIES.get(i)).is_some_and(|p| p.readable)
}

unsafe extern "system" fn is_prop_writable<A: AddIn>(_this: This, number: c_long) -> bool {
    usize::try_from(number).ok().and_then(|i| A::PROPERTIES.get(i)).is_some_and(|p| p.writable)
}

unsafe extern "system" fn get_n_methods<A: AddIn>(_this: This) -> c_long {
    to_long(A::METHODS.len())
}

unsafe extern "system" fn find_method<A: AddIn>(_this: This, name: *const WChar) -> c_long {
    quiet(-1, || {
        let Some(name) = read_nul_terminated(name) else { return -1 };
        A::METHODS.iter().position(|m| m.name.matches(&name)).map_or(-1, to_long)
    })
}

unsafe extern "system" fn get_method_name<A: AddIn>(this: This, number: c_long, alias: c_long) -> *const WChar {
    quiet(std::ptr::null(), || {
        let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return std::ptr::null() };
        match c.method(number) {
            Some((_, method)) => c.platform_string(method.name.get(alias)),
            None => std::ptr::null(),
        }
    })
}

unsafe extern "system" fn get_n_params<A: AddIn>(_this: This, number: c_long) -> c_long {
    usize::try_from(number).ok().and_then(|i| A::METHODS.get(i)).map_or(0, |m| to_long(m.params.len()))
}

unsafe extern "system" fn get_param_def_value<A: AddIn>(
    this: This,
    number: c_long,
    param: c_long,
    value: *mut TVariant,
) -> bool {
    quiet(false, || {
        let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return false };
        let default = c
            .method(number)
            .and_then(|(_, m)| usize::try_from(param).ok().and_then(|p| m.params.get(p)))
            .and_then(|p| p.default);
        match default {
            Some(default) if !value.is_null() => write(value, &default.value(), c.memory.as_ref()).is_ok(),
            _ => false,
        }
    })
}

unsafe extern "system" fn has_ret_val<A: AddIn>(_this: This, number: c_long) -> bool {
    usize::try_from(number).ok().and_then(|i| A::METHODS.get(i)).is_some_and(|m| m.returns)
}

unsafe extern "system" fn call_as_proc<A: AddIn>(
    this: This,
    number: c_long,
    params: *mut TVariant,
    count: c_long,
) -> bool {
    let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return false };
    // A function called as a procedure: its value is dropped.
    c.run(|c| c.invoke(number, params, count).map(drop))
}

unsafe extern "system" fn call_as_func<A: AddIn>(
    this: This,
    number: c_long,
    result: *mut TVariant,
    params: *mut TVariant,
    count: c_long,
) -> bool {
    let Some(c) = Component::<A>::from_this(this, Base::LanguageExtender) else { return false };
    c.run(|c| {
        let value = c.invoke(number, params, count)?;
        c.deliver(result, &value)
    })
}

/// `SetLocale` and `SetUserInterfaceLanguageCode`: messages are Russian
/// and English whatever the locale (LastError carries both), so the value
/// is not kept.
unsafe extern "system" fn set_language(_this: This, _language: *const WChar) {}
