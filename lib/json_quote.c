/* json_quote.c - a JSON string literal as jansson writes it (odl/ndjson.h). */
#include "odl/ndjson.h"
#include "pyunicode.h"

#include <stdint.h>
#include <stdio.h>

int odl_json_quote(odl_json_put_fn put, void *ctx, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc;

	/* jansson's UTF-8 rules are odl_utf8_next()'s: no overlong forms, no
	 * surrogates, nothing past U+10FFFF */
	while (i < n) {
		uint32_t cp;
		size_t k = odl_utf8_next(s + i, n - i, &cp);
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
