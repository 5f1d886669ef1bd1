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
	int has_per_inhabitant;    /* value / population, only for results
				      without a denominator of their own */
	double per_inhabitant;
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
