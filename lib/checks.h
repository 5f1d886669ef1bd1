/*
 * checks.h - Validata's custom checks (`custom_checks` in SCDL schemas), private.
 *
 * The schema loader (schema.c) hands each entry of a schema's
 * "custom_checks" array to odl_check_compile(); the validator calls
 * odl_check_row() for every data row after its own per-cell checks, with the
 * row's cells indexed by *schema field* (a field whose column is absent
 * from the file has cell == NULL).  Findings go to a callback; the check
 * never stops validation.  Semantics: ../shared/reference/checks.md.
 *
 * What the validator passes (Validata's checks see *typed* values, where a
 * missing or mistyped cell is "nothing"):
 *   - cells[i] == NULL: the column of field i is not in the file;
 *   - cells[i]->len == 0: the cell has no value: it is empty, one of the
 *     schema's missingValues, or failed its field's type (pass a zero-length
 *     cell for those, not the raw text);
 *   - otherwise the raw text of the cell, untrimmed.
 * Numbers are read in C-locale form ("12.5"), whatever the process locale.
 *
 * Codes of findings: normally odl_check_code(); also
 *   "check-error"  (field -1, cell NULL) once per file, when a multi-column
 *                  check finds some but not all of its columns in the file
 *                  (sent with the first data row; a file without rows gets
 *                  none): the check is then silent for the rest of the file;
 *   "reversed-french-gps-coordinates" from french-gps-coordinates;
 *   one-of-required reports row errors with field -1 (and a single
 *                  table-level finding, field -1, when both columns are absent).
 * A compiled check keeps per-file state (see check-error) and the buffers of
 * its messages: call odl_check_reset() before each new file, and give each
 * thread its own compiled checks.
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
 * {...}}).  An unknown check name or bad params (missing, wrong type, a
 * column that is not a field of the schema, an unknown "op") is ODL_ESCHEMA
 * with a message naming the check and the key, e.g.
 * "custom check 'french-siret-value': params.column 'X' is not a field of the schema".
 */
int odl_check_compile(const json_t *spec, odl_field_index_fn field_index, void *ctx,
		      struct odl_check **out, struct odl_error *err);
void odl_check_free(struct odl_check *check);

/* Forget per-file state (a check-error already sent): a new file starts. */
void odl_check_reset(struct odl_check *check);

/* The error code of the check's findings, e.g. "french-siret-value". */
const char *odl_check_code(const struct odl_check *check);
/* The schema index of the field a one-column check reads (column), or -1. */
int odl_check_column(const struct odl_check *check);

struct odl_check_finding {
	const char *code;      /* usually odl_check_code(), see above */
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
