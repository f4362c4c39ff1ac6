/* dist_dispatch.c — rank 0: share the work units out over the ranks (its own
 * included), merge the checkpoints that come back, forward incumbents, gather
 * progress, and once every unit is in, print the result as `ekm solve` does. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "common/progress_text.h"
#include "common/load_report.h"
#include "common/save_data.h"
#include "mpi/dist_solve.h"
#include "common/text_escape.h"

enum { STAGE_WAITING = 0, STAGE_ASSIGNED, STAGE_MERGED };

typedef struct rank_state {
    unsigned capacity;      /* tasks it may hold at once */
    unsigned held;          /* tasks handed to it and not yet back */
    ekm_count done_finished; /* K-subsets closed by its finished tasks */
    ekm_count done_live;     /* ... by its running tasks (its last report) */
    unsigned tasks_done;
    double busy_seconds;    /* summed wall time of its finished tasks */
} rank_state;

typedef struct task_record {
    dist_task task;
    int rank;
} task_record;

typedef struct dispatcher {
    const dist_setup *su;
    dist_exec *local;      /* rank 0's own tasks */
    rank_state *rank;
    task_record *task;
    size_t n_tasks, task_cap;
    uint64_t units, next_unit;
    /* staged strategies */
    ekm_plan *plan;
    int n_stages;
    uint64_t first[EKM_MAX_STAGES + 1];
    unsigned char stage_state[EKM_MAX_STAGES];
    int stage_rank[EKM_MAX_STAGES];
    double stage_start[EKM_MAX_STAGES], stage_end[EKM_MAX_STAGES]; /* since su->started */
    double last_in;         /* the last merge (since su->started) */
    double bound_at;        /* when the best objective was last lowered (ditto) */
    /* pruned: the root every task resumes (read by jobs, never modified) */
    ekm_checkpoint *root;
    ekm_checkpoint *master; /* everything merged so far */
    double bound;           /* best objective known (INFINITY: none) */
    double printed;         /* when the last progress line went out */
    char err[1024];
} dispatcher;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fputs("ekm-mpi: ", stderr);
    text_fputs(line, stderr); /* names and labels shown, never obeyed */
    fputc('\n', stderr);
    fflush(stderr);
}

static void stop_workers(const dispatcher *d, int code)
{
    dist_stop_msg s = {.code = code};
    for (int r = 1; r < d->su->ranks; r++)
        dist_send(r, DIST_TAG_STOP, &s, sizeof s);
}

/* One line naming the problem, every rank told to stop with `code`. */
static int fail_all(dispatcher *d, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_all(dispatcher *d, int code, const char *fmt, ...)
{
    char line[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    say("%s", line);
    stop_workers(d, code);
    return code;
}

static const char *host_of(const dispatcher *d, int rank) { return d->su->hosts[rank]; }

/* ---- handing out tasks ---------------------------------------------------------------- */

static int record_task(dispatcher *d, const dist_task *t, int rank)
{
    if (d->n_tasks == d->task_cap) {
        size_t cap = d->task_cap ? 2 * d->task_cap : 64;
        task_record *tr = realloc(d->task, cap * sizeof *tr);
        if (!tr)
            return -1;
        d->task = tr;
        d->task_cap = cap;
    }
    d->task[d->n_tasks++] = (task_record){*t, rank};
    return 0;
}

static int hand_out(dispatcher *d, dist_task *t, int rank)
{
    t->id = (uint32_t)d->n_tasks;
    if (record_task(d, t, rank)) {
        snprintf(d->err, sizeof d->err, "out of memory");
        return -1;
    }
    d->rank[rank].held++;
    if (rank == 0) {
        if (dist_exec_submit(d->local, t)) {
            snprintf(d->err, sizeof d->err, "out of memory");
            return -1;
        }
    } else {
        dist_assign_msg a = {.task = *t, .bound = d->bound};
        dist_send(rank, DIST_TAG_ASSIGN, &a, sizeof a);
    }
    return 0;
}

/* The rank with the most room (ties: the lowest rank), or -1 when all are full. */
static int roomiest_rank(const dispatcher *d)
{
    int best = -1;
    unsigned room = 0;
    for (int r = 0; r < d->su->ranks; r++) {
        unsigned free_slots = d->rank[r].capacity - d->rank[r].held;
        if (d->rank[r].held < d->rank[r].capacity && free_slots > room) {
            room = free_slots;
            best = r;
        }
    }
    return best;
}

/* fused, pruned: guided blocks, remaining / (4 x ranks), at least 1 unit. */
static int hand_out_blocks(dispatcher *d)
{
    while (d->next_unit < d->units) {
        int r = roomiest_rank(d);
        if (r < 0)
            return 0;
        uint64_t left = d->units - d->next_unit;
        uint64_t size = left / (4 * (uint64_t)d->su->ranks);
        if (size < 1)
            size = 1;
        dist_task t = {.stage = -1, .unit_lo = d->next_unit, .unit_hi = d->next_unit + size};
        d->next_unit += size;
        if (hand_out(d, &t, r))
            return -1;
    }
    return 0;
}

static void stage_name(const dispatcher *d, int s, char *buf, size_t size)
{
    ekm_stage_progress sp;
    memset(&sp, 0, sizeof sp);
    sp.spec = d->plan->stages[s];
    progress_stage_name(&sp, buf, size);
}

/* Staged strategies: every stage whose children are merged goes to a rank — a
 * merge to a rank that ran one of its children if it has room, else (and every
 * leaf) to the rank with the most room. */
static int hand_out_stages(dispatcher *d)
{
    for (int s = 0; s < d->n_stages; s++) {
        if (d->stage_state[s] != STAGE_WAITING)
            continue;
        const ekm_stage_spec *sp = &d->plan->stages[s];
        int ready = 1, r = -1;
        for (int c = 0; c < 2; c++)
            if (sp->child[c] >= 0 && d->stage_state[sp->child[c]] != STAGE_MERGED)
                ready = 0;
        if (!ready)
            continue;
        if (d->first[s] == d->first[s + 1]) { /* no work in it */
            d->stage_state[s] = STAGE_MERGED;
            s = -1; /* its parent may be ready now */
            continue;
        }
        for (int c = 1; c >= 0 && r < 0; c--) {
            int cr = sp->child[c] >= 0 ? d->stage_rank[sp->child[c]] : -1;
            if (cr >= 0 && d->rank[cr].held < d->rank[cr].capacity)
                r = cr;
        }
        if (r < 0)
            r = roomiest_rank(d);
        if (r < 0)
            return 0;
        dist_task t = {.stage = s, .unit_lo = d->first[s], .unit_hi = d->first[s + 1]};
        if (hand_out(d, &t, r))
            return -1;
        d->stage_state[s] = STAGE_ASSIGNED;
        d->stage_rank[s] = r;
        d->stage_start[s] = ekm_now() - d->su->started;
        if (d->su->settings->progress) {
            char name[128];
            stage_name(d, s, name, sizeof name);
            say("stage %d %s -> rank %d (%s)", s, name, r, host_of(d, r));
        }
    }
    return 0;
}

/* ---- taking work back ------------------------------------------------------------------ */

static int merge_in(dispatcher *d, ekm_checkpoint *ck)
{
    ekm_error e;
    if (!d->master) {
        d->master = ck;
        return 0;
    }
    int bad = ekm_checkpoint_merge(d->master, ck, &e) != EKM_OK;
    ekm_checkpoint_free(ck);
    if (bad) {
        char msg[768];
        ekm_error_format(&e, msg, sizeof msg);
        snprintf(d->err, sizeof d->err, "merging the checkpoints: %s", msg);
        return -1;
    }
    return 0;
}

/* A task came back from `rank` with its finished work (ck is taken). */
static int task_done(dispatcher *d, int rank, uint32_t id, ekm_checkpoint *ck, double seconds)
{
    if (id >= d->n_tasks || d->task[id].rank != rank) {
        ekm_checkpoint_free(ck);
        snprintf(d->err, sizeof d->err, "rank %d (%s) returned a task it was not given", rank,
                 host_of(d, rank));
        return -1;
    }
    rank_state *rs = &d->rank[rank];
    rs->held--;
    rs->tasks_done++;
    rs->busy_seconds += seconds;
    rs->done_finished += ekm_checkpoint_done(ck);
    rs->done_live = 0;
    int stage = d->task[id].task.stage;
    if (merge_in(d, ck))
        return -1;
    d->last_in = ekm_now() - d->su->started;
    if (stage >= 0) {
        d->stage_state[stage] = STAGE_MERGED;
        d->stage_end[stage] = d->last_in;
        if (d->su->settings->progress) {
            char name[128];
            stage_name(d, stage, name, sizeof name);
            say("stage %d %s done on rank %d (%s) in %.3f s", stage, name, rank,
                host_of(d, rank), seconds);
        }
    }
    return 0;
}

static void new_bound(dispatcher *d, double objective, int from)
{
    if (!(objective < d->bound))
        return;
    d->bound = objective;
    d->bound_at = ekm_now() - d->su->started;
    dist_exec_offer_bound(d->local, objective);
    for (int r = 1; r < d->su->ranks; r++)
        if (r != from)
            dist_send(r, DIST_TAG_BOUND, &objective, sizeof objective);
}

static int handle_message(dispatcher *d, dist_msg *m)
{
    int r = m->source;
    switch (m->tag) {
    case DIST_TAG_DONE: {
        dist_done_header h;
        if (m->len < sizeof h)
            break;
        memcpy(&h, m->data, sizeof h);
        ekm_checkpoint *ck;
        char msg[768];
        if (dist_decode(m->data + sizeof h, m->len - sizeof h, &ck, msg, sizeof msg)) {
            snprintf(d->err, sizeof d->err, "rank %d (%s) sent a bad checkpoint: %s", r,
                     host_of(d, r), msg);
            return -1;
        }
        return task_done(d, r, h.task_id, ck, h.seconds);
    }
    case DIST_TAG_BOUND:
        if (m->len == sizeof(double)) {
            double b;
            memcpy(&b, m->data, sizeof b);
            new_bound(d, b, r);
            return 0;
        }
        break;
    case DIST_TAG_PROGRESS:
        if (m->len == sizeof(dist_progress_msg)) {
            dist_progress_msg p;
            memcpy(&p, m->data, sizeof p);
            d->rank[r].done_live = p.done;
            return 0;
        }
        break;
    case DIST_TAG_FAIL:
        snprintf(d->err, sizeof d->err, "rank %d (%s): %s", r, host_of(d, r),
                 m->len ? (const char *)m->data : "failed");
        return -1;
    default:
        break;
    }
    snprintf(d->err, sizeof d->err, "unexpected message (tag %d, %zu bytes) from rank %d (%s)",
             m->tag, m->len, r, host_of(d, r));
    return -1;
}

/* ---- progress -------------------------------------------------------------------------- */

static void print_progress(dispatcher *d, const char *phase)
{
    ekm_count total = ekm_count_binomial(ekm_dissim_n(d->su->dm), d->su->solve.k, NULL);
    ekm_count done = d->master ? ekm_checkpoint_done(d->master) : 0;
    d->rank[0].done_live = d->local ? dist_exec_done(d->local) : 0;
    for (int r = 0; r < d->su->ranks; r++)
        done += d->rank[r].done_live;
    char line[4096], c1[COUNT_TEXT_MAX], c2[COUNT_TEXT_MAX], c3[COUNT_TEXT_MAX],
        c4[COUNT_TEXT_MAX];
    int o = snprintf(line, sizeof line, "%s %5.1f%% %s", phase,
                     total ? 100.0 * (double)done / (double)total : 0.0,
                     format_count(c1, sizeof c1, done));
    if (total)
        o += snprintf(line + o, sizeof line - (size_t)o, " of %s",
                      format_count(c2, sizeof c2, total));
    o += snprintf(line + o, sizeof line - (size_t)o, " K-subsets, units %s of %s merged",
                  format_count(c3, sizeof c3,
                                d->master ? ekm_checkpoint_units_done(d->master) : 0),
                  format_count(c4, sizeof c4, d->units));
    if (isfinite(d->bound))
        o += snprintf(line + o, sizeof line - (size_t)o, ", best %.10g", d->bound);
    o += snprintf(line + o, sizeof line - (size_t)o, ", %.1f s", ekm_now() - d->su->started);
    for (int r = 0; r < d->su->ranks && (size_t)o < sizeof line - 80; r++)
        o += snprintf(line + o, sizeof line - (size_t)o, "; rank %d: %s in %u task%s, %.2f s",
                      r,
                      format_count(c1, sizeof c1,
                                    d->rank[r].done_finished + d->rank[r].done_live),
                      d->rank[r].tasks_done, d->rank[r].tasks_done == 1 ? "" : "s",
                      d->rank[r].busy_seconds);
    say("%s", line);
    d->printed = ekm_now();
}

/* ---- phases ---------------------------------------------------------------------------- */

static int other_message(void *ctx, dist_msg *m) { return handle_message(ctx, m); }

/* The root job's end, its full passes shared out by candidate blocks (relay not
 * NULL, dist_pass.c), the workers' messages handled meanwhile; 0, or -1 (d->err)
 * once the job has ended. */
static int root_wait(dispatcher *d, ekm_job *job, dist_relay *relay)
{
    int bad = 0;
    while (!ekm_job_done(job)) {
        if (relay && !bad) {
            if (dist_relay_serve(relay, d->su->dm, d->su->ranks, d->su->threads, 10,
                                 other_message, d, d->err, sizeof d->err) < 0)
                bad = 1; /* the engine thread was told: its job cancels itself */
        } else {
            ekm_job_wait_for(job, 0.01);
        }
        dist_msg m;
        while (!bad && dist_poll(MPI_ANY_SOURCE, &m)) {
            bad = handle_message(d, &m);
            dist_msg_free(&m);
            if (bad)
                ekm_job_cancel(job);
        }
        if (d->su->settings->progress && ekm_now() - d->printed >= 1.0)
            print_progress(d, "root phase");
    }
    return bad ? -1 : 0;
}

/* pruned: the root phase here, its checkpoint to every rank. Matrix-free, its
 * full passes go to every rank, each summing its own block of candidates. */
static int root_phase(dispatcher *d)
{
    ekm_solve_options opt = d->su->solve;
    opt.threads = d->su->threads;
    opt.root_only = 1;
    dist_relay *relay = NULL;
    if (d->su->ranks > 1 && !ekm_dissim_has_matrix(d->su->dm)) {
        if (!(relay = dist_relay_create()))
            return fail_all(d, 1, "out of memory");
        opt.rho_pass = dist_relay_hook;
        opt.rho_pass_ctx = relay;
    }
    ekm_job *job;
    ekm_error e;
    char msg[768];
    if (ekm_job_start(d->su->dm, &opt, &job, &e)) {
        dist_relay_destroy(relay);
        ekm_error_format(&e, msg, sizeof msg);
        return fail_all(d, 2, "%s", msg);
    }
    int bad = root_wait(d, job, relay);
    uint64_t passes = relay ? dist_relay_passes(relay) : 0;
    dist_relay_destroy(relay);
    if (bad) {
        ekm_job_free(job);
        return fail_all(d, 1, "%s", d->err);
    }
    /* the root job's own checkpoints: their root is known good here, so that the
     * tasks resuming it and the final job skip its check (a full pass) */
    if (ekm_job_status(job, &e) || ekm_job_checkpoint(job, EKM_CKPT_ALL, &d->root, &e) ||
        ekm_job_checkpoint(job, EKM_CKPT_ALL, &d->master, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        ekm_job_free(job);
        return fail_all(d, 1, "%s: root phase: %s", ekm_dissim_name(d->su->dm), msg);
    }
    ekm_job_free(job);
    uint8_t *bytes;
    size_t len;
    if (dist_encode(d->root, &bytes, &len, msg, sizeof msg))
        return fail_all(d, 1, "the root checkpoint: %s", msg);
    for (int r = 1; r < d->su->ranks; r++)
        dist_send(r, DIST_TAG_ROOT, bytes, len);
    free(bytes);
    dist_exec_set_resume(d->local, d->root);
    d->units = ekm_checkpoint_units(d->root);
    d->next_unit = 0;
    double best;
    uint32_t medoids[EKM_MAX_K];
    if (ekm_checkpoint_best(d->root, &best, medoids))
        new_bound(d, best, 0);
    if (d->su->settings->progress && opt.rho_pass)
        say("root phase done in %.3f s: %llu units, %llu full passes shared by candidate "
            "blocks over %d ranks", ekm_now() - d->su->started, (unsigned long long)d->units,
            (unsigned long long)passes, d->su->ranks);
    else if (d->su->settings->progress)
        say("root phase done in %.3f s: %llu units", ekm_now() - d->su->started,
            (unsigned long long)d->units);
    return 0;
}

static int plan_phase(dispatcher *d)
{
    ekm_error e;
    char msg[768];
    size_t n = ekm_dissim_n(d->su->dm);
    if (ekm_plan_units(n, d->su->solve.k, &d->su->solve, &d->units, d->first, EKM_MAX_STAGES,
                       &d->n_stages, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        return fail_all(d, 2, "%s: %s", ekm_dissim_name(d->su->dm), msg);
    }
    if (!d->su->staged)
        return 0;
    ekm_solve_options po = d->su->solve; /* the ranks' threads, 1 when not given */
    po.threads = po.threads ? po.threads : 1;
    if (ekm_solve_plan(n, &po, &d->plan, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        return fail_all(d, 2, "%s: %s", ekm_dissim_name(d->su->dm), msg);
    }
    if (d->plan->n_stages != d->n_stages)
        return fail_all(d, 1, "the plan has %d stages but its units say %d",
                        d->plan->n_stages, d->n_stages);
    for (int s = 0; s < d->n_stages; s++)
        d->stage_rank[s] = -1;
    return 0;
}

static int finished(const dispatcher *d)
{
    if (d->su->staged) {
        for (int s = 0; s < d->n_stages; s++)
            if (d->stage_state[s] != STAGE_MERGED)
                return 0;
        return 1;
    }
    if (d->next_unit < d->units)
        return 0;
    for (int r = 0; r < d->su->ranks; r++)
        if (d->rank[r].held)
            return 0;
    return 1;
}

/* Hand out, take back, forward, report — until every unit is merged. */
static int run_loop(dispatcher *d)
{
    int progress = d->su->settings->progress;
    while (!finished(d)) {
        if (d->su->staged ? hand_out_stages(d) : hand_out_blocks(d))
            return -1;
        int busy = 0;
        dist_msg m;
        while (dist_poll(MPI_ANY_SOURCE, &m)) {
            busy = 1;
            int bad = handle_message(d, &m);
            dist_msg_free(&m);
            if (bad)
                return -1;
        }
        dist_task t;
        ekm_checkpoint *ck;
        double seconds;
        int got;
        while ((got = dist_exec_poll(d->local, &t, &ck, &seconds, d->err, sizeof d->err)) == 1) {
            busy = 1;
            if (task_done(d, 0, t.id, ck, seconds))
                return -1;
        }
        if (got < 0)
            return -1;
        dist_exec_refresh(d->local);
        double best;
        if (d->su->solve.strategy == EKM_STRATEGY_PRUNED && dist_exec_best(d->local, &best))
            new_bound(d, best, 0);
        if (progress && ekm_now() - d->printed >= 1.0)
            print_progress(d, "running");
        if (!busy)
            dist_exec_wait(d->local, 1);
    }
    return 0;
}

/* The resumed job ran nothing: give its stages the times and ranks of the
 * distributed run, as rank 0 saw them (a stage's `thread` is the rank that ran it). */
static void record_stages(const dispatcher *d, ekm_result *r)
{
    for (int s = 0; s < r->n_stages; s++) {
        ekm_stage_progress *sp = &r->stages[s];
        if (!d->su->staged) {
            sp->start = 0;
            sp->end = d->last_in > 0 ? d->last_in : r->seconds;
            sp->thread = 0;
        } else if (s < d->n_stages && d->stage_rank[s] >= 0) {
            sp->start = d->stage_start[s];
            sp->end = d->stage_end[s];
            sp->thread = d->stage_rank[s];
        }
    }
}

/* Every unit is in the master: resume it (the job ends at once) and print. */
static int final_phase(dispatcher *d)
{
    const ui_settings *s = d->su->settings;
    ekm_solve_options opt = d->su->solve;
    opt.threads = d->su->threads;
    opt.resume = d->master;
    opt.unit_lo = opt.unit_hi = 0;
    opt.root_only = 0;
    ekm_job *job;
    ekm_error e;
    char msg[1024];
    if (d->master && ekm_checkpoint_units_done(d->master) != ekm_checkpoint_units(d->master)) {
        say("%s: only %llu of %llu units came back", ekm_dissim_name(d->su->dm),
            (unsigned long long)ekm_checkpoint_units_done(d->master),
            (unsigned long long)ekm_checkpoint_units(d->master));
        return 1;
    }
    if (ekm_job_start(d->su->dm, &opt, &job, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        say("%s: %s", ekm_dissim_name(d->su->dm), msg);
        return 1;
    }
    ekm_job_wait(job);
    if (ekm_job_status(job, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        say("%s: %s", ekm_dissim_name(d->su->dm), msg);
        ekm_job_free(job);
        return 1;
    }
    ekm_result *r = ekm_job_take_result(job);
    ekm_job_free(job);
    if (!r || !r->exact) {
        say("%s: the merged result is not proven optimal (an engine fault)",
            ekm_dissim_name(d->su->dm));
        ekm_result_free(r);
        return 1;
    }
    r->seconds = ekm_now() - d->su->started; /* the distributed wall time */
    record_stages(d, r);
    if (r->strategy == EKM_STRATEGY_PRUNED)
        r->incumbent_seconds = d->bound_at;
    if (s->progress)
        print_progress(d, "done");
    if (s->json)
        report_json(stdout, d->su->dm, r);
    else
        report_result(stdout, d->su->dm, r);
    int rc = 0;
    if (s->labels_out[0] &&
        report_write_labels(s->labels_out, d->su->dm, r, msg, sizeof msg)) {
        say("%s", msg);
        rc = 1;
    }
    if (s->out_data[0] && save_data_csv(s->out_data, d->su->dm, r, s->index_base, msg, sizeof msg)) {
        say("%s", msg);
        rc = 1;
    }
    if (fflush(stdout)) {
        say("writing the result failed");
        rc = 1;
    }
    ekm_result_free(r);
    return rc;
}

int dist_dispatch(const dist_setup *su)
{
    dispatcher *d = calloc(1, sizeof *d);
    if (!d) {
        say("out of memory");
        stop_workers(&(dispatcher){.su = su}, 1);
        return 1;
    }
    d->su = su;
    d->bound = INFINITY;
    d->printed = ekm_now();
    d->rank = calloc((size_t)su->ranks, sizeof *d->rank);
    d->local = dist_exec_create(su->dm, &su->solve, su->slots[0], su->staged ? 1 : su->threads);
    int rc;
    if (!d->rank || !d->local) {
        rc = fail_all(d, 1, "out of memory");
        goto out;
    }
    for (int r = 0; r < su->ranks; r++) /* blocks: one running and one queued */
        d->rank[r].capacity = su->staged ? su->slots[r] : su->slots[r] + 1;
    rc = su->solve.strategy == EKM_STRATEGY_PRUNED ? root_phase(d) : plan_phase(d);
    if (rc)
        goto out;
    if (run_loop(d)) {
        rc = fail_all(d, 1, "%s", d->err);
        goto out;
    }
    stop_workers(d, 0);
    dist_exec_destroy(d->local);
    d->local = NULL;
    rc = final_phase(d);
out:
    dist_exec_destroy(d->local);
    ekm_plan_free(d->plan);
    ekm_checkpoint_free(d->master);
    ekm_checkpoint_free(d->root);
    free(d->task);
    free(d->rank);
    free(d);
    return rc;
}
