/* test_text_escape.c — the terminal escaper: control characters, C1 and bytes that
 * are not UTF-8 come out as visible escapes, valid UTF-8 text is kept, output never
 * splits an escape or a character, and random bytes never leave a control byte or
 * invalid UTF-8 (checked with the C library's own UTF-8 decoder). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "common/text_escape.h"

static void expect(const char *in, const char *out)
{
    char buf[512];
    text_escape(buf, sizeof buf, in);
    assert_string_equal(buf, out);
    assert_int_equal(text_escaped_len(in), strlen(out));
    assert_int_equal(text_needs_escape(in), strcmp(in, out) != 0);
    /* text_fputs writes the same */
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    assert_non_null(f);
    assert_int_equal(text_fputs(in, f), 0);
    fclose(f);
    assert_string_equal(mem, out);
    free(mem);
}

static void test_plain_and_utf8_kept(void **state)
{
    (void)state;
    expect("", "");
    expect("iris setosa, 5.1", "iris setosa, 5.1");
    expect("caf\u00e9 \u2192 \u4e2d\u6587 \U0001F600 \u00a0nbsp", "caf\u00e9 \u2192 \u4e2d\u6587 \U0001F600 \u00a0nbsp");
    expect("back\\slash", "back\\slash"); /* not doubled: for reading */
    expect("\U0010FFFF", "\U0010FFFF");
}

static void test_controls_escaped(void **state)
{
    (void)state;
    expect("\033]0;pwned\007\033[2J", "\\x1b]0;pwned\\x07\\x1b[2J");
    expect("a\tb\nc\rd", "a\\tb\\nc\\rd");
    expect("\001\037\177", "\\x01\\x1f\\x7f");
    /* C1 controls: well-encoded ones by code point, raw bytes as bytes */
    expect("\xc2\x80|\xc2\x9b|\xc2\x9f|\xc2\xa0", "\\u0080|\\u009b|\\u009f|\xc2\xa0");
    expect("\x9b" "2J", "\\x9b2J");
}

static void test_invalid_utf8_escaped(void **state)
{
    (void)state;
    expect("\xff\xfe", "\\xff\\xfe");
    expect("\xc0\xaf", "\\xc0\\xaf");             /* overlong '/' */
    expect("\xe0\x80\xaf", "\\xe0\\x80\\xaf");     /* overlong, 3 bytes */
    expect("\xed\xa0\x80", "\\xed\\xa0\\x80");     /* a surrogate */
    expect("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
    expect("\xf5\x80", "\\xf5\\x80");
    expect("ab\xe2\x82", "ab\\xe2\\x82");         /* cut short at the end */
    expect("\xe2\x82" "c\xe2\x82\xac", "\\xe2\\x82c\xe2\x82\xac"); /* then a good euro */
    expect("\x80", "\\x80");                       /* a stray continuation byte */
}

static void test_fits_without_splitting(void **state)
{
    (void)state;
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    text_escape(buf, 6, "ab\033");
    assert_string_equal(buf, "ab"); /* "\x1b" does not fit: left out whole */
    text_escape(buf, 7, "ab\033");
    assert_string_equal(buf, "ab\\x1b");
    text_escape(buf, 2, "\u00e9");
    assert_string_equal(buf, ""); /* a 2-byte character needs 3 bytes with the NUL */
    text_escape(buf, 3, "\u00e9x");
    assert_string_equal(buf, "\u00e9");
    text_escape(buf, 1, "abc");
    assert_string_equal(buf, "");
    text_escape(buf, sizeof buf, NULL);
    assert_string_equal(buf, "");
    /* in place */
    char in[32] = "t\033[2Jx";
    text_escape_inplace(in, sizeof in);
    assert_string_equal(in, "t\\x1b[2Jx");
    char small[8] = "\033\033\033";
    text_escape_inplace(small, sizeof small);
    assert_string_equal(small, "\\x1b");
}

static void test_keep_own_colours(void **state)
{
    (void)state;
    static const char *const keep[] = {"\033[0m", "\033[32m"};
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    assert_non_null(f);
    assert_int_equal(text_fputs_keep("\033[32mjob done:\033[0m on \033]0;x\007\033[2Jdata\033[0m",
                                     f, keep, 2), 0);
    fclose(f);
    assert_string_equal(mem, "\033[32mjob done:\033[0m on \\x1b]0;x\\x07\\x1b[2Jdata\033[0m");
    free(mem);
    mem = NULL;
    f = open_memstream(&mem, &len);
    assert_int_equal(text_fputs_keep("\033[32mx", f, keep, 0), 0); /* colours off */
    fclose(f);
    assert_string_equal(mem, "\\x1b[32mx");
    free(mem);
}

/* Random bytes: the output holds no C0, DEL or C1 and decodes as UTF-8 with the C
 * library's decoder (an independent check), and an input that needs no escaping is
 * returned unchanged. */
static void test_random_bytes(void **state)
{
    (void)state;
    /* glibc has C.UTF-8 built in (2.35 and later) */
    assert_true(setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8"));
    uint64_t x = 0x9e3779b97f4a7c15ull;
    char in[64], out[64 * 6 + 1];
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t len = 1 + (size_t)(x % 24);
        for (; n < len; n++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            unsigned b = (unsigned)(x >> 24) & 0xFF;
            /* bias towards the interesting bytes */
            if ((x >> 40) % 4 == 0)
                b = 0x80 + b % 0x50;
            in[n] = (char)(b ? b : 'a');
        }
        in[n] = '\0';
        text_escape(out, sizeof out, in);
        assert_int_equal(strlen(out), text_escaped_len(in));
        mbstate_t ms;
        memset(&ms, 0, sizeof ms);
        const char *p = out, *end = out + strlen(out);
        while (p < end) {
            wchar_t wc;
            size_t k = mbrtowc(&wc, p, (size_t)(end - p), &ms);
            assert_true(k != (size_t)-1 && k != (size_t)-2 && k != 0);
            assert_false(wc < 0x20 || (wc >= 0x7f && wc < 0xa0));
            assert_false(wc >= 0xd800 && wc <= 0xdfff);
            p += k;
        }
        if (!text_needs_escape(in))
            assert_string_equal(out, in);
    }
    setlocale(LC_CTYPE, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_utf8_kept),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_invalid_utf8_escaped),
        cmocka_unit_test(test_fits_without_splitting),
        cmocka_unit_test(test_keep_own_colours),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
