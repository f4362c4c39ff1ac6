/* csv.h — the CSV tokenizer shared by the dataset loader (dataset.c) and the
 * dissimilarity-matrix loader (dissim_load.c). Internal to the engine.
 *
 * A reader holds the whole text in memory (its own copy of a file, or the
 * caller's buffer) and hands out one record at a time. Fields point into that
 * text: nothing is allocated per field, and the text is never modified, so the
 * reader can rewind (header detection reads the first two records twice).
 *
 * Positions: lines are 1-based physical lines, where LF, CRLF and a lone CR each
 * end a line; byte columns are 1-based and count bytes from the start of the
 * line (a leading UTF-8 byte-order mark is not counted).
 */
#ifndef EKM_CSV_H
#define EKM_CSV_H

#include "ekm/dataset.h"

#include <locale.h>
#include <stddef.h>

/* One field of the current record. Unquoted fields are trimmed of surrounding
 * blanks; a quoted field is its content between the quotes. When escaped is set
 * the content still holds doubled quotes (""): use ekm__csv_field_copy. */
typedef struct ekm__csv_field {
    const char *text; /* into the reader's text, not NUL-terminated */
    size_t len;
    long line;        /* physical line where the field starts */
    long byte_col;    /* byte column of the field's first byte (its quote if quoted) */
    unsigned char quoted;
    unsigned char escaped;
} ekm__csv_field;

/* Where the reader is; copied to rewind. */
typedef struct ekm__csv_pos {
    size_t pos;        /* offset of the next byte to read */
    size_t line_start; /* offset of the first byte of the current line */
    long line;         /* current physical line */
} ekm__csv_pos;

typedef struct ekm__csv_reader {
    const char *name; /* for error records (not owned) */
    const char *text; /* the input, after the byte-order mark */
    size_t len;
    char *owned;      /* the file's bytes when the reader read a file */
    char sep;         /* ',' ';' '\t' '|' ':' or ' ' (runs of blanks) */
    ekm__csv_pos at;
    long record_line;         /* first line of the current record */
    ekm__csv_field *fields;   /* the current record, nfields of them */
    size_t nfields, cap;
    unsigned char stop[256];  /* bytes that end an unquoted field */
    char *scratch;            /* long number text copied for strtod_l */
    size_t scratch_cap;
    locale_t c_locale;        /* numbers are read in the C locale, whatever the process uses */
    ekm_status error;         /* status of the last -1 from ekm__csv_next / _detect_header */
} ekm__csv_reader;

/* What a field holds, as far as numbers go. */
typedef enum ekm__csv_kind {
    EKM__CSV_NUMBER = 0, /* a finite decimal number (value stored) */
    EKM__CSV_MISSING,    /* empty, NA or ? */
    EKM__CSV_NAN,        /* nan, NaN, -nan ... */
    EKM__CSV_INF,        /* inf, Infinity, -inf ... */
    EKM__CSV_HEX,        /* 0x... (strtod would take it; we do not) */
    EKM__CSV_RANGE,      /* a decimal number too large for a double (1e999) */
    EKM__CSV_TEXT        /* anything else */
} ekm__csv_kind;

/* Open a reader on the whole file at path (read into memory in one go; "-" is
 * standard input, gzip data is inflated: see csv_read.h).
 * EKM_ERR_IO when it cannot be opened or read, EKM_ERR_PARSE for a NUL byte. */
ekm_status ekm__csv_open_file(ekm__csv_reader *r, const char *path, ekm_error *err);

/* Open a reader on len bytes of caller-owned text (kept, not copied: it must
 * outlive the reader). name is used in error records. */
ekm_status ekm__csv_open_text(ekm__csv_reader *r, const char *name, const char *text, size_t len,
                              ekm_error *err);

/* Free what the reader owns (safe on a zeroed or already closed reader). */
void ekm__csv_close(ekm__csv_reader *r);

/* 1 when the text holds only blanks and line ends (or nothing at all). */
int ekm__csv_is_blank(const ekm__csv_reader *r);

/* Guess the separator from the first records (outside quotes): ',' '\t' or ';'
 * when one of them splits every sampled record into the same number of fields
 * (the most fields wins, ties in that order); else ' ' (runs of blanks) when
 * blanks do; else the one of ',' '\t' ';' seen on most records (a ragged file);
 * else ' ' when records contain blanks between fields; else ','. */
char ekm__csv_detect_separator(const ekm__csv_reader *r);

/* Validate and set a separator: 0 means detect. EKM_ERR_INVALID for a character
 * that cannot separate numbers. */
ekm_status ekm__csv_set_separator(ekm__csv_reader *r, char sep, ekm_error *err);

/* Read the next non-blank record into r->fields. Returns 1 with a record, 0 at
 * the end of the text, -1 on error (unterminated quote, text after a closing
 * quote; err filled with line and byte column, r->error set). */
int ekm__csv_next(ekm__csv_reader *r, ekm_error *err);

/* Decide EKM_HEADER_AUTO: the first record is a header when it has a text field
 * where the second record has a number (in the last column, which may hold
 * labels, only when the first record has no number at all), or when all its
 * fields are text (no number, no missing value). The reader is left where it
 * was. Returns -1 on a tokenizer error, else 0 with *is_header set. */
int ekm__csv_detect_header(ekm__csv_reader *r, int *is_header, ekm_error *err);

/* Classify a field and, for EKM__CSV_NUMBER, store its value. Numbers use strtod
 * semantics in the C locale, must fill the whole field (surrounding blanks
 * allowed) and be decimal: hex floats, inf and nan spellings are refused. */
ekm__csv_kind ekm__csv_number(ekm__csv_reader *r, const ekm__csv_field *f, double *value);

/* Fill err with a parse error at (f->line, index) for field number index
 * (1-based) of kind kind (anything but EKM__CSV_NUMBER). missing_hint (may be
 * NULL) is appended to the message of a missing value. Returns EKM_ERR_PARSE. */
ekm_status ekm__csv_field_error(const ekm__csv_reader *r, const ekm__csv_field *f, size_t index,
                                ekm__csv_kind kind, const char *missing_hint, ekm_error *err);

/* Copy a field's content with "" unescaped (at most f->len bytes), return its length. */
size_t ekm__csv_field_copy(const ekm__csv_field *f, char *dst);

/* Write a printable, quoted, truncated rendering of bytes (for messages) into out. */
void ekm__csv_quote(const char *s, size_t len, char *out, size_t size);

#endif
