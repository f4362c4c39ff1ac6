/* checkpoint_file.c — the checkpoint file format: encoding, decoding, and
 * saving and loading files (see checkpoint.h).
 *
 * The format is little-endian binary, a magic and a version, then the fields of
 * struct ekm_checkpoint in order (checkpoint_internal.h), the finished-unit
 * flags as a bitmap, and a 64-bit FNV-1a checksum of every byte before it.
 * Objectives are stored as IEEE doubles, bit for bit, so a resumed run applies
 * the tie rule to exactly the numbers the first run found. Counts of K-subsets
 * (C(N,K), a stage's done and pruned, the root's lump) take 128 bits, low word
 * first, since version 2; version 1 files held them in 64 bits and still load.
 */
#include "checkpoint_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ekm/plan.h"
#include "prune_bound.h"

static const char MAGIC[8] = {'E', 'K', 'M', 'C', 'K', 'P', 'T', '\n'};
enum { VERSION = 2, VERSION_NARROW = 1 };
/* Entries of a stage's best-list a file may hold: the list is a front of sets
 * within the tie window, almost always one entry; each is re-evaluated on
 * resume. */
#define BEST_MAX (1u << 16)
/* ---- encoding ------------------------------------------------------------------ */

typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
    int nomem;
} wbuf;

static void put(wbuf *w, const void *src, size_t n)
{
    if (w->nomem)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *p = realloc(w->p, cap);
        if (!p) {
            w->nomem = 1;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, src, n);
    w->len += n;
}

/* Integers little-endian, whatever the host. */
static void put_u64(wbuf *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put(w, b, 8);
}

/* A count: 128 bits, low word first (the high word 0 where ekm_count is 64-bit). */
static void put_count(wbuf *w, ekm_count v)
{
    put_u64(w, (uint64_t)v);
#if EKM_COUNT_BITS > 64
    put_u64(w, (uint64_t)(v >> 64));
#else
    put_u64(w, 0);
#endif
}

static void put_u32(wbuf *w, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put(w, b, 4);
}

static void put_f64(wbuf *w, double v)
{
    uint64_t b;
    memcpy(&b, &v, 8);
    put_u64(w, b);
}

static void put_f32(wbuf *w, float v)
{
    uint32_t b;
    memcpy(&b, &v, 4);
    put_u32(w, b);
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

ekm_status ekm_checkpoint_encode(const ekm_checkpoint *ck, uint8_t **buf, size_t *len,
                                 ekm_error *err)
{
    wbuf w = {0};
    unsigned k = ck->opt.k;
    put(&w, MAGIC, sizeof MAGIC);
    put_u32(&w, VERSION);
    put_u32(&w, k);
    put_u64(&w, ck->fingerprint);
    put_u64(&w, ck->n);
    put_u32(&w, ck->metric);
    put_u32(&w, (uint32_t)ck->opt.strategy);
    put_u32(&w, ck->opt.threads);
    put_u32(&w, ck->opt.partitions);
    put_u32(&w, ck->opt.leaf);
    put_u32(&w, ck->opt.restarts);
    put_u64(&w, ck->opt.seed);
    put_count(&w, ck->total);
    put_f64(&w, ck->seconds);
    put_u32(&w, ck->n_stages);
    for (uint32_t s = 0; s < ck->n_stages; s++) {
        const ekm__ck_stage *st = &ck->stages[s];
        put_u32(&w, st->kind);
        put_u32(&w, st->lo);
        put_u32(&w, st->mid);
        put_u32(&w, st->hi);
        put_count(&w, st->done);
        put_count(&w, st->pruned);
        put_u64(&w, st->best.len);
        for (size_t i = 0; i < st->best.len; i++) {
            put_f64(&w, st->best.value[i]);
            for (unsigned j = 0; j < k; j++)
                put_u32(&w, st->best.sets[i * k + j]);
        }
    }
    put_u64(&w, ck->n_units);
    for (uint64_t u = 0; u < ck->n_units; u += 8) {
        uint8_t byte = 0;
        for (unsigned b = 0; b < 8 && u + b < ck->n_units; b++)
            byte |= (uint8_t)((ck->done[u + b] != 0) << b);
        put(&w, &byte, 1);
    }
    put_u32(&w, (uint32_t)ck->has_root);
    if (ck->has_root) {
        const ekm__ck_root *r = &ck->root;
        put_u32(&w, r->n);
        put_u32(&w, r->tasks);
        put_count(&w, r->lump);
        put_f64(&w, r->base);
        put_f64(&w, r->rmax);
        put_f64(&w, r->sum_max);
        put_f64(&w, r->margin);
        for (uint32_t i = 0; i < r->n; i++)
            put_f32(&w, r->lam[i]);
        for (uint32_t i = 0; i < r->n; i++)
            put_u32(&w, r->cand[i]);
        for (uint32_t i = 0; i < r->n; i++)
            put_f64(&w, r->rho[i]);
    }
    size_t note_len = ck->note ? strlen(ck->note) : 0;
    put_u32(&w, (uint32_t)note_len);
    if (note_len)
        put(&w, ck->note, note_len);
    if (!w.nomem)
        put_u64(&w, fnv1a(w.p, w.len));
    if (w.nomem) {
        free(w.p);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *buf = w.p;
    *len = w.len;
    return EKM_OK;
}

typedef struct rbuf {
    const uint8_t *p;
    size_t len, at;
    int bad;
    int narrow; /* a version 1 file: counts in 64 bits */
} rbuf;

static const uint8_t *take(rbuf *r, size_t n)
{
    if (r->bad || r->len - r->at < n) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *p = r->p + r->at;
    r->at += n;
    return p;
}

static uint64_t get_u64(rbuf *r)
{
    const uint8_t *b = take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* A count as the file's version stores it; one beyond ekm_count marks r bad. */
static ekm_count get_count(rbuf *r)
{
    uint64_t lo = get_u64(r);
    if (r->narrow)
        return lo;
    uint64_t hi = get_u64(r);
#if EKM_COUNT_BITS > 64
    return (ekm_count)hi << 64 | lo;
#else
    if (hi)
        r->bad = 1;
    return lo;
#endif
}

static uint32_t get_u32(rbuf *r)
{
    const uint8_t *b = take(r, 4);
    uint32_t v = 0;
    for (int i = 0; b && i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

static double get_f64(rbuf *r)
{
    uint64_t b = get_u64(r);
    double v;
    memcpy(&v, &b, 8);
    return v;
}

static float get_f32(rbuf *r)
{
    uint32_t b = get_u32(r);
    float v;
    memcpy(&v, &b, 4);
    return v;
}

/* Every field of a decoded root against N, K and the stage counts: the search
 * indexes the candidates and their bounds by these numbers (prune_search.c), so
 * a root that passes is safe to search, whatever the bytes said. */
static const char *bad_root(const ekm_checkpoint *ck)
{
    const ekm__ck_root *r = &ck->root;
    uint64_t n = ck->n;
    unsigned k = ck->opt.k;
    if (ck->opt.strategy != EKM_STRATEGY_PRUNED || ck->n_stages != 1)
        return "a root in a checkpoint that is not of pruned";
    if (r->n != n || r->tasks != ck->n_units)
        return "root size differs from N or from the unit count";
    if ((uint64_t)r->tasks > n - k + 1)
        return "more root children than N-K+1";
    ekm_count lump = r->tasks < n - k + 1 ? ekm_count_binomial(n - r->tasks, k, NULL) : 0;
    if (r->lump != lump)
        return "root's closed count differs from its children";
    if (!isfinite(r->base) || !isfinite(r->rmax) || !isfinite(r->sum_max) ||
        !isfinite(r->margin) || r->rmax < 0 || r->sum_max < 0 || r->margin < 0 ||
        r->base < 0)
        return "root bound values out of range";
    uint8_t *seen = calloc(n ? n : 1, 1);
    if (!seen)
        return "out of memory";
    const char *why = NULL;
    for (uint32_t i = 0; i < r->n && !why; i++) {
        if (r->cand[i] >= n || seen[r->cand[i]])
            why = "root candidates are not a permutation of the points";
        else
            seen[r->cand[i]] = 1;
        if (!why && (!isfinite(r->lam[i]) || r->lam[i] < 0.0f))
            why = "root multiplier out of range";
        if (!why && (!isfinite(r->rho[i]) || (i && r->rho[i] < r->rho[i - 1])))
            why = "root bounds are not ascending finite values";
    }
    free(seen);
    if (!why) {
        ekm__pdata pd = {.n = (uint32_t)n, .k = k};
        if (r->margin < ekm__bound_margin(&pd, r->rmax, r->sum_max))
            why = "root rounding margin below what its values need";
    }
    return why;
}

/* The checks of a decoded value that a checksum cannot give: sizes within the
 * bytes, every count and size against N, K and C(N,K), sets of distinct
 * ascending points below N, finite objectives, a root that is safe to search
 * (bad_root). What needs the data (the objectives of the sets) or the plan
 * (the stages, the unit count) is checked on resume (job.c). */
static ekm_status decode_body(rbuf *r, ekm_checkpoint **out, ekm_error *err)
{
#define BAD(...) ekm_error_set(err, EKM_ERR_PARSE, NULL, 0, 0, __VA_ARGS__)
    unsigned k = get_u32(r);
    uint64_t fp = get_u64(r), n = get_u64(r);
    uint32_t metric = get_u32(r), strategy = get_u32(r), threads = get_u32(r),
             partitions = get_u32(r), leaf = get_u32(r), restarts = get_u32(r);
    uint64_t seed = get_u64(r);
    ekm_count total = get_count(r);
    double seconds = get_f64(r);
    uint32_t n_stages = get_u32(r);
    if (r->bad)
        return BAD("truncated");
    int total_ovf = 0;
    ekm_count c_nk = k && n >= k && n <= UINT32_MAX ? ekm_count_binomial(n, k, &total_ovf) : 0;
    if (k == 0 || k > EKM_MAX_K || n < k || n > UINT32_MAX || strategy >= EKM_STRATEGY_COUNT ||
        !ekm_strategy_is_exact((ekm_strategy)strategy) || n_stages == 0 ||
        n_stages > EKM_MAX_STAGES || metric > (uint32_t)EKM_METRIC_PRECOMPUTED ||
        threads == 0 || threads > EKM_MAX_THREADS || total_ovf || total != c_nk ||
        !isfinite(seconds) || seconds < 0 ||
        (strategy == EKM_STRATEGY_PRUNED && n_stages != 1))
        return BAD("impossible header values");
    ekm__ck_stage *stages = calloc(n_stages, sizeof *stages);
    if (!stages)
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ekm_checkpoint *ck = calloc(1, sizeof *ck);
    if (!ck) {
        free(stages);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    ck->stages = stages;
    ck->n_stages = n_stages;
    for (uint32_t s = 0; s < n_stages; s++)
        ekm__best_init(&stages[s].best, k);
    ck->fingerprint = fp;
    ck->n = n;
    ck->metric = metric;
    ck->opt = ekm_solve_options_default();
    ck->opt.k = k;
    ck->opt.strategy = (ekm_strategy)strategy;
    ck->opt.threads = threads;
    ck->opt.partitions = partitions;
    ck->opt.leaf = leaf;
    ck->opt.restarts = restarts;
    ck->opt.seed = seed;
    ck->total = total;
    ck->seconds = seconds;
    ekm_status st = EKM_OK;
    for (uint32_t s = 0; s < n_stages && !st; s++) {
        ekm__ck_stage *cs = &stages[s];
        cs->kind = get_u32(r);
        cs->lo = get_u32(r);
        cs->mid = get_u32(r);
        cs->hi = get_u32(r);
        cs->done = get_count(r);
        cs->pruned = get_count(r);
        uint64_t len = get_u64(r);
        if (r->bad || cs->pruned > cs->done || cs->done > total || len > BEST_MAX ||
            len * (8 + 4ull * k) > r->len - r->at || cs->kind > (uint32_t)EKM_STAGE_SHARED ||
            cs->lo > cs->mid || cs->mid > cs->hi || cs->hi > n) {
            st = BAD("bad stage record %u", s);
            break;
        }
        for (uint64_t i = 0; i < len && !st; i++) {
            double v = get_f64(r);
            uint32_t set[EKM_MAX_K];
            for (unsigned j = 0; j < k; j++)
                set[j] = get_u32(r);
            for (unsigned j = 0; j < k; j++)
                if (set[j] >= n || (j && set[j] <= set[j - 1]))
                    st = BAD("bad medoid set in stage %u", s);
            if (!st && (!isfinite(v) || v < 0))
                st = BAD("bad objective in stage %u", s);
            if (!st && ekm__best_offer_any(&cs->best, v, set) < 0)
                st = ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
    }
    ekm_count closed = 0;
    for (uint32_t s = 0; s < n_stages && !st; s++)
        if (stages[s].done > total - closed) /* each done <= total: no wrap */
            st = BAD("stages close more than C(N,K) subsets");
        else
            closed += stages[s].done;
    uint64_t n_units = st ? 0 : get_u64(r);
    if (!st && (r->bad || n_units / 8 >= r->len - r->at)) /* (n_units + 7) / 8 bytes */
        st = BAD("bad unit count");
    if (!st) {
        ck->n_units = n_units;
        ck->done = calloc(n_units ? n_units : 1, 1);
        const uint8_t *bits = take(r, (n_units + 7) / 8);
        if (!ck->done)
            st = ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (uint64_t u = 0; !st && u < n_units; u++)
            ck->done[u] = (bits[u / 8] >> (u % 8)) & 1;
    }
    if (!st) {
        uint32_t has_root = get_u32(r);
        if (has_root > 1 || (!has_root && strategy == EKM_STRATEGY_PRUNED && n_units))
            st = BAD("bad root flag");
        ck->has_root = (int)has_root;
    }
    if (!st && ck->has_root) {
        uint32_t rn = get_u32(r), tasks = get_u32(r);
        if (r->bad || rn != n || tasks != n_units || (uint64_t)rn * 16 > r->len - r->at)
            st = BAD("bad root record");
        else if (ekm__ck_root_alloc(&ck->root, rn))
            st = ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (!st) {
            ekm__ck_root *rt = &ck->root;
            rt->tasks = tasks;
            rt->lump = get_count(r);
            if (rt->lump > total)
                st = BAD("bad root record");
            rt->base = get_f64(r);
            rt->rmax = get_f64(r);
            rt->sum_max = get_f64(r);
            rt->margin = get_f64(r);
            for (uint32_t i = 0; i < rn; i++)
                rt->lam[i] = get_f32(r);
            for (uint32_t i = 0; i < rn; i++)
                if ((rt->cand[i] = get_u32(r)) >= n)
                    st = BAD("bad root candidate");
            for (uint32_t i = 0; i < rn; i++)
                rt->rho[i] = get_f64(r);
        }
        const char *why = st || r->bad ? NULL : bad_root(ck);
        if (why)
            st = BAD("bad root record: %s", why);
        else if (!st && ck->root.lump > total - closed)
            st = BAD("stages close more than C(N,K) subsets");
    }
    if (!st) {
        uint32_t note_len = get_u32(r);
        const uint8_t *note = take(r, note_len);
        if (r->bad)
            st = BAD("truncated");
        else if (note_len) {
            ck->note = malloc((size_t)note_len + 1);
            if (!ck->note)
                st = ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
            else if (memchr(note, 0, note_len))
                st = BAD("bad note");
            else {
                memcpy(ck->note, note, note_len);
                ck->note[note_len] = 0;
            }
        }
    }
    if (!st && (r->bad || r->at != r->len))
        st = BAD("trailing bytes");
    if (st) {
        ekm_checkpoint_free(ck);
        return st;
    }
    *out = ck;
    return EKM_OK;
#undef BAD
}

ekm_status ekm_checkpoint_decode(const uint8_t *buf, size_t len, ekm_checkpoint **out,
                                 ekm_error *err)
{
    *out = NULL;
    if (len < sizeof MAGIC + 4 + 8 || memcmp(buf, MAGIC, sizeof MAGIC))
        return ekm_error_set(err, EKM_ERR_PARSE, NULL, 0, 0, "not an ekm checkpoint");
    rbuf r = {buf, len - 8, sizeof MAGIC, 0, 0};
    uint32_t version = get_u32(&r);
    if (version != VERSION && version != VERSION_NARROW)
        return ekm_error_set(err, EKM_ERR_PARSE, NULL, 0, 0,
                             "checkpoint version %u, this ekm reads versions %d and %d", version,
                             VERSION_NARROW, VERSION);
    r.narrow = version == VERSION_NARROW;
    rbuf tail = {buf + len - 8, 8, 0, 0, 0};
    if (get_u64(&tail) != fnv1a(buf, len - 8))
        return ekm_error_set(err, EKM_ERR_PARSE, NULL, 0, 0,
                             "damaged checkpoint (checksum mismatch)");
    return decode_body(&r, out, err);
}

/* ---- files --------------------------------------------------------------------- */

static ekm_status io_error(ekm_error *err, const char *path, const char *what)
{
    return ekm_error_set(err, EKM_ERR_IO, path, 0, 0, "%s: %s", what, strerror(errno));
}

int ekm_checkpoint_sniff(const uint8_t *head, size_t len)
{
    return len >= sizeof MAGIC && !memcmp(head, MAGIC, sizeof MAGIC);
}

/* The writer's pid of a temporary file named BASE.tmp.PID.XXXXXX, else 0. */
static long tmp_writer(const char *name, const char *base)
{
    size_t bl = strlen(base);
    if (strncmp(name, base, bl) || strncmp(name + bl, ".tmp.", 5))
        return 0;
    const char *p = name + bl + 5;
    long pid = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
        pid = pid * 10 + (*p - '0');
    if (!digits || *p != '.' || pid <= 0)
        return 0;
    p++;
    for (int i = 0; i < 6; i++, p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return 0;
    return *p ? 0 : pid;
}

int ekm_checkpoint_clean_stale(const char *path)
{
    char *d = strdup(path), *b = strdup(path);
    int removed = 0;
    if (!d || !b)
        goto out;
    const char *base = basename(b);
    int dfd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        goto out;
    DIR *dir = fdopendir(dfd);
    if (!dir) {
        close(dfd);
        goto out;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        long pid = tmp_writer(e->d_name, base);
        struct stat sb;
        if (!pid || pid == (long)getpid() || (pid_t)pid != pid)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) /* alive, or not ours to judge */
            continue;
        if (fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) || !S_ISREG(sb.st_mode))
            continue;
        if (unlinkat(dfd, e->d_name, 0) == 0)
            removed++;
    }
    closedir(dir);
out:
    free(d);
    free(b);
    return removed;
}

ekm_status ekm_checkpoint_save(const ekm_checkpoint *ck, const char *path, ekm_error *err)
{
    uint8_t *buf;
    size_t len;
    ekm_status st = ekm_checkpoint_encode(ck, &buf, &len, err);
    if (st)
        return st;
    size_t plen = strlen(path), tlen = plen + 48;
    char *tmp = malloc(tlen), *dir = strdup(path);
    if (!tmp || !dir) {
        free(tmp);
        free(dir);
        free(buf);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    ekm_checkpoint_clean_stale(path);
    snprintf(tmp, tlen, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        st = io_error(err, path, "cannot create a temporary file beside it");
        goto out;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st = io_error(err, path, "cannot write");
            break;
        }
        off += (size_t)w;
    }
    if (!st && fsync(fd))
        st = io_error(err, path, "cannot sync");
    if (close(fd) && !st)
        st = io_error(err, path, "cannot close");
    if (!st && rename(tmp, path))
        st = io_error(err, path, "cannot rename the temporary file to it");
    if (st) {
        unlink(tmp);
        goto out;
    }
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { /* the rename itself is durable once the directory is synced */
        fsync(dfd);
        close(dfd);
    }
out:
    free(tmp);
    free(dir);
    free(buf);
    return st;
}

ekm_status ekm_checkpoint_load(const char *path, ekm_checkpoint **out, ekm_error *err)
{
    *out = NULL;
    /* non-blocking: opening a FIFO for reading would wait for a writer */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return io_error(err, path, "cannot open");
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        return ekm_error_set(err, EKM_ERR_IO, path, 0, 0, "not a regular file");
    }
    if (sb.st_size > ((off_t)1 << 34)) {
        close(fd);
        return ekm_error_set(err, EKM_ERR_PARSE, path, 0, 0, "not an ekm checkpoint (too large)");
    }
    size_t len = (size_t)sb.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        close(fd);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t off = 0;
    while (off < len) {
        ssize_t r = read(fd, buf + off, len - off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            ekm_status st = io_error(err, path, "cannot read");
            close(fd);
            free(buf);
            return st;
        }
        if (r == 0)
            break;
        off += (size_t)r;
    }
    close(fd);
    ekm_status st = ekm_checkpoint_decode(buf, off, out, err);
    free(buf);
    if (st && err && !err->file[0]) /* name the file: the decoder does not know it */
        snprintf(err->file, sizeof err->file, "%s", path);
    return st;
}
