/* The C clients against the sandbox on loopback (its URL in
 * OFDKIT_TEST_BASE_URL, started by run.sh). */
#include "check.h"

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

int main(void) {
    const char *base_url = getenv("OFDKIT_TEST_BASE_URL");
    if (!base_url) {
        fprintf(stderr, "test_transport: set OFDKIT_TEST_BASE_URL to a running ofdkit-sandbox\n");
        return 2;
    }
    ferma(base_url);
    registration(base_url);
    return check_report("test_transport");
}
