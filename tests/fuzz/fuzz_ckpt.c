/* fuzz_ckpt.c — libFuzzer target for the checkpoint decoder, structure-aware.
 *
 * An input is a checkpoint file without its magic, version and checksum; the
 * harness frames it with a correct checksum, so mutated fields (counts, sizes,
 * the pruned root, medoid sets, objectives) reach the decoder's checks and,
 * when they pass, a resumed search on a dataset of the checkpoint's N points.
 * The invariants are in fuzz_ckpt_check.h (decode or refuse cleanly, re-encode
 * to the same bytes, a resumed exact result is the true optimum). Seeds:
 * corpus/ckpt (made by ckpt_seeds.c, see corpus/make.sh). */
#include "fuzz_ckpt_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = fz_ckpt_run(data, size);
    if (why) {
        fprintf(stderr, "fuzz_ckpt: invariant broken: %s\n", why);
        abort();
    }
    return 0;
}
