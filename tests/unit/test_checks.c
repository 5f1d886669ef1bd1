/* test_checks.c - Validata's custom checks, on hand-computed cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_impl.h"

/* A schema of named fields; rows are given as strings, NULL = column absent. */
struct schema {
	const char *const *names;
};

static int field_index(void *ctx, const char *name)
{
	const struct schema *s = ctx;

	for (int i = 0; s->names[i]; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	return -1;
}

static char found[8192];

static void collect(void *ctx, const struct odl_check_finding *f)
{
	size_t n = strlen(found);

	(void)ctx;
	snprintf(found + n, sizeof(found) - n, "%s%s %d [%.*s] %s | %s", n ? "\n" : "", f->code,
		 f->field, (int)f->cell_len, f->cell ? f->cell : "", f->message, f->message_fr);
}

static struct odl_check *compile(const char *const *names, const char *spec)
{
	struct schema s = {names};
	json_t *j = json_loads(spec, 0, NULL);
	struct odl_check *c = NULL;
	struct odl_error err;

	assert_non_null(j);
	odl_error_clear(&err);
	assert_int_equal(odl_check_compile(j, field_index, &s, &c, &err), ODL_OK);
	json_decref(j);
	assert_non_null(c);
	return c;
}

static int compile_fails(const char *const *names, const char *spec, char *msg, size_t cap)
{
	struct schema s = {names};
	json_t *j = json_loads(spec, 0, NULL);
	struct odl_check *c = (struct odl_check *)1;
	struct odl_error err;
	int rc;

	assert_non_null(j);
	odl_error_clear(&err);
	rc = odl_check_compile(j, field_index, &s, &c, &err);
	json_decref(j);
	assert_null(c);
	snprintf(msg, cap, "%s", err.message);
	return rc;
}

/* Run one row; cells as strings (NULL = absent); findings into `found`. */
static void row(struct odl_check *c, size_t n, const char *const *vals)
{
	struct odl_cell cells[16];
	const struct odl_cell *ptrs[16];

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		cells[i].ptr = vals[i] ? vals[i] : "";
		cells[i].len = vals[i] ? strlen(vals[i]) : 0;
		ptrs[i] = vals[i] ? &cells[i] : NULL;
	}
	found[0] = 0;
	assert_int_equal(odl_check_row(c, ptrs, n, 1, collect, NULL), ODL_OK);
}

static void one(struct odl_check *c, const char *val)
{
	const char *v[1] = {val};

	row(c, 1, v);
}

static void test_luhn(void **state)
{
	(void)state;
	assert_true(odl_luhn_valid("73282932000074", 14));
	assert_false(odl_luhn_valid("73282932000079", 14));
	assert_true(odl_luhn_valid("356000000", 9));
	assert_true(odl_luhn_valid("0", 1));
	assert_false(odl_luhn_valid("1", 1));
	assert_true(odl_luhn_valid("18", 2));  /* 1*2 + 8 = 10 */
	assert_true(odl_luhn_valid("59", 2));  /* 5*2-9 + 9 = 10 */
}

static void test_siret_values(void **state)
{
	(void)state;
#define OK(s) assert_true(odl_siret_valid(s, strlen(s)))
#define KO(s) assert_false(odl_siret_valid(s, strlen(s)))
	OK("73282932000074");
	KO("73282932000079");          /* wrong key */
	OK("21060004500392");
	KO("21860194600000");
	OK("732 829 320 00074");       /* spaces removed */
	OK("732.829.320.00074");       /* dots removed */
	OK(" 73282932000074\t");
	KO("32402138500000.0");        /* 15 digits once the dot is gone */
	KO("7328293200007");           /* 13 digits */
	KO("732829320000744");         /* 15 digits */
	KO("7328293200007A");
	KO("");
	KO("7328293200\t0074");        /* inner tab is not removed */
	/* La Poste: SIREN 356000000, establishments keyed by digit sum % 5. */
	OK("35600000000048");          /* head office: Luhn */
	OK("35600000049837");          /* sum 45 */
	KO("35600000049838");          /* sum 46 */
	KO("35600000000045");          /* sum 3+5+6+4+5 = 23 */
	OK("35600000000060");          /* sum 3+5+6+6 = 20 */
#undef OK
#undef KO
}

static void test_siren_values(void **state)
{
	(void)state;
	assert_true(odl_siren_valid("404833048", 9));
	assert_false(odl_siren_valid("404833047", 9));
	assert_true(odl_siren_valid("552 008 443", 11));
	assert_true(odl_siren_valid("529173189", 9));
	assert_false(odl_siren_valid("529173188", 9));
	assert_false(odl_siren_valid("40483304", 8));
	assert_false(odl_siren_valid("4048330480", 10));
}

static const char *const one_col[] = {"SIRET", NULL};

static void test_siret_check(void **state)
{
	struct odl_check *c = compile(one_col,
		"{\"name\": \"french-siret-value\", \"params\": {\"column\": \"SIRET\"}}");

	(void)state;
	assert_string_equal(odl_check_code(c), "french-siret-value");
	one(c, "73282932000074");
	assert_string_equal(found, "");
	one(c, "");
	assert_string_equal(found, "");
	one(c, NULL);
	assert_string_equal(found, "");
	one(c, "21860194600000");
	assert_string_equal(found, "french-siret-value 0 [21860194600000] "
		"'21860194600000' is not a valid siret number | "
		"La valeur '21860194600000' n'est pas un numéro SIRET français valide.");
	odl_check_free(c);
}

static void test_siren_check(void **state)
{
	struct odl_check *c = compile(one_col,
		"{\"name\": \"french-siren-value\", \"params\": {\"column\": \"SIRET\"}}");

	(void)state;
	one(c, "404833048");
	assert_string_equal(found, "");
	one(c, "404833047");
	assert_string_equal(found, "french-siren-value 0 [404833047] "
		"'404833047' is not a valid siren number | "
		"La valeur '404833047' n'est pas un numéro SIREN français valide.");
	odl_check_free(c);
}

static void test_compile_errors(void **state)
{
	char msg[ODL_ERROR_TEXT];

	(void)state;
	assert_int_equal(compile_fails(one_col, "{\"name\": \"no-such-check\", \"params\": {}}",
				       msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'no-such-check': unknown check");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\", \"params\": {}}",
				       msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': missing params.column");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\", "
				       "\"params\": {\"column\": \"X\"}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': params.column 'X' is not a field of the schema");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\", "
				       "\"params\": {\"column\": 3}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': params.column must be a string");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\"}",
				       msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': \"params\" must be an object");
	assert_int_equal(compile_fails(one_col, "{\"params\": {}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom_checks: entry without a \"name\" string");
	assert_int_equal(compile_fails(one_col, "[]", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom_checks: each entry must be an object");
}

static void test_names(void **state)
{
	size_t n = 0;

	(void)state;
	while (odl_check_names[n])
		n++;
	assert_int_equal(n, 11);
	assert_string_equal(odl_check_names[0], "french-siret-value");
	assert_string_equal(odl_check_names[10], "opening-hours-value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_luhn),
		cmocka_unit_test(test_siret_values),
		cmocka_unit_test(test_siren_values),
		cmocka_unit_test(test_siret_check),
		cmocka_unit_test(test_siren_check),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
