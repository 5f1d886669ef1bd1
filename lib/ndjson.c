/* ndjson.c - one JSON object per line, read push-style with a line ceiling. */
#include "odl/ndjson.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NDJSON_DEFAULT_MAX (16u << 20)

struct odl_ndjson {
	odl_ndjson_fn fn;
	odl_ndjson_line_fn line_fn;
	void *ctx;
	size_t max_line;
	char *buf;
	size_t len, cap;
	uint64_t line;
	int too_long; /* the current line already passed max_line */
	char name[256];
};

odl_ndjson *odl_ndjson_new(size_t max_line, odl_ndjson_fn fn, void *ctx)
{
	odl_ndjson *nd = calloc(1, sizeof(*nd));

	if (!nd)
		return NULL;
	nd->fn = fn;
	nd->ctx = ctx;
	nd->max_line = max_line ? max_line : NDJSON_DEFAULT_MAX;
	return nd;
}

void odl_ndjson_free(odl_ndjson *nd)
{
	if (!nd)
		return;
	free(nd->buf);
	free(nd);
}

void odl_ndjson_set_line_fn(odl_ndjson *nd, odl_ndjson_line_fn line)
{
	nd->line_fn = line;
}

static int line_fail(odl_ndjson *nd, struct odl_error *err, int code, const char *msg,
		     uint64_t col)
{
	odl_error_at(err, nd->name[0] ? nd->name : NULL, nd->line, col, NULL);
	return odl_fail(err, code, "%s", msg);
}

static int emit_line(odl_ndjson *nd, const char *s, size_t n, struct odl_error *err)
{
	json_error_t jerr;
	json_t *obj;
	size_t i;
	int rc;

	nd->line++;
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == n)
		return ODL_OK;
	rc = nd->line_fn ? nd->line_fn(nd->ctx, s + i, n - i, nd->line) : -1;
	if (rc > 0)
		goto stopped;
	if (rc == 0)
		return ODL_OK;
	obj = json_loadb(s + i, n - i, 0, &jerr);
	if (!obj) {
		char msg[300];
		snprintf(msg, sizeof(msg), "invalid JSON: %s", jerr.text);
		return line_fail(nd, err, ODL_EFORMAT, msg, (uint64_t)jerr.column);
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		return line_fail(nd, err, ODL_EFORMAT, "not a JSON object", 0);
	}
	rc = nd->fn(nd->ctx, obj, nd->line);
	json_decref(obj);
	if (rc) {
stopped:
		odl_error_at(err, nd->name[0] ? nd->name : NULL, nd->line, 0, NULL);
		return odl_fail(err, ODL_ECANCELED, "stopped by the caller");
	}
	return ODL_OK;
}

static int append(odl_ndjson *nd, const char *p, size_t n, struct odl_error *err)
{
	if (nd->too_long || nd->len + n > nd->max_line) {
		nd->too_long = 1;
		return ODL_OK;
	}
	if (nd->len + n > nd->cap) {
		size_t cap = nd->cap ? nd->cap : 4096;
		while (cap < nd->len + n)
			cap *= 2;
		if (cap > nd->max_line)
			cap = nd->max_line;
		char *b = realloc(nd->buf, cap);
		if (!b)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		nd->buf = b;
		nd->cap = cap;
	}
	memcpy(nd->buf + nd->len, p, n);
	nd->len += n;
	return ODL_OK;
}

static int end_line(odl_ndjson *nd, struct odl_error *err)
{
	int rc;

	if (nd->too_long) {
		nd->line++;
		char msg[96];
		snprintf(msg, sizeof(msg), "line longer than %zu bytes", nd->max_line);
		return line_fail(nd, err, ODL_ELIMIT, msg, 0);
	}
	rc = emit_line(nd, nd->buf, nd->len, err);
	nd->len = 0;
	return rc;
}

int odl_ndjson_feed(odl_ndjson *nd, const void *data, size_t len, struct odl_error *err)
{
	const char *p = data, *end = p + len;
	int rc;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return append(nd, p, (size_t)(end - p), err);
		if (nd->len == 0 && !nd->too_long && (size_t)(nl - p) <= nd->max_line) {
			/* whole line in the caller's buffer: no copy (within the
			 * ceiling: a longer line is refused however it is fed) */
			rc = emit_line(nd, p, (size_t)(nl - p), err);
		} else {
			rc = append(nd, p, (size_t)(nl - p), err);
			if (rc == ODL_OK)
				rc = end_line(nd, err);
		}
		if (rc)
			return rc;
		p = nl + 1;
	}
	return ODL_OK;
}

int odl_ndjson_finish(odl_ndjson *nd, struct odl_error *err)
{
	if (nd->len || nd->too_long)
		return end_line(nd, err);
	return ODL_OK;
}

int odl_ndjson_read_path(odl_ndjson *nd, const char *path, struct odl_error *err)
{
	char buf[65536];
	int fd, rc = ODL_OK;
	ssize_t n;

	snprintf(nd->name, sizeof(nd->name), "%s", path);
	fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		odl_error_at(err, path, 0, 0, NULL);
		if (err)
			err->sys_errno = e;
		return odl_fail(err, ODL_EIO, "cannot open: %s", strerror(e));
	}
	while (rc == ODL_OK && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			odl_error_at(err, path, 0, 0, NULL);
			rc = odl_fail(err, ODL_EIO, "cannot read: %s", strerror(e));
			break;
		}
		rc = odl_ndjson_feed(nd, buf, (size_t)n, err);
	}
	if (rc == ODL_OK)
		rc = odl_ndjson_finish(nd, err);
	if (fd > 0)
		close(fd);
	return rc;
}

int odl_ndjson_write(FILE *f, const json_t *obj)
{
	/* one fwrite per line: json_dumpf writes token by token */
	char local[4096], *buf = local;
	size_t n = json_dumpb(obj, local, sizeof(local) - 1, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc = ODL_OK;

	if (n == 0)
		return ODL_EIO;
	if (n > (1u << 20)) {
		/* a report with a million errors: streamed, not copied whole */
		if (json_dumpf(obj, f, JSON_COMPACT | JSON_ENCODE_ANY) != 0 || fputc('\n', f) == EOF)
			return ODL_EIO;
		return ODL_OK;
	}
	if (n > sizeof(local) - 1) {
		if (!(buf = malloc(n + 1)))
			return ODL_ENOMEM;
		if (json_dumpb(obj, buf, n, JSON_COMPACT | JSON_ENCODE_ANY) != n) {
			free(buf);
			return ODL_EIO;
		}
	}
	buf[n] = '\n';
	if (fwrite(buf, 1, n + 1, f) != n + 1)
		rc = ODL_EIO;
	if (buf != local)
		free(buf);
	return rc;
}
