/* http_name.c - file names from untrusted titles and URLs. */
#include "odl/http.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (0 when invalid). */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	if (s[0] >= 0xf8)
		n = 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void odl_safe_name(const char *in, char *out, size_t max)
{
	size_t n = 0;
	const unsigned char *s = (const unsigned char *)(in ? in : "");

	if (max < 1) {
		out[0] = 0;
		return;
	}
	while (*s && n < max) {
		size_t k = utf8_len(s);
		if (k == 0) {
			if (!n || out[n - 1] != '_')
				out[n++] = '_';
			s++;
			continue;
		}
		if (k > 1) {
			if (n + k > max)
				break;
			memcpy(out + n, s, k);
			n += k;
			s += k;
			continue;
		}
		unsigned char c = *s++;
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':' || c == '*' ||
		    c == '?' || c == '"' || c == '<' || c == '>' || c == '|')
			c = '_';
		else if (c == ' ')
			c = '-';
		if ((c == '_' || c == '-') && n && out[n - 1] == (char)c)
			continue; /* no runs */
		out[n++] = (char)c;
	}
	out[n] = 0;
	/* cut: keep a short extension of the original when there was more */
	if (*s) {
		const char *dot = strrchr(in, '.');
		size_t elen = dot ? strlen(dot) : 0;
		if (dot && elen <= 8 && elen < max / 2 && !strchr(dot, '/')) {
			size_t keep = max - elen;
			while (keep && ((unsigned char)out[keep] & 0xc0) == 0x80)
				keep--;
			if (keep > n)
				keep = n;
			char ext[16];
			odl_safe_name(dot + 1, ext + 1, elen - 1);
			ext[0] = '.';
			memcpy(out + keep, ext, strlen(ext) + 1);
			n = strlen(out);
		}
	}
	/* no hidden files, no "." or "..", nothing a shell would take for an option */
	size_t lead = 0;
	while (out[lead] == '.' || out[lead] == ' ' || out[lead] == '-')
		lead++;
	if (lead) {
		memmove(out, out + lead, n - lead + 1);
		n -= lead;
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == '.' || out[n - 1] == '-'))
		out[--n] = 0;
	if (n == 0) {
		out[0] = '_';
		out[1] = 0;
	}
}

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode %XX in s[0..n) into out (cap bytes, NUL-terminated); returns the
 * number of bytes of s consumed (all of them unless out filled up). */
static size_t decode(const char *s, size_t n, char *out, size_t cap, size_t *olen)
{
	size_t i = 0, o = 0;

	while (i < n && o + 1 < cap) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;
		if (c == '%' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			c = (unsigned char)(hi << 4 | lo);
			i += 3;
		} else {
			i++;
		}
		out[o++] = c ? (char)c : '_'; /* an encoded NUL would end the name early */
	}
	out[o] = 0;
	*olen = o;
	return i;
}

/*
 * Decoded first, then shortened: cutting the encoded text ("%C3%A9" is six
 * bytes for two) lost the extension and split characters.  The decoded
 * head is bounded; a longer segment keeps its decoded extension, and
 * odl_safe_name cuts the whole on a character boundary.
 */
void odl_url_name(const char *url, char *out, size_t max)
{
	char buf[1024], ext[64] = "";
	size_t len, elen = 0;
	const char *s = strstr(url, "://");

	s = s ? s + 3 : url;
	size_t end = strcspn(s, "?#");
	const char *b = s + end;
	while (b > s && b[-1] != '/')
		b--;
	if (b == s) {
		/* "https://host" has no path, hence no name */
		out[0] = 0;
		return;
	}
	size_t n = (size_t)(s + end - b);
	if (!n || max < 1) {
		out[0] = 0;
		return;
	}
	if (decode(b, n, buf, sizeof(buf), &len) < n) {
		/* longer than buf: keep the decoded extension of the whole segment */
		const char *dot = NULL;
		for (const char *p = b + n; p > b && !dot && (size_t)(b + n - p) < 3 * 8 + 1; p--)
			if (p[-1] == '.')
				dot = p - 1;
		if (dot)
			decode(dot, (size_t)(b + n - dot), ext, sizeof(ext), &elen);
		size_t keep = sizeof(buf) - 1 - elen;
		while (keep && ((unsigned char)buf[keep] & 0xc0) == 0x80)
			keep--;
		memcpy(buf + keep, ext, elen + 1);
	}
	odl_safe_name(buf, out, max);
}
