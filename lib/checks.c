/* checks.c - compiling custom_checks entries and running them on rows. */
#include "check_impl.h"
#include "error.h"
#include "value_memo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct check_kind kinds[] = {
	{"french-siret-value", 0, check_siret_row},
	{"french-siren-value", 0, check_siren_row},
	{"year-interval-value", 0, check_year_interval_row},
	{"compare-columns-value", 0, check_compare_row},
	{"sum-columns-value", 1, check_sum_row},
	{"cohesive-columns-value", 1, check_cohesive_row},
	{"one-of-required", 0, check_one_of_row},
	{"nomenclature-actes-value", 0, check_nomenclature_row},
	{"french-gps-coordinates", 0, check_gps_row},
	{"phone-number-value", 0, check_phone_row},
	{"opening-hours-value", 0, check_hours_row},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const char *const odl_check_names[] = {
	"french-siret-value", "french-siren-value", "year-interval-value",
	"compare-columns-value", "sum-columns-value", "cohesive-columns-value",
	"one-of-required", "nomenclature-actes-value", "french-gps-coordinates",
	"phone-number-value", "opening-hours-value", NULL
};

const struct odl_cell *check_cell(const struct odl_cell *const *cells, size_t nfields, int i)
{
	if (i < 0 || (size_t)i >= nfields || !cells)
		return NULL;
	return cells[i];
}

int check_filled(const struct odl_cell *c)
{
	return c && c->len > 0;
}

int check_clip(const char *p, size_t n)
{
	size_t max = 200;

	if (n <= max)
		return (int)n;
	while (max > 0 && ((unsigned char)p[max] & 0xC0) == 0x80)
		max--;
	return (int)max;
}

void check_say(struct odl_check *c, const char *en, const char *fr, ...)
{
	va_list ap;

	/* Both formats take the same arguments in the same order. */
	va_start(ap, fr);
	vsnprintf(c->msg, sizeof(c->msg), en, ap);
	va_end(ap);
	va_start(ap, fr);
	vsnprintf(c->msg_fr, sizeof(c->msg_fr), fr, ap);
	va_end(ap);
}

void check_emit(struct odl_check *c, const char *code, int field, const struct odl_cell *cell,
		odl_check_finding_fn fn, void *ctx)
{
	struct odl_check_finding f;

	f.code = code;
	f.field = field;
	f.cell = cell ? cell->ptr : NULL;
	f.cell_len = cell ? cell->len : 0;
	f.message = c->msg;
	f.message_fr = c->msg_fr;
	fn(ctx, &f);
}

void odl_check_free(struct odl_check *check)
{
	if (!check)
		return;
	free(check->name);
	free(check->name2);
	for (size_t i = 0; i < check->ncols; i++)
		free(check->names[i]);
	free(check->names);
	free(check->cols);
	odl_value_memo_free(check->memo);
	free(check);
}

void odl_check_reset(struct odl_check *check)
{
	check->done = 0;
}

const char *odl_check_code(const struct odl_check *check)
{
	return check->kind->name;
}

int odl_check_column(const struct odl_check *check)
{
	return check->kind->multi ? -1 : check->col;
}

static int column_param(const json_t *params, const char *key, const char *check,
			odl_field_index_fn field_index, void *ctx, int *idx, char **name,
			struct odl_error *err)
{
	const json_t *v = json_object_get(params, key);
	const char *s;

	if (!v)
		return odl_fail(err, ODL_ESCHEMA, "custom check '%s': missing params.%s",
				check, key);
	if (!json_is_string(v))
		return odl_fail(err, ODL_ESCHEMA, "custom check '%s': params.%s must be a string",
				check, key);
	s = json_string_value(v);
	*idx = field_index(ctx, s);
	if (*idx < 0)
		return odl_fail(err, ODL_ESCHEMA,
				"custom check '%s': params.%s '%s' is not a field of the schema",
				check, key, s);
	*name = strdup(s);
	return *name ? ODL_OK : odl_fail(err, ODL_ENOMEM, "out of memory");
}

static int columns_param(const json_t *params, const char *key, size_t min, const char *check,
			 odl_field_index_fn field_index, void *ctx, struct odl_check *c,
			 struct odl_error *err)
{
	const json_t *v = json_object_get(params, key);
	size_t n;

	if (!v)
		return odl_fail(err, ODL_ESCHEMA, "custom check '%s': missing params.%s",
				check, key);
	if (!json_is_array(v) || json_array_size(v) < min)
		return odl_fail(err, ODL_ESCHEMA,
				"custom check '%s': params.%s must be a list of at least %zu column names",
				check, key, min);
	n = json_array_size(v);
	c->cols = calloc(n, sizeof(*c->cols));
	c->names = calloc(n, sizeof(*c->names));
	if (!c->cols || !c->names)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(v, i);
		const char *s;

		if (!json_is_string(e))
			return odl_fail(err, ODL_ESCHEMA,
					"custom check '%s': params.%s[%zu] must be a string",
					check, key, i);
		s = json_string_value(e);
		c->cols[i] = field_index(ctx, s);
		if (c->cols[i] < 0)
			return odl_fail(err, ODL_ESCHEMA,
					"custom check '%s': params.%s '%s' is not a field of the schema",
					check, key, s);
		c->names[i] = strdup(s);
		if (!c->names[i])
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		c->ncols = i + 1;
	}
	return ODL_OK;
}

static int parse_op(const json_t *params, struct odl_check *c, struct odl_error *err)
{
	static const char *const ops[] = {">", ">=", "==", "<=", "<"};
	const json_t *v = json_object_get(params, "op");

	if (!v)
		return odl_fail(err, ODL_ESCHEMA, "custom check 'compare-columns-value': missing params.op");
	if (json_is_string(v)) {
		for (int i = 0; i < 5; i++)
			if (strcmp(json_string_value(v), ops[i]) == 0) {
				c->op = (enum check_op)i;
				return ODL_OK;
			}
	}
	return odl_fail(err, ODL_ESCHEMA,
			"custom check 'compare-columns-value': params.op must be one of >, >=, ==, <=, <");
}

static int compile_params(const json_t *params, struct odl_check *c,
			  odl_field_index_fn fi, void *ctx, struct odl_error *err)
{
	const char *k = c->kind->name;
	int rc;

	if (strcmp(k, "one-of-required") == 0) {
		rc = column_param(params, "column1", k, fi, ctx, &c->col, &c->name, err);
		if (rc == ODL_OK)
			rc = column_param(params, "column2", k, fi, ctx, &c->col2, &c->name2, err);
		return rc;
	}
	rc = column_param(params, "column", k, fi, ctx, &c->col, &c->name, err);
	if (rc != ODL_OK)
		return rc;
	if (strcmp(k, "compare-columns-value") == 0) {
		rc = column_param(params, "column2", k, fi, ctx, &c->col2, &c->name2, err);
		return rc == ODL_OK ? parse_op(params, c, err) : rc;
	}
	if (strcmp(k, "sum-columns-value") == 0)
		return columns_param(params, "columns", 2, k, fi, ctx, c, err);
	if (strcmp(k, "cohesive-columns-value") == 0)
		return columns_param(params, "othercolumns", 1, k, fi, ctx, c, err);
	if (strcmp(k, "year-interval-value") == 0) {
		const json_t *v = json_object_get(params, "allow-year-only");

		c->allow_year_only = json_is_true(v) ||
			(json_is_string(v) && (strcmp(json_string_value(v), "yes") == 0 ||
					       strcmp(json_string_value(v), "true") == 0));
	}
	return ODL_OK;
}

int odl_check_compile(const json_t *spec, odl_field_index_fn field_index, void *ctx,
		      struct odl_check **out, struct odl_error *err)
{
	const json_t *name, *params;
	struct odl_check *c;
	int rc;

	*out = NULL;
	if (!json_is_object(spec))
		return odl_fail(err, ODL_ESCHEMA, "custom_checks: each entry must be an object");
	name = json_object_get(spec, "name");
	if (!json_is_string(name))
		return odl_fail(err, ODL_ESCHEMA, "custom_checks: entry without a \"name\" string");
	params = json_object_get(spec, "params");
	if (!json_is_object(params))
		return odl_fail(err, ODL_ESCHEMA, "custom check '%s': \"params\" must be an object",
				json_string_value(name));
	c = calloc(1, sizeof(*c));
	if (!c)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	c->col = c->col2 = -1;
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].name, json_string_value(name)) == 0)
			c->kind = &kinds[i];
	if (!c->kind) {
		free(c);
		return odl_fail(err, ODL_ESCHEMA, "custom check '%s': unknown check",
				json_string_value(name));
	}
	rc = compile_params(params, c, field_index, ctx, err);
	if (rc != ODL_OK) {
		odl_check_free(c);
		return rc;
	}
	*out = c;
	return ODL_OK;
}

int odl_check_row(struct odl_check *check, const struct odl_cell *const *cells,
		  size_t nfields, uint64_t row, odl_check_finding_fn fn, void *ctx)
{
	(void)row;
	if (check->done)
		return ODL_OK;
	return check->kind->row(check, cells, nfields, fn, ctx);
}
