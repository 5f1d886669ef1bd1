/*
 * spill - the first SPILL_MEM bytes in memory, the rest in an unlinked
 * temporary file; the memory part doubles as the file's write buffer.
 */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct spill {
	char *buf;      /* SPILL_MEM bytes: the content, or the file's unwritten tail */
	size_t len;
	int fd;         /* -1 until the content outgrows buf */
	uint64_t flen;  /* bytes in the file */
};

struct spill *spill_new(void)
{
	struct spill *s = calloc(1, sizeof(*s));

	if (!s || !(s->buf = malloc(SPILL_MEM))) {
		free(s);
		return NULL;
	}
	s->fd = -1;
	return s;
}

void spill_free(struct spill *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s);
}

static int temp_fd(void)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];

	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/odl-spill-XXXXXX", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	/* unlinked at once: nothing is left behind, even on a kill */
	unlink(path);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush_buf(struct spill *s)
{
	if (s->fd < 0 && (s->fd = temp_fd()) < 0)
		return -1;
	if (write_all(s->fd, s->buf, s->len) != 0)
		return -1;
	s->flen += s->len;
	s->len = 0;
	return 0;
}

int spill_write(struct spill *s, const void *p, size_t n)
{
	if (s->len + n <= SPILL_MEM) {
		memcpy(s->buf + s->len, p, n);
		s->len += n;
		return 0;
	}
	if (flush_buf(s) != 0)
		return -1;
	if (n >= SPILL_MEM) {
		if (write_all(s->fd, p, n) != 0)
			return -1;
		s->flen += n;
		return 0;
	}
	memcpy(s->buf, p, n);
	s->len = n;
	return 0;
}

int spill_puts(struct spill *s, const char *str)
{
	return spill_write(s, str, strlen(str));
}

uint64_t spill_size(const struct spill *s)
{
	return s->flen + s->len;
}

/* Calls put(ctx, bytes, n) on the content in order. */
static int each_chunk(struct spill *s, int (*put)(void *, const char *, size_t), void *ctx)
{
	if (s->fd >= 0) {
		char *chunk = malloc(SPILL_MEM);
		uint64_t off = 0;
		if (!chunk)
			return -1;
		while (off < s->flen) {
			size_t want = s->flen - off < SPILL_MEM ? (size_t)(s->flen - off) : SPILL_MEM;
			ssize_t r = pread(s->fd, chunk, want, (off_t)off);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r == 0)
					errno = EIO; /* the file shrank under us */
				free(chunk);
				return -1;
			}
			if (put(ctx, chunk, (size_t)r) != 0) {
				free(chunk);
				return -1;
			}
			off += (uint64_t)r;
		}
		free(chunk);
	}
	return s->len ? put(ctx, s->buf, s->len) : 0;
}

static int put_file(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

static int put_spill(void *ctx, const char *p, size_t n)
{
	return spill_write(ctx, p, n);
}

int spill_copy(struct spill *s, FILE *out)
{
	return each_chunk(s, put_file, out);
}

int spill_append(struct spill *dst, struct spill *src)
{
	return each_chunk(src, put_spill, dst);
}
