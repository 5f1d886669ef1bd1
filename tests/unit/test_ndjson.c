/* test_ndjson.c - the NDJSON reader: the line ceiling holds however the
 * bytes are fed, errors name their line, blank lines count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "odl/ndjson.h"

static int count(void *ctx, json_t *obj, uint64_t line)
{
	(void)obj;
	(void)line;
	(*(int *)ctx)++;
	return 0;
}

/* feed s whole (chunk 0) or in chunks of that size */
static int feed(const char *s, size_t max_line, size_t chunk, int *n, struct odl_error *err)
{
	odl_ndjson *nd = odl_ndjson_new(max_line, count, n);
	size_t len = strlen(s);
	int rc = ODL_OK;

	assert_non_null(nd);
	if (!chunk)
		chunk = len;
	for (size_t off = 0; off < len && rc == ODL_OK; off += chunk)
		rc = odl_ndjson_feed(nd, s + off, len - off < chunk ? len - off : chunk, err);
	if (rc == ODL_OK)
		rc = odl_ndjson_finish(nd, err);
	odl_ndjson_free(nd);
	return rc;
}

/* A line over the ceiling used to pass when the whole line was in one
 * buffer (the path that does not copy), and fail when fed in pieces. */
static void test_ceiling_whole_or_chunked(void **state)
{
	const char *s = "{\"a\":1}\n{\"a\":\"0123456789012345678901234567890\"}\n{\"b\":2}\n";
	(void)state;
	for (size_t chunk = 0; chunk < 5; chunk++) {
		struct odl_error err;
		int n = 0;
		odl_error_clear(&err);
		assert_int_equal(feed(s, 20, chunk, &n, &err), ODL_ELIMIT);
		assert_int_equal(err.line, 2);
		assert_string_equal(err.message, "line longer than 20 bytes");
		assert_int_equal(n, 1);
	}
}

static void test_errors_name_their_line(void **state)
{
	struct odl_error err;
	int n = 0;
	(void)state;
	odl_error_clear(&err);
	assert_int_equal(feed("{\"a\":1}\n\n[1]\n", 0, 0, &n, &err), ODL_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.message, "not a JSON object");
	odl_error_clear(&err);
	n = 0;
	assert_int_equal(feed("{\"a\":1}\r\n{\"a\":", 0, 3, &n, &err), ODL_EFORMAT);
	assert_int_equal(err.line, 2);
	assert_int_equal(n, 1);
}

/* the line hook takes lines starting with 'T', declines the others (to
 * jansson and the object callback), stops at 'S' */
struct hook {
	int taken, objects;
	uint64_t last_line;
};

static int hook_line(void *ctx, const char *s, size_t len, uint64_t line)
{
	struct hook *h = ctx;
	(void)len;
	h->last_line = line;
	if (s[0] == 'S')
		return 1;
	if (s[0] == 'T') {
		h->taken++;
		return 0;
	}
	return -1;
}

static int hook_obj(void *ctx, json_t *obj, uint64_t line)
{
	(void)obj;
	(void)line;
	((struct hook *)ctx)->objects++;
	return 0;
}

static void test_line_hook(void **state)
{
	const char *s = "T not json\n  {\"a\":1}\n\nT\n{\"b\":2}\nS\n{\"c\":3}\n";
	struct hook h = { 0, 0, 0 };
	struct odl_error err;
	odl_ndjson *nd = odl_ndjson_new(0, hook_obj, &h);
	(void)state;
	assert_non_null(nd);
	odl_ndjson_set_line_fn(nd, hook_line);
	odl_error_clear(&err);
	assert_int_equal(odl_ndjson_feed(nd, s, strlen(s), &err), ODL_ECANCELED);
	assert_int_equal(err.line, 6);
	assert_int_equal(h.taken, 2);
	assert_int_equal(h.objects, 2);
	assert_int_equal(h.last_line, 6);
	odl_ndjson_free(nd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ceiling_whole_or_chunked),
		cmocka_unit_test(test_errors_name_their_line),
		cmocka_unit_test(test_line_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
