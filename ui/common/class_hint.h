/* class_hint.h — noticing a class column left among the coordinates. */
#ifndef EKM_UI_CLASS_HINT_H
#define EKM_UI_CLASS_HINT_H

#include <stddef.h>

#include "common/settings.h"
#include "ekm/dissim.h"

/* The rule: the data came from a CSV loaded with --label-column auto and kept no
 * label column; it has at least 2 columns; the last column holds only whole
 * numbers from 0 to 100, with 2 to 10 distinct values, each seen 3 times on
 * average (N >= 3 x distinct); and some other column holds a number that is not
 * whole (so a grid or table of counts is not taken for classes). Then the last
 * column looks like class labels (glass's Type 1..7): returns 1 with a one-line
 * note naming the file, the column and the option that drops it. Else 0. */
int dataset_class_hint(const ekm_dissim *dm, const ui_settings *s, char *buf, size_t size);

#endif
