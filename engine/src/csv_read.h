/* csv_read.h — reading a whole input into memory for the CSV reader: a file, or
 * standard input for the path "-", gzip-compressed or not (the gzip magic bytes
 * decide, not the file name). Internal to the engine. */
#ifndef EKM_CSV_READ_H
#define EKM_CSV_READ_H

#include "ekm/ekm.h"

#include <stddef.h>

/* The name that stands for standard input in error records and dataset names. */
#define EKM__STDIN_NAME "<stdin>"

/* Read all of path ("-": standard input, left open) into *text (malloc'ed, the
 * caller frees it; *len bytes, not NUL-terminated), inflating gzip data. *name is
 * the name to report: path, or EKM__STDIN_NAME. EKM_ERR_IO when it cannot be
 * opened or read, EKM_ERR_PARSE for truncated or corrupt gzip data, EKM_ERR_TOO_BIG
 * past a quarter of the machine's memory. Reading stops at a NUL byte of plain
 * text (a stream without end): the CSV reader reports it at its line. */
ekm_status ekm__read_input(const char *path, char **text, size_t *len, const char **name,
                           ekm_error *err);

#endif
