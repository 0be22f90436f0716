/* The C ABI without a network: validation, codecs, the builder, code tables. */
#include "check.h"

static const char *RECEIPT =
    "{\"external_id\": \"c-1\", \"receipt\": {"
    "\"client\": {\"email\": \"buyer@example.ru\"},"
    "\"company\": {\"sno\": \"osn\", \"inn\": \"7825706086\", \"payment_address\": \"https://shop.example.ru\"},"
    "\"items\": [{\"name\": \"Чай\", \"price\": 249.90, \"quantity\": 2, \"sum\": 499.80, \"measure\": 0,"
    "\"payment_method\": \"full_payment\", \"payment_object\": \"commodity\", \"vat\": {\"type\": \"vat20\", \"sum\": 83.30}}],"
    "\"payments\": [{\"type\": 1, \"sum\": 499.80}], \"total\": 499.80}}";

static void validation(void) {
    OfdkitViolations *violations = NULL;
    const OfdkitViolation *v;
    char *bad;
    size_t i, found = 0;

    CHECK_STATUS(ofdkit_validate_receipt(RECEIPT, strlen(RECEIPT), "sell", &violations), OFDKIT_OK);
    CHECK(violations != NULL && ofdkit_violations_count(violations) == 0);
    CHECK(strcmp(ofdkit_violations_json(violations), "[]") == 0);
    ofdkit_violations_free(violations);

    /* A wrong INN and a comma in a price: every violation, with its path. */
    bad = malloc(strlen(RECEIPT) + 16);
    strcpy(bad, RECEIPT);
    memcpy(strstr(bad, "7825706086"), "1234567891", 10);
    memcpy(strstr(bad, "249.90"), "\"2,9\" ", 6);
    CHECK_STATUS(ofdkit_validate_receipt(bad, strlen(bad), "sell", &violations), OFDKIT_E_INVALID_REQUEST);
    CHECK(ofdkit_violations_has_errors(violations) == 1);
    for (i = 0; i < ofdkit_violations_count(violations); i++) {
        v = ofdkit_violations_get(violations, i);
        if (strcmp(v->path, "receipt.company.inn") == 0 && strcmp(v->code, "inn_checksum") == 0) {
            CHECK(v->severity == OFDKIT_SEVERITY_ERROR);
            CHECK(strstr(v->message_ru, "ИНН") != NULL);
            found++;
        }
        if (strcmp(v->path, "receipt.items[0].price") == 0 && strcmp(v->code, "bad_format") == 0) {
            found++;
        }
    }
    CHECK(found == 2);
    CHECK(ofdkit_violations_get(violations, 1000) == NULL);
    CHECK(strstr(ofdkit_last_error_details(), "inn_checksum") != NULL);
    ofdkit_violations_free(violations);
    free(bad);

    /* Malformed JSON: the line and column. */
    CHECK_STATUS(ofdkit_validate_receipt("{\n\"a\": tru}", 11, "sell", &violations), OFDKIT_E_INVALID_JSON);
    CHECK(violations == NULL);
    CHECK(strstr(ofdkit_last_error_message(), "line 2, column") != NULL);

    /* An unknown operation is an argument error. */
    CHECK_STATUS(ofdkit_validate_receipt(RECEIPT, strlen(RECEIPT), "sale", &violations), OFDKIT_E_INVALID_ARGUMENT);
}

static void registration_validation(void) {
    static const char *app = "{\"ofdAgreementId\": \"555b55e5-a555-4e55-95d5-5fcbafd5fe55\", \"purpose\": \"ReRegistration\"}";
    static const char *update = "{\"kktDetails\": {\"FnNumber\": \"1\"}}";
    static const char *partner = "{\"Name\": \"x\"}";
    OfdkitViolations *violations = NULL;

    CHECK_STATUS(ofdkit_validate_application(app, strlen(app), OFDKIT_CHECK_DRAFT, &violations), OFDKIT_E_INVALID_REQUEST);
    CHECK(strstr(ofdkit_violations_json(violations), "KktDetails.ReregistrationReasons") != NULL);
    ofdkit_violations_free(violations);
    CHECK_STATUS(ofdkit_validate_application(app, strlen(app), 42, &violations), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_validate_application_update(update, strlen(update), OFDKIT_CHECK_DRAFT, &violations),
                 OFDKIT_E_INVALID_REQUEST);
    CHECK(strstr(ofdkit_violations_json(violations), "kktDetails.FnNumber") != NULL);
    ofdkit_violations_free(violations);
    CHECK_STATUS(ofdkit_validate_partner_registration(partner, strlen(partner), &violations), OFDKIT_E_INVALID_REQUEST);
    CHECK(strstr(ofdkit_violations_json(violations), "\"inn\"") != NULL);
    ofdkit_violations_free(violations);
}

static void codecs(void) {
    char *wire = NULL, *vat = NULL, *filled = NULL, *parsed = NULL, *value = NULL, *number = NULL;
    OfdkitViolations *warnings = NULL;
    int64_t kopecks = 0;
    size_t length = 0;
    static const char *report =
        "{\"status\": \"done\", \"uuid\": \"u-1\", \"payload\": {\"total\": 1598, \"fiscal_document_attribute\": 3449555955}}";
    static const char *cashbox = "{\"error\": {\"code\": 1073, \"text\": \"CASHBOX_ARCHIVED\"}}";

    CHECK_STATUS(ofdkit_normalize_receipt(RECEIPT, strlen(RECEIPT), "sell", &wire, &warnings), OFDKIT_OK);
    CHECK(wire && strstr(wire, "\"payment_object\":1") != NULL);
    CHECK(ofdkit_violations_count(warnings) == 0);
    ofdkit_string_free(wire);
    ofdkit_violations_free(warnings);

    CHECK_STATUS(ofdkit_vat("1000", "vat20", &vat), OFDKIT_OK);
    CHECK(vat && strcmp(vat, "166.67") == 0);
    ofdkit_string_free(vat);
    CHECK_STATUS(ofdkit_vat("100", "vat22", &vat), OFDKIT_OK);
    CHECK(vat && strcmp(vat, "18.03") == 0);
    ofdkit_string_free(vat);
    CHECK_STATUS(ofdkit_vat("0.001", "vat20", &vat), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_vat_kopecks(10000, "vat110", &kopecks), OFDKIT_OK);
    CHECK(kopecks == 909);

    CHECK_STATUS(ofdkit_fill_totals(RECEIPT, strlen(RECEIPT), &filled), OFDKIT_OK);
    value = json_at(filled, "/receipt/vats/0/sum");
    CHECK(value && strcmp(value, "83.3") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(filled);

    CHECK_STATUS(ofdkit_parse_response(OFDKIT_RESPONSE_FERMA_REPORT, report, strlen(report), 200, &parsed), OFDKIT_OK);
    value = json_at(parsed, "/state");
    CHECK(value && strcmp(value, "done") == 0);
    ofdkit_string_free(value);
    value = json_at(parsed, "/payload/fiscal_document_attribute");
    CHECK(value && strcmp(value, "3449555955") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(parsed);
    CHECK_STATUS(ofdkit_parse_response(OFDKIT_RESPONSE_FERMA_CREATE, cashbox, strlen(cashbox), 400, &parsed), OFDKIT_E_CASHBOX);
    CHECK(parsed == NULL);
    CHECK(strstr(ofdkit_last_error_details(), "\"code\":1073") != NULL);
    CHECK_STATUS(ofdkit_parse_response(OFDKIT_RESPONSE_FERMA_CREATE, "<html>", 6, 502, &parsed), OFDKIT_E_HTTP_STATUS);
    CHECK(strstr(ofdkit_last_error_details(), "<html>") != NULL);
    CHECK_STATUS(ofdkit_parse_response(99, "{}", 2, 200, &parsed), OFDKIT_E_INVALID_ARGUMENT);

    CHECK_STATUS(ofdkit_json_length(RECEIPT, strlen(RECEIPT), "/receipt/items", &length), OFDKIT_OK);
    CHECK(length == 1);
    CHECK_STATUS(ofdkit_json_get(RECEIPT, strlen(RECEIPT), "/receipt/items/7", &value), OFDKIT_E_NOT_FOUND);

    CHECK_STATUS(ofdkit_kkt_registration_number("0007795807", "7825706086", "00105726645591", &number), OFDKIT_OK);
    CHECK(number && strcmp(number, "0007795807005569") == 0);
    ofdkit_string_free(number);
    CHECK(strcmp(ofdkit_version(), "0.1.0") == 0);
}

static void builder(void) {
    OfdkitReceiptBuilder *b = NULL;
    OfdkitViolations *violations = NULL;
    char *json = NULL, *value = NULL;

    CHECK_STATUS(ofdkit_receipt_builder_new("sell", "pos-42", &b), OFDKIT_OK);
    /* Building before the company is set says what is missing. */
    CHECK_STATUS(ofdkit_receipt_builder_build(b, &json, NULL), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_receipt_builder_set_company(b, "usn_income", "7825706086", "Магазин на Невском, 1"), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_set_client(b, NULL, "+79001234567"), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_add_item(b, "Хлеб", "45.50", "2", "none", 1, 0, NULL), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_add_item_units(b, "Сыр", 89990, 350, "vat10", 1, 11, "full_payment"), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_add_item(b, "Соль", "12,50", "1", "none", 1, 0, NULL), OFDKIT_E_INVALID_ARGUMENT);
    CHECK(strstr(ofdkit_last_error_message(), "price") != NULL);
    CHECK_STATUS(ofdkit_receipt_builder_add_item(b, "Соль", "12.50", "1", "vat18", 1, 0, NULL), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_receipt_builder_add_payment_kopecks(b, 0, 10000), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_pay_rest(b, 1), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_build(b, &json, &violations), OFDKIT_OK);
    /* 45.50 × 2 + 899.90 × 0.350 = 91.00 + 314.97 (314.965 rounded half-up). */
    value = json_at(json, "/receipt/total");
    CHECK(value && strcmp(value, "405.97") == 0);
    ofdkit_string_free(value);
    value = json_at(json, "/receipt/payments/1/sum");
    CHECK(value && strcmp(value, "305.97") == 0);
    ofdkit_string_free(value);
    value = json_at(json, "/receipt/items/1/vat/sum");
    CHECK(value && strcmp(value, "28.63") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(json);
    ofdkit_violations_free(violations);

    /* An invalid INN: the violations, and no JSON. */
    CHECK_STATUS(ofdkit_receipt_builder_set_company(b, "osn", "1234567891", "shop"), OFDKIT_OK);
    CHECK_STATUS(ofdkit_receipt_builder_build(b, &json, &violations), OFDKIT_E_INVALID_REQUEST);
    CHECK(json == NULL);
    CHECK(strstr(ofdkit_violations_json(violations), "receipt.company.inn") != NULL);
    ofdkit_violations_free(violations);
    ofdkit_receipt_builder_free(b);
}

static void code_tables(void) {
    const OfdkitCodeEntry *entry = NULL;
    size_t tables = ofdkit_code_table_count(), size = 0, i;
    int found_measure = 0;

    CHECK(tables >= 24);
    for (i = 0; i < tables; i++) {
        if (strcmp(ofdkit_code_table_name(i), "measure") == 0) {
            found_measure = 1;
        }
    }
    CHECK(found_measure);
    CHECK(ofdkit_code_table_name(tables) == NULL);
    CHECK_STATUS(ofdkit_code_table_size("federal_id", &size), OFDKIT_OK);
    CHECK(size == 72);
    CHECK_STATUS(ofdkit_code_table_entry("measure", 2, &entry), OFDKIT_OK);
    CHECK(entry && entry->number == 11 && strcmp(entry->description_ru, "Килограмм") == 0);
    CHECK_STATUS(ofdkit_code_lookup("payment_object", "commodity", &entry), OFDKIT_OK);
    CHECK(entry && entry->number == 1 && strcmp(entry->wire, "1") == 0);
    CHECK_STATUS(ofdkit_code_lookup("vat_type", "vat18", &entry), OFDKIT_E_NOT_FOUND);
    CHECK(entry == NULL);
    CHECK_STATUS(ofdkit_code_lookup("colours", "red", &entry), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_code_table_entry("measure", 24, &entry), OFDKIT_E_INVALID_ARGUMENT);
}

/* Severity follows the spec; the strict setting turns warnings into errors. */
static void strictness_and_rules(void) {
    OfdkitViolations *violations = NULL;
    const OfdkitViolation *v;
    char *phone = malloc(strlen(RECEIPT) + 64);
    char *filled = NULL, *state = NULL, *value = NULL;
    const char *unpaid =
        "{\"external_id\": \"c-2\", \"receipt\": {"
        "\"company\": {\"sno\": \"osn\", \"inn\": \"7825706086\", \"payment_address\": \"shop\"},"
        "\"items\": [{\"name\": \"Чай\", \"price\": 150, \"quantity\": 2, \"sum\": 270, \"measure\": 0,"
        "\"payment_method\": \"full_payment\", \"payment_object\": 1, \"vat\": {\"type\": \"vat20\"}}]}}";

    strcpy(phone, RECEIPT);
    memcpy(strstr(phone, "{\"email\": \"buyer@example.ru\"}"), "{\"phone\": \"88002000600\"}     ", 29);
    CHECK_STATUS(ofdkit_validate_receipt(phone, strlen(phone), "sell", &violations), OFDKIT_OK);
    CHECK(ofdkit_violations_count(violations) == 1);
    v = ofdkit_violations_get(violations, 0);
    CHECK(v && v->severity == OFDKIT_SEVERITY_WARNING && strcmp(v->rule, "client_phone_format") == 0);
    CHECK(strstr(ofdkit_violations_json(violations), "\"rule\":\"client_phone_format\"") != NULL);
    CHECK_STATUS(ofdkit_violations_make_strict(violations), OFDKIT_E_INVALID_REQUEST);
    v = ofdkit_violations_get(violations, 0);
    CHECK(v && v->severity == OFDKIT_SEVERITY_ERROR && ofdkit_violations_has_errors(violations) == 1);
    ofdkit_violations_free(violations);
    CHECK_STATUS(ofdkit_violations_make_strict(NULL), OFDKIT_E_INVALID_ARGUMENT);
    free(phone);

    /* Totals with the rest paid: payments may be absent; a discount stays. */
    CHECK_STATUS(ofdkit_fill_totals(unpaid, strlen(unpaid), &filled), OFDKIT_E_INVALID_REQUEST);
    CHECK_STATUS(ofdkit_fill_totals_paying_rest(unpaid, strlen(unpaid), 1, &filled), OFDKIT_OK);
    CHECK_STATUS(ofdkit_json_get(filled, strlen(filled), "/receipt/payments/0/sum", &value), OFDKIT_OK);
    CHECK(value && strcmp(value, "270") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(filled);
    filled = NULL;
    CHECK_STATUS(ofdkit_fill_totals_paying_rest(unpaid, strlen(unpaid), 42, &filled), OFDKIT_E_INVALID_ARGUMENT);
    CHECK(filled == NULL);

    /* The registration life cycle. */
    CHECK_STATUS(ofdkit_application_state("Initialization", "AwaitingSignature", &state), OFDKIT_OK);
    CHECK_STATUS(ofdkit_json_get(state, strlen(state), "/next_step", &value), OFDKIT_OK);
    CHECK(value && strcmp(value, "sign_documents") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(state);
    CHECK_STATUS(ofdkit_application_state("Initialization", "Sleeping", &state), OFDKIT_E_INVALID_ARGUMENT);
}

/* ofdkit_json_get follows RFC 6901 to the letter and never hands back a
   string a NUL would cut short. */
static void json_pointers(void) {
    static const char doc[] = "{\"a\": \"x\\u0000y\", \"b\": [10, 11], \"\": {\"~/\": -0}, \"c\": {\"01\": \"o\"}}";
    size_t len = sizeof doc - 1;
    char *value = NULL;

    CHECK_STATUS(ofdkit_json_get(doc, len, "/a", &value), OFDKIT_E_INVALID_ARGUMENT);
    CHECK(value == NULL);
    CHECK(strstr(ofdkit_last_error_message(), "\\u0000") != NULL);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/1", &value), OFDKIT_OK);
    CHECK(value && strcmp(value, "11") == 0);
    ofdkit_string_free(value);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/0", &value), OFDKIT_OK);
    CHECK(value && strcmp(value, "10") == 0);
    ofdkit_string_free(value);
    value = NULL;
    /* Array indices: no sign, no leading zero; "-" is past the end. */
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/+1", &value), OFDKIT_E_NOT_FOUND);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/01", &value), OFDKIT_E_NOT_FOUND);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/-", &value), OFDKIT_E_NOT_FOUND);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/2", &value), OFDKIT_E_NOT_FOUND);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/b/99999999999999999999999", &value), OFDKIT_E_NOT_FOUND);
    CHECK(value == NULL);
    /* In an object "01" is a name like any other. */
    CHECK_STATUS(ofdkit_json_get(doc, len, "/c/01", &value), OFDKIT_OK);
    CHECK(value && strcmp(value, "o") == 0);
    ofdkit_string_free(value);
    /* ~1 is "/", ~0 is "~"; the empty name is a name; numbers as written. */
    CHECK_STATUS(ofdkit_json_get(doc, len, "//~0~1", &value), OFDKIT_OK);
    CHECK(value && strcmp(value, "-0") == 0);
    ofdkit_string_free(value);
    value = NULL;
    CHECK_STATUS(ofdkit_json_get(doc, len, "/~2", &value), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_json_get(doc, len, "/a~", &value), OFDKIT_E_INVALID_ARGUMENT);
    /* The NUL inside a value written as JSON is escaped, so it is safe. */
    CHECK_STATUS(ofdkit_json_get(doc, len, "", &value), OFDKIT_OK);
    CHECK(value && strstr(value, "\"x\\u0000y\"") != NULL);
    ofdkit_string_free(value);
    value = NULL;
    /* A document malformed after the value found is still malformed. */
    CHECK_STATUS(ofdkit_json_get("{\"a\": 1, \"b\": }", 15, "/a", &value), OFDKIT_E_INVALID_JSON);
    CHECK(value == NULL);
}

/* An input over the limit is refused before it is read, with its own code. */
static void input_limit(void) {
    size_t big_len = ofdkit_max_input_bytes() + 1, length = 0;
    char *big = malloc(big_len), *value = NULL;
    OfdkitViolations *violations = NULL;

    CHECK(ofdkit_max_input_bytes() == 4194304);
    memset(big, ' ', big_len);
    CHECK_STATUS(ofdkit_validate_receipt(big, big_len, "sell", &violations), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK(violations == NULL);
    CHECK(strstr(ofdkit_last_error_details(), "\"max\":4194304") != NULL);
    CHECK_STATUS(ofdkit_validate_application(big, big_len, OFDKIT_CHECK_DRAFT, &violations), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK_STATUS(ofdkit_normalize_receipt(big, big_len, "sell", &value, NULL), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK_STATUS(ofdkit_fill_totals(big, big_len, &value), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK_STATUS(ofdkit_json_get(big, big_len, "", &value), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK_STATUS(ofdkit_json_length(big, big_len, "", &length), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK_STATUS(ofdkit_parse_response(OFDKIT_RESPONSE_FERMA_REPORT, big, big_len, 200, &value), OFDKIT_E_INPUT_TOO_LARGE);
    CHECK(value == NULL);

    /* Lower it: the receipt itself is now too large; 0 restores the default. */
    ofdkit_set_max_input_bytes(10);
    CHECK(ofdkit_max_input_bytes() == 10);
    CHECK_STATUS(ofdkit_validate_receipt(RECEIPT, strlen(RECEIPT), "sell", &violations), OFDKIT_E_INPUT_TOO_LARGE);
    ofdkit_set_max_input_bytes(0);
    CHECK(ofdkit_max_input_bytes() == 4194304);
    CHECK_STATUS(ofdkit_validate_receipt(RECEIPT, strlen(RECEIPT), "sell", &violations), OFDKIT_OK);
    ofdkit_violations_free(violations);
    free(big);
}

int main(void) {
    validation();
    strictness_and_rules();
    json_pointers();
    input_limit();
    registration_validation();
    codecs();
    builder();
    code_tables();
    /* A successful call clears the last error. */
    CHECK(ofdkit_code_table_count() > 0);
    return check_report("test_api");
}
