/* test_territory.c - the territory table: reading, lookups, numbers. */
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

#include "odl/territory.h"

#define FIXTURE ODL_TESTDATA "/compare/territories.csv"

static odl_territories *load(void)
{
	odl_territories *t = odl_territories_new();
	struct odl_error err;

	assert_non_null(t);
	assert_int_equal(odl_territories_read_path(t, FIXTURE, &err), ODL_OK);
	return t;
}

static void test_read_and_find(void **state)
{
	odl_territories *t = load();
	const struct odl_territory *a;

	(void)state;
	assert_int_equal(odl_territories_count(t), 6);
	a = odl_territories_find(t, "2A004", 5);
	assert_non_null(a);
	assert_string_equal(a->name, "Ajaccio");
	assert_string_equal(a->dep, "2A");
	assert_int_equal(a->index, 4);
	/* SIREN, SIRET (first 9 digits), spaces inside */
	assert_string_equal(odl_territories_find(t, "211600150", 9)->code, "16015");
	assert_string_equal(odl_territories_find(t, "21160015000016", 14)->code, "16015");
	assert_string_equal(odl_territories_find(t, "211 600 150", 11)->code, "16015");
	/* an EPCI's code is its SIREN; a SIRET of the EPCI finds it */
	assert_string_equal(odl_territories_find(t, "20007182700019", 14)->type, "EPCI");
	assert_null(odl_territories_find(t, "99999999900099", 14));
	assert_null(odl_territories_find(t, "16015 ", 4)); /* "1601" */
	assert_null(odl_territories_find(t, "", 0));
	/* leading zeros are text */
	assert_null(odl_territories_find(t, "6015", 4));
	odl_territories_free(t);
}

static void test_numbers(void **state)
{
	odl_territories *t = load();
	double v = 0;

	(void)state;
	assert_int_equal(odl_territory_number(t, odl_territories_find(t, "16015", 5), "population", &v), ODL_OK);
	assert_true(v == 40000);
	assert_int_equal(odl_territory_number(t, odl_territories_find(t, "16015", 5), "agents", &v), ODL_OK);
	assert_true(v == 800);
	assert_int_equal(odl_territory_number(t, odl_territories_find(t, "2A004", 5), "population", &v), ODL_ENOTFOUND);
	assert_int_equal(odl_territory_number(t, odl_territories_find(t, "17300", 5), "agents", &v), ODL_ENOTFOUND);
	assert_int_equal(odl_territory_number(t, odl_territories_find(t, "16015", 5), "surface", &v), ODL_ENOTFOUND);
	assert_int_equal(odl_territories_has_column(t, "agents"), 1);
	assert_int_equal(odl_territories_has_column(t, "surface"), 0);
	assert_string_equal(odl_territory_cell(t, odl_territories_at(t, 1), "epci"), "200070514");
	/* messages name the row's line in the file */
	assert_int_equal(odl_territory_line(t, odl_territories_at(t, 0)), 2);
	assert_int_equal(odl_territory_line(t, odl_territories_find(t, "2A004", 5)), 6);
	odl_territories_free(t);
}

/* The fast path (at most 15 digits, no exponent) gives strtod's double,
 * bit for bit, on every shape of plain decimal it takes. */
static void test_parse_number_fast_path(void **state)
{
	static const char *const edge[] = { "5.", ".5", "-.5", "+7", "0", "-0", "0.000",
					    "000000000000001", "999999999999999",
					    "99999999999999.9", "0.1", "0.3", "123456789012.345",
					    "1.7976931348", "0000000000000001.5" };
	unsigned long long x = 88172645463325252ULL; /* xorshift */
	char buf[40], want[48];
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++) {
		assert_int_equal(odl_parse_number(edge[i], strlen(edge[i]), &v), ODL_OK);
		assert_true(v == strtod(edge[i], NULL) && signbit(v) == signbit(strtod(edge[i], NULL)));
	}
	for (int n = 0; n < 200000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int digits = 1 + (int)(x % 15), point = (int)((x >> 8) % (unsigned)(digits + 2));
		size_t len = 0;
		if ((x >> 16) % 4 == 0)
			buf[len++] = '-';
		unsigned long long y = x >> 20;
		for (int d = 0; d < digits; d++) {
			if (d == point)
				buf[len++] = '.';
			buf[len++] = (char)('0' + (y % 10));
			y = y / 10 ? y / 10 : x >> 3;
		}
		buf[len] = 0;
		snprintf(want, sizeof(want), "%s", buf);
		assert_int_equal(odl_parse_number(buf, len, &v), ODL_OK);
		if (memcmp(&v, &(double){ strtod(want, NULL) }, sizeof(v)) != 0)
			fail_msg("'%s': %.17g, strtod %.17g", buf, v, strtod(want, NULL));
	}
	/* a second point or a sign inside ends the fast path: not a number */
	assert_int_equal(odl_parse_number("1.2.3", 5, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("1.2-3", 5, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("..5", 3, &v), ODL_EFORMAT);
}

static void test_parse_number(void **state)
{
	double v;

	(void)state;
	assert_int_equal(odl_parse_number("12", 2, &v), ODL_OK);
	assert_true(v == 12);
	assert_int_equal(odl_parse_number("-3.5", 4, &v), ODL_OK);
	assert_true(v == -3.5);
	assert_int_equal(odl_parse_number("1e3", 3, &v), ODL_OK);
	assert_true(v == 1000);
	assert_int_equal(odl_parse_number(".5", 2, &v), ODL_OK);
	assert_true(v == 0.5);
	assert_int_equal(odl_parse_number("1 500", 5, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("12,5", 4, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("", 0, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("abc", 3, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("-", 1, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("12€", 5, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("1-2", 3, &v), ODL_EFORMAT);
	/* what no finite double holds is not a number: strtod's HUGE_VAL
	 * used to pass for one */
	assert_int_equal(odl_parse_number("1e999", 5, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("-1e999", 6, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("inf", 3, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("nan", 3, &v), ODL_EFORMAT);
	assert_int_equal(odl_parse_number("99999999999999999999", 20, &v), ODL_OK);
	assert_true(v == 1e20);
	assert_int_equal(odl_parse_number("1e-310", 6, &v), ODL_OK);
	assert_true(v > 0);
}

static void write_file(const char *path, const char *text);

/* The table from the published layouts (testdata/compare/territories):
 * sums, fallbacks, sources, and the gaps counted per cause. */
static void test_build(void **state)
{
#define TD ODL_TESTDATA "/compare/territories/"
	static const char *const sirens[] = { TD "identifiants-departements.csv",
					      TD "identifiants-regions.csv",
					      TD "banatic-siren-insee.csv" };
	struct odl_territory_sources in;
	struct odl_territory_build_stats st;
	struct odl_error err;
	odl_territories *t = odl_territories_new();
	double v;

	(void)state;
	odl_territory_sources_init(&in);
	in.cog = TD "cog-communes.csv";
	in.population = TD "populations-legales.csv";
	in.epci = TD "dgcl-epcicom.csv";
	in.departements = TD "cog-departements.csv";
	in.regions = TD "cog-regions.csv";
	in.siren = sirens;
	in.nsiren = 3;
	in.population_year = 2022;
	assert_int_equal(odl_territories_build_from(t, &in, &st, &err), ODL_OK);
	/* 6 communes, 2 arrondissements, 3 EPCI, 4 départements, 4 régions */
	assert_int_equal(odl_territories_count(t), 19);
	const struct odl_territory *lyon = odl_territories_find(t, "69123", 5);
	assert_int_equal(odl_territory_number(t, lyon, "population", &v), ODL_OK);
	assert_true(v == 28700 + 30300);
	assert_string_equal(odl_territory_cell(t, lyon, "population_source"), "insee-ptot-2022+arm");
	const struct odl_territory *arm = odl_territories_find(t, "69381", 5);
	assert_string_equal(arm->type, "ARM");
	assert_string_equal(odl_territory_cell(t, arm, "parent"), "69123");
	const struct odl_territory *may = odl_territories_find(t, "97611", 5);
	assert_int_equal(odl_territory_number(t, may, "population", &v), ODL_OK);
	assert_true(v == 72974);
	assert_string_equal(odl_territory_cell(t, may, "population_source"), "dgcl-ptot-2025");
	const struct odl_territory *yeu = odl_territories_find(t, "85113", 5);
	assert_string_equal(yeu->siren, "218501139");
	const struct odl_territory *rhone = odl_territories_find(t, "226900017", 9);
	assert_string_equal(rhone->type, "DEP");
	assert_string_equal(odl_territory_cell(t, rhone, "parent"), "200053767");
	assert_int_equal(odl_territory_number(t, rhone, "population", &v), ODL_OK);
	assert_true(v == 59000);
	assert_non_null(odl_territories_find(t, "reg:06", 6));
	assert_int_equal(st.arm_summed, 1);
	assert_int_equal(st.dgcl_fallback, 1);
	assert_int_equal(st.gap[ODL_GAP_COM_POPULATION].n, 1);
	assert_string_equal(st.gap[ODL_GAP_COM_POPULATION].first[0], "16167");
	assert_int_equal(st.gap[ODL_GAP_COM_SIREN].n, 1);
	assert_int_equal(st.gap[ODL_GAP_DEP_POPULATION].n, 1);
	assert_string_equal(st.gap[ODL_GAP_DEP_POPULATION].first[0], "16");
	assert_int_equal(st.gap[ODL_GAP_REG_SIREN].n, 1);
	assert_string_equal(st.gap[ODL_GAP_REG_SIREN].first[0], "06");
	assert_int_equal(st.gap[ODL_GAP_ARM_POPULATION].n, 0);
	assert_int_equal(st.gap[ODL_GAP_EPCI_POPULATION].n, 0);
	odl_territories_free(t);

	/* an arrondissement without population: Lyon is never a partial sum
	 * of the others; it falls back on the DGCL file's figure */
	char path[] = "/tmp/odl-population-XXXXXX.csv";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "COM;PMUN;PTOT\n69381;28000;28700\n");
	t = odl_territories_new();
	in.population = path;
	assert_int_equal(odl_territories_build_from(t, &in, &st, &err), ODL_OK);
	lyon = odl_territories_find(t, "69123", 5);
	assert_int_equal(odl_territory_number(t, lyon, "population", &v), ODL_OK);
	assert_true(v == 59500);
	assert_string_equal(odl_territory_cell(t, lyon, "population_source"), "dgcl-ptot-2025");
	assert_int_equal(st.gap[ODL_GAP_ARM_POPULATION].n, 1);
	assert_string_equal(st.gap[ODL_GAP_ARM_POPULATION].first[0], "69382");
	/* L'Île-d'Yeu, in no EPCI, has no figure left: Vendée and Pays de la
	 * Loire have none either */
	assert_int_equal(st.gap[ODL_GAP_COM_POPULATION].n, 2);
	assert_int_equal(st.gap[ODL_GAP_DEP_POPULATION].n, 2);
	assert_int_equal(st.arm_summed, 0);
	odl_territories_free(t);
	unlink(path);

	/* a population file without its columns is an error naming the first */
	t = odl_territories_new();
	in.population = TD "cog-regions.csv";
	assert_int_equal(odl_territories_build_from(t, &in, &st, &err), ODL_EFORMAT);
	assert_string_equal(err.field, "COM");
	odl_territories_free(t);
#undef TD
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_errors(void **state)
{
	char path[] = "/tmp/odl-territory-XXXXXX.csv";
	struct odl_error err;
	odl_territories *t;
	int fd;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "code,name\n16015,A\n16102,B\n16015,C\n");
	t = odl_territories_new();
	assert_int_equal(odl_territories_read_path(t, path, &err), ODL_EFORMAT);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.field, "code");
	assert_string_equal(err.message, "duplicate code '16015'");
	odl_territories_free(t);

	write_file(path, "insee,name\n16015,A\n");
	t = odl_territories_new();
	assert_int_equal(odl_territories_read_path(t, path, &err), ODL_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.message, "no 'code' column");
	odl_territories_free(t);

	write_file(path, "code;population\n 01001 ;\"1 234\"\n");
	t = odl_territories_new();
	assert_int_equal(odl_territories_read_path(t, path, &err), ODL_OK);
	double v;
	assert_int_equal(odl_territory_number(t, odl_territories_find(t, "01001", 5), "population", &v), ODL_OK);
	assert_true(v == 1234);
	odl_territories_free(t);
	odl_territories_free(NULL);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_find),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_parse_number),
		cmocka_unit_test(test_parse_number_fast_path),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
