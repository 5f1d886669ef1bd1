/*
 * odl/validate.h - validating a CSV stream against a compiled schema.
 *
 * Push-style, like the reader: hand every record the CSV reader produces
 * (header included) to odl_validator_record(), then call
 * odl_validator_finish().  Findings (errors and warnings) go to a
 * callback, in frictionless-py's order and with its codes and numbering:
 * row = the record's rowNumber (header = 1), field_number = position among
 * the expected fields (schema order under --fields-match exact, label
 * order under name matching; extra cells continue the count).
 *
 * Memory is constant except for the sets that unique fields, primary keys
 * and foreign keys need: one 16-byte entry per distinct value, at most
 * max_keys entries per set (then that check stops with a warning).
 *
 * Schemas with foreignKeys into the same file need the referenced values
 * before the rows that use them: when odl_validator_needs_prepass() says so,
 * feed every record to odl_validator_prepass() first (a first read of the
 * file), then read it again through odl_validator_record().
 *
 *	odl_validator *v = odl_validator_new(schema, &opt, on_finding, ctx);
 *	// from the CSV reader's callback: return odl_validator_record(v, rec, NULL);
 *	odl_validator_finish(v, &err);
 *	const struct odl_validate_stats *st = odl_validator_stats(v);
 *	odl_validator_free(v);
 */
#ifndef ODL_VALIDATE_H
#define ODL_VALIDATE_H

#include "../odl.h"
#include "csv.h"
#include "schema.h"

struct odl_finding {
	const char *code;       /* "type-error", "french-siret-value", "extra-header-warn"... */
	int warning;            /* 1 for a warning: does not make the file invalid */
	uint64_t row;           /* frictionless rowNumber; 0 for header findings */
	uint64_t field_number;  /* frictionless fieldNumber; 0 when none */
	const char *field;      /* field name, "" when none */
	uint64_t column;        /* 1-based column in the file, 0 when none */
	const char *label;      /* header label (label findings), else NULL */
	const char *cell;       /* offending cell, NULL when none; not NUL-terminated */
	size_t cell_len;
	const char *note;       /* short detail: 'constraint "required" is "True"' */
	const char *message;    /* English sentence, frictionless's template */
	const char *message_fr; /* French sentence when the finding has one, else NULL */
	const struct odl_record *record; /* the row (row findings), else NULL */
};

/* Return 0 to go on, non-zero to stop validating (ODL_ECANCELED). */
typedef int (*odl_finding_fn)(void *ctx, const struct odl_finding *f);

struct odl_validate_options {
	enum odl_fields_match fields_match; /* ODL_MATCH_DEFAULT: schema's, else validata */
	size_t max_keys;                    /* entries per unique/key set (default 8M) */
	uint64_t max_rows;                  /* stop after that many data rows (0 = all) */
	int skip_checks;                    /* 1: do not run custom checks */
};

struct odl_validate_stats {
	uint64_t rows;      /* data records read (blank ones included) */
	uint64_t errors;    /* all errors found, whatever was stored */
	uint64_t warnings;
	int complete;       /* 0 when stopped early (max_rows, callback) */
	enum odl_fields_match fields_match; /* the mode used */
};

typedef struct odl_validator odl_validator;

ODL_API void odl_validate_options_init(struct odl_validate_options *opt);
/* NULL when out of memory.  The schema must outlive the validator. */
ODL_API odl_validator *odl_validator_new(const odl_schema *s, const struct odl_validate_options *opt,
					 odl_finding_fn fn, void *ctx);
ODL_API void odl_validator_free(odl_validator *v);

ODL_API int odl_validator_needs_prepass(const odl_validator *v);
ODL_API int odl_validator_prepass(odl_validator *v, const struct odl_record *rec);

/* ODL_OK, ODL_ECANCELED (callback or max_rows), ODL_ENOMEM. */
ODL_API int odl_validator_record(odl_validator *v, const struct odl_record *rec,
				 struct odl_error *err);
ODL_API int odl_validator_finish(odl_validator *v, struct odl_error *err);
/* Report an undecodable input as an encoding-error finding. */
ODL_API int odl_validator_encoding_error(odl_validator *v, const struct odl_error *read_err);

ODL_API const struct odl_validate_stats *odl_validator_stats(const odl_validator *v);

/*
 * The schema's spelling of a boolean for column col (0-based) once the
 * header has been read: the field's first trueValue or falseValue, NULL
 * when the column is not a boolean field.  ctx is the validator: made to be
 * odl_csv_options.bool_text, so that xlsx boolean cells read as the schema
 * writes them.
 */
ODL_API const char *odl_validator_bool_text(void *ctx, size_t col, int value);

#endif
