/* test_datagouv.c - udata API v1 responses: the real recorded ones and our fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/datagouv.h"

#define REF ODL_SHARED "/reference/api"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	assert_non_null(buf);
	*len = fread(buf, 1, cap - 1, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

struct tally {
	int resources, with_checksum, with_schema, with_siret, orgs, schemas;
	char first_schema[128];
	char first_siret[32];
};

static int count_resource(void *ctx, const struct odl_dg_resource *r)
{
	struct tally *t = ctx;
	assert_non_null(r->url);
	t->resources++;
	if (r->checksum_type && r->checksum_value)
		t->with_checksum++;
	if (r->schema_name) {
		if (!t->with_schema++)
			snprintf(t->first_schema, sizeof(t->first_schema), "%s@%s", r->schema_name,
				 r->schema_version ? r->schema_version : "");
	}
	if (r->org_siret && !t->with_siret++)
		snprintf(t->first_siret, sizeof(t->first_siret), "%s", r->org_siret);
	return 0;
}

static int count_org(void *ctx, const struct odl_dg_org *o)
{
	struct tally *t = ctx;
	assert_non_null(o->id);
	t->orgs++;
	return 0;
}

static int count_schema(void *ctx, const char *name, const char *version, const char *url)
{
	struct tally *t = ctx;
	assert_non_null(name);
	assert_non_null(version);
	assert_non_null(url);
	t->schemas++;
	return 0;
}

static int have_reference(void)
{
	DIR *d = opendir(REF);
	if (!d) {
		printf("skipped: %s is absent\n", REF);
		return 0;
	}
	closedir(d);
	return 1;
}

/* Every recorded response is understood as one of: datasets, organizations,
 * the schema catalogue, or an API error ({"message": ...}). */
static void every_reference_file_is_handled(void **state)
{
	(void)state;
	if (!have_reference())
		skip();
	DIR *d = opendir(REF);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", REF, e->d_name);
		size_t len;
		char *json = slurp(path, &len);
		assert_non_null(json);
		struct tally t = { 0 };
		struct odl_error err;
		char *next = NULL;
		int handled = 0;
		odl_error_clear(&err);
		if (strstr(e->d_name, "schema_catalog"))
			handled = odl_datagouv_parse_schema_catalog(json, len, path, count_schema, &t, &err) == ODL_OK;
		else if (strstr(e->d_name, "organizations_list") || strstr(e->d_name, "organization_one"))
			handled = odl_datagouv_parse_orgs(json, len, path, count_org, &t, &next, &err) == ODL_OK;
		else if (strstr(e->d_name, "404"))
			handled = odl_datagouv_parse_datasets(json, len, path, NULL, count_resource, &t, &next, &err) == ODL_EFORMAT &&
				  strstr(json, "\"message\"") != NULL;
		else
			handled = odl_datagouv_parse_datasets(json, len, path, NULL, count_resource, &t, &next, &err) == ODL_OK;
		if (!handled)
			fail_msg("%s: %s", e->d_name, err.message);
		free(next);
		free(json);
		files++;
	}
	closedir(d);
	assert_true(files >= 8);
}

static struct tally parse_ref(const char *name, int orgs, char **next)
{
	char path[1024];
	size_t len;
	struct tally t = { 0 };
	struct odl_error err;

	snprintf(path, sizeof(path), "%s/%s", REF, name);
	char *json = slurp(path, &len);
	assert_non_null(json);
	odl_error_clear(&err);
	int rc = orgs ? odl_datagouv_parse_orgs(json, len, path, count_org, &t, next, &err)
		      : odl_datagouv_parse_datasets(json, len, path, NULL, count_resource, &t, next, &err);
	assert_int_equal(rc, ODL_OK);
	free(json);
	return t;
}

static void reference_shapes(void **state)
{
	(void)state;
	char *next = NULL;
	if (!have_reference())
		skip();
	/* one dataset, 2017: resources without type nor schema */
	struct tally t = parse_ref("transport-site_2017_dataset_irigo.json", 0, &next);
	assert_int_equal(t.resources, 6);
	assert_int_equal(t.with_schema, 0);
	assert_null(next);
	/* a bare array of datasets */
	t = parse_ref("transport-site_2017_organization_datasets.json", 0, &next);
	assert_int_equal(t.resources, 35);
	assert_null(next);
	/* 2025: checksums, a schema, the organization's SIRET */
	t = parse_ref("udata_2025_datasets_sample.json", 0, &next);
	assert_int_equal(t.resources, 2);
	assert_int_equal(t.with_checksum, 2);
	assert_int_equal(t.with_schema, 1);
	assert_string_equal(t.first_schema, "etalab/schema-irve-statique@2.2.0");
	assert_string_equal(t.first_siret, "21350328700012");
	/* an empty envelope */
	t = parse_ref("transport-site_organization_datasets_empty.json", 0, &next);
	assert_int_equal(t.resources, 0);
	assert_null(next);
	/* organizations: an envelope with next_page, one object */
	t = parse_ref("transport-site_2017_organizations_list_page1.json", 1, &next);
	assert_int_equal(t.orgs, 20);
	assert_string_equal(next, "https://demo.data.gouv.fr/api/1/organizations/?page=2");
	free(next);
	t = parse_ref("transport-site_2017_organization_one.json", 1, NULL);
	assert_int_equal(t.orgs, 1);
	/* the schema catalogue: 11 versions + 3 "latest" */
	char path[1024];
	size_t len;
	snprintf(path, sizeof(path), "%s/udata_tests_schema_catalog.json", REF);
	char *json = slurp(path, &len);
	struct odl_error err;
	struct tally s = { 0 };
	assert_int_equal(odl_datagouv_parse_schema_catalog(json, len, path, count_schema, &s, &err), ODL_OK);
	assert_int_equal(s.schemas, 14);
	free(json);
}

/* Shapes built by hand: what is missing stays NULL, the hint fills the
 * organization, garbage is an error naming the response. */
static void tolerant_and_strict(void **state)
{
	(void)state;
	struct odl_error err;
	struct tally t = { 0 };
	char *next = NULL;
	const char *odd = "{\"data\": [{\"id\": \"d1\", \"resources\": [{\"url\": \"http://x/a.csv\", \"schema\": null, "
			  "\"checksum\": null, \"type\": 5}, {\"title\": \"no url\"}, 7], \"organization\": null}, 3], "
			  "\"next_page\": \"http://x/?page=2\", \"total\": \"10\"}";
	const struct odl_dg_org hint = { "o1", "Commune", "commune", "21350328700012" };
	odl_error_clear(&err);
	assert_int_equal(odl_datagouv_parse_datasets(odd, strlen(odd), "odd", &hint, count_resource, &t, &next, &err), ODL_OK);
	assert_int_equal(t.resources, 1);
	assert_int_equal(t.with_siret, 1);
	assert_string_equal(next, "http://x/?page=2");
	free(next);

	const char *bad = "{\"data\": [";
	assert_int_equal(odl_datagouv_parse_datasets(bad, strlen(bad), "page.json", NULL, count_resource, &t, &next, &err), ODL_EFORMAT);
	assert_string_equal(err.file, "page.json");
	assert_null(next);
	const char *scalar = "42";
	assert_int_equal(odl_datagouv_parse_orgs(scalar, 2, "n.json", count_org, &t, &next, &err), ODL_EFORMAT);
	assert_string_equal(err.message, "not an organization or a list of organizations");
}

/* A next_page is remote data: http or https only, never a silent end. */
static void next_page_remote_rule(void **state)
{
	(void)state;
	static const char *const refused[] = { "file:///etc/shadow", "FILE:///etc/shadow", "file:/etc/shadow",
					       "ftp://x/?page=2", "/api/1/datasets/?page=2" };
	char json[256], *next = NULL;
	struct odl_error err;
	struct tally t = { 0 };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(json, sizeof(json), "{\"data\": [], \"next_page\": \"%s\"}", refused[i]);
		odl_error_clear(&err);
		assert_int_equal(odl_datagouv_parse_datasets(json, strlen(json), "p1", NULL, count_resource, &t,
							     &next, &err), ODL_EFORMAT);
		assert_null(next);
		assert_string_equal(err.file, "p1");
		assert_string_equal(err.field, "next_page");
		odl_error_clear(&err);
		assert_int_equal(odl_datagouv_parse_orgs(json, strlen(json), "p2", count_org, &t, &next, &err),
				 ODL_EFORMAT);
		assert_null(next);
		assert_string_equal(err.field, "next_page");
	}
	assert_string_equal(err.message, "unsupported url scheme: a url read from remote data must be http or https");
	snprintf(json, sizeof(json), "{\"data\": [], \"next_page\": \"HTTPS://x/?page=2\"}");
	assert_int_equal(odl_datagouv_parse_orgs(json, strlen(json), "p3", count_org, &t, &next, &err), ODL_OK);
	assert_string_equal(next, "HTTPS://x/?page=2");
	free(next);
}

static int stop_at_first(void *ctx, const struct odl_dg_resource *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 1;
}

static void callback_can_stop(void **state)
{
	(void)state;
	const char *two = "[{\"resources\": [{\"url\": \"a\"}, {\"url\": \"b\"}]}]";
	int calls = 0;
	struct odl_error err;
	assert_int_equal(odl_datagouv_parse_datasets(two, strlen(two), "two", NULL, stop_at_first, &calls, NULL, &err), ODL_ECANCELED);
	assert_int_equal(calls, 1);
}

/* Our server fixtures are valid responses too. */
static void fixtures_parse(void **state)
{
	(void)state;
	struct tally t = { 0 };
	size_t len;
	struct odl_error err;
	char *json = slurp(ODL_TESTDATA "/fetch/api/datasets@schema=scdl_subventions.json", &len);
	assert_non_null(json);
	assert_int_equal(odl_datagouv_parse_datasets(json, len, "f", NULL, count_resource, &t, NULL, &err), ODL_OK);
	assert_int_equal(t.resources, 4);
	assert_int_equal(t.with_schema, 2);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reference_file_is_handled),
		cmocka_unit_test(reference_shapes),
		cmocka_unit_test(tolerant_and_strict),
		cmocka_unit_test(next_page_remote_rule),
		cmocka_unit_test(callback_can_stop),
		cmocka_unit_test(fixtures_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
