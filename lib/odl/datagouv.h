/*
 * odl/datagouv.h - the data.gouv.fr API v1 (udata) as a stream of resources.
 *
 * Every call walks the API (following next_page until it is null) and hands
 * each resource of each dataset to a callback, with its dataset and
 * organization.  Both shapes of list responses are accepted: the paginated
 * envelope {"data": [...], "next_page": ...} and a bare JSON array; unknown
 * fields are ignored and missing ones are NULL (2017 resources have neither
 * "type" nor "schema").
 *
 *	odl_datagouv *dg = odl_datagouv_new("https://www.data.gouv.fr/api/1", http, &err);
 *	rc = odl_datagouv_org_siret(dg, "21350328700012", on_resource, ctx, &err);
 *	odl_datagouv_free(dg);
 */
#ifndef ODL_DATAGOUV_H
#define ODL_DATAGOUV_H

#include <stddef.h>
#include "../odl.h"
#include "cache.h"
#include "http.h"

#define ODL_DATAGOUV_API "https://www.data.gouv.fr/api/1"
#define ODL_DATAGOUV_SCHEMAS "https://schema.data.gouv.fr/schemas.json"
/* The dataset holding data.gouv.fr's daily catalog exports. */
#define ODL_DATAGOUV_CATALOG "5d13a8b6634f41070a43dff3"

/* All strings borrowed for the callback's duration; NULL when absent. */
struct odl_dg_resource {
	const char *url;
	const char *id, *title, *format, *type, *mime;
	const char *checksum_type, *checksum_value;
	const char *schema_name, *schema_version;
	const char *dataset_id, *dataset_title, *dataset_slug;
	const char *org_id, *org_name, *org_slug, *org_siret;
	const char *last_modified;         /* the resource's, as the API gives it */
	const char *dataset_last_update;   /* the dataset's */
};

/* Organization fields known from elsewhere (an org lookup): used when a
 * dataset's own "organization" object lacks them. */
struct odl_dg_org {
	const char *id, *name, *slug, *siret;
};

typedef int (*odl_dg_resource_fn)(void *ctx, const struct odl_dg_resource *r);
typedef int (*odl_dg_org_fn)(void *ctx, const struct odl_dg_org *o);
typedef int (*odl_dg_schema_fn)(void *ctx, const char *name, const char *version,
				const char *url);

/*
 * Parse one response: a dataset object, an envelope of datasets or a bare
 * array of datasets.  *next_page (may be NULL) receives a malloc'd URL of
 * the next page, or NULL.  source names the response in errors.
 */
ODL_API int odl_datagouv_parse_datasets(const char *json, size_t len, const char *source,
					const struct odl_dg_org *hint, odl_dg_resource_fn fn,
					void *ctx, char **next_page, struct odl_error *err);
/* Same for organizations (one object, an envelope or an array). */
ODL_API int odl_datagouv_parse_orgs(const char *json, size_t len, const char *source,
				    odl_dg_org_fn fn, void *ctx, char **next_page,
				    struct odl_error *err);
/* schema.data.gouv.fr's schemas.json: one call per published version, then
 * one with version "latest" for the schema's own schema_url. */
ODL_API int odl_datagouv_parse_schema_catalog(const char *json, size_t len, const char *source,
					      odl_dg_schema_fn fn, void *ctx,
					      struct odl_error *err);

typedef struct odl_datagouv odl_datagouv;

/* base: the API root, e.g. ODL_DATAGOUV_API; http is borrowed. */
ODL_API odl_datagouv *odl_datagouv_new(const char *base, odl_http *http, struct odl_error *err);
ODL_API void odl_datagouv_free(odl_datagouv *dg);
/*
 * Keep every API response in cache (borrowed) under its URL; with offline
 * set, answer from the cache only (ODL_ENOTFOUND for a page never fetched).
 */
ODL_API void odl_datagouv_cache(odl_datagouv *dg, odl_cache *cache, int offline);
/* Results per page asked for (default 100). */
ODL_API void odl_datagouv_page_size(odl_datagouv *dg, int n);

ODL_API int odl_datagouv_dataset(odl_datagouv *dg, const char *id_or_slug,
				 odl_dg_resource_fn fn, void *ctx, struct odl_error *err);
ODL_API int odl_datagouv_org(odl_datagouv *dg, const char *id_or_slug,
			     odl_dg_resource_fn fn, void *ctx, struct odl_error *err);
/* Organizations whose business_number_id is siret (ODL_ENOTFOUND if none). */
ODL_API int odl_datagouv_org_siret(odl_datagouv *dg, const char *siret,
				   odl_dg_resource_fn fn, void *ctx, struct odl_error *err);
/* Datasets declaring schema name (and version when not NULL); every
 * resource of them is passed on, the caller keeps those it wants. */
ODL_API int odl_datagouv_schema(odl_datagouv *dg, const char *name, const char *version,
				odl_dg_resource_fn fn, void *ctx, struct odl_error *err);
/* GET url (through the engine's retries) and parse it as JSON; *out owned. */
ODL_API int odl_datagouv_get_json(odl_datagouv *dg, const char *url, char **body,
				  size_t *len, struct odl_error *err);

#endif
