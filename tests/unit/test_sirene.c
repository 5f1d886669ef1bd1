/* test_sirene.c - headcount bands: codes, reading a Sirene extract into the
 * territory table, and the obligation they decide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odl/compliance.h"
#include "odl/territory.h"

static void test_bands(void **state)
{
	static const struct { const char *code; int lo, hi; } ok[] = {
		{ "00", 0, 0 }, { "01", 1, 2 }, { "02", 3, 5 }, { "03", 6, 9 }, { "11", 10, 19 },
		{ "12", 20, 49 }, { "21", 50, 99 }, { "22", 100, 199 }, { "31", 200, 249 },
		{ "32", 250, 499 }, { "41", 500, 999 }, { "42", 1000, 1999 }, { "51", 2000, 4999 },
		{ "52", 5000, 9999 }, { "53", 10000, -1 }, { " 21 ", 50, 99 },
	};
	static const char *const bad[] = { "99", "1", "123", "ab", "2 1", "13", "-1", "N" };
	int lo, hi;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		assert_int_equal(odl_agents_band(ok[i].code, strlen(ok[i].code), &lo, &hi), ODL_OK);
		assert_int_equal(lo, ok[i].lo);
		assert_int_equal(hi, ok[i].hi);
	}
	assert_int_equal(odl_agents_band("NN", 2, &lo, &hi), ODL_ENOTFOUND);
	assert_int_equal(odl_agents_band("", 0, &lo, &hi), ODL_ENOTFOUND);
	assert_int_equal(odl_agents_band("  ", 2, &lo, &hi), ODL_ENOTFOUND);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(odl_agents_band(bad[i], strlen(bad[i]), &lo, &hi), ODL_EFORMAT);
}

static odl_territories *table(void)
{
	static const char *const cols[] = { "code", "name", "type", "population", "siren", "agents" };
	static const char *const rows[][6] = {
		{ "A", "big, band 41", "COM", "40000", "211600001", "" },
		{ "B", "big, agents 300, band 12", "COM", "20000", "211600002", "300" },
		{ "C", "small, band 21", "COM", "1500", "211600003", "" },
		{ "D", "big, band 12", "COM", "3600", "211600004", "" },
		{ "E", "no population, band 03", "COM", "", "211600005", "" },
		{ "F", "big, NN", "COM", "5000", "211600006", "" },
		{ "G", "big, not listed", "COM", "8000", "211600007", "" },
		{ "211600008", "EPCI, code = SIREN, band 53", "EPCI", "150000", "", "" },
	};
	odl_territories *t = odl_territories_new();
	struct odl_error err;

	assert_non_null(t);
	assert_int_equal(odl_territories_set_columns(t, cols, 6, &err), ODL_OK);
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		assert_int_equal(odl_territories_add(t, rows[i], &err), ODL_OK);
	return t;
}

static void write_extract(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("siren,statutDiffusionUniteLegale,trancheEffectifsUniteLegale,"
	      "anneeEffectifsUniteLegale,categorieJuridiqueUniteLegale\n"
	      "211600001,O,41,2022,7210\n"
	      "211600002,O,12,2021,7210\n"
	      "211600003,O,21,2022,7210\n"
	      "211600004,O,12,2022,7210\n"
	      "211600005,O,03,2020,7210\n"
	      "211600006,O,NN,,7210\n"
	      "300000000,O,99,2022,5710\n" /* not the table's: not looked at */
	      "211600008,O,53,2023,7348\n"
	      "211600001,O,NN,,7210\n", f); /* a repeat without a band loses */
	assert_int_equal(fclose(f), 0);
}

struct seen {
	struct odl_compliance_row row[8];
	size_t n;
};

static int keep(void *ctx, const struct odl_compliance_row *r)
{
	struct seen *s = ctx;

	assert_true(s->n < 8);
	s->row[s->n] = *r;
	s->row[s->n].scdl_schemas = NULL;
	s->n++;
	return 0;
}

static void test_read(void **state)
{
	char path[] = "/tmp/odl-test-sirene-XXXXXX";
	int fd = mkstemp(path);
	odl_territories *t = table();
	struct odl_sirene_stats st;
	struct odl_error err;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_extract(path);
	assert_int_equal(odl_territories_read_sirene(t, path, &st, &err), ODL_OK);
	unlink(path);
	assert_int_equal(st.rows, 9);
	assert_int_equal(st.matched, 7);
	assert_int_equal(st.with_band, 6);
	assert_int_equal(st.missing, 1);
	assert_string_equal(st.first_missing[0], "G");
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.first_duplicate_line, 10);
	assert_int_equal(st.bad_bands, 0);
	assert_int_equal(st.zip, 0);
	static const char *const band[] = { "41", "12", "21", "12", "03", "NN", "", "53" };
	static const char *const year[] = { "2022", "2021", "2022", "2022", "2020", "", "", "2023" };
	for (size_t i = 0; i < 8; i++) {
		const struct odl_territory *r = odl_territories_at(t, i);
		assert_string_equal(odl_territory_cell(t, r, "agents_band"), band[i]);
		assert_string_equal(odl_territory_cell(t, r, "agents_year"), year[i]);
	}

	/* the decisions and their evidence */
	struct seen seen = { .n = 0 };
	struct odl_compliance_options opt;
	odl_compliance_options_init(&opt);
	odl_compliance *c = odl_compliance_new(t, &opt);
	assert_non_null(c);
	assert_int_equal(odl_compliance_has_band(c), 1);
	assert_int_equal(odl_compliance_run(c, keep, &seen, &err), ODL_OK);
	assert_int_equal(seen.n, 8);
	static const enum odl_obligated ob[] = {
		ODL_OBLIGATED_YES, ODL_OBLIGATED_YES, ODL_OBLIGATED_NO, ODL_OBLIGATED_NO,
		ODL_OBLIGATED_NO, ODL_OBLIGATED_UNKNOWN_AGENTS, ODL_OBLIGATED_UNKNOWN_AGENTS,
		ODL_OBLIGATED_YES
	};
	static const enum odl_evidence ev[] = {
		ODL_EVIDENCE_PROXY, ODL_EVIDENCE_AGENTS, ODL_EVIDENCE_POPULATION, ODL_EVIDENCE_PROXY,
		ODL_EVIDENCE_PROXY, ODL_EVIDENCE_NONE, ODL_EVIDENCE_NONE, ODL_EVIDENCE_PROXY
	};
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(seen.row[i].obligated, ob[i]);
		assert_int_equal(seen.row[i].evidence, ev[i]);
	}
	assert_int_equal(seen.row[0].agents_year, 2022);
	assert_string_equal(seen.row[5].agents_band, "NN");
	assert_int_equal(seen.row[5].has_band, 0);
	assert_int_equal(seen.row[7].band_hi, -1);
	assert_int_equal(odl_compliance_stats(c)->proxy, 4);
	odl_compliance_free(c);
	odl_territories_free(t);
}

static void test_errors(void **state)
{
	odl_territories *t = table();
	struct odl_error err;
	char path[] = "/tmp/odl-test-sirene-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_non_null(f = fopen(path, "w"));
	fputs("siren,nom\n211600001,x\n", f);
	fclose(f);
	assert_int_equal(odl_territories_read_sirene(t, path, NULL, &err), ODL_EFORMAT);
	assert_string_equal(err.field, "trancheEffectifsUniteLegale");
	assert_int_equal(err.line, 1);
	/* the table is left as it was */
	assert_int_equal(odl_territories_has_column(t, "agents_band"), 0);
	unlink(path);
	assert_int_equal(odl_territories_read_sirene(t, "/nonexistent/sirene.csv", NULL, &err),
			 ODL_ENOTFOUND);
	odl_territories_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
