/* suggest.c — "did you mean": the edit distance and the closest-name search. */
#include "common/suggest.h"

#include <string.h>

size_t suggest_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return la > lb ? la : lb;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

void suggest_init(suggest *sg, const char *word, int shorter)
{
    sg->word = word;
    sg->best = NULL;
    sg->dist = 3;
    sg->shorter = shorter;
}

void suggest_offer(suggest *sg, const char *candidate, const char *shown)
{
    size_t d = suggest_edit_distance(sg->word, candidate);
    if (d < sg->dist && (!sg->shorter || d < strlen(sg->word))) {
        sg->dist = d;
        sg->best = shown ? shown : candidate;
    }
}

const char *suggest_best(const suggest *sg)
{
    return sg->best;
}
