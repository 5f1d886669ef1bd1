/*
 * zip.c - the zip container: central directory, then entries inflated on
 * demand with zlib's raw inflate.
 *
 * The central directory is the archive's own index and the only place where
 * sizes are reliable (local headers may defer them to a data descriptor), so
 * it is read first, from the end of the file; nothing is trusted without a
 * bound: entry count, name length, declared sizes and ratio, and the bytes
 * actually produced.
 */
#include "zip.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define EOCD_SIG 0x06054b50u
#define CDIR_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u
#define EOCD_MIN 22
#define CHUNK 65536
#define SMALL_ENTRY (1u << 20) /* below it, any ratio is harmless */

struct entry {
	char *name;
	uint16_t method, flags;
	uint32_t crc;
	uint64_t csize, usize;
	uint64_t local;       /* offset of the local header */
};

struct odl_zip {
	int fd;
	char file[256];
	uint64_t size;
	struct odl_zip_limits lim;
	struct entry *e;
	size_t n;
};

void odl_zip_limits_init(struct odl_zip_limits *lim)
{
	lim->max_entries = 10000;
	lim->max_name = 1024;
	lim->max_size = (uint64_t)4 << 30;
	lim->max_ratio = 200;
}

int odl_is_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4;
}

static uint16_t u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int bad(struct odl_zip *z, struct odl_error *err, int code, const char *what)
{
	odl_error_at(err, z->file, 0, 0, NULL);
	return odl_fail(err, code, "%s", what);
}

/* Read exactly n bytes at off: a short read is a truncated archive. */
static int read_at(struct odl_zip *z, void *buf, size_t n, uint64_t off, struct odl_error *err)
{
	size_t got = 0;

	if (off > z->size || n > z->size - off)
		return bad(z, err, ODL_EFORMAT, "truncated zip archive");
	while (got < n) {
		ssize_t k = pread(z->fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			odl_error_at(err, z->file, 0, 0, NULL);
			if (err)
				err->sys_errno = e;
			return odl_fail(err, ODL_EIO, "cannot read: %s", strerror(e));
		}
		if (k == 0)
			return bad(z, err, ODL_EFORMAT, "truncated zip archive");
		got += (size_t)k;
	}
	return ODL_OK;
}

void odl_zip_free(struct odl_zip *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	free(z);
}

static int find_eocd(struct odl_zip *z, uint64_t *eocd, struct odl_error *err)
{
	unsigned char buf[EOCD_MIN + 65535];
	size_t n = z->size < sizeof(buf) ? (size_t)z->size : sizeof(buf);
	int rc;

	if (z->size < EOCD_MIN)
		return bad(z, err, ODL_EFORMAT, "truncated zip archive (no end of central directory)");
	if ((rc = read_at(z, buf, n, z->size - n, err)))
		return rc;
	/* the comment after the record is at most 65535 bytes: scan back */
	for (size_t i = n - EOCD_MIN + 1; i-- > 0;) {
		if (u32(buf + i) == EOCD_SIG && i + EOCD_MIN + u16(buf + i + 20) <= n) {
			*eocd = z->size - n + i;
			return ODL_OK;
		}
	}
	return bad(z, err, ODL_EFORMAT, "truncated zip archive (no end of central directory)");
}

static int load_directory(struct odl_zip *z, struct odl_error *err)
{
	unsigned char rec[46];
	uint64_t eocd;
	int rc;

	if ((rc = find_eocd(z, &eocd, err)))
		return rc;
	unsigned char end[EOCD_MIN];
	if ((rc = read_at(z, end, sizeof(end), eocd, err)))
		return rc;
	uint16_t disk = u16(end + 4), cdisk = u16(end + 6);
	uint64_t count = u16(end + 10), dsize = u32(end + 12), doff = u32(end + 16);
	if (count == 0xffff || dsize == 0xffffffffu || doff == 0xffffffffu)
		return bad(z, err, ODL_EUNSUPPORTED, "zip64 archives are not supported");
	if (disk != 0 || cdisk != 0 || count != u16(end + 8))
		return bad(z, err, ODL_EUNSUPPORTED, "multi-disk zip archives are not supported");
	if (count > z->lim.max_entries) {
		odl_error_at(err, z->file, 0, 0, NULL);
		return odl_fail(err, ODL_ELIMIT, "zip archive has more than %zu entries",
				z->lim.max_entries);
	}
	if (doff > eocd || dsize > eocd - doff)
		return bad(z, err, ODL_EFORMAT, "bad zip central directory (outside the archive)");
	if (dsize > (uint64_t)count * (46 + 3 * 65535u))
		return bad(z, err, ODL_EFORMAT, "bad zip central directory (size)");
	z->e = calloc(count ? count : 1, sizeof(*z->e));
	if (!z->e)
		return bad(z, err, ODL_ENOMEM, "out of memory");
	uint64_t pos = doff, stop = doff + dsize;
	for (uint64_t i = 0; i < count; i++) {
		struct entry *e = &z->e[i];
		if (pos + sizeof(rec) > stop)
			return bad(z, err, ODL_EFORMAT, "bad zip central directory (truncated)");
		if ((rc = read_at(z, rec, sizeof(rec), pos, err)))
			return rc;
		if (u32(rec) != CDIR_SIG)
			return bad(z, err, ODL_EFORMAT, "bad zip central directory (signature)");
		size_t nlen = u16(rec + 28), xlen = u16(rec + 30), clen = u16(rec + 32);
		if (nlen > z->lim.max_name) {
			odl_error_at(err, z->file, 0, 0, NULL);
			return odl_fail(err, ODL_ELIMIT, "zip entry name longer than %zu bytes",
					z->lim.max_name);
		}
		if (pos + sizeof(rec) + nlen + xlen + clen > stop)
			return bad(z, err, ODL_EFORMAT, "bad zip central directory (truncated)");
		e->flags = u16(rec + 8);
		e->method = u16(rec + 10);
		e->crc = u32(rec + 16);
		e->csize = u32(rec + 20);
		e->usize = u32(rec + 24);
		e->local = u32(rec + 42);
		if (e->csize == 0xffffffffu || e->usize == 0xffffffffu || e->local == 0xffffffffu)
			return bad(z, err, ODL_EUNSUPPORTED, "zip64 archives are not supported");
		e->name = malloc(nlen + 1);
		if (!e->name)
			return bad(z, err, ODL_ENOMEM, "out of memory");
		z->n++;
		if ((rc = read_at(z, e->name, nlen, pos + sizeof(rec), err)))
			return rc;
		e->name[nlen] = 0;
		if (memchr(e->name, 0, nlen))
			return bad(z, err, ODL_EFORMAT, "bad zip central directory (NUL in a name)");
		if (e->local >= doff)
			return bad(z, err, ODL_EFORMAT, "bad zip central directory (entry offset)");
		pos += sizeof(rec) + nlen + xlen + clen;
	}
	return ODL_OK;
}

int odl_zip_open(struct odl_zip **out, int fd, const char *name,
		 const struct odl_zip_limits *lim, struct odl_error *err)
{
	struct odl_zip *z = calloc(1, sizeof(*z));
	struct stat st;
	int rc;

	*out = NULL;
	if (!z)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	z->fd = fd;
	snprintf(z->file, sizeof(z->file), "%s", name ? name : "");
	if (lim)
		z->lim = *lim;
	else
		odl_zip_limits_init(&z->lim);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		odl_zip_free(z);
		odl_error_at(err, name, 0, 0, NULL);
		return odl_fail(err, ODL_EIO, "zip archive is not a regular file");
	}
	z->size = (uint64_t)st.st_size;
	if ((rc = load_directory(z, err))) {
		odl_zip_free(z);
		return rc;
	}
	*out = z;
	return ODL_OK;
}

long odl_zip_find(const struct odl_zip *z, const char *name)
{
	for (size_t i = 0; i < z->n; i++)
		if (strcmp(z->e[i].name, name) == 0)
			return (long)i;
	return -1;
}

static int same_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

long odl_zip_find_nocase(const struct odl_zip *z, const char *name)
{
	long i = odl_zip_find(z, name);

	if (i >= 0)
		return i;
	for (size_t k = 0; k < z->n; k++)
		if (same_nocase(z->e[k].name, name))
			return (long)k;
	return -1;
}

size_t odl_zip_count(const struct odl_zip *z)
{
	return z->n;
}

const char *odl_zip_name(const struct odl_zip *z, size_t i)
{
	return i < z->n ? z->e[i].name : NULL;
}

static int entry_fail(struct odl_zip *z, const struct entry *e, int code, const char *what,
		      struct odl_error *err)
{
	odl_error_at(err, z->file, 0, 0, NULL);
	return odl_fail(err, code, "zip entry '%s': %s", e->name, what);
}

int odl_zip_read(struct odl_zip *z, size_t i, odl_sink_fn sink, void *ctx,
		 struct odl_error *err)
{
	const struct entry *e;
	unsigned char lh[30];
	unsigned char *in = NULL, *out = NULL;
	z_stream zs;
	int rc, zinit = 0;

	if (i >= z->n)
		return odl_fail(err, ODL_EINVAL, "no such zip entry");
	e = &z->e[i];
	if (e->flags & 1)
		return entry_fail(z, e, ODL_EUNSUPPORTED, "encrypted entries are not supported", err);
	if (e->method != 0 && e->method != 8)
		return entry_fail(z, e, ODL_EUNSUPPORTED, "compression method not supported", err);
	if (e->usize > z->lim.max_size) {
		char m[96];
		snprintf(m, sizeof(m), "larger than %llu bytes uncompressed",
			 (unsigned long long)z->lim.max_size);
		return entry_fail(z, e, ODL_ELIMIT, m, err);
	}
	if (e->usize > SMALL_ENTRY && e->usize / (e->csize ? e->csize : 1) > z->lim.max_ratio) {
		char m[96];
		snprintf(m, sizeof(m), "compression ratio above %llu (zip bomb)",
			 (unsigned long long)z->lim.max_ratio);
		return entry_fail(z, e, ODL_ELIMIT, m, err);
	}
	if (e->method == 0 && e->csize != e->usize)
		return entry_fail(z, e, ODL_EFORMAT, "stored entry with two sizes", err);
	if ((rc = read_at(z, lh, sizeof(lh), e->local, err)))
		return rc;
	if (u32(lh) != LOCAL_SIG)
		return entry_fail(z, e, ODL_EFORMAT, "bad local header", err);
	uint64_t pos = e->local + sizeof(lh) + u16(lh + 26) + u16(lh + 28);
	if (pos > z->size || e->csize > z->size - pos)
		return entry_fail(z, e, ODL_EFORMAT, "truncated data", err);

	in = malloc(CHUNK);
	out = malloc(CHUNK);
	if (!in || !out) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
		goto done;
	}
	memset(&zs, 0, sizeof(zs));
	if (e->method == 8) {
		if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
			rc = odl_fail(err, ODL_ENOMEM, "out of memory");
			goto done;
		}
		zinit = 1;
	}
	uint64_t left = e->csize, produced = 0;
	uLong crc = crc32(0L, Z_NULL, 0);
	int ended = e->method == 0 && e->csize == 0;
	if (e->method == 8 && e->csize == 0) {
		rc = entry_fail(z, e, ODL_EFORMAT, "truncated data", err);
		goto done;
	}
	while (left && !ended) {
		size_t k = left < CHUNK ? (size_t)left : CHUNK;
		if ((rc = read_at(z, in, k, pos, err)))
			goto done;
		pos += k;
		left -= k;
		if (e->method == 0) {
			crc = crc32(crc, in, (uInt)k);
			produced += k;
			if ((rc = sink(ctx, (const char *)in, k, err)))
				goto done;
			continue;
		}
		zs.next_in = in;
		zs.avail_in = (uInt)k;
		do {
			zs.next_out = out;
			zs.avail_out = CHUNK;
			int zr = inflate(&zs, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				rc = entry_fail(z, e, ODL_EFORMAT, "corrupt deflate data", err);
				goto done;
			}
			size_t got = CHUNK - zs.avail_out;
			produced += got;
			if (produced > e->usize) {
				rc = entry_fail(z, e, ODL_EFORMAT,
						"inflates past its declared size", err);
				goto done;
			}
			crc = crc32(crc, out, (uInt)got);
			if (got && (rc = sink(ctx, (const char *)out, got, err)))
				goto done;
			if (zr == Z_STREAM_END) {
				ended = 1;
				break;
			}
			if (zr == Z_BUF_ERROR && got == 0)
				break;
		} while (zs.avail_in || zs.avail_out == 0);
	}
	if (e->method == 0)
		ended = 1;
	if (!ended) {
		rc = entry_fail(z, e, ODL_EFORMAT, "truncated deflate data", err);
		goto done;
	}
	if (produced != e->usize) {
		rc = entry_fail(z, e, ODL_EFORMAT, "size differs from the central directory", err);
		goto done;
	}
	if (crc != e->crc) {
		rc = entry_fail(z, e, ODL_ECHECKSUM, "CRC-32 mismatch", err);
		goto done;
	}
	rc = ODL_OK;
done:
	if (zinit)
		inflateEnd(&zs);
	free(in);
	free(out);
	return rc;
}
