/* sirene.c - agents by proxy: the Sirene register's headcount bands for the
 * territory table's SIRENs, streamed from StockUniteLegale or an extract. */
#include "odl/territory.h"
#include "odl/csv.h"
#include "territory_map.h"
#include "territory_priv.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK 65536

static const struct {
	char code[3];
	int lo, hi;
} bands[] = {
	{ "00", 0, 0 }, { "01", 1, 2 }, { "02", 3, 5 }, { "03", 6, 9 },
	{ "11", 10, 19 }, { "12", 20, 49 }, { "21", 50, 99 }, { "22", 100, 199 },
	{ "31", 200, 249 }, { "32", 250, 499 }, { "41", 500, 999 },
	{ "42", 1000, 1999 }, { "51", 2000, 4999 }, { "52", 5000, 9999 },
	{ "53", 10000, -1 },
};

int odl_agents_band(const char *code, size_t len, int *lo, int *hi)
{
	while (len && (*code == ' ' || *code == '\t')) {
		code++;
		len--;
	}
	while (len && (code[len - 1] == ' ' || code[len - 1] == '\t'))
		len--;
	if (len == 0 || (len == 2 && memcmp(code, "NN", 2) == 0))
		return ODL_ENOTFOUND;
	if (len == 2)
		for (size_t i = 0; i < sizeof(bands) / sizeof(*bands); i++)
			if (memcmp(code, bands[i].code, 2) == 0) {
				*lo = bands[i].lo;
				*hi = bands[i].hi;
				return ODL_OK;
			}
	return ODL_EFORMAT;
}

/* what the file says of one territory of the table */
struct found {
	uint64_t line;  /* 0: not listed */
	char band[3];   /* "" when none */
	int year;       /* 0 when none */
};

struct reader {
	odl_territories *t;
	struct odl_sirene_stats *st;
	const char *path;
	struct odl_strmap by_siren; /* SIREN -> first row of the table */
	struct found *found;
	long col_siren, col_band, col_year;
	struct odl_error own;
	int failed, seen_header;
};

static void note(char *dst, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = 0;
}

static int header(struct reader *r, const struct odl_record *rec)
{
	static const char *const names[3] = { "siren", "trancheEffectifsUniteLegale",
					      "anneeEffectifsUniteLegale" };
	long *cols[3] = { &r->col_siren, &r->col_band, &r->col_year };

	for (int k = 0; k < 3; k++) {
		*cols[k] = -1;
		for (size_t i = 0; i < rec->ncells; i++) {
			const struct odl_cell *c = &rec->cells[i];
			if (c->len == strlen(names[k]) && memcmp(c->ptr, names[k], c->len) == 0) {
				*cols[k] = (long)i;
				break;
			}
		}
		if (*cols[k] < 0 && k < 2) {
			odl_error_at(&r->own, r->path, rec->line, 0, names[k]);
			odl_fail(&r->own, ODL_EFORMAT,
				 "missing column (not Sirene's StockUniteLegale layout)");
			r->failed = 1;
			return 1;
		}
	}
	return 0;
}

static const struct odl_cell *cell(const struct odl_record *rec, long i)
{
	static const struct odl_cell empty = { "", 0 };
	return i >= 0 && (size_t)i < rec->ncells ? &rec->cells[i] : &empty;
}

/* a row with a band beats one without, then the later year, then the first */
static int better(const struct found *now, const char *band, int year)
{
	if (!now->line)
		return 1;
	if (!!band[0] != !!now->band[0])
		return band[0] != 0;
	return year > now->year;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct reader *r = ctx;
	struct odl_sirene_stats *st = r->st;
	size_t idx;

	if (rec->is_header) {
		r->seen_header = 1;
		return header(r, rec);
	}
	if (rec->is_blank)
		return 0;
	st->rows++;
	const struct odl_cell *s = cell(rec, r->col_siren);
	if (s->len != 9 || !odl_strmap_get(&r->by_siren, s->ptr, 9, &idx))
		return 0;
	const struct odl_cell *b = cell(rec, r->col_band), *y = cell(rec, r->col_year);
	char band[3] = "";
	int year = 0, lo, hi;
	int rc = odl_agents_band(b->ptr, b->len, &lo, &hi);
	if (rc == ODL_OK) {
		/* the code as the register writes it, spaces dropped */
		const char *p = b->ptr;
		while (*p == ' ' || *p == '\t')
			p++;
		memcpy(band, p, 2);
		band[2] = 0;
	} else if (rc == ODL_EFORMAT) {
		if (!st->bad_bands++) {
			st->first_bad_band_line = rec->line;
			note(st->first_bad_band, sizeof(st->first_bad_band), b->ptr, b->len);
		}
	}
	if (y->len) {
		int ok = y->len == 4;
		for (size_t i = 0; ok && i < 4; i++)
			ok = y->ptr[i] >= '0' && y->ptr[i] <= '9';
		if (ok) {
			for (size_t i = 0; i < 4; i++)
				year = year * 10 + (y->ptr[i] - '0');
		} else if (!st->bad_years++) {
			st->first_bad_year_line = rec->line;
			note(st->first_bad_year, sizeof(st->first_bad_year), y->ptr, y->len);
		}
	}
	/* the band's year means nothing without a band */
	if (!band[0])
		year = 0;
	struct found *f = &r->found[idx];
	if (f->line && !st->duplicates++) {
		st->first_duplicate_line = rec->line;
		note(st->first_duplicate, sizeof(st->first_duplicate), s->ptr, 9);
	}
	if (better(f, band, year)) {
		f->line = rec->line;
		memcpy(f->band, band, 3);
		f->year = year;
	}
	return 0;
}

/* ---- input: the CSV as it is (gzip included), or a zip's first entry ---- */

struct input {
	int fd;
	unsigned char buf[CHUNK];
	unsigned char out[CHUNK]; /* inflated bytes */
	size_t pos, len;
	int eof;
	const char *path;
};

static int fill(struct input *in, struct odl_error *err)
{
	if (in->pos < in->len || in->eof)
		return ODL_OK;
	ssize_t n;
	do
		n = read(in->fd, in->buf, sizeof(in->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		odl_error_at(err, in->path, 0, 0, NULL);
		odl_fail(err, ODL_EIO, "cannot read: %s", strerror(e));
		if (err)
			err->sys_errno = e;
		return ODL_EIO;
	}
	in->pos = 0;
	in->len = (size_t)n;
	in->eof = n == 0;
	return ODL_OK;
}

/* n bytes (n <= 64) of the zip's headers into out */
static int take(struct input *in, unsigned char *out, size_t n, struct odl_error *err)
{
	while (n) {
		int rc = fill(in, err);
		if (rc)
			return rc;
		if (in->pos == in->len) {
			odl_error_at(err, in->path, 0, 0, NULL);
			return odl_fail(err, ODL_EFORMAT, "truncated zip archive");
		}
		size_t k = in->len - in->pos < n ? in->len - in->pos : n;
		if (out) {
			memcpy(out, in->buf + in->pos, k);
			out += k;
		}
		in->pos += k;
		n -= k;
	}
	return ODL_OK;
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The entry is read from its local header on, as a stream: the central
 * directory at the end is never needed, so a pipe does, and an entry past
 * 4 GiB (zip64 sizes) inflates like any other; a deflate stream knows its
 * own end.  The CRC-32 is checked against the local header or the data
 * descriptor that follows the data.
 */
static int read_zip(struct input *in, odl_csv *csv, struct odl_sirene_stats *st,
		    struct odl_error *err)
{
	unsigned char h[30], name[128];
	int rc;

	if ((rc = take(in, h, 30, err)))
		return rc;
	unsigned flags = le16(h + 6), method = le16(h + 8), nlen = le16(h + 26), xlen = le16(h + 28);
	uint32_t crc_want = le32(h + 14), csize = le32(h + 18);
	size_t keep = nlen < sizeof(name) - 1 ? nlen : sizeof(name) - 1;
	for (size_t done = 0; done < nlen;) {
		size_t k = nlen - done < 64 ? nlen - done : 64;
		unsigned char part[64];
		if ((rc = take(in, part, k, err)))
			return rc;
		if (done < keep)
			memcpy(name + done, part, keep - done < k ? keep - done : k);
		done += k;
	}
	name[keep] = 0;
	snprintf(st->entry, sizeof(st->entry), "%s", (char *)name);
	while (xlen) {
		unsigned k = xlen < 64 ? xlen : 64;
		if ((rc = take(in, NULL, k, err)))
			return rc;
		xlen -= k;
	}
	odl_error_at(err, in->path, 0, 0, NULL);
	if (flags & 1)
		return odl_fail(err, ODL_EUNSUPPORTED, "zip entry '%s' is encrypted", st->entry);
	if (keep < 4 || strcasecmp(st->entry + keep - 4, ".csv") != 0)
		return odl_fail(err, ODL_EFORMAT, "zip entry '%s' is not a CSV file", st->entry);
	if (method != 8 && !(method == 0 && !(flags & 8) && csize != 0xffffffffu))
		return odl_fail(err, ODL_EUNSUPPORTED, "zip entry '%s': compression method %u",
				st->entry, method);

	unsigned char *out = in->out;
	uint32_t crc = (uint32_t)crc32(0, NULL, 0);
	if (method == 0) {
		uint64_t left = csize;
		while (left) {
			if ((rc = fill(in, err)))
				return rc;
			if (in->pos == in->len)
				return odl_fail(err, ODL_EFORMAT, "truncated zip entry '%s'", st->entry);
			size_t k = in->len - in->pos;
			if (k > left)
				k = (size_t)left;
			crc = (uint32_t)crc32(crc, in->buf + in->pos, (uInt)k);
			if ((rc = odl_csv_feed(csv, in->buf + in->pos, k, err)))
				return rc;
			in->pos += k;
			left -= k;
		}
	} else {
		z_stream z;
		memset(&z, 0, sizeof(z));
		if (inflateInit2(&z, -15) != Z_OK)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		int zr = Z_OK;
		while (zr != Z_STREAM_END) {
			if ((rc = fill(in, err)))
				break;
			if (in->pos == in->len) {
				rc = odl_fail(err, ODL_EFORMAT, "truncated zip entry '%s'", st->entry);
				break;
			}
			z.next_in = in->buf + in->pos;
			z.avail_in = (uInt)(in->len - in->pos);
			z.next_out = out;
			z.avail_out = CHUNK;
			zr = inflate(&z, Z_NO_FLUSH);
			in->pos = in->len - z.avail_in;
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				odl_error_at(err, in->path, 0, 0, NULL);
				rc = odl_fail(err, ODL_EFORMAT, "zip entry '%s': corrupt deflate data",
					      st->entry);
				break;
			}
			size_t k = CHUNK - z.avail_out;
			crc = (uint32_t)crc32(crc, out, (uInt)k);
			if (k && (rc = odl_csv_feed(csv, out, k, err)))
				break;
		}
		inflateEnd(&z);
		if (rc)
			return rc;
	}
	if (flags & 8) {
		/* data descriptor: an optional signature, then the CRC */
		unsigned char d[4];
		if ((rc = take(in, d, 4, err)))
			return rc;
		if (le32(d) == 0x08074b50u && (rc = take(in, d, 4, err)))
			return rc;
		crc_want = le32(d);
	}
	if (crc != crc_want) {
		odl_error_at(err, in->path, 0, 0, NULL);
		return odl_fail(err, ODL_ECHECKSUM, "zip entry '%s': CRC-32 mismatch", st->entry);
	}
	return ODL_OK;
}

static int read_input(struct input *in, odl_csv *csv, struct odl_sirene_stats *st,
		      struct odl_error *err)
{
	int rc;

	/* the first bytes decide: a zip's local header, or text (gzip included) */
	while (in->len < 4 && !in->eof) {
		ssize_t n = read(in->fd, in->buf + in->len, sizeof(in->buf) - in->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			odl_error_at(err, in->path, 0, 0, NULL);
			odl_fail(err, ODL_EIO, "cannot read: %s", strerror(e));
			if (err)
				err->sys_errno = e;
			return ODL_EIO;
		}
		in->len += (size_t)n;
		in->eof = n == 0;
	}
	if (in->len >= 4 && memcmp(in->buf, "PK\3\4", 4) == 0) {
		st->zip = 1;
		if ((rc = read_zip(in, csv, st, err)))
			return rc;
		return odl_csv_finish(csv, err);
	}
	for (;;) {
		if (in->pos < in->len && (rc = odl_csv_feed(csv, in->buf + in->pos,
							    in->len - in->pos, err)))
			return rc;
		in->pos = in->len;
		if ((rc = fill(in, err)))
			return rc;
		if (in->pos == in->len)
			break;
	}
	return odl_csv_finish(csv, err);
}

static int is_siren(const char *s)
{
	if (strlen(s) != 9)
		return 0;
	for (int i = 0; i < 9; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int write_columns(struct reader *r, struct odl_error *err)
{
	size_t n = odl_territories_count(r->t), cb, cy;
	int rc;

	if ((rc = odl_territories_add_column(r->t, "agents_band", &cb, err)) ||
	    (rc = odl_territories_add_column(r->t, "agents_year", &cy, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct odl_territory *terr = odl_territories_at(r->t, i);
		const char *siren = is_siren(terr->siren) ? terr->siren : terr->code;
		size_t head;
		char year[16] = "";
		const char *band = "";

		if (is_siren(siren) && odl_strmap_get(&r->by_siren, siren, 9, &head)) {
			const struct found *f = &r->found[head];
			if (f->line) {
				r->st->matched++;
				r->st->with_band += f->band[0] != 0;
				band = f->band[0] ? f->band : "NN";
				if (f->year)
					snprintf(year, sizeof(year), "%d", f->year);
			} else {
				struct odl_sirene_stats *st = r->st;
				if (st->missing < ODL_SIRENE_FIRST)
					snprintf(st->first_missing[st->missing],
						 sizeof(st->first_missing[0]), "%s", terr->code);
				st->missing++;
			}
		}
		if ((rc = odl_territory_set_cell(r->t, i, cb, band, err)) ||
		    (rc = odl_territory_set_cell(r->t, i, cy, year, err)))
			return rc;
	}
	return ODL_OK;
}

int odl_territories_read_sirene(odl_territories *t, const char *path,
				struct odl_sirene_stats *stats, struct odl_error *err)
{
	struct odl_sirene_stats own_stats;
	struct odl_csv_options opt;
	struct reader r;
	struct input *in = NULL;
	odl_csv *csv = NULL;
	size_t n = odl_territories_count(t);
	int rc = ODL_OK;

	if (!stats)
		stats = &own_stats;
	memset(stats, 0, sizeof(*stats));
	memset(&r, 0, sizeof(r));
	odl_error_clear(&r.own);
	r.t = t;
	r.st = stats;
	r.path = path;
	odl_strmap_init(&r.by_siren);
	r.found = calloc(n ? n : 1, sizeof(*r.found));
	in = calloc(1, sizeof(*in));
	if (!r.found || !in) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
		goto out;
	}
	/* the table's SIRENs; a SIREN on two rows gives both the same band */
	for (size_t i = 0; i < n; i++) {
		const struct odl_territory *terr = odl_territories_at(t, i);
		const char *siren = is_siren(terr->siren) ? terr->siren : terr->code;
		size_t idx = i;
		if (is_siren(siren) && odl_strmap_put(&r.by_siren, siren, 9, &idx) < 0) {
			rc = odl_fail(err, ODL_ENOMEM, "out of memory");
			goto out;
		}
	}
	odl_csv_options_init(&opt);
	opt.name = path;
	csv = odl_csv_new(&opt, on_record, &r);
	if (!csv) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
		goto out;
	}
	in->path = path;
	if (strcmp(path, "-") == 0) {
		in->fd = 0;
	} else if ((in->fd = open(path, O_RDONLY)) < 0) {
		int e = errno;
		odl_error_at(err, path, 0, 0, NULL);
		rc = odl_fail(err, e == ENOENT ? ODL_ENOTFOUND : ODL_EIO, "cannot open: %s",
			      strerror(e));
		if (err)
			err->sys_errno = e;
		goto out;
	}
	rc = read_input(in, csv, stats, err);
	if (strcmp(path, "-") != 0)
		close(in->fd);
	if (rc == ODL_ECANCELED && r.failed) {
		rc = r.own.code;
		if (err)
			*err = r.own;
	}
	if (rc == ODL_OK && !r.seen_header) {
		odl_error_at(err, path, 0, 0, NULL);
		rc = odl_fail(err, ODL_EFORMAT, "empty file (no header)");
	}
	if (rc == ODL_OK)
		rc = write_columns(&r, err);
out:
	odl_csv_free(csv);
	odl_strmap_clear(&r.by_siren);
	free(r.found);
	free(in);
	return rc;
}
