/*
 * odl/territory.h - the territory table: communes, EPCI, départements,
 * régions, with their populations, used to attach published rows to a
 * territory and to divide by a population.
 *
 * The table is a CSV file (any encoding and delimiter the reader accepts)
 * whose header names at least `code`; the documented columns are
 *
 *   code        INSEE commune code kept as text (01001, 2A004) for a
 *               commune or an arrondissement, SIREN for an EPCI, a
 *               département or a région
 *   name        official name
 *   type        COM, ARM, EPCI, DEP or REG
 *   population  Insee population totale
 *   siren       the collectivité's SIREN (9 digits)
 *   epci        SIREN of the EPCI à fiscalité propre a commune belongs to
 *   dep, reg    département and région codes
 *   agents      full-time-equivalent agents (optional, often empty)
 *   parent      an arrondissement's commune, a département's région
 *   population_source   where the population comes from (see below)
 *   nature      an EPCI's legal nature as the DGCL writes it (CC, CA, CU,
 *               METRO, MET69)
 *
 * and any other column (population_municipale, surface...) is kept as text
 * and can serve as a denominator through odl_territory_number().
 *
 * Lookup (odl_territories_find) accepts an INSEE code, a SIREN or a SIRET
 * (14 digits: its first 9 are the SIREN); spaces inside the key are
 * ignored, so "213 500 010" finds 213500010.  Memory: every cell is kept
 * once, in a string arena, and codes and SIRENs are indexed by row number
 * (8 to 16 bytes each): 35,000 communes of nine columns take about 8 MB.
 *
 *	odl_territories *t = odl_territories_new();
 *	rc = odl_territories_read_path(t, "territoires.csv", &err);
 *	const struct odl_territory *c = odl_territories_find(t, "21160015900010");
 *	double pop;
 *	if (c && odl_territory_number(t, c, "population", &pop) == ODL_OK) ...
 *	odl_territories_free(t);
 */
#ifndef ODL_TERRITORY_H
#define ODL_TERRITORY_H

#include "../odl.h"

/* Borrowed views into the table; "" when the column is absent or empty. */
struct odl_territory {
	size_t index;      /* position in the table, 0-based */
	const char *code;
	const char *name;
	const char *type;
	const char *siren;
	const char *epci;
	const char *dep;
	const char *reg;
};

typedef struct odl_territories odl_territories;

ODL_API odl_territories *odl_territories_new(void);
ODL_API void odl_territories_free(odl_territories *t);

/*
 * Read a territory CSV ("-" = stdin).  A missing `code` column, an empty or
 * duplicate code is an ODL_EFORMAT error naming the line.
 */
ODL_API int odl_territories_read_path(odl_territories *t, const char *path,
				      struct odl_error *err);

/* Add one territory; cells follow odl_territories_columns() (NULL = ""). */
ODL_API int odl_territories_add(odl_territories *t, const char *const *cells,
				struct odl_error *err);
/* Declare the columns before odl_territories_add (replaces none once set). */
ODL_API int odl_territories_set_columns(odl_territories *t,
					const char *const *names, size_t n,
					struct odl_error *err);

ODL_API size_t odl_territories_count(const odl_territories *t);
ODL_API const struct odl_territory *odl_territories_at(const odl_territories *t,
							size_t i);

/* By INSEE code, SIREN or SIRET; NULL when unknown. */
ODL_API const struct odl_territory *odl_territories_find(const odl_territories *t,
							  const char *key, size_t len);

/* The physical line the row was read from (for messages); 0 when the row
 * was added by odl_territories_add or built. */
ODL_API uint64_t odl_territory_line(const odl_territories *t,
				    const struct odl_territory *terr);

/* 1 when the table has that column. */
ODL_API int odl_territories_has_column(const odl_territories *t, const char *column);

/* A cell as text ("" when absent or empty). */
ODL_API const char *odl_territory_cell(const odl_territories *t,
				       const struct odl_territory *terr,
				       const char *column);

/*
 * A cell as a number: ODL_OK, ODL_ENOTFOUND when the column is absent or
 * the cell empty, ODL_EFORMAT when it is not a plain number (spaces and a
 * decimal comma are accepted here: population files are hand-edited).
 */
ODL_API int odl_territory_number(const odl_territories *t,
				 const struct odl_territory *terr,
				 const char *column, double *out);

/*
 * Build the table from published files, each streamed once:
 *
 *   cog           Insee's COG communes (TYPECOM, COM, REG, DEP, LIBELLE,
 *                 COMPARENT): TYPECOM COM rows are communes, ARM rows the
 *                 municipal arrondissements of Paris, Lyon and Marseille
 *                 (their parent commune in COMPARENT); others are left out
 *   population    Insee's populations légales (COM, PMUN, PTOT); may be NULL
 *   epci          the DGCL composition of the EPCI (siren, raison_sociale,
 *                 insee, siren_membre, dept, ptot_YEAR, pmun_YEAR,
 *                 nature_juridique): one row
 *                 per member commune; may be NULL
 *   departements, regions   Insee's COG départements (DEP, REG, LIBELLE) and
 *                 régions (REG, LIBELLE); may be NULL
 *   siren         SIREN tables, each either per commune (insee, siren:
 *                 BANATIC's layout) or per collectivité (SIREN, COG, type
 *                 DEP, REG or CTU: the identifiants files' layout)
 *
 * Rows: communes (type COM) in COG order, arrondissements (ARM, parent =
 * their commune), one EPCI row per EPCI in order of appearance, then
 * départements (DEP) and régions (REG) in their files' order, a
 * département's parent being its région's row.  A commune's population is
 * Insee's; a commune Insee lists by arrondissement only (Paris, Lyon,
 * Marseille) gets their sum; a commune Insee lacks (Mayotte) gets the DGCL
 * file's.  An EPCI, a département or a région is the sum of its communes,
 * and has no population when one of them has none.  A commune's SIREN is
 * the DGCL's siren_membre, else a SIREN table's; a département's or a
 * région's code is its SIREN, or "dep:CODE" / "reg:CODE" when no table
 * gives one.  population_source says where each population comes from:
 * "insee-ptot-2023" (the year given, or found in the population file's
 * name), "insee-ptot-2023+arm" (summed from arrondissements),
 * "dgcl-ptot-2025" (the year in the DGCL column's name), "sum:…" for
 * aggregates.  Columns: code, name, type, population,
 * population_municipale, siren, epci, dep, reg, agents, parent,
 * population_source, nature.  Rows a rule leaves without population or SIREN are
 * counted per cause in *stats (may be NULL), with their first codes.
 */
struct odl_territory_sources {
	const char *cog, *population, *epci, *departements, *regions;
	const char *const *siren;
	size_t nsiren;
	int population_year; /* the populations' reference year, 0 = from the file name */
};

enum odl_territory_gap_cause {
	ODL_GAP_COM_POPULATION,
	ODL_GAP_ARM_POPULATION,
	ODL_GAP_COM_SIREN,
	ODL_GAP_EPCI_POPULATION,
	ODL_GAP_DEP_POPULATION,
	ODL_GAP_REG_POPULATION,
	ODL_GAP_DEP_SIREN,
	ODL_GAP_REG_SIREN,
	ODL_GAP_COUNT
};

#define ODL_TERRITORY_GAP_FIRST 5
struct odl_territory_gap {
	uint64_t n;
	char first[ODL_TERRITORY_GAP_FIRST][16]; /* the first codes, up to n */
};

struct odl_territory_build_stats {
	struct odl_territory_gap gap[ODL_GAP_COUNT];
	uint64_t arm_summed;     /* communes given the sum of their arrondissements */
	uint64_t dgcl_fallback;  /* communes given the DGCL file's population */
};

ODL_API void odl_territory_sources_init(struct odl_territory_sources *src);
ODL_API int odl_territories_build_from(odl_territories *t,
				       const struct odl_territory_sources *src,
				       struct odl_territory_build_stats *stats,
				       struct odl_error *err);
/* What a gap cause means, e.g. "communes without siren (in no EPCI and no
 * SIREN table)". */
ODL_API const char *odl_territory_gap_text(enum odl_territory_gap_cause cause);

/* odl_territories_build_from() with a COG, a population and an EPCI file. */
ODL_API int odl_territories_build(odl_territories *t, const char *cog_path,
				  const char *population_path,
				  const char *epci_path, struct odl_error *err);

/* Column names, in order, and the row's cells, for writing the table out. */
ODL_API size_t odl_territories_columns(const odl_territories *t,
				       const char *const **names);
ODL_API const char *const *odl_territory_cells(const odl_territories *t,
					       const struct odl_territory *terr);

/* Parse a plain number ("12", "-3.5", "1e3"): 0 or ODL_EFORMAT, also for
 * what no finite double holds ("1e999"; "inf" and "nan" are not numbers). */
ODL_API int odl_parse_number(const char *s, size_t len, double *out);

/*
 * Agents by proxy: the headcount band (tranche d'effectifs salariés) that
 * Insee's Sirene register holds for each legal unit, read from its
 * StockUniteLegale file (data.gouv.fr dataset
 * base-sirene-des-entreprises-et-de-leurs-etablissements-siret) or an
 * extract in the same layout: a CSV whose header names at least `siren`
 * and `trancheEffectifsUniteLegale`, and `anneeEffectifsUniteLegale` (the
 * band's year) when the file has it.  The file may be gzip-compressed, or
 * a zip archive whose first entry is the CSV (the published
 * StockUniteLegale_utf8.zip), read as a stream ("-" = stdin): memory is the
 * table's, whatever the file's size.
 *
 * Only the table's SIRENs are kept (a row's `siren`, else its code when it
 * has 9 digits).  Two columns are added or replaced: agents_band, the
 * band's code ("21") or "NN" when the register lists the unit without a
 * band (NN or empty), and agents_year ("2023" or empty).  A SIREN listed
 * twice keeps the row with a band over one without, then the later year,
 * then the first; a band or a year that is not a code of the register's
 * list is read as unknown (NN, no year) and counted.
 *
 *	codes: 00 = 0, 01 = 1-2, 02 = 3-5, 03 = 6-9, 11 = 10-19, 12 = 20-49,
 *	21 = 50-99, 22 = 100-199, 31 = 200-249, 32 = 250-499, 41 = 500-999,
 *	42 = 1000-1999, 51 = 2000-4999, 52 = 5000-9999, 53 = 10000 and more
 */
#define ODL_SIRENE_FIRST 5
struct odl_sirene_stats {
	uint64_t rows;            /* data rows of the file */
	uint64_t matched;         /* territories of the table the file lists */
	uint64_t with_band;       /* of them, with a band */
	uint64_t missing;         /* territories with a SIREN the file does not list */
	char first_missing[ODL_SIRENE_FIRST][16];
	uint64_t duplicates;      /* rows repeating a SIREN of the table */
	uint64_t first_duplicate_line;
	char first_duplicate[16];
	uint64_t bad_bands;       /* rows of the table's SIRENs with a band not in the list */
	uint64_t first_bad_band_line;
	char first_bad_band[16];
	uint64_t bad_years;       /* ... with a year that is not 4 digits */
	uint64_t first_bad_year_line;
	char first_bad_year[16];
	int zip;                  /* the file was a zip archive */
	char entry[128];          /* then the entry read */
};

ODL_API int odl_territories_read_sirene(odl_territories *t, const char *path,
					struct odl_sirene_stats *stats,
					struct odl_error *err);

/*
 * A band code: 0 and its bounds (*hi = -1 for 53, "10000 and more"),
 * ODL_ENOTFOUND for NN or empty (no band), ODL_EFORMAT for anything else.
 */
ODL_API int odl_agents_band(const char *code, size_t len, int *lo, int *hi);

#endif
