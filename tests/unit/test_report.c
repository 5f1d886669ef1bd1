/* test_report.c - the report's model: row kinds, input formats, chunks, years, peer groups, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/report.h"

static odl_report *new_report(const char *focus, const char *year)
{
	struct odl_report_options o;
	odl_report *r;

	odl_report_options_init(&o);
	o.lang = "en";
	o.focus = focus;
	o.year = year;
	r = odl_report_new(&o);
	assert_non_null(r);
	return r;
}

/* Feed s in chunks of `chunk` bytes (0 = whole) as one input. */
static int feed(odl_report *r, const char *name, const char *s, size_t chunk,
		struct odl_error *err)
{
	size_t n = strlen(s);
	int rc = odl_report_begin(r, name, err);

	for (size_t i = 0; rc == ODL_OK && i < n; i += chunk ? chunk : n)
		rc = odl_report_feed(r, s + i, chunk && n - i > chunk ? chunk : n - i, err);
	return rc == ODL_OK ? odl_report_end(r, err) : rc;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	return s;
}

static char *written(odl_report *r, enum odl_render_format fmt, int *rc)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	struct odl_report_output o = { fmt, NULL, 0, 0 };
	struct odl_error err;

	assert_non_null(f);
	*rc = odl_report_write(r, f, &o, &err);
	fclose(f);
	return s;
}

static const char mixed[] =
	"{\"path\":\"a.csv\",\"valid\":false,\"error_count\":1,\"errors\":[{\"type\":\"type-error\",\"field\":\"x\",\"row\":2}]}\n"
	"{\"url\":\"https://x/y.csv\",\"status\":\"ok\",\"path\":\"y.csv\"}\n"
	"{\"territory\":\"16015\",\"indicator\":\"i\",\"year\":2023,\"value\":3}\n"
	"{\"code\":\"16015\",\"name\":\"Angoulême\",\"grade\":\"B\"}\n"
	"{\"whatever\":1,\"else\":\"two\"}\n";

static void test_kinds(void **state)
{
	odl_report *r = new_report(NULL, NULL);
	struct odl_error err;
	(void)state;

	assert_int_equal(feed(r, "mixed.ndjson", mixed, 0, &err), ODL_OK);
	assert_int_equal(odl_report_count(r, ODL_REPORT_VALIDATION), 1);
	assert_int_equal(odl_report_count(r, ODL_REPORT_MANIFEST), 1);
	assert_int_equal(odl_report_count(r, ODL_REPORT_INDICATOR), 1);
	assert_int_equal(odl_report_count(r, ODL_REPORT_COMPLIANCE), 1);
	assert_int_equal(odl_report_count(r, ODL_REPORT_TABLE), 1);
	assert_int_equal(odl_report_count(r, ODL_REPORT_AUTO), 5);
	odl_report_free(r);
}

/* Every chunk size gives the same rows and the same document. */
static void test_chunks(void **state)
{
	char *s = slurp("testdata/render/comparison.ndjson"), *want, *got;
	odl_report *r = new_report("16102", NULL);
	struct odl_error err;
	size_t n = strlen(s);
	int rc;
	(void)state;

	assert_int_equal(feed(r, "c.ndjson", s, 0, &err), ODL_OK);
	want = written(r, ODL_FMT_HTML, &rc);
	assert_int_equal(rc, ODL_OK);
	odl_report_free(r);
	for (size_t chunk = 1; chunk <= n; chunk += chunk < 64 ? 1 : 97) {
		r = new_report("16102", NULL);
		assert_int_equal(feed(r, "c.ndjson", s, chunk, &err), ODL_OK);
		assert_int_equal(odl_report_count(r, ODL_REPORT_INDICATOR), 13);
		got = written(r, ODL_FMT_HTML, &rc);
		assert_int_equal(rc, ODL_OK);
		assert_string_equal(got, want);
		free(got);
		odl_report_free(r);
	}
	free(want);
	free(s);
}

static void test_csv(void **state)
{
	struct odl_report_options o;
	odl_report *r = new_report(NULL, NULL);
	struct odl_error err;
	(void)state;

	assert_int_equal(feed(r, "t.csv", "code,name\n1,a\n2,b\n", 1, &err), ODL_OK);
	assert_int_equal(odl_report_count(r, ODL_REPORT_TABLE), 2);
	/* blanks before the '{' that makes it NDJSON, a byte at a time */
	assert_int_equal(feed(r, "t.ndjson", "\n  \n\t{\"code\":\"1\"}\n", 1, &err), ODL_OK);
	assert_int_equal(odl_report_count(r, ODL_REPORT_TABLE), 3);
	/* an empty input is no error */
	assert_int_equal(feed(r, "empty", "", 0, &err), ODL_OK);
	odl_report_free(r);

	odl_report_options_init(&o);
	o.kind = ODL_REPORT_VALIDATION;
	r = odl_report_new(&o);
	assert_int_equal(feed(r, "t.csv", "code,name\n1,a\n", 0, &err), ODL_EFORMAT);
	assert_string_equal(err.file, "t.csv");
	assert_string_equal(err.message, "validation reports are read from NDJSON");
	odl_report_free(r);
}

static void test_bad_json(void **state)
{
	odl_report *r = new_report(NULL, NULL);
	struct odl_error err;
	(void)state;

	assert_int_equal(feed(r, "b.ndjson", "{\"a\":1}\n{\"a\":\n", 3, &err), ODL_EFORMAT);
	assert_int_equal(err.line, 2);
	/* the line read before the error is kept, the next input is read */
	assert_int_equal(odl_report_count(r, ODL_REPORT_TABLE), 1);
	assert_int_equal(feed(r, "c.ndjson", "{\"a\":2}\n", 0, &err), ODL_OK);
	assert_int_equal(odl_report_count(r, ODL_REPORT_TABLE), 2);
	odl_report_free(r);
}

static const char years[] =
	"{\"territory\":\"A\",\"peers\":\"g1\",\"indicator\":\"i\",\"year\":2022,\"value\":1,\"rank\":1}\n"
	"{\"territory\":\"B\",\"peers\":\"g1\",\"indicator\":\"i\",\"year\":2022,\"value\":2,\"rank\":1}\n"
	"{\"territory\":\"B\",\"peers\":\"g1\",\"indicator\":\"i\",\"year\":2023,\"value\":2,\"rank\":1}\n"
	"{\"territory\":\"C\",\"peers\":\"g2\",\"indicator\":\"i\",\"year\":2023,\"value\":5,\"rank\":1}\n"
	"{\"territory\":\"D\",\"peers\":\"g2\",\"indicator\":\"j\",\"year\":2021,\"value\":5,\"rank\":1}\n";

static void test_years(void **state)
{
	odl_report *r = new_report(NULL, NULL);
	struct odl_error err;
	(void)state;

	assert_int_equal(feed(r, "y.ndjson", years, 0, &err), ODL_OK);
	assert_int_equal(odl_report_indicators(r), 2);
	assert_string_equal(odl_report_indicator(r, 0), "i");
	assert_string_equal(odl_report_indicator(r, 1), "j");
	assert_null(odl_report_indicator(r, 2));
	assert_string_equal(odl_report_year(r, "i"), "2023");
	assert_string_equal(odl_report_year(r, "j"), "2021");
	assert_string_equal(odl_report_year(r, "none"), "");
	odl_report_free(r);

	/* the focus's latest year, not the indicator's */
	r = new_report("A", NULL);
	assert_int_equal(feed(r, "y.ndjson", years, 0, &err), ODL_OK);
	assert_string_equal(odl_report_year(r, "i"), "2022");
	/* an indicator the focus lacks keeps its own latest year */
	assert_string_equal(odl_report_year(r, "j"), "2021");
	odl_report_free(r);

	/* --year wins */
	r = new_report("A", "2023");
	assert_int_equal(feed(r, "y.ndjson", years, 0, &err), ODL_OK);
	assert_string_equal(odl_report_year(r, "i"), "2023");
	odl_report_free(r);
}

static void test_peer_group(void **state)
{
	char *s = slurp("testdata/render/comparison-groups.ndjson");
	const char *codes[8];
	odl_report *r = new_report("17299", NULL);
	struct odl_error err;
	(void)state;

	assert_int_equal(feed(r, "g.ndjson", s, 0, &err), ODL_OK);
	/* the focus among its own peers only, best first */
	assert_int_equal(odl_report_ranking(r, "subventions_montant_total", "2023", codes, 8), 2);
	assert_string_equal(codes[0], "17300");
	assert_string_equal(codes[1], "17299");
	odl_report_free(r);

	r = new_report(NULL, NULL);
	assert_int_equal(feed(r, "g.ndjson", s, 0, &err), ODL_OK);
	assert_int_equal(odl_report_ranking(r, "subventions_montant_total", "2023", codes, 8), 5);
	odl_report_free(r);
	free(s);
}

static void test_write_errors(void **state)
{
	odl_report *r = new_report(NULL, NULL);
	struct odl_report_output o = { ODL_FMT_SVG, NULL, 0, 0 };
	struct odl_error err;
	char *s;
	int rc;
	FILE *f;
	(void)state;

	assert_int_equal(feed(r, "t.csv", "a,b\n1,2\n", 0, &err), ODL_OK);
	s = written(r, ODL_FMT_SVG, &rc);
	assert_int_equal(rc, ODL_ENOTFOUND);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(odl_report_write(r, stdout, &o, &err), ODL_ENOTFOUND);
	assert_string_equal(err.message, "nothing to chart in this input");

	f = fopen("/dev/full", "w");
	if (f) {
		o.fmt = ODL_FMT_HTML;
		assert_int_equal(odl_report_write(r, f, &o, &err), ODL_EIO);
		fclose(f);
	}
	odl_report_free(r);
	odl_report_free(NULL);
}

static void test_sources(void **state)
{
	odl_report *r = new_report(NULL, NULL);
	struct odl_error err;
	const char *date;
	(void)state;

	assert_int_equal(feed(r, "m.ndjson",
		"{\"url\":\"https://x/1\",\"status\":\"ok\",\"path\":\"a.csv\",\"dataset\":{\"title\":\"Subventions\"},"
		"\"resource\":{\"title\":\"2024.csv\",\"last_modified\":\"2025-03-02T08:00:00+00:00\"}}\n"
		"{\"url\":\"https://x/2\",\"status\":\"failed\",\"path\":\"\",\"resource\":{\"title\":\"lost.csv\"}}\n"
		"{\"territory\":\"A\",\"indicator\":\"i\",\"year\":2024,\"value\":1,"
		"\"sources\":[\"b.csv\",{\"path\":\"c.csv\",\"date\":\"2024-01-31\"}]}\n"
		"{\"territory\":\"B\",\"indicator\":\"i\",\"year\":2024,\"value\":2,\"source\":\"b.csv\"}\n"
		"{\"code\":\"A\",\"grade\":\"A\",\"sources\":{\"url\":\"https://d/e.csv\"}}\n", 7, &err), ODL_OK);
	/* a failed download is no source; a file named twice is one source */
	assert_int_equal(odl_report_nsources(r), 4);
	assert_string_equal(odl_report_source(r, 0, &date), "Subventions — 2024.csv");
	assert_string_equal(date, "2025-03-02");
	assert_string_equal(odl_report_source(r, 1, &date), "b.csv");
	assert_string_equal(date, "");
	assert_string_equal(odl_report_source(r, 2, &date), "c.csv");
	assert_string_equal(date, "2024-01-31");
	assert_string_equal(odl_report_source(r, 3, NULL), "https://d/e.csv");
	assert_null(odl_report_source(r, 4, &date));
	odl_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_peer_group),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
