/* territory_priv.h - reading named columns of a CSV file (private). */
#ifndef ODL_TERRITORY_PRIV_H
#define ODL_TERRITORY_PRIV_H

#include "odl/csv.h"
#include "odl/territory.h"

/*
 * Stream path and call fn for every non-blank data row with the cells of
 * the wanted columns, in the order of `wanted` (a column absent from the
 * header gives an empty cell, or the error ODL_EFORMAT "missing column"
 * when its name starts with '!', the '!' not being part of the name).
 */
/* fn returns 0 to go on, else a status after filling err. */
typedef int (*odl_columns_fn)(void *ctx, const struct odl_cell *cells,
			      const struct odl_record *rec, struct odl_error *err);
int odl_read_columns(const char *path, const char *const *wanted, size_t nwanted,
		     odl_columns_fn fn, void *ctx, struct odl_error *err);
/* The same; a wanted name ending in '*' matches any header starting with
 * what precedes it, and found[w] (may be NULL) receives the header each
 * wanted column matched ("" when absent), before the first row. */
int odl_read_columns_found(const char *path, const char *const *wanted, size_t nwanted,
			   odl_columns_fn fn, void *ctx, char (*found)[64], struct odl_error *err);

/* After a failed read (rc != 0) of path: when it is a zip container, err
 * says that xlsx is not read yet and how to convert it. */
void odl_xlsx_hint(const char *path, int rc, struct odl_error *err);

/* Copy a cell without surrounding spaces into a NUL-terminated string. */
char *odl_cell_dup(const struct odl_cell *c);

/* Add a column (every row's cell "") or find it: its index in *col. */
int odl_territories_add_column(odl_territories *t, const char *name, size_t *col,
			       struct odl_error *err);
/* Replace a cell of a column other than the seven the views point into
 * (code, name, type, siren, epci, dep, reg): those are ODL_EINVAL. */
int odl_territory_set_cell(odl_territories *t, size_t row, size_t col, const char *value,
			   struct odl_error *err);

#endif
