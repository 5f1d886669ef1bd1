/* test_indicator_format.c - odl_format_real against snprintf("%.12g"),
 * byte for byte, on the kinds of values indicator rows hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "indicator_priv.h"

static unsigned long long seed = 88172645463325252ULL;

static unsigned long long next(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void same(double d)
{
	char want[64], buf[ODL_REAL_BUF];

	snprintf(want, sizeof(want), "%.12g", d);
	char *got = odl_format_real(buf, d);
	assert_ptr_equal(got, buf);
	if (strcmp(got, want) != 0)
		fail_msg("%.17g: '%s', printf says '%s'", d, got, want);
}

static void test_fixed_values(void **state)
{
	static const double v[] = {
		0, -0.0, 1, -1, 0.5, 0.1, 0.2, 0.3, 1e-4, 9.99999999999e-5, 0.0001234, 0.001,
		0.01, 123.45, 275584.35, 3.2444590299, 999999999999.4, 999999999999.5,
		999999999999.6, 1e12, 1e15, 123456789012.5, 12345678901.25, 0.5000000000005,
		2.5, 1234.5678901234567, 1.0 / 3, 2.0 / 3, 99999.999999999, 0.999999999999,
		0.9999999999995, 1e-300, 1e300, INFINITY, -INFINITY, NAN, 5e-324,
		4503599627370495.5, 0.30000000000000004, 1.15, 1.005, 100.0 / 7,
	};
	char buf[ODL_REAL_BUF];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		same(v[i]);
		same(-v[i]);
	}
	assert_string_equal(odl_format_real(buf, 275584.35), "275584.35");
	assert_string_equal(odl_format_real(buf, 1.0 / 3), "0.333333333333");
	assert_string_equal(odl_format_real(buf, 0.00012), "0.00012");
	assert_string_equal(odl_format_real(buf, 2e12), "2e+12");
}

static void test_random_values(void **state)
{
	(void)state;
	for (int i = 0; i < 300000; i++) {
		unsigned long long r = next();
		/* amounts in cents, ratios, per-inhabitant quotients, and raw
		 * doubles of every exponent */
		same((double)(r % 10000000000ULL) / 100);
		same((double)(r % 1000000) / (double)(1 + (r >> 40) % 100000));
		same((double)(r % 100000) / 1000 + 0.0005);
		double d;
		memcpy(&d, &r, sizeof(d));
		same(d);
		same(ldexp((double)(r >> 11), -(int)(r % 90)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_values),
		cmocka_unit_test(test_random_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
