/*
 * csv_private.h - what csv_pipe.c needs of a reader beyond the public API
 * (private).
 */
#ifndef ODL_CSV_PRIVATE_H
#define ODL_CSV_PRIVATE_H

#include "odl/csv.h"

/* Put fn/ctx in place of the record callback; the old ones come back in
 * *old_fn and *old_ctx. */
void odl_csv_hook(odl_csv *c, odl_record_fn fn, void *ctx, odl_record_fn *old_fn, void **old_ctx);
/* While view is set, odl_csv_info() returns it and reads nothing else of c
 * (another thread is feeding c). */
void odl_csv_set_view(odl_csv *c, const struct odl_csv_info *view);
/* The reader's counters now, whatever the view. */
const struct odl_csv_info *odl_csv_info_live(odl_csv *c);
/* The input is a workbook (decided from its first bytes). */
int odl_csv_is_workbook(const odl_csv *c);
/* The reader failed with err: every later call returns it, and
 * odl_csv_info() shows info from now on when it is given. */
void odl_csv_fail_with(odl_csv *c, const struct odl_error *err, const struct odl_csv_info *info);
/* The name messages give the input. */
const char *odl_csv_name(const odl_csv *c);
/* Make *p (an array of *cap items of size bytes) hold need items, doubling
 * from 64; 0, or -1 when out of memory (*p and *cap unchanged). */
int odl_csv_grow(void **p, size_t *cap, size_t need, size_t size);

#endif
