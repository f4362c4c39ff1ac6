/* dist_worker.c — ranks 1..R-1: take tasks from rank 0, run them as engine jobs,
 * send back what they finished, share incumbents and progress, stop when told. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "mpi/dist_solve.h"

/* Tell rank 0 what went wrong, then wait for its STOP (it prints the line and
 * ends every rank); if it never comes, abort the whole job rather than hang. */
static int worker_fail(const char *message)
{
    dist_send(0, DIST_TAG_FAIL, message, strlen(message) + 1);
    double until = ekm_now() + 30;
    while (ekm_now() < until) {
        dist_msg m;
        if (dist_poll(0, &m)) {
            int stop = m.tag == DIST_TAG_STOP;
            dist_msg_free(&m);
            if (stop)
                return 1;
        } else {
            dist_nap();
        }
    }
    fprintf(stderr, "ekm-mpi: %s (rank 0 did not answer; aborting)\n", message);
    MPI_Abort(MPI_COMM_WORLD, 1);
    return 1;
}

/* Send a finished task: its header and its checkpoint's bytes in one message. */
static int send_done(const dist_task *t, const ekm_checkpoint *ck, double seconds, char *err,
                     size_t errsize)
{
    uint8_t *bytes;
    size_t len;
    if (dist_encode(ck, &bytes, &len, err, errsize))
        return -1;
    dist_done_header h = {.task_id = t->id, .seconds = seconds};
    uint8_t *msg = malloc(sizeof h + len);
    if (!msg) {
        free(bytes);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    memcpy(msg, &h, sizeof h);
    memcpy(msg + sizeof h, bytes, len);
    dist_send(0, DIST_TAG_DONE, msg, sizeof h + len);
    free(msg);
    free(bytes);
    return 0;
}

int dist_worker(const dist_setup *su)
{
    dist_exec *x = dist_exec_create(su->dm, &su->solve, su->slots[su->rank],
                                    su->staged ? 1 : su->threads);
    if (!x)
        return worker_fail("out of memory");
    ekm_checkpoint *root = NULL;
    ekm_rho_cache *rows = NULL; /* the rows of this rank's block of candidates */
    double known = INFINITY, reported = -1;
    int code = -1;
    char err[1024];
    err[0] = '\0';
    while (code < 0 && !err[0]) {
        int busy = 0;
        dist_msg m;
        while (code < 0 && !err[0] && dist_poll(0, &m)) {
            busy = 1;
            if (m.tag == DIST_TAG_ROOT) {
                ekm_error e;
                /* checked once here (a full pass), not by every task resuming it */
                if (!root && dist_decode(m.data, m.len, &root, err, sizeof err) == 0) {
                    if (ekm_checkpoint_verify(root, su->dm, su->threads, &e))
                        ekm_error_format(&e, err, sizeof err);
                    else
                        dist_exec_set_resume(x, root);
                }
            } else if (m.tag == DIST_TAG_ASSIGN && m.len == sizeof(dist_assign_msg)) {
                dist_assign_msg a;
                memcpy(&a, m.data, sizeof a);
                if (a.bound < known) {
                    known = a.bound;
                    dist_exec_offer_bound(x, known);
                }
                if (dist_exec_submit(x, &a.task))
                    snprintf(err, sizeof err, "out of memory");
            } else if (m.tag == DIST_TAG_BOUND && m.len == sizeof(double)) {
                double b;
                memcpy(&b, m.data, sizeof b);
                if (b < known) {
                    known = b;
                    dist_exec_offer_bound(x, known);
                }
            } else if (m.tag == DIST_TAG_PASS) { /* the root's pass: this rank's block */
                dist_pass_answer(&m, su->dm, su->threads, &rows, err, sizeof err);
            } else if (m.tag == DIST_TAG_STOP && m.len == sizeof(dist_stop_msg)) {
                dist_stop_msg s;
                memcpy(&s, m.data, sizeof s);
                code = s.code;
            } else {
                snprintf(err, sizeof err, "unexpected message (tag %d, %zu bytes) from rank 0",
                         m.tag, m.len);
            }
            dist_msg_free(&m);
        }
        if (code >= 0 || err[0])
            break;
        dist_task t;
        ekm_checkpoint *ck;
        double seconds;
        int got;
        while ((got = dist_exec_poll(x, &t, &ck, &seconds, err, sizeof err)) == 1) {
            busy = 1;
            int bad = send_done(&t, ck, seconds, err, sizeof err);
            ekm_checkpoint_free(ck);
            if (bad)
                break;
        }
        if (got < 0 || err[0])
            break;
        dist_exec_refresh(x);
        double best;
        if (su->solve.strategy == EKM_STRATEGY_PRUNED && dist_exec_best(x, &best) &&
            best < known) {
            known = best;
            dist_send(0, DIST_TAG_BOUND, &known, sizeof known);
        }
        if (su->settings->progress && ekm_now() - reported >= 0.5) {
            reported = ekm_now();
            dist_progress_msg p = {.done = dist_exec_done(x), .running = dist_exec_running(x)};
            dist_send(0, DIST_TAG_PROGRESS, &p, sizeof p);
        }
        if (!busy)
            dist_exec_wait(x, 1);
    }
    dist_exec_destroy(x);
    ekm_checkpoint_free(root);
    ekm_rho_cache_free(rows);
    if (err[0] && code < 0)
        return worker_fail(err);
    return code;
}
