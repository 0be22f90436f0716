/* Loads the ofdkit add-in as 1C:Enterprise does (dlopen or LoadLibrary,
 * GetClassNames, GetClassObject, Init with a connection and a memory
 * manager, SetLocale, RegisterExtensionAs, methods and properties found by
 * name, CallAsFunc and CallAsProc with variants, DestroyObject) and checks
 * what a 1C program would see: the shared vectors' verdicts, a receipt
 * fiscalised by the sandbox, and errors as exceptions (AddError, false)
 * with LastError filled.
 *
 * Usage: harness ADDIN-LIBRARY VECTOR.json...
 * The sandbox's URLs come in OFDKIT_TEST_BASE_URL (processing at once) and
 * OFDKIT_TEST_SLOW_BASE_URL (processing takes seconds); OFDKIT_TEST_RUN
 * names this run's receipts, since the runs share the sandbox. */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L
#endif

#include "json.h"
#include "platform.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#include <time.h>
#endif

/* ---- the library and the object ---- */

typedef struct {
    ComponentBase *object;
    InitDoneBase *init;
    LanguageExtenderBase *ext;
    LanguageBase *locale, *user_language;
} Addin;

static DestroyObjectFn destroy_object;

static double now_seconds(void) {
#ifdef _WIN32
    return (double)GetTickCount64() / 1000.0;
#else
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
#endif
}

/* An export's address as an integer: ISO C converts neither dlsym's
 * object pointer nor GetProcAddress's function pointer to our function
 * pointer types directly, but both go through an integer. */
static uintptr_t symbol(void *library, const char *name) {
#ifdef _WIN32
    return (uintptr_t)GetProcAddress((HMODULE)library, name);
#else
    return (uintptr_t)dlsym(library, name);
#endif
}

static char *text_of(const WCHAR_T *w) {
    return to_utf8(w, wide_len(w));
}

/* Loads the library, checks its exports and makes an Ofdkit object. */
static int load(const char *path, Addin *a, void **library) {
    GetClassNamesFn class_names;
    GetClassObjectFn class_object;
    GetAttachTypeFn attach_type;
    SetPlatformCapabilitiesFn capabilities;
    ComponentBase *none = NULL;
    WCHAR_T *name;
    char *names;
#ifdef _WIN32
    *library = (void *)LoadLibraryA(path);
#else
    *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
#endif
    if (!*library) {
        fprintf(stderr, "cannot load %s\n", path);
        return 0;
    }
    class_names = (GetClassNamesFn)symbol(*library, "GetClassNames");
    class_object = (GetClassObjectFn)symbol(*library, "GetClassObject");
    destroy_object = (DestroyObjectFn)symbol(*library, "DestroyObject");
    attach_type = (GetAttachTypeFn)symbol(*library, "GetAttachType");
    capabilities = (SetPlatformCapabilitiesFn)symbol(*library, "SetPlatformCapabilities");
    CHECK(class_names && class_object && destroy_object && attach_type && capabilities);
    if (!(class_names && class_object && destroy_object && attach_type && capabilities)) {
        return 0;
    }
    CHECK(capabilities(1) == 1);
    CHECK(attach_type() == 3);
    names = text_of(class_names());
    CHECK_MSG(strcmp(names, "Ofdkit") == 0, "GetClassNames: %s", names);
    free(names);

    name = wide("NoSuchClass");
    CHECK(class_object(name, &none) == 0 && none == NULL);
    free(name);
    name = wide("Ofdkit");
    CHECK(class_object(name, &a->object) != 0 && a->object != NULL);
    free(name);
    if (!a->object) {
        return 0;
    }
    a->init = (InitDoneBase *)&a->object->init_done;
    a->ext = (LanguageExtenderBase *)&a->object->language_extender;
    a->locale = (LanguageBase *)&a->object->locale;
    a->user_language = (LanguageBase *)&a->object->user_language;
    return 1;
}

/* What the platform does after GetClassObject. */
static void initialise(Addin *a) {
    WCHAR_T *extension = NULL, *locale = wide("ru_RU"), *language = wide("ru");
    char *text;
    CHECK(a->init->vtable->setMemManager(a->init, &memory.base));
    CHECK(a->init->vtable->Init(a->init, &connection.base));
    CHECK(a->init->vtable->GetInfo(a->init) == 2000);
    a->locale->vtable->Set(a->locale, locale);
    a->user_language->vtable->Set(a->user_language, language);
    free(locale);
    free(language);
    CHECK(a->ext->vtable->RegisterExtensionAs(a->ext, &extension));
    CHECK(extension && owned_by_platform(extension));
    if (extension) {
        text = text_of(extension);
        CHECK_MSG(strcmp(text, "Ofdkit") == 0, "RegisterExtensionAs: %s", text);
        free(text);
        platform_free(extension);
    }
}

/* ---- variants ---- */

/* A string handed over by the add-in: in the platform's memory, with the
 * length before a NUL. Returned as UTF-8 and freed, as the platform does. */
static char *take_string(tVariant *v) {
    char *text;
    CHECK_MSG(v->vt == VTYPE_PWSTR, "vt %d", v->vt);
    if (v->vt != VTYPE_PWSTR) {
        return NULL;
    }
    CHECK(owned_by_platform(v->u.wstr.pwstrVal));
    CHECK_MSG(v->u.wstr.pwstrVal[v->u.wstr.wstrLen] == 0, "no NUL after %u units", v->u.wstr.wstrLen);
    CHECK(wide_len(v->u.wstr.pwstrVal) == v->u.wstr.wstrLen);
    text = to_utf8(v->u.wstr.pwstrVal, v->u.wstr.wstrLen);
    platform_free(v->u.wstr.pwstrVal);
    v->vt = VTYPE_EMPTY;
    return text;
}

/* Frees whatever the add-in handed over in v. */
static void release(tVariant *v) {
    if (v->vt == VTYPE_PWSTR) {
        platform_free(v->u.wstr.pwstrVal);
    } else if (v->vt == VTYPE_BLOB || v->vt == VTYPE_PSTR) {
        platform_free(v->u.str.pstrVal);
    }
    memset(v, 0, sizeof *v);
}

typedef struct {
    tVariant v[8];
    int count;
} Params;

static void param_string(Params *p, const char *text, size_t len) {
    tVariant *v = &p->v[p->count++];
    memset(v, 0, sizeof *v);
    v->vt = VTYPE_PWSTR;
    v->u.wstr.pwstrVal = to_wide(text, len, &v->u.wstr.wstrLen);
}
static void param_text(Params *p, const char *text) {
    param_string(p, text, strlen(text));
}
static void param_int(Params *p, int32_t value) {
    tVariant *v = &p->v[p->count++];
    memset(v, 0, sizeof *v);
    v->vt = VTYPE_I4;
    v->u.lVal = value;
}
static void param_double(Params *p, double value) {
    tVariant *v = &p->v[p->count++];
    memset(v, 0, sizeof *v);
    v->vt = VTYPE_R8;
    v->u.dblVal = value;
}
static void param_empty(Params *p) {
    memset(&p->v[p->count++], 0, sizeof(tVariant));
}

/* Calls a method by name as the platform does: omitted parameters take
 * GetParamDefValue's value; a function goes through CallAsFunc, a
 * procedure through CallAsProc. The parameters are freed after. */
static bool invoke(Addin *a, const char *name, tVariant *result, Params *p) {
    const LanguageExtenderBaseVtable *vt = a->ext->vtable;
    WCHAR_T *w = wide(name);
    long number = vt->FindMethod(a->ext, w), n, i;
    int from_platform[8] = {0};
    bool ok;
    free(w);
    CHECK_MSG(number >= 0, "no method %s", name);
    if (number < 0) {
        return false;
    }
    n = vt->GetNParams(a->ext, number);
    CHECK_MSG(p->count <= n && n <= 8, "%s takes %ld parameters, %d given", name, n, p->count);
    for (i = p->count; i < n; i++) {
        memset(&p->v[i], 0, sizeof(tVariant));
        from_platform[i] = vt->GetParamDefValue(a->ext, number, i, &p->v[i]);
    }
    memset(result, 0, sizeof *result);
    ok = vt->HasRetVal(a->ext, number) ? vt->CallAsFunc(a->ext, number, result, p->v, n)
                                        : vt->CallAsProc(a->ext, number, p->v, n);
    for (i = 0; i < n; i++) {
        if (from_platform[i]) {
            release(&p->v[i]);
        } else if (p->v[i].vt == VTYPE_PWSTR) {
            free(p->v[i].u.wstr.pwstrVal);
        }
    }
    p->count = 0;
    return ok;
}

/* A function's text result, or NULL when the call failed. */
static char *call_text(Addin *a, const char *name, Params *p) {
    tVariant result;
    if (!invoke(a, name, &result, p)) {
        release(&result);
        return NULL;
    }
    return take_string(&result);
}

static long property(Addin *a, const char *name) {
    WCHAR_T *w = wide(name);
    long number = a->ext->vtable->FindProp(a->ext, w);
    free(w);
    CHECK_MSG(number >= 0, "no property %s", name);
    return number;
}

static char *get_text(Addin *a, const char *name) {
    tVariant v;
    long number = property(a, name);
    memset(&v, 0, sizeof v);
    CHECK(a->ext->vtable->IsPropReadable(a->ext, number));
    if (!a->ext->vtable->GetPropVal(a->ext, number, &v)) {
        return NULL;
    }
    return take_string(&v);
}

static long get_number(Addin *a, const char *name) {
    tVariant v;
    memset(&v, 0, sizeof v);
    CHECK(a->ext->vtable->GetPropVal(a->ext, property(a, name), &v));
    CHECK(v.vt == VTYPE_I4 || v.vt == VTYPE_R8);
    return v.vt == VTYPE_I4 ? v.u.lVal : (long)v.u.dblVal;
}

static bool set_text(Addin *a, const char *name, const char *value) {
    Params p = {0};
    bool ok;
    param_text(&p, value);
    ok = a->ext->vtable->SetPropVal(a->ext, property(a, name), &p.v[0]);
    free(p.v[0].u.wstr.pwstrVal);
    return ok;
}

static bool set_number(Addin *a, const char *name, double value) {
    Params p = {0};
    param_double(&p, value);
    return a->ext->vtable->SetPropVal(a->ext, property(a, name), &p.v[0]);
}

/* ---- errors as 1C sees them ---- */

/* A call that failed must have been reported once through AddError with
 * its code in the HRESULT, and LastError must say the same. */
static void expect_error(Addin *a, const char *what, bool ok, unsigned errors_before, int code, const char *fragment) {
    char *last, *message_ru;
    const char *json_code;
    CHECK_MSG(!ok, "%s succeeded", what);
    if (ok) {
        return;
    }
    last = get_text(a, "ПоследняяОшибка");
    CHECK_MSG(connection.errors == errors_before + 1, "%s: AddError called %u times", what,
              connection.errors - errors_before);
    CHECK(connection.wcode == ADDIN_E_VERY_IMPORTANT && strcmp(connection.source, "Ofdkit") == 0);
    CHECK_MSG(connection.scode < 0 && (connection.scode & 0xFFFF) == code, "%s: scode %lx", what,
              (unsigned long)connection.scode);
    CHECK_MSG(strstr(connection.description, fragment) != NULL, "%s: «%s» lacks «%s»", what, connection.description,
              fragment);
    CHECK_MSG(get_number(a, "КодОшибки") == code, "%s: КодОшибки", what);
    json_code = js_member(last, "error_code");
    CHECK_MSG(json_code && atoi(json_code) == code, "%s: LastError %s", what, last ? last : "(none)");
    message_ru = js_string(js_member(last, "message_ru"), NULL);
    CHECK_MSG(message_ru && strcmp(message_ru, connection.description) == 0, "%s: message_ru differs", what);
    CHECK(js_member(last, "message") != NULL);
    free(message_ru);
    free(last);
}

/* Calls a method that must fail with `code`. */
static void expect_call_error(Addin *a, const char *what, const char *method, Params *p, int code,
                              const char *fragment) {
    tVariant result;
    unsigned before = connection.errors;
    bool ok = invoke(a, method, &result, p);
    release(&result);
    expect_error(a, what, ok, before, code, fragment);
}

#include "scenarios.h"

int main(int argc, char **argv) {
    Addin a = {0};
    void *library = NULL;
    int i, vectors = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: harness ADDIN-LIBRARY VECTOR.json...\n");
        return 2;
    }
    platform_start();
    if (!load(argv[1], &a, &library)) {
        fprintf(stderr, "onec harness: the add-in did not load\n");
        return 1;
    }
    initialise(&a);
    names_and_parameters(&a);
    for (i = 2; i < argc; i++) {
        vectors += run_vector(&a, argv[i]) > 0;
    }
    CHECK_MSG(vectors > 150, "only %d request vectors", vectors);
    core_methods(&a);
    bad_input(&a);
    if (getenv("OFDKIT_TEST_BASE_URL")) {
        sandbox(&a, getenv("OFDKIT_TEST_BASE_URL"));
        registration(&a, getenv("OFDKIT_TEST_BASE_URL"));
        deadlines(&a, getenv("OFDKIT_TEST_SLOW_BASE_URL"));
        dead_server(&a);
    } else {
        CHECK_MSG(0, "%s", "OFDKIT_TEST_BASE_URL is not set: run tests/onec/run.sh");
    }

    a.init->vtable->Done(a.init);
    CHECK(destroy_object(&a.object) == 0 && a.object == NULL);
    CHECK(destroy_object(&a.object) == -1);
    CHECK_MSG(memory.count == 0, "%lu blocks handed to the platform were never freed by it", (unsigned long)memory.count);
    CHECK_MSG(memory.foreign_frees == 0, "%lu frees of memory the platform never gave", memory.foreign_frees);
    free(memory.blocks);
    /* Unloading must not crash. Under valgrind the library stays loaded
     * (ONEC_HARNESS_KEEP_LOADED): statics its HTTP library builds once per
     * process and never frees would count as lost once unmapped. */
    if (!getenv("ONEC_HARNESS_KEEP_LOADED")) {
#ifdef _WIN32
        FreeLibrary((HMODULE)library);
#else
        dlclose(library);
#endif
    }
    if (check_failures) {
        fprintf(stderr, "onec harness: %d of %d checks failed\n", check_failures, check_count);
        return 1;
    }
    printf("onec harness: %d checks passed (%d vectors, %lu strings handed over)\n", check_count, vectors,
           memory.allocations);
    return 0;
}
