/* csv.c — the CSV tokenizer: whole text in memory, one pass, fields pointing
 * into the text, RFC-4180 quotes, LF/CRLF/CR line ends, locale-free numbers. */
#define _GNU_SOURCE
#include "csv.h"
#include "csv_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    SAMPLE_RECORDS = 64, /* records looked at to guess the separator */
    QUOTE_MAX = 40,      /* bytes of a field quoted in a message */
    NUMBER_STACK = 80    /* numbers shorter than this are copied on the stack */
};

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_eol(char c) { return c == '\r' || c == '\n'; }

/* Line and byte column of offset off (a NUL byte, say) by counting line ends. */
static void locate(const ekm__csv_reader *r, size_t off, long *line, long *col)
{
    long ln = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        char c = r->text[i];
        if (c == '\n' || (c == '\r' && !(i + 1 < r->len && r->text[i + 1] == '\n'))) {
            ln++;
            start = i + 1;
        }
    }
    *line = ln;
    *col = (long)(off - start) + 1;
}

/* Shared part of the two open functions: skip the BOM, refuse NUL bytes, make the locale. */
static ekm_status open_common(ekm__csv_reader *r, const char *name, const char *text, size_t len,
                              ekm_error *err)
{
    r->name = name;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        text += 3;
        len -= 3;
    }
    r->text = text;
    r->len = len;
    r->at.pos = 0;
    r->at.line_start = 0;
    r->at.line = 1;
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        long line, col;
        locate(r, (size_t)(nul - text), &line, &col);
        return ekm_error_set(err, EKM_ERR_PARSE, name, line, col,
                             "NUL byte: this is a binary file, not CSV text");
    }
    r->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (r->c_locale == (locale_t)0)
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "cannot create the C locale");
    return ekm__csv_set_separator(r, ',', err);
}

ekm_status ekm__csv_open_text(ekm__csv_reader *r, const char *name, const char *text, size_t len,
                              ekm_error *err)
{
    memset(r, 0, sizeof *r);
    if (!text && len)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0, "no text");
    return open_common(r, name, text ? text : "", len, err);
}

ekm_status ekm__csv_open_file(ekm__csv_reader *r, const char *path, ekm_error *err)
{
    memset(r, 0, sizeof *r);
    char *buf = NULL;
    size_t len = 0;
    const char *name = path;
    ekm_status st = ekm__read_input(path, &buf, &len, &name, err);
    if (st)
        return st;
    r->owned = buf;
    return open_common(r, name, buf ? buf : "", len, err);
}

void ekm__csv_close(ekm__csv_reader *r)
{
    if (r->c_locale != (locale_t)0)
        freelocale(r->c_locale);
    free(r->owned);
    free(r->fields);
    free(r->scratch);
    memset(r, 0, sizeof *r);
}

int ekm__csv_is_blank(const ekm__csv_reader *r)
{
    for (size_t i = 0; i < r->len; i++)
        if (!is_blank(r->text[i]) && !is_eol(r->text[i]))
            return 0;
    return 1;
}

ekm_status ekm__csv_set_separator(ekm__csv_reader *r, char sep, ekm_error *err)
{
    if (sep == 0)
        sep = ekm__csv_detect_separator(r);
    if (!strchr(",;\t |:", sep))
        return ekm_error_set(err, EKM_ERR_INVALID, r->name, 0, 0,
                             "separator 0x%02x: use ',', ';', tab, ' ' (blanks), '|' or ':'",
                             (unsigned char)sep);
    r->sep = sep;
    memset(r->stop, 0, sizeof r->stop);
    r->stop['\r'] = r->stop['\n'] = 1;
    r->stop[(unsigned char)sep] = 1;
    if (sep == ' ')
        r->stop['\t'] = 1;
    return EKM_OK;
}

/* Per-candidate statistics of the separator guess. */
typedef struct sep_stat {
    char sep;
    size_t first;      /* count on the first record */
    int consistent;    /* every record so far had count == first > 0 */
    size_t records;    /* records where it occurs */
    size_t total;
} sep_stat;

static void sep_record(sep_stat *s, size_t count, size_t nrec)
{
    if (nrec == 0) {
        s->first = count;
        s->consistent = count > 0;
    } else if (count != s->first) {
        s->consistent = 0;
    }
    s->records += count > 0;
    s->total += count;
}

char ekm__csv_detect_separator(const ekm__csv_reader *r)
{
    /* Candidates in order of preference; the last one is runs of blanks (its
     * count is the number of blank gaps between fields). */
    sep_stat st[4] = {{',', 0, 0, 0, 0}, {'\t', 0, 0, 0, 0}, {';', 0, 0, 0, 0}, {' ', 0, 0, 0, 0}};
    size_t count[4] = {0, 0, 0, 0}, nrec = 0;
    int in_quote = 0, nonblank = 0, gap = 0;
    const char *t = r->text;
    for (size_t i = 0; i <= r->len && nrec < SAMPLE_RECORDS; i++) {
        char c = i < r->len ? t[i] : '\n';
        if (in_quote && i < r->len) {
            if (c == '"')
                in_quote = 0;
            continue;
        }
        if (is_eol(c)) {
            if (c == '\r' && i + 1 < r->len && t[i + 1] == '\n')
                i++;
            if (nonblank) {
                for (int k = 0; k < 4; k++)
                    sep_record(&st[k], count[k], nrec);
                nrec++;
            }
            memset(count, 0, sizeof count);
            nonblank = gap = 0;
            continue;
        }
        if (c == ',')
            count[0]++;
        else if (c == '\t')
            count[1]++;
        else if (c == ';')
            count[2]++;
        if (is_blank(c)) {
            gap = nonblank;
            continue;
        }
        count[3] += (size_t)gap;
        gap = 0;
        nonblank = 1;
        if (c == '"')
            in_quote = 1;
    }
    /* 1. ',' '\t' ';' splitting every record alike (most fields first);
     * 2. blanks splitting every record alike;
     * 3. the one of ',' '\t' ';' seen on most records (a ragged file);
     * 4. blanks anywhere; 5. ',' (one column). */
    int best = -1;
    for (int k = 0; k < 3; k++)
        if (st[k].consistent && (best < 0 || st[k].first > st[best].first))
            best = k;
    if (best < 0 && st[3].consistent)
        best = 3;
    if (best < 0)
        for (int k = 0; k < 3; k++)
            if (st[k].records > 0 &&
                (best < 0 || st[k].records > st[best].records ||
                 (st[k].records == st[best].records && st[k].total > st[best].total)))
                best = k;
    if (best >= 0)
        return st[best].sep;
    return st[3].records ? ' ' : ',';
}

/* Consume the line end at r->at.pos (CR, LF or CRLF). */
static void eat_eol(ekm__csv_reader *r)
{
    size_t p = r->at.pos;
    if (r->text[p] == '\r' && p + 1 < r->len && r->text[p + 1] == '\n')
        p++;
    r->at.pos = p + 1;
    r->at.line_start = p + 1;
    r->at.line++;
}

static int push_field(ekm__csv_reader *r, const ekm__csv_field *f)
{
    if (r->nfields == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        ekm__csv_field *bigger = cap < SIZE_MAX / sizeof *bigger / 2
                                     ? realloc(r->fields, cap * sizeof *bigger)
                                     : NULL;
        if (!bigger)
            return -1;
        r->fields = bigger;
        r->cap = cap;
    }
    r->fields[r->nfields++] = *f;
    return 0;
}

/* Read a quoted field whose opening quote is at offset q; on success *end is the
 * offset just after the closing quote. Line ends inside the quotes are counted. */
static int read_quoted(ekm__csv_reader *r, size_t q, ekm__csv_field *f, size_t *end,
                       ekm_error *err)
{
    const char *t = r->text;
    f->quoted = 1;
    f->escaped = 0;
    f->line = r->at.line;
    f->byte_col = (long)(q - r->at.line_start) + 1;
    size_t c = q + 1;
    for (;;) {
        while (c < r->len && t[c] != '"') {
            if (t[c] == '\n' || (t[c] == '\r' && !(c + 1 < r->len && t[c + 1] == '\n'))) {
                r->at.line++;
                r->at.line_start = c + 1;
            }
            c++;
        }
        if (c >= r->len) {
            r->error = ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, f->byte_col,
                                     "unterminated quoted field: the quote opened here never "
                                     "closes");
            return -1;
        }
        if (c + 1 < r->len && t[c + 1] == '"') {
            f->escaped = 1;
            c += 2;
            continue;
        }
        break;
    }
    f->text = t + q + 1;
    f->len = c - (q + 1);
    *end = c + 1;
    return 0;
}

int ekm__csv_next(ekm__csv_reader *r, ekm_error *err)
{
    const char *t = r->text;
    const size_t len = r->len;
    const char sep = r->sep;
    r->nfields = 0;
    /* Skip blank and whitespace-only lines. */
    for (;;) {
        size_t p = r->at.pos;
        while (p < len && is_blank(t[p]))
            p++;
        if (p >= len) {
            r->at.pos = len;
            return 0;
        }
        if (!is_eol(t[p]))
            break;
        r->at.pos = p;
        eat_eol(r);
    }
    r->record_line = r->at.line;
    for (;;) {
        size_t p = r->at.pos;
        if (sep == ' ')
            while (p < len && is_blank(t[p]))
                p++;
        size_t q = p; /* first byte after leading blanks */
        while (q < len && is_blank(t[q]) && t[q] != sep)
            q++;
        ekm__csv_field f;
        if (q < len && t[q] == '"') {
            if (read_quoted(r, q, &f, &p, err) < 0)
                return -1;
            while (p < len && is_blank(t[p]) && !r->stop[(unsigned char)t[p]])
                p++;
            if (p < len && !r->stop[(unsigned char)t[p]]) {
                char c[8];
                ekm__csv_quote(&t[p], 1, c, sizeof c);
                r->error = ekm_error_set(err, EKM_ERR_PARSE, r->name, r->at.line,
                                         (long)(p - r->at.line_start) + 1,
                                         "unexpected character '%s' after the closing quote "
                                         "of a field (a quote inside a quoted field is "
                                         "written \"\")",
                                         c);
                return -1;
            }
        } else {
            size_t e = q;
            while (e < len && !r->stop[(unsigned char)t[e]])
                e++;
            size_t s = q, z = e;
            while (z > s && is_blank(t[z - 1]))
                z--;
            f.text = t + s;
            f.len = z - s;
            f.line = r->at.line;
            f.byte_col = (long)(s - r->at.line_start) + 1;
            f.quoted = f.escaped = 0;
            p = e;
        }
        if (push_field(r, &f) < 0) {
            r->error = ekm_error_set(err, EKM_ERR_NOMEM, r->name, r->at.line, 0, "out of memory");
            return -1;
        }
        if (p >= len) {
            r->at.pos = len;
            return 1;
        }
        if (is_eol(t[p])) {
            r->at.pos = p;
            eat_eol(r);
            return 1;
        }
        p++; /* the separator */
        if (sep == ' ') {
            while (p < len && is_blank(t[p]))
                p++;
            if (p >= len || is_eol(t[p])) {
                r->at.pos = p;
                if (p < len)
                    eat_eol(r);
                return 1;
            }
        }
        r->at.pos = p;
    }
}

/* Rough kind of a field for header detection: 0 number, 1 missing, 2 text. */
static int rough_kind(ekm__csv_reader *r, const ekm__csv_field *f)
{
    double v;
    switch (ekm__csv_number(r, f, &v)) {
    case EKM__CSV_NUMBER:
    case EKM__CSV_RANGE: return 0;
    case EKM__CSV_MISSING: return 1;
    default: return 2;
    }
}

int ekm__csv_detect_header(ekm__csv_reader *r, int *is_header, ekm_error *err)
{
    ekm__csv_pos saved = r->at;
    *is_header = 0;
    int k = ekm__csv_next(r, err);
    if (k <= 0) {
        r->at = saved;
        return k;
    }
    size_t n1 = r->nfields;
    unsigned char *kind = malloc(n1);
    if (!kind) {
        r->at = saved;
        r->error = ekm_error_set(err, EKM_ERR_NOMEM, r->name, 0, 0, "out of memory");
        return -1;
    }
    int any_number = 0, any_missing = 0;
    for (size_t j = 0; j < n1; j++) {
        kind[j] = (unsigned char)rough_kind(r, &r->fields[j]);
        any_number |= kind[j] == 0;
        any_missing |= kind[j] == 1;
    }
    int header = !any_number && !any_missing;
    k = ekm__csv_next(r, err);
    if (k < 0) {
        free(kind);
        r->at = saved;
        return -1;
    }
    /* Text over a number: in the last column (perhaps labels) only when the
     * first record has no number at all. */
    for (size_t j = 0; k > 0 && !header && j < n1 && j < r->nfields; j++)
        if (kind[j] == 2 && (j + 1 < n1 || !any_number) && rough_kind(r, &r->fields[j]) == 0)
            header = 1;
    free(kind);
    r->at = saved;
    r->nfields = 0;
    *is_header = header;
    return 0;
}

/* Length of a plain decimal number at s (sign, digits, point, exponent), or 0. */
static size_t decimal_length(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (!digits)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1, edigits = 0;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++, edigits++;
        if (!edigits)
            return 0;
        i = j;
    }
    return i;
}

static int is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Classify text that is not a plain decimal number. */
static ekm__csv_kind other_kind(const char *s, size_t n)
{
    if ((n == 2 && s[0] == 'N' && s[1] == 'A') || (n == 1 && s[0] == '?'))
        return EKM__CSV_MISSING;
    if (n && (s[0] == '+' || s[0] == '-'))
        s++, n--;
    if (n >= 3 && strncasecmp(s, "nan", 3) == 0 && (n == 3 || s[3] == '('))
        return EKM__CSV_NAN;
    if ((n == 3 && strncasecmp(s, "inf", 3) == 0) ||
        (n == 8 && strncasecmp(s, "infinity", 8) == 0))
        return EKM__CSV_INF;
    if (n >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        (is_hex_digit(s[2]) || s[2] == '.'))
        return EKM__CSV_HEX;
    return EKM__CSV_TEXT;
}

/* Classify a field; see csv.h. The grammar is checked here, strtod_l in the C
 * locale then only rounds (so the result is correctly rounded and no process
 * locale can change the decimal point). */
ekm__csv_kind ekm__csv_number(ekm__csv_reader *r, const ekm__csv_field *f, double *value)
{
    const char *s = f->text;
    size_t n = f->len;
    if (f->escaped)
        return EKM__CSV_TEXT; /* holds a quote */
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    if (n == 0)
        return EKM__CSV_MISSING;
    if (decimal_length(s, n) != n)
        return other_kind(s, n);
    char local[NUMBER_STACK], *buf = local;
    if (n >= sizeof local) {
        if (n >= r->scratch_cap) {
            char *bigger = realloc(r->scratch, n + 1);
            if (!bigger)
                return EKM__CSV_RANGE; /* cannot happen in practice; refuse rather than guess */
            r->scratch = bigger;
            r->scratch_cap = n + 1;
        }
        buf = r->scratch;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    double v = strtod_l(buf, &end, r->c_locale);
    if (end != buf + n)
        return EKM__CSV_TEXT;
    if (!isfinite(v))
        return EKM__CSV_RANGE; /* overflow (underflow to 0 or a subnormal is accepted) */
    *value = v;
    return EKM__CSV_NUMBER;
}

size_t ekm__csv_field_copy(const ekm__csv_field *f, char *dst)
{
    if (!f->escaped) {
        memcpy(dst, f->text, f->len);
        return f->len;
    }
    size_t o = 0;
    for (size_t i = 0; i < f->len; i++) {
        dst[o++] = f->text[i];
        if (f->text[i] == '"')
            i++; /* skip the second quote of "" */
    }
    return o;
}

void ekm__csv_quote(const char *s, size_t len, char *out, size_t size)
{
    if (!size)
        return;
    size_t take = len, o = 0;
    int cut = 0;
    if (take > QUOTE_MAX) {
        take = QUOTE_MAX;
        while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--; /* do not split a UTF-8 sequence */
        cut = 1;
    }
    /* control bytes as \t \n \r or \xHH, the notation the front ends use for every
     * text they show (a message must never drive the terminal); a byte only
     * where its whole escape fits */
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < take; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7f) {
            if (o + 1 >= size)
                break;
            out[o++] = (char)c;
            continue;
        }
        int simple = c == '\t' || c == '\n' || c == '\r';
        if (o + (simple ? 2 : 4) >= size)
            break;
        out[o++] = '\\';
        if (simple) {
            out[o++] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        } else {
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    for (int i = 0; cut && i < 3 && o + 1 < size; i++)
        out[o++] = '.';
    out[o] = '\0';
}

ekm_status ekm__csv_field_error(const ekm__csv_reader *r, const ekm__csv_field *f, size_t index,
                                ekm__csv_kind kind, const char *missing_hint, ekm_error *err)
{
    char raw[2 * QUOTE_MAX], q[4 * QUOTE_MAX + 8]; /* every byte may become \xHH */
    const char *s = f->text;
    size_t n = f->len;
    if (f->escaped) { /* unescape a prefix: enough for the quoted part */
        ekm__csv_field part = *f;
        if (part.len > 2 * QUOTE_MAX)
            part.len = 2 * QUOTE_MAX;
        n = ekm__csv_field_copy(&part, raw); /* >= QUOTE_MAX bytes when cut: "..." follows */
        s = raw;
    }
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    ekm__csv_quote(s, n, q, sizeof q);
    const char *hint = missing_hint ? missing_hint : "";
    switch (kind) {
    case EKM__CSV_MISSING:
        if (n == 0)
            return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                                 "field %zu: missing value (empty field)%s", index, hint);
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                             "field %zu: missing value '%s'%s", index, q, hint);
    case EKM__CSV_NAN:
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                             "field %zu: '%s' is NaN, not a finite number", index, q);
    case EKM__CSV_INF:
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                             "field %zu: '%s' is infinite, not a finite number", index, q);
    case EKM__CSV_HEX:
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                             "field %zu: '%s' is a hexadecimal number; write it in decimal",
                             index, q);
    case EKM__CSV_RANGE:
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                             "field %zu: '%s' is out of range for a double", index, q);
    case EKM__CSV_NUMBER:
    case EKM__CSV_TEXT:
    default:
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, (long)index,
                             "field %zu: '%s' is not a number", index, q);
    }
}
