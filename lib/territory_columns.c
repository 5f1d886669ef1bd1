/* territory_columns.c - pick named columns while streaming a CSV file. */
#include "territory_priv.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WANTED 32

struct picker {
	const char *const *wanted;
	size_t nwanted;
	long index[MAX_WANTED];
	struct odl_cell cells[MAX_WANTED];
	odl_columns_fn fn;
	void *ctx;
	char (*found)[64];
	const char *path;
	struct odl_error own;
	int failed;
};

/* "ptot_*" matches any header starting with "ptot_" */
static int name_eq(const struct odl_cell *c, const char *name)
{
	const char *p = c->ptr;
	size_t n = c->len, len = strlen(name);

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (len && name[len - 1] == '*')
		return n >= len - 1 && memcmp(p, name, len - 1) == 0;
	return len == n && memcmp(p, name, n) == 0;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct picker *pk = ctx;

	if (rec->is_header) {
		for (size_t w = 0; w < pk->nwanted; w++) {
			const char *name = pk->wanted[w];
			int required = name[0] == '!';
			name += required;
			pk->index[w] = -1;
			for (size_t i = 0; i < rec->ncells; i++)
				if (name_eq(&rec->cells[i], name)) {
					pk->index[w] = (long)i;
					break;
				}
			if (pk->found) {
				char *f = pk->found[w];
				f[0] = 0;
				if (pk->index[w] >= 0) {
					struct odl_cell h = rec->cells[pk->index[w]];
					char *d = odl_cell_dup(&h);
					if (d)
						snprintf(f, 64, "%s", d);
					free(d);
				}
			}
			if (pk->index[w] < 0 && required) {
				odl_error_at(&pk->own, pk->path, rec->line, 0, name);
				odl_fail(&pk->own, ODL_EFORMAT, "missing column");
				pk->failed = 1;
				return 1;
			}
		}
		return 0;
	}
	if (rec->is_blank)
		return 0;
	for (size_t w = 0; w < pk->nwanted; w++) {
		long i = pk->index[w];
		if (i >= 0 && (size_t)i < rec->ncells) {
			pk->cells[w] = rec->cells[i];
		} else {
			pk->cells[w].ptr = "";
			pk->cells[w].len = 0;
		}
	}
	if (pk->fn(pk->ctx, pk->cells, rec, &pk->own) != 0) {
		pk->failed = 1;
		return 1;
	}
	return 0;
}

/*
 * The one place that knows xlsx is not read yet: a file that failed to
 * read and starts as a zip container gets a message saying what it is and
 * how to convert it, not the reader's complaint about its bytes.  Once the
 * reader reads xlsx, no such file fails and this says nothing.
 */
void odl_xlsx_hint(const char *path, int rc, struct odl_error *err)
{
	unsigned char magic[4];
	FILE *f;

	if (rc == ODL_OK || rc == ODL_ENOMEM || strcmp(path, "-") == 0 || !(f = fopen(path, "rb")))
		return;
	size_t n = fread(magic, 1, 4, f);
	fclose(f);
	if (n == 4 && memcmp(magic, "PK\3\4", 4) == 0 && err) {
		odl_error_clear(err);
		odl_error_at(err, path, 0, 0, NULL);
		odl_fail(err, ODL_EUNSUPPORTED,
			 "an xlsx (zip) file, not read yet: convert it to CSV first, e.g. "
			 "'libreoffice --headless --convert-to csv FILE' or 'ssconvert FILE FILE.csv'");
	}
}

int odl_read_columns(const char *path, const char *const *wanted, size_t nwanted,
		     odl_columns_fn fn, void *ctx, struct odl_error *err)
{
	return odl_read_columns_found(path, wanted, nwanted, fn, ctx, NULL, err);
}

int odl_read_columns_found(const char *path, const char *const *wanted, size_t nwanted,
			   odl_columns_fn fn, void *ctx, char (*found)[64], struct odl_error *err)
{
	struct odl_csv_options opt;
	struct picker pk;
	odl_csv *csv;
	int rc;

	if (nwanted > MAX_WANTED)
		return odl_fail(err, ODL_EINVAL, "too many columns");
	memset(&pk, 0, sizeof(pk));
	pk.wanted = wanted;
	pk.nwanted = nwanted;
	pk.fn = fn;
	pk.ctx = ctx;
	pk.found = found;
	pk.path = path;
	odl_error_clear(&pk.own);
	odl_csv_options_init(&opt);
	opt.name = path;
	csv = odl_csv_new(&opt, on_record, &pk);
	if (!csv)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	rc = odl_csv_read_path(csv, path, err);
	if (rc == ODL_ECANCELED && pk.failed) {
		if (!pk.own.code)
			odl_fail(&pk.own, ODL_EFORMAT, "malformed row");
		if (!pk.own.file[0])
			snprintf(pk.own.file, sizeof(pk.own.file), "%s", path);
		rc = pk.own.code;
		if (err)
			*err = pk.own;
	}
	odl_csv_free(csv);
	if (rc != ODL_OK)
		odl_xlsx_hint(path, rc, err);
	return rc;
}

char *odl_cell_dup(const struct odl_cell *c)
{
	const char *p = c->ptr;
	size_t n = c->len;
	char *s;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}
