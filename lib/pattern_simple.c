/*
 * pattern_simple.c - fixed-width patterns matched without the engine.
 *
 * Most SCDL patterns are a fixed sequence of character classes:
 * '^\d{14}$' (a SIRET), '^W\d{9}$' (an RNA number), '^[0-9]{5}$'.  Such a
 * pattern is kept as one ASCII set per position, and an ASCII cell is
 * matched by length and a bit test per byte, a fraction of a PCRE2 call.
 * Anything the sets cannot say exactly as Python's re does is left to the
 * engine: patterns with alternatives, groups, other quantifiers or escapes
 * than \d and escaped punctuation, and cells with a byte above 0x7F (\d is
 * Unicode there) or ending in a line break ($ matches before it).
 */
#include "pattern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SIMPLE_WIDTH 64

struct odl_simple_pattern {
	size_t width;
	uint64_t set[SIMPLE_WIDTH][2]; /* ASCII bytes allowed at each position */
};

static void add(uint64_t set[2], unsigned char c)
{
	set[c >> 6] |= (uint64_t)1 << (c & 63);
}

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* literal outside a class, unescaped: no meaning to the regex syntax */
static int plain(char c)
{
	return is_alnum(c) || (c && strchr("-/_:,;@#' %&=!~<>\"", c));
}

/* [...] of alphanumerics and alphanumeric ranges; *i at '[', moved past ']' */
static int bracket(const char *pat, size_t end, size_t *i, uint64_t set[2])
{
	size_t k = *i + 1;

	if (k < end && pat[k] == '^')
		return 0;
	while (k < end && pat[k] != ']') {
		char a = pat[k];
		if (!is_alnum(a))
			return 0;
		if (k + 2 < end && pat[k + 1] == '-' && pat[k + 2] != ']') {
			char b = pat[k + 2];
			if (!is_alnum(b) || b < a)
				return 0;
			for (int c = a; c <= b; c++)
				add(set, (unsigned char)c);
			k += 3;
		} else {
			add(set, (unsigned char)a);
			k++;
		}
	}
	if (k >= end || k == *i + 1)
		return 0;
	*i = k + 1;
	return 1;
}

struct odl_simple_pattern *odl_simple_pattern_new(const char *pat)
{
	size_t i = 0, end = strlen(pat);
	struct odl_simple_pattern sp;

	memset(&sp, 0, sizeof(sp));
	while (i < end && pat[i] == '^')
		i++;
	while (end > i && pat[end - 1] == '$' && !(end >= 2 && pat[end - 2] == '\\'))
		end--;
	while (i < end) {
		uint64_t set[2] = { 0, 0 };
		if (pat[i] == '\\' && i + 1 < end && pat[i + 1] == 'd') {
			for (char c = '0'; c <= '9'; c++)
				add(set, (unsigned char)c);
			i += 2;
		} else if (pat[i] == '\\' && i + 1 < end && (unsigned char)pat[i + 1] < 0x80 &&
			   !is_alnum(pat[i + 1]) && pat[i + 1] > ' ') {
			add(set, (unsigned char)pat[i + 1]);
			i += 2;
		} else if (pat[i] == '[') {
			if (!bracket(pat, end, &i, set))
				return NULL;
		} else if (plain(pat[i])) {
			add(set, (unsigned char)pat[i]);
			i++;
		} else {
			return NULL;
		}
		size_t count = 1;
		if (i < end && pat[i] == '{') {
			size_t k = i + 1;
			count = 0;
			while (k < end && pat[k] >= '0' && pat[k] <= '9' && count <= SIMPLE_WIDTH)
				count = count * 10 + (size_t)(pat[k++] - '0');
			if (k == i + 1 || k >= end || pat[k] != '}' || !count)
				return NULL;
			i = k + 1;
		}
		if (count > SIMPLE_WIDTH - sp.width)
			return NULL;
		while (count--) {
			sp.set[sp.width][0] = set[0];
			sp.set[sp.width++][1] = set[1];
		}
	}
	struct odl_simple_pattern *out = malloc(sizeof(*out));
	if (out)
		*out = sp;
	return out;
}

void odl_simple_pattern_free(struct odl_simple_pattern *sp)
{
	free(sp);
}

/* a byte above 0x7F in s[0..n), eight at a time */
static int non_ascii(const char *s, size_t n)
{
	uint64_t high = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		high |= w;
	}
	for (; i < n; i++)
		high |= (unsigned char)s[i];
	return (high & 0x8080808080808080ULL) != 0;
}

int odl_simple_pattern_test(const struct odl_simple_pattern *sp, const char *s, size_t n)
{
	if (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		return -1;
	if (non_ascii(s, n))
		return -1;
	if (n != sp->width)
		return 0;
	unsigned ok = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		ok &= (unsigned)(sp->set[i][c >> 6] >> (c & 63)) & 1;
	}
	return (int)ok;
}
