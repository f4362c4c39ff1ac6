/* count.h — exact counts of K-subsets, wider than 64 bits where the compiler can.
 *
 * C(N,K) outgrows 64 bits quickly (C(99999,5) is about 2^76). The enumerating
 * strategies could never close that many sets and refuse such jobs, but the
 * pruned strategy closes whole subtrees at once and may prove an optimum among
 * them: every count it reports (total, done, evaluated, pruned) is an ekm_count,
 * exact. ekm_count is an unsigned 128-bit integer where the compiler has one
 * (EKM_COUNT_BITS 128), else uint64_t (EKM_COUNT_BITS 64: such jobs are refused).
 *
 * printf has no conversion for it: print with ekm_count_format, compare and add
 * as any unsigned integer, convert to double for ratios with a cast.
 */
#ifndef EKM_COUNT_H
#define EKM_COUNT_H

#include "ekm/ekm.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 ekm_count;
#define EKM_COUNT_BITS 128
#else
typedef uint64_t ekm_count;
#define EKM_COUNT_BITS 64
#endif
#define EKM_COUNT_MAX ((ekm_count)~(ekm_count)0)

/* A buffer that holds any ekm_count in decimal with its NUL (2^128 - 1 has 39 digits). */
enum { EKM_COUNT_DIGITS = 40 };

/* C(n,k) exact; 0 with *overflow set (overflow may be NULL) when it does not fit
 * an ekm_count. C(n,k) = 0 for k > n. */
ekm_count ekm_count_binomial(uint64_t n, uint64_t k, int *overflow);

/* c in decimal into buf (size bytes; EKM_COUNT_DIGITS always suffice); returns
 * buf. A buffer too small gets "" (never a truncated number) when size > 0. */
char *ekm_count_format(ekm_count c, char *buf, size_t size);

/* Parse a decimal count (digits only, the whole string); returns 0, or -1 when
 * s is empty, holds anything but digits or does not fit an ekm_count. */
int ekm_count_parse(const char *s, ekm_count *out);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
