/* Prints what the C library says of each job of a job file (tests/outputs/jobs.py
 * writes it): one line per job, "<id>\t<json>", where <json> is the violations'
 * JSON or the answer's JSON, exactly as the library gives them, or
 * "<id>\terror <code>" when the call fails. The job fields are read with
 * ofdkit_json_get, as a program without a JSON library would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofdkit.h"

static char *field(const char *line, const char *pointer) {
    char *value = NULL;
    if (ofdkit_json_get(line, strlen(line), pointer, &value) != OFDKIT_OK)
        return NULL;
    return value;
}

static int response_kind(const char *name) {
    static const struct { const char *name; int kind; } kinds[] = {
        {"token", OFDKIT_RESPONSE_FERMA_TOKEN},
        {"create", OFDKIT_RESPONSE_FERMA_CREATE},
        {"report", OFDKIT_RESPONSE_FERMA_REPORT},
        {"callback", OFDKIT_RESPONSE_FERMA_CALLBACK},
        {"cashbox_stats", OFDKIT_RESPONSE_FERMA_CASHBOX_STATS},
        {"application", OFDKIT_RESPONSE_OFD_APPLICATION},
        {"application_list", OFDKIT_RESPONSE_OFD_APPLICATION_LIST},
        {"partner", OFDKIT_RESPONSE_OFD_PARTNER},
    };
    size_t i;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return kinds[i].kind;
    return -1;
}

static int check_level(const char *name) {
    if (name && strcmp(name, "complete") == 0)
        return OFDKIT_CHECK_COMPLETE;
    if (name && strcmp(name, "secondary") == 0)
        return OFDKIT_CHECK_SECONDARY;
    return OFDKIT_CHECK_DRAFT;
}

static void run(const char *line) {
    char *id = field(line, "/id"), *kind = field(line, "/kind"), *text = field(line, "/text");
    char *operation = field(line, "/operation"), *check = field(line, "/check"), *answer = field(line, "/answer");
    char *status_text = field(line, "/status");
    OfdkitViolations *violations = NULL;
    char *json = NULL;
    int status;
    size_t len = text ? strlen(text) : 0;

    if (!text) {
        /* A text ofdkit_json_get refuses to hand a C caller (one with a NUL). */
        printf("%s\tskip\n", id);
    } else if (answer) {
        status = ofdkit_parse_response(response_kind(answer), text, len, status_text ? atoi(status_text) : 200, &json);
        if (status == OFDKIT_OK)
            printf("%s\t%s\n", id, json);
        else
            printf("%s\terror %d\n", id, status);
    } else {
        if (strcmp(kind, "receipt") == 0)
            status = ofdkit_validate_receipt(text, len, operation ? operation : "sell", &violations);
        else if (strcmp(kind, "application") == 0)
            status = ofdkit_validate_application(text, len, check_level(check), &violations);
        else if (strcmp(kind, "update") == 0)
            status = ofdkit_validate_application_update(text, len, check_level(check), &violations);
        else
            status = ofdkit_validate_partner_registration(text, len, &violations);
        if (violations)
            printf("%s\t%s\n", id, ofdkit_violations_json(violations));
        else
            printf("%s\terror %d\n", id, status);
    }
    ofdkit_violations_free(violations);
    ofdkit_string_free(json);
    ofdkit_string_free(id);
    ofdkit_string_free(kind);
    ofdkit_string_free(text);
    ofdkit_string_free(operation);
    ofdkit_string_free(check);
    ofdkit_string_free(answer);
    ofdkit_string_free(status_text);
}

int main(int argc, char **argv) {
    FILE *jobs;
    char *line = NULL;
    size_t capacity = 0, used;
    int c;
    if (argc != 2 || !(jobs = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: print_outputs JOBS.jsonl\n");
        return 2;
    }
    for (;;) {
        used = 0;
        while ((c = fgetc(jobs)) != EOF && c != '\n') {
            if (used + 1 >= capacity) {
                capacity = capacity ? capacity * 2 : 4096;
                line = realloc(line, capacity);
                if (!line)
                    return 3;
            }
            line[used++] = (char)c;
        }
        if (used == 0 && c == EOF)
            break;
        line[used] = '\0';
        run(line);
        if (c == EOF)
            break;
    }
    free(line);
    fclose(jobs);
    return 0;
}
