/*
 * spill - the first SPILL_MEM bytes in memory, the rest in an unlinked
 * temporary file; the memory part doubles as the file's write buffer.  A
 * spill taken into another is linked, not copied: a report and the errors
 * it embeds are on disk once.
 */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct spill {
	char *buf;            /* the content, or the file's unwritten tail */
	size_t len, cap;      /* cap grows to SPILL_MEM */
	int fd;               /* -1 until the content outgrows SPILL_MEM */
	uint64_t flen;        /* bytes in the file */
	struct spill *next;   /* the spills taken in, in order */
	struct spill *tail;   /* in a chain's first spill: the one written to */
};

struct spill *spill_new(void)
{
	struct spill *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = -1;
	s->tail = s;
	return s;
}

void spill_free(struct spill *s)
{
	while (s) {
		struct spill *next = s->next;
		if (s->fd >= 0)
			close(s->fd);
		free(s->buf);
		free(s);
		s = next;
	}
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
	s = s->tail;
	if (s->len + n <= SPILL_MEM) {
		if (s->len + n > s->cap) {
			size_t cap = s->cap ? s->cap : 1024;
			while (cap < s->len + n)
				cap *= 2;
			char *nb = realloc(s->buf, cap);
			if (!nb)
				return -1;
			s->buf = nb;
			s->cap = cap;
		}
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
	if (s->cap < SPILL_MEM) {
		char *nb = realloc(s->buf, SPILL_MEM);
		if (!nb)
			return -1;
		s->buf = nb;
		s->cap = SPILL_MEM;
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
	uint64_t n = 0;
	for (; s; s = s->next)
		n += s->flen + s->len;
	return n;
}

/* Calls put(ctx, bytes, n) on the content of s alone, in order. */
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

int spill_copy(struct spill *s, FILE *out)
{
	for (; s; s = s->next)
		if (each_chunk(s, put_file, out) != 0)
			return -1;
	return 0;
}

void spill_take(struct spill *dst, struct spill *src)
{
	/* what dst is given next goes on after src's bytes, into src */
	dst->tail->next = src;
	dst->tail = src->tail;
}
