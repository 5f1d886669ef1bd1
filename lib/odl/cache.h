/*
 * odl/cache.h - downloaded files kept by URL, with their validators.
 *
 * The cache lives in $XDG_CACHE_HOME/odl (else ~/.cache/odl) or a given
 * directory.  A URL's body is data/XX/<sha256 of the URL>, its metadata
 * (URL, ETag, Last-Modified, Content-Type, size, digests) the same name
 * plus ".json".  Both are written atomically (temporary + fsync + rename),
 * so the cache never holds a half-written entry; a ".part" beside a body is
 * an interrupted download odl_http resumes.
 *
 *	odl_cache *c = odl_cache_new(NULL, &err);
 *	char body[ODL_CACHE_PATH_MAX];
 *	struct odl_cache_meta m;
 *	if (odl_cache_lookup(c, url, &m, body, sizeof(body)) == ODL_OK)
 *		... body is a complete earlier download, m.etag its validator
 */
#ifndef ODL_CACHE_H
#define ODL_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "../odl.h"

#define ODL_CACHE_PATH_MAX 4096

struct odl_cache_meta {
	char etag[256];
	char last_modified[64];
	char content_type[128];
	char sha256[65];
	char sha1[65];
	char final_url[2048];  /* where redirects led, "" when unknown */
	uint64_t bytes;
};

typedef struct odl_cache odl_cache;

/* dir NULL = the default place; the directory is created if needed. */
ODL_API odl_cache *odl_cache_new(const char *dir, struct odl_error *err);
ODL_API void odl_cache_free(odl_cache *c);
ODL_API const char *odl_cache_dir(const odl_cache *c);
/* Where url's body is (or would be) stored; its directory is created. */
ODL_API int odl_cache_path(odl_cache *c, const char *url, char *path, size_t cap,
			   struct odl_error *err);
/* ODL_OK and the body's path when url has a complete entry, else ODL_ENOTFOUND. */
ODL_API int odl_cache_lookup(odl_cache *c, const char *url, struct odl_cache_meta *m,
			     char *path, size_t cap);
ODL_API int odl_cache_store_meta(odl_cache *c, const char *url,
				 const struct odl_cache_meta *m, struct odl_error *err);

/* Create every missing directory of path's parent. */
ODL_API int odl_mkdirs_for(const char *path, struct odl_error *err);
/*
 * Make dest hold the same bytes as src, atomically: a hard link when both
 * are on one file system (no copy), else a copy; written to a temporary
 * beside dest, then renamed.  Missing parent directories are created.
 */
ODL_API int odl_file_place(const char *src, const char *dest, struct odl_error *err);

#endif
