/*
 * odl/indicator.h - territorial indicators computed while streaming the
 * datasets collectivités publish.
 *
 * An indicator set is a JSON file:
 *
 *   { "set": "subventions", "schema": "subventions",
 *     "territory": { "field": "idAttribuant", "key": "siret" },
 *     "year": { "field": "dateConvention", "from": "date" },
 *     "indicators": [
 *       { "id": "subventions_montant_par_habitant",
 *         "title": { "fr": "Montant par habitant", "en": "Amount per inhabitant" },
 *         "unit": "EUR", "measure": "sum", "field": "montant",
 *         "filter": [ { "field": "nature", "op": "=", "value": "aide en numéraire" } ],
 *         "denominator": { "column": "population", "per": 1 } } ] }
 *
 *   territory.key   siret, siren or insee: how the field's cell names the
 *                   territory (a SIRET's first 9 digits are the SIREN, looked
 *                   up in the territory table's siren column)
 *   year            optional (equipements have no date): without it every
 *                   result has year 0, written as null
 *   year.from       date (YYYY-MM-DD or DD/MM/YYYY) or year (first 4 digits,
 *                   so "2023/2024" is 2023)
 *   measure         count, sum, mean, median, quantile (with "p" in [0,1]),
 *                   min, max, count_distinct (non-empty values of "field"),
 *                   share (rows matching "match" / rows),
 *                   share_of_sum (sum of "field" over rows matching "match" /
 *                   sum over all rows)
 *   filter, match   lists of comparisons, all of which must hold:
 *                   { "field", "op", "value" } with op = != < <= > >= (numbers
 *                   compared as numbers, else text), in / not-in (value a
 *                   list), empty, nonempty, prefix
 *   by              a field: one result per distinct value ("category")
 *   denominator     { "column": territory column, "per": multiplier }:
 *                   value = measure / column * per
 *   needs           fields (a list) at least one row of a group must fill
 *                   for its value to mean anything: the share going to
 *                   associations needs rnaBeneficiaire, since an empty RNA
 *                   cell cannot tell a company from an association whose
 *                   number was not written.  Else the value is null,
 *                   "not-measured".
 *   per_inhabitants what odl-compare rank divides by the population, for an
 *                   indicator without denominator: 1 (default, per
 *                   inhabitant), 1000 (per 1,000 inhabitants, for counts
 *                   too small per head) or 0 (no such figure: shares,
 *                   medians and means per inhabitant mean nothing)
 *
 * Rows are grouped by (territory, year[, category]).  A cell of a measured
 * field that is not a plain number ("12", "-3.5", "1e3"; no unit, no
 * thousands separator, no decimal comma, as SCDL requires) is an error:
 * counted in the group's n_errors and in the file statistics, never read as
 * zero (unless odl_indicator_run_set_lenient() says otherwise).  An empty
 * cell is missing, not an error, and is left out.
 *
 * Null, never 0, for what was not measured: a value is null, with a
 * null_reason, when the group's rows fill no cell of the measured field
 * (a sum, a median or a distinct count of an empty or absent column), or
 * none of a needed field; a sum or a count over no row that passed the
 * filter is 0, since nothing matched.
 *
 * Memory grows with the groups, not the rows: 40 bytes per (territory,
 * year) group, and up to odl_indicator_limits.memory (4 MiB) of the groups'
 * accumulators (16 to 48 bytes per indicator depending on the measure, 8
 * more with "needs") and kept values: for median/quantile 8 bytes per
 * numeric value and for count_distinct 8 to 16 per distinct value (64-bit
 * hashes: two distinct values collide with probability ~n²/2⁶⁴).  Beyond
 * that budget the groups go to an unlinked temporary file in $TMPDIR and
 * come back exactly as they were when a row needs them, so the results do
 * not depend on it (a set with "by" keeps everything in memory).  The
 * values kept are bounded by odl_indicator_limits.max_values (ODL_ELIMIT
 * beyond); a temporary file that cannot be written is ODL_EIO.
 */
#ifndef ODL_INDICATOR_H
#define ODL_INDICATOR_H

#include "../odl.h"
#include "csv.h"
#include "territory.h"

typedef struct odl_indicator_set odl_indicator_set;

/* Load and check a set; errors name the file and the indicator. */
ODL_API int odl_indicator_set_load(const char *path, odl_indicator_set **out,
				   struct odl_error *err);
/* Same from a JSON text (name is used in errors). */
ODL_API int odl_indicator_set_parse(const char *json, const char *name,
				    odl_indicator_set **out, struct odl_error *err);
ODL_API void odl_indicator_set_free(odl_indicator_set *set);
ODL_API const char *odl_indicator_set_name(const odl_indicator_set *set);
ODL_API size_t odl_indicator_set_count(const odl_indicator_set *set);

struct odl_indicator_limits {
	uint64_t max_values; /* values kept for medians and distinct counts
				(default 64 Mi: 512 MiB of doubles) */
	uint64_t memory;     /* bytes of groups (accumulators and values) kept in
				memory before they go to a temporary file in
				$TMPDIR (default 4 MiB; not for a set with "by") */
};

/* What one dataset file held; reset by each odl_indicator_run_path(). */
struct odl_indicator_stats {
	uint64_t rows;            /* data rows read (blank ones excluded) */
	uint64_t used;            /* rows attached to a territory and a year */
	uint64_t no_territory;    /* key empty or unknown in the table */
	uint64_t no_year;         /* year cell empty or not a year */
	uint64_t non_numeric;     /* rows with a measured cell that is not a number */
	uint64_t first_error_line;   /* physical line of the first non-numeric */
	char first_error_field[64];
	char first_error_value[64];
	uint64_t first_unknown_line; /* first row whose territory is unknown */
	char first_unknown_key[64];
	uint64_t overflow;        /* sums that passed the largest double at a row:
				     their results are null, counted in n_errors */
	uint64_t first_overflow_line;
	char first_overflow_field[64];
	/* non-numeric cells that odl-validate --fix's number rule reads
	 * ("26 956,00", "9500 €"): counted in non_numeric too */
	uint64_t fixable;
	uint64_t first_fixable_line;
	char first_fixable_value[64];
	char first_fixable_as[64];  /* its plain form, "26956.00" */
	/* indicators whose measured column the file lacks: they read nothing
	 * from it (a missing territory, year or "by" column fails the file) */
	uint64_t absent;
	char first_absent_field[64];
	char first_absent_indicator[64];
	/* with odl_indicator_run_set_lenient(): cells read through that rule */
	uint64_t lenient;
	uint64_t first_lenient_line;
	char first_lenient_field[64];
	char first_lenient_value[64];
	char first_lenient_as[64];
};

/*
 * What turning measures into results met, over the whole run (reset by
 * each odl_indicator_run_results()).  A denominator cell that is not a
 * number or is negative, and a ratio beyond the largest double, leave the
 * value null and add one to the row's n_errors; a denominator of 0 (the
 * communes "mortes pour la France" have no inhabitant) or an empty one
 * leaves it null without error.
 */
struct odl_indicator_result_stats {
	uint64_t bad_denominator;  /* values left null for a bad denominator cell */
	uint64_t bad_territories;  /* distinct territories behind them */
	const struct odl_territory *first_bad;
	char first_bad_column[64];
	char first_bad_value[64];
	uint64_t zero_denominator; /* values left null for a denominator of 0 */
	const struct odl_territory *first_zero;
	char first_zero_column[64];
	uint64_t overflow;         /* ratios beyond the largest double */
	const struct odl_territory *first_overflow;
	char first_overflow_column[64];
	char first_overflow_indicator[64];
};

/* Why a value is null (odl_indicator_row.null_reason), stable texts. */
#define ODL_NULL_NOT_MEASURED "not-measured"         /* the column is empty or absent */
#define ODL_NULL_NOT_A_NUMBER "not-a-number"         /* every measured cell unreadable */
#define ODL_NULL_NO_ROWS "no-rows"                   /* no row passed the filter */
#define ODL_NULL_ZERO_TOTAL "zero-total"             /* a share of a sum of 0 */
#define ODL_NULL_OVERFLOW "overflow"                 /* beyond the largest double */
#define ODL_NULL_NO_DENOMINATOR "no-denominator"     /* the table's cell is empty */
#define ODL_NULL_ZERO_DENOMINATOR "zero-denominator" /* it is 0 */
#define ODL_NULL_BAD_DENOMINATOR "bad-denominator"   /* not a number of 0 or more */

struct odl_indicator_row {
	const struct odl_territory *territory;
	const char *indicator;   /* id */
	const char *title_fr, *title_en, *unit;
	const char *category;    /* NULL unless the indicator has "by" */
	int year;                /* 0 when the set has no year */
	int has_value;           /* 0: null (nothing to measure, or no denominator) */
	double value;            /* measure, divided when a denominator is set */
	int has_numerator;
	double numerator;        /* the measure itself */
	const char *denominator_column; /* NULL when none */
	int has_denominator;     /* 0 when the column is empty for this territory */
	double denominator;
	double per;
	uint64_t n_rows;         /* rows of the group that passed the filter */
	uint64_t n_errors;       /* non-numeric cells among them, plus one when a
				    sum overflowed or the denominator is bad */
	const char *null_reason; /* NULL when has_value, else an ODL_NULL_* text */
	double per_inhabitants;  /* the set's per_inhabitants (0 with a denominator) */
};

typedef struct odl_indicator_run odl_indicator_run;

/* set and territories are borrowed and must outlive the run; lim may be NULL.
 * The run records the column positions of each file in the set: a set
 * serves one run at a time. */
ODL_API odl_indicator_run *odl_indicator_run_new(const odl_indicator_set *set,
						 const odl_territories *territories,
						 const struct odl_indicator_limits *lim);
ODL_API void odl_indicator_run_free(odl_indicator_run *run);

/*
 * Read amounts the schema's number rule rejects through odl-validate
 * --fix's rule (lib/fix_numbers.c): "26 956,00" is 26956, "9500 €" 9500,
 * "1.234,50" 1234.5; a grouping that is not by three stays an error.
 * Off by default: SCDL requires plain numbers.
 */
ODL_API void odl_indicator_run_set_lenient(odl_indicator_run *run, int lenient);

/*
 * Threads per file: 1 (the default) reads and computes on the calling
 * thread; 2 reads, decodes and parses on a second one
 * (odl_csv_run_threaded) while the calling thread computes.  The results
 * are the same, byte for byte.
 */
ODL_API void odl_indicator_run_set_threads(odl_indicator_run *run, int threads);

/*
 * Stream one dataset file ("-" = stdin) through the reader with the given
 * options (NULL = detect everything).  A missing territory, year or "by"
 * column is ODL_EFORMAT naming the field; a missing measured column leaves
 * its indicators unmeasured by this file (stats.absent).
 */
ODL_API int odl_indicator_run_path(odl_indicator_run *run, const char *path,
				   const struct odl_csv_options *csv,
				   struct odl_error *err);
ODL_API const struct odl_indicator_stats *odl_indicator_run_stats(const odl_indicator_run *run);
ODL_API const struct odl_indicator_result_stats *
odl_indicator_run_result_stats(const odl_indicator_run *run);

/*
 * Every result, ordered by territory (table order), year, indicator (set
 * order), category (byte order).  fn returning non-zero stops (ODL_ECANCELED).
 */
typedef int (*odl_indicator_row_fn)(void *ctx, const struct odl_indicator_row *row);
ODL_API int odl_indicator_run_results(odl_indicator_run *run, odl_indicator_row_fn fn,
				      void *ctx, struct odl_error *err);

/* Quantile of sorted values, Hyndman & Fan type 7 (R's default, Excel's
 * QUANTILE.INC): h = (n-1)p, x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]).  n > 0. */
ODL_API double odl_quantile_sorted(const double *sorted, size_t n, double p);

/* d as printf's "%.12g" would write it, into buf (ODL_REAL_BUF bytes),
 * about ten times faster (printf only near rounding ties); returns buf.
 * For programs that write millions of numbers. */
#define ODL_REAL_BUF 32
ODL_API char *odl_format_real(char *buf, double d);

#endif
