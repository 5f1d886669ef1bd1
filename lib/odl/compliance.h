/*
 * odl/compliance.h - who must publish open data, and what they published.
 *
 * The obligation (loi pour une République numérique, CRPA art. L312-1-1,
 * décret 2016-1922) applies to collectivités of 3,500 inhabitants or more
 * employing 50 agents (full-time equivalents) or more.  From the territory
 * table: population < 3,500 → not obligated; agents known and < 50 → not
 * obligated; both at or above → obligated; population ≥ 3,500 and agents
 * unknown → ODL_OBLIGATED_UNKNOWN_AGENTS; no population →
 * ODL_OBLIGATED_UNKNOWN_POPULATION.
 *
 * Agents by proxy: when the agents cell is empty and the table has a
 * headcount band column (agents_band, filled from the Sirene register by
 * odl_territories_read_sirene), the band stands for the agents: its lower
 * bound ≥ 50 with population ≥ 3,500 → obligated; its upper bound < 50 →
 * not obligated (whatever the population); NN or no band → unknown as
 * above.  An agents cell, when there is one, always wins over the band.
 * Each row says which criterion decided (evidence).
 *
 * Published data come from odl-fetch manifest lines (url, path, status,
 * organization{siret}, dataset{id}, resource{...}, schema{name}) and
 * odl-validate report lines (path, valid, schema), fed in any order and
 * joined by `path`.  A resource belongs to the territory whose SIREN is the
 * first 9 digits of organization.siret (or organization.siren).
 *
 * Last update of a resource, first found of: resource.last_modified,
 * resource.last_update, dataset.last_update, dataset.last_modified,
 * last_update, created_at, then the HTTP Last-Modified header kept as
 * last_modified (ISO 8601 dates and RFC 1123 dates are read).
 *
 * Grade: one point each for
 *   1. at least one resource obtained (status ok, not-modified or cached);
 *   2. at least one of them declaring an SCDL schema;
 *   3. at least one SCDL resource valid and none invalid;
 *   4. a last update at most stale_days (365) days before today;
 * 4 points = A, 3 = B, 2 = C, 1 = D, 0 = E.
 */
#ifndef ODL_COMPLIANCE_H
#define ODL_COMPLIANCE_H

#include <jansson.h>
#include "../odl.h"
#include "territory.h"

enum odl_obligated {
	ODL_OBLIGATED_NO = 0,
	ODL_OBLIGATED_YES,
	ODL_OBLIGATED_UNKNOWN_AGENTS,
	ODL_OBLIGATED_UNKNOWN_POPULATION
};

enum odl_evidence {
	ODL_EVIDENCE_NONE = 0,   /* undecided */
	ODL_EVIDENCE_POPULATION, /* population < 3,500 */
	ODL_EVIDENCE_AGENTS,     /* the agents cell */
	ODL_EVIDENCE_PROXY       /* the headcount band */
};

struct odl_compliance_options {
	const char *population_column; /* default "population" */
	const char *agents_column;     /* default "agents" */
	const char *band_column;       /* default "agents_band" */
	const char *band_year_column;  /* default "agents_year" */
	int64_t today;                 /* days since 1970-01-01 (UTC) */
	int stale_days;                /* default 365 */
};

struct odl_compliance_row {
	const struct odl_territory *territory;
	int has_population;
	double population;
	int has_agents;
	double agents;
	int n_errors;             /* population and agents cells that are not
				     numbers or are negative (then unknown) */
	int has_band;             /* a headcount band (not NN) */
	char agents_band[3];      /* its code, "NN" when the register has none,
				     "" when the cell is empty */
	int band_lo, band_hi;     /* its bounds, band_hi -1 = no upper bound */
	int agents_year;          /* the band's year, 0 when unknown */
	enum odl_obligated obligated;
	enum odl_evidence evidence;
	uint64_t datasets;        /* distinct dataset ids among resources obtained */
	uint64_t resources;       /* manifest lines with status ok/not-modified/cached */
	uint64_t failed;          /* manifest lines with status failed */
	const char *const *scdl_schemas; /* distinct schema names, sorted */
	size_t n_scdl_schemas;
	uint64_t scdl_resources;  /* resources declaring a schema */
	uint64_t scdl_valid, scdl_invalid, scdl_unvalidated;
	char last_update[11];     /* YYYY-MM-DD or "" */
	int has_days;
	int64_t days_since_update;
	char grade;               /* 'A'..'E' */
};

struct odl_compliance_stats {
	uint64_t manifest_lines, report_lines;
	uint64_t unmatched;       /* manifest lines whose organisation is not in the table */
	uint64_t orphan_reports;  /* reports whose path no manifest line names */
	uint64_t other_lines;     /* objects that are neither */
	/* set by odl_compliance_run: population or agents cells that are not
	 * a number or are negative (read as unknown, never as missing) */
	uint64_t bad_population, bad_agents;
	uint64_t bad_bands;       /* band cells not in the register's list */
	uint64_t proxy;           /* rows decided by the band */
	const struct odl_territory *first_bad;
	const char *first_bad_column;
};

typedef struct odl_compliance odl_compliance;

ODL_API void odl_compliance_options_init(struct odl_compliance_options *opt);
ODL_API odl_compliance *odl_compliance_new(const odl_territories *territories,
					   const struct odl_compliance_options *opt);
ODL_API void odl_compliance_free(odl_compliance *c);

/* One NDJSON object, manifest or report line (told apart by their fields). */
ODL_API int odl_compliance_add(odl_compliance *c, json_t *obj, struct odl_error *err);

/* One row per territory of the table, in table order, nothing published included. */
typedef int (*odl_compliance_fn)(void *ctx, const struct odl_compliance_row *row);
ODL_API int odl_compliance_run(odl_compliance *c, odl_compliance_fn fn, void *ctx,
			       struct odl_error *err);
ODL_API const struct odl_compliance_stats *odl_compliance_stats(const odl_compliance *c);

/* 1 when the table has the band column (rows then carry evidence). */
ODL_API int odl_compliance_has_band(const odl_compliance *c);

/* "population", "agents", "proxy"; NULL for ODL_EVIDENCE_NONE. */
ODL_API const char *odl_evidence_name(enum odl_evidence e);

/* "true", "false", "unknown-agents", "unknown-population". */
ODL_API const char *odl_obligated_name(enum odl_obligated o);

/* Days since 1970-01-01 of "YYYY-MM-DD..." or an RFC 1123 date: 0 or ODL_EFORMAT. */
ODL_API int odl_parse_day(const char *s, int64_t *days);

#endif
