/* test_match.c - territories to data.gouv.fr organizations through the catalog exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/match.h"

#define FIX ODL_TESTDATA "/match/"

struct dump {
	char s[8192];
	size_t len;
	int stop_after; /* 0 = never */
	int seen;
};

static int collect(void *ctx, const struct odl_match_resource *r)
{
	struct dump *d = ctx;
	int n = snprintf(d->s + d->len, sizeof(d->s) - d->len,
			 "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%llu\n",
			 r->territory, r->siren, r->org_id, r->org_name, r->org_siret, r->org_slug,
			 r->dataset_id, r->dataset_title, r->dataset_slug, r->id, r->title,
			 r->url, r->format, r->type, r->checksum_type, r->checksum_value,
			 r->schema_name, r->schema_version, r->modified,
			 (unsigned long long)r->line);
	assert_true(n > 0 && (size_t)n < sizeof(d->s) - d->len);
	d->len += (size_t)n;
	d->seen++;
	return d->stop_after && d->seen >= d->stop_after;
}

static const char *const want_resources =
	"16015|211600150|a00000000000000000000001|Ville d'Angoulême|21160015000018|ville-d-angouleme|d01|"
	"Subventions; Angoulême|subventions-angouleme|r01|Subventions 2023; \"version corrigée\"|"
	"http://127.0.0.1:8000/files/sub-2023.csv|csv|main|sha1|"
	"0123456789abcdef0123456789abcdef01234567|scdl/subventions|2.1.1|2025-01-02T14:00:00|2\n"
	"16374|211603741|a00000000000000000000002|Ville de Soyaux|211603741|ville-de-soyaux|d03|Délibérations|"
	"deliberations-soyaux|r03|Délibérations 2024|http://127.0.0.1:8000/files/delib.csv|csv|main|||"
	"scdl/deliberations|2.1.5|2025-03-02T14:00:00|4\n"
	"200071827|200071827|a00000000000000000000003|GrandAngoulême|200 071 827 00014|grand-angouleme|d05|"
	"Compte administratif|ca-grand-angouleme|r05|CA 2023|http://127.0.0.1:8000/files/ca.csv|csv|"
	"main|sha1|89abcdef0123456789abcdef0123456789abcdef|scdl/budget|0.8.3|2025-05-02T14:00:00|6\n"
	"16015|211600150|a00000000000000000000007|Angoulême; service \"données\"|21160015000018|angouleme-donnees|d06|"
	"Notice|notice-angouleme|r06|Notice|http://127.0.0.1:8000/files/notice.pdf|pdf|"
	"documentation||||||8\n";

static odl_match *loaded(const char *orgs)
{
	odl_match *m = odl_match_new(NULL);
	assert_non_null(m);
	struct odl_error err;
	odl_error_clear(&err);
	assert_int_equal(odl_match_load_territories(m, FIX "territories.csv", &err), ODL_OK);
	assert_int_equal(odl_match_territory_count(m), 4);
	assert_int_equal(odl_match_read_organizations(m, orgs, &err), ODL_OK);
	return m;
}

/* SIRET and SIREN both match; the ministry, the empty and the 13-digit numbers do not. */
static void organizations_kept(void **state)
{
	(void)state;
	odl_match *m = loaded(FIX "organizations.csv");
	assert_int_equal(odl_match_org_count(m), 4);
	struct odl_match_org o;
	static const char *const want[4][4] = {
		{ "16015", "211600150", "a00000000000000000000001", "21160015000018" },
		{ "16374", "211603741", "a00000000000000000000002", "211603741" },
		{ "200071827", "200071827", "a00000000000000000000003", "200 071 827 00014" },
		{ "16015", "211600150", "a00000000000000000000007", "21160015000018" },
	};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(odl_match_org_at(m, i, &o), ODL_OK);
		assert_string_equal(o.territory, want[i][0]);
		assert_string_equal(o.siren, want[i][1]);
		assert_string_equal(o.id, want[i][2]);
		assert_string_equal(o.siret, want[i][3]);
	}
	assert_string_equal(o.name, "Angoulême; service \"données\"");
	assert_int_equal(odl_match_org_at(m, 4, &o), ODL_ENOTFOUND);
	/* a territory with no organization is known to the index all the same */
	assert_string_equal(odl_match_territory_of(m, "211601661"), "16166");
	assert_null(odl_match_territory_of(m, "110020013"));
	assert_null(odl_match_territory_of(m, "2116"));
	odl_match_free(m);
}

static void resources_of_matched_orgs(void **state)
{
	(void)state;
	odl_match *m = loaded(FIX "organizations.csv");
	struct dump d = { .len = 0 };
	struct odl_error err;
	assert_int_equal(odl_match_read_resources(m, FIX "resources.csv", collect, &d, &err), ODL_OK);
	assert_string_equal(d.s, want_resources);
	odl_match_free(m);
}

/* The same exports in Windows-1252 with CRLF: same records, in UTF-8. */
static void windows_1252_exports(void **state)
{
	(void)state;
	odl_match *m = loaded(FIX "organizations-windows-1252.csv");
	assert_int_equal(odl_match_org_count(m), 4);
	struct dump d = { .len = 0 };
	struct odl_error err;
	assert_int_equal(odl_match_read_resources(m, FIX "resources-windows-1252.csv", collect, &d,
						  &err), ODL_OK);
	assert_string_equal(d.s, want_resources);
	odl_match_free(m);
}

static void callback_stops(void **state)
{
	(void)state;
	odl_match *m = loaded(FIX "organizations.csv");
	struct dump d = { .len = 0, .stop_after = 2 };
	struct odl_error err;
	odl_error_clear(&err);
	assert_int_equal(odl_match_read_resources(m, FIX "resources.csv", collect, &d, &err),
			 ODL_ECANCELED);
	assert_int_equal(d.seen, 2);
	assert_int_equal(err.line, 4);
	odl_match_free(m);
}

static void bad_inputs(void **state)
{
	(void)state;
	struct odl_error err;
	odl_match *m = odl_match_new(NULL);
	assert_non_null(m);

	odl_error_clear(&err);
	assert_int_equal(odl_match_load_territories(m, FIX "territories-bad-siren.csv", &err),
			 ODL_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.field, "siren");
	assert_string_equal(err.message, "not a 9-digit siren");
	assert_string_equal(err.file, FIX "territories-bad-siren.csv");

	odl_error_clear(&err);
	assert_int_equal(odl_match_load_territories(m, FIX "territories-no-code.csv", &err),
			 ODL_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.field, "code");
	assert_string_equal(err.message, "missing column");

	odl_error_clear(&err);
	assert_int_equal(odl_match_read_resources(m, FIX "resources-no-organization-column.csv",
						  collect, &(struct dump){ .len = 0 }, &err),
			 ODL_EFORMAT);
	assert_string_equal(err.field, "dataset.organization_id");

	odl_error_clear(&err);
	assert_int_equal(odl_match_read_organizations(m, FIX "does-not-exist.csv", &err), ODL_EIO);

	assert_int_equal(odl_match_add_territory(m, "16015", "21160015", &err), ODL_EINVAL);
	assert_int_equal(odl_match_add_territory(m, "16015", "211600150", &err), ODL_OK);
	assert_string_equal(odl_match_territory_of(m, "211600150"), "16015");
	odl_match_free(m);
	odl_match_free(NULL);
}

/* A table built from the real files has rows without a SIREN (communes in
 * no EPCI, arrondissements, a région no table names): kept out of the
 * match and counted, the others loaded. */
static void empty_siren(void **state)
{
	(void)state;
	struct odl_error err;
	const char *first = NULL;
	odl_match *m = odl_match_new(NULL);
	assert_non_null(m);
	assert_int_equal(odl_match_without_siren(m, &first), 0);
	assert_string_equal(first, "");
	odl_error_clear(&err);
	assert_int_equal(odl_match_load_territories(m, FIX "territories-empty-siren.csv", &err), ODL_OK);
	assert_int_equal(odl_match_without_siren(m, &first), 2);
	assert_string_equal(first, "22016");
	assert_string_equal(odl_match_territory_of(m, "211600150"), "16015");
	assert_string_equal(odl_match_territory_of(m, "211603741"), "16374");
	odl_match_free(m);
}

/* Both tables have a ceiling: passing it is an error naming the line. */
static void limits(void **state)
{
	(void)state;
	struct odl_match_options opt;
	odl_match_options_init(&opt);
	opt.max_territories = 2;
	opt.max_organizations = 1;
	odl_match *m = odl_match_new(&opt);
	assert_non_null(m);
	struct odl_error err;
	odl_error_clear(&err);
	assert_int_equal(odl_match_load_territories(m, FIX "territories.csv", &err), ODL_ELIMIT);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.message, "more than 2 territories");
	odl_error_clear(&err);
	assert_int_equal(odl_match_read_organizations(m, FIX "organizations.csv", &err), ODL_ELIMIT);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.message, "more than 1 matching organizations");
	odl_match_free(m);

	opt.max_organizations = 0;
	assert_null(odl_match_new(&opt));
}

struct per_territory {
	char codes[32][16];
	int counts[32];
	int n;
};

static int count_by_territory(void *ctx, const struct odl_match_resource *r)
{
	struct per_territory *t = ctx;
	int i;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->codes[i], r->territory) == 0)
			break;
	if (i == t->n) {
		assert_true(t->n < 32);
		snprintf(t->codes[t->n++], sizeof(t->codes[0]), "%s", r->territory);
	}
	t->counts[i]++;
	return 0;
}

/* The demo catalog: what testdata/demo/EXPECTED.md says of the matching. */
static void demo_catalog(void **state)
{
	(void)state;
	odl_match *m = odl_match_new(NULL);
	assert_non_null(m);
	struct odl_error err;
	odl_error_clear(&err);
	assert_int_equal(odl_match_load_territories(m, ODL_TESTDATA "/demo/territories.csv", &err),
			 ODL_OK);
	assert_int_equal(odl_match_territory_count(m), 15);
	assert_int_equal(odl_match_read_organizations(m, ODL_TESTDATA "/demo/catalog/export-organization.csv",
						      &err), ODL_OK);
	assert_int_equal(odl_match_org_count(m), 12);
	struct per_territory t = { .n = 0 };
	assert_int_equal(odl_match_read_resources(m, ODL_TESTDATA "/demo/catalog/export-resource.csv",
						  count_by_territory, &t, &err), ODL_OK);
	char got[512] = "";
	for (int i = 0; i < t.n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s:%d ", t.codes[i], t.counts[i]);
	assert_string_equal(got, "16015:6 200071827:2 16374:1 16113:1 16358:2 16291:2 16078:2 "
				 "16287:1 16061:1 16138:1 16341:1 ");
	odl_match_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(organizations_kept),
		cmocka_unit_test(resources_of_matched_orgs),
		cmocka_unit_test(windows_1252_exports),
		cmocka_unit_test(callback_stops),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(empty_siren),
		cmocka_unit_test(limits),
		cmocka_unit_test(demo_catalog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
