/* repl_internal.h — shared by the REPL's own files only (not a public header):
 * the command handlers of the table, Ctrl-C handling and the blocking wait. */
#ifndef EKM_UI_REPL_INTERNAL_H
#define EKM_UI_REPL_INTERNAL_H

#include "repl/repl.h"

/* ---- handlers of the command table (repl_commands.c) ---- */
int repl_cmd_load(repl_session *s, int argc, char **argv);
int repl_cmd_gen(repl_session *s, int argc, char **argv);
int repl_cmd_info(repl_session *s, int argc, char **argv);
int repl_cmd_set(repl_session *s, int argc, char **argv);
int repl_cmd_show(repl_session *s, int argc, char **argv);
int repl_cmd_run(repl_session *s, int argc, char **argv);
int repl_cmd_status(repl_session *s, int argc, char **argv);
int repl_cmd_wait(repl_session *s, int argc, char **argv);
int repl_cmd_cancel(repl_session *s, int argc, char **argv);
int repl_cmd_result(repl_session *s, int argc, char **argv);
int repl_cmd_save(repl_session *s, int argc, char **argv);
int repl_cmd_compare(repl_session *s, int argc, char **argv);
int repl_cmd_sweep(repl_session *s, int argc, char **argv);
int repl_cmd_history(repl_session *s, int argc, char **argv);
int repl_cmd_plot(repl_session *s, int argc, char **argv);
int repl_cmd_help(repl_session *s, int argc, char **argv);
int repl_cmd_quit(repl_session *s, int argc, char **argv);
int repl_cmd_tui(repl_session *s, int argc, char **argv);
int repl_cmd_bench(repl_session *s, int argc, char **argv);
int repl_cmd_explain(repl_session *s, int argc, char **argv);
int repl_cmd_unavailable(repl_session *s, int argc, char **argv);
int repl_cmd_resume(repl_session *s, int argc, char **argv);
/* `help NAME` (and `NAME --help`): the synopsis, the long text, the options. */
int repl_print_help(repl_session *s, const repl_command *c);

/* ---- checkpoints of the session's job (repl_cmd_job.c) ---- */
/* Save the checkpointed job's work when --every seconds have passed (cheap
 * otherwise; nothing when no job is checkpointed). */
void repl_checkpoint_tick(repl_session *s);
/* The checkpointed job has ended (or the session ends: it was cancelled): wait
 * for it, save its last checkpoint and say so in a note. */
void repl_checkpoint_finish(repl_session *s);

/* ---- Ctrl-C and friends (repl_signal.c) ----
 * SIGINT never kills the session: the handler counts it and wakes the main loop
 * through a pipe; the loop (or a blocking command) decides what it means. */
void repl_signals_install(void);
void repl_signals_restore(void);
/* Take the pending Ctrl-C presses (and clear them): the number since the last call. */
int repl_take_interrupt(void);
/* 1 when SIGTERM or SIGHUP asked the session to end. */
int repl_termination_requested(void);
/* 1 when the terminal was resized since the last call. */
int repl_take_resize(void);
/* Read end of the wake-up pipe (readable after a signal), or -1. Drain it with
 * repl_signal_drain. */
int repl_signal_fd(void);
void repl_signal_drain(void);

/* ---- jobs (repl_cmd_job.c) ---- */
/* Block until job ends: Ctrl-C cancels it; on a terminal a live line shows its
 * progress. Returns 1 when Ctrl-C was pressed. */
int repl_wait_job(repl_session *s, ekm_job *job);

/* ---- a benchmark in the background (repl_bench.c) ----
 * `bench` starts it (in s->ws.bench) and returns at once; its cells enter the
 * history as they finish; when it ended, repl_bench_collect prints its report. */
struct bench_status;
/* Parse `bench ARGS` and start it in the background. Refuses while a job or a
 * benchmark runs. */
int repl_bench_start(repl_session *s, int argc, char **argv);
/* 1 when the benchmark has ended and waits for repl_bench_collect. */
int repl_bench_ended(repl_session *s);
/* Report an ended benchmark (tables, fits, --plot, a line saying how it ended) and
 * drop it. Returns REPL_OK, REPL_FAIL (stopped, failed, an output not written),
 * or -1 when no benchmark has ended. */
int repl_bench_collect(repl_session *s);
/* Block until the benchmark ends (Ctrl-C stops it; on a terminal a live line
 * shows it), then collect it. */
int repl_bench_wait(repl_session *s);
/* Stop it (the runs finished are kept), wait for the end and collect it. */
int repl_bench_cancel(repl_session *s);
/* `status` while a benchmark is there. */
int repl_bench_status(repl_session *s);
/* A descriptor readable once the benchmark has ended, or -1 without one. */
int repl_bench_fd(repl_session *s);
/* "[bench 5/12 par1 N=30 T=2 ETA 0:03]": runs done / all, the cell running, ETA. */
void repl_bench_badge(const struct bench_status *st, int stopping, char *buf, size_t size);
/* The prompt with the benchmark's indicator in front; 0 (buf untouched) without one. */
int repl_bench_prompt(repl_session *s, char *buf, size_t size);

/* ---- the terminal (repl_terminal.c) ---- */
/* Ask a y/n question on the terminal (the answer is read from stdin); 1 for yes,
 * also when stdin ends; 0 for no or Ctrl-C. */
int repl_ask(repl_session *s, const char *question);

/* ---- plot (repl_cmd_plot.c) ---- */
/* After a job: show its result in the plot window when one is open. */
void repl_plot_refresh(repl_session *s);
/* While a job runs, redraw the open plot window with its best medoids so far. */
void repl_plot_live(repl_session *s);
/* What the plot window has to tell, once (an X error ignored, the X connection
 * lost): 1 with the message, else 0. */
int repl_plot_take_note(repl_session *s, char *note, size_t size);

/* ---- history and status, 80 columns wide (repl_tables.c) ---- */
void repl_print_history(repl_session *s);
struct progress_snap;
void repl_print_status(repl_session *s, const struct progress_snap *snap, int utf8);

/* A data set's short name: "iris" for "data/iris.csv". */
const char *repl_short_name(const char *path, char *buf, size_t size);

/* ANSI colour helpers: the sequence when s->color, else "". */
const char *repl_color(const repl_session *s, const char *ansi);
#define REPL_RESET "\033[0m"
#define REPL_BOLD "\033[1m"
#define REPL_RED "\033[31m"
#define REPL_GREEN "\033[32m"
#define REPL_YELLOW "\033[33m"
#define REPL_CYAN "\033[36m"
#define REPL_DIM "\033[2m"

#endif
