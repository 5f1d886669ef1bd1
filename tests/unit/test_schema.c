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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_schemas),
		cmocka_unit_test(compiled),
		cmocka_unit_test(resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
