/* csv_write.c - writing records as Python's csv writer does (QUOTE_MINIMAL). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "odl/fix.h"

/* A record is assembled in a stack buffer and written in one call; a
 * record longer than the buffer is written in pieces. */
#define OUT_SIZE 16384
#define OUT_SLACK 8 /* zeros after a copied cell, for the word scan */
struct out {
	FILE *f;
	size_t n;
	int failed;
	char buf[OUT_SIZE + OUT_SLACK];
};

static void flush(struct out *o)
{
	if (o->n && !o->failed && fwrite_unlocked(o->buf, 1, o->n, o->f) != o->n)
		o->failed = 1;
	o->n = 0;
}

static void put(struct out *o, const char *p, size_t n)
{
	if (n > OUT_SIZE - o->n) {
		flush(o);
		if (n > OUT_SIZE) {
			if (!o->failed && fwrite_unlocked(p, 1, n, o->f) != n)
				o->failed = 1;
			return;
		}
	}
	memcpy(o->buf + o->n, p, n);
	o->n += n;
}

static void put_char(struct out *o, char c)
{
	if (o->n == OUT_SIZE)
		flush(o);
	o->buf[o->n++] = c;
}

/* Eight bytes at a time: a word has a byte equal to b when
 * (x ^ b*0x01..) has a zero byte. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
static uint64_t zero_byte(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

/* 1 when p[0..n) holds the delimiter, a quote, CR or LF; p[n..n+8) must
 * be readable and hold none of them (zeros: no delimiter is NUL). */
static int special_in(const char *p, size_t n, char delim)
{
	const uint64_t d = ONES * (unsigned char)delim, q = ONES * '"', lf = ONES * '\n',
		       cr = ONES * '\r';

	for (size_t i = 0; i < n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if (zero_byte(x ^ d) | zero_byte(x ^ q) | zero_byte(x ^ lf) | zero_byte(x ^ cr))
			return 1;
	}
	return 0;
}

static int needs_quotes(const char *p, size_t n, char delim)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == delim || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			return 1;
	return 0;
}

static void put_quoted(struct out *o, const char *p, size_t len)
{
	put_char(o, '"');
	for (size_t k = 0; k < len;) {
		const char *q = memchr(p + k, '"', len - k);
		size_t run = q ? (size_t)(q - (p + k)) + 1 : len - k;
		put(o, p + k, run);
		if (q)
			put_char(o, '"');
		k += run;
	}
	put_char(o, '"');
}

int odl_csv_write_record(FILE *f, const struct odl_cell *cells, size_t n, char delim,
			 const char *eol)
{
	struct out o;

	o.f = f;
	o.n = 0;
	o.failed = 0;
	flockfile(f);
	for (size_t i = 0; i < n; i++) {
		const char *p = cells[i].ptr;
		size_t len = cells[i].len;
		if (i)
			put_char(&o, delim);
		if (n == 1 && len == 0) {
			/* a lone empty cell would read back as a blank line */
			put(&o, "\"\"", 2);
		} else if (len <= OUT_SIZE - o.n && delim) {
			/* copied, then its copy searched: the zeros after it
			 * spare the search a byte loop at its end */
			char *c = o.buf + o.n;
			memcpy(c, p, len);
			memset(c + len, 0, OUT_SLACK);
			if (!special_in(c, len, delim))
				o.n += len;
			else
				put_quoted(&o, p, len);
		} else if (!needs_quotes(p, len, delim)) {
			put(&o, p, len);
		} else {
			put_quoted(&o, p, len);
		}
	}
	put(&o, eol, strlen(eol));
	flush(&o);
	funlockfile(f);
	return o.failed ? ODL_EIO : ODL_OK;
}
