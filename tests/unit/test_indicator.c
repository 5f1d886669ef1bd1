/* test_indicator.c - indicator sets and the streaming engine, against
 * values computed by hand on testdata/compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odl/indicator.h"

#define DIR ODL_TESTDATA "/compare/"
#define SETS ODL_TESTDATA "/../data/indicators/"

struct got {
	char key[64][96];
	double value[64];
	int has[64];
	const char *why[64];
	uint64_t n_rows[64], n_errors[64];
	size_t n;
};

static int collect(void *ctx, const struct odl_indicator_row *r)
{
	struct got *g = ctx;

	assert_true(g->n < 64);
	snprintf(g->key[g->n], sizeof(g->key[0]), "%s %d %s %s", r->territory->code, r->year,
		 r->indicator, r->category ? r->category : "-");
	g->value[g->n] = r->value;
	g->has[g->n] = r->has_value;
	g->why[g->n] = r->null_reason; /* static texts */
	g->n_rows[g->n] = r->n_rows;
	g->n_errors[g->n] = r->n_errors;
	g->n++;
	return 0;
}

static size_t find(const struct got *g, const char *key)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->key[i], key) == 0)
			return i;
	fail_msg("no result '%s'", key);
	return 0;
}

static void expect(const struct got *g, const char *key, double v)
{
	size_t i = find(g, key);
	assert_true(g->has[i]);
	if (fabs(g->value[i] - v) > 1e-9)
		fail_msg("%s: %.17g, expected %.17g", key, g->value[i], v);
}

static void expect_null(const struct got *g, const char *key)
{
	assert_false(g->has[find(g, key)]);
}

static void expect_why(const struct got *g, const char *key, const char *why)
{
	size_t i = find(g, key);
	assert_false(g->has[i]);
	assert_non_null(g->why[i]);
	assert_string_equal(g->why[i], why);
}

static void run_set(const char *set_name, const char *const *files, size_t n, struct got *g,
		    struct odl_indicator_stats *last)
{
	odl_territories *t = odl_territories_new();
	odl_indicator_set *set;
	odl_indicator_run *run;
	struct odl_error err;
	char path[512];

	snprintf(path, sizeof(path), SETS "%s.json", set_name);
	assert_int_equal(odl_territories_read_path(t, DIR "territories.csv", &err), ODL_OK);
	assert_int_equal(odl_indicator_set_load(path, &set, &err), ODL_OK);
	run = odl_indicator_run_new(set, t, NULL);
	assert_non_null(run);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), DIR "%s", files[i]);
		assert_int_equal(odl_indicator_run_path(run, path, NULL, &err), ODL_OK);
	}
	if (last)
		*last = *odl_indicator_run_stats(run);
	memset(g, 0, sizeof(*g));
	assert_int_equal(odl_indicator_run_results(run, collect, g, &err), ODL_OK);
	odl_indicator_run_free(run);
	odl_indicator_set_free(set);
	odl_territories_free(t);
}

static void test_subventions(void **state)
{
	static const char *const files[] = { "subventions-2023.csv" };
	struct odl_indicator_stats st;
	struct got g;

	(void)state;
	run_set("subventions", files, 1, &g, &st);
	/* Angoulême 2023: 1000 + 3000 + 2000 + 4000 */
	expect(&g, "16015 2023 subventions_montant_total -", 10000);
	expect(&g, "16015 2023 subventions_nombre -", 4);
	expect(&g, "16015 2023 subventions_montant_par_habitant -", 10000.0 / 40000);
	expect(&g, "16015 2023 subventions_montant_median -", 2500);
	expect(&g, "16015 2023 subventions_part_associations -", 8000.0 / 10000);
	expect(&g, "16015 2023 subventions_beneficiaires -", 3);
	/* Cognac 2023: "1 500,00" is an error, not zero, not 1500 */
	expect(&g, "16102 2023 subventions_montant_total -", 3000);
	assert_int_equal(g.n_errors[find(&g, "16102 2023 subventions_montant_total -")], 1);
	expect(&g, "16102 2023 subventions_nombre -", 3);
	expect(&g, "16102 2023 subventions_montant_median -", 1500);
	expect(&g, "16102 2023 subventions_part_associations -", 1000.0 / 3000);
	/* single row, and a missing denominator */
	expect(&g, "16113 2023 subventions_montant_par_habitant -", 2);
	/* Dirac's one grant names no RNA: associations' share unknown, not 0
	 * (a comité des fêtes is an association whose number was not written) */
	expect_why(&g, "16113 2023 subventions_part_associations -", ODL_NULL_NOT_MEASURED);
	expect_why(&g, "2A004 2023 subventions_montant_par_habitant -", ODL_NULL_NO_DENOMINATOR);
	assert_null(g.why[find(&g, "2A004 2023 subventions_montant_total -")]);
	expect(&g, "2A004 2023 subventions_montant_total -", 2500);
	/* 6 indicators × (16015 2022, 16015 2023, 16102, 16113, 17300, 2A004) */
	assert_int_equal(g.n, 36);
	assert_int_equal(st.rows, 13);
	assert_int_equal(st.used, 11);
	assert_int_equal(st.no_territory, 1);
	assert_int_equal(st.no_year, 1);
	assert_int_equal(st.non_numeric, 1);
	assert_int_equal(st.first_error_line, 8);
	assert_string_equal(st.first_error_field, "montant");
	assert_string_equal(st.first_error_value, "1 500,00");
	assert_string_equal(st.first_unknown_key, "99999999900099");
}

static void test_windows_1252_and_only_errors(void **state)
{
	static const char *const files[] = { "subventions-2024-windows-1252.csv" };
	struct odl_indicator_stats st;
	struct got g;

	(void)state;
	run_set("subventions", files, 1, &g, &st);
	expect(&g, "16015 2024 subventions_montant_total -", 4000);
	expect(&g, "16015 2024 subventions_montant_median -", 2000);
	expect(&g, "16015 2024 subventions_part_associations -", 2500.0 / 4000);
	/* Cognac 2024: its only amount is "abc": sum and median are null */
	expect_null(&g, "16102 2024 subventions_montant_total -");
	expect_null(&g, "16102 2024 subventions_montant_median -");
	expect(&g, "16102 2024 subventions_nombre -", 1);
	assert_int_equal(g.n_errors[find(&g, "16102 2024 subventions_montant_total -")], 1);
	assert_int_equal(st.non_numeric, 1);
	assert_int_equal(st.first_error_line, 4);
}

static void test_other_sets(void **state)
{
	static const char *const delib[] = { "deliberations.csv" };
	static const char *const budget[] = { "budget.csv" };
	static const char *const equip[] = { "equipements.csv" };
	struct got g;

	(void)state;
	run_set("deliberations", delib, 1, &g, NULL);
	expect(&g, "16015 2023 deliberations_nombre -", 3);
	expect(&g, "16015 2023 deliberations_part_votes -", 2.0 / 3);
	expect(&g, "16015 2023 deliberations_par_matiere 7.5", 2);
	expect(&g, "16015 2023 deliberations_par_matiere 1.1", 1);
	expect(&g, "16102 2023 deliberations_part_votes -", 0);
	assert_int_equal(g.n, 10);

	run_set("budget", budget, 1, &g, NULL);
	expect(&g, "16015 2023 budget_depenses_par_habitant fonctionnement", 30e6 / 40000);
	expect(&g, "16015 2023 budget_depenses_par_habitant investissement", 10e6 / 40000);
	expect(&g, "16015 2023 budget_recettes_par_habitant fonctionnement", 36e6 / 40000);
	expect(&g, "16015 2023 budget_recettes_par_habitant investissement", 4e6 / 40000);
	expect(&g, "16015 2023 budget_part_investissement -", 0.25);
	/* Cognac: only a budget primitif, the filter leaves an empty group */
	expect_null(&g, "16102 2023 budget_part_investissement -");
	assert_int_equal(g.n_rows[find(&g, "16102 2023 budget_part_investissement -")], 0);
	assert_int_equal(g.n, 6);

	run_set("equipements", equip, 1, &g, NULL);
	expect(&g, "16015 0 equipements_pour_10000_habitants -", 0.75);
	expect(&g, "16015 0 equipements_par_theme_pour_10000_habitants Equipement culturel", 0.25);
	expect(&g, "16102 0 equipements_pour_10000_habitants -", 1);
	expect_null(&g, "2A004 0 equipements_pour_10000_habitants -");
	assert_int_equal(g.n, 7);
}

static void test_quantile(void **state)
{
	const double x[] = { 1, 2, 3, 4 };
	const double one[] = { 7 };

	(void)state;
	assert_true(odl_quantile_sorted(x, 4, 0.5) == 2.5);
	assert_true(odl_quantile_sorted(x, 4, 0.25) == 1.75);
	assert_true(odl_quantile_sorted(x, 4, 0.75) == 3.25);
	assert_true(odl_quantile_sorted(x, 4, 0) == 1);
	assert_true(odl_quantile_sorted(x, 4, 1) == 4);
	assert_true(odl_quantile_sorted(one, 1, 0.25) == 7);
	/* the two ends of the doubles: their difference overflows, the
	 * median does not (it used to be inf or nan) */
	const double ends[] = { -1.7e308, 1.7e308 };
	assert_true(odl_quantile_sorted(ends, 2, 0.5) == 0);
	assert_true(fabs(odl_quantile_sorted(ends, 2, 0.75) / 0.85e308 - 1) < 1e-12);
	const double big[] = { 1e308, 1.5e308 };
	assert_true(odl_quantile_sorted(big, 2, 0.5) == 1.25e308);
}

static void bad_set(const char *json, const char *message)
{
	odl_indicator_set *set = (odl_indicator_set *)1;
	struct odl_error err;

	odl_error_clear(&err);
	assert_int_not_equal(odl_indicator_set_parse(json, "s.json", &set, &err), ODL_OK);
	assert_null(set);
	assert_string_equal(err.file, "s.json");
	assert_string_equal(err.message, message);
}

#define HEAD "{\"set\":\"s\",\"territory\":{\"field\":\"f\",\"key\":\"siret\"},\"indicators\":["
#define T "\"title\":{\"fr\":\"a\",\"en\":\"b\"}"

static void test_set_errors(void **state)
{
	odl_indicator_set *set;
	struct odl_error err;

	(void)state;
	bad_set("{", "invalid json: string or '}' expected near end of file");
	bad_set(HEAD "]}", "indicators: needs a non-empty list");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"average\"}]}", "indicator 'a': unknown measure");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"sum\"}]}", "indicator 'a': this measure needs a 'field'");
	bad_set(HEAD "{\"id\":\"a\",\"measure\":\"count\"}]}", "indicator 'a': 'title' needs 'fr' and 'en'");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"quantile\",\"field\":\"x\",\"p\":2}]}",
		"indicator 'a': 'quantile' needs 'p' between 0 and 1");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"count\",\"filter\":[{\"field\":\"x\",\"op\":\"~\",\"value\":1}]}]}",
		"indicator 'a': unknown comparison operator");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"count\",\"filter\":[{\"field\":\"x\",\"op\":\"<\",\"value\":\"b\"}]}]}",
		"indicator 'a': ordering comparisons need a number value");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"share\"}]}", "indicator 'a': a share needs 'match'");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"count\"},{\"id\":\"a\"," T ",\"measure\":\"count\"}]}",
		"a: duplicate indicator id");
	bad_set(HEAD "{\"id\":\"a\"," T ",\"measure\":\"count\",\"denominator\":{\"column\":\"population\",\"per\":0}}]}",
		"indicator 'a': 'per' must be a positive number");
	assert_int_equal(odl_indicator_set_parse(HEAD "{\"id\":\"a\"," T ",\"measure\":\"count\"}]}", "s.json", &set, &err), ODL_OK);
	assert_string_equal(odl_indicator_set_name(set), "s");
	assert_int_equal(odl_indicator_set_count(set), 1);
	odl_indicator_set_free(set);
	odl_indicator_set_free(NULL);
}

static void test_limit(void **state)
{
	struct odl_indicator_limits lim = { 3, 0 };
	odl_territories *t = odl_territories_new();
	odl_indicator_set *set;
	odl_indicator_run *run;
	struct odl_error err;

	(void)state;
	assert_int_equal(odl_territories_read_path(t, DIR "territories.csv", &err), ODL_OK);
	assert_int_equal(odl_indicator_set_load(SETS "subventions.json", &set, &err), ODL_OK);
	run = odl_indicator_run_new(set, t, &lim);
	assert_int_equal(odl_indicator_run_path(run, DIR "subventions-2023.csv", NULL, &err), ODL_ELIMIT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.message, "more than 3 values kept for medians and distinct counts");
	odl_indicator_run_free(run);
	odl_indicator_set_free(set);
	odl_territories_free(t);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Sums past the largest double and denominators that are not numbers:
 * null values with an error each, and the first place kept for the
 * message, never a silent null. */
static void test_overflow_and_bad_denominators(void **state)
{
	static const char *const set_json =
		"{\"set\":\"o\",\"territory\":{\"field\":\"t\",\"key\":\"insee\"},"
		"\"indicators\":["
		"{\"id\":\"sum\",\"title\":{\"fr\":\"S\",\"en\":\"S\"},\"measure\":\"sum\",\"field\":\"v\"},"
		"{\"id\":\"mean\",\"title\":{\"fr\":\"M\",\"en\":\"M\"},\"measure\":\"mean\",\"field\":\"v\"},"
		"{\"id\":\"med\",\"title\":{\"fr\":\"D\",\"en\":\"D\"},\"measure\":\"median\",\"field\":\"v\"},"
		"{\"id\":\"hab\",\"title\":{\"fr\":\"H\",\"en\":\"H\"},\"measure\":\"sum\",\"field\":\"v\","
		"\"denominator\":{\"column\":\"population\"}}]}";
	char terr[] = "/tmp/odl-terr-XXXXXX.csv", data[] = "/tmp/odl-data-XXXXXX.csv";
	odl_territories *t = odl_territories_new();
	odl_indicator_set *set;
	odl_indicator_run *run;
	struct odl_error err;
	struct got g;

	(void)state;
	close(mkstemps(terr, 4));
	close(mkstemps(data, 4));
	write_text(terr, "code,population\nA,100\nB,beaucoup\nC,0\nD,-5\nE,1e-310\n");
	write_text(data, "t,v\nA,1e308\nA,1e308\nB,5\nC,5\nD,5\nE,5\n");
	assert_int_equal(odl_territories_read_path(t, terr, &err), ODL_OK);
	if (odl_indicator_set_parse(set_json, "o.json", &set, &err) != ODL_OK)
		fail_msg("%s", err.message);
	run = odl_indicator_run_new(set, t, NULL);
	assert_int_equal(odl_indicator_run_path(run, data, NULL, &err), ODL_OK);
	const struct odl_indicator_stats *st = odl_indicator_run_stats(run);
	assert_int_equal(st->overflow, 3); /* sum, mean and hab of A */
	assert_int_equal(st->first_overflow_line, 3);
	assert_string_equal(st->first_overflow_field, "v");
	memset(&g, 0, sizeof(g));
	assert_int_equal(odl_indicator_run_results(run, collect, &g, &err), ODL_OK);
	expect_null(&g, "A 0 sum -");
	assert_int_equal(g.n_errors[find(&g, "A 0 sum -")], 1);
	expect_null(&g, "A 0 mean -");
	expect(&g, "A 0 med -", 1e308);
	assert_int_equal(g.n_errors[find(&g, "A 0 med -")], 0);
	expect_null(&g, "B 0 hab -");
	assert_int_equal(g.n_errors[find(&g, "B 0 hab -")], 1);
	expect_null(&g, "C 0 hab -");
	assert_int_equal(g.n_errors[find(&g, "C 0 hab -")], 0);
	expect_null(&g, "D 0 hab -");
	assert_int_equal(g.n_errors[find(&g, "D 0 hab -")], 1);
	expect_null(&g, "E 0 hab -");
	assert_int_equal(g.n_errors[find(&g, "E 0 hab -")], 1);
	const struct odl_indicator_result_stats *rs = odl_indicator_run_result_stats(run);
	assert_int_equal(rs->bad_denominator, 2);
	assert_int_equal(rs->bad_territories, 2);
	assert_string_equal(rs->first_bad->code, "B");
	assert_string_equal(rs->first_bad_value, "beaucoup");
	assert_int_equal(rs->zero_denominator, 1);
	assert_string_equal(rs->first_zero->code, "C");
	assert_int_equal(rs->overflow, 1);
	assert_string_equal(rs->first_overflow->code, "E");
	assert_int_equal(odl_territory_line(t, rs->first_bad), 3);
	odl_indicator_run_free(run);
	odl_indicator_set_free(set);
	odl_territories_free(t);
	unlink(terr);
	unlink(data);
}

/* Amounts written the French way: errors by default, counted as ones the
 * --fix rule reads; read through it when the run is lenient.  A grouping
 * not by three stays an error either way.  And the reasons of null values:
 * a needed field never filled, a distinct count of an empty column. */
static void test_lenient_and_reasons(void **state)
{
	static const char *const set_json =
		"{\"set\":\"l\",\"territory\":{\"field\":\"t\",\"key\":\"insee\"},"
		"\"indicators\":["
		"{\"id\":\"sum\",\"title\":{\"fr\":\"S\",\"en\":\"S\"},\"measure\":\"sum\",\"field\":\"v\"},"
		"{\"id\":\"ids\",\"title\":{\"fr\":\"I\",\"en\":\"I\"},\"measure\":\"count_distinct\",\"field\":\"id\"},"
		"{\"id\":\"sh\",\"title\":{\"fr\":\"R\",\"en\":\"R\"},\"measure\":\"share_of_sum\",\"field\":\"v\","
		"\"match\":[{\"field\":\"rna\",\"op\":\"nonempty\"}],\"needs\":[\"rna\"],\"per_inhabitants\":0}]}";
	char terr[] = "/tmp/odl-terr-XXXXXX.csv", data[] = "/tmp/odl-data-XXXXXX.csv";
	odl_territories *t = odl_territories_new();
	odl_indicator_set *set;
	odl_indicator_run *run;
	struct odl_error err;
	struct got g;

	(void)state;
	close(mkstemps(terr, 4));
	close(mkstemps(data, 4));
	write_text(terr, "code,population\nA,100\nB,100\n");
	write_text(data, "t,v,id,rna\nA,\"26 956,00\",,\nA,9500 \xe2\x82\xac,,\n"
			 "A,\"1.234,50\",,\nA,\"1 23,5\",,\nB,10,x,W1\nB,30,y,\n");
	assert_int_equal(odl_territories_read_path(t, terr, &err), ODL_OK);
	if (odl_indicator_set_parse(set_json, "l.json", &set, &err) != ODL_OK)
		fail_msg("%s", err.message);
	for (int lenient = 0; lenient < 2; lenient++) {
		run = odl_indicator_run_new(set, t, NULL);
		odl_indicator_run_set_lenient(run, lenient);
		assert_int_equal(odl_indicator_run_path(run, data, NULL, &err), ODL_OK);
		const struct odl_indicator_stats *st = odl_indicator_run_stats(run);
		assert_int_equal(st->non_numeric, lenient ? 1 : 4);
		assert_int_equal(st->fixable, lenient ? 0 : 3);
		assert_int_equal(st->lenient, lenient ? 3 : 0);
		if (lenient) {
			assert_string_equal(st->first_lenient_value, "26 956,00");
			assert_string_equal(st->first_lenient_as, "26956.00");
		} else {
			assert_string_equal(st->first_fixable_as, "26956.00");
		}
		memset(&g, 0, sizeof(g));
		assert_int_equal(odl_indicator_run_results(run, collect, &g, &err), ODL_OK);
		if (lenient) {
			expect(&g, "A 0 sum -", 26956 + 9500 + 1234.5);
			assert_int_equal(g.n_errors[find(&g, "A 0 sum -")], 1);
		} else {
			expect_why(&g, "A 0 sum -", ODL_NULL_NOT_A_NUMBER);
		}
		/* no id, no RNA written for A: neither is measured */
		expect_why(&g, "A 0 ids -", ODL_NULL_NOT_MEASURED);
		if (lenient)
			expect_why(&g, "A 0 sh -", ODL_NULL_NOT_MEASURED);
		expect(&g, "B 0 ids -", 2);
		expect(&g, "B 0 sh -", 0.25);
		odl_indicator_run_free(run);
	}
	odl_indicator_set_free(set);
	odl_territories_free(t);
	unlink(terr);
	unlink(data);
}

/* every field of every result, as text, one line each */
struct dump {
	char *text;
	size_t len, cap;
};

static int dump_row(void *ctx, const struct odl_indicator_row *r)
{
	struct dump *d = ctx;
	char line[512];
	int n = snprintf(line, sizeof(line), "%s %d %s %d %.17g %d %.17g %llu %llu %s\n",
			 r->territory->code, r->year, r->indicator, r->has_value, r->value,
			 r->has_numerator, r->numerator, (unsigned long long)r->n_rows,
			 (unsigned long long)r->n_errors, r->null_reason ? r->null_reason : "-");
	if (d->len + (size_t)n + 1 > d->cap) {
		d->cap = (d->len + (size_t)n + 1) * 2;
		d->text = realloc(d->text, d->cap);
		assert_non_null(d->text);
	}
	memcpy(d->text + d->len, line, (size_t)n + 1);
	d->len += (size_t)n;
	return 0;
}

static void run_dump(const char *set_path, const char *terr_path, const char *data,
		     uint64_t memory, struct dump *d)
{
	struct odl_indicator_limits lim = { 0, memory };
	odl_territories *t = odl_territories_new();
	odl_indicator_set *set;
	odl_indicator_run *run;
	struct odl_error err;

	assert_int_equal(odl_territories_read_path(t, terr_path, &err), ODL_OK);
	if (odl_indicator_set_load(set_path, &set, &err) != ODL_OK)
		fail_msg("%s", err.message);
	run = odl_indicator_run_new(set, t, &lim);
	assert_non_null(run);
	/* twice the same file: every group comes back after the others */
	assert_int_equal(odl_indicator_run_path(run, data, NULL, &err), ODL_OK);
	assert_int_equal(odl_indicator_run_path(run, data, NULL, &err), ODL_OK);
	assert_int_equal(odl_indicator_run_results(run, dump_row, d, &err), ODL_OK);
	odl_indicator_run_free(run);
	odl_indicator_set_free(set);
	odl_territories_free(t);
}

/* Groups written to the temporary file beyond the memory budget and read
 * back when a row needs them give what groups kept in memory give, to the
 * last bit: here a budget of one byte sends every group out at each change
 * of group, with medians, quantiles and distinct sets small and large
 * (past the arena's 4 KiB blocks), sums, means, extremes and shares. */
static void test_spill_same_results(void **state)
{
	char dir[] = "/tmp/odl-test-spill-XXXXXX", path[3][128];
	static const char *const set_json =
		"{\"set\":\"s\",\"territory\":{\"field\":\"t\",\"key\":\"insee\"},"
		"\"year\":{\"field\":\"d\",\"from\":\"date\"},\"indicators\":["
		"{\"id\":\"med\",\"title\":{\"fr\":\"M\",\"en\":\"M\"},\"measure\":\"median\",\"field\":\"v\"},"
		"{\"id\":\"q9\",\"title\":{\"fr\":\"Q\",\"en\":\"Q\"},\"measure\":\"quantile\",\"p\":0.9,\"field\":\"v\"},"
		"{\"id\":\"ids\",\"title\":{\"fr\":\"D\",\"en\":\"D\"},\"measure\":\"count_distinct\",\"field\":\"id\"},"
		"{\"id\":\"sum\",\"title\":{\"fr\":\"S\",\"en\":\"S\"},\"measure\":\"sum\",\"field\":\"v\","
		"\"denominator\":{\"column\":\"population\",\"per\":1}},"
		"{\"id\":\"mean\",\"title\":{\"fr\":\"A\",\"en\":\"A\"},\"measure\":\"mean\",\"field\":\"v\"},"
		"{\"id\":\"min\",\"title\":{\"fr\":\"m\",\"en\":\"m\"},\"measure\":\"min\",\"field\":\"v\"},"
		"{\"id\":\"sos\",\"title\":{\"fr\":\"P\",\"en\":\"P\"},\"measure\":\"share_of_sum\",\"field\":\"v\","
		"\"match\":[{\"field\":\"id\",\"op\":\"prefix\",\"value\":\"1\"}],\"needs\":[\"id\"]},"
		"{\"id\":\"n\",\"title\":{\"fr\":\"N\",\"en\":\"N\"},\"measure\":\"count\","
		"\"filter\":[{\"field\":\"v\",\"op\":\">\",\"value\":50}]}]}";
	struct dump a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	FILE *f;
	unsigned x = 12345;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 3; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir,
			 i == 0 ? "set.json" : i == 1 ? "t.csv" : "data.csv");
	write_text(path[0], set_json);
	assert_non_null(f = fopen(path[1], "wb"));
	fputs("code,name,type,population\n", f);
	for (int i = 0; i < 40; i++)
		fprintf(f, "%05d,C%d,COM,%d\n", 16000 + i, i, 100 + i * 37);
	fclose(f);
	assert_non_null(f = fopen(path[2], "wb"));
	fputs("t,d,v,id\n", f);
	for (int i = 0; i < 6000; i++) {
		x = x * 1103515245u + 12345u;
		/* runs of one commune, a commune that comes back now and then,
		 * and commune 16000 with 2,000 values */
		int t = i < 2000 ? 0 : (x >> 8) % 7 == 0 ? (int)((x >> 12) % 40) : (i - 2000) / 100;
		fprintf(f, "%05d,%d-03-01,%u.%02u,%u\n", 16000 + t, 2021 + (int)((x >> 4) % 2),
			(x >> 10) % 100, (x >> 3) % 100, (x >> 16) % (t ? 40u : 3000u));
	}
	fclose(f);
	run_dump(path[0], path[1], path[2], 0, &a);
	run_dump(path[0], path[1], path[2], 1, &b);
	assert_true(a.len > 1000);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.text, b.text, a.len);

	/* no temporary file to be had: ODL_EIO saying so, not a crash */
	{
		struct odl_indicator_limits lim = { 0, 1 };
		odl_territories *t = odl_territories_new();
		odl_indicator_set *set;
		odl_indicator_run *run;
		struct odl_error err;
		char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
		assert_int_equal(odl_territories_read_path(t, path[1], &err), ODL_OK);
		assert_int_equal(odl_indicator_set_load(path[0], &set, &err), ODL_OK);
		run = odl_indicator_run_new(set, t, &lim);
		setenv("TMPDIR", "/nonexistent-odl-dir", 1);
		odl_error_clear(&err);
		assert_int_equal(odl_indicator_run_path(run, path[2], NULL, &err), ODL_EIO);
		assert_string_equal(err.message,
				    "cannot create a temporary file: No such file or directory");
		if (old)
			setenv("TMPDIR", old, 1);
		else
			unsetenv("TMPDIR");
		free(old);
		odl_indicator_run_free(run);
		odl_indicator_set_free(set);
		odl_territories_free(t);
	}
	free(a.text);
	free(b.text);
	for (int i = 0; i < 3; i++)
		unlink(path[i]);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subventions),
		cmocka_unit_test(test_overflow_and_bad_denominators),
		cmocka_unit_test(test_windows_1252_and_only_errors),
		cmocka_unit_test(test_other_sets),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_spill_same_results),
		cmocka_unit_test(test_lenient_and_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
