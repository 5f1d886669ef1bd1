/*
 * checks.h - Validata's custom checks (`custom_checks` in SCDL schemas), private.
 *
 * The schema loader (schema.c) hands each entry of a schema's
 * "custom_checks" array to odl_check_compile(); the validator calls
 * odl_check_row() for every data row after its own per-cell checks, with the
 * row's cells indexed by *schema field* (a field whose column is absent
 * from the file has cell == NULL).  Findings go to a callback; the check
 * never stops validation.  Semantics: ../shared/reference/checks.md.
 */
#ifndef ODL_CHECKS_H
#define ODL_CHECKS_H

#include <jansson.h>
#include "odl/csv.h"

struct odl_check;

/* Resolve a field name to its index in the schema, or -1. */
typedef int (*odl_field_index_fn)(void *ctx, const char *name);

/*
 * Compile one custom check from its JSON spec ({"name": "...", "params":
 * {...}}).  An unknown check name or bad params is ODL_ESCHEMA with a
 * message naming the check and the key.
 */
int odl_check_compile(const json_t *spec, odl_field_index_fn field_index, void *ctx,
		      struct odl_check **out, struct odl_error *err);
void odl_check_free(struct odl_check *check);

/* The error code of the check's findings, e.g. "french-siret-value". */
const char *odl_check_code(const struct odl_check *check);

struct odl_check_finding {
	const char *code;      /* = odl_check_code() */
	int field;             /* schema index of the field the finding is about, or -1 */
	const char *cell;      /* offending cell (may be NULL), not NUL-terminated */
	size_t cell_len;
	const char *message;   /* English, lowercase, NUL-terminated, valid during callback */
	const char *message_fr;/* French equivalent */
};
typedef void (*odl_check_finding_fn)(void *ctx, const struct odl_check_finding *f);

/*
 * Run the check on one row.  cells[i] is the cell of schema field i, or
 * NULL when that column is absent; nfields is the schema's field count.
 * Returns ODL_OK (findings are data, not failures) or ODL_ENOMEM.
 */
int odl_check_row(struct odl_check *check, const struct odl_cell *const *cells,
		  size_t nfields, uint64_t row, odl_check_finding_fn fn, void *ctx);

/* Names of all supported checks, NULL-terminated (for --help and tests). */
extern const char *const odl_check_names[];

#endif
