/* schema_private.h - the compiled form of a schema (private to libodl). */
#ifndef ODL_SCHEMA_PRIVATE_H
#define ODL_SCHEMA_PRIVATE_H

#include <jansson.h>

#include "odl/schema.h"
#include "odl/csv.h"
#include "checks.h"
#include "pattern.h"

enum odl_type {
	ODL_T_STRING, ODL_T_NUMBER, ODL_T_INTEGER, ODL_T_BOOLEAN, ODL_T_DATE,
	ODL_T_TIME, ODL_T_DATETIME, ODL_T_YEAR, ODL_T_YEARMONTH, ODL_T_DURATION,
	ODL_T_GEOPOINT, ODL_T_GEOJSON, ODL_T_OBJECT, ODL_T_ARRAY, ODL_T_ANY
};

enum odl_format {
	ODL_F_DEFAULT, ODL_F_ANY, ODL_F_PATTERN,      /* date/time/datetime */
	ODL_F_EMAIL, ODL_F_URI, ODL_F_UUID, ODL_F_BINARY, /* string */
	ODL_F_ARRAY, ODL_F_OBJECT,                   /* geopoint */
	ODL_F_TOPOJSON                               /* geojson */
};

/* Constraint kinds in the order a schema lists them. */
enum odl_cons {
	ODL_C_REQUIRED, ODL_C_MINLENGTH, ODL_C_MAXLENGTH, ODL_C_MINIMUM,
	ODL_C_MAXIMUM, ODL_C_PATTERN, ODL_C_ENUM, ODL_C_UNIQUE,
	ODL_C_EXCLMIN, ODL_C_EXCLMAX
};

/*
 * A typed cell value.  Ordered types compare through num (numbers, days,
 * seconds, months); text keeps the cell for strings; len counts items for
 * arrays/objects, characters for strings.
 */
struct odl_value {
	double num;
	const char *text;
	size_t text_len;
	size_t len;
};

struct odl_constraint {
	enum odl_cons kind;
	double num;                 /* minimum/maximum/lengths */
	struct odl_pattern *re;     /* pattern */
	struct odl_value *enum_v;   /* enum values read with the field type */
	char **enum_s;              /* their text, for strings */
	size_t *enum_len;
	size_t nenum;
	char *note;                 /* constraint "pattern" is "^\d{14}$" */
};

struct odl_field {
	char *name;
	size_t name_len;
	char *title;                /* the field's title, or NULL */
	enum odl_type type;
	enum odl_format format;
	char *type_name;            /* "integer/default" for notes */
	char *pattern_fmt;          /* strptime pattern */
	int required;
	int unique;
	int bare_number;            /* 1 = default */
	int number_custom;          /* decimalChar/groupChar/bareNumber declared */
	char decimal_char[8], group_char[8];
	char **true_v, **false_v;
	size_t ntrue, nfalse;
	char **missing;             /* NULL = the schema's */
	size_t nmissing;
	int missing_only_empty;     /* missingValues == [""] */
	struct odl_constraint *cons;
	size_t ncons;
	struct odl_field *item;     /* arrayItem */
};

struct odl_fkey {
	size_t *fields, *ref_fields; /* schema indexes */
	size_t n;
	char *note_fields;           /* for messages */
};

struct odl_schema {
	char *name, *version;
	struct odl_schema_problem *problems; /* field-error/schema-error, see schema.h */
	size_t nproblems;
	char sha256[65];
	enum odl_fields_match fields_match;
	struct odl_field *fields;
	size_t nfields;
	char **missing;
	size_t nmissing;
	int missing_only_empty;
	size_t *pkey;
	size_t npkey;
	struct odl_fkey *fkeys;
	size_t nfkeys;
	struct odl_check **checks;
	size_t nchecks;
};

/* types.c: read a cell with the field's type; 0 ok, -1 type error. */
int odl_type_read(const struct odl_field *f, const char *p, size_t n, struct odl_value *v);
/*
 * Call fn with each item of a JSON array as text: strings as they are,
 * other values as compact JSON ("12", "true").  0 when every call returned
 * 0, else the first non-zero (-1 when out of memory).
 */
int odl_array_each(const json_t *arr, int (*fn)(void *ctx, const char *item, size_t len),
		   void *ctx);
/* Count UTF-8 characters. */
size_t odl_utf8_len(const char *p, size_t n);
/* 1 when the cell is one of the field's missing values. */
int odl_field_is_missing(const struct odl_schema *s, const struct odl_field *f,
			 const char *p, size_t n);
/* 1 when the typed cell v satisfies c (unique and required always do), 0
 * when not, ODL_PATTERN_TOO_COSTLY when a pattern could not be decided. */
int odl_constraint_check(const struct odl_field *f, const struct odl_constraint *c,
			 const char *p, size_t n, const struct odl_value *v, void *match_data);

int odl_field_index(const struct odl_schema *s, const char *name, size_t len);

#endif
