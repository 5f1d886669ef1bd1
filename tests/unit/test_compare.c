/* test_compare.c - ranks with shared ties, percentiles, type-7 quartiles,
 * peer groups and focus, all computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "odl/compare.h"

struct seen {
	char code[16][16];
	char peers[16][32];
	struct odl_compare_row row[16];
	size_t n;
};

static int keep(void *ctx, const struct odl_compare_row *r)
{
	struct seen *s = ctx;

	assert_true(s->n < 16);
	snprintf(s->code[s->n], sizeof(s->code[0]), "%s", r->territory);
	snprintf(s->peers[s->n], sizeof(s->peers[0]), "%s", r->peers);
	s->row[s->n] = *r;
	s->n++;
	return 0;
}

static const struct odl_compare_row *row_of(struct seen *s, const char *code, int year)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->code[i], code) == 0 && s->row[i].year == year)
			return &s->row[i];
	fail_msg("no row for %s", code);
	return NULL;
}

static void add(odl_compare *c, const char *code, int year, int has, double v)
{
	struct odl_error err;
	assert_int_equal(odl_compare_add(c, code, "x", NULL, year, has, v, 0, &err), ODL_OK);
}

static void test_ties_and_quartiles(void **state)
{
	odl_compare *c = odl_compare_new(NULL);
	struct seen s;
	struct odl_error err;

	(void)state;
	memset(&s, 0, sizeof(s));
	add(c, "A", 2023, 1, 10);
	add(c, "B", 2023, 1, 20);
	add(c, "C", 2023, 1, 20);
	add(c, "D", 2023, 1, 5);
	add(c, "E", 2023, 0, 0);
	add(c, "A", 2022, 1, 8);
	assert_int_equal(odl_compare_run(c, keep, &s, &err), ODL_OK);
	assert_int_equal(s.n, 6);
	/* 2022 first, then 2023 by rank: B and C share rank 1, A is 3rd */
	assert_string_equal(s.code[0], "A");
	assert_string_equal(s.code[1], "B");
	assert_string_equal(s.code[2], "C");
	assert_string_equal(s.code[5], "E");
	const struct odl_compare_row *a = row_of(&s, "A", 2023), *b = row_of(&s, "B", 2023);
	assert_int_equal(b->rank, 1);
	assert_int_equal(row_of(&s, "C", 2023)->rank, 1);
	assert_int_equal(a->rank, 3);
	assert_int_equal(row_of(&s, "D", 2023)->rank, 4);
	assert_int_equal(a->n_peers, 4);
	assert_true(b->percentile == 75);
	assert_true(a->percentile == 37.5);
	assert_true(row_of(&s, "D", 2023)->percentile == 12.5);
	assert_true(a->q1 == 8.75);
	assert_true(a->median == 15);
	assert_true(a->q3 == 20);
	assert_true(fabs(a->ratio_to_median - 10.0 / 15) < 1e-12);
	assert_true(a->has_previous && a->previous == 8 && a->change == 2 && a->change_pct == 25);
	assert_false(b->has_previous);
	const struct odl_compare_row *e = row_of(&s, "E", 2023);
	assert_false(e->has_value);
	assert_int_equal(e->rank, 0);
	/* a single territory */
	const struct odl_compare_row *a22 = row_of(&s, "A", 2022);
	assert_int_equal(a22->rank, 1);
	assert_int_equal(a22->n_peers, 1);
	assert_true(a22->percentile == 50);
	assert_true(a22->median == 8 && a22->q1 == 8 && a22->q3 == 8);
	odl_compare_free(c);
}

static void test_peers_and_focus(void **state)
{
	odl_territories *t = odl_territories_new();
	odl_compare *c;
	struct seen s;
	struct odl_error err;

	(void)state;
	assert_int_equal(odl_territories_read_path(t, ODL_TESTDATA "/compare/territories.csv", &err), ODL_OK);
	c = odl_compare_new(t);
	add(c, "16015", 2023, 1, 10);
	add(c, "16102", 2023, 1, 20);
	add(c, "16113", 2023, 1, 5);
	add(c, "17300", 2023, 1, 20);
	assert_int_equal(odl_compare_set_peers(c, "dep", &err), ODL_OK);
	assert_int_equal(odl_compare_set_focus(c, "16113", &err), ODL_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(odl_compare_run(c, keep, &s, &err), ODL_OK);
	/* La Rochelle (17) is not a peer of Dirac (16) */
	assert_int_equal(s.n, 3);
	assert_string_equal(s.peers[0], "COM:dep:16");
	const struct odl_compare_row *d = row_of(&s, "16113", 2023);
	assert_int_equal(d->rank, 3);
	assert_int_equal(d->n_peers, 3);
	assert_true(d->q1 == 7.5 && d->median == 10 && d->q3 == 15);
	assert_true(d->has_per_inhabitant && d->per_inhabitant == 5.0 / 1500);
	assert_string_equal(d->name, "Dirac");
	odl_compare_free(c);

	c = odl_compare_new(NULL);
	assert_int_equal(odl_compare_set_peers(c, "size", &err), ODL_EINVAL);
	assert_string_equal(err.message, "peers 'size' need a territory table");
	odl_compare_free(c);
	odl_compare_free(NULL);
	odl_territories_free(t);
}

/* per-inhabitant figures that cannot be had are counted, never silent */
static void test_bad_populations(void **state)
{
	static const char *const cols[] = { "code", "population" };
	static const char *const rows[][2] = { { "A", "100" }, { "B", "beaucoup" }, { "C", "0" },
					       { "D", "-5" }, { "E", "1e-310" } };
	odl_territories *t = odl_territories_new();
	odl_compare *c;
	struct seen s;
	struct odl_error err;

	(void)state;
	assert_int_equal(odl_territories_set_columns(t, cols, 2, &err), ODL_OK);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(odl_territories_add(t, rows[i], &err), ODL_OK);
	c = odl_compare_new(t);
	add(c, "A", 2023, 1, 5);
	add(c, "B", 2023, 1, 5);
	add(c, "C", 2023, 1, 5);
	add(c, "D", 2023, 1, 5);
	add(c, "E", 2023, 1, 1.7e308);
	add(c, "E", 2022, 1, -1.7e308);
	add(c, "A", 2022, 1, 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(odl_compare_run(c, keep, &s, &err), ODL_OK);
	const struct odl_compare_stats *st = odl_compare_stats(c);
	assert_true(row_of(&s, "A", 2023)->has_per_inhabitant);
	assert_false(row_of(&s, "B", 2023)->has_per_inhabitant);
	assert_false(row_of(&s, "C", 2023)->has_per_inhabitant);
	assert_false(row_of(&s, "D", 2023)->has_per_inhabitant);
	assert_false(row_of(&s, "E", 2023)->has_per_inhabitant);
	assert_int_equal(st->bad_population, 2); /* B and D */
	assert_string_equal(st->first_bad->code, "B");
	assert_int_equal(st->zero_population, 1);
	assert_string_equal(st->first_zero->code, "C");
	/* E 2023: 1.7e308 / 1e-310 and 1.7e308 - (-1.7e308) are both past
	 * the doubles: null, and the row counted once */
	assert_false(row_of(&s, "E", 2023)->has_previous);
	assert_false(row_of(&s, "E", 2023)->has_change_pct);
	assert_int_equal(st->overflow, 2); /* E 2022 too: -1.7e308 / 1e-310 */
	assert_string_equal(st->first_overflow, "E");
	assert_string_equal(st->first_overflow_field, "per_inhabitant");
	odl_compare_free(c);
	odl_territories_free(t);
}

static void test_size_bands(void **state)
{
	(void)state;
	assert_string_equal(odl_size_band(0), "0-3499");
	assert_string_equal(odl_size_band(3499), "0-3499");
	assert_string_equal(odl_size_band(3500), "3500-9999");
	assert_string_equal(odl_size_band(9999), "3500-9999");
	assert_string_equal(odl_size_band(10000), "10000-19999");
	assert_string_equal(odl_size_band(20000), "20000-49999");
	assert_string_equal(odl_size_band(50000), "50000-99999");
	assert_string_equal(odl_size_band(99999), "50000-99999");
	assert_string_equal(odl_size_band(100000), "100000+");
}

/* évolution from the first year with a value over any span, its compound
 * annual rate, a chosen base year, and what the indicator rows pass through */
static void test_evolution(void **state)
{
	odl_compare *c = odl_compare_new(NULL);
	struct odl_compare_input in;
	struct seen s;
	struct odl_error err;

	(void)state;
	memset(&s, 0, sizeof(s));
	add(c, "A", 2018, 0, 0);   /* null: not the base */
	add(c, "A", 2019, 1, 100);
	add(c, "A", 2020, 1, 110);
	add(c, "A", 2022, 1, 133.1);
	add(c, "B", 2022, 1, -5);  /* no earlier year: nothing */
	odl_compare_input_init(&in);
	in.territory = "C";
	in.indicator = "x";
	in.year = 2022;
	in.n_errors = 4;
	in.null_reason = "not-a-number";
	assert_int_equal(odl_compare_add_input(c, &in, &err), ODL_OK);
	assert_int_equal(odl_compare_run(c, keep, &s, &err), ODL_OK);
	const struct odl_compare_row *r = row_of(&s, "A", 2022);
	assert_true(r->has_base);
	assert_int_equal(r->base_year, 2019);
	assert_true(fabs(r->change_since_base - 33.1) < 1e-9);
	assert_true(fabs(r->change_since_base_pct - 33.1) < 1e-9);
	assert_true(r->has_annual_rate);
	assert_true(fabs(r->annual_rate_pct - 10) < 1e-9); /* 1.1^3 = 1.331 */
	assert_true(fabs(r->change_pct - 21) < 1e-9 || !r->has_change_pct);
	assert_false(row_of(&s, "A", 2019)->has_base);
	assert_false(row_of(&s, "B", 2022)->has_base);
	r = row_of(&s, "C", 2022);
	assert_int_equal(r->n_errors, 4);
	assert_string_equal(r->null_reason, "not-a-number");
	assert_null(row_of(&s, "A", 2022)->null_reason);
	/* a base year without a value gives no évolution */
	memset(&s, 0, sizeof(s));
	odl_compare_set_base_year(c, 2018);
	assert_int_equal(odl_compare_run(c, keep, &s, &err), ODL_OK);
	assert_false(row_of(&s, "A", 2022)->has_base);
	memset(&s, 0, sizeof(s));
	odl_compare_set_base_year(c, 2020);
	assert_int_equal(odl_compare_run(c, keep, &s, &err), ODL_OK);
	r = row_of(&s, "A", 2022);
	assert_int_equal(r->base_year, 2020);
	assert_true(fabs(r->annual_rate_pct - 10) < 1e-9);
	odl_compare_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ties_and_quartiles),
		cmocka_unit_test(test_evolution),
		cmocka_unit_test(test_peers_and_focus),
		cmocka_unit_test(test_size_bands),
		cmocka_unit_test(test_bad_populations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
