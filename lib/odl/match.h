/*
 * odl/match.h - which data.gouv.fr organizations are which collectivités,
 * through the catalog exports.
 *
 * data.gouv.fr publishes daily exports of its catalog (';'-separated,
 * '"'-quoted): organizations, datasets, resources.  An organization's
 * `business_number_id` is its SIRET (14 digits) or, on older ones, its
 * SIREN (9 digits); the first 9 digits of a SIRET are the SIREN, which is
 * what a territory file gives for every commune and EPCI.
 *
 * Three steps, each streaming:
 *   1. territories: odl_match_load_territories() reads a CSV with at least
 *      the columns `code` and `siren` (odl-compare's territory file:
 *      code,name,type,population,siren,epci,dep,reg,agents).  This index is
 *      the only thing kept whole in memory (about 40 bytes per territory);
 *   2. organizations: odl_match_read_organizations() streams the
 *      organizations export and keeps the organizations whose
 *      business_number_id names the SIREN of a territory (id, name,
 *      business_number_id, territory);
 *   3. resources: odl_match_read_resources() streams the resources export
 *      and calls back once per resource of a kept organization.
 * Exports of any size are read in constant memory beyond those two tables.
 * Both tables have a ceiling (options); passing it is ODL_ELIMIT.
 *
 * A business_number_id is read after removing spaces; anything other than
 * 9 or 14 digits matches nothing.  A SIREN met twice in the territory file
 * keeps its first territory.  One territory may have several organizations.
 *
 * Example:
 *
 *	static int on_resource(void *ctx, const struct odl_match_resource *r)
 *	{
 *		printf("%s %s %s\n", r->territory, r->org_name, r->url);
 *		return 0;          // non-zero stops reading (ODL_ECANCELED)
 *	}
 *
 *	odl_match *m = odl_match_new(NULL);
 *	struct odl_error err;
 *	int rc = odl_match_load_territories(m, "territories.csv", &err);
 *	if (!rc) rc = odl_match_read_organizations(m, "export-organization.csv", &err);
 *	if (!rc) rc = odl_match_read_resources(m, "export-resource.csv.gz",
 *					       on_resource, NULL, &err);
 *	odl_match_free(m);
 */
#ifndef ODL_MATCH_H
#define ODL_MATCH_H

#include "../odl.h"

struct odl_match_options {
	size_t max_territories;    /* default 1,000,000 */
	size_t max_organizations;  /* kept (matched) organizations, default 1,000,000 */
	char export_delimiter;     /* of the exports, default ';' (0 = sniff) */
};

/*
 * One resource of a matched organization.  Every string is NUL-terminated
 * and never NULL ("" when the export leaves it empty or lacks the column);
 * all live during the callback only.
 */
struct odl_match_resource {
	const char *territory;       /* territory code ("16015", "200071827") */
	const char *siren;           /* the territory's SIREN */
	const char *org_id;
	const char *org_name;
	const char *org_siret;       /* business_number_id as exported (SIRET or SIREN) */
	const char *dataset_id;
	const char *dataset_title;
	const char *dataset_slug;
	const char *id;              /* resource id */
	const char *title;
	const char *url;
	const char *format;
	const char *type;            /* main, documentation, api, update, code, other */
	const char *checksum_type;   /* "sha1"... */
	const char *checksum_value;
	const char *schema_name;     /* "scdl/subventions" */
	const char *schema_version;  /* "2.1.1" */
	const char *modified;
	uint64_t line;               /* where the resource's record starts in the export */
	const char *org_slug;        /* the organization's slug (names its directory in odl-fetch) */
};

/* Return 0 to go on, non-zero to stop (the read returns ODL_ECANCELED). */
typedef int (*odl_match_fn)(void *ctx, const struct odl_match_resource *res);

/* A kept organization (strings borrowed: valid until the next read or free). */
struct odl_match_org {
	const char *territory;
	char siren[10];
	const char *id;
	const char *name;
	const char *siret;           /* business_number_id as exported */
	const char *slug;            /* "" when the export has no slug column */
};

typedef struct odl_match odl_match;

ODL_API void odl_match_options_init(struct odl_match_options *opt);

/* opt NULL = defaults; NULL when out of memory or options are invalid. */
ODL_API odl_match *odl_match_new(const struct odl_match_options *opt);
ODL_API void odl_match_free(odl_match *m);

/*
 * Add the territories of a CSV file ("-" = stdin; gzip, encodings and
 * delimiter as odl/csv.h).  Needs the columns `code` and `siren`; a row
 * with an empty code or a SIREN that is not 9 digits is an ODL_EFORMAT
 * error naming the line and field; a row whose SIREN is empty (a commune in
 * no EPCI, a région the SIREN table lacks) is skipped and counted in
 * odl_match_without_siren().  May be called several times.
 */
/* Rows skipped for an empty SIREN over every load; *first (may be NULL)
 * receives the first one's code, "" when none. */
ODL_API uint64_t odl_match_without_siren(const odl_match *m, const char **first);

ODL_API int odl_match_load_territories(odl_match *m, const char *path,
				       struct odl_error *err);
/* Add one territory (code, 9-digit SIREN). */
ODL_API int odl_match_add_territory(odl_match *m, const char *code,
				    const char *siren, struct odl_error *err);

/*
 * Read the organizations export (needs the columns `id`, `name`,
 * `business_number_id`; `slug` is taken when present) and keep those
 * matching a territory; replaces the organizations kept by a previous call.
 */
ODL_API int odl_match_read_organizations(odl_match *m, const char *path,
					 struct odl_error *err);

/*
 * Read the resources export (needs `dataset.organization_id` and `id`;
 * the other columns of struct odl_match_resource are taken when present)
 * and call fn for each resource of a kept organization, in file order.
 */
ODL_API int odl_match_read_resources(odl_match *m, const char *path,
				     odl_match_fn fn, void *ctx,
				     struct odl_error *err);

ODL_API size_t odl_match_territory_count(const odl_match *m);
ODL_API size_t odl_match_org_count(const odl_match *m);
/* The i-th kept organization, in export order: 0 or ODL_ENOTFOUND. */
ODL_API int odl_match_org_at(const odl_match *m, size_t i,
			     struct odl_match_org *out);
/* The code of the territory whose SIREN is siren (9 digits), or NULL. */
ODL_API const char *odl_match_territory_of(const odl_match *m, const char *siren);

#endif
