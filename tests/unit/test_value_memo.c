/* test_value_memo.c - the memo of values a field has accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "value_memo.h"

static int seen(struct odl_value_memo *m, const char *s)
{
	return odl_value_memo_seen(m, s, strlen(s));
}

static void accept(struct odl_value_memo *m, const char *s)
{
	if (!seen(m, s))
		odl_value_memo_add(m, s, strlen(s));
}

/* Every length from 0 to the ceiling: a value is found once added, and
 * a value differing in any one byte is not. */
static void remembers_exact_bytes(void **state)
{
	(void)state;
	char v[ODL_MEMO_VALUE + 1], w[ODL_MEMO_VALUE + 1];

	for (size_t n = 0; n <= ODL_MEMO_VALUE; n++) {
		struct odl_value_memo *m = odl_value_memo_new();
		assert_non_null(m);
		for (size_t i = 0; i < n; i++)
			v[i] = (char)('a' + (i * 7 + n) % 26);
		v[n] = 0;
		assert_false(odl_value_memo_seen(m, v, n));
		odl_value_memo_add(m, v, n);
		assert_true(odl_value_memo_seen(m, v, n));
		for (size_t i = 0; i < n; i++) {
			memcpy(w, v, n + 1);
			w[i] = (char)(w[i] ^ 1);
			assert_false(odl_value_memo_seen(m, w, n));
		}
		if (n)
			assert_false(odl_value_memo_seen(m, v, n - 1)); /* a prefix is another value */
		odl_value_memo_free(m);
	}
}

static void too_long_is_never_kept(void **state)
{
	(void)state;
	char v[ODL_MEMO_VALUE + 2];
	struct odl_value_memo *m = odl_value_memo_new();

	memset(v, 'x', sizeof(v));
	odl_value_memo_add(m, v, ODL_MEMO_VALUE + 1);
	assert_false(odl_value_memo_seen(m, v, ODL_MEMO_VALUE + 1));
	odl_value_memo_free(m);
}

/* A column of 40 repeated values is answered from the memo; a column of
 * values that never repeat turns the memo off after its sample. */
static void repeated_values_hit_unique_ones_switch_off(void **state)
{
	(void)state;
	char v[32];
	struct odl_value_memo *rep = odl_value_memo_new(), *uniq = odl_value_memo_new();
	unsigned hits = 0;

	for (int i = 0; i < 20000; i++) {
		snprintf(v, sizeof(v), "2024-%02d-%02d", 1 + i % 4, 1 + i % 10);
		hits += (unsigned)seen(rep, v);
		accept(rep, v);
		snprintf(v, sizeof(v), "DEL-%08d", i);
		accept(uniq, v);
	}
	assert_true(hits > 19000);
	/* once off, even a value just added is not found */
	odl_value_memo_add(uniq, "DEL-00000001", 12);
	assert_false(seen(uniq, "DEL-00000001"));
	assert_true(seen(rep, "2024-01-01"));
	odl_value_memo_free(rep);
	odl_value_memo_free(uniq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remembers_exact_bytes),
		cmocka_unit_test(too_long_is_never_kept),
		cmocka_unit_test(repeated_values_hit_unique_ones_switch_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
