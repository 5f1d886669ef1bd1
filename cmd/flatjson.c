/* flatjson.c - flat NDJSON objects read as jansson reads them, or declined. */
#include "flatjson.h"
#include "odl/territory.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

static int ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* jansson's UTF-8 rule: shortest forms, no surrogate, at most U+10FFFF */
static int utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t k;
		uint32_t v;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			v = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			v = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			v = c & 0x07;
		} else {
			return 0;
		}
		if (n - i - 1 < k)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
			v = v << 6 | (p[i + j] & 0x3F);
		}
		if ((k == 2 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
		    (k == 3 && (v < 0x10000 || v > 0x10FFFF)))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* in a string: 0 plain ASCII, 1 the closing quote, 2 an escape or a
 * control character (declined), 3 a byte of a multibyte character */
static const unsigned char str_class[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	['\\'] = 2,
	[0x80] = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3
};

/* a string at s[*i] == '"' without escape or control character */
static int scan_string(const char *s, size_t n, size_t *i, const char **str, size_t *len)
{
	size_t j = *i + 1, start = j;
	int high = 0;

	for (;;) {
		while (j < n && !str_class[(unsigned char)s[j]])
			j++;
		if (j == n)
			return -1;
		unsigned char k = str_class[(unsigned char)s[j]];
		if (k == 1)
			break;
		if (k == 2)
			return -1;
		high = 1;
		j++;
	}
	if (high && !utf8_ok((const unsigned char *)s + start, j - start))
		return -1;
	*str = s + start;
	*len = j - start;
	*i = j + 1;
	return 0;
}

/* a JSON number as jansson lexes it: integers fit a long long, reals a
 * double (beyond, jansson fails: declined) */
static int scan_number(const char *s, size_t n, size_t *i, struct fj_value *v)
{
	size_t j = *i, start = j, digits;
	int real = 0;

	if (j < n && s[j] == '-')
		j++;
	if (j == n || s[j] < '0' || s[j] > '9')
		return -1;
	if (s[j] == '0' && j + 1 < n && s[j + 1] >= '0' && s[j + 1] <= '9')
		return -1;
	for (digits = 0; j < n && s[j] >= '0' && s[j] <= '9'; j++)
		digits++;
	if (j < n && s[j] == '.') {
		real = 1;
		j++;
		if (j == n || s[j] < '0' || s[j] > '9')
			return -1;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
	}
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		real = 1;
		j++;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j == n || s[j] < '0' || s[j] > '9')
			return -1;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
	}
	if (!real) {
		/* 18 digits always fit; jansson's strtoll would say the rest */
		if (digits > 18)
			return -1;
		long long x = 0;
		for (size_t k = start + (s[start] == '-'); k < j; k++)
			x = x * 10 + (s[k] - '0');
		v->type = FJ_INTEGER;
		v->i = s[start] == '-' ? -x : x;
		v->d = (double)v->i;
	} else {
		/* correctly rounded as strtod (jansson's) rounds; a real no
		 * double holds is jansson's error */
		if (odl_parse_number(s + start, j - start, &v->d) != 0)
			return -1;
		v->type = FJ_REAL;
	}
	*i = j;
	return 0;
}

static int scan_word(const char *s, size_t n, size_t *i, const char *w, size_t wl)
{
	if (n - *i < wl || memcmp(s + *i, w, wl) != 0)
		return -1;
	*i += wl;
	return 0;
}

int fj_parse(const char *s, size_t n, const char *const *keys, size_t nkeys,
	     struct fj_value *out)
{
	size_t i = 0, next = 0, klens[FJ_MAX_KEYS];

	if (nkeys > FJ_MAX_KEYS)
		return -1;
	for (size_t k = 0; k < nkeys; k++)
		klens[k] = strlen(keys[k]);
	memset(out, 0, nkeys * sizeof(*out));
	while (i < n && ws(s[i]))
		i++;
	if (i == n || s[i++] != '{')
		return -1;
	while (i < n && ws(s[i]))
		i++;
	if (i < n && s[i] == '}') {
		i++;
		goto end;
	}
	for (;;) {
		const char *key;
		size_t klen;
		struct fj_value v, *slot = NULL;
		if (i == n || s[i] != '"' || scan_string(s, n, &i, &key, &klen) != 0)
			return -1;
		while (i < n && ws(s[i]))
			i++;
		if (i == n || s[i++] != ':')
			return -1;
		while (i < n && ws(s[i]))
			i++;
		if (i == n)
			return -1;
		memset(&v, 0, sizeof(v));
		switch (s[i]) {
		case '"':
			v.type = FJ_STRING;
			if (scan_string(s, n, &i, &v.s, &v.len) != 0)
				return -1;
			break;
		case 'n':
			v.type = FJ_NULL;
			if (scan_word(s, n, &i, "null", 4) != 0)
				return -1;
			break;
		case 't':
			v.type = FJ_TRUE;
			if (scan_word(s, n, &i, "true", 4) != 0)
				return -1;
			break;
		case 'f':
			v.type = FJ_FALSE;
			if (scan_word(s, n, &i, "false", 5) != 0)
				return -1;
			break;
		default:
			if (scan_number(s, n, &i, &v) != 0)
				return -1;
			break;
		}
		/* the wanted keys usually come in their order: try the next one first */
		for (size_t c = 0, k = next; c < nkeys; c++, k = k + 1 == nkeys ? 0 : k + 1) {
			if (klens[k] == klen && keys[k][0] == key[0] &&
			    memcmp(keys[k], key, klen) == 0) {
				slot = &out[k];
				next = k + 1 == nkeys ? 0 : k + 1;
				break;
			}
		}
		if (slot) {
			/* jansson keeps the last of two: rare enough to leave to it */
			if (slot->type != FJ_ABSENT)
				return -1;
			*slot = v;
		}
		while (i < n && ws(s[i]))
			i++;
		if (i == n)
			return -1;
		if (s[i] == '}') {
			i++;
			break;
		}
		if (s[i++] != ',')
			return -1;
		while (i < n && ws(s[i]))
			i++;
	}
end:
	while (i < n && ws(s[i]))
		i++;
	return i == n ? 0 : -1;
}
