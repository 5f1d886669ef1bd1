/* json_quote.c - a JSON string literal as jansson writes it (odl/ndjson.h). */
#include "odl/ndjson.h"

#include <stdint.h>
#include <stdio.h>

/* The length of the UTF-8 sequence at s (at most n bytes), 0 when it is
 * not one: jansson's rules (no overlong forms, no surrogates, <= U+10FFFF). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char u = s[0];
	size_t len;
	uint32_t cp;

	if (u < 0x80)
		return 1;
	if (u >= 0xC2 && u <= 0xDF)
		len = 2, cp = u & 0x1F;
	else if (u >= 0xE0 && u <= 0xEF)
		len = 3, cp = u & 0x0F;
	else if (u >= 0xF0 && u <= 0xF4)
		len = 4, cp = u & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000))
		return 0;
	return len;
}

int odl_json_quote(odl_json_put_fn put, void *ctx, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc;

	while (i < n) {
		size_t k = utf8_seq_len(u + i, n - i);
		if (!k)
			return -1;
		i += k;
	}
	if ((rc = put(ctx, "\"", 1)))
		return rc;
	for (i = 0; i < n; i++) {
		unsigned char ch = u[i];
		char esc[8];
		size_t elen = 2;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		if (i > run && (rc = put(ctx, s + run, i - run)))
			return rc;
		switch (ch) {
		case '"': esc[0] = '\\', esc[1] = '"'; break;
		case '\\': esc[0] = '\\', esc[1] = '\\'; break;
		case '\b': esc[0] = '\\', esc[1] = 'b'; break;
		case '\f': esc[0] = '\\', esc[1] = 'f'; break;
		case '\n': esc[0] = '\\', esc[1] = 'n'; break;
		case '\r': esc[0] = '\\', esc[1] = 'r'; break;
		case '\t': esc[0] = '\\', esc[1] = 't'; break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", ch);
			elen = 6;
		}
		if ((rc = put(ctx, esc, elen)))
			return rc;
		run = i + 1;
	}
	if (n > run && (rc = put(ctx, s + run, n - run)))
		return rc;
	return put(ctx, "\"", 1);
}
