/* csv_write.c - writing records as Python's csv writer does (QUOTE_MINIMAL). */
#include <stdio.h>
#include <string.h>

#include "odl/fix.h"

static int needs_quotes(const char *p, size_t n, char delim)
{
	if (n < 64) {
		for (size_t i = 0; i < n; i++)
			if (p[i] == delim || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
				return 1;
		return 0;
	}
	/* long cells: four vectorised scans beat one byte loop */
	return memchr(p, delim, n) || memchr(p, '"', n) || memchr(p, '\n', n) || memchr(p, '\r', n);
}

/* The stream is locked once per record, then written without the
 * per-call locking of fwrite and putc. */
static int put(FILE *f, const char *p, size_t n)
{
	return !n || fwrite_unlocked(p, 1, n, f) == n;
}

static int write_cells(FILE *f, const struct odl_cell *cells, size_t n, char delim, const char *eol)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = cells[i].ptr;
		size_t len = cells[i].len;
		if (i && putc_unlocked(delim, f) == EOF)
			return ODL_EIO;
		if (n == 1 && len == 0) {
			/* a lone empty cell would read back as a blank line */
			if (!put(f, "\"\"", 2))
				return ODL_EIO;
			continue;
		}
		if (!needs_quotes(p, len, delim)) {
			if (!put(f, p, len))
				return ODL_EIO;
			continue;
		}
		if (putc_unlocked('"', f) == EOF)
			return ODL_EIO;
		for (size_t k = 0; k < len;) {
			const char *q = memchr(p + k, '"', len - k);
			size_t run = q ? (size_t)(q - (p + k)) + 1 : len - k;
			if (!put(f, p + k, run) || (q && putc_unlocked('"', f) == EOF))
				return ODL_EIO;
			k += run;
		}
		if (putc_unlocked('"', f) == EOF)
			return ODL_EIO;
	}
	return put(f, eol, strlen(eol)) ? ODL_OK : ODL_EIO;
}

int odl_csv_write_record(FILE *f, const struct odl_cell *cells, size_t n, char delim,
			 const char *eol)
{
	flockfile(f);
	int rc = write_cells(f, cells, n, delim, eol);
	funlockfile(f);
	return rc;
}
