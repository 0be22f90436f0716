/* Every exported function, called with NULL and with garbage: an error
 * code every time, never a crash (run.sh checks that each function of the
 * header is named here). */
#include "check.h"

static const char GARBAGE[] = "\xff\xfe{\"\x01\\u12";
static const char NOT_JSON[] = "{\"receipt\": [1, 2, ";

#define IS_ERROR(call) CHECK((call) != OFDKIT_OK)

static void validation_and_codecs(void) {
    OfdkitViolations *list = NULL;
    char *text = NULL;
    int64_t kopecks = 0;
    size_t size = 0;
    const OfdkitCodeEntry *entry = NULL;

    IS_ERROR(ofdkit_validate_receipt(NULL, 0, "sell", &list));
    IS_ERROR(ofdkit_validate_receipt("{}", 2, NULL, &list));
    IS_ERROR(ofdkit_validate_receipt("{}", 2, "sell", NULL));
    IS_ERROR(ofdkit_validate_receipt(GARBAGE, sizeof GARBAGE - 1, "sell", &list));
    IS_ERROR(ofdkit_validate_receipt(NOT_JSON, sizeof NOT_JSON - 1, GARBAGE, &list));
    IS_ERROR(ofdkit_validate_application(NULL, 5, OFDKIT_CHECK_DRAFT, &list));
    IS_ERROR(ofdkit_validate_application(GARBAGE, sizeof GARBAGE - 1, -1, &list));
    IS_ERROR(ofdkit_validate_application_update(NOT_JSON, sizeof NOT_JSON - 1, OFDKIT_CHECK_DRAFT, NULL));
    IS_ERROR(ofdkit_validate_partner_registration(GARBAGE, sizeof GARBAGE - 1, &list));
    CHECK(list == NULL);
    /* Valid JSON of the wrong shape is a list of violations, not a crash. */
    CHECK_STATUS(ofdkit_validate_receipt("[1,{\"a\":null}]", 14, "sell", &list), OFDKIT_E_INVALID_REQUEST);
    ofdkit_violations_free(list);
    list = NULL;

    CHECK(ofdkit_violations_count(NULL) == 0);
    CHECK(ofdkit_violations_get(NULL, 0) == NULL);
    CHECK(ofdkit_violations_has_errors(NULL) == 0);
    CHECK(strcmp(ofdkit_violations_json(NULL), "[]") == 0);
    ofdkit_violations_free(NULL);

    IS_ERROR(ofdkit_normalize_receipt(NULL, 0, "sell", &text, NULL));
    IS_ERROR(ofdkit_normalize_receipt("{}", 2, "sell", NULL, NULL));
    IS_ERROR(ofdkit_normalize_receipt(GARBAGE, sizeof GARBAGE - 1, "buy", &text, &list));
    IS_ERROR(ofdkit_parse_response(OFDKIT_RESPONSE_FERMA_TOKEN, NULL, 0, 200, &text));
    IS_ERROR(ofdkit_parse_response(OFDKIT_RESPONSE_FERMA_REPORT, GARBAGE, sizeof GARBAGE - 1, 200, &text));
    IS_ERROR(ofdkit_parse_response(OFDKIT_RESPONSE_OFD_APPLICATION, "{}", 2, -7, &text));
    IS_ERROR(ofdkit_parse_response(OFDKIT_RESPONSE_OFD_PARTNER, "{}", 2, 200, NULL));
    IS_ERROR(ofdkit_vat(NULL, "vat20", &text));
    IS_ERROR(ofdkit_vat("1", NULL, &text));
    IS_ERROR(ofdkit_vat(GARBAGE, GARBAGE, &text));
    IS_ERROR(ofdkit_vat("1", "vat20", NULL));
    IS_ERROR(ofdkit_vat_kopecks(-5, "vat20", &kopecks));
    IS_ERROR(ofdkit_vat_kopecks(5, NULL, &kopecks));
    IS_ERROR(ofdkit_vat_kopecks(5, "vat20", NULL));
    IS_ERROR(ofdkit_fill_totals(NULL, 0, &text));
    IS_ERROR(ofdkit_fill_totals(GARBAGE, sizeof GARBAGE - 1, &text));
    IS_ERROR(ofdkit_fill_totals("{}", 2, NULL));
    IS_ERROR(ofdkit_fill_totals_paying_rest(NULL, 0, 1, &text));
    IS_ERROR(ofdkit_fill_totals_paying_rest(GARBAGE, sizeof GARBAGE - 1, 1, &text));
    IS_ERROR(ofdkit_fill_totals_paying_rest("{}", 2, -1, &text));
    IS_ERROR(ofdkit_fill_totals_paying_rest("{}", 2, 1, NULL));
    IS_ERROR(ofdkit_application_state(NULL, "New", &text));
    IS_ERROR(ofdkit_application_state("Initialization", NULL, &text));
    IS_ERROR(ofdkit_application_state(GARBAGE, GARBAGE, &text));
    IS_ERROR(ofdkit_application_state("Initialization", "New", NULL));
    IS_ERROR(ofdkit_violations_make_strict(NULL));
    IS_ERROR(ofdkit_json_get(NULL, 0, "", &text));
    IS_ERROR(ofdkit_json_get("{}", 2, NULL, &text));
    IS_ERROR(ofdkit_json_get("{}", 2, "no-slash", &text));
    IS_ERROR(ofdkit_json_get(GARBAGE, sizeof GARBAGE - 1, "", &text));
    IS_ERROR(ofdkit_json_get("{}", 2, "", NULL));
    IS_ERROR(ofdkit_json_length("{}", 2, "", NULL));
    IS_ERROR(ofdkit_json_length("1", 1, "", &size));
    IS_ERROR(ofdkit_json_length(NULL, 1, "", &size));
    ofdkit_set_max_input_bytes(1);
    IS_ERROR(ofdkit_json_length("[]", 2, "", &size));
    ofdkit_set_max_input_bytes(0);
    CHECK(ofdkit_max_input_bytes() > 1);
    IS_ERROR(ofdkit_kkt_registration_number(NULL, "7825706086", "1", &text));
    IS_ERROR(ofdkit_kkt_registration_number("123", "7825706086", "1", &text));
    IS_ERROR(ofdkit_kkt_registration_number("0007795807", GARBAGE, "1", &text));
    IS_ERROR(ofdkit_kkt_registration_number("0007795807", "7825706086", "1", NULL));
    CHECK(text == NULL);
    ofdkit_string_free(NULL);
    ofdkit_bytes_free(NULL, 0);
    ofdkit_bytes_free(NULL, 100);

    CHECK(ofdkit_code_table_name((size_t)-1) == NULL);
    CHECK(ofdkit_code_table_count() > 0);
    IS_ERROR(ofdkit_code_table_size(NULL, &size));
    IS_ERROR(ofdkit_code_table_size(GARBAGE, &size));
    IS_ERROR(ofdkit_code_table_size("measure", NULL));
    IS_ERROR(ofdkit_code_table_entry("measure", (size_t)-1, &entry));
    IS_ERROR(ofdkit_code_table_entry(NULL, 0, &entry));
    IS_ERROR(ofdkit_code_table_entry("measure", 0, NULL));
    IS_ERROR(ofdkit_code_lookup("measure", NULL, &entry));
    IS_ERROR(ofdkit_code_lookup(NULL, "11", &entry));
    IS_ERROR(ofdkit_code_lookup("measure", GARBAGE, &entry));
    IS_ERROR(ofdkit_code_lookup("measure", "11", NULL));
    CHECK(ofdkit_version() != NULL);
    CHECK(ofdkit_last_error_code() != OFDKIT_OK);
    CHECK(ofdkit_last_error_message() != NULL);
    CHECK(ofdkit_last_error_details() != NULL);
}

static void builder(void) {
    OfdkitReceiptBuilder *b = NULL;
    char *json = NULL;

    IS_ERROR(ofdkit_receipt_builder_new(NULL, "x", &b));
    IS_ERROR(ofdkit_receipt_builder_new("sell", NULL, &b));
    IS_ERROR(ofdkit_receipt_builder_new(GARBAGE, "x", &b));
    IS_ERROR(ofdkit_receipt_builder_new("sell", "x", NULL));
    CHECK(b == NULL);
    IS_ERROR(ofdkit_receipt_builder_set_company(NULL, "osn", "7825706086", "x"));
    IS_ERROR(ofdkit_receipt_builder_set_client(NULL, NULL, NULL));
    IS_ERROR(ofdkit_receipt_builder_set_service(NULL, NULL, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(NULL, "a", "1", "1", "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item_units(NULL, "a", 100, 1000, "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_payment(NULL, 1, "1"));
    IS_ERROR(ofdkit_receipt_builder_add_payment_kopecks(NULL, 1, 100));
    IS_ERROR(ofdkit_receipt_builder_pay_rest(NULL, 1));
    IS_ERROR(ofdkit_receipt_builder_build(NULL, &json, NULL));
    ofdkit_receipt_builder_free(NULL);

    CHECK_STATUS(ofdkit_receipt_builder_new("sell", "x", &b), OFDKIT_OK);
    IS_ERROR(ofdkit_receipt_builder_set_company(b, GARBAGE, "7825706086", "x"));
    IS_ERROR(ofdkit_receipt_builder_set_company(b, "osn", NULL, "x"));
    IS_ERROR(ofdkit_receipt_builder_set_client(b, GARBAGE, NULL));
    IS_ERROR(ofdkit_receipt_builder_set_service(b, GARBAGE, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(b, NULL, "1", "1", "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(b, "a", "1e999", "1", "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(b, "a", "1", "-1", "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(b, "a", "1", "1", "vat20", 28, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(b, "a", "1", "1", "vat20", 1, -3, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item(b, "a", "1", "1", "vat20", 1, 0, GARBAGE));
    IS_ERROR(ofdkit_receipt_builder_add_item_units(b, "a", -1, 1000, "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_item_units(b, "a", 100, 1000000000000LL, "vat20", 1, 0, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_payment(b, 10, "1"));
    IS_ERROR(ofdkit_receipt_builder_add_payment(b, 1, NULL));
    IS_ERROR(ofdkit_receipt_builder_add_payment_kopecks(b, -1, 100));
    IS_ERROR(ofdkit_receipt_builder_add_payment_kopecks(b, 1, -100));
    IS_ERROR(ofdkit_receipt_builder_pay_rest(b, 99));
    IS_ERROR(ofdkit_receipt_builder_build(b, NULL, NULL));
    IS_ERROR(ofdkit_receipt_builder_build(b, &json, NULL));
    CHECK(json == NULL);
    ofdkit_receipt_builder_free(b);
}

static void transport(void) {
#if defined(OFDKIT_TRANSPORT)
    OfdkitFermaClient *ferma = NULL;
    OfdkitRegistrationClient *registration = NULL;
    char *text = NULL;
    uint8_t *data = NULL;
    size_t len = 0;

    IS_ERROR(ofdkit_ferma_client_new(NULL, "l", "p", "1", 0, 0, &ferma));
    IS_ERROR(ofdkit_ferma_client_new("not a url", "l", "p", "1", 0, 0, &ferma));
    IS_ERROR(ofdkit_ferma_client_new("http://127.0.0.1:1", "l", NULL, "1", 0, 0, &ferma));
    IS_ERROR(ofdkit_ferma_client_new("http://127.0.0.1:1", "l", "p", "1", 0, 0, NULL));
    CHECK(ferma == NULL);
    IS_ERROR(ofdkit_ferma_send(NULL, "sell", "{}", 2, &text));
    IS_ERROR(ofdkit_ferma_recover(NULL, "sell", "{}", 2, &text));
    IS_ERROR(ofdkit_ferma_report(NULL, "u", &text));
    IS_ERROR(ofdkit_ferma_wait(NULL, "u", 10, &text));
    IS_ERROR(ofdkit_ferma_fiscalize(NULL, "sell", "{}", 2, 10, &text));
    IS_ERROR(ofdkit_ferma_cashbox_stats(NULL, NULL, NULL, NULL, NULL, &text));
    ofdkit_ferma_client_free(NULL);

    /* A client that reaches nothing: every call fails cleanly. */
    CHECK_STATUS(ofdkit_ferma_client_new("http://127.0.0.1:1", "l", "p", "1", 200, 200, &ferma), OFDKIT_OK);
    IS_ERROR(ofdkit_ferma_send(ferma, GARBAGE, "{}", 2, &text));
    IS_ERROR(ofdkit_ferma_send(ferma, "sell", GARBAGE, sizeof GARBAGE - 1, &text));
    IS_ERROR(ofdkit_ferma_send(ferma, "sell", "{}", 2, NULL));
    IS_ERROR(ofdkit_ferma_recover(ferma, "sell", NULL, 0, &text));
    IS_ERROR(ofdkit_ferma_report(ferma, NULL, &text));
    IS_ERROR(ofdkit_ferma_report(ferma, "", &text));
    IS_ERROR(ofdkit_ferma_wait(ferma, GARBAGE, 10, &text));
    IS_ERROR(ofdkit_ferma_fiscalize(ferma, "sell", NOT_JSON, sizeof NOT_JSON - 1, 10, &text));
    IS_ERROR(ofdkit_ferma_cashbox_stats(ferma, GARBAGE, NULL, NULL, NULL, &text));
    CHECK(text == NULL);
    ofdkit_ferma_client_free(ferma);

    IS_ERROR(ofdkit_registration_client_new(NULL, "t", 0, 0, &registration));
    IS_ERROR(ofdkit_registration_client_new("http://127.0.0.1:1", NULL, 0, 0, &registration));
    IS_ERROR(ofdkit_registration_client_new("http://127.0.0.1:1", "t", 0, 0, NULL));
    IS_ERROR(ofdkit_registration_create(NULL, "{}", 2, &text));
    IS_ERROR(ofdkit_registration_update(NULL, "id", "{}", 2, &text));
    IS_ERROR(ofdkit_registration_list(NULL, "a", &text));
    IS_ERROR(ofdkit_registration_get(NULL, "id", &text));
    IS_ERROR(ofdkit_registration_prepare_documents(NULL, "id", &text));
    IS_ERROR(ofdkit_registration_sign(NULL, "id", "d", "AA==", &text));
    IS_ERROR(ofdkit_registration_download(NULL, "id", "d", &data, &len));
    IS_ERROR(ofdkit_registration_register_partner_client(NULL, "{}", 2, &text));
    ofdkit_registration_client_free(NULL);

    CHECK_STATUS(ofdkit_registration_client_new("http://127.0.0.1:1", "t", 200, 200, &registration), OFDKIT_OK);
    IS_ERROR(ofdkit_registration_create(registration, GARBAGE, sizeof GARBAGE - 1, &text));
    IS_ERROR(ofdkit_registration_update(registration, NULL, "{}", 2, &text));
    IS_ERROR(ofdkit_registration_list(registration, NULL, &text));
    IS_ERROR(ofdkit_registration_get(registration, "", &text));
    IS_ERROR(ofdkit_registration_prepare_documents(registration, GARBAGE, &text));
    IS_ERROR(ofdkit_registration_sign(registration, "id", NULL, "AA==", &text));
    IS_ERROR(ofdkit_registration_download(registration, "id", "d", NULL, &len));
    IS_ERROR(ofdkit_registration_download(registration, "id", "d", &data, NULL));
    IS_ERROR(ofdkit_registration_register_partner_client(registration, NOT_JSON, sizeof NOT_JSON - 1, &text));
    CHECK(text == NULL && data == NULL);
    ofdkit_registration_client_free(registration);

    /* Options: NULL and garbage refused, a client built from NULL options. */
    {
        OfdkitClientOptions *options = NULL;
        IS_ERROR(ofdkit_client_options_new(NULL));
        IS_ERROR(ofdkit_client_options_set_timeouts(NULL, 1, 1, 1));
        IS_ERROR(ofdkit_client_options_set_proxy(NULL, "direct"));
        IS_ERROR(ofdkit_client_options_set_ca_bundle(NULL, "x", 1));
        IS_ERROR(ofdkit_client_options_set_attempts(NULL, 1, 1));
        IS_ERROR(ofdkit_client_options_set_partner_base_url(NULL, "https://ofd.me"));
        ofdkit_client_options_free(NULL);
        CHECK_STATUS(ofdkit_client_options_new(&options), OFDKIT_OK);
        IS_ERROR(ofdkit_client_options_set_proxy(options, "socks5://x:1"));
        IS_ERROR(ofdkit_client_options_set_proxy(options, GARBAGE));
        IS_ERROR(ofdkit_client_options_set_ca_bundle(options, GARBAGE, sizeof GARBAGE - 1));
        IS_ERROR(ofdkit_client_options_set_ca_bundle(options, NULL, 3));
        CHECK_STATUS(ofdkit_client_options_set_partner_base_url(options, "ofd.me"), OFDKIT_OK);
        IS_ERROR(ofdkit_registration_client_new_with_options("http://127.0.0.1:1", "t", options, &registration));
        CHECK(registration == NULL);
        IS_ERROR(ofdkit_ferma_client_new_with_options(NULL, "l", "p", "1", options, &ferma));
        IS_ERROR(ofdkit_ferma_client_new_with_options("http://127.0.0.1:1", "l", "p", "1", options, NULL));
        IS_ERROR(ofdkit_registration_client_new_with_options(NULL, "t", NULL, &registration));
        IS_ERROR(ofdkit_registration_wait_for_change(NULL, "id", 10, &text));
        CHECK_STATUS(ofdkit_registration_client_new_with_options("http://127.0.0.1:1", "t", NULL, &registration),
                     OFDKIT_OK);
        IS_ERROR(ofdkit_registration_wait_for_change(registration, "", 10, &text));
        IS_ERROR(ofdkit_registration_wait_for_change(registration, "id", 10, NULL));
        CHECK(text == NULL);
        ofdkit_registration_client_free(registration);
        ofdkit_client_options_free(options);
    }
#endif
}

int main(void) {
    validation_and_codecs();
    builder();
    transport();
    return check_report("test_robustness");
}
