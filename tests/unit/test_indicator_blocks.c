/* test_indicator_blocks.c - the engine's storage past its small sizes:
 * value arrays and distinct sets that outgrow their first blocks (and the
 * 4 KiB slab), blocks reused between groups, per-category results, and
 * the output order, on a generated file whose results are known exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odl/indicator.h"

#define T(id) "{\"id\":\"" id "\",\"title\":{\"fr\":\"a\",\"en\":\"b\"},"
static const char set_json[] =
	"{\"set\":\"s\",\"territory\":{\"field\":\"commune\",\"key\":\"insee\"},"
	"\"year\":{\"field\":\"annee\",\"from\":\"year\"},\"indicators\":["
	T("n") "\"measure\":\"count\"},"
	T("sum") "\"measure\":\"sum\",\"field\":\"montant\"},"
	T("med") "\"measure\":\"median\",\"field\":\"montant\"},"
	T("dist") "\"measure\":\"count_distinct\",\"field\":\"benef\"},"
	T("min") "\"measure\":\"min\",\"field\":\"montant\"},"
	T("max") "\"measure\":\"max\",\"field\":\"montant\"},"
	T("nat") "\"measure\":\"count\",\"by\":\"nature\"},"
	T("mean") "\"measure\":\"mean\",\"field\":\"montant\"}]}";

struct got {
	char line[64][96];
	size_t n;
};

static int collect(void *ctx, const struct odl_indicator_row *r)
{
	struct got *g = ctx;

	assert_true(g->n < 64);
	snprintf(g->line[g->n++], sizeof(g->line[0]), "%s %d %s %s %.17g %llu", r->territory->code,
		 r->year, r->indicator, r->category ? r->category : "-", r->value,
		 (unsigned long long)r->n_rows);
	return 0;
}

static void test_large_groups(void **state)
{
	static const char *const cols[] = { "code", "name", "type", "population" };
	static const char *const c1[] = { "16015", "Angoulême", "COM", "41711" };
	static const char *const c2[] = { "16102", "Cognac", "COM", "18670" };
	static const char *const natures[] = { "b", "a", "c" };
	char path[] = "/tmp/odl-test-blocks-XXXXXX";
	odl_territories *t = odl_territories_new();
	odl_indicator_set *set;
	odl_indicator_run *run;
	struct odl_error err;
	struct got g = { .n = 0 };
	int fd;
	FILE *f;

	(void)state;
	odl_error_clear(&err);
	assert_int_equal(odl_territories_set_columns(t, cols, 4, &err), ODL_OK);
	assert_int_equal(odl_territories_add(t, c1, &err), ODL_OK);
	assert_int_equal(odl_territories_add(t, c2, &err), ODL_OK);
	assert_int_equal(odl_indicator_set_parse(set_json, "s.json", &set, &err), ODL_OK);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("commune,annee,montant,benef,nature\n", f);
	/* Cognac first in the file, second in the table; its two years and
	 * Angoulême's interleave so that groups grow side by side and reuse
	 * each other's outgrown blocks.  Angoulême 2023: amounts 1..3000 in a
	 * scrambled order (median 1500.5), 1000 distinct beneficiaries (past
	 * the 4 KiB slab); Cognac 2024: 20 rows, amounts 20..1, 17 distinct
	 * beneficiaries (one past the small set); Cognac 2023: 600 rows of 7. */
	for (int i = 0; i < 3000; i++) {
		if (i < 20)
			fprintf(f, "16102,2024,%d,B%d,%s\n", 20 - i, i % 17, natures[i % 3]);
		if (i < 600)
			fprintf(f, "16102,2023,7,S%d,a\n", i);
		fprintf(f, "16015,2023,%d,C%d,%s\n", (i * 7 + 3) % 3000 + 1, i % 1000, natures[i % 3]);
	}
	assert_int_equal(fclose(f), 0);

	run = odl_indicator_run_new(set, t, NULL);
	assert_non_null(run);
	assert_int_equal(odl_indicator_run_path(run, path, NULL, &err), ODL_OK);
	assert_int_equal(odl_indicator_run_stats(run)->used, 3620);
	assert_int_equal(odl_indicator_run_results(run, collect, &g, &err), ODL_OK);
	unlink(path);

	static const char *const want[] = {
		"16015 2023 n - 3000 3000",
		"16015 2023 sum - 4501500 3000",
		"16015 2023 med - 1500.5 3000",
		"16015 2023 dist - 1000 3000",
		"16015 2023 min - 1 3000",
		"16015 2023 max - 3000 3000",
		"16015 2023 nat a 1000 1000",
		"16015 2023 nat b 1000 1000",
		"16015 2023 nat c 1000 1000",
		"16015 2023 mean - 1500.5 3000",
		"16102 2023 n - 600 600",
		"16102 2023 sum - 4200 600",
		"16102 2023 med - 7 600",
		"16102 2023 dist - 600 600",
		"16102 2023 min - 7 600",
		"16102 2023 max - 7 600",
		"16102 2023 nat a 600 600",
		"16102 2023 mean - 7 600",
		"16102 2024 n - 20 20",
		"16102 2024 sum - 210 20",
		"16102 2024 med - 10.5 20",
		"16102 2024 dist - 17 20",
		"16102 2024 min - 1 20",
		"16102 2024 max - 20 20",
		"16102 2024 nat a 7 7",
		"16102 2024 nat b 7 7",
		"16102 2024 nat c 6 6",
		"16102 2024 mean - 10.5 20",
	};
	assert_int_equal(g.n, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < g.n; i++)
		assert_string_equal(g.line[i], want[i]);

	/* the results can be read again, the same */
	struct got again = { .n = 0 };
	assert_int_equal(odl_indicator_run_results(run, collect, &again, &err), ODL_OK);
	assert_int_equal(again.n, g.n);
	for (size_t i = 0; i < g.n; i++)
		assert_string_equal(again.line[i], g.line[i]);
	odl_indicator_run_free(run);
	odl_indicator_set_free(set);
	odl_territories_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
