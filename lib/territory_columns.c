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
	const char *path;
	struct odl_error own;
	int failed;
};

static int name_eq(const struct odl_cell *c, const char *name)
{
	const char *p = c->ptr;
	size_t n = c->len;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return strlen(name) == n && memcmp(p, name, n) == 0;
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

int odl_read_columns(const char *path, const char *const *wanted, size_t nwanted,
		     odl_columns_fn fn, void *ctx, struct odl_error *err)
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
