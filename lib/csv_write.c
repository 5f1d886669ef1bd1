/* csv_write.c - writing records as Python's csv writer does (QUOTE_MINIMAL). */
#include <errno.h>
#include <string.h>

#include "odl/fix.h"

static int needs_quotes(const char *p, size_t n, char delim)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == delim || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			return 1;
	return 0;
}

int odl_csv_write_record(FILE *f, const struct odl_cell *cells, size_t n, char delim,
			 const char *eol)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = cells[i].ptr;
		size_t len = cells[i].len;
		if (i && putc(delim, f) == EOF)
			return ODL_EIO;
		if (n == 1 && len == 0) {
			/* a lone empty cell would read back as a blank line */
			if (fputs("\"\"", f) == EOF)
				return ODL_EIO;
			continue;
		}
		if (!needs_quotes(p, len, delim)) {
			if (len && fwrite(p, 1, len, f) != len)
				return ODL_EIO;
			continue;
		}
		if (putc('"', f) == EOF)
			return ODL_EIO;
		for (size_t k = 0; k < len;) {
			const char *q = memchr(p + k, '"', len - k);
			size_t run = q ? (size_t)(q - (p + k)) + 1 : len - k;
			if (fwrite(p + k, 1, run, f) != run || (q && putc('"', f) == EOF))
				return ODL_EIO;
			k += run;
		}
		if (putc('"', f) == EOF)
			return ODL_EIO;
	}
	return fputs(eol, f) == EOF ? ODL_EIO : ODL_OK;
}
