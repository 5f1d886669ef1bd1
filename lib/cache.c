/* cache.c - bodies and validators kept by URL under the cache directory. */
#include "odl/cache.h"
#include "odl/hash.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct odl_cache {
	char *dir;
};

static int io_fail(struct odl_error *err, const char *path, const char *what, int e)
{
	odl_error_at(err, path, 0, 0, NULL);
	if (err)
		err->sys_errno = e;
	return odl_fail(err, ODL_EIO, "%s: %s", what, strerror(e));
}

int odl_mkdirs_for(const char *path, struct odl_error *err)
{
	char buf[ODL_CACHE_PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return odl_fail(err, ODL_ELIMIT, "path too long");
	memcpy(buf, path, n + 1);
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return ODL_OK;
	*slash = 0;
	struct stat st;
	if (stat(buf, &st) == 0)
		return S_ISDIR(st.st_mode) ? ODL_OK : io_fail(err, buf, "cannot create directory", ENOTDIR);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return io_fail(err, buf, "cannot create directory", errno);
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return io_fail(err, buf, "cannot create directory", errno);
	return ODL_OK;
}

odl_cache *odl_cache_new(const char *dir, struct odl_error *err)
{
	char def[ODL_CACHE_PATH_MAX];
	odl_cache *c;

	if (!dir || !*dir) {
		const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
		if (xdg && *xdg == '/')
			snprintf(def, sizeof(def), "%s/odl", xdg);
		else if (home && *home)
			snprintf(def, sizeof(def), "%s/.cache/odl", home);
		else {
			odl_fail(err, ODL_EINVAL, "no cache directory: set XDG_CACHE_HOME or HOME");
			return NULL;
		}
		dir = def;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->dir = strdup(dir))) {
		free(c);
		odl_fail(err, ODL_ENOMEM, "out of memory");
		return NULL;
	}
	char probe[ODL_CACHE_PATH_MAX];
	snprintf(probe, sizeof(probe), "%s/data/x", c->dir);
	if (odl_mkdirs_for(probe, err) != ODL_OK) {
		odl_cache_free(c);
		return NULL;
	}
	return c;
}

void odl_cache_free(odl_cache *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c);
}

const char *odl_cache_dir(const odl_cache *c)
{
	return c->dir;
}

static void body_path(odl_cache *c, const char *url, char *path, size_t cap)
{
	char hex[ODL_HASH_HEX_MAX];
	odl_hash *h = odl_hash_new(ODL_HASH_SHA256);

	if (h) {
		odl_hash_update(h, url, strlen(url));
		odl_hash_final_hex(h, hex);
		odl_hash_free(h);
	} else {
		snprintf(hex, sizeof(hex), "00");
	}
	snprintf(path, cap, "%s/data/%.2s/%s", c->dir, hex, hex);
}

int odl_cache_path(odl_cache *c, const char *url, char *path, size_t cap, struct odl_error *err)
{
	if (cap < strlen(c->dir) + 80)
		return odl_fail(err, ODL_ELIMIT, "cache path too long");
	body_path(c, url, path, cap);
	return odl_mkdirs_for(path, err);
}

static void copy_str(char *dst, size_t cap, json_t *v)
{
	const char *s = json_string_value(v);
	snprintf(dst, cap, "%s", s ? s : "");
}

int odl_cache_lookup(odl_cache *c, const char *url, struct odl_cache_meta *m,
		     char *path, size_t cap)
{
	char meta[ODL_CACHE_PATH_MAX + 8];
	struct stat st;

	memset(m, 0, sizeof(*m));
	if (cap < strlen(c->dir) + 80)
		return ODL_ELIMIT;
	body_path(c, url, path, cap);
	snprintf(meta, sizeof(meta), "%s.json", path);
	if (stat(path, &st) != 0)
		return ODL_ENOTFOUND;
	json_t *j = json_load_file(meta, 0, NULL);
	const char *u = json_string_value(json_object_get(j, "url"));
	if (!j || !u || strcmp(u, url) != 0) {
		/* a body without its metadata (or for another URL) is not trusted */
		json_decref(j);
		return ODL_ENOTFOUND;
	}
	copy_str(m->etag, sizeof(m->etag), json_object_get(j, "etag"));
	copy_str(m->last_modified, sizeof(m->last_modified), json_object_get(j, "last_modified"));
	copy_str(m->content_type, sizeof(m->content_type), json_object_get(j, "content_type"));
	copy_str(m->sha256, sizeof(m->sha256), json_object_get(j, "sha256"));
	copy_str(m->sha1, sizeof(m->sha1), json_object_get(j, "sha1"));
	copy_str(m->final_url, sizeof(m->final_url), json_object_get(j, "final_url"));
	m->bytes = (uint64_t)st.st_size;
	json_decref(j);
	return ODL_OK;
}

int odl_cache_store_meta(odl_cache *c, const char *url, const struct odl_cache_meta *m,
			 struct odl_error *err)
{
	char path[ODL_CACHE_PATH_MAX], meta[ODL_CACHE_PATH_MAX + 8], tmp[ODL_CACHE_PATH_MAX + 32];

	body_path(c, url, path, sizeof(path));
	snprintf(meta, sizeof(meta), "%s.json", path);
	snprintf(tmp, sizeof(tmp), "%s.json.tmp.%ld", path, (long)getpid());
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "url", url, "etag", m->etag,
			      "last_modified", m->last_modified, "content_type", m->content_type,
			      "sha256", m->sha256, "sha1", m->sha1, "final_url", m->final_url,
			      "bytes", (json_int_t)m->bytes);
	if (!j)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	/*
	 * Renamed but not fsynced: metadata lost in a crash only costs a new
	 * download (a body without valid metadata is not trusted), while an
	 * fsync per file halves the rate of small downloads.
	 */
	int rc = json_dump_file(j, tmp, JSON_COMPACT);
	json_decref(j);
	if (rc != 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return io_fail(err, meta, "cannot write", e);
	}
	if (rename(tmp, meta) != 0) {
		int e = errno;
		unlink(tmp);
		return io_fail(err, meta, "cannot write", e);
	}
	return ODL_OK;
}

static int copy_into(const char *src, int out, const char *dest, struct odl_error *err)
{
	char buf[65536];
	ssize_t r;
	int in = open(src, O_RDONLY);

	if (in < 0)
		return io_fail(err, src, "cannot open", errno);
	while ((r = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				int e = errno;
				close(in);
				return io_fail(err, dest, "cannot write", e);
			}
			off += w;
		}
	}
	int e = r < 0 ? errno : 0;
	close(in);
	if (e)
		return io_fail(err, src, "cannot read", e);
	if (fsync(out) != 0)
		return io_fail(err, dest, "cannot write", errno);
	return ODL_OK;
}

int odl_file_place(const char *src, const char *dest, struct odl_error *err)
{
	char tmp[ODL_CACHE_PATH_MAX + 32];
	struct stat a, b;
	int rc;

	if (stat(src, &a) == 0 && stat(dest, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return ODL_OK;
	if ((rc = odl_mkdirs_for(dest, err)) != ODL_OK)
		return rc;
	if (strlen(dest) + 20 > sizeof(tmp))
		return odl_fail(err, ODL_ELIMIT, "path too long");
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", dest);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return io_fail(err, dest, "cannot create", errno);
	close(fd);
	unlink(tmp);
	if (link(src, tmp) != 0) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0)
			return io_fail(err, dest, "cannot create", errno);
		rc = copy_into(src, fd, dest, err);
		if (close(fd) != 0 && rc == ODL_OK)
			rc = io_fail(err, dest, "cannot write", errno);
		if (rc != ODL_OK) {
			unlink(tmp);
			return rc;
		}
	}
	if (rename(tmp, dest) != 0) {
		int e = errno;
		unlink(tmp);
		return io_fail(err, dest, "cannot write", e);
	}
	return ODL_OK;
}
