/* The platform's side of the harness: a memory manager that knows every
 * block it handed out, a connection that records AddError, UTF-8 and
 * UTF-16 conversions, and checks. */
#ifndef OFDKIT_TEST_PLATFORM_H
#define OFDKIT_TEST_PLATFORM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "nativeapi.h"

static int check_failures = 0;
static int check_count = 0;

#define CHECK(condition) CHECK_MSG(condition, "%s", "")
#define CHECK_MSG(condition, ...)                                                  \
    do {                                                                           \
        check_count++;                                                             \
        if (!(condition)) {                                                        \
            check_failures++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s ", __FILE__, __LINE__, #condition); \
            fprintf(stderr, __VA_ARGS__);                                          \
            fprintf(stderr, "\n");                                                 \
        }                                                                          \
    } while (0)

/* ---- IMemoryManager ---- */

typedef struct {
    MemoryManager base;
    void **blocks;
    size_t count, capacity;
    unsigned long allocations, foreign_frees;
} FakeMemory;

static FakeMemory memory;

static bool ADDIN_API fake_alloc(MemoryManager *self, void **block, unsigned long bytes) {
    FakeMemory *m = (FakeMemory *)self;
    if (!block || bytes == 0) {
        return false;
    }
    if (m->count == m->capacity) {
        m->capacity = m->capacity ? m->capacity * 2 : 64;
        m->blocks = realloc(m->blocks, m->capacity * sizeof *m->blocks);
    }
    *block = malloc(bytes);
    m->blocks[m->count++] = *block;
    m->allocations++;
    return *block != NULL;
}

static size_t fake_find(FakeMemory *m, const void *block) {
    size_t i;
    for (i = 0; i < m->count; i++) {
        if (m->blocks[i] == block) {
            return i;
        }
    }
    return (size_t)-1;
}

static void ADDIN_API fake_free(MemoryManager *self, void **block) {
    FakeMemory *m = (FakeMemory *)self;
    size_t i = fake_find(m, *block);
    if (i == (size_t)-1) {
        m->foreign_frees++; /* not ours: freeing it would corrupt the heap */
        return;
    }
    free(*block);
    m->blocks[i] = m->blocks[--m->count];
    *block = NULL;
}

static const MemoryManagerVtable memory_vtable = {{0}, fake_alloc, fake_free};

static int owned_by_platform(const void *block) {
    return fake_find(&memory, block) != (size_t)-1;
}

static void platform_free(void *block) {
    fake_free(&memory.base, &block);
}

/* ---- UTF-8 and UTF-16 ---- */

/* `len` bytes of UTF-8 as NUL-terminated UTF-16 (free it); the number of
 * units before the NUL in *units. */
static WCHAR_T *to_wide(const char *text, size_t len, uint32_t *units) {
    const unsigned char *s = (const unsigned char *)text;
    WCHAR_T *w = malloc((len + 1) * sizeof *w), *out = w;
    size_t i = 0;
    while (i < len) {
        unsigned long c = s[i];
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
        for (i++; extra-- > 0 && i < len; i++) {
            c = (c << 6) | (s[i] & 0x3F);
        }
        if (c >= 0x10000) {
            c -= 0x10000;
            *out++ = (WCHAR_T)(0xD800 + (c >> 10));
            *out++ = (WCHAR_T)(0xDC00 + (c & 0x3FF));
        } else {
            *out++ = (WCHAR_T)c;
        }
    }
    *out = 0;
    if (units) {
        *units = (uint32_t)(out - w);
    }
    return w;
}

static WCHAR_T *wide(const char *text) {
    return to_wide(text, strlen(text), NULL);
}

static size_t wide_len(const WCHAR_T *w) {
    size_t n = 0;
    while (w[n]) {
        n++;
    }
    return n;
}

/* `units` UTF-16 units as NUL-terminated UTF-8 (free it). */
static char *to_utf8(const WCHAR_T *w, size_t units) {
    char *text = malloc(units * 3 + 1), *out = text;
    size_t i;
    for (i = 0; i < units; i++) {
        unsigned long c = w[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
            c = 0x10000 + ((c - 0xD800) << 10) + (w[++i] - 0xDC00u);
        }
        js_put_utf8(&out, c);
    }
    *out = '\0';
    return text;
}

/* ---- IAddInDefBase ---- */

typedef struct {
    AddInDefBase base;
    unsigned errors;
    unsigned short wcode;
    long scode;
    char source[256];
    char description[8192];
} FakeConnection;

static FakeConnection connection;

static bool ADDIN_API fake_add_error(AddInDefBase *self, unsigned short wcode, const WCHAR_T *source,
                                     const WCHAR_T *description, long scode) {
    FakeConnection *c = (FakeConnection *)self;
    char *s = to_utf8(source, wide_len(source)), *d = to_utf8(description, wide_len(description));
    c->errors++;
    c->wcode = wcode;
    c->scode = scode;
    snprintf(c->source, sizeof c->source, "%s", s);
    snprintf(c->description, sizeof c->description, "%s", d);
    free(s);
    free(d);
    return true;
}

/* The rest of the connection is not for this component: a call fails. */
static bool ADDIN_API fake_read(AddInDefBase *self, WCHAR_T *n, tVariant *v, long *e, WCHAR_T **d) {
    (void)self, (void)n, (void)v, (void)e, (void)d;
    return false;
}
static bool ADDIN_API fake_write(AddInDefBase *self, WCHAR_T *n, tVariant *v) {
    (void)self, (void)n, (void)v;
    return false;
}
static bool ADDIN_API fake_name(AddInDefBase *self, WCHAR_T *n) {
    (void)self, (void)n;
    return false;
}
static bool ADDIN_API fake_set_depth(AddInDefBase *self, long depth) {
    (void)self, (void)depth;
    return false;
}
static long ADDIN_API fake_get_depth(AddInDefBase *self) {
    (void)self;
    return 0;
}
static bool ADDIN_API fake_event(AddInDefBase *self, WCHAR_T *s, WCHAR_T *m, WCHAR_T *d) {
    (void)self, (void)s, (void)m, (void)d;
    return false;
}
static void ADDIN_API fake_nothing(AddInDefBase *self) {
    (void)self;
}

static const AddInDefBaseVtable connection_vtable = {
    {0}, fake_add_error, fake_read, fake_write, fake_name, fake_set_depth, fake_get_depth,
    fake_event, fake_nothing, fake_name, fake_nothing};

static void platform_start(void) {
    memory.base.vtable = &memory_vtable;
    connection.base.vtable = &connection_vtable;
}

#endif
