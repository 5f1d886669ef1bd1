/*
 * indicator_spill.c - the temporary file that holds the groups of an
 * indicator run beyond its memory budget.
 *
 * Records are appended through a 64 KiB buffer and read back by offset;
 * reads that follow each other in the file (the usual case: the results
 * walk the table in the order publishers came) go through a 256 KiB
 * window, scattered ones read just their record.  The file is unlinked as
 * soon as it is created: nothing is left behind, whatever happens.
 */
#include "indicator_priv.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WBUF ((size_t)64 << 10)
#define RWIN ((size_t)256 << 10)

struct odl_spill {
	int fd;
	uint64_t size;     /* bytes in the file */
	char *wbuf;        /* bytes after size, not written yet */
	size_t wlen;
	char *rwin;        /* a copy of [roff, roff + rlen) */
	uint64_t roff, next_off;
	size_t rlen;
};

int odl_spill_open(struct odl_spill **out, struct odl_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	struct odl_spill *s = calloc(1, sizeof(*s));

	if (!s)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	s->fd = -1;
	s->wbuf = malloc(WBUF);
	s->rwin = malloc(RWIN);
	if (!s->wbuf || !s->rwin) {
		odl_spill_free(s);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	snprintf(path, sizeof(path), "%s/odl-indicators-XXXXXX", dir && *dir ? dir : "/tmp");
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		int e = errno;
		free(s->wbuf);
		free(s->rwin);
		free(s);
		odl_error_at(err, path, 0, 0, NULL);
		return odl_fail(err, ODL_EIO, "cannot create a temporary file: %s", strerror(e));
	}
	unlink(path);
	*out = s;
	return ODL_OK;
}

void odl_spill_free(struct odl_spill *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->wbuf);
	free(s->rwin);
	free(s);
}

static int write_all(struct odl_spill *s, const char *p, size_t n, struct odl_error *err)
{
	while (n) {
		ssize_t w = pwrite(s->fd, p, n, (off_t)s->size);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return odl_fail(err, ODL_EIO, "cannot write the temporary file: %s",
					w < 0 ? strerror(errno) : "no space");
		p += w;
		n -= (size_t)w;
		s->size += (uint64_t)w;
	}
	return ODL_OK;
}

static int flush(struct odl_spill *s, struct odl_error *err)
{
	int rc = write_all(s, s->wbuf, s->wlen, err);
	s->wlen = 0;
	return rc;
}

uint64_t odl_spill_tell(const struct odl_spill *s)
{
	return s->size + s->wlen;
}

int odl_spill_write(struct odl_spill *s, const void *p, size_t n, struct odl_error *err)
{
	if (s->wlen + n > WBUF) {
		if (flush(s, err) != ODL_OK)
			return ODL_EIO;
		if (n > WBUF)
			return write_all(s, p, n, err);
	}
	memcpy(s->wbuf + s->wlen, p, n);
	s->wlen += n;
	return ODL_OK;
}

static int read_at(struct odl_spill *s, uint64_t off, void *dst, size_t n, struct odl_error *err)
{
	char *p = dst;

	while (n) {
		ssize_t r = pread(s->fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return odl_fail(err, ODL_EIO, "cannot read the temporary file: %s",
					r < 0 ? strerror(errno) : "truncated");
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return ODL_OK;
}

int odl_spill_read(struct odl_spill *s, uint64_t off, void *dst, size_t n, struct odl_error *err)
{
	if (off + n > s->size && flush(s, err) != ODL_OK)
		return ODL_EIO;
	if (off >= s->roff && off + n <= s->roff + s->rlen) {
		memcpy(dst, s->rwin + (off - s->roff), n);
	} else if (off == s->next_off && n <= RWIN) {
		/* reading on from the last record: a window ahead */
		size_t len = s->size - off < RWIN ? (size_t)(s->size - off) : RWIN;
		if (read_at(s, off, s->rwin, len, err) != ODL_OK)
			return ODL_EIO;
		s->roff = off;
		s->rlen = len;
		memcpy(dst, s->rwin, n);
	} else if (read_at(s, off, dst, n, err) != ODL_OK) {
		return ODL_EIO;
	}
	s->next_off = off + n;
	return ODL_OK;
}
