/* datagouv.c - parsing udata API v1 responses into resources. */
#include "odl/datagouv.h"
#include "odl/http.h"
#include "error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

static json_t *load(const char *json, size_t len, const char *source, struct odl_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_DECODE_ANY, &je);

	if (!root) {
		odl_error_at(err, source, (uint64_t)(je.line > 0 ? je.line : 0), 0, NULL);
		odl_fail(err, ODL_EFORMAT, "invalid json: %s", je.text);
	}
	return root;
}

/* The next page's URL into *next (NULL at the end); a next_page the
 * remote-URL rule refuses is an error naming the page that gave it, not a
 * silent end of the list. */
static int next_of(json_t *root, const char *source, char **next, struct odl_error *err)
{
	const char *n = json_is_object(root) ? str(root, "next_page") : NULL;
	const char *refused = n ? odl_http_url_refused(n, 0) : NULL;

	*next = NULL;
	if (refused) {
		odl_error_at(err, source, 0, 0, "next_page");
		return odl_fail(err, ODL_EFORMAT, "%s", refused);
	}
	if (n && !(*next = strdup(n)))
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	return ODL_OK;
}

/* The list in a response: the envelope's data, a bare array, or NULL. */
static json_t *items_of(json_t *root)
{
	if (json_is_array(root))
		return root;
	json_t *d = json_object_get(root, "data");
	return json_is_array(d) ? d : NULL;
}

static int each_resource(json_t *ds, const struct odl_dg_org *hint, odl_dg_resource_fn fn, void *ctx)
{
	struct odl_dg_resource r;
	json_t *org = json_object_get(ds, "organization");
	json_t *res = json_object_get(ds, "resources");
	size_t i;
	json_t *v;

	if (!json_is_array(res))
		return 0;
	json_array_foreach(res, i, v) {
		if (!json_is_object(v))
			continue;
		memset(&r, 0, sizeof(r));
		r.url = str(v, "url");
		if (!r.url)
			r.url = str(v, "latest");
		if (!r.url)
			continue;
		r.id = str(v, "id");
		r.title = str(v, "title");
		r.format = str(v, "format");
		r.type = str(v, "type");
		r.mime = str(v, "mime");
		json_t *ck = json_object_get(v, "checksum");
		r.checksum_type = str(ck, "type");
		r.checksum_value = str(ck, "value");
		json_t *sc = json_object_get(v, "schema");
		r.schema_name = str(sc, "name");
		r.schema_version = str(sc, "version");
		r.dataset_id = str(ds, "id");
		r.dataset_title = str(ds, "title");
		r.dataset_slug = str(ds, "slug");
		r.last_modified = str(v, "last_modified");
		r.dataset_last_update = str(ds, "last_update");
		r.org_id = str(org, "id");
		r.org_name = str(org, "name");
		r.org_slug = str(org, "slug");
		r.org_siret = str(org, "business_number_id");
		if (hint && (!r.org_id || (hint->id && strcmp(hint->id, r.org_id) == 0))) {
			if (!r.org_id)
				r.org_id = hint->id;
			if (!r.org_name)
				r.org_name = hint->name;
			if (!r.org_slug)
				r.org_slug = hint->slug;
			if (!r.org_siret)
				r.org_siret = hint->siret;
		}
		int rc = fn(ctx, &r);
		if (rc)
			return rc;
	}
	return 0;
}

int odl_datagouv_parse_datasets(const char *json, size_t len, const char *source,
				const struct odl_dg_org *hint, odl_dg_resource_fn fn,
				void *ctx, char **next_page, struct odl_error *err)
{
	json_t *root = load(json, len, source, err);
	int rc = 0;

	if (next_page)
		*next_page = NULL;
	if (!root)
		return ODL_EFORMAT;
	json_t *items = items_of(root);
	if (items) {
		size_t i;
		json_t *ds;
		json_array_foreach(items, i, ds)
			if (json_is_object(ds) && (rc = each_resource(ds, hint, fn, ctx)))
				break;
	} else if (json_is_object(root) && (json_object_get(root, "resources") || str(root, "id"))) {
		rc = each_resource(root, hint, fn, ctx);
	} else {
		json_decref(root);
		odl_error_at(err, source, 0, 0, NULL);
		return odl_fail(err, ODL_EFORMAT, "not a dataset or a list of datasets");
	}
	if (!rc && next_page && (rc = next_of(root, source, next_page, err)) != ODL_OK) {
		json_decref(root);
		return rc;
	}
	json_decref(root);
	return rc ? odl_fail(err, ODL_ECANCELED, "canceled") : ODL_OK;
}

static int one_org(json_t *o, odl_dg_org_fn fn, void *ctx)
{
	struct odl_dg_org g = { str(o, "id"), str(o, "name"), str(o, "slug"),
				str(o, "business_number_id") };
	return fn(ctx, &g);
}

int odl_datagouv_parse_orgs(const char *json, size_t len, const char *source,
			    odl_dg_org_fn fn, void *ctx, char **next_page, struct odl_error *err)
{
	json_t *root = load(json, len, source, err);
	int rc = 0;

	if (next_page)
		*next_page = NULL;
	if (!root)
		return ODL_EFORMAT;
	json_t *items = items_of(root);
	if (items) {
		size_t i;
		json_t *o;
		json_array_foreach(items, i, o)
			if (json_is_object(o) && (rc = one_org(o, fn, ctx)))
				break;
	} else if (json_is_object(root) && str(root, "id")) {
		rc = one_org(root, fn, ctx);
	} else {
		json_decref(root);
		odl_error_at(err, source, 0, 0, NULL);
		return odl_fail(err, ODL_EFORMAT, "not an organization or a list of organizations");
	}
	if (!rc && next_page && (rc = next_of(root, source, next_page, err)) != ODL_OK) {
		json_decref(root);
		return rc;
	}
	json_decref(root);
	return rc ? odl_fail(err, ODL_ECANCELED, "canceled") : ODL_OK;
}

int odl_datagouv_parse_schema_catalog(const char *json, size_t len, const char *source,
				      odl_dg_schema_fn fn, void *ctx, struct odl_error *err)
{
	json_t *root = load(json, len, source, err);
	size_t i, k;
	json_t *s, *v;
	int rc = 0;

	if (!root)
		return ODL_EFORMAT;
	json_t *list = json_object_get(root, "schemas");
	if (!json_is_array(list)) {
		json_decref(root);
		odl_error_at(err, source, 0, 0, NULL);
		return odl_fail(err, ODL_EFORMAT, "no \"schemas\" list");
	}
	json_array_foreach(list, i, s) {
		const char *name = str(s, "name");
		if (!name)
			continue;
		json_array_foreach(json_object_get(s, "versions"), k, v) {
			const char *ver = str(v, "version_name"), *url = str(v, "schema_url");
			if (ver && url && (rc = fn(ctx, name, ver, url)))
				goto out;
		}
		if (str(s, "schema_url") && (rc = fn(ctx, name, "latest", str(s, "schema_url"))))
			goto out;
	}
out:
	json_decref(root);
	return rc ? odl_fail(err, ODL_ECANCELED, "canceled") : ODL_OK;
}
