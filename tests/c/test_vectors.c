/* Runs the shared test vectors (tests/vectors) through the C ABI: every
 * request vector must get exactly the violations Rust gets. The file names
 * come as arguments. */
#include "check.h"

static int same_violation(const OfdkitViolation *v, const char *path, const char *code, const char *severity) {
    int sev = strcmp(severity, "error") == 0 ? OFDKIT_SEVERITY_ERROR : OFDKIT_SEVERITY_WARNING;
    return strcmp(v->path, path) == 0 && strcmp(v->code, code) == 0 && v->severity == sev;
}

static int check_kind(const char *kind) {
    return strcmp(kind, "ferma.receipt_request") == 0 || strcmp(kind, "ofd.application_request") == 0 ||
           strcmp(kind, "ofd.application_update") == 0 || strcmp(kind, "ofd.partner_registration") == 0;
}

static int run_vector(const char *file) {
    size_t len = 0, expected = 0, i, j;
    char *vector = read_file(file, &len), *kind, *input, *operation, *check;
    OfdkitViolations *violations = NULL;
    int status, ok = 1, level = OFDKIT_CHECK_DRAFT;

    if (!vector) {
        fprintf(stderr, "%s: cannot read\n", file);
        return 0;
    }
    kind = json_at(vector, "/kind");
    if (!kind || !check_kind(kind)) {
        ofdkit_string_free(kind);
        free(vector);
        return -1; /* not a request vector */
    }
    input = json_at(vector, "/input");
    if (!input) {
        input = json_at(vector, "/input_text");
    }
    operation = json_at(vector, "/operation");
    check = json_at(vector, "/check");
    if (check && strcmp(check, "complete") == 0) {
        level = OFDKIT_CHECK_COMPLETE;
    } else if (check && strcmp(check, "secondary") == 0) {
        level = OFDKIT_CHECK_SECONDARY;
    }
    if (strcmp(kind, "ferma.receipt_request") == 0) {
        status = ofdkit_validate_receipt(input, strlen(input), operation, &violations);
    } else if (strcmp(kind, "ofd.application_request") == 0) {
        status = ofdkit_validate_application(input, strlen(input), level, &violations);
    } else if (strcmp(kind, "ofd.application_update") == 0) {
        status = ofdkit_validate_application_update(input, strlen(input), level, &violations);
    } else {
        status = ofdkit_validate_partner_registration(input, strlen(input), &violations);
    }
    if (ofdkit_json_length(vector, len, "/expect/violations", &expected) != OFDKIT_OK) {
        expected = 0;
    }
    if (status != OFDKIT_OK && status != OFDKIT_E_INVALID_REQUEST) {
        fprintf(stderr, "%s: status %d: %s\n", file, status, ofdkit_last_error_message());
        ok = 0;
    } else if (ofdkit_violations_count(violations) != expected) {
        fprintf(stderr, "%s: %zu violations, expected %zu: %s\n", file, ofdkit_violations_count(violations), expected,
                ofdkit_violations_json(violations));
        ok = 0;
    } else {
        for (i = 0; i < expected && ok; i++) {
            char pointer[96], *path, *code, *severity;
            int found = 0;
            snprintf(pointer, sizeof pointer, "/expect/violations/%zu/path", i);
            path = json_at(vector, pointer);
            snprintf(pointer, sizeof pointer, "/expect/violations/%zu/code", i);
            code = json_at(vector, pointer);
            snprintf(pointer, sizeof pointer, "/expect/violations/%zu/severity", i);
            severity = json_at(vector, pointer);
            for (j = 0; j < expected; j++) {
                if (same_violation(ofdkit_violations_get(violations, j), path, code, severity)) {
                    found = 1;
                }
            }
            if (!found) {
                fprintf(stderr, "%s: expected %s %s %s, got %s\n", file, severity, path, code,
                        ofdkit_violations_json(violations));
                ok = 0;
            }
            ofdkit_string_free(path);
            ofdkit_string_free(code);
            ofdkit_string_free(severity);
        }
    }
    ofdkit_violations_free(violations);
    ofdkit_string_free(kind);
    ofdkit_string_free(input);
    ofdkit_string_free(operation);
    ofdkit_string_free(check);
    free(vector);
    return ok;
}

int main(int argc, char **argv) {
    int i, ran = 0;
    for (i = 1; i < argc; i++) {
        int result = run_vector(argv[i]);
        if (result >= 0) {
            CHECK(result == 1);
            ran++;
        }
    }
    CHECK(ran >= 150);
    printf("test_vectors: %d request vectors\n", ran);
    return check_report("test_vectors");
}
