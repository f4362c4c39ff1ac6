/* app.c — wiring: `ekm COMMAND ...` goes to the batch CLI; `ekm` alone opens the
 * REPL on a terminal (or reads its commands from stdin otherwise); `ekm -c "CMD;
 * CMD"` runs REPL commands. */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "command/command.h"
#include "common/build_text.h"
#include "ekm/ekm.h"
#include "repl/repl.h"

int app_main(int argc, char **argv)
{
    if (argc < 2)
        return isatty(STDIN_FILENO) ? repl_main_terminal() : repl_main_stream(stdin);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-c")) {
        if (argc != 3)
            return cli_usage_error("-c takes one argument: ekm -c \"load FILE; set k 3; run; "
                                   "wait; result\"");
        return repl_main_script(argv[2]);
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        cli_print_usage(stdout);
        return CLI_OK;
    }
    /* hidden: what the build installs, printed from the command tables */
    if (!strcmp(cmd, "--help-man") && argc == 2) {
        command_write_man(stdout, cli_commands, repl_commands, ekm_version());
        return fflush(stdout) ? CLI_FAIL : CLI_OK;
    }
    if (!strcmp(cmd, "--completion")) {
        if (argc != 3 || command_write_completion(stdout, cli_commands, argv[2]))
            return cli_usage_error("--completion takes a shell: bash or zsh");
        return fflush(stdout) ? CLI_FAIL : CLI_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        build_text_print(stdout, "ekm");
        return CLI_OK;
    }
    const cli_command *c = cli_find(cmd);
    if (!c) {
        const char *sug = cli_suggest(cmd);
        if (sug)
            return cli_usage_error("unknown command '%s' (did you mean '%s'?); see 'ekm --help'",
                                   cmd, sug);
        return cli_usage_error("unknown command '%s'; see 'ekm --help'", cmd);
    }
    return cli_dispatch(c, argc - 1, argv + 1);
}
