/* A small JSON reader for the harness: it walks the text in place, for
 * the shared vectors and for the JSON the add-in returns. It reads what
 * those contain (RFC 8259 JSON) and reports anything else as absent; it is
 * not a validator. */
#ifndef OFDKIT_TEST_JSON_H
#define OFDKIT_TEST_JSON_H

#include <stdlib.h>
#include <string.h>

static const char *js_ws(const char *p) {
    while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        p++;
    }
    return p;
}

/* Past the string whose opening quote is at p. */
static const char *js_skip_string(const char *p) {
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

/* Past the value at p (after white space), or NULL when it is not one. */
static const char *js_skip(const char *p) {
    p = js_ws(p);
    if (!p || !*p) {
        return NULL;
    }
    if (*p == '"') {
        return js_skip_string(p);
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = js_ws(p + 1);
        if (*p == close) {
            return p + 1;
        }
        for (;;) {
            if (close == '}') {
                p = js_ws(p);
                if (*p != '"' || !(p = js_skip_string(p))) {
                    return NULL;
                }
                p = js_ws(p);
                if (*p++ != ':') {
                    return NULL;
                }
            }
            if (!(p = js_skip(p))) {
                return NULL;
            }
            p = js_ws(p);
            if (*p == ',') {
                p++;
            } else if (*p == close) {
                return p + 1;
            } else {
                return NULL;
            }
        }
    }
    /* A number, true, false or null. */
    while (*p && strchr(",}] \t\r\n", *p) == NULL) {
        p++;
    }
    return p;
}

static void js_put_utf8(char **out, unsigned long c) {
    unsigned char *o = (unsigned char *)*out;
    if (c < 0x80) {
        *o++ = (unsigned char)c;
    } else if (c < 0x800) {
        *o++ = (unsigned char)(0xC0 | (c >> 6));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *o++ = (unsigned char)(0xE0 | (c >> 12));
        *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | (c >> 18));
        *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    }
    *out = (char *)o;
}

static unsigned long js_hex4(const char *p) {
    char digits[5] = {0};
    memcpy(digits, p, 4);
    return strtoul(digits, NULL, 16);
}

/* The string at p decoded to UTF-8 (free it), its length in *len when len
 * is not NULL; NULL when p is not a string. */
static char *js_string(const char *p, size_t *len) {
    const char *end;
    char *text, *out;
    p = js_ws(p);
    if (!p || *p != '"' || !(end = js_skip_string(p))) {
        return NULL;
    }
    out = text = malloc((size_t)(end - p) + 1);
    for (p++; p < end - 1; p++) {
        if (*p != '\\') {
            *out++ = *p;
            continue;
        }
        switch (*++p) {
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
            unsigned long c = js_hex4(p + 1);
            p += 4;
            if (c >= 0xD800 && c < 0xDC00 && p[1] == '\\' && p[2] == 'u') {
                unsigned long low = js_hex4(p + 3);
                if (low >= 0xDC00 && low < 0xE000) {
                    c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                    p += 6;
                }
            }
            js_put_utf8(&out, c);
            break;
        }
        default: *out++ = *p; break;
        }
    }
    *out = '\0';
    if (len) {
        *len = (size_t)(out - text);
    }
    return text;
}

/* The value of member `key` of the object at p, or NULL. */
static const char *js_member(const char *p, const char *key) {
    p = js_ws(p);
    if (!p || *p != '{') {
        return NULL;
    }
    p = js_ws(p + 1);
    while (p && *p == '"') {
        char *name = js_string(p, NULL);
        int found = name && strcmp(name, key) == 0;
        free(name);
        p = js_ws(js_skip_string(p));
        if (!p || *p != ':') {
            return NULL;
        }
        if (found) {
            return js_ws(p + 1);
        }
        p = js_ws(js_skip(p + 1));
        if (!p || *p != ',') {
            return NULL;
        }
        p = js_ws(p + 1);
    }
    return NULL;
}

/* The first element of the array at p, or NULL when it is empty or not
 * an array. */
static const char *js_first(const char *p) {
    p = js_ws(p);
    if (!p || *p != '[') {
        return NULL;
    }
    p = js_ws(p + 1);
    return *p == ']' ? NULL : p;
}

/* The element after the one at p, or NULL after the last. */
static const char *js_next(const char *p) {
    p = js_ws(js_skip(p));
    return p && *p == ',' ? js_ws(p + 1) : NULL;
}

/* Element i of the array at p, or NULL. */
static const char *js_element(const char *p, size_t i) {
    for (p = js_first(p); p && i > 0; i--) {
        p = js_next(p);
    }
    return p;
}

static size_t js_length(const char *p) {
    size_t n = 0;
    for (p = js_first(p); p; p = js_next(p)) {
        n++;
    }
    return n;
}

/* Follows "a/b/0/c" from p: members by name, elements by number. */
static const char *js_at(const char *p, const char *path) {
    char step[128];
    while (p && *path) {
        size_t n = strcspn(path, "/");
        if (n >= sizeof step) {
            return NULL;
        }
        memcpy(step, path, n);
        step[n] = '\0';
        p = js_ws(p);
        p = *p == '[' ? js_element(p, strtoul(step, NULL, 10)) : js_member(p, step);
        path += n + (path[n] == '/');
    }
    return p;
}

/* The text of the value at p, copied (free it). */
static char *js_raw(const char *p) {
    const char *end = js_skip(p);
    char *copy;
    p = js_ws(p);
    if (!p || !end) {
        return NULL;
    }
    copy = malloc((size_t)(end - p) + 1);
    memcpy(copy, p, (size_t)(end - p));
    copy[end - p] = '\0';
    return copy;
}

#endif
