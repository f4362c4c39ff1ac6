/* repl_cmd_settings.c — `set NAME VALUE` and `show`, through the shared option
 * table (common/settings.h), so names and checks are the batch CLI's. */
#include <string.h>

#include "common/matrix_mode.h"
#include "common/suggest.h"
#include "repl/repl_internal.h"

static int settable(const settings_option *o)
{
    return o && o->arg &&
           (((o->groups & (OPT_SOLVE | OPT_DATA)) && strcmp(o->name, "--dissimilarity") != 0) ||
            strcmp(o->name, "--silhouette-sample") == 0);
}

const settings_option *repl_setting_find(const char *name)
{
    const settings_option *o = NULL;
    if (name[0] == '-')
        o = settings_find(name);
    else {
        char dashed[80];
        snprintf(dashed, sizeof dashed, "--%.72s", name);
        o = settings_find(dashed);
    }
    return settable(o) ? o : NULL;
}

/* The settable name closest to `name` (as `set` spells it: "k", "strategy"). */
static const char *setting_suggest(const char *name)
{
    while (*name == '-')
        name++;
    suggest sg;
    suggest_init(&sg, name, 1);
    for (size_t i = 0; i < settings_option_count; i++)
        if (settable(&settings_options[i]))
            suggest_offer(&sg, settings_options[i].name + 2, NULL);
    return suggest_best(&sg);
}

static void setting_names(char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < settings_option_count && o < size; i++)
        if (settable(&settings_options[i]))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
                                  settings_options[i].name + 2);
}

void repl_setting_value(const ui_settings *st, const settings_option *o, char *buf, size_t size)
{
    const char *n = o->name;
    if (!strcmp(n, "--k"))
        snprintf(buf, size, "%u", st->solve.k);
    else if (!strcmp(n, "--strategy"))
        snprintf(buf, size, "%s", st->strategy_auto ? "auto" : ekm_strategy_name(st->solve.strategy));
    else if (!strcmp(n, "--standardize"))
        snprintf(buf, size, "%s", ekm_standardize_name(st->standardize));
    else if (!strcmp(n, "--index-base"))
        snprintf(buf, size, "%u", st->index_base);
    else if (!strcmp(n, "--threads"))
        snprintf(buf, size, "%u", st->solve.threads);
    else if (!strcmp(n, "--partitions"))
        snprintf(buf, size, "%u", st->solve.partitions);
    else if (!strcmp(n, "--leaf"))
        snprintf(buf, size, "%u", st->solve.leaf);
    else if (!strcmp(n, "--seed"))
        snprintf(buf, size, "%llu", (unsigned long long)st->solve.seed);
    else if (!strcmp(n, "--restarts"))
        snprintf(buf, size, "%u", st->solve.restarts ? st->solve.restarts : 1);
    else if (!strcmp(n, "--metric"))
        snprintf(buf, size, "%s", ekm_metric_name(st->metric));
    else if (!strcmp(n, "--label-column"))
        snprintf(buf, size, "%s",
                 st->csv.label == EKM_LABEL_LAST   ? "last"
                 : st->csv.label == EKM_LABEL_NONE ? "none"
                                                   : "auto");
    else if (!strcmp(n, "--missing"))
        snprintf(buf, size, "%s", st->csv.missing == EKM_MISSING_DROP ? "drop" : "refuse");
    else if (!strcmp(n, "--separator"))
        snprintf(buf, size, "%s",
                 st->csv.separator == ','    ? "comma"
                 : st->csv.separator == ';'  ? "semicolon"
                 : st->csv.separator == '\t' ? "tab"
                 : st->csv.separator == ' '  ? "space"
                                             : "auto");
    else if (!strcmp(n, "--matrix"))
        snprintf(buf, size, "%s", matrix_mode_name(st->matrix));
    else if (!strcmp(n, "--silhouette-sample") && st->silhouette_sample == SETTINGS_SILHOUETTE_ALL)
        snprintf(buf, size, "all");
    else if (!strcmp(n, "--silhouette-sample") && st->silhouette_sample)
        snprintf(buf, size, "%zu", st->silhouette_sample);
    else if (!strcmp(n, "--silhouette-sample"))
        snprintf(buf, size, "auto");
    else
        snprintf(buf, size, "?");
}

int repl_cmd_set(repl_session *s, int argc, char **argv)
{
    char names[256];
    setting_names(names, sizeof names);
    char name[72];
    const char *value;
    if (argc == 2 && strchr(argv[1], '=')) {
        const char *eq = strchr(argv[1], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq - argv[1]), argv[1]);
        value = eq + 1;
    } else if (argc == 3) {
        snprintf(name, sizeof name, "%s", argv[1]);
        value = argv[2];
    } else if (argc == 2) {
        const settings_option *o = repl_setting_find(argv[1]);
        if (o)
            return repl_error(s, REPL_USAGE, "set %s needs a value (%s)", o->name + 2, o->arg);
        return repl_error(s, REPL_USAGE, "usage: set NAME VALUE, NAME one of %s", names);
    } else {
        return repl_error(s, REPL_USAGE, "usage: set NAME VALUE, NAME one of %s", names);
    }
    const settings_option *o = repl_setting_find(name);
    if (!o) {
        const char *sug = setting_suggest(name);
        if (sug)
            return repl_error(s, REPL_USAGE, "set: unknown setting '%s' (did you mean '%s'?)",
                              name, sug);
        return repl_error(s, REPL_USAGE, "set: unknown setting '%s'; one of %s", name, names);
    }
    ui_settings next = s->ws.settings;
    char err[512];
    if (o->apply(&next, value, err, sizeof err))
        return repl_error(s, REPL_USAGE, "set: %s", err);
    char shown[64];
    if (!strcmp(o->name, "--metric")) {
        int rebuild = s->ws.dm && ekm_dissim_metric(s->ws.dm) != next.metric;
        if (workspace_set_metric(&s->ws, next.metric, err, sizeof err))
            return repl_error(s, REPL_FAIL, "set metric: %s", err);
        repl_setting_value(&s->ws.settings, o, shown, sizeof shown);
        if (rebuild) {
            char data[256];
            repl_note(s, "metric=%s (the matrix of %s was rebuilt)", shown,
                      workspace_data_name(&s->ws, data, sizeof data));
            return REPL_OK;
        }
    } else if (!strcmp(o->name, "--standardize")) {
        int rebuild = s->ws.dm && ekm_dissim_dataset(s->ws.dm) &&
                      ekm_dataset_standardization(ekm_dissim_dataset(s->ws.dm)) != next.standardize;
        if (workspace_set_standardize(&s->ws, next.standardize, err, sizeof err))
            return repl_error(s, REPL_FAIL, "set standardize: %s", err);
        repl_setting_value(&s->ws.settings, o, shown, sizeof shown);
        if (rebuild) {
            char data[256];
            repl_note(s, "standardize=%s (the matrix of %s was rebuilt)", shown,
                      workspace_data_name(&s->ws, data, sizeof data));
            return REPL_OK;
        }
    } else {
        s->ws.settings = next;
    }
    repl_setting_value(&s->ws.settings, o, shown, sizeof shown);
    repl_note(s, "%s=%s", o->name + 2, shown);
    if (!strcmp(o->name, "--k") && s->ws.dm && next.solve.k > ekm_dissim_n(s->ws.dm))
        repl_note(s, "note: K=%u exceeds the %zu points loaded", next.solve.k,
                  ekm_dissim_n(s->ws.dm));
    return REPL_OK;
}

int repl_cmd_show(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "show takes no arguments");
    char data[256];
    if (s->ws.dm)
        fprintf(s->out, "%-13s %s (N=%zu, %s)\n", "data",
                workspace_data_name(&s->ws, data, sizeof data),
                ekm_dissim_n(s->ws.dm), ekm_metric_name(ekm_dissim_metric(s->ws.dm)));
    else
        fprintf(s->out, "%-13s %s\n", "data", "none loaded");
    for (size_t i = 0; i < settings_option_count; i++) {
        const settings_option *o = &settings_options[i];
        if (!settable(o))
            continue;
        char value[64];
        repl_setting_value(&s->ws.settings, o, value, sizeof value);
        fprintf(s->out, "%-13s %-12s %s%s%s\n", o->name + 2, value, repl_color(s, REPL_DIM),
                o->help, repl_color(s, REPL_RESET));
    }
    fflush(s->out);
    return REPL_OK;
}
