/* test_pattern_simple.c - fixed-width patterns give PCRE2's answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

/* what the fast path takes, and what it must leave to the engine */
static void which_patterns_are_simple(void **state)
{
	(void)state;
	static const char *simple[] = { "^\\d{14}$", "^W\\d{9}$", "[0-9]{5}", "^[A-Za-z0-9]{3}\\-\\d$",
					"2B", "^FR\\d{2}/x_y:z$", "\\.", "^\\d{64}$" };
	static const char *engine[] = { "oui|non", "\\d+", "\\d{2,3}", "(ab){2}", "a?", ".", "\\w{3}",
					"[^0-9]", "\\d{65}", "\\u00e9", "a{0}", "[a-]", "\\D", "a{", "^a$b",
					"^[0-9]{4}\\-[0-9]{2}(\\/[0-9]{4})?$" };
	for (size_t i = 0; i < sizeof(simple) / sizeof(*simple); i++) {
		struct odl_pattern *p;
		assert_int_equal(odl_pattern_compile(simple[i], &p, NULL), ODL_OK);
		if (!odl_pattern_is_simple(p))
			fail_msg("'%s' should be simple", simple[i]);
		odl_pattern_free(p);
	}
	for (size_t i = 0; i < sizeof(engine) / sizeof(*engine); i++) {
		struct odl_pattern *p;
		if (odl_pattern_compile(engine[i], &p, NULL) != ODL_OK)
			continue; /* "a{" may not compile: nothing to compare */
		if (odl_pattern_is_simple(p))
			fail_msg("'%s' should go to the engine", engine[i]);
		odl_pattern_free(p);
	}
}

/* Random cells near each pattern's shape: the answer is the engine's. */
static void same_answers_as_the_engine(void **state)
{
	(void)state;
	static const char *pats[] = { "^\\d{14}$", "^W\\d{9}$", "[0-9]{5}", "^[A-Za-z0-9]{3}\\-\\d$",
				      "^FR\\d{2}/x_y:z$", "ab\\.c", "^[A-C]{2}[x-z]$$" };
	static const char *alphabet[] = { "0", "5", "9", "W", "w", "A", "C", "D", "a", "x", "z", "-", "/",
					  ".", "_", ":", "F", "R", "\n", "\r", " ", "\xd9\xa3" /* Arabic-Indic 3 */,
					  "\xc3\xa9", "b", "c", "y" };
	static const char digits[] = "12345678901234";
	struct odl_pattern_match *m = odl_pattern_match_new();
	char cell[128];
	unsigned fast = 0;

	srand(3);
	for (size_t k = 0; k < sizeof(pats) / sizeof(*pats); k++) {
		struct odl_pattern *p;
		assert_int_equal(odl_pattern_compile(pats[k], &p, NULL), ODL_OK);
		assert_true(odl_pattern_is_simple(p));
		for (int round = 0; round < 20000; round++) {
			size_t n = 0, len = (size_t)(rand() % 18);
			for (size_t i = 0; i < len; i++) {
				const char *a = alphabet[rand() % (int)(sizeof(alphabet) / sizeof(*alphabet))];
				if (rand() % 3)  /* mostly digits: many cells of the right shape */
					a = (const char *[]){ "0", "1", "7", "9" }[rand() % 4];
				memcpy(cell + n, a, strlen(a));
				n += strlen(a);
			}
			if (round % 7 == 0) /* a valid-looking prefix for the fixed ones */
				n = (size_t)snprintf(cell, sizeof(cell), "%s%s", round % 2 ? "W" : "FR",
						     &digits[rand() % 10]);
			int want = odl_pattern_test_engine(p, cell, n, m);
			int got = odl_pattern_test(p, cell, n, m);
			if (got != want)
				fail_msg("'%s' on '%.*s': %d, the engine says %d", pats[k], (int)n, cell, got, want);
			fast += want == 1;
		}
		odl_pattern_free(p);
	}
	if (fast < 300) /* matches were among the cases */
		fail_msg("only %u matches", fast);
	odl_pattern_match_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(which_patterns_are_simple),
		cmocka_unit_test(same_answers_as_the_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
