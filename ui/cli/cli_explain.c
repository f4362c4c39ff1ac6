/* cli_explain.c — `ekm explain`: a strategy's plan of stages without running it,
 * the teaching view. Every stage with its exact work (K-subsets), its share of
 * C(N,K), the critical path, the bound (min(T, total / critical path)), and the
 * makespan and speedup the stage totals give on T threads. The numbers are the
 * engine's own plan (ekm_solve_plan), the same a run reports in
 * `ekm solve --json`; --json prints them under the same names. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/json.h"
#include "common/load_report.h"
#include "common/settings.h"
#include "ekm/plan.h"

const char cli_explain_help[] =
    "usage: ekm explain [--strategy S|all] -k K --n N [--threads T|T1,T2,...]\n"
    "                   [--partitions P | --leaf L] [--json]\n"
    "Prints the plan of an exact strategy for N points and K medoids without running\n"
    "it: the stages as a tree (leaves own an index range; a merge evaluates the\n"
    "K-subsets that take points from both of its children), the exact work of each,\n"
    "its share of C(N,K), the critical path, the bound on T threads (min(T, total\n"
    "work / critical path)) and the makespan and speedup its stage totals give.\n"
    "--strategy all and/or a list of threads (--threads 1,2,4,8): every strategy's\n"
    "predicted speedup at every T side by side, with the plan figures and the limits\n"
    "of par1 and par2 (--json: {\"rows\": [...]}).\n"
    "\n"
    "options:\n";

/* --n and --json are explain's own; the others are the shared solve options, with
 * explain's wording */
const command_option cli_explain_options[] = {
    {"--n", NULL, "N", COMMAND_VALUE_INT, "number of points", NULL},
    {"--k", "-k", "K", COMMAND_VALUE_INT, "number of medoids (default 3)", NULL},
    {"--strategy", "-s", "S", COMMAND_VALUE_STRATEGY,
     "seq (default) split par1 par2 tree fused pruned", command_exact_strategy_names},
    {"--threads", "-t", "T", COMMAND_VALUE_INT,
     "threads the plan is scheduled on (default: the cores)", NULL},
    {"--partitions", "-p", "P", COMMAND_VALUE_INT, "tree: number of leaves (default 2 x threads)",
     NULL},
    {"--leaf", NULL, "L", COMMAND_VALUE_INT, "tree: leaf length (instead of -p)", NULL},
    {"--json", NULL, NULL, COMMAND_VALUE_NONE, "one JSON object (the names of `ekm solve --json`)",
     NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

/* Heaviest chain below (and including) stage s; marks it in on_path when mark is set. */
static ekm_count chain(const ekm_plan *p, int s, char *on_path, int mark)
{
    const ekm_stage_spec *st = &p->stages[s];
    ekm_count best = 0;
    int arg = -1;
    for (int c = 0; c < 2; c++)
        if (st->child[c] >= 0) {
            ekm_count v = chain(p, st->child[c], NULL, 0);
            if (arg < 0 || v > best) {
                best = v;
                arg = st->child[c];
            }
        }
    if (mark) {
        on_path[s] = 1;
        if (arg >= 0)
            chain(p, arg, on_path, 1);
    }
    return best + st->total;
}

static int root_of(const ekm_plan *p)
{
    for (int s = 0; s < p->n_stages; s++)
        if (p->stages[s].parent < 0)
            return s;
    return 0;
}

static void stage_label(const ekm_stage_spec *st, char *buf, size_t size)
{
    if (st->kind == EKM_STAGE_MERGE)
        snprintf(buf, size, "merge [%u,%u)+[%u,%u)", st->lo, st->mid, st->mid, st->hi);
    else
        snprintf(buf, size, "%s [%u,%u)", ekm_stage_kind_name(st->kind), st->lo, st->hi);
}

static void stage_formula(const ekm_stage_spec *st, unsigned k, char *buf, size_t size)
{
    if (st->kind == EKM_STAGE_MERGE)
        snprintf(buf, size, "C(%u,%u) - C(%u,%u) - C(%u,%u)", st->hi - st->lo, k,
                 st->mid - st->lo, k, st->hi - st->mid, k);
    else
        snprintf(buf, size, "C(%u,%u)", st->hi - st->lo, k);
}

typedef struct tree_out {
    FILE *out;
    const ekm_plan *p;
    const char *on_path;
    int utf8;
    int label_width;
} tree_out;

static void print_stage(const tree_out *t, int s, char *prefix, size_t plen, int last, int top)
{
    const ekm_stage_spec *st = &t->p->stages[s];
    char label[96], formula[96], cnt[COUNT_TEXT_MAX], line[512];
    stage_label(st, label, sizeof label);
    stage_formula(st, t->p->k, formula, sizeof formula);
    const char *branch = top ? "" : last ? (t->utf8 ? "└─ " : "`- ") : (t->utf8 ? "├─ " : "|- ");
    snprintf(line, sizeof line, "%s%s#%d %s", prefix, branch, st->id, label);
    /* pad by display width (the branch glyphs are 3 bytes, 1 column) */
    size_t w = 0;
    for (const unsigned char *c = (const unsigned char *)line; *c; c++)
        w += (*c & 0xC0) != 0x80;
    double share = t->p->total ? 100.0 * (double)st->total / (double)t->p->total : 0;
    fprintf(t->out, "%s%*s %18s %6.1f %%  %s  %s\n", line,
            (int)(t->label_width > (int)w ? t->label_width - (int)w : 0), "",
            format_count(cnt, sizeof cnt, st->total), share, t->on_path[s] ? "*" : " ",
            formula);
    if (st->child[0] < 0)
        return;
    size_t add = top ? 0 : 3;
    if (plen + add + 8 >= 256)
        return;
    char saved[256];
    memcpy(saved, prefix, plen + 1);
    if (!top) {
        const char *cont = last ? "   " : (t->utf8 ? "│  " : "|  ");
        strcat(prefix, cont);
    }
    size_t nl = strlen(prefix);
    for (int c = 0; c < 2; c++)
        print_stage(t, st->child[c], prefix, nl, c == 1, 0);
    memcpy(prefix, saved, plen + 1);
}

static void print_text(FILE *out, const ekm_plan *p, const char *on_path, int utf8)
{
    char a[COUNT_TEXT_MAX], b[COUNT_TEXT_MAX];
    fprintf(out, "plan of %s for N=%zu, K=%u on %u thread%s: %d stage%s, C(%zu,%u) = %s K-subsets\n",
            ekm_strategy_name(p->strategy), p->n, p->k, p->threads, p->threads == 1 ? "" : "s",
            p->n_stages, p->n_stages == 1 ? "" : "s", p->n, p->k,
            format_count(a, sizeof a, p->total));
    if (p->strategy == EKM_STRATEGY_SEQ || p->strategy == EKM_STRATEGY_SPLIT)
        fprintf(out, "(%s is a one-thread plan: it runs on one thread whatever --threads says)\n",
                ekm_strategy_name(p->strategy));
    /* the widest label decides the column */
    int width = 24;
    for (int s = 0; s < p->n_stages; s++) {
        char label[96];
        stage_label(&p->stages[s], label, sizeof label);
        int depth = 0;
        for (int q = p->stages[s].parent; q >= 0; q = p->stages[q].parent)
            depth++;
        int w = (int)strlen(label) + 6 + 3 * depth;
        if (w > width)
            width = w;
    }
    fprintf(out, "\n%-*s %18s %8s  %s  %s\n", width, "stage", "work (K-subsets)", "share",
            "cp", "work formula");
    char prefix[256] = "";
    tree_out t = {out, p, on_path, utf8, width};
    print_stage(&t, root_of(p), prefix, 0, 1, 1);
    fprintf(out, "\n");
    if (p->stages[0].kind == EKM_STAGE_LEAF || p->stages[0].kind == EKM_STAGE_MERGE) {
        fprintf(out, "critical path (cp, the heaviest chain from a leaf to the root): ");
        int first = 1;
        for (int s = 0; s < p->n_stages; s++)
            if (on_path[s]) {
                fprintf(out, "%s#%d", first ? "" : (utf8 ? " → " : " -> "), s);
                first = 0;
            }
        fprintf(out, " = %s K-subsets (%.1f %% of the work)\n",
                format_count(a, sizeof a, p->critical_path),
                p->total ? 100.0 * (double)p->critical_path / (double)p->total : 0);
        fprintf(out,
                "A merge waits for both of its children and runs as one task on one thread, so "
                "no number of threads finishes before the critical path does.\n");
    } else {
        fprintf(out,
                "one shared stage: the K-subsets are cut into small chunks (a first element and "
                "a run of second elements) that every thread takes from; nothing waits.\n"
                "critical path: the largest chunk, %s K-subsets (%.4f %% of the work)\n",
                format_count(a, sizeof a, p->critical_path),
                p->total ? 100.0 * (double)p->critical_path / (double)p->total : 0);
        if (p->strategy == EKM_STRATEGY_PRUNED)
            fprintf(out, "pruned: the work shown is the enumeration's; bounds discard part of it "
                         "while it runs, so a run evaluates fewer K-subsets.\n");
    }
    fprintf(out, "bound on %u thread%s (min(T, total / critical path)): %.4f×\n", p->threads,
            p->threads == 1 ? "" : "s", p->amdahl_bound);
    fprintf(out, "makespan on %u thread%s (%s): %s K-subsets\n", p->threads,
            p->threads == 1 ? "" : "s",
            p->stages[0].kind == EKM_STAGE_SHARED
                ? "the work shared evenly, never less than the largest chunk"
                : "stage totals list-scheduled: a free thread takes the lowest-id ready stage",
            format_count(b, sizeof b, (ekm_count)p->makespan));
    fprintf(out, "predicted speedup on %u thread%s: %.4f× (efficiency %.1f %%)\n", p->threads,
            p->threads == 1 ? "" : "s", p->predicted_speedup,
            100.0 * p->predicted_speedup / p->threads);
}

static void print_json(FILE *out, const ekm_plan *p, const char *on_path)
{
    json_writer w;
    json_begin(&w, out);
    json_object_open(&w, NULL);
    json_string(&w, "strategy", ekm_strategy_name(p->strategy));
    json_uint(&w, "n", p->n);
    json_uint(&w, "k", p->k);
    json_uint(&w, "threads", p->threads);
    json_count(&w, "total", p->total);
    json_double(&w, "amdahl_bound", p->amdahl_bound);
    json_double(&w, "plan_makespan", p->makespan);
    json_count(&w, "critical_path", p->critical_path);
    json_double(&w, "predicted_speedup", p->predicted_speedup);
    json_array_open(&w, "stages");
    for (int s = 0; s < p->n_stages; s++) {
        const ekm_stage_spec *st = &p->stages[s];
        json_object_open(&w, NULL);
        json_int(&w, "id", st->id);
        json_string(&w, "kind", ekm_stage_kind_name(st->kind));
        json_int(&w, "parent", st->parent);
        if (st->kind == EKM_STAGE_MERGE) {
            json_array_open(&w, "children");
            json_int(&w, NULL, st->child[0]);
            json_int(&w, NULL, st->child[1]);
            json_array_close(&w);
            json_array_open(&w, "a");
            json_uint(&w, NULL, st->lo);
            json_uint(&w, NULL, st->mid);
            json_array_close(&w);
            json_array_open(&w, "b");
            json_uint(&w, NULL, st->mid);
            json_uint(&w, NULL, st->hi);
            json_array_close(&w);
        }
        json_uint(&w, "lo", st->lo);
        json_uint(&w, "hi", st->hi);
        json_count(&w, "total", st->total);
        json_int(&w, "depth", st->depth);
        json_double(&w, "share", p->total ? (double)st->total / (double)p->total : 0);
        json_bool(&w, "critical", on_path[s]);
        json_object_close(&w);
    }
    json_array_close(&w);
    json_object_close(&w);
    json_end(&w);
}

int cli_explain_parse(ui_settings *s, unsigned long long *n, int *json, int argc, char **argv)
{
    /* --n and --json are explain's own; the rest is the shared solve table */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return CLI_FAIL;
    int nrest = 0;
    const char *nval = NULL;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            *json = 1;
        } else if (!strcmp(argv[i], "--n") || !strcmp(argv[i], "-n")) {
            if (i + 1 >= argc) {
                free(rest);
                return cli_usage_error("explain: --n needs a value (N)");
            }
            nval = argv[++i];
        } else if (!strncmp(argv[i], "--n=", 4)) {
            nval = argv[i] + 4;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    char err[512];
    const char *pos[1];
    int npos;
    int bad = settings_parse_argv(s, OPT_SOLVE, nrest, rest, 1, pos, 1, &npos, err, sizeof err);
    free(rest);
    if (bad)
        return cli_usage_error("explain: %s", err);
    if (npos)
        return cli_usage_error("explain: unexpected argument '%s' (explain needs no data; give "
                               "--n N)",
                               pos[0]);
    if (!nval && !*n)
        return cli_usage_error("explain: say how many points with --n N");
    if (nval && settings_parse_uint("--n", nval, 1, UINT32_MAX - 64, n, err, sizeof err))
        return cli_usage_error("explain: %s", err);
    return CLI_OK;
}

int cli_explain_run(const ui_settings *s, unsigned long long n, int json, FILE *out)
{
    char err[512];
    if (!ekm_strategy_is_exact(s->solve.strategy))
        return cli_usage_error("explain: %s is a heuristic; explain shows the plans of the exact "
                               "strategies (seq, split, par1, par2, tree, fused, pruned)",
                               ekm_strategy_name(s->solve.strategy));
    if (s->solve.partitions && s->solve.leaf)
        return cli_usage_error("explain: give --partitions or --leaf, not both");
    ekm_plan *plan;
    ekm_error e;
    if (ekm_solve_plan((size_t)n, &s->solve, &plan, &e)) {
        ekm_error_format(&e, err, sizeof err);
        return cli_usage_error("explain: %s", err);
    }
    char *on_path = calloc((size_t)plan->n_stages, 1);
    if (!on_path) {
        ekm_plan_free(plan);
        return CLI_FAIL;
    }
    int root = root_of(plan);
    if (plan->stages[root].kind != EKM_STAGE_SHARED)
        chain(plan, root, on_path, 1);
    const char *lang = getenv("LANG");
    int utf8 = lang && (strstr(lang, "UTF-8") || strstr(lang, "utf8"));
    if (json)
        print_json(out, plan, on_path);
    else
        print_text(out, plan, on_path, utf8);
    free(on_path);
    ekm_plan_free(plan);
    return fflush(out) ? CLI_FAIL : CLI_OK;
}

int cli_explain(const command_args *a)
{
    ui_settings s = *a->settings; /* --threads 0: all cores */
    /* the teaching view: a plan of stages is seq's by default, not auto's one shared stage */
    s.solve.strategy = EKM_STRATEGY_SEQ;
    s.strategy_auto = 0;
    unsigned long long n = 0;
    int json = 0, handled;
    int rc = cli_explain_table(a->argc, a->argv, 0, &handled, a->out);
    if (handled)
        return rc;
    rc = cli_explain_parse(&s, &n, &json, a->argc, a->argv);
    return rc != CLI_OK ? rc : cli_explain_run(&s, n, json, a->out);
}
