/* test_json_quote.c - odl_json_quote() against jansson's own dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "odl/ndjson.h"

struct buf {
	char s[8192];
	size_t n;
};

static int put(void *ctx, const char *p, size_t n)
{
	struct buf *b = ctx;

	assert_true(b->n + n <= sizeof(b->s));
	memcpy(b->s + b->n, p, n);
	b->n += n;
	return 0;
}

/* a code point as UTF-8 */
static size_t utf8(uint32_t cp, char *o)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* s: what jansson writes for it, or refused by both */
static void same_as_jansson(const char *s, size_t n)
{
	struct buf mine = { .n = 0 };
	int rc = odl_json_quote(put, &mine, s, n);
	json_t *j = json_stringn(s, n);

	if (!j) {
		assert_int_equal(rc, -1);
		assert_int_equal(mine.n, 0);
		return;
	}
	char want[8192];
	size_t wn = json_dumpb(j, want, sizeof(want), JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	assert_int_equal(rc, 0);
	assert_int_equal(mine.n, wn);
	assert_memory_equal(mine.s, want, wn);
}

static void every_byte_and_code_point_class(void **state)
{
	(void)state;
	char s[16];

	for (unsigned b = 0; b < 256; b++) { /* one byte, alone and between letters */
		s[0] = (char)b;
		same_as_jansson(s, 1);
		s[0] = 'a', s[1] = (char)b, s[2] = 'z';
		same_as_jansson(s, 3);
	}
	static const uint32_t cps[] = { 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x2028, 0x2029, 0xD7FF,
					0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++)
		same_as_jansson(s, utf8(cps[i], s));
	/* refused: overlong, surrogates, beyond U+10FFFF, cut sequences */
	static const char *bad[] = { "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80",
				     "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
				     "\xE2\x82", "\xC3", "\x80", "a\xFF" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		same_as_jansson(bad[i], strlen(bad[i]));
	same_as_jansson("", 0);
	same_as_jansson("a\0b", 3); /* an embedded NUL */
}

static void random_strings(void **state)
{
	(void)state;
	char s[600];
	srand(12);
	for (int round = 0; round < 20000; round++) {
		size_t n = 0, len = (size_t)(rand() % 60);
		for (size_t k = 0; k < len; k++) {
			int pick = rand() % 10;
			uint32_t cp = pick < 4 ? (uint32_t)(0x20 + rand() % 0x5F)       /* printable ASCII */
				      : pick < 6 ? (uint32_t)(rand() % 0x20)          /* controls */
				      : pick == 6 ? (uint32_t)"\"\\/"[rand() % 3]
				      : pick == 7 ? (uint32_t)(0x80 + rand() % 0x780)
				      : pick == 8 ? (uint32_t)(0x800 + rand() % 0xD000)
						  : (uint32_t)(0x10000 + rand() % 0x100000);
			n += utf8(cp, s + n);
		}
		if (round % 5 == 0 && n) /* now and then one byte broken */
			s[rand() % (int)n] = (char)(rand() % 256);
		same_as_jansson(s, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_byte_and_code_point_class),
		cmocka_unit_test(random_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
