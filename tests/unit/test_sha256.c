/* test_sha256.c - FIPS 180-4 test vectors, fed whole and byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "odl/sha256.h"

static void check(const char *msg, size_t len, size_t chunk, const char *want)
{
	struct odl_sha256 h;
	char hex[65];

	odl_sha256_init(&h);
	for (size_t i = 0; i < len; i += chunk)
		odl_sha256_update(&h, msg + i, len - i < chunk ? len - i : chunk);
	odl_sha256_hex(&h, hex);
	assert_string_equal(hex, want);
}

static void vectors(void **state)
{
	static const char *abc = "abc";
	static const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	(void)state;
	for (size_t chunk = 1; chunk <= 65; chunk++) {
		check("", 0, chunk, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		check(abc, 3, chunk, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		check(two, strlen(two), chunk, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
}

static void million_a(void **state)
{
	char *a = malloc(1000000);
	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	check(a, 1000000, 4096, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	check(a, 1000000, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),
		cmocka_unit_test(million_a),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
