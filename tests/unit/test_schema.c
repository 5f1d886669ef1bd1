/* test_schema.c - loading schemas: what is compiled, and precise rejections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema_private.h"
#include "odl/cache.h"

static void rejected(const char *text, int code, const char *message)
{
	odl_schema *s = (odl_schema *)1;
	struct odl_error err;

	odl_error_clear(&err);
	assert_int_equal(odl_schema_load_text(text, strlen(text), "bad.json", &s, &err), code);
	assert_null(s);
	assert_string_equal(err.file, "bad.json");
	assert_string_equal(err.message, message);
}

static void bad_schemas(void **state)
{
	(void)state;
	rejected("{\"fields\": [", ODL_ESCHEMA, "not valid JSON: ']' expected near end of file");
	rejected("[]", ODL_ESCHEMA, "a schema must be a JSON object");
	rejected("{}", ODL_ESCHEMA, "fields: the schema has no \"fields\"");
	rejected("{\"fields\": {}}", ODL_ESCHEMA, "fields: must be an array");
	rejected("{\"fields\": [{\"type\": \"string\"}]}", ODL_ESCHEMA, "fields[0]: a field needs a \"name\"");
	rejected("{\"fields\": [{\"name\": \"a\"}, {\"name\": \"b\", \"type\": \"text\"}]}", ODL_ESCHEMA,
		 "fields[1].type: unknown type \"text\"");
	rejected("{\"fields\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", ODL_ESCHEMA,
		 "fields[1]: names of the fields are not unique: \"a\" is also fields[0]");
	rejected("{\"fields\": [{\"name\": \"a\", \"constraints\": {\"pattern\": \"(ab\"}}]}", ODL_ESCHEMA,
		 "fields[0].constraints.pattern: invalid regular expression at offset 3: missing closing parenthesis");
	rejected("{\"fields\": [{\"name\": \"a\", \"type\": \"integer\", \"constraints\": {\"pattern\": \"1\"}}]}",
		 ODL_ESCHEMA, "fields[0].constraints.pattern: constraint \"pattern\" is not supported by type \"integer\"");
	rejected("{\"fields\": [{\"name\": \"a\", \"constraints\": {\"maxLenght\": 3}}]}", ODL_ESCHEMA,
		 "fields[0].constraints.maxLenght: unknown constraint");
	rejected("{\"fields\": [{\"name\": \"a\", \"constraints\": {\"required\": \"yes\"}}]}", ODL_ESCHEMA,
		 "fields[0].constraints.required: must be true or false");
	rejected("{\"fields\": [{\"name\": \"a\", \"type\": \"date\", \"constraints\": {\"minimum\": \"hier\"}}]}",
		 ODL_ESCHEMA, "fields[0].constraints.minimum: value is not a valid date/default");
	rejected("{\"fields\": [{\"name\": \"a\", \"type\": \"integer\", \"constraints\": {\"enum\": [1, \"x\"]}}]}",
		 ODL_ESCHEMA, "fields[0].constraints.enum: item 1 is not a valid integer/default");
	rejected("{\"fields\": [{\"name\": \"a\", \"type\": \"date\", \"format\": \"jj/mm/aaaa\"}]}", ODL_ESCHEMA,
		 "fields[0].format: \"jj/mm/aaaa\" is neither \"default\", \"any\" nor a strptime pattern");
	rejected("{\"fields\": [{\"name\": \"a\"}], \"primaryKey\": [\"b\"]}", ODL_ESCHEMA,
		 "primaryKey: item 0: no such field");
	rejected("{\"fields\": [{\"name\": \"a\"}], \"fieldsMatch\": \"loose\"}", ODL_ESCHEMA,
		 "fieldsMatch: must be one of \"exact\", \"equal\", \"subset\", \"superset\", \"partial\"");
	rejected("{\"fields\": [{\"name\": \"a\"}], \"missingValues\": [\"\", 0]}", ODL_ESCHEMA,
		 "missingValues: item 1 must be a string");
	rejected("{\"fields\": [{\"name\": \"a\"}], \"foreignKeys\": [{\"fields\": \"a\", \"reference\": {\"resource\": \"other\", \"fields\": \"a\"}}]}",
		 ODL_EUNSUPPORTED, "foreignKeys[0].reference.resource: only references to the same file (\"\") are supported");
	rejected("{\"fields\": [{\"name\": \"a\"}], \"custom_checks\": [{\"name\": \"no-such-check\", \"params\": {}}]}",
		 ODL_ESCHEMA, "custom_checks[0]: custom check 'no-such-check': unknown check");
	rejected("{\"fields\": [{\"name\": \"a\"}], \"fields\": []}", ODL_ESCHEMA,
		 "not valid JSON: duplicate object key near '\"fields\"'");
}

static void compiled(void **state)
{
	static const char text[] =
		"{\"name\": \"x\", \"version\": \"1.2\", \"fieldsMatch\": \"subset\","
		" \"missingValues\": [\"\", \"NA\"], \"primaryKey\": [\"a\", \"b\"],"
		" \"fields\": [{\"name\": \"a\", \"type\": \"integer\", \"constraints\": {\"required\": true, \"minimum\": 1}},"
		"  {\"name\": \"b\", \"constraints\": {\"enum\": [\"p\", \"q\"], \"unique\": true}}]}";
	odl_schema *s;
	(void)state;
	assert_int_equal(odl_schema_load_text(text, strlen(text), "ok.json", &s, NULL), ODL_OK);
	assert_string_equal(odl_schema_name(s), "x");
	assert_string_equal(odl_schema_version(s), "1.2");
	assert_int_equal(odl_schema_nfields(s), 2);
	assert_int_equal(odl_schema_field_required(s, 0), 1);
	assert_int_equal(odl_schema_field_required(s, 1), 0);
	assert_int_equal(odl_schema_fields_match(s), ODL_MATCH_SUBSET);
	assert_int_equal(s->npkey, 2);
	assert_int_equal(s->fields[1].unique, 1);
	assert_string_equal(s->fields[0].cons[1].note, "constraint \"minimum\" is \"1\"");
	assert_string_equal(s->fields[1].cons[0].note, "constraint \"enum\" is \"['p', 'q']\"");
	assert_true(odl_field_is_missing(s, &s->fields[0], "NA", 2));
	assert_false(odl_field_is_missing(s, &s->fields[0], "na", 2));
	assert_int_equal(strlen(odl_schema_sha256(s)), 64);
	odl_schema_free(s);
	odl_schema_free(NULL);
}

/*
 * A schema URL nobody answers, never seen before: a network error naming
 * the URL, not a crash and not a file path.  The port is one just bound and
 * released, so nothing listens there.
 */
static void url_unreachable(const char *dir)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	char url[128], path[4096], cmd[4200];
	struct odl_error err;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/schema.json", (unsigned)ntohs(sa.sin_port));
	snprintf(path, sizeof(path), "%s/cache", dir);
	setenv("XDG_CACHE_HOME", path, 1);
	odl_error_clear(&err);
	assert_int_equal(odl_schema_resolve(url, dir, path, sizeof(path), &err), ODL_ENET);
	assert_string_equal(err.file, url);
	assert_non_null(strstr(err.message, "cannot download the schema"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/cache'", dir);
	assert_int_equal(system(cmd), 0);
}

static void resolve(void **state)
{
	char dir[] = "/tmp/odl-test-schemaXXXXXX", path[4096], want[4200];
	struct odl_error err;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/schemas", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/schemas/scdl", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/schemas/scdl/subventions", dir);
	mkdir(path, 0700);
	const char *versions[] = { "2.0.2", "2.10.0", "2.9.1" };
	for (int i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "%s/%s.json", path, versions[i]);
		FILE *f = fopen(want, "w");
		assert_non_null(f);
		fputs("{\"fields\": []}", f);
		fclose(f);
	}
	assert_int_equal(odl_schema_resolve("scdl/subventions", dir, path, sizeof(path), &err), ODL_OK);
	snprintf(want, sizeof(want), "%s/schemas/scdl/subventions/2.10.0.json", dir);
	assert_string_equal(path, want);
	assert_int_equal(odl_schema_resolve("scdl/subventions@2.0.2", dir, path, sizeof(path), &err), ODL_OK);
	snprintf(want, sizeof(want), "%s/schemas/scdl/subventions/2.0.2.json", dir);
	assert_string_equal(path, want);
	assert_int_equal(odl_schema_resolve("scdl/subventions@9", dir, path, sizeof(path), &err), ODL_ENOTFOUND);
	assert_non_null(strstr(err.message, "no such version (available: "));
	assert_int_equal(odl_schema_resolve("scdl/budget", dir, path, sizeof(path), &err), ODL_ENOTFOUND);
	url_unreachable(dir);
	assert_int_equal(odl_schema_resolve("../etc/passwd@1", dir, path, sizeof(path), &err), ODL_ENOTFOUND);
	assert_true(odl_version_compare("2.10.0", "2.9.1") > 0);
	assert_true(odl_version_compare("2.1", "2.1.0") < 0);
	assert_int_equal(odl_version_compare("1.0.0", "1.0.0"), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "%s/schemas/scdl/subventions/%s.json", dir, versions[i]);
		unlink(want);
	}
	snprintf(path, sizeof(path), "%s/schemas/scdl/subventions", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/schemas/scdl", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/schemas", dir);
	rmdir(path);
	rmdir(dir);
}

static const char *problem_note(const odl_schema *s, size_t i)
{
	const struct odl_schema_problem *p = odl_schema_problem(s, i);
	assert_non_null(p);
	return p->note;
}

/*
 * Examples are read as frictionless 5.19 reads them: with a field of the
 * same type and format (and trueValues/falseValues), nothing else.
 */
static void examples(void **state)
{
	static const char text[] =
		"{\"fields\": ["
		"{\"name\": \"d\", \"type\": \"date\", \"format\": \"%Y/%m/%d\", \"example\": \"2018/08/08, 2015/12/30\"},"
		"{\"name\": \"d2\", \"type\": \"date\", \"format\": \"%Y/%m/%d\", \"example\": \"2018/08/08\"},"
		"{\"name\": \"d3\", \"type\": \"date\", \"example\": \"2018/08/08\"},"
		/* constraints are not applied to the example */
		"{\"name\": \"p\", \"constraints\": {\"pattern\": \"^\\\\d{4}$\"}, \"example\": \"2017, 2018\"},"
		"{\"name\": \"n\", \"type\": \"number\", \"constraints\": {\"maximum\": 1}, \"example\": \"45.5\"},"
		/* nor decimalChar: the example's field has the default one */
		"{\"name\": \"c\", \"type\": \"number\", \"decimalChar\": \",\", \"example\": \"1,5\"},"
		"{\"name\": \"b\", \"type\": \"boolean\", \"trueValues\": [\"oui\"], \"falseValues\": [\"non\"], \"example\": \"non\"},"
		"{\"name\": \"b2\", \"type\": \"boolean\", \"example\": \"oui\"},"
		/* JSON values that are not text */
		"{\"name\": \"i\", \"type\": \"integer\", \"example\": 12},"
		"{\"name\": \"s\", \"type\": \"string\", \"example\": 75056},"
		"{\"name\": \"r\", \"type\": \"integer\", \"example\": 1.5},"
		/* falsy examples are not read */
		"{\"name\": \"e\", \"type\": \"integer\", \"example\": \"\"},"
		"{\"name\": \"z\", \"type\": \"date\", \"example\": 0},"
		"{\"name\": \"a\", \"type\": \"array\", \"arrayItem\": {\"type\": \"integer\"}, \"example\": \"[\\\"x\\\"]\"},"
		"{\"name\": \"q\", \"required\": true}"
		"]}";
	odl_schema *s;
	(void)state;
	assert_int_equal(odl_schema_load_text(text, strlen(text), "ex.json", &s, NULL), ODL_OK);
	assert_int_equal(odl_schema_nproblems(s), 7);
	assert_string_equal(problem_note(s, 6), "\"required\" should be set as \"constraints.required\"");
	assert_string_equal(problem_note(s, 0), "example value \"2018/08/08, 2015/12/30\" for field \"d\" is not valid");
	assert_string_equal(problem_note(s, 1), "example value \"2018/08/08\" for field \"d3\" is not valid");
	assert_string_equal(problem_note(s, 2), "example value \"1,5\" for field \"c\" is not valid");
	assert_string_equal(problem_note(s, 3), "example value \"oui\" for field \"b2\" is not valid");
	assert_string_equal(problem_note(s, 4), "example value \"75056\" for field \"s\" is not valid");
	assert_string_equal(problem_note(s, 5), "example value \"1.5\" for field \"r\" is not valid");
	const struct odl_schema_problem *p = odl_schema_problem(s, 0);
	assert_string_equal(p->code, "field-error");
	assert_string_equal(p->field, "d");
	assert_int_equal(p->field_number, 1);
	assert_string_equal(p->message, "Field is not valid: example value \"2018/08/08, 2015/12/30\" for field \"d\" is not valid");
	assert_null(odl_schema_problem(s, 7));
	odl_schema_free(s);

	static const char req[] = "{\"fields\": [{\"name\": \"a\"}, {\"name\": \"q\", \"required\": true}]}";
	assert_int_equal(odl_schema_load_text(req, strlen(req), "req.json", &s, NULL), ODL_OK);
	assert_int_equal(odl_schema_nproblems(s), 1);
	assert_string_equal(problem_note(s, 0), "\"required\" should be set as \"constraints.required\"");
	assert_int_equal(odl_schema_problem(s, 0)->field_number, 2);
	odl_schema_free(s);

	static const char good[] = "{\"fields\": [{\"name\": \"a\", \"type\": \"year\", \"example\": \"2024\"}]}";
	assert_int_equal(odl_schema_load_text(good, strlen(good), "good.json", &s, NULL), ODL_OK);
	assert_int_equal(odl_schema_nproblems(s), 0);
	odl_schema_free(s);
}

static void header(void **state)
{
	static const char v1[] = "{\"fields\": [{\"name\": \"COLL_NOM\"}, {\"name\": \"menu_type\"}, {\"name\": \"old\"}, {\"name\": \"x\"}]}";
	static const char v2[] = "{\"fields\": [{\"name\": \"COLL_NOM\"}, {\"name\": \"menuType\"}, {\"name\": \"new\"}, {\"name\": \"x\"}, {\"name\": \"added\"}]}";
	const char *labels[] = { "COLL_NOM", "menu_type", "old", "x" };
	struct odl_header_match m;
	char missing[256], renamed[256];
	odl_schema *a, *b;
	(void)state;
	assert_int_equal(odl_schema_load_text(v1, strlen(v1), "v1", &a, NULL), ODL_OK);
	assert_int_equal(odl_schema_load_text(v2, strlen(v2), "v2", &b, NULL), ODL_OK);
	odl_header_compare(a, labels, 4, &m);
	assert_int_equal(m.matched, 4);
	assert_int_equal(m.in_place, 4);
	assert_true(m.score == 1.0);
	odl_header_compare(b, labels, 4, &m);
	assert_int_equal(m.matched, 2);
	assert_int_equal(m.in_place, 2);
	assert_true(m.score == 2.0 / 7.0);
	assert_int_equal(odl_header_upgrade(a, b, labels, 4, missing, sizeof(missing), renamed, sizeof(renamed)), 3);
	assert_string_equal(missing, "added");
	assert_string_equal(renamed, "menu_type -> menuType, old -> new");
	assert_int_equal(odl_header_upgrade(NULL, b, labels, 4, missing, sizeof(missing), renamed, sizeof(renamed)), 3);
	assert_string_equal(missing, "new, added");
	assert_string_equal(renamed, "menu_type -> menuType");
	odl_schema_free(a);
	odl_schema_free(b);
}

static void cache_put(odl_cache *c, const char *url, const char *body)
{
	char path[ODL_CACHE_PATH_MAX];
	struct odl_cache_meta m;
	memset(&m, 0, sizeof(m));
	assert_int_equal(odl_cache_path(c, url, path, sizeof(path), NULL), ODL_OK);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	assert_int_equal(odl_cache_store_meta(c, url, &m, NULL), ODL_OK);
}

static int collect(void *ctx, const char *name, const char *version, const char *path)
{
	char *buf = ctx;
	(void)path;
	snprintf(buf + strlen(buf), 512 - strlen(buf), "%s@%s ", name, version);
	return 0;
}

/* The versions `odl-fetch schemas` cached, found offline by URL. */
static void cached(void **state)
{
	char dir[] = "/tmp/odl-test-cachedXXXXXX", cdir[4200], path[4096], cmd[4300], got[512] = "";
	const char *cat = "http://example.invalid/schemas.json";
	struct odl_error err;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cdir, sizeof(cdir), "%s/odl", dir);
	setenv("XDG_CACHE_HOME", dir, 1);
	setenv("ODL_SCHEMAS_URL", cat, 1);
	/* no catalogue yet: how to get it, and the cache is not created */
	odl_error_clear(&err);
	assert_int_equal(odl_schema_resolve_any("scdl/subventions@1.1.0", dir, path, sizeof(path), &err), ODL_ENOTFOUND);
	assert_non_null(strstr(err.message, "'odl-fetch schemas' caches every published version"));
	assert_int_equal(odl_schema_cached_versions(NULL, NULL, collect, got, &err), ODL_ENOTFOUND);
	struct stat st;
	assert_int_not_equal(stat(cdir, &st), 0);

	odl_cache *c = odl_cache_new(cdir, NULL);
	assert_non_null(c);
	cache_put(c, cat, "{\"schemas\": [{\"name\": \"scdl/subventions\", \"schema_url\": \"http://example.invalid/s/2.1.1.json\","
		  " \"versions\": [{\"version_name\": \"1.1.0\", \"schema_url\": \"http://example.invalid/s/1.1.0.json\"},"
		  " {\"version_name\": \"2.0.0\", \"schema_url\": \"http://example.invalid/s/2.0.0.json\"},"
		  " {\"version_name\": \"2.1.1\", \"schema_url\": \"http://example.invalid/s/2.1.1.json\"}]}]}");
	cache_put(c, "http://example.invalid/s/1.1.0.json", "{\"version\": \"1.1\", \"fields\": [{\"name\": \"a\"}]}");
	cache_put(c, "http://example.invalid/s/2.1.1.json", "{\"version\": \"2.1.1\", \"fields\": [{\"name\": \"b\"}]}");
	odl_cache_free(c);
	assert_int_equal(odl_schema_cached_versions(NULL, NULL, collect, got, &err), ODL_OK);
	/* 2.0.0 is listed but was not downloaded; "latest" is a copy */
	assert_string_equal(got, "scdl/subventions@1.1.0 scdl/subventions@2.1.1 ");
	assert_int_equal(odl_schema_resolve_any("scdl/subventions@1.1.0", dir, path, sizeof(path), &err), ODL_OK);
	odl_schema *s;
	assert_int_equal(odl_schema_load_path(path, &s, NULL), ODL_OK);
	assert_string_equal(odl_schema_version(s), "1.1");
	odl_schema_free(s);
	/* a name odl does not ship: the highest cached version */
	assert_int_equal(odl_schema_resolve_any("scdl/subventions", dir, path, sizeof(path), &err), ODL_OK);
	assert_int_equal(odl_schema_load_path(path, &s, NULL), ODL_OK);
	assert_string_equal(odl_schema_version(s), "2.1.1");
	odl_schema_free(s);
	odl_error_clear(&err);
	assert_int_equal(odl_schema_resolve_any("scdl/subventions@2.0.0", dir, path, sizeof(path), &err), ODL_ENOTFOUND);
	assert_non_null(strstr(err.message, "; cached: 1.1.0, 2.1.1"));
	unsetenv("ODL_SCHEMAS_URL");
	unsetenv("XDG_CACHE_HOME");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_schemas),
		cmocka_unit_test(compiled),
		cmocka_unit_test(resolve),
		cmocka_unit_test(examples),
		cmocka_unit_test(header),
		cmocka_unit_test(cached),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
