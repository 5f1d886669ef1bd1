/* test_hash.c - digests against published test vectors, fed in chunks of every size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/hash.h"

struct vec {
	enum odl_hash_alg alg;
	const char *in;
	const char *hex;
};

static const struct vec vecs[] = {
	{ ODL_HASH_MD5, "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ ODL_HASH_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ ODL_HASH_MD5, "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	  "57edf4a22be3c955ac49da2e2107b67a" },
	{ ODL_HASH_SHA1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ ODL_HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ ODL_HASH_SHA1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ ODL_HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ ODL_HASH_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ ODL_HASH_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	/* 55 to 65 bytes: the padding boundaries */
	{ ODL_HASH_MD5, "0123456789012345678901234567890123456789012345678901234",
	  "6e7a4fc92eb1c3f6e652425bcc8d44b5" },
	{ ODL_HASH_SHA1, "0123456789012345678901234567890123456789012345678901234",
	  "9f3a4ce7f66b1b74c34da2c5d732c39f81e0f8df" },
	{ ODL_HASH_SHA256, "0123456789012345678901234567890123456789012345678901234",
	  "f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9" },
	{ ODL_HASH_MD5, "01234567890123456789012345678901234567890123456789012345",
	  "8af270b2847610e742b0791b53648c09" },
	{ ODL_HASH_SHA1, "01234567890123456789012345678901234567890123456789012345",
	  "0a40b8fbdaafb7c29651618ac15d27e772287130" },
	{ ODL_HASH_SHA256, "01234567890123456789012345678901234567890123456789012345",
	  "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af" },
	{ ODL_HASH_MD5, "012345678901234567890123456789012345678901234567890123456789012",
	  "c5e256437e758092dbfe06283e489019" },
	{ ODL_HASH_SHA1, "012345678901234567890123456789012345678901234567890123456789012",
	  "984b0f2f6d78c24020f5a79d409f67ab99302891" },
	{ ODL_HASH_SHA256, "012345678901234567890123456789012345678901234567890123456789012",
	  "074f6e9ac301d5d1b6df6f1dfb8c6f89c187ea945d352ce6a29279a9c630680b" },
	{ ODL_HASH_MD5, "0123456789012345678901234567890123456789012345678901234567890123",
	  "7f7bfd348709deeaace19e3f535f8c54" },
	{ ODL_HASH_SHA1, "0123456789012345678901234567890123456789012345678901234567890123",
	  "cf0800f7644ace3cb4c3fa33388d3ba0ea3c8b6e" },
	{ ODL_HASH_SHA256, "0123456789012345678901234567890123456789012345678901234567890123",
	  "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56" },
	{ ODL_HASH_MD5, "01234567890123456789012345678901234567890123456789012345678901234",
	  "beb9f48bc802ca5ca043bcc15e219a5a" },
	{ ODL_HASH_SHA1, "01234567890123456789012345678901234567890123456789012345678901234",
	  "92de3a8444fe6d15268f0ba810aa43bc8b3a4ffe" },
	{ ODL_HASH_SHA256, "01234567890123456789012345678901234567890123456789012345678901234",
	  "52774b57c10e45040a61c14d35c1c8ebefe880082313aa0a21ebb077734cd067" },
};

static void known_vectors_every_chunk_size(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(vecs) / sizeof(vecs[0]); v++) {
		size_t len = strlen(vecs[v].in);
		for (size_t chunk = 1; chunk <= len + 1; chunk++) {
			odl_hash *h = odl_hash_new(vecs[v].alg);
			assert_non_null(h);
			for (size_t off = 0; off < len; off += chunk)
				odl_hash_update(h, vecs[v].in + off, len - off < chunk ? len - off : chunk);
			char hex[ODL_HASH_HEX_MAX];
			odl_hash_final_hex(h, hex);
			assert_string_equal(hex, vecs[v].hex);
			odl_hash_free(h);
		}
	}
}

static void million_a(void **state)
{
	(void)state;
	static const char *want[] = {
		"7707d6ae4e027c70eea2a935c2296f21",
		"34aa973cd4c4daa4f61eeb2bdbad27316534016f",
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
	};
	char *a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	for (int alg = 0; alg < 3; alg++) {
		odl_hash *h = odl_hash_new((enum odl_hash_alg)alg);
		odl_hash_update(h, a, 1000000);
		char hex[ODL_HASH_HEX_MAX];
		odl_hash_final_hex(h, hex);
		assert_string_equal(hex, want[alg]);
		/* reset gives the same digest again */
		odl_hash_reset(h);
		odl_hash_update(h, a, 999999);
		odl_hash_update(h, a, 1);
		odl_hash_final_hex(h, hex);
		assert_string_equal(hex, want[alg]);
		odl_hash_free(h);
	}
	free(a);
}

static void names(void **state)
{
	(void)state;
	enum odl_hash_alg alg;
	assert_int_equal(odl_hash_parse("SHA1", &alg), ODL_OK);
	assert_int_equal(alg, ODL_HASH_SHA1);
	assert_int_equal(odl_hash_parse("sha-256", &alg), ODL_OK);
	assert_int_equal(alg, ODL_HASH_SHA256);
	assert_int_equal(odl_hash_parse("md5", &alg), ODL_OK);
	assert_int_equal(alg, ODL_HASH_MD5);
	assert_int_equal(odl_hash_parse("sha512", &alg), ODL_EUNSUPPORTED);
	assert_string_equal(odl_hash_name(ODL_HASH_SHA256), "sha256");
	assert_int_equal(odl_hash_size(ODL_HASH_SHA1), 20);
	assert_null(odl_hash_new((enum odl_hash_alg)7));
	odl_hash_free(NULL);
}

/* A digest read twice without a reset is empty, so it can never match a
 * declared checksum by accident; after a reset the hash starts over. */
static void final_then_reset(void **state)
{
	(void)state;
	char hex[ODL_HASH_HEX_MAX];
	odl_hash *h = odl_hash_new(ODL_HASH_SHA1);
	assert_non_null(h);
	odl_hash_update(h, "abc", 3);
	odl_hash_final_hex(h, hex);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	odl_hash_update(h, "abc", 3);
	odl_hash_final_hex(h, hex);
	assert_string_equal(hex, "");
	odl_hash_reset(h);
	odl_hash_update(h, "ab", 2);
	odl_hash_update(h, "c", 1);
	odl_hash_final_hex(h, hex);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	odl_hash_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors_every_chunk_size),
		cmocka_unit_test(million_a),
		cmocka_unit_test(final_then_reset),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
