/* csv_write.c - writing records as Python's csv writer does (QUOTE_MINIMAL). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/fix.h"
#include "scan.h"

/*
 * Records are assembled in the writer's buffer and reach the stream in
 * blocks.  Each cell is copied first and its copy searched for the bytes
 * that call for quotes: the buffer keeps zeros after the copy (no delimiter
 * is NUL), so the search reads whole words, or sixteen bytes with SSE2,
 * with no byte loop at the end.  A cell longer than the buffer is written
 * in pieces.  The cells of a record the reader gave (end to end in its
 * buffer) are read in place sixteen bytes at a time, copy and search at
 * once: a read past a cell's end lands in the cells after it.
 */
#define OUT_SIZE (64u << 10)
#define OUT_SLACK 16

struct odl_csv_writer {
	FILE *f;
	char delim;
	const char *eol;
	size_t eol_len;
	int vector;  /* SSE2 search (odl_scan_vector) */
	int failed;  /* errno of the first failed write, kept */
	size_t n;
	char buf[OUT_SIZE + OUT_SLACK];
};

static void flush(odl_csv_writer *w)
{
	if (w->n && !w->failed && fwrite_unlocked(w->buf, 1, w->n, w->f) != w->n)
		w->failed = errno ? errno : EIO;
	w->n = 0;
}

static void put(odl_csv_writer *w, const char *p, size_t n)
{
	if (n > OUT_SIZE - w->n) {
		flush(w);
		if (n > OUT_SIZE) {
			if (!w->failed && fwrite_unlocked(p, 1, n, w->f) != n)
				w->failed = errno ? errno : EIO;
			return;
		}
	}
	memcpy(w->buf + w->n, p, n);
	w->n += n;
}

static void put_char(odl_csv_writer *w, char c)
{
	if (w->n == OUT_SIZE)
		flush(w);
	w->buf[w->n++] = c;
}

/* Eight bytes at a time: a word has a byte equal to b when
 * (x ^ b*0x01..) has a zero byte. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
static uint64_t zero_byte(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

/* 1 when p[0..n) holds the delimiter, a quote, CR or LF; p[n..n+16) must
 * be readable and hold none of them. */
static int special_words(const char *p, size_t n, char delim)
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

static int special_in(const odl_csv_writer *w, const char *p, size_t n)
{
#ifdef ODL_SCAN_SSE2
	if (w->vector) {
		const __m128i d = _mm_set1_epi8(w->delim), q = _mm_set1_epi8('"'),
			      lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
		for (size_t i = 0; i < n; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, q)),
						 _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr)));
			if (_mm_movemask_epi8(m))
				return 1;
		}
		return 0;
	}
#endif
	return special_words(p, n, w->delim);
}

static int needs_quotes(const char *p, size_t n, char delim)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == delim || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			return 1;
	return 0;
}

static void put_quoted(odl_csv_writer *w, const char *p, size_t len)
{
	put_char(w, '"');
	for (size_t k = 0; k < len;) {
		const char *q = memchr(p + k, '"', len - k);
		size_t run = q ? (size_t)(q - (p + k)) + 1 : len - k;
		put(w, p + k, run);
		if (q)
			put_char(w, '"');
		k += run;
	}
	put_char(w, '"');
}

odl_csv_writer *odl_csv_writer_new(FILE *f, char delim, const char *eol)
{
	odl_csv_writer *w = malloc(sizeof(*w));

	if (!w)
		return NULL;
	w->f = f;
	w->delim = delim;
	w->eol = eol;
	w->eol_len = strlen(eol);
	w->vector = odl_scan_vector();
	w->failed = 0;
	w->n = 0;
	return w;
}

void odl_csv_writer_free(odl_csv_writer *w)
{
	free(w);
}

int odl_csv_writer_record(odl_csv_writer *w, const struct odl_cell *cells, size_t n)
{
	const char delim = w->delim;
	uintptr_t end = 0; /* cells packed up to here: readable by 16 bytes */

#ifdef ODL_SCAN_SSE2
	/* the reader's cells lie end to end in its record buffer */
	if (w->vector && delim && n) {
		end = (uintptr_t)cells[0].ptr + cells[0].len;
		for (size_t i = 1; i < n && end; i++)
			end = (uintptr_t)cells[i].ptr == end ? end + cells[i].len : 0;
	}
#endif

	for (size_t i = 0; i < n; i++) {
		const char *p = cells[i].ptr;
		size_t len = cells[i].len;
		if (i)
			put_char(w, delim);
		if (n == 1 && len == 0) {
			/* a lone empty cell would read back as a blank line */
			put(w, "\"\"", 2);
			continue;
		}
		if (len > OUT_SIZE - w->n && len <= OUT_SIZE)
			flush(w);
#ifdef ODL_SCAN_SSE2
		if ((uintptr_t)p + ((len + 15) & ~(size_t)15) <= end && len <= OUT_SIZE - w->n) {
			/* copied and searched sixteen bytes at a time, read in
			 * place: the cells after it are there to read */
			char *c = w->buf + w->n;
			unsigned bad = 0;
			const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"'),
				      lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
			for (size_t k = 0; k < len; k += 16) {
				__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
				_mm_storeu_si128((__m128i *)(void *)(c + k), x);
				unsigned m = (unsigned)_mm_movemask_epi8(
					_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, q)),
						     _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr))));
				if (len - k < 16)
					m &= (1u << (len - k)) - 1;
				bad |= m;
			}
			if (!bad)
				w->n += len;
			else
				put_quoted(w, p, len);
			continue;
		}
#endif
		if (len <= OUT_SIZE - w->n && delim) {
			char *c = w->buf + w->n;
			memcpy(c, p, len);
			memset(c + len, 0, OUT_SLACK);
			if (!special_in(w, c, len))
				w->n += len;
			else
				put_quoted(w, p, len);
		} else if (!needs_quotes(p, len, delim)) {
			put(w, p, len);
		} else {
			put_quoted(w, p, len);
		}
	}
	put(w, w->eol, w->eol_len);
	if (w->failed) {
		errno = w->failed;
		return ODL_EIO;
	}
	return ODL_OK;
}

/* The delimiters, and the quotes, CRs and LFs, in p[0..len). */
static void tally(const odl_csv_writer *w, const char *p, size_t len, size_t *delims, size_t *special)
{
	const char delim = w->delim;
	size_t d = 0, sp = 0, i = 0;

#ifdef ODL_SCAN_SSE2
	if (w->vector) {
		/* per-lane counts (a match is -1: subtracted), summed every
		 * 255 blocks at most, before a lane can wrap */
		const __m128i vd = _mm_set1_epi8(delim), q = _mm_set1_epi8('"'),
			      lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
		while (i + 16 <= len) {
			__m128i cd = zero, cs = zero;
			for (int k = 0; k < 255 && i + 16 <= len; k++, i += 16) {
				__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
				cd = _mm_sub_epi8(cd, _mm_cmpeq_epi8(x, vd));
				cs = _mm_sub_epi8(cs, _mm_or_si128(_mm_cmpeq_epi8(x, q),
								   _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr))));
			}
			__m128i sd = _mm_sad_epu8(cd, zero), ss = _mm_sad_epu8(cs, zero);
			d += (size_t)_mm_cvtsi128_si32(sd) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sd, 8));
			sp += (size_t)_mm_cvtsi128_si32(ss) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(ss, 8));
		}
	}
#endif
	for (; i < len; i++) {
		d += p[i] == delim;
		sp += p[i] == '"' || p[i] == '\n' || p[i] == '\r';
	}
	*delims = d;
	*special = sp;
}

/*
 * A record's text is what the writer would write of its cells: the cells
 * joined by delim, each quoted exactly when it must be.  Walking the cells
 * says which are quoted in the text; then the text's quotes must be theirs
 * alone (no quote, CR or LF in any cell), every quoted cell must hold a
 * delimiter (else the writer leaves it bare) and no bare cell may.
 */
static int as_written(const odl_csv_writer *w, const struct odl_record *rec)
{
	const char *t = rec->text, *pos = t;
	const size_t n = rec->ncells, len = rec->text_len;
	const char delim = w->delim;
	size_t quoted = 0, inside = 0; /* quoted cells, delimiters in them */

	if (!t || !n || !delim || (n == 1 && !len))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = rec->cells[i].ptr, *end = p + rec->cells[i].len;
		if (pos < t + len && *pos == '"') {
			size_t d, sp;
			if (p != pos + 1 || end >= t + len || *end != '"')
				return 0;
			tally(w, p, rec->cells[i].len, &d, &sp);
			if (!d)
				return 0;
			inside += d;
			quoted++;
			end++;
		} else if (p != pos) {
			return 0;
		}
		if (i + 1 < n) {
			if (end >= t + len || *end != delim)
				return 0;
			pos = end + 1;
		} else if (end != t + len) {
			return 0;
		}
	}
	size_t delims, special;
	tally(w, t, len, &delims, &special);
	return special == 2 * quoted && delims == n - 1 + inside;
}

int odl_csv_writer_put(odl_csv_writer *w, const struct odl_record *rec)
{
	if (!as_written(w, rec))
		return odl_csv_writer_record(w, rec->cells, rec->ncells);
	put(w, rec->text, rec->text_len);
	put(w, w->eol, w->eol_len);
	if (w->failed) {
		errno = w->failed;
		return ODL_EIO;
	}
	return ODL_OK;
}

int odl_csv_writer_flush(odl_csv_writer *w)
{
	flush(w);
	if (w->failed) {
		errno = w->failed;
		return ODL_EIO;
	}
	return ODL_OK;
}

int odl_csv_write_record(FILE *f, const struct odl_cell *cells, size_t n, char delim,
			 const char *eol)
{
	odl_csv_writer *w = odl_csv_writer_new(f, delim, eol);
	int rc;

	if (!w)
		return ODL_ENOMEM;
	flockfile(f);
	rc = odl_csv_writer_record(w, cells, n);
	if (rc == ODL_OK)
		rc = odl_csv_writer_flush(w);
	funlockfile(f);
	odl_csv_writer_free(w);
	return rc;
}
