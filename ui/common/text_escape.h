/* text_escape.h — text from outside (labels, column names, file names, messages that
 * quote them) made safe to show on a terminal. Control characters cannot retitle the
 * window, clear the screen or move the cursor once escaped:
 *   TAB LF CR          -> \t \n \r
 *   other C0, DEL      -> \xHH          (e.g. ESC -> \x1b)
 *   C1 (U+0080-U+009F) -> \u00HH        (valid UTF-8 kept as text otherwise)
 *   invalid UTF-8      -> \xHH per byte (stray continuation bytes, overlongs,
 *                                        surrogates, truncated sequences)
 * Valid multibyte UTF-8 (é, →, 中) passes unchanged; backslashes are not doubled
 * (this is for reading, not a round trip). JSON output has its own \u escapes. */
#ifndef EKM_UI_TEXT_ESCAPE_H
#define EKM_UI_TEXT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* 1 when s holds a byte the escaping would change. */
int text_needs_escape(const char *s);

/* Write the escaped s to dst (always NUL-terminated when size > 0), never splitting
 * an escape or a UTF-8 character; returns dst. A NULL s is written as "". */
char *text_escape(char *dst, size_t size, const char *s);

/* The length text_escape would need for all of s (without the NUL). */
size_t text_escaped_len(const char *s);

/* fputs of the escaped s; returns EOF on a write error. */
int text_fputs(const char *s, FILE *f);

/* text_fputs, but the exact sequences in keep[0..nkeep) (the program's own colour
 * codes) pass unchanged. */
int text_fputs_keep(const char *s, FILE *f, const char *const *keep, size_t nkeep);

/* The length (2..4) of the valid multibyte UTF-8 character at s and its code point,
 * or 0 when the bytes at s are not one (strict: no overlongs, no surrogates, nothing
 * past U+10FFFF; ASCII gives 0 too). */
int text_utf8_char(const char *s, unsigned *cp);

/* Escape a buffer in place (at most size bytes including the NUL; the end is cut at a
 * character boundary when the escapes do not fit). */
void text_escape_inplace(char *buf, size_t size);

#endif
