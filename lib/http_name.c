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
