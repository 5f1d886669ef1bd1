/* outfile.c - output files: a regular file is replaced atomically, anything else is written in place. */
#define _GNU_SOURCE /* fopencookie: the stream records the first write error itself */
#include "odl/outfile.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Symlinks followed before giving up, as the kernel's own limit. */
#define MAX_HOPS 40
#define TEMP_SUFFIX ".tmp.XXXXXX"

struct odl_outfile {
	FILE *fp;
	char *path;   /* as given */
	char *temp;   /* NULL when written in place */
	char *target; /* the file the temporary replaces (path, symlinks followed) */
	int fd;       /* -1 for stdout */
	int err;      /* first write error (errno), 0 while none */
	int discard;  /* abort: buffered bytes are dropped, not written */
	off_t written, flushed; /* bytes written; those whose writeback was started */
};

/*
 * A temporary file is synced before it replaces its target: the disk's
 * work is started every few MiB as the file is written, so that the final
 * fsync waits for the last few only rather than for the whole file.
 */
#define WRITEBACK_STEP (8 << 20)
static void start_writeback(odl_outfile *o)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (o->temp && o->written - o->flushed >= WRITEBACK_STEP) {
		/* advice only: the fsync of the commit says what failed */
		(void)sync_file_range(o->fd, o->flushed, o->written - o->flushed, SYNC_FILE_RANGE_WRITE);
		o->flushed = o->written;
	}
#else
	(void)o;
#endif
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	odl_outfile *o = cookie;
	size_t done = 0;

	if (o->discard)
		return (ssize_t)size;
	if (o->err) {
		errno = o->err;
		return 0;
	}
	while (done < size) {
		ssize_t n = write(o->fd, buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->err = n < 0 ? errno : EIO;
			errno = o->err;
			/* stdio counts what was taken; 0 marks the stream in error */
			return 0;
		}
		done += (size_t)n;
	}
	o->written += (off_t)size;
	start_writeback(o);
	return (ssize_t)size;
}

static int open_fail(struct odl_error *err, const char *path, int e)
{
	odl_error_at(err, path, 0, 0, NULL);
	if (err)
		err->sys_errno = e;
	return odl_fail(err, ODL_EIO, "cannot create: %s", strerror(e));
}

static void outfile_release(odl_outfile *out)
{
	free(out->temp);
	free(out->target);
	free(out->path);
	free(out);
}

/* "/dev/stdout", "/dev/fd/3", "/proc/self/fd/3": the descriptor named, or -1.
 * These are the process's own open files: following the link would lead to
 * "pipe:[1234]" or to a file the shell opened, never to something to replace. */
static int fd_name(const char *p)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	const char *n = NULL;

	for (int i = 0; i < 3; i++)
		if (strcmp(p, std[i]) == 0)
			return i;
	if (strncmp(p, "/dev/fd/", 8) == 0)
		n = p + 8;
	else if (strncmp(p, "/proc/self/fd/", 14) == 0)
		n = p + 14;
	if (!n || *n < '0' || *n > '9' || strlen(n) > 9)
		return -1;
	for (const char *c = n; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	return atoi(n);
}

/*
 * Follow the symlinks of path's last component (as `sed -i --follow-symlinks`
 * does) into buf.  Returns 0 with *st filled (st_mode 0 when the file does not
 * exist) and *fd_out >= 0 when the chain ends on one of the process's own
 * descriptors, or an errno value.
 */
static int resolve(const char *path, char *buf, size_t size, struct stat *st, int *fd_out)
{
	char link[PATH_MAX];

	if (strlen(path) >= size)
		return ENAMETOOLONG;
	memcpy(buf, path, strlen(path) + 1);
	*fd_out = -1;
	for (int hop = 0; hop <= MAX_HOPS; hop++) {
		if ((*fd_out = fd_name(buf)) >= 0)
			return 0;
		if (lstat(buf, st) != 0) {
			if (errno != ENOENT)
				return errno;
			memset(st, 0, sizeof(*st));
			return 0;
		}
		if (!S_ISLNK(st->st_mode))
			return 0;
		ssize_t n = readlink(buf, link, sizeof(link) - 1);
		if (n < 0)
			return errno;
		link[n] = 0;
		if (n == 0)
			return ENOENT;
		if (link[0] == '/') {
			memcpy(buf, link, (size_t)n + 1);
		} else {
			/* relative to the directory holding the link */
			char *slash = strrchr(buf, '/');
			size_t dir = slash ? (size_t)(slash - buf) + 1 : 0;
			if (dir + (size_t)n + 1 > size)
				return ENAMETOOLONG;
			memcpy(buf + dir, link, (size_t)n + 1);
		}
	}
	return ELOOP;
}

/* A temporary beside target, created with mode (umask applies). */
static int make_temp(odl_outfile *o, mode_t mode)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t n = strlen(o->target) + sizeof(TEMP_SUFFIX);
	struct timespec ts;
	uint64_t x;

	if (!(o->temp = malloc(n)))
		return ENOMEM;
	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32) ^
	    (uint64_t)(uintptr_t)o;
	x |= 1; /* xorshift never leaves 0 */
	for (int tries = 0; tries < 100; tries++) {
		snprintf(o->temp, n, "%s" TEMP_SUFFIX, o->target);
		char *p = o->temp + n - 7;
		for (int i = 0; i < 6; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			p[i] = digits[x % (sizeof(digits) - 1)];
		}
		o->fd = open(o->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (o->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	free(o->temp);
	o->temp = NULL;
	return e;
}

/* The replaced file's owner, group and mode, where the process may set them:
 * a private report stays private. */
static void keep_attributes(int fd, const struct stat *st)
{
	struct stat now;
	mode_t mode = st->st_mode & 07777;

	if (fstat(fd, &now) != 0)
		return;
	if (now.st_uid != st->st_uid || now.st_gid != st->st_gid) {
		if (fchown(fd, st->st_uid, st->st_gid) != 0)
			(void)!fchown(fd, (uid_t)-1, st->st_gid); /* a group of ours at least */
		if (fstat(fd, &now) != 0)
			return;
	}
	/* set-id bits are kept only with the owner and group they were for */
	if (now.st_uid != st->st_uid)
		mode &= ~(mode_t)S_ISUID;
	if (now.st_gid != st->st_gid)
		mode &= ~(mode_t)(S_ISGID);
	fchmod(fd, mode);
}

int odl_outfile_open(const char *path, odl_outfile **out, struct odl_error *err)
{
	static const cookie_io_functions_t io = { NULL, cookie_write, NULL, NULL };
	char target[PATH_MAX];
	struct stat st;
	odl_outfile *o;
	int e, fd = -1;

	*out = NULL;
	if (!path || !*path)
		return odl_fail(err, ODL_EINVAL, "empty output path");
	o = calloc(1, sizeof(*o));
	if (!o || !(o->path = strdup(path))) {
		free(o);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	o->fd = -1;
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		*out = o;
		return ODL_OK;
	}
	/* room for the temporary's suffix, so its path fits the same ceiling */
	e = resolve(path, target, sizeof(target) - sizeof(TEMP_SUFFIX), &st, &fd);
	if (e)
		goto fail;
	if (fd >= 0) {
		if ((o->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
			e = errno;
			goto fail;
		}
	} else if (S_ISDIR(st.st_mode)) {
		e = EISDIR;
		goto fail;
	} else if (st.st_mode && !S_ISREG(st.st_mode)) {
		/* device, FIFO, socket: written in place, never replaced */
		o->fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
		if (o->fd < 0) {
			e = errno;
			goto fail;
		}
		struct stat now;
		if (fstat(o->fd, &now) == 0 && (S_ISREG(now.st_mode) || S_ISDIR(now.st_mode))) {
			/* swapped for a file since lstat: never write one in place */
			close(o->fd);
			o->fd = -1;
			e = EAGAIN;
			goto fail;
		}
	} else {
		if (!(o->target = strdup(target))) {
			e = ENOMEM;
			goto fail;
		}
		/* an existing file's temporary starts private and takes the
		 * file's attributes before any byte is written */
		e = make_temp(o, st.st_mode ? 0600 : 0666);
		if (e)
			goto fail;
		if (st.st_mode)
			keep_attributes(o->fd, &st);
	}
	if (!(o->fp = fopencookie(o, "w", io))) {
		e = errno ? errno : ENOMEM;
		goto fail;
	}
	setvbuf(o->fp, NULL, _IOFBF, 1 << 16);
	*out = o;
	return ODL_OK;
fail:
	if (o->fd >= 0)
		close(o->fd);
	if (o->temp)
		unlink(o->temp);
	outfile_release(o);
	if (e == ENOMEM)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	return open_fail(err, path, e);
}

FILE *odl_outfile_stream(odl_outfile *out)
{
	return out->fp;
}

const char *odl_outfile_temp_path(const odl_outfile *out)
{
	return out->temp;
}

const char *odl_outfile_path(const odl_outfile *out)
{
	return out->path;
}

int odl_outfile_in_place(const odl_outfile *out)
{
	return out->temp == NULL;
}

int odl_outfile_write_errno(const odl_outfile *out)
{
	if (out->fd < 0)
		return ferror(out->fp) ? EIO : 0;
	return out->err;
}

int odl_outfile_commit(odl_outfile *out, struct odl_error *err)
{
	int rc = ODL_OK, e = 0;

	if (out->fd < 0) {
		/* stdout: the program's own stream, only flushed */
		if (fflush(out->fp) != 0 || ferror(out->fp))
			e = errno ? errno : EIO;
	} else {
		if (fflush(out->fp) != 0 || ferror(out->fp))
			e = out->err ? out->err : errno ? errno : EIO;
		fclose(out->fp);
		if (!e && out->err)
			e = out->err;
		if (!e && out->temp && fsync(out->fd) != 0)
			e = errno;
		if (close(out->fd) != 0 && !e && errno != EINTR)
			e = errno;
		if (!e && out->temp && rename(out->temp, out->target) != 0)
			e = errno;
		if (e && out->temp)
			unlink(out->temp);
	}
	if (e) {
		odl_error_at(err, out->path, 0, 0, NULL);
		if (err)
			err->sys_errno = e;
		rc = odl_fail(err, ODL_EIO, "cannot write: %s", strerror(e));
	}
	outfile_release(out);
	return rc;
}

void odl_outfile_abort(odl_outfile *out)
{
	if (!out)
		return;
	if (out->fd >= 0) {
		out->discard = 1;
		fclose(out->fp);
		close(out->fd);
		if (out->temp)
			unlink(out->temp);
	}
	outfile_release(out);
}
