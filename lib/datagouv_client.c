/* datagouv_client.c - walking the udata API v1 over odl_http. */
#include "odl/datagouv.h"
#include "error.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A runaway next_page chain stops here (10,000 results / 1 per page). */
#define MAX_PAGES 10000

struct odl_datagouv {
	char *base;
	odl_http *http;
	int page_size;
	odl_cache *cache;
	int offline;
};

/* API responses are JSON pages, never this large. */
#define MAX_RESPONSE (256u << 20)

odl_datagouv *odl_datagouv_new(const char *base, odl_http *http, struct odl_error *err)
{
	odl_datagouv *dg = calloc(1, sizeof(*dg));

	if (!dg || !(dg->base = strdup(base && *base ? base : ODL_DATAGOUV_API))) {
		free(dg);
		odl_fail(err, ODL_ENOMEM, "out of memory");
		return NULL;
	}
	size_t n = strlen(dg->base);
	while (n && dg->base[n - 1] == '/')
		dg->base[--n] = 0;
	dg->http = http;
	dg->page_size = 100;
	return dg;
}

void odl_datagouv_free(odl_datagouv *dg)
{
	if (!dg)
		return;
	free(dg->base);
	free(dg);
}

void odl_datagouv_cache(odl_datagouv *dg, odl_cache *cache, int offline)
{
	dg->cache = cache;
	dg->offline = offline;
}

static int read_cached(odl_datagouv *dg, const char *url, char **body, size_t *len,
		       struct odl_error *err)
{
	char path[ODL_CACHE_PATH_MAX];
	struct odl_cache_meta m;

	if (odl_cache_lookup(dg->cache, url, &m, path, sizeof(path)) != ODL_OK)
		return odl_fail(err, ODL_ENOTFOUND, "not in the cache (offline)");
	if (m.bytes > MAX_RESPONSE)
		return odl_fail(err, ODL_ELIMIT, "cached response too large");
	FILE *f = fopen(path, "rb");
	if (!f)
		return odl_fail(err, ODL_ENOTFOUND, "not in the cache (offline)");
	*body = malloc((size_t)m.bytes + 1);
	if (!*body) {
		fclose(f);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	*len = fread(*body, 1, (size_t)m.bytes, f);
	(*body)[*len] = 0;
	fclose(f);
	return ODL_OK;
}

/* Best effort: a response that cannot be kept is still used. */
static void keep_response(odl_datagouv *dg, const char *url, const char *body, size_t len)
{
	char path[ODL_CACHE_PATH_MAX], tmp[ODL_CACHE_PATH_MAX + 16];
	struct odl_cache_meta m;

	if (odl_cache_path(dg->cache, url, path, sizeof(path), NULL) != ODL_OK)
		return;
	snprintf(tmp, sizeof(tmp), "%s.api", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return;
	int ok = fwrite(body, 1, len, f) == len;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return;
	}
	memset(&m, 0, sizeof(m));
	snprintf(m.content_type, sizeof(m.content_type), "application/json");
	m.bytes = len;
	odl_cache_store_meta(dg->cache, url, &m, NULL);
}

void odl_datagouv_page_size(odl_datagouv *dg, int n)
{
	dg->page_size = n > 0 ? n : 100;
}

/* base + pre + escaped a + mid + escaped b + post, then "page_size=N" when page is set. */
static char *api_url(odl_datagouv *dg, const char *pre, const char *a, const char *mid,
		     const char *b, const char *post, int page)
{
	char *ea = a ? curl_easy_escape(NULL, a, 0) : NULL;
	char *eb = b ? curl_easy_escape(NULL, b, 0) : NULL;
	size_t n = strlen(dg->base) + strlen(pre) + strlen(mid) + strlen(post) +
		   (ea ? strlen(ea) : 0) + (eb ? strlen(eb) : 0) + 32;
	char *url = malloc(n);
	if (url) {
		int k = snprintf(url, n, "%s%s%s%s%s%s", dg->base, pre, ea ? ea : "", mid,
				 eb ? eb : "", post);
		if (page)
			snprintf(url + k, n - (size_t)k, "page_size=%d", dg->page_size);
	}
	curl_free(ea);
	curl_free(eb);
	return url;
}

int odl_datagouv_get_json(odl_datagouv *dg, const char *url, char **body, size_t *len,
			  struct odl_error *err)
{
	struct odl_http_result r;

	*body = NULL;
	*len = 0;
	if (dg->cache && dg->offline) {
		odl_error_at(err, url, 0, 0, NULL);
		return read_cached(dg, url, body, len, err);
	}
	odl_http_get(dg->http, url, &r);
	odl_error_at(err, url, 0, 0, NULL);
	if (r.status != ODL_OK) {
		int code = r.http_status == 404 || r.http_status == 410 ? ODL_ENOTFOUND : r.status;
		const char *msg = NULL;
		json_t *j = r.body ? json_loads(r.body, 0, NULL) : NULL;
		msg = json_string_value(json_object_get(j, "message"));
		if (r.http_status)
			odl_fail(err, code, "http status %ld%s%.200s", r.http_status, msg ? ": " : "",
				 msg ? msg : "");
		else
			odl_fail(err, code, "%s", r.message);
		json_decref(j);
		return code;
	}
	*body = malloc(r.body_len + 1);
	if (!*body)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	memcpy(*body, r.body, r.body_len + 1);
	*len = r.body_len;
	if (dg->cache)
		keep_response(dg, url, *body, *len);
	return ODL_OK;
}

/* Walk a paginated dataset list from url. */
static int walk_datasets(odl_datagouv *dg, char *url, const struct odl_dg_org *hint,
			 odl_dg_resource_fn fn, void *ctx, struct odl_error *err)
{
	int rc = ODL_OK;

	for (int page = 0; url && page < MAX_PAGES; page++) {
		char *body, *next = NULL;
		size_t len;
		rc = odl_datagouv_get_json(dg, url, &body, &len, err);
		if (rc == ODL_OK)
			rc = odl_datagouv_parse_datasets(body, len, url, hint, fn, ctx, &next, err);
		free(body);
		if (next && strcmp(next, url) == 0) {
			free(next); /* a page pointing at itself would never end */
			next = NULL;
		}
		free(url);
		url = next;
		if (rc != ODL_OK)
			break;
	}
	free(url);
	return rc;
}

int odl_datagouv_dataset(odl_datagouv *dg, const char *id, odl_dg_resource_fn fn, void *ctx,
			 struct odl_error *err)
{
	char *url = api_url(dg, "/datasets/", id, "/", NULL, "", 0);
	if (!url)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	return walk_datasets(dg, url, NULL, fn, ctx, err);
}

struct org_copy {
	char *id, *name, *slug, *siret;
	int n;
};

static int keep_org(void *ctx, const struct odl_dg_org *o)
{
	struct org_copy *c = ctx;
	if (c->n++)
		return 0;
	c->id = o->id ? strdup(o->id) : NULL;
	c->name = o->name ? strdup(o->name) : NULL;
	c->slug = o->slug ? strdup(o->slug) : NULL;
	c->siret = o->siret ? strdup(o->siret) : NULL;
	return 0;
}

static void org_copy_free(struct org_copy *c)
{
	free(c->id);
	free(c->name);
	free(c->slug);
	free(c->siret);
	memset(c, 0, sizeof(*c));
}

static int org_datasets(odl_datagouv *dg, const struct org_copy *o, const char *key,
			odl_dg_resource_fn fn, void *ctx, struct odl_error *err)
{
	struct odl_dg_org hint = { o->id, o->name, o->slug, o->siret };
	char *url = api_url(dg, "/organizations/", o->id ? o->id : key, "/datasets/", NULL, "?", 1);
	if (!url)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	return walk_datasets(dg, url, &hint, fn, ctx, err);
}

int odl_datagouv_org(odl_datagouv *dg, const char *id, odl_dg_resource_fn fn, void *ctx,
		     struct odl_error *err)
{
	struct org_copy o = { 0 };
	char *url = api_url(dg, "/organizations/", id, "/", NULL, "", 0), *body = NULL;
	size_t len;
	int rc;

	if (!url)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	rc = odl_datagouv_get_json(dg, url, &body, &len, err);
	if (rc == ODL_OK)
		rc = odl_datagouv_parse_orgs(body, len, url, keep_org, &o, NULL, err);
	free(body);
	free(url);
	if (rc == ODL_OK)
		rc = org_datasets(dg, &o, id, fn, ctx, err);
	org_copy_free(&o);
	return rc;
}

struct org_list {
	struct org_copy *v;
	size_t n, cap;
};

static int add_org(void *ctx, const struct odl_dg_org *o)
{
	struct org_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct org_copy *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	keep_org(&l->v[l->n++], o);
	return 0;
}

int odl_datagouv_org_siret(odl_datagouv *dg, const char *siret, odl_dg_resource_fn fn,
			   void *ctx, struct odl_error *err)
{
	struct org_list l = { 0 };
	char *url = api_url(dg, "/organizations/?business_number_id=", siret, "", NULL, "&", 1);
	int rc = ODL_OK;

	for (int page = 0; url && page < MAX_PAGES && rc == ODL_OK; page++) {
		char *body, *next = NULL;
		size_t len;
		rc = odl_datagouv_get_json(dg, url, &body, &len, err);
		if (rc == ODL_OK)
			rc = odl_datagouv_parse_orgs(body, len, url, add_org, &l, &next, err);
		free(body);
		free(url);
		url = next;
	}
	free(url);
	if (rc == ODL_OK && l.n == 0) {
		odl_error_at(err, siret, 0, 0, NULL);
		rc = odl_fail(err, ODL_ENOTFOUND, "no organization with this siret");
	}
	/*
	 * The API filters by SIRET; a server that ignores the argument (a
	 * mirror, a static copy) would hand every organization over, so an
	 * organization declaring another SIRET is dropped here too.
	 */
	size_t kept = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].siret && strcmp(l.v[i].siret, siret) != 0) {
			org_copy_free(&l.v[i]);
			continue;
		}
		if (!l.v[i].siret)
			l.v[i].siret = strdup(siret);
		if (rc == ODL_OK)
			rc = org_datasets(dg, &l.v[i], siret, fn, ctx, err);
		kept++;
		org_copy_free(&l.v[i]);
	}
	if (rc == ODL_OK && l.n && !kept) {
		odl_error_at(err, siret, 0, 0, NULL);
		rc = odl_fail(err, ODL_ENOTFOUND, "no organization with this siret");
	}
	free(l.v);
	return rc;
}

int odl_datagouv_schema(odl_datagouv *dg, const char *name, const char *version,
			odl_dg_resource_fn fn, void *ctx, struct odl_error *err)
{
	char *url = version ? api_url(dg, "/datasets/?schema=", name, "&schema_version=", version, "&", 1)
			    : api_url(dg, "/datasets/?schema=", name, "", NULL, "&", 1);
	if (!url)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	return walk_datasets(dg, url, NULL, fn, ctx, err);
}
