/* outfile.h — every file ekm writes for the user (pictures, labels, JSON, bench rows,
 * generated data) goes through here, so that a failed write is an error with its
 * reason and never "wrote", and a user's existing file is never left half-written:
 * a regular file is written to a temporary file in the same directory, flushed and
 * synced, then renamed over the target; on any failure the temporary file is removed
 * and the old file stays as it was. A target that is not a regular file (a device
 * such as /dev/stdout or /dev/full, a FIFO) is written in place, every error still
 * reported. Input files registered with outfile_protect are never written. */
#ifndef EKM_UI_OUTFILE_H
#define EKM_UI_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

/* The stream keeps a pointer to the outfile: never copy or move one once open. */
typedef struct outfile {
    FILE *f;      /* write here (stdio); errors are caught whatever the caller checks */
    char *path;   /* the target (through a symbolic link) */
    char *tmp;    /* the temporary file renamed over path; NULL when writing in place */
    int fd;       /* the descriptor under f */
    int errnum;   /* the first write error (errno), 0 while none */
    int created;  /* written in place as a new file: removed again on failure */
} outfile;

/* Open for writing; -1 with "PATH: reason" in err when the file cannot be written
 * (a directory, a protected input, no room for a temporary file...). */
int outfile_open(outfile *o, const char *path, char *err, size_t errsize);

/* For output read while it grows (bench rows as each run finishes): a new file is
 * written in place under its own name (and removed again if a write fails); an
 * existing regular file is still replaced only by a commit, as with outfile_open. */
int outfile_open_stream(outfile *o, const char *path, char *err, size_t errsize);

/* Flush, sync and close, then rename into place. -1 with "PATH: write failed:
 * reason" in err when any write failed (the target is then left as it was, a
 * partial temporary file removed). o is closed either way. */
int outfile_commit(outfile *o, char *err, size_t errsize);

/* Give up: close and remove the temporary file (the target stays as it was). */
void outfile_abort(outfile *o);

/* 1 once a write has failed (the reason in o->errnum). */
int outfile_failed(outfile *o);

/* Never write over this file (an input: the data, a matrix, bench rows read). */
void outfile_protect(const char *path);

/* 1 when path names (by device and inode) a protected file. */
int outfile_is_protected(const char *path);

#endif
