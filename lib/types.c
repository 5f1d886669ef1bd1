/* types.c - reading cells with Table Schema types, as frictionless-py does. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyunicode.h"
#include "schema_private.h"

size_t odl_utf8_len(const char *p, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xC0) != 0x80;
	return c;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **p, size_t *n)
{
	while (*n && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Cells are read as Python reads str: a non-ASCII whitespace character (for
 * which str.isspace() is true) stands for a space and a decimal digit of
 * any script for its ASCII digit, as int() and Decimal() do before parsing
 * (CPython's _PyUnicode_TransformDecimalAndSpaceToASCII and _decimal's
 * numeric_as_ascii).  MAPPED_END ends the text; MAPPED_BAD is any other
 * non-ASCII character or invalid UTF-8, which no number accepts.
 */
#define MAPPED_END (-1)
#define MAPPED_BAD (-2)

struct mapped {
	const char *p;
	size_t n;
};

static int mapped_next(struct mapped *m)
{
	uint32_t cp;
	size_t k;
	int d;

	if (!m->n)
		return MAPPED_END;
	if ((unsigned char)*m->p < 0x80) {
		m->n--;
		return (unsigned char)*m->p++;
	}
	k = odl_utf8_next(m->p, m->n, &cp);
	if (!k)
		return MAPPED_BAD;
	m->p += k;
	m->n -= k;
	if (odl_py_isspace(cp))
		return ' ';
	d = odl_py_digit(cp);
	return d >= 0 ? '0' + d : MAPPED_BAD;
}

/* The whitespace int() skips once the text is mapped: C's isspace, so the
 * ASCII separators \x1c-\x1f are not (str.strip() takes them). */
static int c_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* sys.get_int_max_str_digits(): int() refuses longer numbers. */
#define PY_INT_MAX_DIGITS 4300

/* Python int(str): whitespace, a sign, digits with single underscores
 * between them, whitespace. */
static int py_int(const char *p, size_t n, double *out)
{
	struct mapped m = { p, n };
	int c, neg = 0, digits = 0, underscore = 0;
	double v = 0;

	do
		c = mapped_next(&m);
	while (c_space(c));
	if (c == '+' || c == '-') {
		neg = c == '-';
		c = mapped_next(&m);
	}
	for (;; c = mapped_next(&m)) {
		if (c >= '0' && c <= '9') {
			v = v * 10 + (c - '0');
			digits++;
			underscore = 0;
		} else if (c == '_' && digits && !underscore) {
			underscore = 1;
		} else {
			break;
		}
	}
	if (!digits || underscore || digits > PY_INT_MAX_DIGITS)
		return -1;
	while (c_space(c))
		c = mapped_next(&m);
	if (c != MAPPED_END)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static int ci_eq(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (n != l)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)p[i]) != lit[i])
			return 0;
	return 1;
}

static const double pow10_tab[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15 };

/*
 * Plain [-]digits[.digits] with at most 15 significant digits: the value is
 * an exact integer divided by an exact power of ten, so one division gives
 * the correctly rounded double strtod would.  Returns 0 when it applies.
 */
static int fast_decimal(const char *p, size_t n, double *out)
{
	size_t i = 0;
	int neg = 0, digits = 0, frac = -1;
	uint64_t m = 0;

	if (n && (*p == '-' || *p == '+'))
		neg = *p == '-', i++;
	for (; i < n; i++) {
		char c = p[i];
		if (c >= '0' && c <= '9') {
			if (++digits > 15)
				return -1;
			m = m * 10 + (uint64_t)(c - '0');
			if (frac >= 0)
				frac++;
		} else if (c == '.' && frac < 0) {
			frac = 0;
		} else {
			return -1;
		}
	}
	if (!digits)
		return -1;
	double v = (double)m;
	if (frac > 0)
		v /= pow10_tab[frac];
	*out = neg ? -v : v;
	return 0;
}

/* libmpdec's grammar once Decimal() has mapped the text: [sign] (digits
 * [.digits] | .digits) [e[sign]digits] | inf | infinity | [s]nan[digits],
 * case-insensitive, nothing around it. */
static int ascii_decimal(const char *p, size_t n, double *out)
{
	char buf[128];
	size_t i = 0, o = 0;
	int digits = 0, neg = 0, extra = 0;

	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	if (ci_eq(p + i, n - i, "inf") || ci_eq(p + i, n - i, "infinity")) {
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	if (n - i >= 3 && (ci_eq(p + i, 3, "nan") || (n - i >= 4 && ci_eq(p + i, 4, "snan")))) {
		/* a NaN may carry a payload of digits */
		for (i += tolower((unsigned char)p[i]) == 's' ? 4 : 3; i < n; i++)
			if (!is_digit(p[i]))
				return -1;
		*out = NAN;
		return 0;
	}
	if (neg)
		buf[o++] = '-';
	for (; i < n && is_digit(p[i]); i++) {
		digits++;
		if (o < sizeof(buf) - 40)
			buf[o++] = p[i];
		else
			extra++;
	}
	if (i < n && p[i] == '.') {
		buf[o++] = '.';
		i++;
		int fd = 0;
		for (; i < n && is_digit(p[i]); i++) {
			fd++;
			if (o < sizeof(buf) - 30)
				buf[o++] = p[i];
		}
		digits += fd;
	}
	if (!digits)
		return -1;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		int ed = 0;
		buf[o++] = 'e';
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			buf[o++] = p[i++];
		for (; i < n && is_digit(p[i]); i++) {
			ed++;
			if (o < sizeof(buf) - 2)
				buf[o++] = p[i];
		}
		if (!ed)
			return -1;
	}
	if (i != n)
		return -1;
	buf[o] = 0;
	*out = strtod(buf, NULL);
	if (extra)
		*out *= pow(10, extra);
	return 0;
}

/* Longest text Decimal() is asked to map (digits of other scripts,
 * underscores): longer ones are type errors. */
#define PY_DECIMAL_MAPPED_MAX 512

/*
 * Python Decimal(str): str.strip()'s whitespace dropped at both ends, every
 * underscore dropped (CPython 3.11 drops them anywhere: "1__0" and "_1"
 * are numbers), the rest mapped to ASCII, then libmpdec's grammar.
 */
static int py_decimal(const char *p, size_t n, double *out)
{
	char buf[PY_DECIMAL_MAPPED_MAX];
	struct mapped m;
	size_t o = 0;
	int c, plain = 1;

	if (fast_decimal(p, n, out) == 0)
		return 0;
	odl_py_strip(&p, &n);
	for (size_t i = 0; i < n && plain; i++)
		plain = (unsigned char)p[i] < 0x80 && p[i] != '_';
	if (plain)
		return ascii_decimal(p, n, out);
	m.p = p;
	m.n = n;
	while ((c = mapped_next(&m)) != MAPPED_END) {
		if (c == MAPPED_BAD || o >= sizeof(buf))
			return -1;
		if (c != '_')
			buf[o++] = (char)c;
	}
	return ascii_decimal(buf, o, out);
}

/* ---- dates and times ---------------------------------------------------- */

static int leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(long y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 (proleptic Gregorian). */
static double days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (double)(era * 146097 + doe - 719468);
}

struct tm_parts {
	long year;
	int month, day, hour, minute, second, pm, has_pm, yday;
	double frac;
	int tz_min, has_tz;
};

static const char *const month_names[] = { "january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december" };
static const char *const day_names[] = { "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday" };

/* Read exactly-or-up-to digits; returns count read. */
static size_t digits_at(const char *s, size_t n, size_t min, size_t max, long *v)
{
	size_t i = 0;
	*v = 0;
	while (i < n && i < max && is_digit(s[i])) {
		*v = *v * 10 + (s[i] - '0');
		i++;
	}
	return i >= min ? i : 0;
}

/*
 * The regular expression of each numeric strptime directive, as Python's
 * _strptime writes it (alternatives in order): D is \d, which takes the
 * decimal digits of every script; a class such as [0-5] and the other
 * characters are ASCII.  So "٢٠٢٠-01-1٥" is a %Y-%m-%d date, "2020-1٢-05"
 * is not.
 */
static const char *const *directive_forms(char d)
{
	static const char *const f_d[] = { "3[01]", "[12]D", "0[1-9]", "[1-9]", " [1-9]", NULL };
	static const char *const f_H[] = { "2[0-3]", "[01]D", "D", NULL };
	static const char *const f_I[] = { "1[0-2]", "0[1-9]", "[1-9]", NULL };
	static const char *const f_j[] = { "36[0-6]", "3[0-5]D", "[12]DD", "0[1-9]D", "00[1-9]",
		"[1-9]D", "0[1-9]", "[1-9]", NULL };
	static const char *const f_M[] = { "[0-5]D", "D", NULL };
	static const char *const f_S[] = { "6[01]", "[0-5]D", "D", NULL };
	static const char *const f_y[] = { "DD", NULL };
	static const char *const f_Y[] = { "DDDD", NULL };
	static const char *const f_f[] = { "[0-9][0-9][0-9][0-9][0-9][0-9]", "[0-9][0-9][0-9][0-9][0-9]",
		"[0-9][0-9][0-9][0-9]", "[0-9][0-9][0-9]", "[0-9][0-9]", "[0-9]", NULL };

	switch (d) {
	case 'd': return f_d;
	case 'H': return f_H;
	case 'I': case 'm': return f_I; /* the same expression */
	case 'j': return f_j;
	case 'M': return f_M;
	case 'S': return f_S;
	case 'y': return f_y;
	case 'Y': return f_Y;
	case 'f': return f_f;
	default: return NULL;
	}
}

/* Match one form at s: bytes used (0 when no match), *v the int() of it,
 * *nd its digits. */
static size_t match_form(const char *form, const char *s, size_t n, long *v, int *nd)
{
	size_t i = 0;

	*v = 0;
	*nd = 0;
	while (*form) {
		uint32_t cp;
		size_t k = i < n ? odl_utf8_next(s + i, n - i, &cp) : 0;
		int dv = k ? odl_py_digit(cp) : -1;
		if (!k)
			return 0;
		if (*form == 'D') {
			if (dv < 0)
				return 0;
			form++;
		} else if (*form == '[') {
			if (cp != (uint32_t)form[1] && !(form[2] == '-' && cp >= (uint32_t)form[1] && cp <= (uint32_t)form[3]) &&
			    !(form[2] != '-' && cp == (uint32_t)form[2]))
				return 0;
			form = strchr(form, ']') + 1;
		} else {
			if (cp != (uint32_t)(unsigned char)*form)
				return 0;
			form++;
		}
		if (dv >= 0) {
			*v = *v * 10 + dv;
			(*nd)++;
		}
		i += k;
	}
	return i;
}

/* Python's \s, which whitespace in a strptime format becomes: 0 or the
 * length of the whitespace character at s. */
static size_t py_space_at(const char *s, size_t n)
{
	uint32_t cp;
	size_t k = n ? odl_utf8_next(s, n, &cp) : 0;

	return k && odl_py_isspace(cp) ? k : 0;
}

/*
 * Python's strptime is a regular expression per directive, tried with
 * backtracking: each directive's alternatives in their order, then the rest
 * of the format.
 */
static int strp(const char *f, const char *s, size_t n, struct tm_parts *t, int depth)
{
	if (depth > 64)
		return -1;
	if (!*f)
		return n == 0 ? 0 : -1;
	if (*f == '%' && f[1]) {
		char d = f[1];
		const char *rest = f + 2;
		const char *const *forms = directive_forms(d);
		switch (d) {
		case '%':
			if (n && *s == '%')
				return strp(rest, s + 1, n - 1, t, depth + 1);
			return -1;
		case 'p':
			if (n >= 2 && (ci_eq(s, 2, "am") || ci_eq(s, 2, "pm"))) {
				t->has_pm = 1;
				t->pm = tolower((unsigned char)s[0]) == 'p';
				return strp(rest, s + 2, n - 2, t, depth + 1);
			}
			return -1;
		case 'b': case 'B': case 'a': case 'A': {
			const char *const *names = (d == 'b' || d == 'B') ? month_names : day_names;
			int cnt = (d == 'b' || d == 'B') ? 12 : 7;
			for (int k = 0; k < cnt; k++) {
				size_t l = (d == 'b' || d == 'a') ? 3 : strlen(names[k]);
				if (n >= l) {
					char tmp[16];
					memcpy(tmp, names[k], l);
					tmp[l] = 0;
					if (ci_eq(s, l, tmp)) {
						struct tm_parts save = *t;
						if (d == 'b' || d == 'B')
							t->month = k + 1;
						if (strp(rest, s + l, n - l, t, depth + 1) == 0)
							return 0;
						*t = save;
					}
				}
			}
			return -1;
		}
		case 'z': {
			/* [+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)? or Z (case matters) */
			long hh, mm;
			int nd;
			size_t k = 1, l;
			if (n && *s == 'Z') {
				t->has_tz = 1;
				return strp(rest, s + 1, n - 1, t, depth + 1);
			}
			if (!n || (*s != '+' && *s != '-') || !(l = match_form("DD", s + k, n - k, &hh, &nd)))
				return -1;
			k += l;
			if (k < n && s[k] == ':')
				k++;
			if (!(l = match_form("[0-5]D", s + k, n - k, &mm, &nd)))
				return -1;
			k += l;
			t->has_tz = 1;
			t->tz_min = (int)((*s == '-' ? -1 : 1) * (hh * 60 + mm));
			return strp(rest, s + k, n - k, t, depth + 1);
		}
		default:
			if (!forms)
				return -1;
		}
		for (; *forms; forms++) {
			long v;
			int nd;
			size_t len = match_form(*forms, s, n, &v, &nd);
			if (!len)
				continue;
			struct tm_parts save = *t;
			switch (d) {
			case 'Y': t->year = v; break;
			case 'y': t->year = v < 69 ? 2000 + v : 1900 + v; break;
			case 'm': t->month = (int)v; break;
			case 'd': t->day = (int)v; break;
			case 'H': case 'I': t->hour = (int)v; break;
			case 'M': t->minute = (int)v; break;
			case 'S': t->second = (int)v; break;
			case 'j': t->yday = (int)v; break;
			case 'f': {
				double fr = (double)v;
				for (int k = 0; k < nd; k++)
					fr /= 10;
				t->frac = fr;
				break;
			}
			}
			if (strp(rest, s + len, n - len, t, depth + 1) == 0)
				return 0;
			*t = save;
		}
		return -1;
	}
	if (py_space_at(f, strlen(f))) {
		/* whitespace in the format is \s+: one or more of Python's spaces */
		size_t k = 0, l, ends[64], ne = 0;
		while ((l = py_space_at(s + k, n - k)) != 0) {
			k += l;
			ends[ne++ % 64] = k; /* the 64 longest are the ones tried */
		}
		if (!ne)
			return -1;
		const char *g = f;
		while ((l = py_space_at(g, strlen(g))) != 0)
			g += l;
		for (size_t tried = 0; tried < ne && tried < 64; tried++) {
			size_t e = ends[(ne - 1 - tried) % 64];
			if (strp(g, s + e, n - e, t, depth + 1) == 0)
				return 0;
		}
		return -1;
	}
	if (n && tolower((unsigned char)*s) == tolower((unsigned char)*f))
		return strp(f + 1, s + 1, n - 1, t, depth + 1);
	return -1;
}

static int strptime_value(const char *fmt, const char *s, size_t n, struct tm_parts *t)
{
	memset(t, 0, sizeof(*t));
	t->year = 1900;
	t->month = 1;
	t->day = 1;
	if (strp(fmt, s, n, t, 0) != 0)
		return -1;
	if (t->has_pm) {
		if (t->hour == 12)
			t->hour = 0;
		if (t->pm)
			t->hour += 12;
	}
	/* datetime() refuses what the expressions let through */
	if (t->day > mdays(t->year, t->month) || t->second > 59 || t->year < 1)
		return -1;
	return 0;
}

/* ISO date YYYY-MM-DD (dateutil isoparse also takes YYYYMMDD). */
static size_t iso_date(const char *s, size_t n, struct tm_parts *t)
{
	long y, m, d;

	if (n < 8 || digits_at(s, n, 4, 4, &y) != 4)
		return 0;
	if (s[4] == '-') {
		if (n < 10 || digits_at(s + 5, n - 5, 2, 2, &m) != 2 || s[7] != '-' ||
		    digits_at(s + 8, n - 8, 2, 2, &d) != 2)
			return 0;
		t->year = y; t->month = (int)m; t->day = (int)d;
		return 10;
	}
	if (digits_at(s + 4, n - 4, 2, 2, &m) != 2 || digits_at(s + 6, n - 6, 2, 2, &d) != 2)
		return 0;
	t->year = y; t->month = (int)m; t->day = (int)d;
	return 8;
}

/* ISO time HH:MM:SS[.ffffff][Z|±HH[:MM]] as dateutil isoparse reads it. */
static int iso_time(const char *s, size_t n, struct tm_parts *t)
{
	long h, m, sec = 0;
	size_t i = 0;

	if (digits_at(s, n, 2, 2, &h) != 2)
		return -1;
	i = 2;
	if (i < n && s[i] == ':')
		i++;
	if (digits_at(s + i, n - i, 2, 2, &m) != 2)
		return -1;
	i += 2;
	if (i < n && s[i] == ':')
		i++;
	if (i < n && is_digit(s[i])) {
		if (digits_at(s + i, n - i, 2, 2, &sec) != 2)
			return -1;
		i += 2;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			i++;
			size_t k = 0;
			double fr = 0, scale = 0.1;
			while (i < n && is_digit(s[i])) {
				if (k < 6) {
					fr += (s[i] - '0') * scale;
					scale /= 10;
				}
				k++;
				i++;
			}
			if (!k)
				return -1;
			t->frac = fr;
		}
	}
	if (i < n) {
		if (s[i] == 'Z' || s[i] == 'z') {
			i++;
			t->has_tz = 1;
		} else if (s[i] == '+' || s[i] == '-') {
			long th, tm = 0;
			int sign = s[i] == '-' ? -1 : 1;
			i++;
			if (digits_at(s + i, n - i, 2, 2, &th) != 2)
				return -1;
			i += 2;
			if (i < n && s[i] == ':')
				i++;
			if (i < n) {
				if (digits_at(s + i, n - i, 2, 2, &tm) != 2)
					return -1;
				i += 2;
			}
			if (th > 23 || tm > 59)
				return -1;
			t->has_tz = 1;
			t->tz_min = sign * (int)(th * 60 + tm);
		} else {
			return -1;
		}
	}
	if (i != n)
		return -1;
	if (h == 24) {
		if (m || sec || t->frac > 0)
			return -1;
	} else if (h > 23 || m > 59 || sec > 59) {
		return -1;
	}
	t->hour = (int)h; t->minute = (int)m; t->second = (int)sec;
	return 0;
}

static int valid_ymd(const struct tm_parts *t)
{
	return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= mdays(t->year, t->month) &&
	       t->year >= 1;
}

/* dateutil's permissive parser, approximated by the forms French files use. */
static int any_date(const char *s, size_t n, struct tm_parts *t)
{
	static const char *const fmts[] = { "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y",
		"%Y/%m/%d", "%Y%m%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%d/%m/%y", NULL };
	for (int i = 0; fmts[i]; i++)
		if (strptime_value(fmts[i], s, n, t) == 0)
			return 0;
	return -1;
}

static int read_date(const struct odl_field *f, const char *s, size_t n, struct odl_value *v)
{
	struct tm_parts t;

	if (f->format == ODL_F_PATTERN) {
		if (strptime_value(f->pattern_fmt, s, n, &t) != 0)
			return -1;
	} else if (f->format == ODL_F_ANY) {
		const char *p = s;
		size_t m = n;
		trim(&p, &m);
		if (any_date(p, m, &t) != 0)
			return -1;
	} else if (n == 10 && s[4] == '-' && s[7] == '-') {
		/* the common YYYY-MM-DD form, without the general matcher */
		long y, m, d;
		if (digits_at(s, 4, 4, 4, &y) != 4 || digits_at(s + 5, 2, 2, 2, &m) != 2 ||
		    digits_at(s + 8, 2, 2, 2, &d) != 2 || y < 1 || m < 1 || m > 12 || d < 1 || d > mdays(y, (int)m))
			return -1;
		t.year = y; t.month = (int)m; t.day = (int)d;
	} else if (strptime_value("%Y-%m-%d", s, n, &t) != 0) {
		return -1;
	}
	v->num = days_from_civil(t.year, t.month, t.day);
	return 0;
}

static int read_datetime(const struct odl_field *f, const char *s, size_t n, struct odl_value *v)
{
	struct tm_parts t;

	memset(&t, 0, sizeof(t));
	if (f->format == ODL_F_PATTERN) {
		if (strptime_value(f->pattern_fmt, s, n, &t) != 0)
			return -1;
	} else if (f->format == ODL_F_ANY) {
		const char *p = s;
		size_t m = n;
		trim(&p, &m);
		size_t dl = iso_date(p, m, &t);
		if (dl && dl < m && (p[dl] == 'T' || p[dl] == ' ')) {
			if (iso_time(p + dl + 1, m - dl - 1, &t) != 0 || !valid_ymd(&t))
				return -1;
		} else if (any_date(p, m, &t) != 0) {
			return -1;
		}
	} else {
		if (n < 19 || s[16] != ':')
			return -1;
		size_t dl = iso_date(s, n, &t);
		if (!dl || dl >= n || (unsigned char)s[dl] >= 0x80 || is_digit(s[dl]))
			return -1;
		if (iso_time(s + dl + 1, n - dl - 1, &t) != 0 || !valid_ymd(&t))
			return -1;
	}
	v->num = days_from_civil(t.year, t.month, t.day) * 86400.0 + t.hour * 3600.0 +
		 t.minute * 60.0 + t.second + t.frac - t.tz_min * 60.0;
	return 0;
}

static int read_time(const struct odl_field *f, const char *s, size_t n, struct odl_value *v)
{
	struct tm_parts t;

	memset(&t, 0, sizeof(t));
	if (f->format == ODL_F_PATTERN) {
		if (strptime_value(f->pattern_fmt, s, n, &t) != 0)
			return -1;
	} else {
		const char *p = s;
		size_t m = n;
		if (f->format == ODL_F_ANY)
			trim(&p, &m);
		else if (n < 8 || s[5] != ':')
			return -1;
		if (iso_time(p, m, &t) != 0)
			return -1;
	}
	v->num = t.hour * 3600.0 + t.minute * 60.0 + t.second + t.frac;
	return 0;
}

/* ISO 8601 duration: P[nY][nM][nW][nD][T[nH][nM][nS]]. */
static int read_duration(const char *s, size_t n, struct odl_value *v)
{
	static const char date_units[] = "YMWD", time_units[] = "HMS";
	static const double date_secs[] = { 365.2425 * 86400, 30.436875 * 86400, 7 * 86400, 86400 };
	static const double time_secs[] = { 3600, 60, 1 };
	size_t i = 1;
	int in_time = 0, comps = 0, last = -1;
	double total = 0;

	if (n < 2 || s[0] != 'P')
		return -1;
	while (i < n) {
		if (s[i] == 'T') {
			if (in_time)
				return -1;
			in_time = 1;
			last = -1;
			i++;
			if (i == n)
				return -1;
			continue;
		}
		size_t st = i;
		double num = 0, scale = 0;
		while (i < n && (is_digit(s[i]) || s[i] == '.' || s[i] == ',')) {
			if (s[i] == '.' || s[i] == ',') {
				if (scale)
					return -1;
				scale = 0.1;
			} else if (scale) {
				num += (s[i] - '0') * scale;
				scale /= 10;
			} else {
				num = num * 10 + (s[i] - '0');
			}
			i++;
		}
		if (i == st || i == n)
			return -1;
		const char *units = in_time ? time_units : date_units;
		const char *u = memchr(units, s[i], strlen(units));
		if (!u || (int)(u - units) <= last)
			return -1;
		last = (int)(u - units);
		total += num * (in_time ? time_secs[last] : date_secs[last]);
		comps++;
		i++;
	}
	if (!comps)
		return -1;
	v->num = total;
	return 0;
}

/* ---- strings ---------------------------------------------------------- */

static int is_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	if (!at || at == s || at == s + n - 1 || memchr(at + 1, '@', (size_t)(s + n - at - 1)))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (is_space(s[i]) || s[i] == '<' || s[i] == '>' || s[i] == ',')
			return 0;
	const char *dom = at + 1;
	size_t dl = (size_t)(s + n - dom);
	const char *dot = NULL;
	for (size_t i = 0; i < dl; i++)
		if (dom[i] == '.')
			dot = dom + i;
	if (!dot || dot == dom || dot == dom + dl - 1 || dom[0] == '.' || (size_t)(dom + dl - dot - 1) < 2)
		return 0;
	for (size_t i = 0; i + 1 < dl; i++)
		if (dom[i] == '.' && dom[i + 1] == '.')
			return 0;
	return 1;
}

static int is_uri(const char *s, size_t n)
{
	size_t i = 0;
	if (!n || !isalpha((unsigned char)s[0]))
		return 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i >= n || s[i] != ':' || i + 1 >= n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (is_space(s[k]) || s[k] == '"' || s[k] == '<' || s[k] == '>' || s[k] == '\\' ||
		    s[k] == '^' || s[k] == '`' || s[k] == '{' || s[k] == '|' || s[k] == '}')
			return 0;
	return 1;
}

static int is_uuid(const char *s, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

static int is_base64(const char *s, size_t n)
{
	size_t pad = 0;
	if (n % 4)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad || !(isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '/'))
			return 0;
	}
	return pad <= 2;
}

/* ---- numbers with decimalChar / groupChar / bareNumber ------------------ */

/* bareNumber: false: frictionless removes r"((^\D*)|(\D*$))", the runs of
 * characters that are not decimal digits (any script) at both ends, so a
 * sign or a leading decimal point goes too ("-12" is 12). */
static void strip_non_digits(const char **p, size_t *n)
{
	uint32_t cp;
	size_t k;

	while (*n) {
		k = odl_utf8_next(*p, *n, &cp);
		if (k && odl_py_digit(cp) >= 0)
			break;
		*p += k ? k : 1;
		*n -= k ? k : 1;
	}
	while (*n) {
		k = odl_utf8_prev(*p, *n, &cp);
		if (k && odl_py_digit(cp) >= 0)
			break;
		*n -= k ? k : 1;
	}
}

/*
 * A field that declares decimalChar, groupChar or bareNumber, as frictionless
 * reads it: bareNumber false strips what is not a digit at both ends; then,
 * for numbers only, every groupChar is removed, a "." is refused when the
 * decimalChar is another, and the decimalChar becomes "."; then int() or
 * Decimal() as for any cell (whitespace and digits of every script).
 */
static int read_number_custom(const struct odl_field *f, const char *s, size_t n, double *out,
			      int integer)
{
	char buf[PY_DECIMAL_MAPPED_MAX];
	size_t o = 0, w = 0, gl = strlen(f->group_char), dl = strlen(f->decimal_char);

	if (!f->bare_number)
		strip_non_digits(&s, &n);
	if (integer)
		return py_int(s, n, out);
	for (size_t i = 0; i < n;) {
		if (gl && i + gl <= n && memcmp(s + i, f->group_char, gl) == 0) {
			i += gl;
			continue;
		}
		if (o >= sizeof(buf))
			return -1;
		buf[o++] = s[i++];
	}
	if (strcmp(f->decimal_char, ".") != 0 && memchr(buf, '.', o))
		return -1;
	for (size_t i = 0; i < o;) {
		if (i + dl <= o && memcmp(buf + i, f->decimal_char, dl) == 0) {
			buf[w++] = '.';
			i += dl;
		} else {
			buf[w++] = buf[i++];
		}
	}
	return py_decimal(buf, w, out);
}

/* Decimal() of a value json.loads() gave. */
static int json_decimal(const json_t *v, double *out)
{
	if (json_is_number(v))
		*out = json_number_value(v);
	else if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (json_is_string(v))
		return py_decimal(json_string_value(v), json_string_length(v), out);
	else
		return -1;
	return 0;
}

static int read_geopoint(const struct odl_field *f, const char *s, size_t n, struct odl_value *v)
{
	double lon, lat;

	if (f->format == ODL_F_DEFAULT) {
		const char *comma = memchr(s, ',', n);
		if (!comma || memchr(comma + 1, ',', (size_t)(s + n - comma - 1)))
			return -1;
		if (py_decimal(s, (size_t)(comma - s), &lon) || py_decimal(comma + 1, (size_t)(s + n - comma - 1), &lat))
			return -1;
	} else {
		/* frictionless hands each coordinate to Decimal(): a JSON number,
		 * a string that reads as one, or a boolean (1 or 0) */
		json_t *j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
		json_t *jlon = NULL, *jlat = NULL, *pair = NULL;
		if (j && f->format == ODL_F_ARRAY && !json_is_array(j)) {
			/* Python unpacks any pair: the two characters of a string, the
			 * two keys of an object */
			const char *a = NULL;
			size_t al = 0;
			if (json_is_string(j)) {
				a = json_string_value(j);
				al = json_string_length(j);
			}
			if (json_is_object(j) && json_object_size(j) == 2) {
				void *it = json_object_iter(j);
				pair = json_pack("[ss]", json_object_iter_key(it),
						 json_object_iter_key(json_object_iter_next(j, it)));
			} else if (a && odl_utf8_len(a, al) == 2) {
				uint32_t cp;
				size_t k = odl_utf8_next(a, al, &cp);
				if (k)
					pair = json_pack("[s%s%]", a, k, a + k, al - k);
			}
			json_decref(j);
			j = pair;
		}
		if (j && f->format == ODL_F_ARRAY && json_is_array(j) && json_array_size(j) == 2) {
			jlon = json_array_get(j, 0);
			jlat = json_array_get(j, 1);
		} else if (j && f->format == ODL_F_OBJECT && json_is_object(j) && json_object_size(j) == 2) {
			jlon = json_object_get(j, "lon");
			jlat = json_object_get(j, "lat");
		}
		int ok = jlon && jlat && json_decimal(jlon, &lon) == 0 && json_decimal(jlat, &lat) == 0;
		json_decref(j);
		if (!ok)
			return -1;
	}
	if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
		return -1;
	v->num = lon;
	return 0;
}

int odl_array_each(const json_t *arr, int (*fn)(void *ctx, const char *item, size_t len),
		   void *ctx)
{
	size_t i;
	json_t *it;

	json_array_foreach(arr, i, it) {
		int rc;
		if (json_is_string(it)) {
			rc = fn(ctx, json_string_value(it), json_string_length(it));
		} else {
			char *d = json_dumps(it, JSON_ENCODE_ANY | JSON_COMPACT);
			if (!d)
				return -1;
			rc = fn(ctx, d, strlen(d));
			free(d);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int item_reads(void *ctx, const char *p, size_t n)
{
	struct odl_value iv;
	return odl_type_read(ctx, p, n, &iv) != 0;
}

static int read_json(const struct odl_field *f, const char *s, size_t n, struct odl_value *v)
{
	static const char *const geo[] = { "Point", "MultiPoint", "LineString", "MultiLineString",
		"Polygon", "MultiPolygon", "GeometryCollection", "Feature", "FeatureCollection", NULL };
	json_t *j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
	int rc = -1;

	if (!j)
		return -1;
	if (f->type == ODL_T_ARRAY && json_is_array(j)) {
		v->len = json_array_size(j);
		rc = f->item && odl_array_each(j, item_reads, (void *)f->item) ? -1 : 0;
	} else if (f->type == ODL_T_OBJECT && json_is_object(j)) {
		v->len = json_object_size(j);
		rc = 0;
	} else if (f->type == ODL_T_GEOJSON && json_is_object(j)) {
		const char *ty = json_string_value(json_object_get(j, "type"));
		if (f->format == ODL_F_TOPOJSON)
			rc = ty && strcmp(ty, "Topology") == 0 ? 0 : -1;
		else
			for (int i = 0; ty && geo[i]; i++)
				if (strcmp(ty, geo[i]) == 0)
					rc = 0;
	}
	json_decref(j);
	return rc;
}

static int in_list(char *const *list, size_t nlist, const char *s, size_t n)
{
	for (size_t i = 0; i < nlist; i++)
		if ((n ? list[i][0] == s[0] : !list[i][0]) && strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

int odl_type_read(const struct odl_field *f, const char *s, size_t n, struct odl_value *v)
{
	v->num = 0;
	v->text = s;
	v->text_len = n;
	v->len = 0;
	switch (f->type) {
	case ODL_T_STRING:
		switch (f->format) {
		case ODL_F_EMAIL: if (!is_email(s, n)) return -1; break;
		case ODL_F_URI: if (!is_uri(s, n)) return -1; break;
		case ODL_F_UUID: if (!is_uuid(s, n)) return -1; break;
		case ODL_F_BINARY: if (!is_base64(s, n)) return -1; break;
		default: break;
		}
		return 0;
	case ODL_T_ANY:
		return 0;
	case ODL_T_INTEGER:
		if (f->number_custom)
			return read_number_custom(f, s, n, &v->num, 1);
		return py_int(s, n, &v->num);
	case ODL_T_NUMBER:
		if (f->number_custom)
			return read_number_custom(f, s, n, &v->num, 0);
		return py_decimal(s, n, &v->num);
	case ODL_T_BOOLEAN:
		if (in_list(f->true_v, f->ntrue, s, n)) {
			v->num = 1;
			return 0;
		}
		if (in_list(f->false_v, f->nfalse, s, n))
			return 0;
		return -1;
	case ODL_T_DATE:
		return read_date(f, s, n, v);
	case ODL_T_DATETIME:
		return read_datetime(f, s, n, v);
	case ODL_T_TIME:
		return read_time(f, s, n, v);
	case ODL_T_YEAR:
		/* four characters (of any script), then int() */
		if (odl_utf8_len(s, n) != 4 || py_int(s, n, &v->num) != 0 || v->num < 0 || v->num > 9999)
			return -1;
		return 0;
	case ODL_T_YEARMONTH: {
		const char *dash = memchr(s, '-', n);
		double y, m;
		if (!dash || memchr(dash + 1, '-', (size_t)(s + n - dash - 1)))
			return -1;
		if (py_int(s, (size_t)(dash - s), &y) || py_int(dash + 1, (size_t)(s + n - dash - 1), &m) ||
		    m < 1 || m > 12)
			return -1;
		v->num = y * 12 + m - 1;
		return 0;
	}
	case ODL_T_DURATION:
		return read_duration(s, n, v);
	case ODL_T_GEOPOINT:
		return read_geopoint(f, s, n, v);
	case ODL_T_GEOJSON:
	case ODL_T_OBJECT:
	case ODL_T_ARRAY:
		return read_json(f, s, n, v);
	}
	return -1;
}

int odl_field_is_missing(const struct odl_schema *s, const struct odl_field *f,
			 const char *p, size_t n)
{
	if (f->missing)
		return f->missing_only_empty ? n == 0 : in_list(f->missing, f->nmissing, p, n);
	return s->missing_only_empty ? n == 0 : in_list(s->missing, s->nmissing, p, n);
}

int odl_constraint_check(const struct odl_field *f, const struct odl_constraint *c,
			 const char *p, size_t n, const struct odl_value *v, void *match_data)
{
	size_t len;

	switch (c->kind) {
	case ODL_C_REQUIRED:
	case ODL_C_UNIQUE:
		return 0;
	case ODL_C_MINLENGTH:
	case ODL_C_MAXLENGTH:
		if (f->type == ODL_T_STRING || f->type == ODL_T_ANY) {
			/* characters <= bytes: most cells are decided without counting */
			if (c->kind == ODL_C_MAXLENGTH && (double)n <= c->num)
				return 1;
			len = odl_utf8_len(p, n);
		} else {
			len = v->len;
		}
		return c->kind == ODL_C_MINLENGTH ? (double)len >= c->num : (double)len <= c->num;
	case ODL_C_MINIMUM:
		return v->num >= c->num;
	case ODL_C_MAXIMUM:
		return v->num <= c->num;
	case ODL_C_EXCLMIN:
		return v->num > c->num;
	case ODL_C_EXCLMAX:
		return v->num < c->num;
	case ODL_C_PATTERN:
		return odl_pattern_test(c->re, p, n, match_data);
	case ODL_C_ENUM:
		for (size_t i = 0; i < c->nenum; i++) {
			if (f->type == ODL_T_STRING || f->type == ODL_T_ANY || f->type == ODL_T_OBJECT ||
			    f->type == ODL_T_ARRAY || f->type == ODL_T_GEOJSON || f->type == ODL_T_GEOPOINT) {
				if (c->enum_len[i] == n && memcmp(c->enum_s[i], p, n) == 0)
					return 1;
			} else if (c->enum_v[i].num == v->num) {
				return 1;
			}
		}
		return 0;
	}
	return 1;
}
