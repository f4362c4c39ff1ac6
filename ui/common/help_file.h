/* help_file.h — the long help texts of the front ends (assets/help/NAME.txt), found
 * the same way by all of them: under help/ of the first data folder that has the
 * file ($EKM_DATADIR, the installed share/ekm, the build's assets: data_dir.h). */
#ifndef EKM_UI_HELP_FILE_H
#define EKM_UI_HELP_FILE_H

/* The whole text of the file at path (malloc'ed: free it), or NULL when it cannot
 * be read or is empty. */
char *help_file_read(const char *path);

/* The whole text of the help file `name` ("repl.txt", "tui.txt"), or NULL. */
char *help_file_load(const char *name);

#endif
