/*
 * fix_dates.c - dates written the usual French ways into the field's
 * format: 31/03/2024, 31-03-2024, 31.03.2024, 2024/03/31, 20240331, and an
 * ISO datetime in a date field; in a workbook, Excel's serial numbers.
 *
 * Day and month are never guessed: 03/04/2024 is the 3rd of April or the
 * 4th of March, and only the column can say which (some cell whose first
 * part is over 12 settles day-first).  Years are never completed: 31/03/24
 * is left as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix_private.h"
#include "xlsx.h"

struct ymd {
	long y;
	int m, d;
	int has_time, hh, mi, ss;
};

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int valid(long y, int m, int d)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= md[m - 1] + (m == 2 && is_leap(y));
}

/* Up to max digits at s; their count (0 when none). */
static size_t digits(const char *s, size_t n, size_t max, long *v)
{
	size_t i = 0;

	*v = 0;
	while (i < n && i < max && s[i] >= '0' && s[i] <= '9')
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

/* A time after the date: [T ]HH:MM[:SS[.fff]][Z|±HH:MM]; 1 when read whole. */
static int read_time(const char *s, size_t n, struct ymd *t)
{
	size_t i = 0, k;
	long v;

	if (i < n && (s[i] == 'T' || s[i] == ' '))
		i++;
	if ((k = digits(s + i, n - i, 2, &v)) == 0 || v > 23)
		return 0;
	t->hh = (int)v;
	i += k;
	if (i >= n || s[i++] != ':' || digits(s + i, n - i, 2, &v) != 2 || v > 59)
		return 0;
	t->mi = (int)v;
	i += 2;
	t->ss = 0;
	if (i < n && s[i] == ':') {
		i++;
		if (digits(s + i, n - i, 2, &v) != 2 || v > 59)
			return 0;
		t->ss = (int)v;
		i += 2;
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
	}
	if (i < n && s[i] == 'Z')
		i++;
	else if (i < n && (s[i] == '+' || s[i] == '-')) {
		i++;
		if (digits(s + i, n - i, 2, &v) != 2)
			return 0;
		i += 2;
		if (i < n && s[i] == ':')
			i++;
		if (digits(s + i, n - i, 2, &v) != 2)
			return 0;
		i += 2;
	}
	if (i != n)
		return 0;
	t->has_time = 1;
	return 1;
}

/*
 * Split a date into three numbers a, b, c with one kind of separator, or
 * read 8 digits as YYYYMMDD.  The rest (a time) is read by read_time.
 * Returns 0 and fills parts, or -1.
 */
static int split(const char *s, size_t n, long part[3], size_t len[3], struct ymd *t)
{
	size_t i = 0, k;
	char sep = 0;

	t->has_time = 0;
	if (n >= 8 && digits(s, n, 8, &part[0]) == 8 && (n == 8 || s[8] == 'T' || s[8] == ' ')) {
		part[2] = part[0] % 100;
		part[1] = part[0] / 100 % 100;
		part[0] /= 10000;
		len[0] = 4, len[1] = 2, len[2] = 2;
		return n == 8 || read_time(s + 8, n - 8, t) ? 0 : -1;
	}
	for (int p = 0; p < 3; p++) {
		if ((k = digits(s + i, n - i, 4, &part[p])) == 0)
			return -1;
		len[p] = k;
		i += k;
		if (p == 2)
			break;
		if (i >= n || !(s[i] == '/' || s[i] == '-' || s[i] == '.'))
			return -1;
		if (sep && s[i] != sep)
			return -1;
		sep = s[i++];
	}
	if (i < n && !read_time(s + i, n - i, t))
		return -1;
	return 0;
}

enum fix_date_order odl_fix_date_evidence(const char *p, size_t n)
{
	long part[3];
	size_t len[3];
	struct ymd t;

	/* an ISO date, or any cell starting with three digits: no day or
	 * month comes first (the usual cell, so said without reading it) */
	if (n >= 3 && (unsigned)(p[0] - '0') < 10 && (unsigned)(p[1] - '0') < 10 &&
	    (unsigned)(p[2] - '0') < 10)
		return FIX_ORDER_UNKNOWN;
	odl_fix_trim(&p, &n);
	if (split(p, n, part, len, &t) != 0 || len[2] != 4 || len[0] > 2 || len[1] > 2)
		return FIX_ORDER_UNKNOWN;
	if (part[0] > 12 && part[1] <= 12)
		return FIX_ORDER_DMY;
	if (part[1] > 12 && part[0] <= 12)
		return FIX_ORDER_MDY;
	return FIX_ORDER_UNKNOWN;
}

/* Write t with a strptime-like format made of %Y %m %d %H %M %S %% and
 * literal characters; -1 for any other directive. */
static int render(const char *fmt, const struct ymd *t, char *dst, size_t cap, size_t *dlen)
{
	size_t o = 0;

	for (const char *f = fmt; *f; f++) {
		char tmp[16];
		int k;
		if (*f != '%') {
			if (o + 1 >= cap)
				return -1;
			dst[o++] = *f;
			continue;
		}
		switch (*++f) {
		case 'Y': k = snprintf(tmp, sizeof(tmp), "%04ld", t->y); break;
		case 'm': k = snprintf(tmp, sizeof(tmp), "%02d", t->m); break;
		case 'd': k = snprintf(tmp, sizeof(tmp), "%02d", t->d); break;
		case 'H': k = snprintf(tmp, sizeof(tmp), "%02d", t->hh); break;
		case 'M': k = snprintf(tmp, sizeof(tmp), "%02d", t->mi); break;
		case 'S': k = snprintf(tmp, sizeof(tmp), "%02d", t->ss); break;
		case '%': k = snprintf(tmp, sizeof(tmp), "%%"); break;
		default: return -1;
		}
		if (k < 0 || o + (size_t)k >= cap)
			return -1;
		memcpy(dst + o, tmp, (size_t)k);
		o += (size_t)k;
	}
	*dlen = o;
	return 0;
}

int odl_fix_date(const struct odl_field *f, enum fix_date_order order, const char *p, size_t n,
		 char *dst, size_t cap, size_t *dlen, struct fix_why *why)
{
	long part[3];
	size_t len[3];
	struct ymd t = { 0 };

	if (f->type != ODL_T_DATE && f->type != ODL_T_DATETIME)
		return FIX_NA;
	odl_fix_trim(&p, &n);
	if (split(p, n, part, len, &t) != 0)
		return FIX_NA;
	if (len[0] == 4 && len[1] <= 2 && len[2] <= 2) {
		t.y = part[0], t.m = (int)part[1], t.d = (int)part[2];
	} else if (len[2] == 4 && len[0] <= 2 && len[1] <= 2) {
		t.y = part[2];
		int dmy = valid(t.y, (int)part[1], (int)part[0]);
		int mdy = valid(t.y, (int)part[0], (int)part[1]);
		if (dmy && mdy && part[0] != part[1]) {
			if (order == FIX_ORDER_DMY)
				mdy = 0;
			else if (order == FIX_ORDER_MDY)
				dmy = 0;
			else {
				why->en = "day and month cannot be told apart: no cell of the column has a day over 12";
				why->fr = "jour et mois indiscernables : aucune cellule de la colonne n'a de jour supérieur à 12";
				return FIX_LEFT;
			}
		}
		if (dmy)
			t.m = (int)part[1], t.d = (int)part[0];
		else if (mdy)
			t.m = (int)part[0], t.d = (int)part[1];
		else
			return FIX_NA;
	} else {
		return FIX_NA; /* two-digit years are never completed */
	}
	if (!valid(t.y, t.m, t.d))
		return FIX_NA;

	const char *fmt;
	if (f->type == ODL_T_DATE)
		fmt = f->format == ODL_F_PATTERN && f->pattern_fmt ? f->pattern_fmt : "%Y-%m-%d";
	else if (!t.has_time)
		return FIX_NA; /* a datetime's time is never invented */
	else
		fmt = f->format == ODL_F_PATTERN && f->pattern_fmt ? f->pattern_fmt : "%Y-%m-%dT%H:%M:%S";
	if (render(fmt, &t, dst, cap, dlen) != 0)
		return FIX_NA;
	return FIX_DONE;
}

/* Serials below this may be years or counts (10000 is 1927-05-18, or
 * 1931-05-19 in the 1904 system). */
#define EXCEL_SERIAL_MIN 10000.0

int odl_fix_excel_date(const struct odl_field *f, int date1904, const char *p, size_t n,
		       char *dst, size_t cap, size_t *dlen, struct fix_why *why)
{
	char num[40], iso[48];
	size_t i = 0, k;

	if (f->type != ODL_T_DATE && f->type != ODL_T_DATETIME)
		return FIX_NA;
	/* the number as the workbook reader writes it: digits[.digits] */
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i == 0)
		return FIX_NA;
	if (i < n && p[i] == '.') {
		k = ++i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == k)
			return FIX_NA;
	}
	if (i != n || n >= sizeof(num))
		return FIX_NA;
	memcpy(num, p, n);
	num[n] = 0;
	double v = strtod(num, NULL);
	/* the last day Excel counts: 9999-12-31 */
	if (v < EXCEL_SERIAL_MIN || v >= (date1904 ? 2957004.0 : 2958466.0)) {
		why->en = "a number, but not a plausible Excel date (serials from 10000 to 9999-12-31)";
		why->fr = "un nombre, mais pas une date Excel plausible (numéros de série de 10000 au 31/12/9999)";
		return FIX_LEFT;
	}
	if (!(k = odl_xlsx_serial(v, date1904, ODL_XLSX_DATETIME, iso, sizeof(iso))))
		return FIX_NA;
	return odl_fix_date(f, FIX_ORDER_UNKNOWN, iso, k, dst, cap, dlen, why);
}
