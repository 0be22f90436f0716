/* The C clients against the sandbox on loopback (its URL in
 * OFDKIT_TEST_BASE_URL, started by run.sh), and the outcome classes: not
 * sent, unknown (a sandbox that drops every receipt's connection, in
 * OFDKIT_TEST_LOSSY_URL) and a deadline kept (a sandbox slow to answer
 * anything, in OFDKIT_TEST_SLOW_URL). */
#include <time.h>

#include "check.h"

/* A CA certificate made once with openssl for this test: any bundle it is
 * in parses; no server here presents a certificate it signed. */
static const char *TEST_CA =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBizCCATGgAwIBAgIUFoQM27XXMZK0Dp8E1tMxKnsHTHIwCgYIKoZIzj0EAwIw\n"
    "GzEZMBcGA1UEAwwQb2Zka2l0IEMgdGVzdCBDQTAeFw0yNjExMjgyMTU4NTFaFw0z\n"
    "NjExMjUyMTU4NTFaMBsxGTAXBgNVBAMMEG9mZGtpdCBDIHRlc3QgQ0EwWTATBgcq\n"
    "hkjOPQIBBggqhkjOPQMBBwNCAAQ8Ya8RscoztYT1amuZ9pNAhb1WjW49aSAJ86Wl\n"
    "x+O948EBHVmbCplWle3zCANSaOQvx4zB/sDgbZD4bTIRBWwko1MwUTAdBgNVHQ4E\n"
    "FgQU+4Eh0KhA0VPckE1vG4iiBy3Jm7UwHwYDVR0jBBgwFoAU+4Eh0KhA0VPckE1v\n"
    "G4iiBy3Jm7UwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAoFpJ\n"
    "yYlV0fvQnniGzeImiq3pm50caudO9ts232MFkX4CIHFpRAR37CDWGJwrjBNqnRbE\n"
    "dMV53H88D26f9fb56R5k\n"
    "-----END CERTIFICATE-----\n";

static const char *RECEIPT =
    "{\"external_id\": \"%s\", \"receipt\": {"
    "\"client\": {\"email\": \"buyer@example.ru\"},"
    "\"company\": {\"sno\": \"osn\", \"inn\": \"7825706086\", \"payment_address\": \"https://shop.example.ru\"},"
    "\"items\": [{\"name\": \"Чай\", \"price\": 100, \"quantity\": 1, \"sum\": 100, \"measure\": 0,"
    "\"payment_method\": \"full_payment\", \"payment_object\": 1, \"vat\": {\"type\": \"vat20\", \"sum\": 16.67}}],"
    "\"payments\": [{\"type\": 1, \"sum\": 100}], \"total\": 100}}";

/* The runs (plain, valgrind, AddressSanitizer) share one sandbox, which
 * refuses a known external_id: each run names its own. */
static char *receipt(const char *name) {
    static char buffer[2048];
    char external_id[128];
    const char *run = getenv("OFDKIT_TEST_RUN");
    snprintf(external_id, sizeof external_id, "%s-%s", run ? run : "run", name);
    snprintf(buffer, sizeof buffer, RECEIPT, external_id);
    return buffer;
}

static void ferma(const char *base_url) {
    OfdkitFermaClient *client = NULL, *wrong = NULL;
    char *result = NULL, *value = NULL, *uuid = NULL;
    const char *json;

    CHECK_STATUS(ofdkit_ferma_client_new(base_url, "fermatest2", "Go2999483Mb", "1", 0, 0, &client), OFDKIT_OK);

    json = receipt("c-transport-1");
    CHECK_STATUS(ofdkit_ferma_fiscalize(client, "sell", json, strlen(json), 10000, &result), OFDKIT_OK);
    value = json_at(result, "/outcome");
    CHECK(value && strcmp(value, "done") == 0);
    ofdkit_string_free(value);
    uuid = json_at(result, "/parts/0/uuid");
    value = json_at(result, "/parts/0/payload/ecr_registration_number");
    CHECK(value && strlen(value) == 16);
    ofdkit_string_free(value);
    ofdkit_string_free(result);

    CHECK_STATUS(ofdkit_ferma_report(client, uuid, &result), OFDKIT_OK);
    value = json_at(result, "/state");
    CHECK(value && strcmp(value, "done") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(result);
    CHECK_STATUS(ofdkit_ferma_wait(client, uuid, 1000, &result), OFDKIT_OK);
    ofdkit_string_free(result);
    ofdkit_string_free(uuid);

    /* Sending it again: Ferma knows the external_id. recover says so safely. */
    CHECK_STATUS(ofdkit_ferma_send(client, "sell", json, strlen(json), &result), OFDKIT_E_DUPLICATE_EXTERNAL_ID);
    CHECK(result == NULL);
    CHECK_STATUS(ofdkit_ferma_recover(client, "sell", json, strlen(json), &result), OFDKIT_OK);
    value = json_at(result, "/recovery");
    CHECK(value && strcmp(value, "already_registered") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(result);

    json = receipt("c-transport-2");
    CHECK_STATUS(ofdkit_ferma_send(client, "sell_refund", json, strlen(json), &result), OFDKIT_OK);
    value = json_at(result, "/uuids/0");
    CHECK(value != NULL);
    ofdkit_string_free(value);
    ofdkit_string_free(result);

    /* An invalid receipt is refused before anything is sent. */
    json = "{\"external_id\": \"c-bad\", \"receipt\": {}}";
    CHECK_STATUS(ofdkit_ferma_send(client, "sell", json, strlen(json), &result), OFDKIT_E_INVALID_REQUEST);
    CHECK(strstr(ofdkit_last_error_details(), "receipt.company") != NULL);

    CHECK_STATUS(ofdkit_ferma_cashbox_stats(client, NULL, "0007795807005569", NULL, NULL, &result), OFDKIT_OK);
    value = json_at(result, "/Data/0/kktState");
    CHECK(value && strcmp(value, "Готова к работе") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(result);
    ofdkit_ferma_client_free(client);

    CHECK_STATUS(ofdkit_ferma_client_new(base_url, "fermatest2", "wrong", "1", 0, 0, &wrong), OFDKIT_OK);
    json = receipt("c-transport-3");
    CHECK_STATUS(ofdkit_ferma_send(wrong, "sell", json, strlen(json), &result), OFDKIT_E_AUTH);
    CHECK(strstr(ofdkit_last_error_details(), "\"code\":12") != NULL);
    CHECK(strstr(ofdkit_last_error_message(), "wrong") == NULL);
    ofdkit_ferma_client_free(wrong);

    CHECK_STATUS(ofdkit_ferma_client_new("http://127.0.0.1:1", "l", "p", "1", 500, 500, &wrong), OFDKIT_OK);
    CHECK_STATUS(ofdkit_ferma_report(wrong, "u", &result), OFDKIT_E_CONNECT);
    ofdkit_ferma_client_free(wrong);
}

static void registration(const char *base_url) {
    static const char *application =
        "{\"ofdAgreementId\": \"555b55e5-a555-4e55-95d5-5fcbafd5fe55\", \"purpose\": \"InitialRegistration\","
        "\"KktDetails\": {\"FnName\": \"ФН-1.1М\", \"FnNumber\": \"7380440700000001\", \"Model\": \"ШТРИХ-ON-LINE\","
        "\"SerialNumber\": \"00105726645591\", \"FnsBranchCode\": \"7841\", \"InstallmentPlace\": \"https://shop.example.ru\","
        "\"InstallmentAddress\": {\"FiasCode\": \"0c5b2444-70a0-4932-980c-b4dc0d3f02b5\", \"RegionCode\": \"78\"}},"
        "\"CompanyDetails\": {\"CompanyType\": \"LegalEntity\", \"Inn\": \"7825706086\", \"Kpp\": \"784101001\","
        "\"Ogrn\": \"1027700132195\", \"CompanyName\": \"ООО «Ромашка»\", \"FnsBranchCode\": \"7841\","
        "\"LegalAddress\": {\"RegionCode\": \"78\"}, \"Signatory\": {\"FirstName\": \"Иван\", \"LastName\": \"Иванов\","
        "\"MiddleName\": \"Иванович\", \"Email\": \"director@example.ru\", \"Phone\": \"+79001234567\","
        "\"Position\": \"директор\"}}}";
    OfdkitRegistrationClient *client = NULL;
    char *result = NULL, *id = NULL, *document = NULL, *value = NULL;
    uint8_t *data = NULL;
    size_t len = 0;

    CHECK_STATUS(ofdkit_registration_client_new(base_url, "sandbox-ofd-token", 0, 0, &client), OFDKIT_OK);
    CHECK_STATUS(ofdkit_registration_create(client, application, strlen(application), &result), OFDKIT_OK);
    id = json_at(result, "/Id");
    ofdkit_string_free(result);
    /* Nothing happens to a new application by itself: the wait ends by its deadline. */
    CHECK_STATUS(ofdkit_registration_wait_for_change(client, id, 300, &result), OFDKIT_OK);
    value = json_at(result, "/changed");
    CHECK(value && strcmp(value, "false") == 0);
    ofdkit_string_free(value);
    value = json_at(result, "/application/Status");
    CHECK(value && strcmp(value, "New") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(result);
    CHECK_STATUS(ofdkit_registration_prepare_documents(client, id, &result), OFDKIT_OK);
    document = json_at(result, "/Documents/0/Id");
    ofdkit_string_free(result);
    CHECK_STATUS(ofdkit_registration_sign(client, id, document, "MIIGZgYJKoZIhvcNAQcC", &result), OFDKIT_OK);
    ofdkit_string_free(result);
    CHECK_STATUS(ofdkit_registration_get(client, id, &result), OFDKIT_OK);
    value = json_at(result, "/Stage");
    CHECK(value && strcmp(value, "Finalization") == 0);
    ofdkit_string_free(value);
    value = json_at(result, "/KktDetails/RegNumber");
    CHECK(value && strlen(value) == 16);
    ofdkit_string_free(value);
    ofdkit_string_free(result);
    CHECK_STATUS(ofdkit_registration_download(client, id, document, &data, &len), OFDKIT_OK);
    CHECK(data != NULL && len > 10 && memcmp(data, "<?xml", 5) == 0);
    ofdkit_bytes_free(data, len);
    CHECK_STATUS(ofdkit_registration_sign(client, id, document, "AA==", &result), OFDKIT_E_WRONG_STATE);
    CHECK_STATUS(ofdkit_registration_list(client, "555b55e5-a555-4e55-95d5-5fcbafd5fe55", &result), OFDKIT_OK);
    CHECK(result && result[0] == '[');
    ofdkit_string_free(result);
    CHECK_STATUS(ofdkit_registration_get(client, "00000000-0000-4000-8000-000000000000", &result), OFDKIT_E_NOT_FOUND);
    ofdkit_string_free(id);
    ofdkit_string_free(document);
    ofdkit_registration_client_free(client);
}

/* Options: a client built from them works end to end; bad ones are refused. */
static void options(const char *base_url) {
    OfdkitClientOptions *options = NULL;
    OfdkitFermaClient *client = NULL;
    OfdkitRegistrationClient *registration = NULL;
    char *result = NULL, *value = NULL;
    const char *json = receipt("c-options-1");

    CHECK_STATUS(ofdkit_client_options_new(&options), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_timeouts(options, 2000, 5000, 10000), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_proxy(options, "direct"), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_ca_bundle(options, TEST_CA, strlen(TEST_CA)), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_attempts(options, 2, 50), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_partner_base_url(options, base_url), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_ca_bundle(options, "not pem", 7), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_client_options_set_proxy(options, "ftp://proxy"), OFDKIT_E_INVALID_ARGUMENT);
    CHECK_STATUS(ofdkit_ferma_client_new_with_options(base_url, "fermatest2", "Go2999483Mb", "1", options, &client),
                 OFDKIT_OK);
    CHECK_STATUS(ofdkit_ferma_fiscalize(client, "sell", json, strlen(json), 10000, &result), OFDKIT_OK);
    value = json_at(result, "/outcome");
    CHECK(value && strcmp(value, "done") == 0);
    ofdkit_string_free(value);
    ofdkit_string_free(result);
    ofdkit_ferma_client_free(client);

    /* A new application changes by itself only once it is signed: the wait ends by its deadline. */
    CHECK_STATUS(ofdkit_registration_client_new_with_options(base_url, "sandbox-ofd-token", options, &registration),
                 OFDKIT_OK);
    CHECK_STATUS(ofdkit_registration_wait_for_change(registration, "00000000-0000-4000-8000-000000000000", 300,
                                                     &result),
                 OFDKIT_E_NOT_FOUND);
    CHECK(result == NULL);
    ofdkit_registration_client_free(registration);
    ofdkit_client_options_free(options);
}

/* Not sent, unknown, and a deadline kept, told apart by their codes. */
static void outcomes(const char *lossy_url, const char *slow_url) {
    OfdkitClientOptions *options = NULL;
    OfdkitFermaClient *client = NULL;
    char *result = NULL, *value = NULL;
    const char *json;
    time_t started;

    /* Nothing listens: not sent, and the details say it did not arrive. */
    CHECK_STATUS(ofdkit_client_options_new(&options), OFDKIT_OK);
    CHECK_STATUS(ofdkit_client_options_set_attempts(options, 2, 10), OFDKIT_OK);
    CHECK_STATUS(ofdkit_ferma_client_new_with_options("http://127.0.0.1:1", "l", "p", "1", options, &client),
                 OFDKIT_OK);
    json = receipt("c-not-sent");
    CHECK_STATUS(ofdkit_ferma_send(client, "sell", json, strlen(json), &result), OFDKIT_E_CONNECT);
    CHECK(strstr(ofdkit_last_error_details(), "\"may_have_arrived\":false") != NULL);
    CHECK(strstr(ofdkit_last_error_message(), "nothing was sent") != NULL);
    CHECK_STATUS(ofdkit_ferma_fiscalize(client, "sell", json, strlen(json), 5000, &result), OFDKIT_E_CONNECT);
    CHECK(result == NULL);
    ofdkit_ferma_client_free(client);

    /* Every receipt's connection dropped after its body: unknown, with the external_id. */
    CHECK_STATUS(ofdkit_ferma_client_new_with_options(lossy_url, "fermatest2", "Go2999483Mb", "1", options, &client),
                 OFDKIT_OK);
    json = receipt("c-unknown-1");
    CHECK_STATUS(ofdkit_ferma_send(client, "sell", json, strlen(json), &result), OFDKIT_E_OUTCOME_UNKNOWN);
    CHECK(strstr(ofdkit_last_error_details(), "c-unknown-1") != NULL);
    CHECK(strstr(ofdkit_last_error_details(), "\"may_have_arrived\":true") != NULL);
    json = receipt("c-unknown-2");
    CHECK_STATUS(ofdkit_ferma_fiscalize(client, "sell", json, strlen(json), 10000, &result), OFDKIT_OK);
    value = json_at(result, "/outcome");
    CHECK(value && strcmp(value, "unknown") == 0);
    ofdkit_string_free(value);
    value = json_at(result, "/reason");
    CHECK(value && strstr(value, "sent 2 times") != NULL);
    ofdkit_string_free(value);
    ofdkit_string_free(result);
    ofdkit_ferma_client_free(client);

    /* A server slow to answer anything: each call ends by the call timeout. */
    CHECK_STATUS(ofdkit_client_options_set_timeouts(options, 0, 0, 1000), OFDKIT_OK);
    CHECK_STATUS(ofdkit_ferma_client_new_with_options(slow_url, "fermatest2", "Go2999483Mb", "1", options, &client),
                 OFDKIT_OK);
    started = time(NULL);
    CHECK_STATUS(ofdkit_ferma_report(client, "6b2a3b1c-0000-4000-8000-000000000001", &result), OFDKIT_E_TIMEOUT);
    json = receipt("c-slow-1");
    CHECK_STATUS(ofdkit_ferma_fiscalize(client, "sell", json, strlen(json), 1000, &result), OFDKIT_E_TIMEOUT);
    CHECK(difftime(time(NULL), started) < 5);
    ofdkit_ferma_client_free(client);
    ofdkit_client_options_free(options);
}

int main(void) {
    const char *base_url = getenv("OFDKIT_TEST_BASE_URL");
    const char *lossy_url = getenv("OFDKIT_TEST_LOSSY_URL");
    const char *slow_url = getenv("OFDKIT_TEST_SLOW_URL");
    if (!base_url || !lossy_url || !slow_url) {
        fprintf(stderr, "test_transport: set OFDKIT_TEST_BASE_URL, _LOSSY_URL and _SLOW_URL to running sandboxes\n");
        return 2;
    }
    ferma(base_url);
    registration(base_url);
    options(base_url);
    outcomes(lossy_url, slow_url);
    return check_report("test_transport");
}
