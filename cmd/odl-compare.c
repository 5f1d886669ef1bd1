/*
 * odl-compare - territorial indicators, peer comparisons and open-data
 * compliance computed from the published datasets themselves.
 *
 *   odl-compare territories --cog F [--population F] [--epci F]
 *   odl-compare indicators --set NAME --territories F DATA...
 *   odl-compare rank [--territories F] [--peers P] [--focus CODE] [ROWS...]
 *   odl-compare compliance --territories F [MANIFEST-OR-REPORT...]
 *   odl-compare match --territories F ORGANIZATIONS.csv [RESOURCES.csv]
 */
#include "cli.h"
#include "flatjson.h"
#include "odl/csv.h"
#include "odl/ndjson.h"
#include "odl/territory.h"
#include "odl/indicator.h"
#include "odl/compare.h"
#include "odl/compliance.h"
#include "odl/match.h"
#include "odl/hash.h"
#include "odl/outfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_TERRITORIES, OPT_SET, OPT_COG, OPT_POPULATION,
       OPT_EPCI, OPT_PEERS, OPT_FOCUS, OPT_POP_COLUMN, OPT_AGENTS_COLUMN, OPT_TODAY,
       OPT_TYPE, OPT_STRICT, OPT_ENCODING, OPT_DELIMITER, OPT_MAX_VALUES, OPT_MANIFEST,
       OPT_SHEET, OPT_DEPARTEMENTS, OPT_REGIONS, OPT_SIREN, OPT_POPULATION_YEAR,
       OPT_AGENTS_SIRENE, OPT_LENIENT, OPT_SINCE, OPT_QUIET, OPT_THREADS };

static const struct cli_option options[] = {
	{ OPT_FORMAT, 'f', "format", "FMT", "output format: ndjson (default) or csv" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write to FILE, atomically (default: stdout)" },
	{ OPT_TERRITORIES, 't', "territories", "FILE", "territory table (CSV: code, name, type, population...)" },
	{ OPT_SET, 's', "set", "NAME", "indicator set: a bundled name (subventions, deliberations, budget, equipements) or a JSON file" },
	{ OPT_COG, 0, "cog", "FILE", "territories: Insee COG commune file" },
	{ OPT_POPULATION, 0, "population", "FILE", "territories: Insee populations légales file" },
	{ OPT_EPCI, 0, "epci", "FILE", "territories: DGCL EPCI composition file" },
	{ OPT_DEPARTEMENTS, 0, "departements", "FILE", "territories: Insee COG départements file" },
	{ OPT_REGIONS, 0, "regions", "FILE", "territories: Insee COG régions file" },
	{ OPT_SIREN, 0, "siren", "FILE", "territories: SIREN table (insee,siren or SIREN,COG,type); may be repeated" },
	{ OPT_POPULATION_YEAR, 0, "population-year", "YEAR", "territories: reference year of the populations légales (default: from the file name)" },
	{ OPT_PEERS, 'p', "peers", "GROUP", "rank: peer groups all, dep, reg, epci, size, nature or a CSV file (code,group)" },
	{ OPT_FOCUS, 0, "focus", "CODE", "rank: keep only this territory and its peers" },
	{ OPT_SINCE, 0, "since", "YEAR", "rank: évolution since YEAR (default: each series' first year)" },
	{ OPT_POP_COLUMN, 0, "population-column", "NAME", "compliance: population column (default population)" },
	{ OPT_AGENTS_COLUMN, 0, "agents-column", "NAME", "compliance: agents column (default agents)" },
	{ OPT_AGENTS_SIRENE, 0, "agents-from-sirene", "FILE", "territories, compliance: agents by proxy, the headcount bands of Insee's Sirene StockUniteLegale file (CSV, gzip or zip)" },
	{ OPT_TODAY, 0, "today", "DATE", "compliance: count days up to DATE (YYYY-MM-DD, default today)" },
	{ OPT_TYPE, 0, "type", "TYPE", "rank, compliance: only territories of this type (COM, ARM, EPCI, DEP, REG)" },
	{ OPT_STRICT, 0, "strict", NULL, "indicators, rank, compliance: exit 1 when a number is unreadable or out of range" },
	{ OPT_ENCODING, 'e', "encoding", "ENC", "indicators: read data as ENC (default: detect)" },
	{ OPT_DELIMITER, 'd', "delimiter", "CHAR", "indicators: data cell delimiter (default: detect)" },
	{ OPT_SHEET, 0, "sheet", "NAME", "indicators: in xlsx data files, read the sheet NAME (default: the first)" },
	{ OPT_LENIENT, 0, "lenient-numbers", NULL, "indicators: read amounts written the French way (\"26 956,00\", \"9500 €\") as odl-validate --fix does" },
	{ OPT_MAX_VALUES, 0, "max-values", "N", "indicators: values kept for medians and distinct counts (default 67108864)" },
	{ OPT_QUIET, 'q', "quiet", NULL, "indicators, rank: no progress line (shown on a terminal)" },
	{ OPT_THREADS, 0, "threads", "N", "indicators: threads per file, 1 or 2: 2 parses on one while the other computes (faster on two cores, about 4 MB more memory; default 2 on a machine with 2 cores or more)" },
	{ OPT_MANIFEST, 'm', "manifest", "FILE", "indicators: take the data files from an odl-fetch manifest, those declaring the set's schema" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct cli_program program = {
	"odl-compare", "COMMAND [OPTION]... [FILE]...",
	"Compute territorial indicators, compare territories and check open-data compliance.",
	options,
	"Commands:\n"
	"  territories --cog FILE [--population FILE] [--epci FILE] [--departements FILE]\n"
	"              [--regions FILE] [--siren FILE]... [--agents-from-sirene FILE]\n"
	"  territories --territories FILE --agents-from-sirene FILE\n"
	"  indicators --set NAME --territories FILE DATA...\n"
	"  rank [--territories FILE] [--peers GROUP] [--focus CODE] [ROWS...]\n"
	"  compliance --territories FILE [MANIFEST-OR-REPORT...]\n"
	"  match --territories FILE ORGANIZATIONS.csv [RESOURCES.csv]\n"
	"FILE may be '-' for standard input.  Exit status: 0 done, 1 --strict and\n"
	"non-numeric amounts, 2 usage or read error.\n"
};

struct config {
	int csv;
	const char *output, *territories, *set, *cog, *population, *epci;
	const char *peers, *focus, *pop_column, *agents_column, *today, *type;
	const char *manifest;
	const char *departements, *regions, *sirene;
	const char *siren[16];
	size_t nsiren;
	int population_year, since;
	int strict, lenient, quiet;
	int threads;            /* indicators: per file, 1 or 2 (2 with 2 cores or more) */
	uint64_t max_values;
	struct odl_csv_options data;
};

static int handle(int id, const char *arg, void *ctx)
{
	struct config *cfg = ctx;

	switch (id) {
	case OPT_FORMAT:
		if (strcmp(arg, "csv") == 0)
			cfg->csv = 1;
		else if (strcmp(arg, "ndjson") == 0)
			cfg->csv = 0;
		else
			cli_usage_error("unknown format '%s' (ndjson or csv)", arg);
		break;
	case OPT_OUTPUT: cfg->output = arg; break;
	case OPT_TERRITORIES: cfg->territories = arg; break;
	case OPT_SET: cfg->set = arg; break;
	case OPT_COG: cfg->cog = arg; break;
	case OPT_POPULATION: cfg->population = arg; break;
	case OPT_EPCI: cfg->epci = arg; break;
	case OPT_DEPARTEMENTS: cfg->departements = arg; break;
	case OPT_REGIONS: cfg->regions = arg; break;
	case OPT_SIREN:
		if (cfg->nsiren == sizeof(cfg->siren) / sizeof(*cfg->siren))
			cli_usage_error("more than %zu --siren tables", cfg->nsiren);
		cfg->siren[cfg->nsiren++] = arg;
		break;
	case OPT_POPULATION_YEAR:
		cfg->population_year = (int)cli_parse_long("--population-year", arg, 1800, 2200);
		break;
	case OPT_PEERS: cfg->peers = arg; break;
	case OPT_FOCUS: cfg->focus = arg; break;
	case OPT_SINCE: cfg->since = (int)cli_parse_long("--since", arg, 1, 9999); break;
	case OPT_POP_COLUMN: cfg->pop_column = arg; break;
	case OPT_AGENTS_COLUMN: cfg->agents_column = arg; break;
	case OPT_TODAY: cfg->today = arg; break;
	case OPT_AGENTS_SIRENE: cfg->sirene = arg; break;
	case OPT_TYPE: cfg->type = arg; break;
	case OPT_STRICT: cfg->strict = 1; break;
	case OPT_LENIENT: cfg->lenient = 1; break;
	case OPT_THREADS: cfg->threads = (int)cli_parse_long("--threads", arg, 1, 2); break;
	case OPT_QUIET: cfg->quiet = 1; break;
	case OPT_MANIFEST: cfg->manifest = arg; break;
	case OPT_ENCODING:
		if (odl_encoding_parse(arg, &cfg->data.encoding) != ODL_OK)
			cli_usage_error("unknown encoding '%s'", arg);
		break;
	case OPT_DELIMITER:
		cfg->data.delimiter = cli_parse_delimiter(arg);
		break;
	case OPT_SHEET:
		cfg->data.sheet = arg;
		break;
	case OPT_MAX_VALUES:
		cfg->max_values = (uint64_t)cli_parse_long("--max-values", arg, 1, 1L << 40);
		break;
	}
	return 0;
}

/* ---- output: NDJSON, or CSV with a fixed column list ---- */

/* Lines are assembled in out[] and written a batch at a time: a national
 * run writes hundreds of megabytes, and one fwrite per line went through
 * stdio's 4 KiB buffer (one system call per 4 KiB).  On a terminal every
 * line is written at once. */
#define OUT_BATCH ((size_t)64 << 10)

struct emitter {
	FILE *f;
	int csv;
	const char *const *cols;
	size_t ncols;
	int header_done;
	int failed;
	int tty;          /* -1 not asked yet */
	char *out;
	size_t len, cap;
};

/* A result row: borrowed values, written as one NDJSON object or one CSV
 * record.  Written by hand, not through jansson objects: a run may emit
 * millions of rows. */
enum vtype { V_NULL, V_STR, V_INT, V_REAL, V_BOOL, V_LIST };

struct val {
	enum vtype type;
	const char *s;
	long long i;
	double d;
	const char *const *list;
	size_t n;
};

#define MAX_FIELDS 32

struct out_row {
	struct emitter *em;
	const char *keys[MAX_FIELDS];
	size_t keylen[MAX_FIELDS];
	struct val vals[MAX_FIELDS];
	size_t n;
};

static struct val v_null(void)
{
	struct val v = { V_NULL, NULL, 0, 0, NULL, 0 };
	return v;
}

static struct val v_str(const char *s)
{
	struct val v = v_null();
	v.type = V_STR;
	v.s = s;
	return v;
}

static struct val v_int(long long i)
{
	struct val v = v_null();
	v.type = V_INT;
	v.i = i;
	return v;
}

static struct val v_bool(int b)
{
	struct val v = v_null();
	v.type = V_BOOL;
	v.i = b;
	return v;
}

static struct val v_list(const char *const *list, size_t n)
{
	struct val v = v_null();
	v.type = V_LIST;
	v.list = list;
	v.n = n;
	return v;
}

/* Whole numbers print as integers; others keep 12 significant digits. */
static struct val num(double d)
{
	struct val v = v_null();

	if (!isfinite(d))
		return v;
	if (d == floor(d) && fabs(d) < 1e15)
		return v_int((long long)d);
	v.type = V_REAL;
	v.d = d;
	return v;
}

static struct val opt_num(int has, double d)
{
	return has ? num(d) : v_null();
}

static struct val opt_str(const char *s)
{
	return s ? v_str(s) : v_null();
}

static struct out_row *row_new(struct emitter *em)
{
	static struct out_row row;

	row.em = em;
	row.n = 0;
	return &row;
}

/* keys are the program's own literals: their length is known here */
#define put(o, key, v) put_n((o), (key), sizeof(key) - 1, (v))

static void put_n(struct out_row *o, const char *key, size_t keylen, struct val v)
{
	if (o->n < MAX_FIELDS) {
		o->keys[o->n] = key;
		o->keylen[o->n] = keylen;
		o->vals[o->n++] = v;
	}
}

static void out_grow(struct emitter *em, size_t n)
{
	size_t cap = em->cap ? em->cap : OUT_BATCH + 4096;

	while (cap < em->len + n)
		cap *= 2;
	char *p = realloc(em->out, cap);
	if (!p)
		cli_die("out of memory");
	em->out = p;
	em->cap = cap;
}

static inline void lput(struct emitter *em, const char *s, size_t n)
{
	if (em->len + n > em->cap)
		out_grow(em, n);
	memcpy(em->out + em->len, s, n);
	em->len += n;
}

static void lputs(struct emitter *em, const char *s)
{
	lput(em, s, strlen(s));
}

static inline void lputc(struct emitter *em, char c)
{
	if (em->len + 1 > em->cap)
		out_grow(em, 1);
	em->out[em->len++] = c;
}

/* Write what the batch holds (before anything else writes to em->f). */
static void out_flush(struct emitter *em)
{
	if (!em->len)
		return;
	cli_progress_before(em->f);
	if (fwrite(em->out, 1, em->len, em->f) != em->len)
		em->failed = 1;
	em->len = 0;
	cli_check_stdout();
}

/* bytes a JSON string cannot hold as they are, and the NUL that ends s */
static const unsigned char json_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
	['\\'] = 1
};

static void json_text(struct emitter *em, const char *s)
{
	char esc[8];

	lputc(em, '"');
	for (;;) {
		const char *run = s;
		while (!json_special[(unsigned char)*s])
			s++;
		lput(em, run, (size_t)(s - run));
		unsigned char c = (unsigned char)*s++;
		switch (c) {
		case 0: lputc(em, '"'); return;
		case '"': lput(em, "\\\"", 2); break;
		case '\\': lput(em, "\\\\", 2); break;
		case '\n': lput(em, "\\n", 2); break;
		case '\r': lput(em, "\\r", 2); break;
		case '\t': lput(em, "\\t", 2); break;
		case '\b': lput(em, "\\b", 2); break;
		case '\f': lput(em, "\\f", 2); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			lputs(em, esc);
			break;
		}
	}
}

static void csv_text(struct emitter *em, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		lputs(em, s);
		return;
	}
	lputc(em, '"');
	for (; *s; s++) {
		if (*s == '"')
			lputc(em, '"');
		lputc(em, *s);
	}
	lputc(em, '"');
}

static void put_int(struct emitter *em, long long v)
{
	/* two digits a division: years, counts and row numbers by the million */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	while (u >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u || p == buf + sizeof(buf))
		*--p = (char)('0' + u);
	if (v < 0)
		*--p = '-';
	lput(em, p, (size_t)(buf + sizeof(buf) - p));
}

static void write_val(struct emitter *em, const struct val *v, int csv)
{
	char buf[32];

	switch (v->type) {
	case V_NULL:
		if (!csv)
			lput(em, "null", 4);
		break;
	case V_STR:
		csv ? csv_text(em, v->s) : json_text(em, v->s);
		break;
	case V_INT:
		put_int(em, v->i);
		break;
	case V_REAL:
		lputs(em, odl_format_real(buf, v->d));
		break;
	case V_BOOL:
		lputs(em, v->i ? "true" : "false");
		break;
	case V_LIST:
		if (csv) {
			int quote = 0;
			for (size_t i = 0; i < v->n; i++)
				quote |= strpbrk(v->list[i], ",\"\r\n|") != NULL;
			if (quote)
				lputc(em, '"');
			for (size_t i = 0; i < v->n; i++) {
				if (i)
					lputc(em, '|');
				for (const char *c = v->list[i]; *c; c++) {
					if (*c == '"')
						lputc(em, '"');
					lputc(em, *c);
				}
			}
			if (quote)
				lputc(em, '"');
		} else {
			lputc(em, '[');
			for (size_t i = 0; i < v->n; i++) {
				if (i)
					lputc(em, ',');
				json_text(em, v->list[i]);
			}
			lputc(em, ']');
		}
		break;
	}
}

static void emit(struct out_row *o)
{
	struct emitter *em = o->em;

	if (!em->csv) {
		lputc(em, '{');
		for (size_t i = 0; i < o->n; i++) {
			/* keys are the program's own identifiers: nothing to escape */
			lput(em, i ? ",\"" : "\"", i ? 2 : 1);
			lput(em, o->keys[i], o->keylen[i]);
			lput(em, "\":", 2);
			write_val(em, &o->vals[i], 0);
		}
		lput(em, "}\n", 2);
	} else {
		if (!em->header_done) {
			for (size_t i = 0; i < em->ncols; i++) {
				if (i)
					lputc(em, ',');
				csv_text(em, em->cols[i]);
			}
			lput(em, "\r\n", 2);
			em->header_done = 1;
		}
		for (size_t c = 0; c < em->ncols; c++) {
			if (c)
				lputc(em, ',');
			for (size_t i = 0; i < o->n; i++)
				if (strcmp(o->keys[i], em->cols[c]) == 0) {
					write_val(em, &o->vals[i], 1);
					break;
				}
		}
		lput(em, "\r\n", 2);
	}
	if (em->tty < 0)
		em->tty = isatty(fileno(em->f));
	if (em->len >= OUT_BATCH || em->tty)
		out_flush(em);
}

static odl_territories *load_territories(const char *path)
{
	odl_territories *t = odl_territories_new();
	struct odl_error err;

	if (!t)
		cli_die("out of memory");
	odl_error_clear(&err);
	if (odl_territories_read_path(t, path, &err) != ODL_OK) {
		cli_error_odl(path, &err);
		exit(cli_finish(EXIT_TROUBLE));
	}
	return t;
}

/* ---- territories ---- */

/* Agents by proxy: the table's headcount bands from a Sirene file, and
 * what the file could not tell, one warning per cause. */
static int read_sirene(const char *path, odl_territories *t)
{
	struct odl_sirene_stats st;
	struct odl_error err;

	odl_error_clear(&err);
	if (odl_territories_read_sirene(t, path, &st, &err) != ODL_OK) {
		cli_error_odl(path, &err);
		return EXIT_TROUBLE;
	}
	if (st.duplicates)
		cli_warn("'%s' line %llu, field 'siren': '%s' listed again (%llu row%s repeating "
			 "a SIREN of the table): the row with a band, then the latest year, kept",
			 path, (unsigned long long)st.first_duplicate_line, st.first_duplicate,
			 (unsigned long long)st.duplicates, st.duplicates == 1 ? "" : "s");
	if (st.bad_bands)
		cli_warn("'%s' line %llu, field 'trancheEffectifsUniteLegale': '%s' is not a "
			 "headcount band (%llu row%s), read as unknown", path,
			 (unsigned long long)st.first_bad_band_line, st.first_bad_band,
			 (unsigned long long)st.bad_bands, st.bad_bands == 1 ? "" : "s");
	if (st.bad_years)
		cli_warn("'%s' line %llu, field 'anneeEffectifsUniteLegale': '%s' is not a year "
			 "(%llu row%s), read as unknown", path,
			 (unsigned long long)st.first_bad_year_line, st.first_bad_year,
			 (unsigned long long)st.bad_years, st.bad_years == 1 ? "" : "s");
	if (st.missing) {
		char first[ODL_SIRENE_FIRST * 18 + 8] = "";
		size_t len = 0;
		for (uint64_t k = 0; k < st.missing && k < ODL_SIRENE_FIRST; k++)
			len += (size_t)snprintf(first + len, sizeof(first) - len, "%s%s",
						k ? ", " : "", st.first_missing[k]);
		if (st.missing > ODL_SIRENE_FIRST)
			snprintf(first + len, sizeof(first) - len, "...");
		cli_warn("'%s': %llu territor%s with a SIREN the file does not list (%s): "
			 "no headcount band", path, (unsigned long long)st.missing,
			 st.missing == 1 ? "y" : "ies", first);
	}
	return EXIT_OK;
}

static int build_table(struct config *cfg, odl_territories *t,
		       struct odl_territory_build_stats *st)
{
	struct odl_territory_sources in;
	struct odl_error err;

	odl_territory_sources_init(&in);
	in.cog = cfg->cog;
	in.population = cfg->population;
	in.epci = cfg->epci;
	in.departements = cfg->departements;
	in.regions = cfg->regions;
	in.siren = cfg->siren;
	in.nsiren = cfg->nsiren;
	in.population_year = cfg->population_year;
	odl_error_clear(&err);
	if (odl_territories_build_from(t, &in, st, &err) != ODL_OK) {
		cli_error_odl(err.file[0] ? err.file : cfg->cog, &err);
		return EXIT_TROUBLE;
	}
	return EXIT_OK;
}

/* The reference year a published file's name carries (insee_cog2026_...,
 * dgcl_epcicom_2025.csv), or 0. */
static int year_in_name(const char *path)
{
	const char *base = strrchr(path, '/');
	int year = 0;

	for (const char *p = base ? base + 1 : path; *p; p++) {
		if ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) {
			if (p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
			    !(p[4] >= '0' && p[4] <= '9') && (p == path || !(p[-1] >= '0' && p[-1] <= '9')))
				year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		}
	}
	return year;
}

/*
 * Beside a table written to FILE, FILE.sources.ndjson says where each of
 * its columns came from: one line per source file, its role, its size and
 * SHA-256, and its vintage (the year given, or the one its name carries).
 */
static int write_sources(const struct config *cfg)
{
	struct { const char *role, *path; int year; } src[24];
	size_t n = 0;
	char path[4096];
	struct odl_error err;
	odl_outfile *o;

	if (!cfg->output || !strcmp(cfg->output, "-"))
		return EXIT_OK;
#define ADD(r, p, y) do { if ((p) && n < sizeof(src) / sizeof(*src)) { src[n].role = (r); src[n].path = (p); src[n].year = (y); n++; } } while (0)
	ADD("cog-communes", cfg->cog, 0);
	ADD("populations", cfg->population, cfg->population_year);
	ADD("epci", cfg->epci, 0);
	ADD("cog-departements", cfg->departements, 0);
	ADD("cog-regions", cfg->regions, 0);
	for (size_t i = 0; i < cfg->nsiren; i++)
		ADD("siren", cfg->siren[i], 0);
	ADD("sirene", cfg->sirene, 0);
	ADD("territories", cfg->territories, 0);
#undef ADD
	snprintf(path, sizeof(path), "%s.sources.ndjson", cfg->output);
	odl_error_clear(&err);
	if (odl_outfile_open(path, &o, &err) != ODL_OK) {
		cli_error("'%s': %s", path, err.message);
		return EXIT_TROUBLE;
	}
	for (size_t i = 0; i < n; i++) {
		char hex[ODL_HASH_HEX_MAX] = "";
		struct stat sb;
		int year = src[i].year ? src[i].year : strcmp(src[i].path, "-") ? year_in_name(src[i].path) : 0;
		json_t *line = json_pack("{s:s, s:s}", "source", src[i].role, "path", src[i].path);
		if (!line)
			cli_die("out of memory");
		json_object_set_new(line, "vintage", year ? json_integer(year) : json_null());
		json_object_set_new(line, "vintage_from", !year ? json_null() :
				    src[i].year ? json_string("option") : json_string("file name"));
		if (strcmp(src[i].path, "-") && stat(src[i].path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			FILE *f = fopen(src[i].path, "rb");
			odl_hash *h = odl_hash_new(ODL_HASH_SHA256);
			char buf[65536];
			size_t k;
			while (f && h && (k = fread(buf, 1, sizeof(buf), f)) > 0)
				odl_hash_update(h, buf, k);
			if (f && h && !ferror(f))
				odl_hash_final_hex(h, hex);
			odl_hash_free(h);
			if (f)
				fclose(f);
			json_object_set_new(line, "bytes", json_integer((json_int_t)sb.st_size));
		}
		json_object_set_new(line, "sha256", *hex ? json_string(hex) : json_null());
		if (odl_ndjson_write(odl_outfile_stream(o), line) != ODL_OK)
			cli_die("out of memory");
		json_decref(line);
	}
	if (odl_outfile_commit(o, &err) != ODL_OK) {
		cli_error("'%s': %s", path, err.message);
		return EXIT_TROUBLE;
	}
	return EXIT_OK;
}

static int cmd_territories(struct config *cfg, struct emitter *em)
{
	odl_territories *t;
	struct odl_territory_build_stats st;
	const char *const *cols;

	if (cfg->cog && cfg->territories)
		cli_usage_error("territories takes --cog FILE or --territories FILE, not both");
	if (!cfg->cog && !(cfg->territories && cfg->sirene))
		cli_usage_error("territories needs --cog FILE (or --territories FILE with --agents-from-sirene)");
	if (cfg->territories && cfg->sirene && !strcmp(cfg->territories, "-") && !strcmp(cfg->sirene, "-"))
		cli_usage_error("--agents-from-sirene - and the other input both on standard input");
	memset(&st, 0, sizeof(st));
	if (cfg->territories) {
		/* an existing table, given its headcount bands */
		t = load_territories(cfg->territories);
	} else {
		if (!(t = odl_territories_new()))
			cli_die("out of memory");
		if (build_table(cfg, t, &st) != EXIT_OK) {
			odl_territories_free(t);
			return EXIT_TROUBLE;
		}
	}
	if (cfg->sirene && read_sirene(cfg->sirene, t) != EXIT_OK) {
		odl_territories_free(t);
		return EXIT_TROUBLE;
	}
	em->ncols = odl_territories_columns(t, &cols);
	em->cols = cols;
	em->csv = 1; /* the table is a CSV file whatever --format says */
	for (size_t i = 0; i < odl_territories_count(t); i++) {
		const char *const *cells = odl_territory_cells(t, odl_territories_at(t, i));
		struct out_row *obj = row_new(em);
		for (size_t j = 0; j < em->ncols; j++)
			put_n(obj, cols[j], strlen(cols[j]), v_str(cells[j]));
		emit(obj);
	}
	/* every row a rule left without population or SIREN: a count per
	 * cause, named after the file the rows come from, and the first codes */
	for (int c = 0; c < ODL_GAP_COUNT; c++) {
		const struct odl_territory_gap *g = &st.gap[c];
		const char *file = c == ODL_GAP_EPCI_POPULATION ? cfg->epci :
				   c == ODL_GAP_DEP_POPULATION || c == ODL_GAP_DEP_SIREN ? cfg->departements :
				   c == ODL_GAP_REG_POPULATION || c == ODL_GAP_REG_SIREN ? cfg->regions :
				   cfg->cog;
		char first[ODL_TERRITORY_GAP_FIRST * 18 + 8] = "";
		size_t len = 0;
		if (!g->n)
			continue;
		for (uint64_t k = 0; k < g->n && k < ODL_TERRITORY_GAP_FIRST; k++)
			len += (size_t)snprintf(first + len, sizeof(first) - len, "%s%s",
						k ? ", " : "", g->first[k]);
		if (g->n > ODL_TERRITORY_GAP_FIRST)
			snprintf(first + len, sizeof(first) - len, "...");
		cli_warn("'%s': %s: %llu (%s)", file,
			 odl_territory_gap_text((enum odl_territory_gap_cause)c),
			 (unsigned long long)g->n, first);
	}
	odl_territories_free(t);
	return write_sources(cfg);
}

/* ---- indicators ---- */

static const char *const indicator_cols[] = {
	"set", "territory", "name", "type", "indicator", "category", "year", "value",
	"numerator", "denominator", "denominator_column", "per", "unit", "n_rows", "n_errors",
	"null_reason", "per_inhabitants", "title_fr", "title_en"
};

/*
 * NDJSON rows by fragments: what a row says of its territory and of its
 * indicator is the same in every row of that territory or indicator, so it
 * is written once into a fragment and copied after (a national run writes
 * 630,000 rows of 19 members).  The bytes are those emit() writes: the
 * fragments are made by it, and a fragment is used only for the very
 * values it was made of.
 */
struct frag {
	char *text;
	size_t len;
};

struct ind_frag {
	/* what it was made of */
	const char *indicator, *unit, *den_column, *title_fr, *title_en;
	double per, per_inhabitants;
	struct frag head;  /* ID,"category": */
	struct frag mid;   /* ,"denominator_column":...,"n_rows": */
	struct frag tail;  /* ,"per_inhabitants":...}\n */
};

#define IND_FRAGS 64

struct ind_ctx {
	struct emitter *em;
	const char *set;
	const struct odl_territory *terr; /* the territory of terr_frag */
	struct frag terr_frag;            /* {"set":...,"indicator": */
	struct ind_frag ind[IND_FRAGS];
	size_t nind, last;
};

/* what fill() writes through emit()'s writers, kept in f */
static void frag_take(struct emitter *em, size_t from, struct frag *f)
{
	free(f->text);
	f->len = em->len - from;
	f->text = malloc(f->len ? f->len : 1);
	if (!f->text)
		cli_die("out of memory");
	memcpy(f->text, em->out + from, f->len);
	em->len = from;
}

static void put_member(struct emitter *em, const char *key, const struct val *v)
{
	lputc(em, ',');
	lputc(em, '"');
	lputs(em, key);
	lput(em, "\":", 2);
	write_val(em, v, 0);
}

static const struct ind_frag *ind_frag(struct ind_ctx *ic, const struct odl_indicator_row *r)
{
	struct emitter *em = ic->em;
	struct ind_frag *f = NULL;

	for (size_t c = 0; c < ic->nind; c++) {
		struct ind_frag *x = &ic->ind[(ic->last + c) % ic->nind];
		if (x->indicator == r->indicator && x->unit == r->unit &&
		    x->den_column == r->denominator_column && x->title_fr == r->title_fr &&
		    x->title_en == r->title_en && x->per == r->per &&
		    x->per_inhabitants == r->per_inhabitants) {
			ic->last = (size_t)(x - ic->ind);
			return x;
		}
	}
	if (ic->nind < IND_FRAGS) {
		f = &ic->ind[ic->nind++];
	} else {
		f = &ic->ind[(ic->last + 1) % IND_FRAGS];
	}
	ic->last = (size_t)(f - ic->ind);
	f->indicator = r->indicator;
	f->unit = r->unit;
	f->den_column = r->denominator_column;
	f->title_fr = r->title_fr;
	f->title_en = r->title_en;
	f->per = r->per;
	f->per_inhabitants = r->per_inhabitants;
	size_t from = em->len;
	struct val v = v_str(r->indicator);
	write_val(em, &v, 0);
	lputs(em, ",\"category\":");
	frag_take(em, from, &f->head);
	v = opt_str(r->denominator_column);
	put_member(em, "denominator_column", &v);
	v = opt_num(r->denominator_column != NULL, r->per);
	put_member(em, "per", &v);
	v = opt_str(r->unit);
	put_member(em, "unit", &v);
	lputs(em, ",\"n_rows\":");
	frag_take(em, from, &f->mid);
	v = opt_num(r->per_inhabitants > 0, r->per_inhabitants);
	put_member(em, "per_inhabitants", &v);
	v = opt_str(r->title_fr);
	put_member(em, "title_fr", &v);
	v = opt_str(r->title_en);
	put_member(em, "title_en", &v);
	lput(em, "}\n", 2);
	frag_take(em, from, &f->tail);
	return f;
}

static void ind_ctx_free(struct ind_ctx *ic)
{
	free(ic->terr_frag.text);
	for (size_t i = 0; i < ic->nind; i++) {
		free(ic->ind[i].head.text);
		free(ic->ind[i].mid.text);
		free(ic->ind[i].tail.text);
	}
}

static void put_numval(struct emitter *em, struct val v)
{
	write_val(em, &v, 0);
}

/* the NDJSON row of on_indicator, by fragments */
static void indicator_json(struct ind_ctx *ic, const struct odl_indicator_row *r)
{
	struct emitter *em = ic->em;

	if (ic->terr != r->territory || !ic->terr_frag.text) {
		size_t from = em->len;
		struct val v = v_str(ic->set);
		lputs(em, "{\"set\":");
		write_val(em, &v, 0);
		v = v_str(r->territory->code);
		put_member(em, "territory", &v);
		v = v_str(r->territory->name);
		put_member(em, "name", &v);
		v = v_str(r->territory->type);
		put_member(em, "type", &v);
		lputs(em, ",\"indicator\":");
		frag_take(em, from, &ic->terr_frag);
		ic->terr = r->territory;
	}
	const struct ind_frag *f = ind_frag(ic, r);
	lput(em, ic->terr_frag.text, ic->terr_frag.len);
	lput(em, f->head.text, f->head.len);
	put_numval(em, opt_str(r->category));
	lput(em, ",\"year\":", 8);
	put_numval(em, r->year ? v_int(r->year) : v_null());
	lput(em, ",\"value\":", 9);
	size_t vfrom = em->len;
	put_numval(em, opt_num(r->has_value, r->value));
	lput(em, ",\"numerator\":", 13);
	/* without a denominator the numerator is the value: its text again */
	if (r->has_numerator == r->has_value &&
	    (!r->has_value || memcmp(&r->numerator, &r->value, sizeof(r->value)) == 0) &&
	    em->len - vfrom - 13 <= 32) {
		char text[32];
		size_t n = em->len - vfrom - 13;
		memcpy(text, em->out + vfrom, n);
		lput(em, text, n);
	} else {
		put_numval(em, opt_num(r->has_numerator, r->numerator));
	}
	lput(em, ",\"denominator\":", 15);
	put_numval(em, opt_num(r->has_denominator, r->denominator));
	lput(em, f->mid.text, f->mid.len);
	put_int(em, (json_int_t)r->n_rows);
	lput(em, ",\"n_errors\":", 12);
	put_int(em, (json_int_t)r->n_errors);
	lput(em, ",\"null_reason\":", 15);
	put_numval(em, opt_str(r->null_reason));
	lput(em, f->tail.text, f->tail.len);
	if (em->tty < 0)
		em->tty = isatty(fileno(em->f));
	if (em->len >= OUT_BATCH || em->tty)
		out_flush(em);
}

static int on_indicator(void *ctx, const struct odl_indicator_row *r)
{
	struct ind_ctx *ic = ctx;
	struct out_row *o;

	if (!ic->em->csv) {
		indicator_json(ic, r);
		return 0;
	}
	o = row_new(ic->em);

	put(o, "set", v_str(ic->set));
	put(o, "territory", v_str(r->territory->code));
	put(o, "name", v_str(r->territory->name));
	put(o, "type", v_str(r->territory->type));
	put(o, "indicator", v_str(r->indicator));
	put(o, "category", opt_str(r->category));
	put(o, "year", r->year ? v_int(r->year) : v_null());
	put(o, "value", opt_num(r->has_value, r->value));
	put(o, "numerator", opt_num(r->has_numerator, r->numerator));
	put(o, "denominator", opt_num(r->has_denominator, r->denominator));
	put(o, "denominator_column", opt_str(r->denominator_column));
	put(o, "per", opt_num(r->denominator_column != NULL, r->per));
	put(o, "unit", opt_str(r->unit));
	put(o, "n_rows", v_int((json_int_t)r->n_rows));
	put(o, "n_errors", v_int((json_int_t)r->n_errors));
	/* why a value is null ("not-measured"...), and what rank divides by
	 * the population (1, 1000, or null: no per-inhabitant figure) */
	put(o, "null_reason", opt_str(r->null_reason));
	put(o, "per_inhabitants", opt_num(r->per_inhabitants > 0, r->per_inhabitants));
	/* so a report can say "Montant par habitant", not its id */
	put(o, "title_fr", opt_str(r->title_fr));
	put(o, "title_en", opt_str(r->title_en));
	emit(o);
	return 0;
}

static char *set_path(const char *name)
{
	size_t n = strlen(name);
	char *p;

	if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".json") == 0))
		return strdup(name);
	p = malloc(strlen(cli_data_dir()) + n + 32);
	if (p)
		sprintf(p, "%s/indicators/%s.json", cli_data_dir(), name);
	return p;
}

static void report_stats(const char *path, const struct odl_indicator_stats *st)
{
	/* a rejected amount says why, and the two ways to accept it */
	char why[320] = "";
	if (st->fixable == st->non_numeric && st->fixable == 1)
		snprintf(why, sizeof(why), ": written the French way (%s), which SCDL does not "
			 "allow; --lenient-numbers reads such amounts, 'odl-validate --fix' "
			 "repairs the file", st->first_fixable_as);
	else if (st->fixable)
		snprintf(why, sizeof(why), "; %llu of them written the French way (first: '%s' "
			 "for %s, line %llu), which SCDL does not allow: --lenient-numbers reads "
			 "such amounts, 'odl-validate --fix' repairs the file",
			 (unsigned long long)st->fixable, st->first_fixable_value,
			 st->first_fixable_as, (unsigned long long)st->first_fixable_line);
	if (st->non_numeric)
		cli_warn("'%s' line %llu, field '%s': %llu value%s not a number (first: '%s'), "
			 "counted in n_errors%s", path, (unsigned long long)st->first_error_line,
			 st->first_error_field, (unsigned long long)st->non_numeric,
			 st->non_numeric == 1 ? " is" : "s are", st->first_error_value, why);
	if (st->absent)
		cli_warn("'%s', field '%s': missing column, %s%s not measured from this file", path,
			 st->first_absent_field, st->first_absent_indicator,
			 st->absent == 1 ? "" : " and others");
	if (st->lenient)
		cli_warn("'%s' line %llu, field '%s': %llu value%s written the French way, read as "
			 "%s (first: '%s' as %s)", path,
			 (unsigned long long)st->first_lenient_line, st->first_lenient_field,
			 (unsigned long long)st->lenient, st->lenient == 1 ? "" : "s",
			 st->lenient == 1 ? "a number" : "numbers",
			 st->first_lenient_value, st->first_lenient_as);
	if (st->no_territory)
		cli_warn("'%s' line %llu: %llu row%s with no territory of the table (first: '%s'), "
			 "left out", path, (unsigned long long)st->first_unknown_line,
			 (unsigned long long)st->no_territory, st->no_territory == 1 ? "" : "s",
			 st->first_unknown_key);
	if (st->no_year)
		cli_warn("'%s': %llu row%s without a year, left out", path,
			 (unsigned long long)st->no_year, st->no_year == 1 ? "" : "s");
	if (st->overflow)
		cli_warn("'%s' line %llu, field '%s': a sum passes the largest number (%llu sum%s), "
			 "left null and counted in n_errors", path,
			 (unsigned long long)st->first_overflow_line, st->first_overflow_field,
			 (unsigned long long)st->overflow, st->overflow == 1 ? "" : "s");
}

/* "'territoires.csv' line 4" or, for a row that has no line, its code */
static void territory_place(char *buf, size_t n, const char *path, const odl_territories *t,
			    const struct odl_territory *terr)
{
	uint64_t line = odl_territory_line(t, terr);

	if (line)
		snprintf(buf, n, "'%s' line %llu", path, (unsigned long long)line);
	else
		snprintf(buf, n, "'%s' territory '%s'", path, terr->code);
}

/* What dividing by the table's columns met; 1 when a value is in error. */
static int report_results(const char *path, const odl_territories *t,
			  const struct odl_indicator_result_stats *st)
{
	char place[512];

	if (st->bad_denominator) {
		territory_place(place, sizeof(place), path, t, st->first_bad);
		cli_warn("%s, field '%s': '%s' is not a number of 0 or more (%llu territor%s), "
			 "%llu value%s left null and counted in n_errors", place,
			 st->first_bad_column, st->first_bad_value,
			 (unsigned long long)st->bad_territories,
			 st->bad_territories == 1 ? "y" : "ies",
			 (unsigned long long)st->bad_denominator,
			 st->bad_denominator == 1 ? "" : "s");
	}
	if (st->overflow) {
		territory_place(place, sizeof(place), path, t, st->first_overflow);
		cli_warn("%s, field '%s': '%s' divided by it passes the largest number "
			 "(%llu value%s), left null and counted in n_errors", place,
			 st->first_overflow_column, st->first_overflow_indicator,
			 (unsigned long long)st->overflow, st->overflow == 1 ? "" : "s");
	}
	if (st->zero_denominator) {
		territory_place(place, sizeof(place), path, t, st->first_zero);
		cli_warn("%s, field '%s': 0, no ratio (%llu value%s left null)", place,
			 st->first_zero_column, (unsigned long long)st->zero_denominator,
			 st->zero_denominator == 1 ? "" : "s");
	}
	return st->bad_denominator || st->overflow;
}

/* The "schema" an indicator set declares, e.g. "scdl/subventions". */
static char *set_schema(const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	const char *name = json_string_value(json_object_get(root, "schema"));
	char *copy = name ? strdup(name) : NULL;

	json_decref(root);
	return copy;
}

struct manifest_pick {
	const char *schema;
	char **files;
	size_t n, cap;
};

/* Keep the files odl-fetch obtained whose declared schema is the set's. */
static int pick_file(void *ctx, json_t *obj, uint64_t line)
{
	struct manifest_pick *mp = ctx;
	const char *status = json_string_value(json_object_get(obj, "status"));
	const char *path = json_string_value(json_object_get(obj, "path"));
	json_t *schema = json_object_get(obj, "schema");
	const char *name = json_is_string(schema) ? json_string_value(schema)
			   : json_string_value(json_object_get(schema, "name"));

	(void)line;
	if (!path || !name || !status || strcmp(status, "failed") == 0)
		return 0;
	size_t len = strlen(mp->schema);
	/* "scdl/subventions" or "scdl/subventions@2.1.1" both name the schema */
	if (strncmp(name, mp->schema, len) != 0 || (name[len] && name[len] != '@'))
		return 0;
	if (mp->n == mp->cap) {
		size_t cap = mp->cap ? mp->cap * 2 : 64;
		char **f = realloc(mp->files, cap * sizeof(*f));
		if (!f)
			return 1;
		mp->files = f;
		mp->cap = cap;
	}
	if (!(mp->files[mp->n] = strdup(path)))
		return 1;
	mp->n++;
	return 0;
}

/* "odl-compare: warning: 'f.csv' line 1, field 'x': missing column, file skipped" */
static void skip_warning(const char *path, const struct odl_error *err)
{
	char where[1024] = "";
	size_t n = 0;

	n += (size_t)snprintf(where, sizeof(where), "'%s'", err->file[0] ? err->file : path);
	if (err->line && n < sizeof(where))
		n += (size_t)snprintf(where + n, sizeof(where) - n, " line %llu",
				      (unsigned long long)err->line);
	if (err->field[0] && n < sizeof(where))
		snprintf(where + n, sizeof(where) - n, ", field '%s'", err->field);
	cli_warn("%s: %s, file skipped", where,
		 err->message[0] ? err->message : odl_strerror(err->code));
}

/*
 * A file failed after some of its rows were counted: start the run again
 * from the files read whole, so that nothing of the skipped one stays.
 * Standard input cannot be read twice: then the run stops.
 */
static int rebuild_run(odl_indicator_run **run, const odl_indicator_set *set,
		       const odl_territories *t, const struct odl_indicator_limits *lim,
		       const char *const *good, size_t ngood, const struct odl_csv_options *csv,
		       int lenient, int threads)
{
	struct odl_error err;

	for (size_t i = 0; i < ngood; i++)
		if (strcmp(good[i], "-") == 0) {
			cli_error("'-': cannot be read again to leave out a skipped file's rows");
			return -1;
		}
	odl_indicator_run_free(*run);
	*run = odl_indicator_run_new(set, t, lim);
	if (!*run)
		cli_die("out of memory");
	odl_indicator_run_set_lenient(*run, lenient);
	odl_indicator_run_set_threads(*run, threads);
	for (size_t i = 0; i < ngood; i++) {
		odl_error_clear(&err);
		if (odl_indicator_run_path(*run, good[i], csv, &err) != ODL_OK) {
			cli_error_odl(good[i], &err);
			return -1;
		}
	}
	return 0;
}

static int cmd_indicators(struct config *cfg, struct emitter *em, int nfiles, char **files)
{
	struct odl_indicator_limits lim = { cfg->max_values, 0 };
	odl_indicator_set *set = NULL;
	odl_territories *t;
	odl_indicator_run *run;
	struct odl_error err;
	int status = EXIT_OK;
	char *path;

	if (!cfg->set)
		cli_usage_error("indicators needs --set NAME");
	if (!cfg->territories)
		cli_usage_error("indicators needs --territories FILE");
	if (nfiles == 0 && !cfg->manifest)
		cli_usage_error("no data file");
	if (nfiles && cfg->manifest)
		cli_usage_error("give data files or --manifest, not both");
	path = set_path(cfg->set);
	if (!path)
		cli_die("out of memory");
	odl_error_clear(&err);
	if (odl_indicator_set_load(path, &set, &err) != ODL_OK) {
		cli_error_odl(path, &err);
		free(path);
		return EXIT_TROUBLE;
	}
	struct manifest_pick mp = { NULL, NULL, 0, 0 };
	if (cfg->manifest) {
		char *schema = set_schema(path);
		if (!schema) {
			cli_error("'%s': the set declares no \"schema\" to pick files by", path);
			free(path);
			odl_indicator_set_free(set);
			return EXIT_TROUBLE;
		}
		mp.schema = schema;
		odl_ndjson *nd = odl_ndjson_new(0, pick_file, &mp);
		if (!nd)
			cli_die("out of memory");
		odl_error_clear(&err);
		int r = odl_ndjson_read_path(nd, cfg->manifest, &err);
		odl_ndjson_free(nd);
		free(schema);
		if (r != ODL_OK) {
			if (r == ODL_ECANCELED)
				cli_die("out of memory");
			cli_error_odl(cfg->manifest, &err);
			free(path);
			odl_indicator_set_free(set);
			return EXIT_TROUBLE;
		}
		files = mp.files;
		nfiles = (int)mp.n;
	}
	free(path);
	t = load_territories(cfg->territories);
	run = odl_indicator_run_new(set, t, &lim);
	if (!run)
		cli_die("out of memory");
	odl_indicator_run_set_lenient(run, cfg->lenient);
	odl_indicator_run_set_threads(run, cfg->threads);
	/* the files read whole, replayed if a later one fails half-way */
	const char **good = malloc((nfiles ? (size_t)nfiles : 1) * sizeof(*good));
	size_t ngood = 0;
	uint64_t nskipped = 0;
	struct cli_progress prog;
	if (!good)
		cli_die("out of memory");
	/* files done of the total and files skipped, on a terminal */
	cli_progress_start(&prog, cfg->quiet || nfiles < 2, "files", "files", "skipped",
			   (uint64_t)nfiles);
	for (int i = 0; i < nfiles && status != EXIT_TROUBLE; i++) {
		cli_progress(&prog, (uint64_t)i, nskipped);
		odl_error_clear(&err);
		int rc = odl_indicator_run_path(run, files[i], &cfg->data, &err);
		const struct odl_indicator_stats *st = odl_indicator_run_stats(run);
		if (rc == ODL_OK) {
			good[ngood++] = files[i];
			report_stats(files[i], st);
			if ((st->non_numeric || st->overflow) && cfg->strict)
				status = EXIT_INVALID;
			continue;
		}
		/* a file that cannot be opened or read, or memory: the run stops */
		if (rc == ODL_EIO || rc == ODL_ENOMEM) {
			cli_error_odl(files[i], &err);
			status = EXIT_TROUBLE;
			break;
		}
		/* a file the set cannot read (old headers, a label row, bad
		 * bytes): skipped, the others go on, exit 1 at the end */
		skip_warning(files[i], &err);
		nskipped++;
		status = status == EXIT_TROUBLE ? status : EXIT_INVALID;
		if (st->used && rebuild_run(&run, set, t, &lim, good, ngood, &cfg->data,
						 cfg->lenient, cfg->threads) != 0)
			status = EXIT_TROUBLE;
	}
	cli_progress(&prog, (uint64_t)nfiles, nskipped);
	cli_progress_end(&prog);
	free(good);
	if (status != EXIT_TROUBLE) {
		struct ind_ctx ic;
		memset(&ic, 0, sizeof(ic));
		ic.em = em;
		ic.set = odl_indicator_set_name(set);
		em->cols = indicator_cols;
		em->ncols = sizeof(indicator_cols) / sizeof(*indicator_cols);
		odl_error_clear(&err);
		if (odl_indicator_run_results(run, on_indicator, &ic, &err) != ODL_OK) {
			cli_error_odl(cfg->territories, &err);
			status = EXIT_TROUBLE;
		} else if (report_results(cfg->territories, t, odl_indicator_run_result_stats(run)) &&
			   cfg->strict) {
			status = EXIT_INVALID;
		}
		ind_ctx_free(&ic);
	}
	odl_indicator_run_free(run);
	odl_indicator_set_free(set);
	odl_territories_free(t);
	for (size_t i = 0; i < mp.n; i++)
		free(mp.files[i]);
	free(mp.files);
	return status;
}

/* ---- rank ---- */

static const char *const rank_cols[] = {
	"territory", "name", "indicator", "category", "year", "value", "per_inhabitant",
	"peers", "rank", "n_peers", "percentile", "peer_median", "peer_q1", "peer_q3",
	"ratio_to_median", "previous_value", "change", "change_pct", "base_year", "base_value",
	"change_since_base", "change_since_base_pct", "annual_rate_pct", "per_inhabitants",
	"n_errors", "null_reason", "unit", "title_fr", "title_en"
};

/* What the indicator rows say of each indicator, carried to the ranks. */
struct ind_label {
	char *id, *unit, *title_fr, *title_en;
};

struct rank_ctx {
	odl_compare *cmp;
	const char *path;
	struct ind_label *labels;
	size_t nlabels;
	struct cli_progress prog; /* rows read, then rows ranked */
	uint64_t nread, nranked, nnull, nranked_null;
	char *scratch;     /* one row's strings */
	size_t scratch_cap;
};

/* The members of an indicator row that rank reads, in this order. */
enum { IN_TERRITORY, IN_INDICATOR, IN_CATEGORY, IN_YEAR, IN_VALUE, IN_DEN_COLUMN, IN_N_ERRORS,
       IN_PER_INHABITANTS, IN_NULL_REASON, IN_UNIT, IN_TITLE_FR, IN_TITLE_EN, IN_COUNT };

static const char *const in_keys[IN_COUNT] = {
	"territory", "indicator", "category", "year", "value", "denominator_column", "n_errors",
	"per_inhabitants", "null_reason", "unit", "title_fr", "title_en"
};

/* a string member as json_string_value gives it: NULL unless a string
 * (copied, NUL-terminated, into the row's scratch buffer) */
static const char *in_str(const struct fj_value *v, char **scratch)
{
	if (v->type != FJ_STRING)
		return NULL;
	char *d = *scratch;
	memcpy(d, v->s, v->len);
	d[v->len] = 0;
	*scratch += v->len + 1;
	return d;
}

static char *dup_label(const char *v)
{
	char *d = v && *v ? strdup(v) : NULL;
	if (v && *v && !d)
		cli_die("out of memory");
	return d;
}

static void remember_label(struct rank_ctx *rc, const char *ind, const char *unit,
			   const char *title_fr, const char *title_en)
{
	/* rows come grouped by indicator: the last one seen is the usual hit */
	for (size_t i = rc->nlabels; i-- > 0;)
		if (strcmp(rc->labels[i].id, ind) == 0)
			return;
	struct ind_label *l = realloc(rc->labels, (rc->nlabels + 1) * sizeof(*l));
	if (!l || !(l[rc->nlabels].id = strdup(ind)))
		cli_die("out of memory");
	rc->labels = l;
	l += rc->nlabels++;
	l->unit = dup_label(unit);
	l->title_fr = dup_label(title_fr);
	l->title_en = dup_label(title_en);
}

static const struct ind_label *label_of(const struct rank_ctx *rc, const char *ind)
{
	for (size_t i = 0; i < rc->nlabels; i++)
		if (strcmp(rc->labels[i].id, ind) == 0)
			return &rc->labels[i];
	return NULL;
}

/* One indicator row, its members read by fj_parse or from jansson's object
 * (the same values: see cmd/flatjson.h); scratch holds the row's strings. */
static int add_row(struct rank_ctx *rc, const struct fj_value *m, char *scratch, uint64_t line)
{
	struct odl_error err;
	const struct fj_value *v = &m[IN_VALUE], *y = &m[IN_YEAR], *ne = &m[IN_N_ERRORS],
			      *pi = &m[IN_PER_INHABITANTS];
	const char *terr = in_str(&m[IN_TERRITORY], &scratch);
	const char *ind = in_str(&m[IN_INDICATOR], &scratch);
	const char *cat = in_str(&m[IN_CATEGORY], &scratch);
	int has_den = m[IN_DEN_COLUMN].type != FJ_ABSENT && m[IN_DEN_COLUMN].type != FJ_NULL;
	int v_num = v->type == FJ_INTEGER || v->type == FJ_REAL;
	int pi_num = pi->type == FJ_INTEGER || pi->type == FJ_REAL;
	const char *bad = !terr ? "territory" : !ind ? "indicator" :
			  !(y->type == FJ_INTEGER || y->type == FJ_NULL || y->type == FJ_ABSENT) ?
			  "year" : !(v_num || v->type == FJ_NULL) ? "value" :
			  ne->type != FJ_ABSENT && ne->type != FJ_NULL &&
			  !(ne->type == FJ_INTEGER && ne->i >= 0) ? "n_errors" :
			  pi->type != FJ_ABSENT && pi->type != FJ_NULL && !(pi_num && pi->d >= 0) ?
			  "per_inhabitants" : NULL;
	struct odl_compare_input in;

	if (bad) {
		cli_error("'%s' line %llu, field '%s': missing or mistyped in an indicator row",
			  rc->path, (unsigned long long)line, bad);
		return 1;
	}
	odl_error_clear(&err);
	odl_compare_input_init(&in);
	in.territory = terr;
	in.indicator = ind;
	in.category = cat;
	in.year = y->type == FJ_INTEGER ? (int)y->i : 0;
	in.has_value = v_num;
	in.value = v_num ? v->d : 0;
	in.has_denominator = has_den;
	/* rows written before per_inhabitants existed: per inhabitant; a
	 * null one (shares, medians): none */
	in.per_inhabitants = pi->type == FJ_ABSENT ? 1 : pi->type == FJ_NULL ? 0 : pi->d;
	in.n_errors = ne->type == FJ_INTEGER ? (uint64_t)ne->i : 0;
	in.null_reason = in_str(&m[IN_NULL_REASON], &scratch);
	rc->nread++;
	rc->nnull += !in.has_value;
	if ((rc->nread & 1023) == 0)
		cli_progress(&rc->prog, rc->nread, rc->nnull);
	if (odl_compare_add_input(rc->cmp, &in, &err) != ODL_OK) {
		cli_error("'%s' line %llu: %s", rc->path, (unsigned long long)line, err.message);
		return 1;
	}
	const char *unit = in_str(&m[IN_UNIT], &scratch);
	const char *title_fr = in_str(&m[IN_TITLE_FR], &scratch);
	const char *title_en = in_str(&m[IN_TITLE_EN], &scratch);
	remember_label(rc, ind, unit, title_fr, title_en);
	return 0;
}

/* the rows odl-compare indicators writes, without building a JSON object;
 * any other line goes to jansson (on_row_in) */
static int on_line_in(void *ctx, const char *s, size_t n, uint64_t line)
{
	struct rank_ctx *rc = ctx;
	struct fj_value m[IN_COUNT];

	if (fj_parse(s, n, in_keys, IN_COUNT, m) != 0)
		return -1;
	if (n + IN_COUNT + 1 > rc->scratch_cap) {
		size_t cap = n + IN_COUNT + 1;
		char *p = realloc(rc->scratch, cap);
		if (!p)
			cli_die("out of memory");
		rc->scratch = p;
		rc->scratch_cap = cap;
	}
	return add_row(rc, m, rc->scratch, line);
}

static int on_row_in(void *ctx, json_t *obj, uint64_t line)
{
	struct rank_ctx *rc = ctx;
	struct fj_value m[IN_COUNT];
	size_t need = 1;

	memset(m, 0, sizeof(m));
	for (size_t k = 0; k < IN_COUNT; k++) {
		json_t *j = json_object_get(obj, in_keys[k]);
		struct fj_value *v = &m[k];
		if (!j)
			continue;
		if (json_is_string(j)) {
			v->type = FJ_STRING;
			v->s = json_string_value(j);
			/* as json_string_value: up to a NUL */
			v->len = strlen(v->s);
			need += v->len + 1;
		} else if (json_is_integer(j)) {
			v->type = FJ_INTEGER;
			v->i = (long long)json_integer_value(j);
			v->d = json_number_value(j);
		} else if (json_is_real(j)) {
			v->type = FJ_REAL;
			v->d = json_real_value(j);
		} else if (json_is_null(j)) {
			v->type = FJ_NULL;
		} else {
			v->type = json_is_true(j) ? FJ_TRUE : FJ_FALSE; /* or an array, an object */
		}
	}
	if (need > rc->scratch_cap) {
		char *p = realloc(rc->scratch, need);
		if (!p)
			cli_die("out of memory");
		rc->scratch = p;
		rc->scratch_cap = need;
	}
	return add_row(rc, m, rc->scratch, line);
}

struct rank_out {
	struct emitter *em;
	struct rank_ctx *rc;
	const char *last_ind; /* the library's copy: one per indicator */
	const struct ind_label *last_label;
};

static int on_rank(void *ctx, const struct odl_compare_row *r)
{
	struct rank_out *ro = ctx;
	struct emitter *em = ro->em;
	if (ro->last_ind != r->indicator) {
		ro->last_label = label_of(ro->rc, r->indicator);
		ro->last_ind = r->indicator;
	}
	const struct ind_label *l = ro->last_label;
	struct out_row *o = row_new(em);
	int hv = r->has_value && r->n_peers > 0;

	ro->rc->nranked_null += !r->has_value;
	if ((++ro->rc->nranked & 1023) == 0)
		cli_progress(&ro->rc->prog, ro->rc->nranked, ro->rc->nranked_null);
	put(o, "territory", v_str(r->territory));
	put(o, "name", v_str(r->name));
	put(o, "indicator", v_str(r->indicator));
	put(o, "category", opt_str(r->category));
	put(o, "year", r->year ? v_int(r->year) : v_null());
	put(o, "value", opt_num(r->has_value, r->value));
	put(o, "per_inhabitant", opt_num(r->has_per_inhabitant, r->per_inhabitant));
	put(o, "peers", v_str(r->peers));
	put(o, "rank", hv ? v_int((json_int_t)r->rank) : v_null());
	put(o, "n_peers", v_int((json_int_t)r->n_peers));
	put(o, "percentile", opt_num(hv, r->percentile));
	put(o, "peer_median", opt_num(r->n_peers > 0, r->median));
	put(o, "peer_q1", opt_num(r->n_peers > 0, r->q1));
	put(o, "peer_q3", opt_num(r->n_peers > 0, r->q3));
	put(o, "ratio_to_median", opt_num(r->has_ratio, r->ratio_to_median));
	put(o, "previous_value", opt_num(r->has_previous, r->previous));
	put(o, "change", opt_num(r->has_previous, r->change));
	put(o, "change_pct", opt_num(r->has_change_pct, r->change_pct));
	put(o, "base_year", r->has_base ? v_int(r->base_year) : v_null());
	put(o, "base_value", opt_num(r->has_base, r->base_value));
	put(o, "change_since_base", opt_num(r->has_base, r->change_since_base));
	put(o, "change_since_base_pct", opt_num(r->has_change_since_base_pct,
						  r->change_since_base_pct));
	put(o, "annual_rate_pct", opt_num(r->has_annual_rate, r->annual_rate_pct));
	put(o, "per_inhabitants", opt_num(r->per_inhabitants > 0, r->per_inhabitants));
	/* so that a report can say why a value is missing */
	put(o, "n_errors", v_int((json_int_t)r->n_errors));
	put(o, "null_reason", opt_str(r->null_reason));
	put(o, "unit", opt_str(l ? l->unit : NULL));
	put(o, "title_fr", opt_str(l ? l->title_fr : NULL));
	put(o, "title_en", opt_str(l ? l->title_en : NULL));
	emit(o);
	return 0;
}

/* What ranking met; 1 when a figure is in error. */
static int report_rank(const char *path, const odl_territories *t,
		       const struct odl_compare_stats *st)
{
	char place[512];

	if (st->bad_population) {
		territory_place(place, sizeof(place), path, t, st->first_bad);
		cli_warn("%s, field 'population': '%s' is not a number of 0 or more "
			 "(%llu row%s without per_inhabitant)", place,
			 odl_territory_cell(t, st->first_bad, "population"),
			 (unsigned long long)st->bad_population, st->bad_population == 1 ? "" : "s");
	}
	if (st->overflow)
		cli_warn("territory '%s', field '%s': passes the largest number (%llu row%s), "
			 "left null", st->first_overflow, st->first_overflow_field,
			 (unsigned long long)st->overflow, st->overflow == 1 ? "" : "s");
	if (st->zero_population) {
		territory_place(place, sizeof(place), path, t, st->first_zero);
		cli_warn("%s, field 'population': 0, no per_inhabitant (%llu row%s)", place,
			 (unsigned long long)st->zero_population,
			 st->zero_population == 1 ? "" : "s");
	}
	return st->bad_population || st->overflow;
}

static int cmd_rank(struct config *cfg, struct emitter *em, int nfiles, char **files)
{
	odl_territories *t = cfg->territories ? load_territories(cfg->territories) : NULL;
	odl_compare *cmp = odl_compare_new(t);
	struct odl_error err;
	int status = EXIT_OK;
	char *stdin_name[] = { (char *)"-" };

	if (!cmp)
		cli_die("out of memory");
	odl_error_clear(&err);
	if (odl_compare_set_peers(cmp, cfg->peers ? cfg->peers : "all", &err) != ODL_OK) {
		cli_error_odl(cfg->peers, &err);
		status = EXIT_TROUBLE;
	}
	if (status == EXIT_OK && cfg->focus)
		odl_compare_set_focus(cmp, cfg->focus, NULL);
	odl_compare_set_base_year(cmp, cfg->since);
	if (status == EXIT_OK && cfg->type && odl_compare_set_type(cmp, cfg->type, &err) != ODL_OK)
		cli_usage_error("--type needs --territories");
	if (nfiles == 0) {
		nfiles = 1;
		files = stdin_name;
	}
	struct rank_ctx rc;
	memset(&rc, 0, sizeof(rc));
	rc.cmp = cmp;
	/* a national run reads and ranks millions of rows: rows so far, and
	 * those without a value, on a terminal */
	cli_progress_start(&rc.prog, cfg->quiet, "rows read", "rows", "null", 0);
	for (int i = 0; i < nfiles && status == EXIT_OK; i++) {
		rc.path = files[i];
		odl_ndjson *nd = odl_ndjson_new(0, on_row_in, &rc);
		if (!nd)
			cli_die("out of memory");
		odl_ndjson_set_line_fn(nd, on_line_in);
		odl_error_clear(&err);
		int r = odl_ndjson_read_path(nd, files[i], &err);
		if (r != ODL_OK) {
			if (r != ODL_ECANCELED)
				cli_error_odl(files[i], &err);
			status = EXIT_TROUBLE;
		}
		odl_ndjson_free(nd);
	}
	cli_progress(&rc.prog, rc.nread, rc.nnull);
	cli_progress_end(&rc.prog);
	/* every row read comes out, unless --focus or --type leaves some */
	cli_progress_start(&rc.prog, cfg->quiet, "rows ranked", "rows", "null",
			   cfg->focus || cfg->type ? 0 : rc.nread);
	if (status == EXIT_OK) {
		em->cols = rank_cols;
		em->ncols = sizeof(rank_cols) / sizeof(*rank_cols);
		odl_error_clear(&err);
		struct rank_out ro = { em, &rc, NULL, NULL };
		int r = odl_compare_run(cmp, on_rank, &ro, &err);
		cli_progress_end(&rc.prog);
		if (r != ODL_OK) {
			cli_error_odl("-", &err);
			status = EXIT_TROUBLE;
		} else if (report_rank(cfg->territories, t, odl_compare_stats(cmp)) && cfg->strict) {
			status = EXIT_INVALID;
		}
	}
	for (size_t i = 0; i < rc.nlabels; i++) {
		free(rc.labels[i].id);
		free(rc.labels[i].unit);
		free(rc.labels[i].title_fr);
		free(rc.labels[i].title_en);
	}
	free(rc.labels);
	free(rc.scratch);
	odl_compare_free(cmp);
	odl_territories_free(t);
	return status;
}

/* ---- compliance ---- */

static const char *const compliance_cols[] = {
	"code", "name", "type", "population", "agents", "obligated", "datasets", "resources",
	"failed", "scdl_schemas", "scdl_resources", "scdl_valid", "scdl_invalid",
	"scdl_unvalidated", "last_update", "days_since_update", "grade",
	/* with a headcount band column only */
	"evidence", "agents_band", "agents_range", "agents_year"
};

struct comp_ctx {
	struct emitter *em;
	const char *type;
	uint64_t unknown_agents;
	int with_band;
};

static int on_line(void *ctx, json_t *obj, uint64_t line)
{
	odl_compliance *c = ctx;
	struct odl_error err;

	(void)line;
	odl_error_clear(&err);
	if (odl_compliance_add(c, obj, &err) != ODL_OK) {
		cli_error_odl("-", &err);
		return 1;
	}
	return 0;
}

static int on_compliance(void *ctx, const struct odl_compliance_row *r)
{
	struct comp_ctx *cc = ctx;
	struct out_row *o;

	if (cc->type && strcmp(cc->type, r->territory->type) != 0)
		return 0;
	if (r->obligated == ODL_OBLIGATED_UNKNOWN_AGENTS)
		cc->unknown_agents++;
	o = row_new(cc->em);
	put(o, "code", v_str(r->territory->code));
	put(o, "name", v_str(r->territory->name));
	put(o, "type", v_str(r->territory->type));
	put(o, "population", opt_num(r->has_population, r->population));
	put(o, "agents", opt_num(r->has_agents, r->agents));
	put(o, "obligated", r->obligated == ODL_OBLIGATED_YES ? v_bool(1) :
			    r->obligated == ODL_OBLIGATED_NO ? v_bool(0) :
			    v_str(odl_obligated_name(r->obligated)));
	put(o, "datasets", v_int((json_int_t)r->datasets));
	put(o, "resources", v_int((json_int_t)r->resources));
	put(o, "failed", v_int((json_int_t)r->failed));
	put(o, "scdl_schemas", v_list(r->scdl_schemas, r->n_scdl_schemas));
	put(o, "scdl_resources", v_int((json_int_t)r->scdl_resources));
	put(o, "scdl_valid", v_int((json_int_t)r->scdl_valid));
	put(o, "scdl_invalid", v_int((json_int_t)r->scdl_invalid));
	put(o, "scdl_unvalidated", v_int((json_int_t)r->scdl_unvalidated));
	put(o, "last_update", r->last_update[0] ? v_str(r->last_update) : v_null());
	put(o, "days_since_update", r->has_days ? v_int(r->days_since_update) : v_null());
	char g[2] = { r->grade, 0 };
	put(o, "grade", v_str(g));
	char range[32]; /* v_str borrows: alive until emit */
	if (cc->with_band) {
		/* the decision's evidence: which criterion, and the band it rests on */
		const char *ev = odl_evidence_name(r->evidence);
		if (r->band_hi < 0)
			snprintf(range, sizeof(range), "%d+", r->band_lo);
		else
			snprintf(range, sizeof(range), "%d-%d", r->band_lo, r->band_hi);
		put(o, "evidence", ev ? v_str(ev) : v_null());
		put(o, "agents_band", r->agents_band[0] ? v_str(r->agents_band) : v_null());
		put(o, "agents_range", r->has_band ? v_str(range) : v_null());
		put(o, "agents_year", r->has_band && r->agents_year ? v_int(r->agents_year) : v_null());
	}
	emit(o);
	return 0;
}

static int cmd_compliance(struct config *cfg, struct emitter *em, int nfiles, char **files)
{
	struct odl_compliance_options opt;
	struct odl_error err;
	odl_territories *t;
	odl_compliance *c;
	int status = EXIT_OK;
	char *stdin_name[] = { (char *)"-" };

	if (!cfg->territories)
		cli_usage_error("compliance needs --territories FILE");
	if (cfg->sirene && strcmp(cfg->sirene, "-") == 0 &&
	    (nfiles == 0 || strcmp(cfg->territories, "-") == 0))
		cli_usage_error("--agents-from-sirene - and the other input both on standard input");
	for (int i = 0; i < nfiles; i++)
		if (cfg->sirene && strcmp(cfg->sirene, "-") == 0 && strcmp(files[i], "-") == 0)
			cli_usage_error("--agents-from-sirene - and the other input both on standard input");
	odl_compliance_options_init(&opt);
	if (cfg->pop_column)
		opt.population_column = cfg->pop_column;
	if (cfg->agents_column)
		opt.agents_column = cfg->agents_column;
	if (cfg->today) {
		if (odl_parse_day(cfg->today, &opt.today) != ODL_OK || strlen(cfg->today) != 10)
			cli_usage_error("invalid date '%s' (YYYY-MM-DD)", cfg->today);
	} else {
		opt.today = (int64_t)(time(NULL) / 86400);
	}
	t = load_territories(cfg->territories);
	if (!odl_territories_has_column(t, opt.population_column)) {
		odl_territories_free(t);
		cli_usage_error("'%s' has no column '%s'", cfg->territories, opt.population_column);
	}
	if (cfg->sirene && read_sirene(cfg->sirene, t) != EXIT_OK) {
		odl_territories_free(t);
		return EXIT_TROUBLE;
	}
	c = odl_compliance_new(t, &opt);
	if (!c)
		cli_die("out of memory");
	if (nfiles == 0) {
		nfiles = 1;
		files = stdin_name;
	}
	for (int i = 0; i < nfiles && status == EXIT_OK; i++) {
		odl_ndjson *nd = odl_ndjson_new(0, on_line, c);
		if (!nd)
			cli_die("out of memory");
		odl_error_clear(&err);
		int r = odl_ndjson_read_path(nd, files[i], &err);
		if (r != ODL_OK) {
			if (r != ODL_ECANCELED)
				cli_error_odl(files[i], &err);
			status = EXIT_TROUBLE;
		}
		odl_ndjson_free(nd);
	}
	if (status == EXIT_OK) {
		struct comp_ctx cc = { em, cfg->type, 0, odl_compliance_has_band(c) };
		em->cols = compliance_cols;
		em->ncols = sizeof(compliance_cols) / sizeof(*compliance_cols) - (cc.with_band ? 0 : 4);
		odl_error_clear(&err);
		if (odl_compliance_run(c, on_compliance, &cc, &err) != ODL_OK) {
			cli_error_odl("-", &err);
			status = EXIT_TROUBLE;
		}
		const struct odl_compliance_stats *st = odl_compliance_stats(c);
		if (cc.unknown_agents)
			cli_warn("'%s': %llu territor%s of 3,500 inhabitants or more without '%s'%s: "
				 "obligation unknown-agents", cfg->territories,
				 (unsigned long long)cc.unknown_agents,
				 cc.unknown_agents == 1 ? "y" : "ies", opt.agents_column,
				 cc.with_band ? " or a headcount band" : "");
		if (st->bad_bands)
			cli_warn("'%s': %llu '%s' cell%s not a headcount band of the Sirene register, "
				 "read as unknown", cfg->territories, (unsigned long long)st->bad_bands,
				 opt.band_column, st->bad_bands == 1 ? "" : "s");
		if (st->unmatched)
			cli_warn("%llu manifest line%s with an organisation not in '%s', left out",
				 (unsigned long long)st->unmatched, st->unmatched == 1 ? "" : "s",
				 cfg->territories);
		if (st->orphan_reports)
			cli_warn("%llu validation report%s naming a path no manifest line has, left out",
				 (unsigned long long)st->orphan_reports,
				 st->orphan_reports == 1 ? "" : "s");
		if (st->bad_population || st->bad_agents) {
			char place[512];
			territory_place(place, sizeof(place), cfg->territories, t, st->first_bad);
			cli_warn("%s, field '%s': '%s' is not a number of 0 or more "
				 "(%llu %s and %llu %s cells), read as unknown", place,
				 st->first_bad_column,
				 odl_territory_cell(t, st->first_bad, st->first_bad_column),
				 (unsigned long long)st->bad_population, opt.population_column,
				 (unsigned long long)st->bad_agents, opt.agents_column);
			if (cfg->strict)
				status = EXIT_INVALID;
		}
	}
	odl_compliance_free(c);
	odl_territories_free(t);
	return status;
}

/* ---- match: collectivités to data.gouv.fr organizations ---- */

static const char *const match_org_cols[] = {
	"territory", "siren", "org_id", "org_name", "org_siret", "org_slug"
};
static const char *const match_res_cols[] = {
	"territory", "org_id", "org_name", "org_siret", "dataset_id", "dataset_title",
	"dataset_slug", "resource_id", "resource_title", "url", "format", "type",
	"schema_name", "schema_version", "checksum_type", "checksum_value", "modified",
	"org_slug"
};

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int on_match(void *ctx, const struct odl_match_resource *r)
{
	struct emitter *em = ctx;

	if (em->csv) {
		const char *v[] = { r->territory, r->org_id, r->org_name, r->org_siret,
				    r->dataset_id, r->dataset_title, r->dataset_slug, r->id,
				    r->title, r->url, r->format, r->type, r->schema_name,
				    r->schema_version, r->checksum_type, r->checksum_value,
				    r->modified, r->org_slug };
		struct out_row *o = row_new(em);
		for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
			put_n(o, match_res_cols[i], strlen(match_res_cols[i]),
			      *v[i] ? v_str(v[i]) : v_null());
		emit(o);
		return 0;
	}
	/* the shape of an odl-fetch manifest line, before any download */
	json_t *o = json_pack("{s:s, s:o, s:{s:s, s:s, s:o, s:o}, s:{s:s, s:o, s:o}, "
			      "s:{s:s, s:o, s:o, s:o}, s:o, s:o, s:o}",
			      "territory", r->territory, "url", str_or_null(r->url),
			      "organization", "id", r->org_id, "name", r->org_name,
			      "siret", str_or_null(r->org_siret), "slug", str_or_null(r->org_slug),
			      "dataset", "id", r->dataset_id, "title", str_or_null(r->dataset_title),
			      "slug", str_or_null(r->dataset_slug),
			      "resource", "id", r->id, "title", str_or_null(r->title),
			      "format", str_or_null(r->format), "type", str_or_null(r->type),
			      "schema", *r->schema_name ? json_pack("{s:s, s:o}", "name", r->schema_name,
								     "version", str_or_null(r->schema_version))
							 : json_null(),
			      "checksum", *r->checksum_value ? json_pack("{s:s, s:s}", "type",
									  r->checksum_type, "value",
									  r->checksum_value)
							     : json_null(),
			      "modified", str_or_null(r->modified));
	out_flush(em);
	if (!o || odl_ndjson_write(em->f, o) != ODL_OK)
		em->failed = 1;
	json_decref(o);
	cli_check_stdout();
	return em->failed;
}

/* The table, and one warning for its rows without a SIREN (kept, never matched). */
static int load_match_territories(const char *path, odl_match *m, struct odl_error *err)
{
	const char *first;
	int rc = odl_match_load_territories(m, path, err);
	uint64_t n = rc == ODL_OK ? odl_match_without_siren(m, &first) : 0;

	if (n)
		cli_warn("'%s': %llu territor%s without a siren, not matched (first: '%s')", path,
			 (unsigned long long)n, n == 1 ? "y" : "ies", first);
	return rc;
}

static int cmd_match(struct config *cfg, struct emitter *em, int nfiles, char **files)
{
	struct odl_error err;
	odl_match *m;
	int status = EXIT_OK;

	if (!cfg->territories)
		cli_usage_error("match needs --territories FILE");
	if (nfiles < 1 || nfiles > 2)
		cli_usage_error("match needs the organizations export, and optionally the resources export");
	m = odl_match_new(NULL);
	if (!m)
		cli_die("out of memory");
	odl_error_clear(&err);
	if (load_match_territories(cfg->territories, m, &err) != ODL_OK) {
		cli_error_odl(cfg->territories, &err);
		status = EXIT_TROUBLE;
	} else if (odl_match_read_organizations(m, files[0], &err) != ODL_OK) {
		cli_error_odl(files[0], &err);
		status = EXIT_TROUBLE;
	} else if (nfiles == 2) {
		em->cols = match_res_cols;
		em->ncols = sizeof(match_res_cols) / sizeof(*match_res_cols);
		int r = odl_match_read_resources(m, files[1], on_match, em, &err);
		if (r != ODL_OK) {
			if (r != ODL_ECANCELED)
				cli_error_odl(files[1], &err);
			status = EXIT_TROUBLE;
		}
	} else {
		em->cols = match_org_cols;
		em->ncols = sizeof(match_org_cols) / sizeof(*match_org_cols);
		for (size_t i = 0; i < odl_match_org_count(m); i++) {
			struct odl_match_org org;
			if (odl_match_org_at(m, i, &org) != ODL_OK)
				continue;
			if (em->csv) {
				struct out_row *o = row_new(em);
				put(o, "territory", v_str(org.territory));
				put(o, "siren", v_str(org.siren));
				put(o, "org_id", v_str(org.id));
				put(o, "org_name", v_str(org.name));
				put(o, "org_siret", *org.siret ? v_str(org.siret) : v_null());
				put(o, "org_slug", *org.slug ? v_str(org.slug) : v_null());
				emit(o);
				continue;
			}
			json_t *o = json_pack("{s:s, s:s, s:{s:s, s:s, s:o, s:o}}", "territory",
					      org.territory, "siren", org.siren, "organization",
					      "id", org.id, "name", org.name, "siret",
					      str_or_null(org.siret), "slug", str_or_null(org.slug));
			out_flush(em);
			if (!o || odl_ndjson_write(em->f, o) != ODL_OK)
				em->failed = 1;
			json_decref(o);
		}
	}
	odl_match_free(m);
	return status;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct emitter em;
	int first, status;
	const char *cmd;

	memset(&cfg, 0, sizeof(cfg));
	/* as odl-validate: the reader on a second core when there is one */
	cfg.threads = sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
	memset(&em, 0, sizeof(em));
	odl_csv_options_init(&cfg.data);
	cli_init(&program);
	first = cli_parse(&program, argc, argv, handle, &cfg);
	if (first >= argc)
		cli_usage_error("no command (territories, indicators, rank, compliance or match)");
	cmd = argv[first++];
	if (strcmp(cmd, "territories") && strcmp(cmd, "indicators") && strcmp(cmd, "rank") &&
	    strcmp(cmd, "compliance") && strcmp(cmd, "match"))
		cli_usage_error("unknown command '%s'", cmd);
	em.csv = cfg.csv;
	em.tty = -1;
	em.f = cli_output_open(cfg.output ? cfg.output : "-");
	if (strcmp(cmd, "territories") == 0)
		status = cmd_territories(&cfg, &em);
	else if (strcmp(cmd, "indicators") == 0)
		status = cmd_indicators(&cfg, &em, argc - first, argv + first);
	else if (strcmp(cmd, "rank") == 0)
		status = cmd_rank(&cfg, &em, argc - first, argv + first);
	else if (strcmp(cmd, "match") == 0)
		status = cmd_match(&cfg, &em, argc - first, argv + first);
	else
		status = cmd_compliance(&cfg, &em, argc - first, argv + first);
	out_flush(&em);
	free(em.out);
	if (em.failed)
		cli_write_failed(em.f); /* says why; a closed pipe ends quietly */
	return cli_finish(cli_output_end(em.f, status));
}
