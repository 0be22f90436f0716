/* The 1C:Enterprise Native API as the platform sees a component, declared
 * in C from the API's public description (no 1C header is used).
 *
 * The interfaces are C++ classes with virtual methods. In C they are
 * structs whose first member points to a table of function pointers: the
 * virtual destructor's slots first (one with MSVC, which builds 1C for
 * Windows; two with the Itanium C++ ABI of GCC and Clang on Linux), then
 * the methods in declaration order. Methods are __stdcall on 32-bit
 * Windows, where `this` is passed on the stack like the first argument,
 * and use the C convention elsewhere. `long` is 32 bits on Windows and 64
 * on Linux, as in the platform's own builds. Strings are UTF-16
 * (WCHAR_T: 2 bytes on every platform). */
#ifndef OFDKIT_TEST_NATIVEAPI_H
#define OFDKIT_TEST_NATIVEAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef _WIN32
#define ADDIN_API __stdcall
#define DESTRUCTOR_SLOTS 1
#else
#define ADDIN_API
#define DESTRUCTOR_SLOTS 2
#endif

typedef uint16_t WCHAR_T;

/* Variant kinds (enum ENUMVAR). */
enum {
    VTYPE_EMPTY = 0,
    VTYPE_NULL = 1,
    VTYPE_I2 = 2,
    VTYPE_I4 = 3,
    VTYPE_R4 = 4,
    VTYPE_R8 = 5,
    VTYPE_DATE = 6,
    VTYPE_TM = 7,
    VTYPE_PSTR = 8,
    VTYPE_INTERFACE = 9,
    VTYPE_ERROR = 10,
    VTYPE_BOOL = 11,
    VTYPE_VARIANT = 12,
    VTYPE_I1 = 13,
    VTYPE_UI1 = 14,
    VTYPE_UI2 = 15,
    VTYPE_UI4 = 16,
    VTYPE_I8 = 17,
    VTYPE_UI8 = 18,
    VTYPE_INT = 19,
    VTYPE_UINT = 20,
    VTYPE_HRESULT = 21,
    VTYPE_PWSTR = 22,
    VTYPE_BLOB = 23,
    VTYPE_CLSID = 24
};

/* Message kinds of AddError. */
#define ADDIN_E_VERY_IMPORTANT 1004

typedef struct {
    uint32_t data1;
    uint16_t data2, data3;
    uint8_t data4[8];
} IID_T;

/* tVariant: a union of every value kind, then cbElements and vt, with the
 * platform's natural alignment. */
typedef struct tVariant {
    union {
        int8_t i8Val;
        int16_t shortVal;
        int32_t lVal;
        int intVal;
        unsigned int uintVal;
        int64_t llVal;
        uint8_t ui8Val;
        uint16_t ushortVal;
        uint32_t ulVal;
        uint64_t ullVal;
        int32_t errCode;
        long hRes;
        float fltVal;
        double dblVal;
        bool bVal;
        char chVal;
        double date;
        IID_T IDVal;
        struct tVariant *pvarVal;
        struct tm tmVal;
        struct {
            void *pInterfaceVal;
            IID_T InterfaceID;
        } iface;
        struct {
            char *pstrVal;
            uint32_t strLen; /* bytes */
        } str;
        struct {
            WCHAR_T *pwstrVal;
            uint32_t wstrLen; /* UTF-16 units, without a NUL */
        } wstr;
    } u;
    uint32_t cbElements;
    uint16_t vt;
} tVariant;

/* What the component must agree on; the Rust side asserts the same. */
#ifdef _WIN32
#define TVARIANT_SIZE 48
#define TVARIANT_VT_OFFSET 44
#else
#define TVARIANT_SIZE 64
#define TVARIANT_VT_OFFSET 60
#endif
_Static_assert(sizeof(tVariant) == TVARIANT_SIZE, "tVariant size");
_Static_assert(offsetof(tVariant, vt) == TVARIANT_VT_OFFSET, "tVariant vt offset");
_Static_assert(sizeof(WCHAR_T) == 2, "WCHAR_T is UTF-16");

typedef void *Destructor;

/* IMemoryManager, which the platform implements. */
typedef struct MemoryManager MemoryManager;
typedef struct {
    Destructor destructor[DESTRUCTOR_SLOTS];
    bool(ADDIN_API *AllocMemory)(MemoryManager *self, void **memory, unsigned long bytes);
    void(ADDIN_API *FreeMemory)(MemoryManager *self, void **memory);
} MemoryManagerVtable;
struct MemoryManager {
    const MemoryManagerVtable *vtable;
};

/* IAddInDefBase, which the platform implements. */
typedef struct AddInDefBase AddInDefBase;
typedef struct {
    Destructor destructor[DESTRUCTOR_SLOTS];
    bool(ADDIN_API *AddError)(AddInDefBase *self, unsigned short wcode, const WCHAR_T *source, const WCHAR_T *descr,
                              long scode);
    bool(ADDIN_API *Read)(AddInDefBase *self, WCHAR_T *name, tVariant *value, long *error, WCHAR_T **description);
    bool(ADDIN_API *Write)(AddInDefBase *self, WCHAR_T *name, tVariant *value);
    bool(ADDIN_API *RegisterProfileAs)(AddInDefBase *self, WCHAR_T *name);
    bool(ADDIN_API *SetEventBufferDepth)(AddInDefBase *self, long depth);
    long(ADDIN_API *GetEventBufferDepth)(AddInDefBase *self);
    bool(ADDIN_API *ExternalEvent)(AddInDefBase *self, WCHAR_T *source, WCHAR_T *message, WCHAR_T *data);
    void(ADDIN_API *CleanEventBuffer)(AddInDefBase *self);
    bool(ADDIN_API *SetStatusLine)(AddInDefBase *self, WCHAR_T *line);
    void(ADDIN_API *ResetStatusLine)(AddInDefBase *self);
} AddInDefBaseVtable;
struct AddInDefBase {
    const AddInDefBaseVtable *vtable;
};

/* The component: IComponentBase derives from IInitDoneBase,
 * ILanguageExtenderBase, LocaleBase and UserLanguageBase, so the object
 * starts with four vtable pointers, and `this` for each base is the
 * address of its pointer. */
typedef struct InitDoneBase InitDoneBase;
typedef struct {
    Destructor destructor[DESTRUCTOR_SLOTS];
    bool(ADDIN_API *Init)(InitDoneBase *self, void *connection);
    bool(ADDIN_API *setMemManager)(InitDoneBase *self, void *memory);
    long(ADDIN_API *GetInfo)(InitDoneBase *self);
    void(ADDIN_API *Done)(InitDoneBase *self);
} InitDoneBaseVtable;
struct InitDoneBase {
    const InitDoneBaseVtable *vtable;
};

typedef struct LanguageExtenderBase LanguageExtenderBase;
typedef struct {
    Destructor destructor[DESTRUCTOR_SLOTS];
    bool(ADDIN_API *RegisterExtensionAs)(LanguageExtenderBase *self, WCHAR_T **name);
    long(ADDIN_API *GetNProps)(LanguageExtenderBase *self);
    long(ADDIN_API *FindProp)(LanguageExtenderBase *self, const WCHAR_T *name);
    const WCHAR_T *(ADDIN_API *GetPropName)(LanguageExtenderBase *self, long number, long alias);
    bool(ADDIN_API *GetPropVal)(LanguageExtenderBase *self, const long number, tVariant *value);
    bool(ADDIN_API *SetPropVal)(LanguageExtenderBase *self, const long number, tVariant *value);
    bool(ADDIN_API *IsPropReadable)(LanguageExtenderBase *self, const long number);
    bool(ADDIN_API *IsPropWritable)(LanguageExtenderBase *self, const long number);
    long(ADDIN_API *GetNMethods)(LanguageExtenderBase *self);
    long(ADDIN_API *FindMethod)(LanguageExtenderBase *self, const WCHAR_T *name);
    const WCHAR_T *(ADDIN_API *GetMethodName)(LanguageExtenderBase *self, const long number, const long alias);
    long(ADDIN_API *GetNParams)(LanguageExtenderBase *self, const long number);
    bool(ADDIN_API *GetParamDefValue)(LanguageExtenderBase *self, const long number, const long param,
                                      tVariant *value);
    bool(ADDIN_API *HasRetVal)(LanguageExtenderBase *self, const long number);
    bool(ADDIN_API *CallAsProc)(LanguageExtenderBase *self, const long number, tVariant *params, const long count);
    bool(ADDIN_API *CallAsFunc)(LanguageExtenderBase *self, const long number, tVariant *result, tVariant *params,
                                const long count);
} LanguageExtenderBaseVtable;
struct LanguageExtenderBase {
    const LanguageExtenderBaseVtable *vtable;
};

/* LocaleBase (SetLocale) and UserLanguageBase (SetUserInterfaceLanguageCode). */
typedef struct LanguageBase LanguageBase;
typedef struct {
    Destructor destructor[DESTRUCTOR_SLOTS];
    void(ADDIN_API *Set)(LanguageBase *self, const WCHAR_T *language);
} LanguageBaseVtable;
struct LanguageBase {
    const LanguageBaseVtable *vtable;
};

typedef struct {
    const InitDoneBaseVtable *init_done;
    const LanguageExtenderBaseVtable *language_extender;
    const LanguageBaseVtable *locale;
    const LanguageBaseVtable *user_language;
} ComponentBase;

/* The library's exports: C calling convention on every platform. */
typedef const WCHAR_T *(*GetClassNamesFn)(void);
typedef long (*GetClassObjectFn)(const WCHAR_T *name, ComponentBase **object);
typedef long (*DestroyObjectFn)(ComponentBase **object);
typedef int (*GetAttachTypeFn)(void);
typedef int (*SetPlatformCapabilitiesFn)(int capabilities);

#endif
