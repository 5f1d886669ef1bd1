/* test_types.c - cells read by Table Schema types as frictionless-py reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "schema_private.h"

#define assert_double_equal(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

/* Build a one-field schema from a field descriptor. */
static odl_schema *one(const char *field)
{
	char text[2048];
	odl_schema *s = NULL;
	struct odl_error err;

	snprintf(text, sizeof(text), "{\"fields\": [%s]}", field);
	if (odl_schema_load_text(text, strlen(text), "t.json", &s, &err) != ODL_OK)
		fail_msg("schema %s: %s", field, err.message);
	return s;
}

static int ok(odl_schema *s, const char *cell)
{
	struct odl_value v;
	return odl_type_read(&s->fields[0], cell, strlen(cell), &v) == 0;
}

static double num(odl_schema *s, const char *cell)
{
	struct odl_value v;
	assert_int_equal(odl_type_read(&s->fields[0], cell, strlen(cell), &v), 0);
	return v.num;
}

static void integers(void **state)
{
	odl_schema *s = one("{\"name\": \"n\", \"type\": \"integer\"}");
	(void)state;
	assert_true(ok(s, "42"));
	assert_true(ok(s, "-7"));
	assert_true(ok(s, "+7"));
	assert_true(ok(s, "007"));
	assert_true(ok(s, " 12 "));
	assert_true(ok(s, "1_000"));
	assert_double_equal(num(s, "1_000"), 1000, 0);
	assert_false(ok(s, "1.0"));
	assert_false(ok(s, "1e3"));
	assert_false(ok(s, "1 000"));
	assert_false(ok(s, "_1"));
	assert_false(ok(s, "1__0"));
	assert_false(ok(s, ""));
	assert_false(ok(s, "-"));
	/* Python's int(): Unicode whitespace around, digits of every script
	 * (values checked with /usr/bin/python3; more in python_rules) */
	assert_double_equal(num(s, "\u00a012\u202f"), 12, 0);
	assert_double_equal(num(s, "\u0661\u0662"), 12, 0);       /* ١٢ */
	assert_double_equal(num(s, "\uff11\uff12"), 12, 0);       /* １２ */
	assert_double_equal(num(s, "\u3000-1_2\u2028"), -12, 0);
	assert_false(ok(s, "\x1c" "12"));      /* str.strip() takes \x1c, int() does not */
	assert_false(ok(s, "\u200b12"));    /* zero width space: not whitespace */
	assert_false(ok(s, "1\u00b2"));     /* ² is a digit for isdigit(), not a decimal */
	odl_schema_free(s);
	s = one("{\"name\": \"n\", \"type\": \"integer\", \"bareNumber\": false}");
	assert_double_equal(num(s, "€ 12"), 12, 0);
	/* r"((^\D*)|(\D*$))" takes the sign too: Python gives 12 */
	assert_double_equal(num(s, "-12 %"), 12, 0);
	odl_schema_free(s);
}

static void numbers(void **state)
{
	odl_schema *s = one("{\"name\": \"n\", \"type\": \"number\"}");
	(void)state;
	assert_double_equal(num(s, "1.5"), 1.5, 0);
	assert_double_equal(num(s, ".5"), 0.5, 0);
	assert_double_equal(num(s, "5."), 5, 0);
	assert_double_equal(num(s, "1e3"), 1000, 0);
	assert_double_equal(num(s, "-2E-2"), -0.02, 1e-15);
	assert_double_equal(num(s, "1_000.5"), 1000.5, 0);
	assert_true(isinf(num(s, "Infinity")));
	assert_true(isinf(num(s, "-inf")));
	assert_true(isnan(num(s, "NaN")));
	assert_false(ok(s, "1,5"));
	assert_false(ok(s, "1.2.3"));
	assert_false(ok(s, "."));
	assert_false(ok(s, "e3"));
	assert_false(ok(s, "1e"));
	assert_false(ok(s, "0x10"));
	assert_false(ok(s, "12 €"));
	/* Python's Decimal(): str.strip()'s whitespace, digits of every script,
	 * underscores dropped anywhere (CPython 3.11) */
	assert_double_equal(num(s, "\u00a06.081738"), 6.081738, 1e-15);
	assert_double_equal(num(s, "\x1c" "1.5\u3000"), 1.5, 0);
	assert_double_equal(num(s, "\u0661.\u0665"), 1.5, 0);
	assert_double_equal(num(s, "_1__0_"), 10, 0);
	assert_true(isnan(num(s, "NaN123")));
	assert_false(ok(s, "1\u00a02"));
	odl_schema_free(s);
	s = one("{\"name\": \"n\", \"type\": \"number\", \"decimalChar\": \",\", \"groupChar\": \" \"}");
	assert_double_equal(num(s, "1 234,5"), 1234.5, 0);
	assert_false(ok(s, "1.5"));
	odl_schema_free(s);
	/* French exports: a narrow no-break space between thousands */
	s = one("{\"name\": \"n\", \"type\": \"number\", \"decimalChar\": \",\", \"groupChar\": \"\u202f\"}");
	assert_double_equal(num(s, "\u00a01\u202f234,5\u00a0"), 1234.5, 0);
	odl_schema_free(s);
	s = one("{\"name\": \"n\", \"type\": \"number\", \"bareNumber\": false}");
	assert_double_equal(num(s, "12.5 €"), 12.5, 0);
	odl_schema_free(s);
}

static void booleans(void **state)
{
	odl_schema *s = one("{\"name\": \"b\", \"type\": \"boolean\"}");
	(void)state;
	assert_double_equal(num(s, "true"), 1, 0);
	assert_double_equal(num(s, "TRUE"), 1, 0);
	assert_double_equal(num(s, "0"), 0, 0);
	assert_false(ok(s, "oui"));
	assert_false(ok(s, "tRue"));
	assert_false(ok(s, " true"));
	odl_schema_free(s);
	s = one("{\"name\": \"b\", \"type\": \"boolean\", \"trueValues\": [\"oui\"], \"falseValues\": [\"non\"]}");
	assert_true(ok(s, "oui"));
	assert_true(ok(s, "non"));
	assert_false(ok(s, "true"));
	assert_false(ok(s, "Oui"));
	odl_schema_free(s);
}

static void dates(void **state)
{
	odl_schema *s = one("{\"name\": \"d\", \"type\": \"date\"}");
	(void)state;
	assert_double_equal(num(s, "1970-01-02"), 1, 0);
	assert_double_equal(num(s, "2020-1-5"), num(s, "2020-01-05"), 0);
	assert_true(ok(s, "2024-02-29"));
	assert_false(ok(s, "2023-02-29"));
	assert_false(ok(s, "2020-13-01"));
	assert_false(ok(s, "05/12/2016"));
	assert_false(ok(s, "2016-12-05 "));
	assert_false(ok(s, "16-12-05"));
	assert_false(ok(s, "2016-12-05T10:00:00"));
	odl_schema_free(s);
	s = one("{\"name\": \"d\", \"type\": \"date\", \"format\": \"%d/%m/%Y\"}");
	assert_double_equal(num(s, "05/12/2016"), num(s, "5/12/2016"), 0);
	assert_false(ok(s, "2016-12-05"));
	assert_false(ok(s, "31/04/2016"));
	odl_schema_free(s);
	s = one("{\"name\": \"d\", \"type\": \"date\", \"format\": \"fmt:%Y%m%d\"}");
	assert_true(ok(s, "20161205"));
	odl_schema_free(s);
	s = one("{\"name\": \"d\", \"type\": \"date\", \"format\": \"any\"}");
	assert_true(ok(s, "05/12/2016"));
	assert_true(ok(s, "2016-12-05"));
	assert_false(ok(s, "hier"));
	odl_schema_free(s);
}

static void datetimes_and_times(void **state)
{
	odl_schema *s = one("{\"name\": \"d\", \"type\": \"datetime\"}");
	(void)state;
	assert_double_equal(num(s, "1970-01-01T00:01:00Z"), 60, 0);
	assert_double_equal(num(s, "1970-01-01T01:00:00+01:00"), 0, 0);
	assert_true(ok(s, "2020-05-01 10:00:00"));
	assert_true(ok(s, "2020-05-01T10:00:00.123"));
	assert_true(ok(s, "2020-05-01T24:00:00"));
	assert_false(ok(s, "2020-05-01T10:00"));
	assert_false(ok(s, "2020-05-01"));
	assert_false(ok(s, "2020-05-01T25:00:00"));
	odl_schema_free(s);
	s = one("{\"name\": \"t\", \"type\": \"time\"}");
	assert_double_equal(num(s, "01:02:03"), 3723, 0);
	assert_true(ok(s, "10:00:00Z"));
	assert_false(ok(s, "10:00"));
	assert_false(ok(s, "10h00m00"));
	odl_schema_free(s);
}

static void years_durations_geo(void **state)
{
	odl_schema *s = one("{\"name\": \"y\", \"type\": \"year\"}");
	(void)state;
	assert_double_equal(num(s, "2024"), 2024, 0);
	assert_true(ok(s, "+202"));
	assert_false(ok(s, "-202"));
	assert_false(ok(s, "20245"));
	assert_false(ok(s, "24"));
	odl_schema_free(s);
	s = one("{\"name\": \"y\", \"type\": \"yearmonth\"}");
	assert_true(ok(s, "2024-03"));
	assert_false(ok(s, "2024-13"));
	assert_false(ok(s, "2024"));
	odl_schema_free(s);
	s = one("{\"name\": \"d\", \"type\": \"duration\"}");
	assert_double_equal(num(s, "PT1H30M"), 5400, 0);
	assert_true(ok(s, "P1Y2M3DT4H5M6S"));
	assert_true(ok(s, "P2W"));
	assert_false(ok(s, "P"));
	assert_false(ok(s, "PT"));
	assert_false(ok(s, "1H"));
	assert_false(ok(s, "PT1D"));
	odl_schema_free(s);
	s = one("{\"name\": \"g\", \"type\": \"geopoint\"}");
	assert_true(ok(s, "2.35, 48.85"));
	assert_false(ok(s, "48.85"));
	assert_false(ok(s, "200, 10"));
	odl_schema_free(s);
	s = one("{\"name\": \"g\", \"type\": \"geopoint\", \"format\": \"array\"}");
	assert_true(ok(s, "[2.35, 48.85]"));
	assert_false(ok(s, "2.35, 48.85"));
	odl_schema_free(s);
	s = one("{\"name\": \"g\", \"type\": \"geopoint\", \"format\": \"object\"}");
	assert_true(ok(s, "{\"lon\": 2.35, \"lat\": 48.85}"));
	assert_false(ok(s, "{\"lat\": 48.85}"));
	odl_schema_free(s);
}

static void strings_and_json(void **state)
{
	odl_schema *s = one("{\"name\": \"e\", \"format\": \"email\"}");
	(void)state;
	assert_true(ok(s, "mairie@ville.fr"));
	assert_false(ok(s, "mairie.ville.fr"));
	assert_false(ok(s, "mairie@ville"));
	odl_schema_free(s);
	s = one("{\"name\": \"u\", \"type\": \"string\", \"format\": \"uri\"}");
	assert_true(ok(s, "https://www.data.gouv.fr/"));
	assert_false(ok(s, "www.data.gouv.fr"));
	odl_schema_free(s);
	s = one("{\"name\": \"u\", \"type\": \"string\", \"format\": \"uuid\"}");
	assert_true(ok(s, "123e4567-e89b-12d3-a456-426614174000"));
	assert_false(ok(s, "123e4567e89b12d3a456426614174000"));
	odl_schema_free(s);
	s = one("{\"name\": \"a\", \"type\": \"array\"}");
	assert_true(ok(s, "[\"a\", \"b\"]"));
	assert_false(ok(s, "{}"));
	odl_schema_free(s);
	/* items go through the item field; those that are not strings whole */
	s = one("{\"name\": \"a\", \"type\": \"array\", \"arrayItem\": {\"type\": \"object\"}}");
	assert_true(ok(s, "[{\"a_rather_long_key_name_for_this_object\": \"and a long value too\"}]"));
	assert_false(ok(s, "[{}, 3]"));
	odl_schema_free(s);
	s = one("{\"name\": \"a\", \"type\": \"array\", \"arrayItem\": {\"type\": \"integer\"}}");
	assert_true(ok(s, "[1, \"2\", 3]"));
	assert_false(ok(s, "[1, 2.5]"));
	odl_schema_free(s);
	s = one("{\"name\": \"o\", \"type\": \"object\"}");
	assert_true(ok(s, "{\"a\": 1}"));
	assert_false(ok(s, "[1]"));
	odl_schema_free(s);
	s = one("{\"name\": \"g\", \"type\": \"geojson\"}");
	assert_true(ok(s, "{\"type\": \"Point\", \"coordinates\": [2.3, 48.8]}"));
	assert_false(ok(s, "{\"type\": \"Banana\"}"));
	odl_schema_free(s);
}

static void patterns(void **state)
{
	struct odl_pattern *p;
	struct odl_pattern_match *m = odl_pattern_match_new();
	(void)state;
	assert_int_equal(odl_pattern_compile("\\d{5}", &p, NULL), ODL_OK);
	assert_true(odl_pattern_test(p, "75001", 5, m));
	assert_false(odl_pattern_test(p, "750012", 6, m));
	assert_false(odl_pattern_test(p, "x75001", 6, m));
	assert_true(odl_pattern_test(p, "75001\n", 6, m)); /* Python's $ before a final newline */
	assert_true(odl_pattern_test(p, "\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5", 10, m)); /* Unicode \d */
	odl_pattern_free(p);
	/* a top-level alternation: ^a|b$ under re.match */
	assert_int_equal(odl_pattern_compile("oui|non", &p, NULL), ODL_OK);
	assert_true(odl_pattern_test(p, "ouixyz", 6, m));
	assert_true(odl_pattern_test(p, "non", 3, m));
	assert_false(odl_pattern_test(p, "xnon", 4, m));
	odl_pattern_free(p);
	assert_int_equal(odl_pattern_compile("\\u00e9t\\u00e9", &p, NULL), ODL_OK);
	assert_true(odl_pattern_test(p, "\xc3\xa9t\xc3\xa9", 5, m));
	odl_pattern_free(p);
	struct odl_error err;
	assert_int_equal(odl_pattern_compile("(ab", &p, &err), ODL_ESCHEMA);
	assert_null(p);
	odl_pattern_match_free(m);
}

/*
 * Python's rules, case by case: testdata/types/python-values.jsonl holds
 * cells with what /usr/bin/python3 makes of them as frictionless-py reads
 * them (scripts/check-python-types writes and checks it): Unicode
 * whitespace around numbers, decimal digits of every script, int() and
 * Decimal() details, bareNumber/groupChar/decimalChar, strptime's \d and \s.
 */
static void python_rules(void **state)
{
	FILE *fp = fopen("testdata/types/python-values.jsonl", "r");
	char line[16384];
	size_t n = 0, bad = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		json_error_t je;
		json_t *l = json_loads(line, JSON_ALLOW_NUL, &je);
		assert_non_null(l);
		char *fd = json_dumps(json_array_get(l, 0), JSON_COMPACT);
		const char *cell = json_string_value(json_array_get(l, 1));
		size_t len = json_string_length(json_array_get(l, 1));
		json_t *want = json_array_get(l, 2);
		char field[512];
		snprintf(field, sizeof(field), "{\"name\": \"x\", %s", fd + 1);
		odl_schema *s = one(field);
		struct odl_value v;
		int rc = odl_type_read(&s->fields[0], cell, len, &v);
		int same;
		if (json_is_null(want))
			same = rc != 0;
		else if (json_is_string(want))
			same = rc == 0 && (strcmp(json_string_value(want), "nan") == 0 ? isnan(v.num) :
					   strcmp(json_string_value(want), "inf") == 0 ? v.num == INFINITY :
					   v.num == -INFINITY);
		else
			same = rc == 0 && fabs(v.num - json_number_value(want)) <= 1e-9 * fmax(1, fabs(v.num));
		if (!same && bad++ < 20) {
			char *c = json_dumps(json_array_get(l, 1), JSON_ENCODE_ANY);
			print_message("differs from Python: %s %s -> %s (odl: %s %g)\n", fd, c,
				      json_is_null(want) ? "error" : "a value", rc ? "error" : "value", rc ? 0 : v.num);
			free(c);
		}
		n++;
		odl_schema_free(s);
		free(fd);
		json_decref(l);
	}
	fclose(fp);
	if (bad)
		print_message("%zu of %zu cells differ from Python\n", bad, n);
	assert_true(n > 1000);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(numbers),
		cmocka_unit_test(booleans),
		cmocka_unit_test(dates),
		cmocka_unit_test(datetimes_and_times),
		cmocka_unit_test(years_durations_geo),
		cmocka_unit_test(strings_and_json),
		cmocka_unit_test(patterns),
		cmocka_unit_test(python_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
