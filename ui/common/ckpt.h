/* ckpt.h — checkpoints as the front ends use them: the note that says how to load
 * a checkpoint's dataset again, and a writer that saves a running job's finished
 * work every few seconds (engine/include/ekm/checkpoint.h does the rest).
 *
 * The note is a small text stored in the checkpoint, one "key=value" a line:
 *
 *   ekm-data 1
 *   source=csv              csv | matrix | gen
 *   path=/abs/data.csv      csv, matrix: the file, made absolute (% escapes bytes
 *                           below 0x20, 0x7f and '%')
 *   metric=euclidean        csv, gen
 *   header=auto  label=auto  missing=refuse  separator=auto     csv, matrix
 *   standardize=mad         csv, when the columns were standardized (else absent)
 *   gen=uniform n=1500 d=2 clusters=3 seed=3                    gen
 *
 * Unknown keys are ignored (a later version may add some). The dataset rebuilt
 * from a note is checked against the checkpoint's fingerprint by the engine, so a
 * file changed since is refused, not silently used. */
#ifndef EKM_UI_CKPT_H
#define EKM_UI_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "ekm/checkpoint.h"
#include "ekm/dataset.h"
#include "ekm/generate.h"

typedef enum ckpt_source_kind { CKPT_SRC_CSV = 0, CKPT_SRC_MATRIX, CKPT_SRC_GEN } ckpt_source_kind;

/* Where a checkpoint's dataset comes from. */
typedef struct ckpt_source {
    ckpt_source_kind kind;
    char path[4096];      /* csv, matrix: absolute path */
    ekm_csv_options csv;  /* csv, matrix */
    ekm_metric metric;    /* csv, gen */
    ekm_standardize standardize; /* csv */
    ekm_gen_kind gen_kind;
    size_t gen_n, gen_d;
    unsigned gen_clusters;
    uint64_t gen_seed;
    unsigned threads;     /* threads that build the matrix on load (0: every core);
                             not part of the note */
} ckpt_source;

/* A file source: path made absolute (the file must exist). Returns 0, or -1 with
 * "PATH: problem" in err. */
int ckpt_source_file(ckpt_source *src, const char *path, int matrix, const ekm_csv_options *csv,
                     ekm_metric metric, char *err, size_t errsize);

/* The note text of a source (always fits in CKPT_NOTE_MAX bytes). */
enum { CKPT_NOTE_MAX = 16384 };
void ckpt_source_format(const ckpt_source *src, char *buf, size_t size);
/* Parse a note; returns 0, or -1 with a reason (no "PATH: " prefix) in err. */
int ckpt_source_parse(const char *note, ckpt_source *src, char *err, size_t errsize);
/* Load (or generate) the source's dataset and build its matrix. Returns 0, or -1
 * with a one-line message naming the data file in err. Only a regular file is
 * read (a FIFO would block, a device never end). With ck (or NULL), what can be
 * checked against it is checked before anything large is built: a generated
 * set's N, a file's size (too small for N points), a CSV's number of points
 * before its matrix. */
int ckpt_source_load(const ckpt_source *src, ekm_dissim **out, char *err, size_t errsize);
int ckpt_source_load_for(const ckpt_source *src, const ekm_checkpoint *ck, ekm_dissim **out,
                         char *err, size_t errsize);

/* Saving a running job's checkpoints into one file. */
typedef struct ckpt_writer {
    char path[1024];
    double every;       /* seconds between saves */
    double last;        /* ekm_now() of the last save (or of the start) */
    char note[CKPT_NOTE_MAX];
    int saves;          /* successful saves */
    int failed;         /* the last save failed (error holds why) */
    char error[2200];
    uint64_t units, units_done; /* of the last save */
    ekm_count done, total;      /* K-subsets closed, C(N,K), of the last save */
} ckpt_writer;

/* Set a writer up (no file is written yet); every > 0. */
void ckpt_writer_init(ckpt_writer *w, const char *path, double every, const ckpt_source *src);
/* Take the job's checkpoint (all its finished work) and save it atomically.
 * Returns 0, or -1 with the reason in w->error (the previous file stays). */
int ckpt_writer_save(ckpt_writer *w, ekm_job *job);
/* Save when `every` seconds have passed since the last save; returns 1 when it
 * saved, 0 when not due, -1 when the save failed. */
int ckpt_writer_tick(ckpt_writer *w, ekm_job *job);
/* Percent of C(N,K) closed in the last save. */
double ckpt_writer_percent(const ckpt_writer *w);

/* Can `path` be written: an existing file writable, else its folder. Sets errno. */
int ckpt_path_writable(const char *path);

/* May a run save its checkpoints as `path`, for this dataset and these options?
 * Checked before the run starts, so that nothing the user owns is overwritten
 * and no save fails later:
 *  - the folder of path must exist and take a new file (each save writes one
 *    there and renames it onto path): a file is created and removed to know;
 *  - an existing path must be an ekm checkpoint (any other file, the input CSV
 *    for one, is never overwritten, --force or not);
 *  - an ekm checkpoint of this same problem (dataset, K, strategy, plan) is
 *    kept unless force: 'ekm resume PATH' continues it; one of another problem
 *    or an unreadable one is kept unless force.
 * `resumed` (or NULL) is the checkpoint file this run continues from: saving
 * over it is the point. Also removes the temporary files of dead writers to
 * path (ekm_checkpoint_clean_stale). Returns 0, or -1 with one line
 * "PATH: reason" in err. */
int ckpt_target_check(const char *path, const ekm_dissim *dm, const ekm_solve_options *opt,
                      int force, const char *resumed, char *err, size_t errsize);

#endif
