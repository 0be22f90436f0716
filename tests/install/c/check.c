/* A program built against an unpacked ofdkit release archive, once with
 * CMake (find_package) and once with pkg-config (tests/install/run.sh): the
 * library loads, is the version the archive is named for, and checks a
 * receipt (an INN whose check digit fails, as in the README). */
#include <stdio.h>
#include <string.h>
#include <ofdkit.h>

#ifndef EXPECTED_VERSION
#error "build with -DEXPECTED_VERSION=\"x.y.z\""
#endif

static const char receipt[] =
    "{\"external_id\": \"17\", \"receipt\": {"
    "\"company\": {\"sno\": \"osn\", \"inn\": \"1234567891\", \"payment_address\": \"shop\"},"
    "\"items\": [{\"name\": \"Tea\", \"price\": 100, \"quantity\": 1, \"sum\": 100, \"measure\": 0,"
    "\"payment_method\": \"full_payment\", \"payment_object\": \"commodity\","
    "\"vat\": {\"type\": \"vat20\", \"sum\": 16.67}}],"
    "\"payments\": [{\"type\": 1, \"sum\": 100}], \"total\": 100}}";

int main(void) {
    OfdkitViolations *violations = NULL;
    const OfdkitViolation *v;
    size_t i;
    int status, found = 0;

    if (strcmp(ofdkit_version(), EXPECTED_VERSION) != 0) {
        fprintf(stderr, "loaded ofdkit %s, expected %s\n", ofdkit_version(), EXPECTED_VERSION);
        return 1;
    }
    status = ofdkit_validate_receipt(receipt, sizeof receipt - 1, "sell", &violations);
    for (i = 0; (v = ofdkit_violations_get(violations, i)) != NULL; i++) {
        if (strcmp(v->path, "receipt.company.inn") == 0 && strcmp(v->code, "inn_checksum") == 0)
            found = v->severity == OFDKIT_SEVERITY_ERROR;
    }
    if (status != OFDKIT_E_INVALID_REQUEST || !found) {
        fprintf(stderr, "status %d, violations %s\n", status, ofdkit_violations_json(violations));
        ofdkit_violations_free(violations);
        return 1;
    }
    ofdkit_violations_free(violations);
    printf("ofdkit %s: receipt.company.inn inn_checksum\n", ofdkit_version());
    return 0;
}
