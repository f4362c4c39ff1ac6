/* json.c — streaming JSON writer (RFC 8259 strings, shortest round-trip doubles). */
#include "common/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/text_escape.h"

void json_begin(json_writer *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = 1;
}

static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fprintf(out, "\\u%04x", *p);
            } else if (*p < 0x80) {
                fputc(*p, out);
            } else {
                /* valid UTF-8 as it is, but the C1 controls as \u0080..\u009f (the same
                 * string, and nothing a terminal obeys); a byte that is not UTF-8
                 * (JSON text must be) as U+FFFD */
                unsigned cp;
                int len = text_utf8_char((const char *)p, &cp);
                if (!len)
                    fputs("\\ufffd", out);
                else if (cp < 0xa0)
                    fprintf(out, "\\u%04x", cp);
                else
                    fwrite(p, 1, (size_t)len, out);
                if (len)
                    p += len - 1;
            }
        }
    }
    fputc('"', out);
}

static void member(json_writer *w, const char *key)
{
    if (!w->first[w->depth])
        fputc(',', w->out);
    w->first[w->depth] = 0;
    if (key) {
        put_string(w->out, key);
        fputc(':', w->out);
    }
}

void json_object_open(json_writer *w, const char *key)
{
    member(w, key);
    fputc('{', w->out);
    if (w->depth < 31)
        w->first[++w->depth] = 1;
}

void json_object_close(json_writer *w)
{
    fputc('}', w->out);
    if (w->depth > 0)
        w->depth--;
}

void json_array_open(json_writer *w, const char *key)
{
    member(w, key);
    fputc('[', w->out);
    if (w->depth < 31)
        w->first[++w->depth] = 1;
}

void json_array_close(json_writer *w)
{
    fputc(']', w->out);
    if (w->depth > 0)
        w->depth--;
}

void json_string(json_writer *w, const char *key, const char *value)
{
    member(w, key);
    if (value)
        put_string(w->out, value);
    else
        fputs("null", w->out);
}

void json_double(json_writer *w, const char *key, double value)
{
    member(w, key);
    if (!isfinite(value)) {
        fputs("null", w->out);
        return;
    }
    /* the shortest of %.15g .. %.17g that reads back exactly */
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    fputs(buf, w->out);
}

void json_uint(json_writer *w, const char *key, uint64_t value)
{
    member(w, key);
    fprintf(w->out, "%llu", (unsigned long long)value);
}

void json_count(json_writer *w, const char *key, ekm_count value)
{
    char buf[EKM_COUNT_DIGITS];
    member(w, key);
    fputs(ekm_count_format(value, buf, sizeof buf), w->out);
}

void json_int(json_writer *w, const char *key, long long value)
{
    member(w, key);
    fprintf(w->out, "%lld", value);
}

void json_bool(json_writer *w, const char *key, int value)
{
    member(w, key);
    fputs(value ? "true" : "false", w->out);
}

void json_end(json_writer *w) { fputc('\n', w->out); }
