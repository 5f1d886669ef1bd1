/* test_compliance.c - obligation, joins by path, dates and grades. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "odl/compliance.h"

static void test_days(void **state)
{
	int64_t d;

	(void)state;
	assert_int_equal(odl_parse_day("2026-11-23", &d), ODL_OK);
	assert_int_equal(d, 20780);
	assert_int_equal(odl_parse_day("2000-02-29T12:00:00+01:00", &d), ODL_OK);
	assert_int_equal(d, 11016);
	assert_int_equal(odl_parse_day("Wed, 21 Oct 2015 07:28:00 GMT", &d), ODL_OK);
	assert_int_equal(d, 16729);
	assert_int_equal(odl_parse_day("1970-01-01", &d), ODL_OK);
	assert_int_equal(d, 0);
	assert_int_equal(odl_parse_day("21/10/2015", &d), ODL_EFORMAT);
	assert_int_equal(odl_parse_day("2015-13-01", &d), ODL_EFORMAT);
	assert_int_equal(odl_parse_day("", &d), ODL_EFORMAT);
	assert_int_equal(odl_parse_day(NULL, &d), ODL_EFORMAT);
}

struct seen {
	struct odl_compliance_row row[8];
	char schemas[8][64];
	size_t n;
};

static int keep(void *ctx, const struct odl_compliance_row *r)
{
	struct seen *s = ctx;

	assert_true(s->n < 8);
	s->row[s->n] = *r;
	s->schemas[s->n][0] = 0;
	for (size_t i = 0; i < r->n_scdl_schemas; i++) {
		strcat(s->schemas[s->n], r->scdl_schemas[i]);
		strcat(s->schemas[s->n], " ");
	}
	s->row[s->n].scdl_schemas = NULL;
	s->n++;
	return 0;
}

static void add(odl_compliance *c, const char *json)
{
	struct odl_error err;
	json_t *o = json_loads(json, 0, NULL);

	assert_non_null(o);
	assert_int_equal(odl_compliance_add(c, o, &err), ODL_OK);
	json_decref(o);
}

static void test_grades(void **state)
{
	struct odl_compliance_options opt;
	odl_territories *t = odl_territories_new();
	odl_compliance *c;
	struct odl_error err;
	struct seen s;

	(void)state;
	assert_int_equal(odl_territories_read_path(t, ODL_TESTDATA "/compare/territories.csv", &err), ODL_OK);
	odl_compliance_options_init(&opt);
	odl_parse_day("2026-11-23", &opt.today);
	c = odl_compliance_new(t, &opt);
	/* reports before manifests: order does not matter */
	add(c, "{\"path\":\"a.csv\",\"valid\":true}");
	add(c, "{\"path\":\"b.csv\",\"valid\":false}");
	add(c, "{\"path\":\"b.csv\",\"valid\":true}");  /* the last report wins */
	add(c, "{\"path\":\"a.csv\",\"status\":\"ok\",\"organization\":{\"siret\":\"21160015000016\"},"
	       "\"dataset\":{\"id\":\"d1\"},\"schema\":{\"name\":\"scdl/subventions\"},"
	       "\"resource\":{\"last_modified\":\"2026-11-22\"}}");
	add(c, "{\"path\":\"b.csv\",\"status\":\"ok\",\"organization\":{\"siret\":\"21160102600012\"},"
	       "\"dataset\":{\"id\":\"d2\"},\"schema\":{\"name\":\"scdl/budget\"},"
	       "\"last_update\":\"2025-11-22\"}");
	add(c, "{\"path\":\"c.csv\",\"status\":\"ok\",\"organization\":{\"siren\":\"211601133\"},"
	       "\"dataset\":{\"id\":\"d3\"}}");
	add(c, "{\"something\":\"else\"}");
	memset(&s, 0, sizeof(s));
	assert_int_equal(odl_compliance_run(c, keep, &s, &err), ODL_OK);
	assert_int_equal(s.n, 6);
	/* Angoulême: all four points */
	assert_int_equal(s.row[0].grade, 'A');
	assert_int_equal(s.row[0].days_since_update, 1);
	assert_int_equal(s.row[0].obligated, ODL_OBLIGATED_YES);
	assert_string_equal(s.schemas[0], "scdl/subventions ");
	/* Cognac: valid, but 366 days old */
	assert_int_equal(s.row[1].scdl_valid, 1);
	assert_int_equal(s.row[1].days_since_update, 366);
	assert_string_equal(s.row[1].last_update, "2025-11-22");
	assert_int_equal(s.row[1].grade, 'B');
	/* Dirac: published, no schema, no date */
	assert_int_equal(s.row[2].resources, 1);
	assert_int_equal(s.row[2].grade, 'D');
	assert_int_equal(s.row[2].obligated, ODL_OBLIGATED_NO);
	/* nothing published: zeros, E */
	assert_int_equal(s.row[3].resources, 0);
	assert_int_equal(s.row[3].grade, 'E');
	assert_int_equal(s.row[3].obligated, ODL_OBLIGATED_UNKNOWN_AGENTS);
	assert_int_equal(s.row[4].obligated, ODL_OBLIGATED_UNKNOWN_POPULATION);
	assert_int_equal(odl_compliance_stats(c)->other_lines, 1);
	assert_int_equal(odl_compliance_stats(c)->report_lines, 3);
	assert_string_equal(odl_obligated_name(ODL_OBLIGATED_UNKNOWN_AGENTS), "unknown-agents");
	odl_compliance_free(c);
	odl_compliance_free(NULL);
	odl_territories_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_grades),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
