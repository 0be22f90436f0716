/* Times ofdkit_validate_receipt on a vector's input; scripts/bench-c runs it
 * beside the same call in Rust and prints the ratio. */
#define _POSIX_C_SOURCE 199309L
#include <time.h>

#include "check.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    size_t len = 0, input_len, i;
    long iterations = argc > 2 ? atol(argv[2]) : 200000;
    char *vector = argc > 1 ? read_file(argv[1], &len) : NULL, *input;
    double start, elapsed;
    if (!vector) {
        fprintf(stderr, "usage: bench_validate VECTOR.json [ITERATIONS]\n");
        return 2;
    }
    input = json_at(vector, "/input");
    input_len = strlen(input);
    for (i = 0; i < 2000; i++) { /* warm-up */
        OfdkitViolations *v = NULL;
        ofdkit_validate_receipt(input, input_len, "sell", &v);
        ofdkit_violations_free(v);
    }
    start = now();
    for (i = 0; i < (size_t)iterations; i++) {
        OfdkitViolations *v = NULL;
        ofdkit_validate_receipt(input, input_len, "sell", &v);
        ofdkit_violations_free(v);
    }
    elapsed = now() - start;
    printf("%.1f\n", elapsed / (double)iterations);
    ofdkit_string_free(input);
    free(vector);
    return 0;
}
