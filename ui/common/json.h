/* json.h — a small streaming JSON writer for results and benchmark rows. */
#ifndef EKM_UI_JSON_H
#define EKM_UI_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "ekm/count.h"

typedef struct json_writer {
    FILE *out;
    int depth;
    int first[32]; /* 1 until the first member of each open container */
} json_writer;

void json_begin(json_writer *w, FILE *out);
void json_object_open(json_writer *w, const char *key); /* key NULL inside arrays/top */
void json_object_close(json_writer *w);
void json_array_open(json_writer *w, const char *key);
void json_array_close(json_writer *w);
void json_string(json_writer *w, const char *key, const char *value); /* NULL -> null */
void json_double(json_writer *w, const char *key, double value);      /* non-finite -> null */
void json_uint(json_writer *w, const char *key, uint64_t value);
/* A K-subset count, as its exact decimal integer (it may exceed 64 bits). */
void json_count(json_writer *w, const char *key, ekm_count value);
void json_int(json_writer *w, const char *key, long long value);
void json_bool(json_writer *w, const char *key, int value);
void json_end(json_writer *w); /* newline */

#endif
