/* suggest.h — "did you mean": the closest of a list of names to a misspelt one.
 * Offer every candidate in turn, then take the closest (NULL when none is within
 * two edits). */
#ifndef EKM_UI_SUGGEST_H
#define EKM_UI_SUGGEST_H

#include <stddef.h>

typedef struct suggest {
    const char *word; /* what the user typed */
    const char *best; /* the closest candidate so far, NULL: none close enough */
    size_t dist;      /* its distance (3 while there is none) */
    int shorter;      /* 1: only candidates fewer edits away than the word is long */
} suggest;

/* shorter: 1 to refuse a candidate as many edits away as the word has characters
 * (a one-letter word is not "close" to every one-letter name). */
void suggest_init(suggest *sg, const char *word, int shorter);
/* Compare `candidate` with the word; `shown` is what to suggest for it (NULL: the
 * candidate itself), e.g. "--threads" for the option named "threads". */
void suggest_offer(suggest *sg, const char *candidate, const char *shown);
/* The closest candidate offered, or NULL. */
const char *suggest_best(const suggest *sg);

/* The Levenshtein distance between two strings. */
size_t suggest_edit_distance(const char *a, const char *b);

#endif
