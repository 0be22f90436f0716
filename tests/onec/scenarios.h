/* What the harness checks, in the order main runs it. Included by
 * harness.c after the machinery it uses (one translation unit, so the
 * harness builds with one compiler command on every platform). */
#ifndef OFDKIT_TEST_SCENARIOS_H
#define OFDKIT_TEST_SCENARIOS_H

/* The documented interface: every method and property by both names, in
 * any letter case, with its parameter count and defaults. */
typedef struct {
    const char *ru, *en;
    long params;
    const char *default_text; /* of the first optional parameter, or NULL */
    long first_optional;
} MethodSpec;

static const MethodSpec METHOD_SPECS[] = {
    {"ПроверитьЧек", "ValidateReceipt", 2, "sell", 1},
    {"НормализоватьЧек", "NormalizeReceipt", 2, "sell", 1},
    {"ЗаполнитьИтоги", "FillTotals", 1, NULL, -1},
    {"НДССуммы", "VatOfSum", 2, NULL, -1},
    {"ТаблицаКодов", "CodeTable", 1, "", 0},
    {"РегистрационныйНомерККТ", "KktRegistrationNumber", 3, NULL, -1},
    {"ПроверитьЗаявление", "ValidateApplication", 2, "draft", 1},
    {"ПроверитьИзменениеЗаявления", "ValidateApplicationUpdate", 2, "draft", 1},
    {"ПроверитьРегистрациюКлиента", "ValidatePartnerRegistration", 1, NULL, -1},
    {"ОтправитьЧек", "SendReceipt", 2, "sell", 1},
    {"ФискализироватьЧек", "FiscalizeReceipt", 3, "sell", 1},
    {"ВосстановитьЧек", "RecoverReceipt", 2, "sell", 1},
    {"СтатусЧека", "ReceiptStatus", 1, NULL, -1},
    {"ОжидатьЧек", "WaitForReceipt", 2, NULL, 1},
    {"СоздатьЗаявление", "CreateApplication", 1, NULL, -1},
    {"ИзменитьЗаявление", "UpdateApplication", 2, NULL, -1},
    {"СписокЗаявлений", "ListApplications", 1, NULL, -1},
    {"ПолучитьЗаявление", "GetApplication", 1, NULL, -1},
    {"ПодготовитьДокументы", "PrepareDocuments", 1, NULL, -1},
    {"ПодписатьДокумент", "SignDocument", 3, NULL, -1},
    {"СкачатьДокумент", "DownloadDocument", 2, NULL, -1},
    {"ЗарегистрироватьКлиента", "RegisterPartnerClient", 1, NULL, -1},
};

typedef struct {
    const char *ru, *en;
    bool readable, writable;
} PropertySpec;

static const PropertySpec PROPERTY_SPECS[] = {
    {"АдресСервера", "BaseUrl", true, true},
    {"Логин", "Login", true, true},
    {"Пароль", "Password", false, true},
    {"КодГруппы", "GroupCode", true, true},
    {"ТаймаутСоединенияСекунд", "ConnectTimeoutSeconds", true, true},
    {"ТаймаутЗапросаСекунд", "RequestTimeoutSeconds", true, true},
    {"ТаймаутВызоваСекунд", "CallTimeoutSeconds", true, true},
    {"Прокси", "Proxy", true, true},
    {"АдресРегистрации", "RegistrationBaseUrl", true, true},
    {"АдресПартнёрскогоAPI", "PartnerBaseUrl", true, true},
    {"ТокенРегистрации", "RegistrationToken", false, true},
    {"Нарушения", "Violations", true, false},
    {"ПоследняяОшибка", "LastError", true, false},
    {"КодОшибки", "ErrorCode", true, false},
    {"Версия", "Version", true, false},
    {"Строгость", "Strictness", true, true},
};

static long find_by(long (ADDIN_API *find)(LanguageExtenderBase *, const WCHAR_T *), Addin *a, const char *name) {
    WCHAR_T *w = wide(name);
    long n = find(a->ext, w);
    free(w);
    return n;
}

/* The name at (number, alias), taken from the platform's memory. */
static char *name_of(const WCHAR_T *(ADDIN_API *get)(LanguageExtenderBase *, long, long), Addin *a, long number,
                     long alias) {
    const WCHAR_T *w = get(a->ext, number, alias);
    char *text;
    if (!w) {
        return NULL;
    }
    CHECK(owned_by_platform(w));
    text = text_of(w);
    platform_free((void *)w);
    return text;
}

static void lower_ascii(char *s) {
    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
        }
    }
}

static void names_and_parameters(Addin *a) {
    const LanguageExtenderBaseVtable *vt = a->ext->vtable;
    size_t i, count = sizeof METHOD_SPECS / sizeof *METHOD_SPECS;
    CHECK_MSG(vt->GetNMethods(a->ext) == (long)count, "%ld methods", vt->GetNMethods(a->ext));
    for (i = 0; i < count; i++) {
        const MethodSpec *m = &METHOD_SPECS[i];
        long number = find_by(vt->FindMethod, a, m->ru);
        char lower[64], *en, *ru;
        snprintf(lower, sizeof lower, "%s", m->en);
        lower_ascii(lower);
        CHECK_MSG(number >= 0, "%s not found", m->ru);
        CHECK_MSG(find_by(vt->FindMethod, a, m->en) == number, "%s", m->en);
        CHECK_MSG(find_by(vt->FindMethod, a, lower) == number, "%s", lower);
        en = name_of(vt->GetMethodName, a, number, 0);
        ru = name_of(vt->GetMethodName, a, number, 1);
        CHECK_MSG(en && strcmp(en, m->en) == 0, "%s", en ? en : "NULL");
        CHECK_MSG(ru && strcmp(ru, m->ru) == 0, "%s", ru ? ru : "NULL");
        free(en);
        free(ru);
        CHECK_MSG(vt->GetNParams(a->ext, number) == m->params, "%s", m->ru);
        CHECK(vt->HasRetVal(a->ext, number));
        if (m->first_optional >= 0) {
            tVariant v;
            memset(&v, 0, sizeof v);
            CHECK(!vt->GetParamDefValue(a->ext, number, 0, &v) || m->first_optional == 0);
            release(&v);
            CHECK_MSG(vt->GetParamDefValue(a->ext, number, m->first_optional, &v), "%s", m->ru);
            if (m->default_text) {
                char *text = take_string(&v);
                CHECK_MSG(text && strcmp(text, m->default_text) == 0, "%s default %s", m->ru, text ? text : "");
                free(text);
            } else {
                CHECK(v.vt == VTYPE_I4 && v.u.lVal == 60);
            }
        }
    }
    CHECK(find_by(vt->FindMethod, a, "ПроверитьЧе") == -1);
    CHECK(vt->GetMethodName(a->ext, (long)count, 0) == NULL);

    count = sizeof PROPERTY_SPECS / sizeof *PROPERTY_SPECS;
    CHECK(vt->GetNProps(a->ext) == (long)count);
    for (i = 0; i < count; i++) {
        const PropertySpec *p = &PROPERTY_SPECS[i];
        long number = find_by(vt->FindProp, a, p->ru);
        char *ru;
        CHECK_MSG(number >= 0 && find_by(vt->FindProp, a, p->en) == number, "%s", p->ru);
        ru = name_of(vt->GetPropName, a, number, 1);
        CHECK_MSG(ru && strcmp(ru, p->ru) == 0, "%s", ru ? ru : "NULL");
        free(ru);
        CHECK_MSG(vt->IsPropReadable(a->ext, number) == p->readable, "%s", p->ru);
        CHECK_MSG(vt->IsPropWritable(a->ext, number) == p->writable, "%s", p->ru);
    }
}

/* ---- the shared vectors ---- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size + 1);
    if (fread(data, 1, (size_t)size, f) != (size_t)size) {
        size = 0;
    }
    data[size] = '\0';
    fclose(f);
    return data;
}

/* A violation as one line, "path code severity", for comparing. */
static char *violation_key(const char *v) {
    char *p = js_string(js_member(v, "path"), NULL), *c = js_string(js_member(v, "code"), NULL),
         *s = js_string(js_member(v, "severity"), NULL), *key = NULL;
    if (p && c && s) {
        key = malloc(strlen(p) + strlen(c) + strlen(s) + 3);
        sprintf(key, "%s %s %s", p, c, s);
    }
    free(p);
    free(c);
    free(s);
    return key;
}

/* The keys of every violation in a JSON array, and their number. */
static char **violation_keys(const char *violations, size_t *n) {
    size_t count = js_length(violations), i = 0;
    char **keys = calloc(count + 1, sizeof *keys);
    const char *v;
    for (v = js_first(violations); v; v = js_next(v)) {
        keys[i++] = violation_key(v);
    }
    *n = count;
    return keys;
}

static void free_keys(char **keys, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        free(keys[i]);
    }
    free(keys);
}

/* Whether the array `violations` (the add-in's JSON) holds {path, code, severity}. */
static int has_violation(const char *violations, const char *path, const char *code, const char *severity) {
    size_t n, i;
    char **keys = violation_keys(violations, &n), want[1024];
    int found = 0;
    snprintf(want, sizeof want, "%s %s %s", path, code, severity);
    for (i = 0; i < n && !found; i++) {
        found = keys[i] && strcmp(keys[i], want) == 0;
    }
    free_keys(keys, n);
    return found;
}

/* Runs one vector through its check method; returns 0 for a vector that
 * is not a request (an answer of the API). Receipts go by the Russian
 * names, registration requests by the English ones. */
static int run_vector(Addin *a, const char *file) {
    char *doc = read_file(file), *kind, *input, *operation, *check, *violations, **got;
    const char *method, *expected, *e;
    size_t len = 0, i, n;
    Params p = {0};
    tVariant result;
    int valid = 1;
    bool ok;
    if (!doc) {
        CHECK_MSG(0, "cannot read %s", file);
        return 0;
    }
    kind = js_string(js_member(doc, "kind"), NULL);
    method = !kind                                            ? NULL
             : strcmp(kind, "ferma.receipt_request") == 0     ? "ПроверитьЧек"
             : strcmp(kind, "ofd.application_request") == 0   ? "ValidateApplication"
             : strcmp(kind, "ofd.application_update") == 0    ? "ValidateApplicationUpdate"
             : strcmp(kind, "ofd.partner_registration") == 0  ? "ValidatePartnerRegistration"
                                                              : NULL;
    free(kind);
    if (!method) {
        free(doc);
        return 0;
    }
    input = js_raw(js_member(doc, "input"));
    if (input) {
        len = strlen(input);
    } else {
        input = js_string(js_member(doc, "input_text"), &len);
    }
    operation = js_string(js_member(doc, "operation"), NULL);
    check = js_string(js_member(doc, "check"), NULL);
    param_string(&p, input ? input : "", len);
    if (operation) {
        param_text(&p, operation);
    } else if (check && strcmp(method, "ValidatePartnerRegistration") != 0) {
        param_text(&p, check);
    }
    ok = invoke(a, method, &result, &p);
    CHECK_MSG(ok && result.vt == VTYPE_BOOL, "%s: the call failed: %s", file, connection.description);
    violations = get_text(a, "Нарушения");
    expected = js_at(doc, "expect/violations");
    got = violation_keys(violations, &n);
    CHECK_MSG(violations && n == js_length(expected), "%s: %lu violations expected, got %s", file,
              (unsigned long)js_length(expected), violations ? violations : "NULL");
    for (e = js_first(expected); e; e = js_next(e)) {
        char *want = violation_key(e);
        int found = 0;
        for (i = 0; i < n && want && !found; i++) {
            found = got[i] && strcmp(got[i], want) == 0;
        }
        CHECK_MSG(found, "%s: expected %s, got %s", file, want ? want : "?", violations);
        valid = valid && want && strcmp(want + strlen(want) - 6, " error") != 0;
        free(want);
    }
    free_keys(got, n);
    CHECK_MSG(ok && result.u.bVal == (valid != 0), "%s: the verdict is %d", file, result.u.bVal);
    free(violations);
    free(input);
    free(operation);
    free(check);
    free(doc);
    return 1;
}

/* ---- methods that need no server ---- */

/* A receipt as a 1C program might write it from a document's rows: no VAT
 * sums and no total yet (FillTotals adds them), `payment_object` by name. */
static const char *ROWS_ONLY =
    "{\"external_id\": \"1c-rows\", \"receipt\": {"
    "\"client\": {\"email\": \"buyer@example.ru\"},"
    "\"company\": {\"sno\": \"osn\", \"inn\": \"7825706086\", \"payment_address\": \"https://shop.example.ru\"},"
    "\"items\": [{\"name\": \"Чай зелёный\", \"price\": 249.9, \"quantity\": 2, \"sum\": 499.8, \"measure\": 0,"
    "\"payment_method\": \"full_payment\", \"payment_object\": \"commodity\", \"vat\": {\"type\": \"vat20\"}}],"
    "\"payments\": [{\"type\": 2, \"sum\": 499.8}]}}";

static const char *RECEIPT =
    "{\"external_id\": \"%s\", \"receipt\": {"
    "\"client\": {\"email\": \"buyer@example.ru\"},"
    "\"company\": {\"sno\": \"osn\", \"inn\": \"7825706086\", \"payment_address\": \"https://shop.example.ru\"},"
    "\"items\": [{\"name\": \"Чай зелёный\", \"price\": 249.9, \"quantity\": 2, \"sum\": 499.8, \"measure\": 0,"
    "\"payment_method\": \"full_payment\", \"payment_object\": 1, \"vat\": {\"type\": \"vat20\", \"sum\": 83.3}}],"
    "\"payments\": [{\"type\": 2, \"sum\": 499.8}], \"total\": 499.8}}";

/* A valid receipt with one warning: a member the API does not know. */
static const char *WARNING_ONLY =
    "{\"external_id\": \"1c-warning\", \"customer_note\": \"позвонить\", \"receipt\": {"
    "\"client\": {\"email\": \"buyer@example.ru\"},"
    "\"company\": {\"sno\": \"osn\", \"inn\": \"7825706086\", \"payment_address\": \"https://shop.example.ru\"},"
    "\"items\": [{\"name\": \"Чай\", \"price\": 100, \"quantity\": 1, \"sum\": 100, \"measure\": 0,"
    "\"payment_method\": \"full_payment\", \"payment_object\": 1, \"vat\": {\"type\": \"vat20\", \"sum\": 16.67}}],"
    "\"payments\": [{\"type\": 2, \"sum\": 100}], \"total\": 100}}";

/* A receipt whose external_id is unique to this run. */
static const char *receipt(const char *name) {
    static char buffer[2048];
    char external_id[128];
    const char *run = getenv("OFDKIT_TEST_RUN");
    snprintf(external_id, sizeof external_id, "1c-%s-%s", run ? run : "run", name);
    snprintf(buffer, sizeof buffer, RECEIPT, external_id);
    return buffer;
}

static void core_methods(Addin *a) {
    Params p = {0};
    char *text, *value;
    tVariant result;

    /* FillTotals computes the VAT and the total the receipt left out. */
    param_text(&p, ROWS_ONLY);
    text = call_text(a, "ЗаполнитьИтоги", &p);
    CHECK_MSG(text && strstr(text, "\"total\":499.8") && strstr(text, "\"sum\":83.3"), "%s", text ? text : "NULL");
    /* Then it passes validation, also called as a procedure. */
    param_text(&p, text ? text : "");
    CHECK(invoke(a, "ValidateReceipt", &result, &p) && result.vt == VTYPE_BOOL && result.u.bVal);
    param_text(&p, text ? text : "");
    param_text(&p, "sell");
    CHECK(a->ext->vtable->CallAsProc(a->ext, find_by(a->ext->vtable->FindMethod, a, "ПроверитьЧек"), p.v, 2));
    free(p.v[0].u.wstr.pwstrVal);
    free(p.v[1].u.wstr.pwstrVal);
    p.count = 0;
    value = get_text(a, "Нарушения");
    CHECK_MSG(value && strcmp(value, "[]") == 0, "%s", value ? value : "NULL");
    free(value);
    /* NormalizeReceipt: codes in their canonical form. */
    param_text(&p, text ? text : "");
    param_text(&p, "sell_refund");
    value = call_text(a, "НормализоватьЧек", &p);
    CHECK_MSG(value && strstr(value, "\"payment_object\":1,") && !strstr(value, "commodity"), "%s",
              value ? value : "NULL");
    free(value);
    free(text);

    /* VAT of a sum given as 1C passes a Число: an integer, a double, text. */
    param_int(&p, 300);
    param_text(&p, "vat20");
    text = call_text(a, "НДССуммы", &p);
    CHECK_MSG(text && strcmp(text, "50.00") == 0, "%s", text ? text : "NULL");
    free(text);
    param_double(&p, 249.9);
    param_text(&p, "vat20");
    text = call_text(a, "VatOfSum", &p);
    CHECK_MSG(text && strcmp(text, "41.65") == 0, "%s", text ? text : "NULL");
    free(text);
    param_text(&p, "100");
    param_text(&p, "vat10");
    text = call_text(a, "НДССуммы", &p);
    CHECK_MSG(text && strcmp(text, "9.09") == 0, "%s", text ? text : "NULL");
    free(text);

    /* Code tables: one by name, or the list of names. */
    param_text(&p, "measure");
    text = call_text(a, "ТаблицаКодов", &p);
    value = text ? js_string(js_member(text, "name"), NULL) : NULL;
    CHECK(text && strstr(text, "Килограмм") && value && strcmp(value, "measure") == 0);
    free(value);
    free(text);
    text = call_text(a, "CodeTable", &p);
    CHECK(text && text[0] == '[' && strstr(text, "\"payment_object\""));
    free(text);

    param_text(&p, "0007795807");
    param_text(&p, "7825706086");
    param_text(&p, "00105726645591");
    text = call_text(a, "РегистрационныйНомерККТ", &p);
    CHECK_MSG(text && strcmp(text, "0007795807005569") == 0, "%s", text ? text : "NULL");
    free(text);

    text = get_text(a, "Версия");
    CHECK(text && strlen(text) >= 5);
    free(text);
    text = get_text(a, "ПоследняяОшибка");
    CHECK_MSG(text && text[0] == '\0', "no error yet: %s", text ? text : "NULL");
    free(text);
}

/* ---- what 1C sees when something is wrong ---- */

static void bad_input(Addin *a) {
    Params p = {0};
    tVariant result;
    unsigned before;
    char *last;

    /* Malformed JSON: an exception that says where. */
    param_text(&p, "{\"external_id\": \"1\",\n \"receipt\": }");
    expect_call_error(a, "malformed JSON", "ПроверитьЧек", &p, 1001, "строка 2");
    last = get_text(a, "LastError");
    CHECK(last && js_member(last, "line") && atoi(js_member(last, "line")) == 2);
    free(last);

    /* An invalid receipt refused by Normalize: the violations in LastError. */
    param_text(&p, "{\"external_id\": \"1\", \"receipt\": {}}");
    expect_call_error(a, "invalid receipt", "НормализоватьЧек", &p, 1002, "receipt.");
    last = get_text(a, "ПоследняяОшибка");
    CHECK(last && js_length(js_member(last, "violations")) >= 3);
    CHECK(last && has_violation(js_member(last, "violations"), "receipt.company", "required", "error"));
    free(last);

    /* A parameter of the wrong type, an unknown operation, a missing one. */
    param_int(&p, 42);
    expect_call_error(a, "a number for a receipt", "ПроверитьЧек", &p, 1003, "«Чек»");
    param_text(&p, "{}");
    param_text(&p, "sale");
    expect_call_error(a, "an unknown operation", "ПроверитьЧек", &p, 1003, "sell_refund");
    param_empty(&p);
    expect_call_error(a, "a missing receipt", "ОтправитьЧек", &p, 1003, "обязателен");
    param_text(&p, "1000000000");
    param_text(&p, "vat20");
    expect_call_error(a, "a sum too large", "НДССуммы", &p, 1003, "не больше");
    param_text(&p, "kilograms");
    expect_call_error(a, "no such table", "ТаблицаКодов", &p, 1003, "measure");

    /* A property: read-only, and a timeout out of range. */
    before = connection.errors;
    expect_error(a, "writing a read-only property", set_text(a, "Версия", "2"), before, 1003, "только для чтения");
    before = connection.errors;
    expect_error(a, "a negative timeout", set_number(a, "ТаймаутЗапросаСекунд", -1), before, 1003, "секунд");

    /* Strict: a warning (an unknown member) counts as an error. */
    CHECK(set_text(a, "Строгость", "strict"));
    param_text(&p, WARNING_ONLY);
    CHECK(invoke(a, "ПроверитьЧек", &result, &p) && result.vt == VTYPE_BOOL && !result.u.bVal);
    last = get_text(a, "Нарушения");
    CHECK_MSG(last && has_violation(last, "customer_note", "unknown_field", "error"), "%s", last ? last : "NULL");
    free(last);
    param_text(&p, WARNING_ONLY);
    expect_call_error(a, "a warning, normalised strictly", "НормализоватьЧек", &p, 1002, "customer_note");
    param_text(&p, WARNING_ONLY);
    expect_call_error(a, "a warning, sent strictly", "ОтправитьЧек", &p, 1002, "customer_note");
    before = connection.errors;
    expect_error(a, "an unknown strictness", set_text(a, "Strictness", "lenient"), before, 1003, "spec, strict");
    CHECK(set_text(a, "Строгость", "spec"));
    param_text(&p, WARNING_ONLY);
    CHECK(invoke(a, "ПроверитьЧек", &result, &p) && result.vt == VTYPE_BOOL && result.u.bVal);
    last = get_text(a, "Строгость");
    CHECK(last && strcmp(last, "spec") == 0);
    free(last);

    /* A successful call clears LastError. */
    param_text(&p, "measure");
    CHECK(invoke(a, "ТаблицаКодов", &result, &p));
    release(&result);
    last = get_text(a, "ПоследняяОшибка");
    CHECK(last && last[0] == '\0');
    free(last);
    CHECK(get_number(a, "КодОшибки") == 0);
}

/* ---- the sandbox ---- */

static void connect_to(Addin *a, const char *base_url, const char *password) {
    CHECK(set_text(a, "АдресСервера", base_url));
    CHECK(set_text(a, "Логин", "fermatest2"));
    CHECK(set_text(a, "Password", password));
    CHECK(set_text(a, "КодГруппы", "1"));
    CHECK(set_number(a, "ТаймаутЗапросаСекунд", 10));
}

static void sandbox(Addin *a, const char *base_url) {
    Params p = {0};
    char *text, *value, *uuid;

    /* No server set: a receipt never goes to production by omission. */
    text = get_text(a, "АдресСервера");
    CHECK(text && text[0] == '\0');
    free(text);
    param_text(&p, receipt("no-server"));
    expect_call_error(a, "no server set", "ОтправитьЧек", &p, 1003, "задайте АдресСервера");

    connect_to(a, base_url, "Go2999483Mb");
    CHECK(set_text(a, "Прокси", "direct"));
    CHECK(set_number(a, "ТаймаутВызоваСекунд", 20));
    text = get_text(a, "АдресСервера");
    CHECK(text && strcmp(text, base_url) == 0);
    free(text);

    /* Fiscalise: send, wait, and the fiscal requisites. */
    param_text(&p, receipt("fiscalize"));
    param_text(&p, "sell");
    param_int(&p, 30);
    text = call_text(a, "ФискализироватьЧек", &p);
    value = text ? js_string(js_member(text, "outcome"), NULL) : NULL;
    CHECK_MSG(value && strcmp(value, "done") == 0, "%s", text ? text : connection.description);
    CHECK(text && js_at(text, "parts/0/payload/fiscal_document_attribute") != NULL);
    free(value);
    free(text);

    /* Send, then wait for it and ask for its status. */
    param_text(&p, receipt("send"));
    text = call_text(a, "SendReceipt", &p);
    uuid = text ? js_string(js_at(text, "uuids/0"), NULL) : NULL;
    CHECK_MSG(uuid != NULL, "%s", text ? text : connection.description);
    free(text);
    param_text(&p, uuid ? uuid : "");
    param_int(&p, 10);
    text = call_text(a, "ОжидатьЧек", &p);
    value = text ? js_string(js_member(text, "state"), NULL) : NULL;
    CHECK_MSG(value && strcmp(value, "done") == 0, "%s", text ? text : connection.description);
    free(value);
    free(text);
    param_text(&p, uuid ? uuid : "");
    text = call_text(a, "СтатусЧека", &p);
    CHECK(text && js_at(text, "report") != NULL && strstr(text, "\"state\":\"done\""));
    free(text);
    free(uuid);

    /* The same receipt again: Ferma knows it, and Recover says so safely. */
    param_text(&p, receipt("send"));
    expect_call_error(a, "a duplicate", "ОтправитьЧек", &p, 4003, "external_id");
    param_text(&p, receipt("send"));
    text = call_text(a, "ВосстановитьЧек", &p);
    CHECK_MSG(text && strstr(text, "already_registered"), "%s", text ? text : connection.description);
    free(text);

    /* An invalid receipt is refused before anything is sent. */
    param_text(&p, "{\"external_id\": \"1c-bad\", \"receipt\": {}}");
    expect_call_error(a, "an invalid receipt", "ОтправитьЧек", &p, 1002, "receipt.");

    /* A wrong password: refused by the server, the password in no message. */
    connect_to(a, base_url, "wrong-password");
    param_text(&p, receipt("wrong-password"));
    expect_call_error(a, "a wrong password", "ОтправитьЧек", &p, 4002, "не приняты");
    CHECK(strstr(connection.description, "wrong-password") == NULL);
    text = get_text(a, "ПоследняяОшибка");
    CHECK(text && strstr(text, "wrong-password") == NULL && js_at(text, "api/code") != NULL);
    free(text);
    /* Fiscalize too: nothing was registered, so an exception, not an outcome. */
    param_text(&p, receipt("wrong-password"));
    expect_call_error(a, "a wrong password, fiscalizing", "ФискализироватьЧек", &p, 4002, "не приняты");
    connect_to(a, base_url, "Go2999483Mb");
}

static void registration(Addin *a, const char *base_url) {
    static const char *application =
        "{\"ofdAgreementId\": \"555b55e5-a555-4e55-95d5-5fcbafd5fe55\", \"purpose\": \"InitialRegistration\","
        "\"KktDetails\": {\"FnName\": \"ФН-1.1М\", \"FnNumber\": \"7380440700000001\", \"Model\": \"ШТРИХ-ON-LINE\","
        "\"SerialNumber\": \"00105726645591\", \"FnsBranchCode\": \"7841\", \"InstallmentPlace\": "
        "\"https://shop.example.ru\", \"InstallmentAddress\": {\"FiasCode\": \"0c5b2444-70a0-4932-980c-b4dc0d3f02b5\","
        "\"RegionCode\": \"78\"}}, \"CompanyDetails\": {\"CompanyType\": \"LegalEntity\", \"Inn\": \"7825706086\","
        "\"Kpp\": \"784101001\", \"Ogrn\": \"1027700132195\", \"CompanyName\": \"ООО «Ромашка»\", \"FnsBranchCode\": "
        "\"7841\", \"LegalAddress\": {\"RegionCode\": \"78\"}, \"Signatory\": {\"FirstName\": \"Иван\", \"LastName\": "
        "\"Иванов\", \"MiddleName\": \"Иванович\", \"Email\": \"director@example.ru\", \"Phone\": \"+79001234567\","
        "\"Position\": \"директор\"}}}";
    Params p = {0};
    tVariant result;
    char *text, *id, *document;

    CHECK(set_text(a, "АдресРегистрации", base_url));
    CHECK(set_text(a, "ТокенРегистрации", "sandbox-ofd-token"));
    param_text(&p, application);
    text = call_text(a, "СоздатьЗаявление", &p);
    id = text ? js_string(js_member(text, "Id"), NULL) : NULL;
    CHECK_MSG(id != NULL, "%s", text ? text : connection.description);
    free(text);
    param_text(&p, id ? id : "");
    text = call_text(a, "ПодготовитьДокументы", &p);
    document = text ? js_string(js_at(text, "Documents/0/Id"), NULL) : NULL;
    CHECK(document != NULL);
    free(text);
    param_text(&p, id ? id : "");
    param_text(&p, document ? document : "");
    param_text(&p, "MIIGZgYJKoZIhvcNAQcC");
    text = call_text(a, "ПодписатьДокумент", &p);
    CHECK(text != NULL);
    free(text);
    param_text(&p, id ? id : "");
    text = call_text(a, "GetApplication", &p);
    CHECK(text && strstr(text, "\"Stage\":\"Finalization\""));
    free(text);

    /* A document's file comes as ДвоичныеДанные. */
    param_text(&p, id ? id : "");
    param_text(&p, document ? document : "");
    CHECK(invoke(a, "СкачатьДокумент", &result, &p));
    CHECK(result.vt == VTYPE_BLOB && owned_by_platform(result.u.str.pstrVal) && result.u.str.strLen > 10 &&
          memcmp(result.u.str.pstrVal, "<?xml", 5) == 0);
    release(&result);

    param_text(&p, "555b55e5-a555-4e55-95d5-5fcbafd5fe55");
    text = call_text(a, "СписокЗаявлений", &p);
    CHECK(text && text[0] == '[' && id && strstr(text, id));
    free(text);

    param_text(&p, "00000000-0000-4000-8000-000000000000");
    expect_call_error(a, "an unknown application", "ПолучитьЗаявление", &p, 4005, "");
    free(id);
    free(document);
}

/* Long calls end by their deadlines: the slow sandbox takes seconds to
 * process a receipt, and the add-in stops waiting when told. */
static void deadlines(Addin *a, const char *slow_url) {
    Params p = {0};
    char *text, *uuid, *value;
    double start;
    CHECK_MSG(slow_url != NULL, "%s", "OFDKIT_TEST_SLOW_BASE_URL is not set");
    if (!slow_url) {
        return;
    }
    connect_to(a, slow_url, "Go2999483Mb");
    param_text(&p, receipt("slow-send"));
    text = call_text(a, "ОтправитьЧек", &p);
    uuid = text ? js_string(js_at(text, "uuids/0"), NULL) : NULL;
    CHECK_MSG(uuid != NULL, "%s", text ? text : connection.description);
    free(text);

    start = now_seconds();
    param_text(&p, uuid ? uuid : "");
    param_double(&p, 1.5);
    text = call_text(a, "ОжидатьЧек", &p);
    value = text ? js_string(js_member(text, "state"), NULL) : NULL;
    CHECK_MSG(value && strcmp(value, "pending") == 0, "%s", text ? text : connection.description);
    CHECK_MSG(now_seconds() - start < 4.0, "waited %.1f s for a 1.5 s deadline", now_seconds() - start);
    free(value);
    free(text);
    free(uuid);

    start = now_seconds();
    param_text(&p, receipt("slow-fiscalize"));
    param_text(&p, "sell");
    param_int(&p, 1);
    text = call_text(a, "ФискализироватьЧек", &p);
    value = text ? js_string(js_member(text, "outcome"), NULL) : NULL;
    CHECK_MSG(value && strcmp(value, "unknown") == 0, "%s", text ? text : connection.description);
    CHECK_MSG(now_seconds() - start < 4.0, "fiscalize took %.1f s for a 1 s deadline", now_seconds() - start);
    free(value);
    free(text);
}

/* Nothing listens on port 1: a connection error, at once. */
static void dead_server(Addin *a) {
    Params p = {0};
    double start = now_seconds();
    connect_to(a, "http://127.0.0.1:1", "Go2999483Mb");
    CHECK(set_number(a, "ТаймаутСоединенияСекунд", 2));
    param_text(&p, receipt("dead-server"));
    expect_call_error(a, "a dead server", "ОтправитьЧек", &p, 3001, "подключиться");
    CHECK_MSG(now_seconds() - start < 10.0, "%.1f s to find no server", now_seconds() - start);
}

#endif
