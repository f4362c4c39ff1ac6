/* build_info.c — what this build of the engine carries: the compiler, the SIMD
 * kernels compiled in, those this CPU can run, and the one in use. */
#include "ekm/ekm.h"
#include "kernel.h"
#include "simd_fold.h"


const char *ekm_build_compiler(void)
{
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown compiler";
#endif
}

const char *ekm_simd_compiled(void)
{
#if EKM__X86_SIMD
    return "sse2 avx2 avx512f";
#else
    return "portable";
#endif
}

const char *ekm_simd_available(void)
{
#if EKM__X86_SIMD
    __builtin_cpu_init();
    int has2 = __builtin_cpu_supports("avx2"), has512 = __builtin_cpu_supports("avx512f");
    return has512 ? (has2 ? "sse2 avx2 avx512f" : "sse2 avx512f") : has2 ? "sse2 avx2" : "sse2";
#else
    return "portable";
#endif
}

const char *ekm_simd_selected(void)
{
    return ekm__kernel_select().name;
}
