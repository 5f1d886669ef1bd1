/* schema_resolve.c - "scdl/subventions@2.1.1" to a schema file path. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "odl/cache.h"
#include "odl/http.h"
#include "odl/schema.h"
#include "error.h"

/* A schema file is small: a larger body is not a schema. */
#define SCHEMA_MAX_BYTES (16u << 20)

struct fetched {
	struct odl_http_result res;
	int done;
};

static int on_fetched(void *ctx, const struct odl_http_result *res)
{
	struct fetched *f = ctx;
	f->res = *res;
	f->res.effective_url = NULL;
	f->res.body = NULL;
	f->done = 1;
	return 0;
}

/*
 * A schema named by URL is downloaded into odl's cache (the one odl-fetch
 * uses), revalidated with its ETag or Last-Modified on later runs, and
 * taken from the cache when the network fails, so validation works offline
 * once a schema has been seen.
 */
static int resolve_url(const char *url, char *path, size_t path_size, struct odl_error *err)
{
	struct odl_http_options ho;
	struct odl_cache_meta meta;
	struct fetched f;
	char body[ODL_CACHE_PATH_MAX];
	odl_cache *cache;
	odl_http *http;
	int cached, rc;

	odl_error_at(err, url, 0, 0, NULL);
	cache = odl_cache_new(NULL, err);
	if (!cache)
		return err && err->code ? err->code : ODL_ENOMEM;
	memset(&meta, 0, sizeof(meta));
	cached = odl_cache_lookup(cache, url, &meta, body, sizeof(body)) == ODL_OK;
	if (!cached && (rc = odl_cache_path(cache, url, body, sizeof(body), err)) != ODL_OK) {
		odl_cache_free(cache);
		return rc;
	}
	odl_http_options_init(&ho);
	ho.max_size = SCHEMA_MAX_BYTES;
	ho.timeout_ms = 60000;
	ho.retries = 2;
	ho.rate = 0;
	http = odl_http_new(&ho, err);
	if (!http) {
		odl_cache_free(cache);
		return err && err->code ? err->code : ODL_ENOMEM;
	}
	struct odl_http_request rq = {
		.url = url, .path = body,
		.etag = cached && meta.etag[0] ? meta.etag : NULL,
		.last_modified = cached && meta.last_modified[0] ? meta.last_modified : NULL,
	};
	memset(&f, 0, sizeof(f));
	rc = odl_http_add(http, &rq, err);
	if (rc == ODL_OK)
		rc = odl_http_run(http, on_fetched, &f, err);
	odl_http_free(http);
	if (rc == ODL_OK && f.done && f.res.status == ODL_OK) {
		if (!f.res.not_modified) {
			struct odl_cache_meta m;
			memset(&m, 0, sizeof(m));
			snprintf(m.etag, sizeof(m.etag), "%s", f.res.etag);
			snprintf(m.last_modified, sizeof(m.last_modified), "%s", f.res.last_modified);
			snprintf(m.content_type, sizeof(m.content_type), "%s", f.res.content_type);
			snprintf(m.sha256, sizeof(m.sha256), "%s", f.res.sha256);
			snprintf(m.sha1, sizeof(m.sha1), "%s", f.res.sha1);
			m.bytes = f.res.bytes;
			rc = odl_cache_store_meta(cache, url, &m, err);
		}
	} else if (cached) {
		rc = ODL_OK; /* the network failed: the copy seen before will do */
	} else if (rc == ODL_OK) {
		rc = odl_fail(err, f.res.status ? f.res.status : ODL_ENET, "cannot download the schema: %s",
			      f.res.message[0] ? f.res.message : "no answer");
	}
	odl_cache_free(cache);
	if (rc == ODL_OK && (size_t)snprintf(path, path_size, "%s", body) >= path_size)
		rc = odl_fail(err, ODL_ELIMIT, "path too long");
	return rc;
}

int odl_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a || eb == b) {
			int c = strcmp(a, b);
			return c < 0 ? -1 : c > 0;
		}
		a = ea;
		b = eb;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && *b)
			return -1;
		if (*a && !*b)
			return 1;
	}
	return 0;
}

static int name_ok(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return s[0] != '.';
}

int odl_schema_resolve(const char *ref, const char *data_dir,
		       char *path, size_t path_size, struct odl_error *err)
{
	struct stat st;
	const char *slash, *at;
	char dir[4096], best[256] = "", avail[256] = "";
	DIR *d;
	struct dirent *e;

	if (strncasecmp(ref, "http://", 7) == 0 || strncasecmp(ref, "https://", 8) == 0)
		return resolve_url(ref, path, path_size, err);
	int exists = stat(ref, &st) == 0;
	if (exists && S_ISREG(st.st_mode)) {
		if ((size_t)snprintf(path, path_size, "%s", ref) >= path_size)
			return odl_fail(err, ODL_ELIMIT, "path too long");
		return ODL_OK;
	}
	slash = strchr(ref, '/');
	at = strchr(ref, '@');
	if (!slash || strchr(slash + 1, '/') || !name_ok(ref, (size_t)(slash - ref)) ||
	    !name_ok(slash + 1, (size_t)((at ? at : ref + strlen(ref)) - slash - 1)) ||
	    (at && !name_ok(at + 1, strlen(at + 1)))) {
		odl_error_at(err, ref, 0, 0, NULL);
		/* a directory, a device or a FIFO: say so rather than "no such file" */
		if (exists)
			return odl_fail(err, ODL_EINVAL, "not a schema file: %s",
					S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		return odl_fail(err, ODL_ENOTFOUND, "no such schema file, and not a name like scdl/subventions[@2.1.1]");
	}
	snprintf(dir, sizeof(dir), "%s/schemas/%.*s", data_dir, (int)((at ? at : ref + strlen(ref)) - ref), ref);
	d = opendir(dir);
	if (!d) {
		odl_error_at(err, ref, 0, 0, NULL);
		return odl_fail(err, ODL_ENOTFOUND, "unknown schema (no directory %s)", dir);
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0 || l - 5 >= sizeof(best))
			continue;
		char v[256];
		memcpy(v, e->d_name, l - 5);
		v[l - 5] = 0;
		if (strlen(avail) + l < sizeof(avail) - 8) {
			if (*avail)
				strcat(avail, ", ");
			strcat(avail, v);
		}
		if (at ? strcmp(v, at + 1) == 0 : (!*best || odl_version_compare(v, best) > 0))
			snprintf(best, sizeof(best), "%s", v);
	}
	closedir(d);
	if (!*best) {
		odl_error_at(err, ref, 0, 0, NULL);
		return odl_fail(err, ODL_ENOTFOUND, "no such version (available: %s)", *avail ? avail : "none");
	}
	if ((size_t)snprintf(path, path_size, "%s/%s.json", dir, best) >= path_size)
		return odl_fail(err, ODL_ELIMIT, "path too long");
	return ODL_OK;
}
