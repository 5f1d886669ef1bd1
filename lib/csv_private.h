/* csv_private.h - test hooks of the dataset reader (not installed). */
#ifndef ODL_CSV_PRIVATE_H
#define ODL_CSV_PRIVATE_H

#include "odl/csv.h"

/* Read every record through libcsv, bypassing the fast path, so tests can
 * check that both paths give the same records. */
void odl_csv_set_slow_only(odl_csv *c, int on);

#endif
