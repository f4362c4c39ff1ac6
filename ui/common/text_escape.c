/* text_escape.c — see text_escape.h. */
#define _GNU_SOURCE
#include "common/text_escape.h"

#include <stdlib.h>
#include <string.h>

int text_utf8_char(const char *text, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned c = s[0];
    int len;
    unsigned v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* The next piece of output for the input at *p: either a run of bytes copied from the
 * input (*copy set) or an escape written into esc. Returns the piece's length and
 * advances *p. */
static size_t next_piece(const unsigned char **p, char esc[8], const unsigned char **copy)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = *p;
    unsigned c = s[0];
    *copy = NULL;
    if (c >= 0x20 && c < 0x7F) {
        *copy = s;
        *p = s + 1;
        return 1;
    }
    if (c < 0x80) { /* C0 or DEL */
        *p = s + 1;
        esc[0] = '\\';
        if (c == '\t' || c == '\n' || c == '\r') {
            esc[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
            return 2;
        }
        esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15];
        return 4;
    }
    unsigned cp;
    int len = text_utf8_char((const char *)s, &cp);
    if (len && cp >= 0xA0) {
        *copy = s;
        *p = s + len;
        return (size_t)len;
    }
    if (len) { /* a C1 control, well encoded */
        *p = s + len;
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[cp >> 4], esc[5] = hex[cp & 15];
        return 6;
    }
    *p = s + 1; /* a byte that is not UTF-8 */
    esc[0] = '\\', esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15];
    return 4;
}

int text_needs_escape(const char *s)
{
    if (!s)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char esc[8];
        const unsigned char *copy;
        next_piece(&p, esc, &copy);
        if (!copy)
            return 1;
    }
    return 0;
}

size_t text_escaped_len(const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        char esc[8];
        const unsigned char *copy;
        n += next_piece(&p, esc, &copy);
    }
    return n;
}

char *text_escape(char *dst, size_t size, const char *s)
{
    if (!size)
        return dst;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        char esc[8];
        const unsigned char *copy;
        size_t n = next_piece(&p, esc, &copy);
        if (o + n >= size)
            break;
        memcpy(dst + o, copy ? (const char *)copy : esc, n);
        o += n;
    }
    dst[o] = '\0';
    return dst;
}

int text_fputs(const char *s, FILE *f)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        char esc[8];
        const unsigned char *copy;
        size_t n = next_piece(&p, esc, &copy);
        if (fwrite(copy ? (const char *)copy : esc, 1, n, f) != n)
            return EOF;
    }
    return 0;
}

int text_fputs_keep(const char *s, FILE *f, const char *const *keep, size_t nkeep)
{
    if (!s)
        return 0;
    while (*s) {
        size_t k = 0, klen = 0;
        for (; k < nkeep; k++) {
            klen = strlen(keep[k]);
            if (klen && !strncmp(s, keep[k], klen))
                break;
        }
        if (k < nkeep) {
            if (fwrite(s, 1, klen, f) != klen)
                return EOF;
            s += klen;
            continue;
        }
        /* up to the next ESC (never inside a UTF-8 sequence) */
        size_t run = 1 + strcspn(s + 1, "\033");
        char *piece = strndup(s, run);
        if (!piece)
            return EOF;
        int rc = text_fputs(piece, f);
        free(piece);
        if (rc == EOF)
            return EOF;
        s += run;
    }
    return 0;
}

void text_escape_inplace(char *buf, size_t size)
{
    if (!size || !text_needs_escape(buf))
        return;
    char *copy = strdup(buf);
    if (!copy) { /* no memory: blank what cannot be shown */
        for (unsigned char *q = (unsigned char *)buf; *q; q++)
            if (*q < 0x20 || *q >= 0x7F)
                *q = '?';
        return;
    }
    text_escape(buf, size, copy);
    free(copy);
}
