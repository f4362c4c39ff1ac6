/* command_complete.c — the shell completion of `ekm`, written from the batch
 * command table and the shared option table: commands, each command's options,
 * the values of an option (strategies, metrics, choices, file names) and the
 * positionals (file names or words). bash; zsh through its bash emulation. */
#include <string.h>

#include "command/command.h"

static void words(FILE *out, const char *const *list)
{
    for (const char *const *w = list; *w; w++)
        fprintf(out, "%s%s", w == list ? "" : " ", *w);
}

/* The case branch that completes the value of an option of this kind. */
static void value_branch(FILE *out, const char *alias, const char *name, const char *arg,
                         command_value kind, const char *const *choices)
{
    if (kind == COMMAND_VALUE_NONE)
        return;
    fprintf(out, "        %s%s%s)\n            ", alias ? alias : "", alias ? "|" : "", name);
    switch (kind) {
    case COMMAND_VALUE_STRATEGY:
        fputs("COMPREPLY=( $(compgen -W \"", out);
        words(out, choices ? choices : command_strategy_names);
        fputs("\" -- \"$cur\") )", out);
        break;
    case COMMAND_VALUE_STRATEGIES:
        fputs("_ekm_list \"all ", out);
        words(out, choices ? choices : command_exact_strategy_names);
        fputs("\"", out);
        break;
    case COMMAND_VALUE_METRIC:
        fputs("COMPREPLY=( $(compgen -W \"", out);
        words(out, choices ? choices : command_metric_names);
        fputs("\" -- \"$cur\") )", out);
        break;
    case COMMAND_VALUE_CHOICE: /* a LIST placeholder: several, separated by commas */
        fputs(arg && !strcmp(arg, "LIST") ? "_ekm_list \"" : "COMPREPLY=( $(compgen -W \"", out);
        if (choices)
            words(out, choices);
        fputs(arg && !strcmp(arg, "LIST") ? "\"" : "\" -- \"$cur\") )", out);
        break;
    case COMMAND_VALUE_FILE:
    case COMMAND_VALUE_OUTFILE: fputs("COMPREPLY=( $(compgen -f -- \"$cur\") )", out); break;
    default: /* a number or a text: nothing to offer */ fputs("COMPREPLY=()", out); break;
    }
    fputs("\n            return 0 ;;\n", out);
}

static void command_branch(FILE *out, const ui_command *c)
{
    fprintf(out, "    %s)\n        case $prev in\n", c->name);
    for (const command_option *o = c->options; o && o->name; o++)
        value_branch(out, o->alias, o->name, o->arg, o->kind, o->choices);
    for (size_t i = 0; i < settings_option_count; i++) {
        const settings_option *o = &settings_options[i];
        if (!(o->groups & c->groups))
            continue;
        int own = 0; /* an own option of the same name wins */
        for (const command_option *m = c->options; m && m->name; m++)
            own |= !strcmp(m->name, o->name);
        if (!own)
            value_branch(out, o->alias, o->name, o->arg, command_shared_kind(o), o->choices);
    }
    fputs("        esac\n        opts=\"", out);
    for (const command_option *o = c->options; o && o->name; o++)
        fprintf(out, "%s ", o->name);
    for (size_t i = 0; i < settings_option_count; i++) {
        const settings_option *o = &settings_options[i];
        int own = 0;
        for (const command_option *m = c->options; m && m->name; m++)
            own |= !strcmp(m->name, o->name);
        if ((o->groups & c->groups) && !own)
            fprintf(out, "%s ", o->name);
    }
    fputs("--help\"\n", out);
    if (c->max_pos > 0 &&
        (c->pos_kind == COMMAND_VALUE_FILE || c->pos_kind == COMMAND_VALUE_OUTFILE))
        fputs("        files=1\n", out);
    else if (c->max_pos > 0 && c->pos_kind == COMMAND_VALUE_CHOICE && c->pos_choices) {
        fputs("        positional=\"", out);
        words(out, c->pos_choices);
        fputs("\"\n", out);
    }
    fputs("        ;;\n", out);
}

static void bash_function(FILE *out, const ui_command *batch)
{
    fputs("# Complete the last item of a comma-separated list from the words given.\n"
          "_ekm_list()\n{\n"
          "    local head=\n"
          "    [[ $cur == *,* ]] && head=${cur%,*},\n"
          "    COMPREPLY=( $(compgen -P \"$head\" -W \"$1\" -- \"${cur##*,}\") )\n"
          "    compopt -o nospace 2>/dev/null\n"
          "}\n\n"
          "_ekm()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd opts= files=0 positional=\n"
          "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    # --option=value: bash splits it at the '='\n"
          "    if [[ $cur == = ]]; then\n"
          "        cur=\n"
          "    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
          "        prev=${COMP_WORDS[COMP_CWORD-2]}\n"
          "    fi\n"
          "    if (( COMP_CWORD == 1 )); then\n"
          "        COMPREPLY=( $(compgen -W \"",
          out);
    for (const ui_command *c = batch; c->name; c++)
        if (!(c->flags & COMMAND_HIDDEN))
            fprintf(out, "%s ", c->name);
    fputs("--help --version -c\" -- \"$cur\") )\n"
          "        return 0\n"
          "    fi\n"
          "    cmd=${COMP_WORDS[1]}\n"
          "    case $cmd in\n",
          out);
    for (const ui_command *c = batch; c->name; c++)
        if (!(c->flags & COMMAND_HIDDEN))
            command_branch(out, c);
    fputs("    *)\n        return 0 ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=( $(compgen -W \"$opts\" -- \"$cur\") )\n"
          "    elif [[ -n $positional ]]; then\n"
          "        COMPREPLY=( $(compgen -W \"$positional\" -- \"$cur\") )\n"
          "    elif (( files )); then\n"
          "        COMPREPLY=( $(compgen -f -- \"$cur\") )\n"
          "    fi\n"
          "    return 0\n"
          "}\n",
          out);
}

int command_write_completion(FILE *out, const ui_command *batch, const char *shell)
{
    if (!strcmp(shell, "bash")) {
        fputs("# bash completion for ekm: generated by 'ekm --completion bash' from the\n"
              "# command tables (the same as --help); do not edit.\n\n",
              out);
        bash_function(out, batch);
        fputs("complete -o filenames -F _ekm ekm\n", out);
        return 0;
    }
    if (!strcmp(shell, "zsh")) {
        fputs("# zsh completion for ekm: generated by 'ekm --completion zsh' from the\n"
              "# command tables; do not edit. Load it from ~/.zshrc with\n"
              "#   source <(ekm --completion zsh)\n"
              "autoload -U +X compinit && compinit\n"
              "autoload -U +X bashcompinit && bashcompinit\n\n",
              out);
        bash_function(out, batch);
        fputs("complete -o filenames -F _ekm ekm\n", out);
        return 0;
    }
    return -1;
}
