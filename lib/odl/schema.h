/*
 * odl/schema.h - Table Schema (Frictionless v1, plus v2 fieldsMatch) and
 * SCDL schemas, loaded once and compiled into flat arrays.
 *
 * A schema is read from a JSON file (or text) with jansson, checked and
 * compiled: field types and formats, missingValues, constraints (patterns
 * compiled with PCRE2 + JIT, frictionless anchoring), primaryKey, unique,
 * foreignKeys that point at the same file, and Validata's custom_checks.
 * A malformed schema is ODL_ESCHEMA with a message naming the key, e.g.
 *   fields[3].constraints.pattern: missing ) at offset 7
 *
 * A compiled schema is read-only: several validators (threads) may share it.
 *
 * Example:
 *
 *	odl_schema *s;
 *	struct odl_error err;
 *	if (odl_schema_load_path("subventions.json", &s, &err) != ODL_OK)
 *		fprintf(stderr, "%s: %s\n", err.file, err.message);
 *	printf("%s %s: %zu fields\n", odl_schema_name(s),
 *	       odl_schema_version(s), odl_schema_nfields(s));
 *	odl_schema_free(s);
 */
#ifndef ODL_SCHEMA_H
#define ODL_SCHEMA_H

#include "../odl.h"

typedef struct odl_schema odl_schema;

/* How file columns are matched to schema fields. */
enum odl_fields_match {
	ODL_MATCH_DEFAULT = 0, /* the schema's fieldsMatch, else ODL_MATCH_VALIDATA */
	ODL_MATCH_VALIDATA,    /* by name; missing required column = error;
				  missing optional, extra, reordered = warnings */
	ODL_MATCH_EXACT,       /* by position (frictionless default) */
	ODL_MATCH_EQUAL,       /* by name, same set of columns */
	ODL_MATCH_SUBSET,      /* by name, extra columns allowed */
	ODL_MATCH_SUPERSET,    /* by name, optional columns may be absent */
	ODL_MATCH_PARTIAL      /* by name, both */
};

/* "exact"... to the enum (ODL_EINVAL for an unknown name); "validata" too. */
ODL_API int odl_fields_match_parse(const char *name, enum odl_fields_match *out);
ODL_API const char *odl_fields_match_name(enum odl_fields_match m);

/* Load a schema file; errors name the file and the JSON key. */
ODL_API int odl_schema_load_path(const char *path, odl_schema **out, struct odl_error *err);
/* Load from text; name is used in errors. */
ODL_API int odl_schema_load_text(const char *text, size_t len, const char *name,
				 odl_schema **out, struct odl_error *err);
ODL_API void odl_schema_free(odl_schema *s);

ODL_API size_t odl_schema_nfields(const odl_schema *s);
ODL_API const char *odl_schema_field_name(const odl_schema *s, size_t i);
ODL_API int odl_schema_field_required(const odl_schema *s, size_t i);
/* The schema's "name" / "version" ("" when absent). */
ODL_API const char *odl_schema_name(const odl_schema *s);
ODL_API const char *odl_schema_version(const odl_schema *s);
/* SHA-256 of the schema file's bytes, 64 lowercase hex digits. */
ODL_API const char *odl_schema_sha256(const odl_schema *s);
/* The schema's own fieldsMatch, or ODL_MATCH_DEFAULT when it has none. */
ODL_API enum odl_fields_match odl_schema_fields_match(const odl_schema *s);
/* Number of custom checks compiled. */
ODL_API size_t odl_schema_ncustom_checks(const odl_schema *s);

/*
 * What frictionless-py reports about the schema itself before it reads any
 * data.  Each field's "example" is read with the field's own type and
 * format (and, for booleans, its trueValues/falseValues; not its
 * constraints, decimalChar or arrayItem, as frictionless 5.19 builds the
 * example's field from the type and format only): one that does not read
 * is a "field-error" noted
 *   example value "2018/08/08, 2015/12/30" for field "date" is not valid
 * and a "required" outside "constraints" is one too.  A file validated
 * against a schema with problems is invalid: the reference reports them
 * and reads no data.  Strings belong to the schema.
 */
struct odl_schema_problem {
	const char *code;       /* "field-error" or "schema-error" */
	const char *field;      /* the field's name, "" for the schema */
	size_t field_number;    /* 1-based position in "fields", 0 for the schema */
	const char *note;       /* frictionless's note */
	const char *message;    /* "Field is not valid: " + note */
	const char *message_fr; /* the same in French, NULL when not translated */
};
ODL_API size_t odl_schema_nproblems(const odl_schema *s);
/* NULL when i >= odl_schema_nproblems(s). */
ODL_API const struct odl_schema_problem *odl_schema_problem(const odl_schema *s, size_t i);

/*
 * Resolve a schema reference to a file path:
 *   "scdl/subventions"        -> <data_dir>/schemas/scdl/subventions/<latest>.json
 *   "scdl/subventions@2.1.1"  -> <data_dir>/schemas/scdl/subventions/2.1.1.json
 *   anything containing '/' or ending in ".json" that exists -> itself
 * Latest is the highest version (numeric comparison of dotted parts).
 * An http(s) URL is downloaded into the cache shared with odl-fetch
 * ($XDG_CACHE_HOME/odl), revalidated on later calls and taken from there
 * when the network fails; an unknown name or version
 * ODL_ENOTFOUND with the versions available in the message.
 */
ODL_API int odl_schema_resolve(const char *ref, const char *data_dir,
			       char *path, size_t path_size, struct odl_error *err);

/*
 * Every published version, offline.  `odl-fetch schemas` caches the
 * schema.data.gouv.fr catalogue (catalog_url NULL: $ODL_SCHEMAS_URL, else
 * ODL_DATAGOUV_SCHEMAS) and every file it lists, by URL; this calls fn
 * with each listed version whose file is in the cache (cache_dir NULL: the
 * default one, $XDG_CACHE_HOME/odl, never created here).  ODL_ENOTFOUND
 * when the catalogue is not cached; fn returning non-zero stops the walk
 * (ODL_ECANCELED).
 */
typedef int (*odl_schema_version_fn)(void *ctx, const char *name, const char *version,
				     const char *path);
ODL_API int odl_schema_cached_versions(const char *catalog_url, const char *cache_dir,
				       odl_schema_version_fn fn, void *ctx, struct odl_error *err);
/* The catalogue's URL: $ODL_SCHEMAS_URL, else ODL_DATAGOUV_SCHEMAS. */
ODL_API const char *odl_schema_catalog_url(void);
/*
 * odl_schema_resolve(), then for "scdl/NAME@VERSION" a version that odl
 * does not ship, or "scdl/NAME" that it does not ship at all (the highest
 * cached version), from the cache above; the error then says which
 * versions are cached, or how to cache them.
 */
ODL_API int odl_schema_resolve_any(const char *ref, const char *data_dir, char *path,
				   size_t path_size, struct odl_error *err);

/*
 * Where detection looks: every <data_dir>/schemas/ORG/NAME/VERSION.json odl
 * ships, then every cached version (above) of a schema of those
 * organisations ("scdl/..."); a version both ship and cache is listed once,
 * from odl.  *have_cache says whether the catalogue is cached.  *out (n
 * items, unordered) belongs to the caller: free() it.
 */
struct odl_schema_candidate {
	char name[192];    /* "scdl/subventions" */
	char version[64];  /* "2.1.1" */
	char path[4096];
	int cached;        /* 1: from the cache, 0: shipped */
};
ODL_API int odl_schema_candidates(const char *data_dir, struct odl_schema_candidate **out, size_t *n,
				  int *have_cache, struct odl_error *err);

/* How a header compares with a schema's field names (exact, case-sensitive). */
struct odl_header_match {
	size_t matched;   /* labels that name a field */
	size_t in_place;  /* of those, at the field's position */
	double score;     /* matched / (fields + labels - matched), 0..1 */
};
ODL_API void odl_header_compare(const odl_schema *s, const char *const *labels, size_t nlabels,
				struct odl_header_match *m);
/*
 * What a header made under the version `from` lacks to follow `latest`:
 * "a, b" in missing (fields of latest the header does not have) and
 * "OLD -> NEW, ..." in renamed (a label standing for a field of latest,
 * the same name written otherwise or the field at the same position in
 * `from`); returns how many fields of latest the header lacks.
 */
ODL_API int odl_header_upgrade(const odl_schema *from, const odl_schema *latest,
			       const char *const *labels, size_t nlabels, char *missing, size_t msize,
			       char *renamed, size_t rsize);

/* Compare dotted versions numerically ("2.10.0" > "2.9.1"): <0, 0, >0. */
ODL_API int odl_version_compare(const char *a, const char *b);

#endif
