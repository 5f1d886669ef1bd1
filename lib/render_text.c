/* render_text.c - display width, escaping and number formatting. */
#include "odl/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT 0xFFFD

/* One code point from s (len > 0); invalid or overlong input is U+FFFD over 1 byte. */
static size_t utf8_next(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	if (len < n) {
		*cp = REPLACEMENT;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = REPLACEMENT;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = REPLACEMENT;
		return 1;
	}
	*cp = v;
	return n;
}

static size_t utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

struct range {
	unsigned lo, hi;
};

/* Zero-width: combining marks, zero-width joiners and variation selectors. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
	{ 0x064B, 0x065F }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x1AB0, 0x1AFF },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
};

/* East Asian Wide and Fullwidth, and emoji presented wide. */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
	{ 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF },
	{ 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
	{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
	{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F004, 0x1F004 },
	{ 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F2FF },
	{ 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF }, { 0x1F900, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

static int in_ranges(unsigned cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static size_t cp_width(unsigned cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	if (in_ranges(cp, zero_width, sizeof(zero_width) / sizeof(zero_width[0])))
		return 0;
	if (in_ranges(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}

size_t odl_render_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;
	unsigned cp;

	while (i < len) {
		i += utf8_next(p + i, len - i, &cp);
		w += cp_width(cp);
	}
	return w;
}

size_t odl_render_prefix(const char *s, size_t len, size_t max_cols, size_t *cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;
	unsigned cp;

	while (i < len) {
		size_t n = utf8_next(p + i, len - i, &cp), cw = cp_width(cp);
		if (w + cw > max_cols)
			break;
		w += cw;
		i += n;
	}
	if (cols)
		*cols = w;
	return i;
}

static int term_unsafe(unsigned cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

char *odl_render_term_clean(const char *s, size_t len, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)s;
	/* each input byte becomes at most 3 output bytes (U+FFFD) */
	char *out = malloc(len * 3 + 1);
	size_t i = 0, o = 0;
	unsigned cp;

	if (!out)
		return NULL;
	while (i < len) {
		i += utf8_next(p + i, len - i, &cp);
		if (cp == '\t' || cp == '\n' || cp == '\r')
			cp = ' ';
		else if (term_unsafe(cp))
			cp = REPLACEMENT;
		o += utf8_put(out + o, cp);
	}
	out[o] = 0;
	if (out_len)
		*out_len = o;
	return out;
}

char *odl_render_clip(const char *s, size_t len, size_t max_cols, size_t *out_len)
{
	size_t n, cols, cut;
	char *c = odl_render_term_clean(s, len, &n);

	if (!c || max_cols == 0 || odl_render_width(c, n) <= max_cols) {
		if (c && out_len)
			*out_len = n;
		return c;
	}
	cut = odl_render_prefix(c, n, max_cols - 1, &cols);
	memcpy(c + cut, "\xE2\x80\xA6", 3); /* "…": cut + 3 <= n since something was cut */
	c[cut + 3] = 0;
	if (out_len)
		*out_len = cut + 3;
	return c;
}

int odl_render_html(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned cp;
	while (i < len) {
		size_t n = utf8_next(p + i, len - i, &cp);
		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\t': case '\n': case '\r': fputc(' ', f); break;
		default:
			if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
			    cp == 0xFFFE || cp == 0xFFFF)
				cp = REPLACEMENT;
			if (cp == REPLACEMENT)
				fputs("\xEF\xBF\xBD", f);
			else
				fwrite(p + i, 1, n, f);
		}
		i += n;
	}
	return ferror(f) ? ODL_EIO : ODL_OK;
}

int odl_render_html_str(FILE *f, const char *s)
{
	return odl_render_html(f, s ? s : "", s ? strlen(s) : 0);
}

int odl_render_md(FILE *f, const char *s, size_t len)
{
	size_t n, i;
	char *c = odl_render_term_clean(s, len, &n);

	if (!c)
		return ODL_ENOMEM;
	for (i = 0; i < n; i++) {
		if (strchr("\\`*_[]<>|~&#", c[i]) && c[i])
			fputc('\\', f);
		fputc(c[i], f);
	}
	free(c);
	return ferror(f) ? ODL_EIO : ODL_OK;
}

int odl_render_is_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && s[i] == '-')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	return digits > 0 && i == len;
}

int odl_render_csv_cell(FILE *f, const char *s, size_t len, char delim)
{
	int quote = 0, guard = 0;
	size_t i;

	if (!delim)
		delim = ',';
	if (len && strchr("=+-@\t\r", s[0]) && !odl_render_is_number(s, len))
		guard = 1;
	for (i = 0; i < len; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (quote)
		fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	if (quote)
		fputc('"', f);
	return ferror(f) ? ODL_EIO : ODL_OK;
}

char *odl_render_number(char *buf, size_t size, double v, int decimals, const char *lang)
{
	int fr = lang && strcmp(lang, "fr") == 0;
	const char *group = fr ? "\xE2\x80\xAF" : ",";
	char raw[64], *dot, *o = buf, *end = buf + size - 1;
	size_t intlen, i;
	const char *p;

	if (size == 0)
		return buf;
	if (isnan(v) || isinf(v)) {
		buf[0] = 0;
		return buf;
	}
	if (decimals < 0)
		decimals = (v == floor(v) && fabs(v) < 1e15) ? 0 : 2;
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
		memmove(raw, raw + 1, strlen(raw)); /* no "-0" */
	p = raw;
	if (*p == '-' && o < end)
		*o++ = *p++;
	dot = strchr(p, '.');
	intlen = dot ? (size_t)(dot - p) : strlen(p);
	for (i = 0; i < intlen; i++) {
		if (i && (intlen - i) % 3 == 0)
			for (const char *g = group; *g && o < end; g++)
				*o++ = *g;
		if (o < end)
			*o++ = p[i];
	}
	if (dot) {
		if (o < end)
			*o++ = fr ? ',' : '.';
		for (p = dot + 1; *p && o < end; p++)
			*o++ = *p;
	}
	*o = 0;
	return buf;
}
