/*
 * odl/compare.h - ranking territories against their peers.
 *
 * Feed indicator results (one value per territory × indicator × year, with
 * an optional category), choose the peer groups, then receive for each
 * result its rank among the peers, its percentile, the peers' quartiles
 * and its change from the previous year.
 *
 *   rank         1 + number of peers with a strictly higher value (ties
 *                share the best rank: 1, 2, 2, 4)
 *   percentile   100 × (peers strictly below + ½ × peers equal, itself
 *                included) / peers
 *   q1, median, q3   odl_quantile_sorted() (type 7) over the peers' values,
 *                itself included
 *   ratio_to_median  value / median (none when the median is 0)
 *   change       value − value of the same territory, indicator and
 *                category the year before; change_pct = 100 × change /
 *                previous (none when previous is 0)
 *   évolution    from the series' base year (the first year it has a
 *                value, or odl_compare_set_base_year()'s) to this row's:
 *                change_since_base, its % of the base value, and the
 *                annual rate, 100 × ((value / base)^(1 / years) − 1)
 *                (compound annual growth; none unless both values have one
 *                sign and neither is 0); none in the base year itself
 *   per_inhabitant   value / population × per_inhabitants (1, or 1000 for
 *                small counts: per 1,000 inhabitants), for results
 *                without a denominator of their own and whose
 *                per_inhabitants is not 0
 * Results without a value (null) are reported but take no part in ranks
 * or quartiles.
 *
 * Peer groups: all; dep, reg, epci (same cell in the territory table);
 * size (population bands [0,3500), [3500,10000), [10000,20000),
 * [20000,50000), [50000,100000), [100000,∞) named 0-3499, 3500-9999,
 * 10000-19999, 20000-49999, 50000-99999, 100000+); nature (an EPCI's
 * legal nature from the table's nature column: CC, CA, CU, MET for both
 * of the DGCL's METRO and MET69); or a CSV file with
 * columns code and group.  With a territory table, groups are split by
 * the territory's type, never mixing communes, EPCI, départements and
 * régions: the group is named TYPE:GROUP ("COM:all", "COM:dep:16",
 * "EPCI:size:100000+", "COM:g1" for a file's group g1), TYPE:unknown when
 * the grouping cannot place the territory, and "unknown" for a territory
 * the table lacks.  Without a table the only group is "all".  Memory:
 * about 150 bytes per result.
 */
#ifndef ODL_COMPARE_H
#define ODL_COMPARE_H

#include "../odl.h"
#include "territory.h"

struct odl_compare_row {
	const char *territory;
	const char *name;          /* "" when the territory is not in the table */
	const char *indicator;
	const char *category;      /* NULL when none */
	int year;
	int has_value;
	double value;
	int has_per_inhabitant;    /* value / population × per_inhabitants, only
				      for results without a denominator of
				      their own */
	double per_inhabitant;
	double per_inhabitants;    /* 1, 1000, or 0 (no per-inhabitant figure) */
	uint64_t n_errors;         /* as the indicator row said */
	const char *null_reason;   /* as the indicator row said, when no value */
	const char *peers;         /* "all", "COM:dep:16", "EPCI:size:100000+"... */
	uint64_t rank;             /* 0 when no value */
	uint64_t n_peers;          /* peers with a value, itself included */
	double percentile;
	double median, q1, q3;     /* meaningful when n_peers > 0 */
	int has_ratio;
	double ratio_to_median;
	int has_previous;
	double previous;
	double change;
	int has_change_pct;
	double change_pct;
	int has_base;              /* évolution since the base year */
	int base_year;
	double base_value, change_since_base;
	int has_change_since_base_pct;
	double change_since_base_pct;
	int has_annual_rate;
	double annual_rate_pct;
};

/*
 * What the run met (reset by each odl_compare_run): a population cell that
 * is not a positive number leaves per_inhabitant null (0 inhabitants too,
 * without error); a derived figure (per inhabitant, ratio, change) beyond
 * the largest double is left null.
 */
struct odl_compare_stats {
	uint64_t bad_population;   /* rows whose population cell is not a number or < 0 */
	const struct odl_territory *first_bad;
	uint64_t zero_population;
	const struct odl_territory *first_zero;
	uint64_t overflow;         /* rows with a derived figure left null */
	const char *first_overflow; /* its territory code (valid until the next run) */
	const char *first_overflow_field;
};

typedef struct odl_compare odl_compare;

/* territories may be NULL (peers "all" only, no per-inhabitant values). */
ODL_API odl_compare *odl_compare_new(const odl_territories *territories);
ODL_API void odl_compare_free(odl_compare *c);

/* One indicator result; has_denominator tells the value is already a ratio. */
ODL_API int odl_compare_add(odl_compare *c, const char *territory, const char *indicator,
			    const char *category, int year, int has_value, double value,
			    int has_denominator, struct odl_error *err);

/* One indicator result with what the indicator row says of it. */
struct odl_compare_input {
	const char *territory, *indicator;
	const char *category;    /* NULL when none */
	int year;                /* 0 when none */
	int has_value;
	double value;
	int has_denominator;     /* the value is already a ratio */
	double per_inhabitants;  /* 1 (default), 1000, or 0: no per-inhabitant */
	uint64_t n_errors;       /* passed through to the rank row */
	const char *null_reason; /* idem, when no value (copied) */
};

ODL_API void odl_compare_input_init(struct odl_compare_input *in);
ODL_API int odl_compare_add_input(odl_compare *c, const struct odl_compare_input *in,
				  struct odl_error *err);

/* The base year of the évolution columns (0 = each series' first year
 * with a value); a series without a value that year has none. */
ODL_API int odl_compare_set_base_year(odl_compare *c, int year);

/* "all" (default), "dep", "reg", "epci", "size", "nature" or a CSV file path. */
ODL_API int odl_compare_set_peers(odl_compare *c, const char *spec, struct odl_error *err);
/* Keep only results of territories of this type (COM, EPCI...; needs a
 * territory table; NULL = every type).  Call before adding results. */
ODL_API int odl_compare_set_type(odl_compare *c, const char *type, struct odl_error *err);
/* Keep only this territory and its peers (NULL = everyone). */
ODL_API int odl_compare_set_focus(odl_compare *c, const char *code, struct odl_error *err);

/* Results ordered by indicator, category, year, peer group, rank, code. */
typedef int (*odl_compare_fn)(void *ctx, const struct odl_compare_row *row);
ODL_API int odl_compare_run(odl_compare *c, odl_compare_fn fn, void *ctx,
			    struct odl_error *err);

ODL_API const struct odl_compare_stats *odl_compare_stats(const odl_compare *c);

/* The size band of a population: "0-3499" ... "100000+". */
ODL_API const char *odl_size_band(double population);

#endif
