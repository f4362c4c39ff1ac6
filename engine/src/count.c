/* count.c — exact K-subset counts (ekm/count.h): the wide binomial, decimal
 * formatting and parsing. */
#include "ekm/count.h"

#include <string.h>

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

ekm_count ekm_count_binomial(uint64_t n, uint64_t k, int *overflow)
{
    if (overflow)
        *overflow = 0;
    if (k > n)
        return 0;
    if (k > n - k)
        k = n - k;
    /* r = C(n-k+i, i) grows with i, and C(m,i) = C(m-1,i-1) * m / i exactly. With
     * g = gcd(m, i), i/g divides r (it is coprime with m/g), so r / (i/g) * (m/g)
     * is exact and never holds more than the result. */
    ekm_count r = 1;
    for (uint64_t i = 1; i <= k; i++) {
        uint64_t m = n - k + i, g = gcd64(m, i), d = i / g;
        ekm_count a = d == 1 ? r : r / d, b = m / g;
#if defined(__GNUC__) || defined(__clang__)
        int wraps = __builtin_mul_overflow(a, b, &r);
#else
        int wraps = a > EKM_COUNT_MAX / b;
        r = a * b;
#endif
        if (wraps) {
            if (overflow)
                *overflow = 1;
            return 0;
        }
    }
    return r;
}

char *ekm_count_format(ekm_count c, char *buf, size_t size)
{
    char tmp[EKM_COUNT_DIGITS];
    size_t len = 0;
    do {
        tmp[len++] = (char)('0' + (unsigned)(c % 10));
        c /= 10;
    } while (c);
    if (size == 0)
        return buf;
    if (len + 1 > size) {
        buf[0] = 0;
        return buf;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = tmp[len - 1 - i];
    buf[len] = 0;
    return buf;
}

int ekm_count_parse(const char *s, ekm_count *out)
{
    if (!s || !*s)
        return -1;
    ekm_count v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (EKM_COUNT_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
