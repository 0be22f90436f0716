/* A minimal test harness for ofdkit's C tests. */
#ifndef OFDKIT_TEST_CHECK_H
#define OFDKIT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofdkit.h"

static int check_failures = 0;
static int check_count = 0;

#define CHECK(condition)                                                                 \
    do {                                                                                 \
        check_count++;                                                                   \
        if (!(condition)) {                                                              \
            check_failures++;                                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s (last error %d: %s)\n", __FILE__, \
                    __LINE__, #condition, ofdkit_last_error_code(),                      \
                    ofdkit_last_error_message());                                        \
        }                                                                                \
    } while (0)

#define CHECK_STATUS(call, expected)                                                        \
    do {                                                                                    \
        int status_ = (call);                                                               \
        check_count++;                                                                      \
        if (status_ != (expected)) {                                                        \
            check_failures++;                                                               \
            fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n", __FILE__, __LINE__, \
                    #call, status_, (int)(expected), ofdkit_last_error_message());          \
        }                                                                                   \
    } while (0)

static inline int check_report(const char *name) {
    if (check_failures) {
        fprintf(stderr, "%s: %d of %d checks failed\n", name, check_failures, check_count);
        return 1;
    }
    printf("%s: %d checks passed\n", name, check_count);
    return 0;
}

/* Reads a whole file; the caller frees it with free(). */
static inline char *read_file(const char *path, size_t *len) {
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
    if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data) {
        data[size] = '\0';
        *len = (size_t)size;
    }
    return data;
}

/* The string at a JSON pointer, or NULL; free with ofdkit_string_free. */
static inline char *json_at(const char *json, const char *pointer) {
    char *value = NULL;
    if (json == NULL || ofdkit_json_get(json, strlen(json), pointer, &value) != OFDKIT_OK) {
        return NULL;
    }
    return value;
}

#endif
