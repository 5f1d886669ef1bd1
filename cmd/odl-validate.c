/*
 * odl-validate - check CSV files against Table Schema / SCDL schemas.
 *
 * Each file is read once, streaming, and validated against its schema (given
 * by --schema, by the manifest, or detected from the header); findings are
 * counted in full and kept up to --max-errors, already written as the report
 * will hold them (spill.h: a temporary file past 64 KiB, so memory does not
 * grow with them), then the report is assembled around them as text, NDJSON,
 * a frictionless-shaped JSON report or CSV.  With -j N the files are
 * validated by N threads; reports come out in input order.  --describe only
 * says what the reader detects.
 */
#include "cli.h"
#include "hash_feed.h"
#include "spill.h"
#include "odl/csv.h"
#include "odl/fix.h"
#include "odl/messages.h"
#include "odl/ndjson.h"
#include "odl/schema.h"
#include "odl/hash.h"
#include "odl/outfile.h"
#include "odl/validate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { OPT_DESCRIBE = 1, OPT_FORMAT, OPT_ENCODING, OPT_DELIMITER, OPT_NO_HEADER,
       OPT_REPLACE, OPT_MAX_CELL, OPT_OUTPUT, OPT_SCHEMA, OPT_FIELDS_MATCH, OPT_MAX_ERRORS,
       OPT_LANG, OPT_MANIFEST, OPT_JOBS, OPT_NO_CHECKS, OPT_MAX_KEYS, OPT_CHECK_SCHEMA, OPT_SHEET,
       OPT_FIX, OPT_FIX_OUTPUT, OPT_FIX_DELIMITER, OPT_NO_FIX, OPT_FIX_ADD_MISSING, OPT_FIX_ORDER,
       OPT_QUIET, OPT_THREADS };

static const struct cli_option options[] = {
	{ OPT_SCHEMA, 's', "schema", "SCHEMA", "schema file, or name like scdl/subventions[@2.1.1] (default: detect from the header)" },
	{ OPT_FIELDS_MATCH, 'm', "fields-match", "MODE", "column matching: validata (default), exact, equal, subset, superset, partial" },
	{ OPT_MAX_ERRORS, 'n', "max-errors", "N", "errors kept per file in the report, 0 = all (default 1000); all are counted" },
	{ OPT_FORMAT, 'f', "format", "FMT", "report format: text, ndjson, frictionless, csv (default: text on a terminal, else ndjson)" },
	{ OPT_LANG, 0, "lang", "LANG", "language of the texts: fr or en (default: from the locale)" },
	{ OPT_MANIFEST, 0, "manifest", "FILE", "read the files to check from NDJSON lines with \"path\" and optional \"schema\" ('-' = stdin)" },
	{ OPT_JOBS, 'j', "jobs", "N", "validate N files at a time (default 1); reports keep the input order" },
	{ OPT_THREADS, 0, "threads", "N", "threads per file: 1 reads and validates on one, 2 parses on one while the other validates (default 2 on a machine with 2 cores or more)" },
	{ OPT_NO_CHECKS, 0, "no-custom-checks", NULL, "skip the schema's custom_checks (Validata's checks)" },
	{ OPT_MAX_KEYS, 0, "max-keys", "N", "distinct values remembered per unique field or key (default 8388608)" },
	{ OPT_FIX, 0, "fix", NULL, "write a repaired copy of each file (NAME.fixed.csv) and report each change" },
	{ OPT_FIX_OUTPUT, 0, "fix-output", "FILE", "with --fix: write the repaired file to FILE ('-' = stdout; one input only)" },
	{ OPT_FIX_DELIMITER, 0, "fix-delimiter", "CHAR", "with --fix: delimiter of the repaired file (default: the input's)" },
	{ OPT_NO_FIX, 0, "no-fix", "RULE", "with --fix: leave RULE out (header, numbers, dates, booleans, enum, identifiers, patterns, whitespace); repeatable" },
	{ OPT_FIX_ADD_MISSING, 0, "fix-add-missing", NULL, "with --fix: add an empty column for each missing required field" },
	{ OPT_FIX_ORDER, 0, "fix-order", NULL, "with --fix: write the columns in the schema's order" },
	{ OPT_CHECK_SCHEMA, 0, "check-schema", "SCHEMA", "check SCHEMA alone as frictionless does before any data (field-error, schema-error); no FILE" },
	{ OPT_DESCRIBE, 0, "describe", NULL, "print what is detected in each file (encoding, dialect, rows) instead of validating" },
	{ OPT_ENCODING, 'e', "encoding", "ENC", "read as ENC: utf-8, utf-16le, utf-16be, windows-1252 (default: detect)" },
	{ OPT_DELIMITER, 'd', "delimiter", "CHAR", "cell delimiter: ',', ';', 'tab', '|' or any single byte (default: detect)" },
	{ OPT_NO_HEADER, 0, "no-header", NULL, "the first record is data, not a header" },
	{ OPT_REPLACE, 0, "replace-invalid", NULL, "replace undecodable bytes with U+FFFD and go on" },
	{ OPT_MAX_CELL, 0, "max-cell", "BYTES", "longest cell accepted (default 1048576)" },
	{ OPT_SHEET, 0, "sheet", "NAME", "xlsx workbooks: read the sheet NAME (default: the first)" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write the report to FILE, atomically (default: stdout)" },
	{ OPT_QUIET, 'q', "quiet", NULL, "no progress line (shown on a terminal when checking several files)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct cli_program program = {
	"odl-validate", "[OPTION]... FILE...",
	"Check CSV files against Table Schema and SCDL schemas.",
	options,
	"FILE may be '-' for standard input; gzip-compressed files are read as they are,\n"
	"xlsx workbooks as the rows of one sheet.\n"
	"Exit status: 0 all files valid, 1 some file invalid, 2 usage or read error.\n"
};

enum format { FMT_TEXT, FMT_NDJSON, FMT_FRICTIONLESS, FMT_CSV };

struct config {
	int describe;
	int ndjson;
	int format_set;
	enum format format;
	const char *output;
	const char *schema;
	const char *check_schema;
	const char *manifest;
	int quiet;
	const char *lang;
	enum odl_fields_match match;
	long max_errors;
	long jobs;
	int no_checks;
	size_t max_keys;
	struct odl_csv_options csv;
	int fix;
	const char *fix_output;
	char fix_delimiter;
	struct odl_fix_options fix_opt;
};

/* --threads: 2 reads each file on a second thread (odl_csv_run_threaded) */
static long read_threads;

static int handle(int id, const char *arg, void *ctx)
{
	struct config *cfg = ctx;

	switch (id) {
	case OPT_DESCRIBE:
		cfg->describe = 1;
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "ndjson") == 0)
			cfg->format = FMT_NDJSON;
		else if (strcmp(arg, "text") == 0)
			cfg->format = FMT_TEXT;
		else if (strcmp(arg, "frictionless") == 0)
			cfg->format = FMT_FRICTIONLESS;
		else if (strcmp(arg, "csv") == 0)
			cfg->format = FMT_CSV;
		else
			cli_usage_error("unknown format '%s' (text, ndjson, frictionless or csv)", arg);
		cfg->format_set = 1;
		break;
	case OPT_SCHEMA:
		cfg->schema = arg;
		break;
	case OPT_CHECK_SCHEMA:
		cfg->check_schema = arg;
		break;
	case OPT_FIELDS_MATCH:
		if (odl_fields_match_parse(arg, &cfg->match) != ODL_OK)
			cli_usage_error("unknown --fields-match '%s' (validata, exact, equal, subset, superset or partial)", arg);
		break;
	case OPT_MAX_ERRORS:
		cfg->max_errors = cli_parse_long("--max-errors", arg, 0, 1L << 40);
		break;
	case OPT_LANG:
		if (strcmp(arg, "fr") != 0 && strcmp(arg, "en") != 0)
			cli_usage_error("unknown language '%s' (fr or en)", arg);
		cfg->lang = arg;
		break;
	case OPT_MANIFEST:
		cfg->manifest = arg;
		break;
	case OPT_QUIET:
		cfg->quiet = 1;
		break;
	case OPT_JOBS:
		cfg->jobs = cli_parse_long("--jobs", arg, 1, 256);
		break;
	case OPT_THREADS:
		read_threads = cli_parse_long("--threads", arg, 1, 2);
		break;
	case OPT_NO_CHECKS:
		cfg->no_checks = 1;
		break;
	case OPT_MAX_KEYS:
		cfg->max_keys = (size_t)cli_parse_long("--max-keys", arg, 1, 1L << 32);
		break;
	case OPT_ENCODING:
		if (odl_encoding_parse(arg, &cfg->csv.encoding) != ODL_OK)
			cli_usage_error("unknown encoding '%s'", arg);
		break;
	case OPT_DELIMITER:
		cfg->csv.delimiter = cli_parse_delimiter(arg);
		break;
	case OPT_NO_HEADER:
		cfg->csv.header = 0;
		break;
	case OPT_REPLACE:
		cfg->csv.replace_invalid = 1;
		break;
	case OPT_MAX_CELL:
		cfg->csv.max_cell = (size_t)cli_parse_long("--max-cell", arg, 1, 1L << 30);
		break;
	case OPT_SHEET:
		cfg->csv.sheet = arg;
		break;
	case OPT_OUTPUT:
		cfg->output = arg;
		break;
	case OPT_FIX:
		cfg->fix = 1;
		break;
	case OPT_FIX_OUTPUT:
		cfg->fix_output = arg;
		break;
	case OPT_FIX_DELIMITER:
		cfg->fix_delimiter = cli_parse_delimiter(arg);
		break;
	case OPT_NO_FIX: {
		enum odl_fix_rule r;
		if (odl_fix_rule_parse(arg, &r) != ODL_OK)
			cli_usage_error("unknown --no-fix rule '%s' (header, numbers, dates, booleans, enum, "
					"identifiers, patterns or whitespace)", arg);
		cfg->fix_opt.rules &= ~(1u << r);
		break;
	}
	case OPT_FIX_ADD_MISSING:
		cfg->fix_opt.add_missing = 1;
		break;
	case OPT_FIX_ORDER:
		cfg->fix_opt.order = 1;
		break;
	}
	return 0;
}

struct describe_state {
	json_t *header;
};

static int keep_header(void *ctx, const struct odl_record *rec)
{
	struct describe_state *st = ctx;

	if (rec->is_header || (!st->header && rec->row == 1)) {
		st->header = json_array();
		for (size_t i = 0; i < rec->ncells; i++)
			json_array_append_new(st->header,
					      json_stringn(rec->cells[i].ptr, rec->cells[i].len));
	}
	return 0;
}

static const char *delimiter_name(char d)
{
	static char one[2];
	if (d == '\t')
		return "\t";
	one[0] = d;
	return one;
}

static void print_text(FILE *out, const char *path, const struct odl_csv_info *in, json_t *header)
{
	fprintf(out, "%s\n", path);
	fprintf(out, "  encoding     %s%s (%s)\n", odl_encoding_name(in->encoding),
		in->bom ? " with BOM" : "", in->encoding_reason);
	if (in->gzip)
		fprintf(out, "  compression  gzip\n");
	fprintf(out, "  delimiter    %s (%s)\n", in->delimiter == '\t' ? "tab" : delimiter_name(in->delimiter),
		in->delimiter_reason);
	fprintf(out, "  line ending  %s\n", odl_line_ending_name(in->line_ending));
	fprintf(out, "  columns      %llu\n", (unsigned long long)in->columns);
	fprintf(out, "  rows         %llu\n", (unsigned long long)in->rows);
	fprintf(out, "  blank rows   %llu\n", (unsigned long long)in->blank_rows);
	fprintf(out, "  ragged rows  %llu\n", (unsigned long long)in->ragged_rows);
	fprintf(out, "  skipped      %llu record%s before the header\n",
		(unsigned long long)in->skipped_lines, in->skipped_lines == 1 ? "" : "s");
	if (in->decode_issues)
		fprintf(out, "  replaced     %llu undecodable sequence%s\n",
			(unsigned long long)in->decode_issues, in->decode_issues == 1 ? "" : "s");
	fprintf(out, "  header       ");
	size_t i;
	json_t *v;
	json_array_foreach(header, i, v) {
		/* labels come from the file: keep control characters off the terminal */
		for (const char *s = json_string_value(v); *s; s++)
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
		if (i + 1 < json_array_size(header))
			fputs(" | ", out);
	}
	fputc('\n', out);
}

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* A file name as a JSON string: names are bytes, JSON text is UTF-8, so a
 * byte that is not UTF-8 becomes U+FFFD (NULL when out of memory). */
static json_t *path_json(const char *path)
{
	size_t n = strlen(path), o = 0;
	char *buf = malloc(n * 3 + 1);
	json_t *j;

	if (!buf)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const unsigned char *)path + i, n - i);
		if (k) {
			memcpy(buf + o, path + i, k);
			o += k, i += k;
		} else {
			memcpy(buf + o, "\xEF\xBF\xBD", 3);
			o += 3, i++;
		}
	}
	j = json_stringn(buf, o);
	free(buf);
	return j;
}

static json_t *info_json(const char *path, const struct odl_csv_info *in, json_t *header)
{
	char delim[2] = { in->delimiter, 0 };

	return json_pack("{s:o, s:s, s:b, s:s, s:b, s:s, s:s, s:s, s:O, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "path", path_json(path),
			 "encoding", odl_encoding_name(in->encoding),
			 "bom", in->bom,
			 "encoding_reason", in->encoding_reason,
			 "gzip", in->gzip,
			 "delimiter", delim,
			 "delimiter_reason", in->delimiter_reason,
			 "line_ending", odl_line_ending_name(in->line_ending),
			 "header", header,
			 "columns", (json_int_t)in->columns,
			 "rows", (json_int_t)in->rows,
			 "blank_rows", (json_int_t)in->blank_rows,
			 "ragged_rows", (json_int_t)in->ragged_rows,
			 "skipped_lines", (json_int_t)in->skipped_lines,
			 "decode_issues", (json_int_t)in->decode_issues,
			 "bytes", (json_int_t)in->bytes_in);
}

static int describe(const struct config *cfg, FILE *out, const char *path)
{
	struct describe_state st = { NULL };
	struct odl_csv_options opt = cfg->csv;
	struct odl_error err;
	odl_csv *csv;
	int rc;

	odl_error_clear(&err);
	opt.name = path;
	csv = odl_csv_new(&opt, keep_header, &st);
	if (!csv)
		cli_die("out of memory");
	rc = odl_csv_read_path(csv, path, &err);
	if (rc != ODL_OK) {
		cli_error_odl(path, &err);
		json_decref(st.header);
		odl_csv_free(csv);
		return EXIT_TROUBLE;
	}
	if (!st.header)
		st.header = json_array();
	const struct odl_csv_info *in = odl_csv_info(csv);
	if (cfg->ndjson) {
		json_t *obj = info_json(path, in, st.header);
		if (!obj || odl_ndjson_write(out, obj) != ODL_OK)
			rc = -1;
		json_decref(obj);
	} else {
		print_text(out, path, in, st.header);
	}
	json_decref(st.header);
	odl_csv_free(csv);
	return EXIT_OK;
}


/* ---- one file ------------------------------------------------------------ */

#define MAX_GROUP_EXAMPLES 3

struct group {
	const char *code;
	char field[128];
	int warning;
	uint64_t n;
	int nex;
	uint64_t rows[MAX_GROUP_EXAMPLES];
	int has_cell[MAX_GROUP_EXAMPLES];
	char cells[MAX_GROUP_EXAMPLES][80];
	char note[200];
	char message[400];
	int message_translated; /* message is the finding's own French sentence */
};

struct code_count {
	char code[64];
	uint64_t n;
};

/* The repairs of one rule (or the problems it left), for the text report. */
struct fix_group {
	uint64_t n;
	int nex;
	uint64_t rows[MAX_GROUP_EXAMPLES];
	char field[64];
	char before[MAX_GROUP_EXAMPLES][80];
	char after[MAX_GROUP_EXAMPLES][80];
	uint64_t column[MAX_GROUP_EXAMPLES];
	int removed[MAX_GROUP_EXAMPLES]; /* a blank row or an empty column dropped */
	char why[200];
};

struct fstate {
	const struct config *cfg;
	const char *lang;
	struct code_count counts[64], wcounts[64];
	size_t ncounts, nwcounts;
	const char *path;
	struct spill *errors;    /* the kept errors, as the report will hold them */
	json_t *warnings;        /* at most 1000 */
	uint64_t stored;
	int truncated;
	struct group *groups;
	size_t ngroups, capgroups;
	odl_validator *v;
	int prepass;
	json_t *labels;
	int failed_alloc;
	/* --fix */
	odl_fixer *fx;           /* the fixer whose changes are reported */
	odl_fixer *prefx;        /* a silent one for the foreign-key prepass */
	int learning;            /* the first pass: the fixers learn the columns */
	odl_csv *csv;            /* the reader, for the input's delimiter */
	odl_csv *reading;        /* the reader of the pass under way */
	odl_outfile *fixout;     /* the repaired file */
	odl_csv_writer *writer;  /* its records */
	char fix_delim;
	const char *fix_eol;
	int fix_write_failed;
	struct spill *fixes;     /* the kept repairs, as the report will hold them */
	uint64_t fixes_stored;
	int fixes_truncated;
	struct fix_group fgroups[ODL_FIX_NRULES][2];
	struct odl_error fix_err;
	const char *upgrade; /* what a detected older version lacks to be the latest, or "" */
	int versions_hint;   /* detected inexactly, and no older version cached to compare with */
};

static void count_code(struct code_count *counts, size_t *n, const char *code)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(counts[i].code, code) == 0) {
			counts[i].n++;
			return;
		}
	if (*n < 64) {
		snprintf(counts[*n].code, sizeof(counts[0].code), "%s", code);
		counts[(*n)++].n = 1;
	}
}

/* Bytes at s (n available) of a C1 control (U+0080-U+009F) or of a
 * bidirectional embedding, override or isolate (U+202A-U+202E,
 * U+2066-U+2069), else 0: text from the data that could drive a terminal or
 * reorder the line, as odl_render_term_clean() also refuses. */
static size_t hidden_len(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
		return 2;
	if (n >= 3 && s[0] == 0xE2 &&
	    ((s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) || (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)))
		return 3;
	return 0;
}

/* A copy of s for the text report: C0 controls and DEL become spaces, C1
 * controls and bidirectional controls U+FFFD; cut with "..." to fit size. */
static void printable(char *dst, size_t size, const char *s, size_t n)
{
	size_t o = 0, i = 0;
	while (i < n) {
		size_t k = hidden_len((const unsigned char *)s + i, n - i);
		size_t w = k ? 3 : 1;
		if (o + w + 4 > size)
			break;
		if (k) {
			memcpy(dst + o, "\xEF\xBF\xBD", 3);
			i += k;
		} else {
			dst[o] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
			i++;
		}
		o += w;
	}
	if (i < n && size > 4) {
		/* do not cut a UTF-8 sequence */
		while (o > 0 && ((unsigned char)dst[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && (unsigned char)dst[o - 1] >= 0xC0)
			o--;
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	if (size)
		dst[o] = 0;
}

/* A job's messages on stderr, one per line: they quote file names and
 * cells, so controls other than the line ends are cleaned as in printable() */
static void put_messages(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = hidden_len((const unsigned char *)s + i, n - i);
		if (k) {
			fputs("\xEF\xBF\xBD", stderr);
			i += k;
		} else {
			fputc(s[i] != '\n' && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? ' ' : s[i], stderr);
			i++;
		}
	}
}

/* s on out with the same rules as printable(), uncut */
static void put_clean(FILE *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t k = hidden_len((const unsigned char *)s + i, n - i);
		if (k) {
			fputs("\xEF\xBF\xBD", out);
			i += k;
		} else {
			fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i], out);
			i++;
		}
	}
}

static void add_group(struct fstate *fs, const struct odl_finding *f)
{
	struct group *g = NULL;

	for (size_t i = 0; i < fs->ngroups; i++)
		if (strcmp(fs->groups[i].code, f->code) == 0 && strcmp(fs->groups[i].field, f->field) == 0) {
			g = &fs->groups[i];
			break;
		}
	if (!g) {
		if (fs->ngroups == fs->capgroups) {
			size_t ncap = fs->capgroups ? fs->capgroups * 2 : 16;
			struct group *ng = realloc(fs->groups, ncap * sizeof(*ng));
			if (!ng) {
				fs->failed_alloc = 1;
				return;
			}
			fs->groups = ng;
			fs->capgroups = ncap;
		}
		g = &fs->groups[fs->ngroups++];
		memset(g, 0, sizeof(*g));
		g->code = f->code;
		snprintf(g->field, sizeof(g->field), "%s", f->field);
		g->warning = f->warning;
		snprintf(g->note, sizeof(g->note), "%s", f->note);
		g->message_translated = f->message_fr && fs->lang[0] == 'f';
		snprintf(g->message, sizeof(g->message), "%s", g->message_translated ? f->message_fr : f->message);
	}
	g->n++;
	if (g->nex < MAX_GROUP_EXAMPLES && f->row) {
		g->rows[g->nex] = f->row;
		g->has_cell[g->nex] = f->cell != NULL;
		printable(g->cells[g->nex], sizeof(g->cells[0]), f->cell ? f->cell : "", f->cell ? f->cell_len : 0);
		g->nex++;
	}
}

static json_t *cells_json(const struct odl_record *rec)
{
	json_t *a = json_array();
	for (size_t i = 0; a && rec && i < rec->ncells; i++)
		json_array_append_new(a, json_stringn(rec->cells[i].ptr, rec->cells[i].len));
	return a;
}

static int is_schema_problem(const char *code)
{
	return strcmp(code, "field-error") == 0 || strcmp(code, "schema-error") == 0;
}

static json_t *finding_json(const struct fstate *fs, const struct odl_finding *f)
{
	const char *msg = f->message_fr && fs->lang[0] == 'f' ? f->message_fr : f->message;
	json_t *o;

	if (fs->cfg->format == FMT_FRICTIONLESS) {
		const struct odl_message *m = odl_message_get(f->code, "en");
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", f->code,
			      "title", m ? m->title : f->code, "description", m ? m->explanation : "",
			      "message", msg, "note", f->note);
		if (!o)
			return NULL;
		json_t *tags = json_array();
		if (is_schema_problem(f->code)) {
			/* frictionless's metadata errors: no tags, no field */
			json_object_set_new(o, "tags", tags);
			return o;
		}
		json_array_append_new(tags, json_string(f->row || f->label ? "#table" : "#file"));
		if (f->label || strstr(f->code, "-label") || strstr(f->code, "header")) {
			json_array_append_new(tags, json_string("#header"));
			if (f->label)
				json_array_append_new(tags, json_string("#label"));
		} else if (f->row) {
			json_array_append_new(tags, json_string("#row"));
			if (f->field_number)
				json_array_append_new(tags, json_string("#cell"));
		}
		json_object_set_new(o, "tags", tags);
		if (f->label) {
			json_object_set(o, "labels", fs->labels);
			json_object_set_new(o, "rowNumbers", json_pack("[i]", 1));
			json_object_set_new(o, "label", json_string(f->label));
		}
		if (f->row) {
			json_object_set_new(o, "cells", cells_json(f->record));
			json_object_set_new(o, "rowNumber", json_integer((json_int_t)f->row));
		}
		if (f->cell)
			json_object_set_new(o, "cell", json_stringn(f->cell, f->cell_len));
		else if (f->row && f->field_number)
			json_object_set_new(o, "cell", json_string(""));
		if (f->field_number || *f->field) {
			json_object_set_new(o, "fieldName", json_string(f->field));
			json_object_set_new(o, "fieldNumber", json_integer((json_int_t)f->field_number));
		}
		return o;
	}
	o = json_pack("{s:s}", "type", f->code);
	if (!o)
		return NULL;
	json_object_set_new(o, "row", f->row ? json_integer((json_int_t)f->row) : json_null());
	json_object_set_new(o, "field", *f->field ? json_string(f->field) : json_null());
	json_object_set_new(o, "column", f->column ? json_integer((json_int_t)f->column) : json_null());
	json_object_set_new(o, "cell", f->cell ? json_stringn(f->cell, f->cell_len) : json_null());
	json_object_set_new(o, "message", json_string(msg));
	return o;
}

/* Report bytes go through these: a temporary file that cannot be written
 * ends the program, as memory running out does. */
static void put(struct spill *sp, const void *p, size_t n)
{
	if (spill_write(sp, p, n) != 0)
		cli_die("cannot write a temporary file: %s", strerror(errno));
}

static void put_str(struct spill *sp, const char *s)
{
	put(sp, s, strlen(s));
}


/* o as json_dumps(o, JSON_COMPACT) writes it; with inner, without the
 * outer braces (the members of an object, to splice into a larger one). */
static void put_json(struct spill *sp, const json_t *o, int inner)
{
	char local[4096], *buf = local;
	size_t n = json_dumpb(o, local, sizeof(local), JSON_COMPACT);

	if (n == 0)
		cli_die("out of memory");
	if (n > sizeof(local)) {
		if (!(buf = malloc(n)) || json_dumpb(o, buf, n, JSON_COMPACT) != n)
			cli_die("out of memory");
	}
	if (inner && n >= 2)
		put(sp, buf + 1, n - 2);
	else
		put(sp, buf, n);
	if (buf != local)
		free(buf);
}

static int looks_like_formula(const char *s);

/* A CSV cell, with csv_field's guard against spreadsheet formulas. */
static void csv_cell(struct spill *sp, const char *s)
{
	int guard = looks_like_formula(s);
	if (!strpbrk(s, ",\"\r\n")) {
		if (guard)
			put(sp, "'", 1);
		put_str(sp, s);
		return;
	}
	put(sp, "\"", 1);
	if (guard)
		put(sp, "'", 1);
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		put(sp, s, (size_t)(q + 1 - s));
		put(sp, "\"", 1);
	}
	put_str(sp, s);
	put(sp, "\"", 1);
}

/* One error or warning as a CSV row. */
static void csv_row(struct spill *sp, const char *path, const json_t *e)
{
	static const char *const keys[] = { "row", "field", "column", "cell", "message" };
	char num[32];

	csv_cell(sp, path);
	put(sp, ",", 1);
	csv_cell(sp, json_string_value(json_object_get(e, "type")));
	for (int k = 0; k < 5; k++) {
		json_t *v = json_object_get(e, keys[k]);
		put(sp, ",", 1);
		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			put_str(sp, num);
		} else if (json_is_string(v)) {
			csv_cell(sp, json_string_value(v));
		}
	}
	put(sp, "\r\n", 2);
}

/* One repair as a "fix" row: the cell as it was, the message says the rule
 * and what it became (or why it was left). */
static void csv_fix_row(struct spill *sp, const struct fstate *fs, const json_t *e)
{
	char num[32], msg[1200];
	const char *after = json_string_value(json_object_get(e, "after"));
	const char *rule = json_string_value(json_object_get(e, "rule"));
	const char *field = json_string_value(json_object_get(e, "field"));

	csv_cell(sp, fs->path);
	put_str(sp, ",fix,");
	snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(json_object_get(e, "row")));
	put_str(sp, num);
	put(sp, ",", 1);
	csv_cell(sp, field ? field : "");
	snprintf(num, sizeof(num), ",%lld,", (long long)json_integer_value(json_object_get(e, "column")));
	put_str(sp, num);
	csv_cell(sp, json_string_value(json_object_get(e, "before")));
	put(sp, ",", 1);
	if (after)
		snprintf(msg, sizeof(msg), "%s: %s", rule, after);
	else if (json_string_value(json_object_get(e, "message")))
		snprintf(msg, sizeof(msg), "%s: %s", rule, json_string_value(json_object_get(e, "message")));
	else
		snprintf(msg, sizeof(msg), "%s: %s", rule, fs->lang[0] == 'f' ? "retiré" : "removed");
	csv_cell(sp, msg);
	put(sp, "\r\n", 2);
}

/*
 * A kept error or repair leaves memory at once, written as the report will
 * hold it: a CSV row, or one item of a JSON array (jansson writes an array
 * as its items' compact dumps joined by commas, so the report splices these
 * bytes in unchanged).  Memory then stays flat whatever --max-errors keeps.
 */
static void keep(struct fstate *fs, struct spill *sp, uint64_t nth, json_t *o, int fix)
{
	if (!o) {
		fs->failed_alloc = 1;
		return;
	}
	if (fs->cfg->format == FMT_CSV) {
		if (fix)
			csv_fix_row(sp, fs, o);
		else
			csv_row(sp, fs->path, o);
	} else {
		if (nth)
			put(sp, ",", 1);
		put_json(sp, o, 0);
	}
	json_decref(o);
}

static int spill_put(void *ctx, const char *p, size_t n)
{
	put(ctx, p, n);
	return 0;
}

static int no_put(void *ctx, const char *p, size_t n)
{
	(void)ctx, (void)p, (void)n;
	return 0;
}

/* v, or null for 0 (no row, no column), as json_integer/json_null dump */
static void put_int_or_null(struct spill *sp, uint64_t v)
{
	char num[32];

	if (!v) {
		put_str(sp, "null");
		return;
	}
	int n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, (json_int_t)v);
	put(sp, num, (size_t)n);
}

/* s[0..n) as a JSON string, or null for NULL (s is known to be UTF-8) */
static void put_str_or_null(struct spill *sp, const char *s, size_t n)
{
	if (s)
		odl_json_quote(spill_put, sp, s, n);
	else
		put_str(sp, "null");
}

/*
 * An error of a JSON or NDJSON report as finding_json() and put_json()
 * write it, without building a json_t (a report of millions of errors
 * spent most of its time there): 0, or -1 with nothing written when a
 * string is not UTF-8, which finding_json() then handles as before.
 */
static int put_finding(struct spill *sp, const struct fstate *fs, const struct odl_finding *f, int comma)
{
	const char *msg = f->message_fr && fs->lang[0] == 'f' ? f->message_fr : f->message;

	if (!msg || odl_json_quote(no_put, NULL, f->code, strlen(f->code)) ||
	    odl_json_quote(no_put, NULL, f->field, strlen(f->field)) ||
	    (f->cell && odl_json_quote(no_put, NULL, f->cell, f->cell_len)) ||
	    odl_json_quote(no_put, NULL, msg, strlen(msg)))
		return -1;
	if (comma)
		put(sp, ",", 1);
	put_str(sp, "{\"type\":");
	odl_json_quote(spill_put, sp, f->code, strlen(f->code));
	put_str(sp, ",\"row\":");
	put_int_or_null(sp, f->row);
	put_str(sp, ",\"field\":");
	put_str_or_null(sp, *f->field ? f->field : NULL, strlen(f->field));
	put_str(sp, ",\"column\":");
	put_int_or_null(sp, f->column);
	put_str(sp, ",\"cell\":");
	put_str_or_null(sp, f->cell, f->cell_len);
	put_str(sp, ",\"message\":");
	odl_json_quote(spill_put, sp, msg, strlen(msg));
	put(sp, "}", 1);
	return 0;
}

static int on_finding(void *ctx, const struct odl_finding *f)
{
	struct fstate *fs = ctx;

	if (f->warning)
		count_code(fs->wcounts, &fs->nwcounts, f->code);
	else
		count_code(fs->counts, &fs->ncounts, f->code);
	if (fs->cfg->format == FMT_TEXT) {
		add_group(fs, f);
		return 0;
	}
	if (f->warning) {
		if (json_array_size(fs->warnings) < 1000)
			json_array_append_new(fs->warnings, finding_json(fs, f));
		return 0;
	}
	if (fs->cfg->max_errors && fs->stored >= (uint64_t)fs->cfg->max_errors) {
		fs->truncated = 1;
		return 0;
	}
	if (fs->cfg->format != FMT_NDJSON ||
	    put_finding(fs->errors, fs, f, fs->stored != 0))
		keep(fs, fs->errors, fs->stored, finding_json(fs, f), 0);
	fs->stored++;
	return 0;
}

static json_t *fix_json(const struct fstate *fs, const struct odl_fix_change *c)
{
	const char *why = fs->lang[0] == 'f' ? c->why_fr : c->why;
	json_t *o = json_pack("{s:s, s:s}", "type", "fix", "rule", odl_fix_rule_name(c->rule));

	if (!o)
		return NULL;
	json_object_set_new(o, "row", json_integer((json_int_t)c->row));
	json_object_set_new(o, "field", *c->field ? json_string(c->field) : json_null());
	json_object_set_new(o, "column", json_integer((json_int_t)c->column));
	json_object_set_new(o, "before", json_stringn(c->before ? c->before : "", c->before_len));
	json_object_set_new(o, "after", c->after ? json_stringn(c->after, c->after_len) : json_null());
	if (c->left) {
		json_object_set_new(o, "left", json_true());
		json_object_set_new(o, "message", json_string(why ? why : ""));
	}
	return o;
}

static int on_fix(void *ctx, const struct odl_fix_change *c)
{
	struct fstate *fs = ctx;

	if (fs->cfg->format == FMT_TEXT) {
		struct fix_group *g = &fs->fgroups[c->rule][c->left];
		if (!g->n && c->left)
			snprintf(g->why, sizeof(g->why), "%s",
				 (fs->lang[0] == 'f' ? c->why_fr : c->why) ? (fs->lang[0] == 'f' ? c->why_fr : c->why) : "");
		g->n++;
		if (g->nex < MAX_GROUP_EXAMPLES) {
			g->rows[g->nex] = c->row;
			if (!g->nex)
				snprintf(g->field, sizeof(g->field), "%s", c->field);
			printable(g->before[g->nex], sizeof(g->before[0]), c->before ? c->before : "", c->before_len);
			printable(g->after[g->nex], sizeof(g->after[0]), c->after ? c->after : "", c->after_len);
			g->removed[g->nex] = !c->left && !c->after;
			g->column[g->nex] = c->column;
			g->nex++;
		}
		return 0;
	}
	if (fs->cfg->max_errors && fs->fixes_stored >= (uint64_t)fs->cfg->max_errors) {
		fs->fixes_truncated = 1;
		return 0;
	}
	keep(fs, fs->fixes, fs->fixes_stored, fix_json(fs, c), 1);
	fs->fixes_stored++;
	return 0;
}

static json_t *fix_counts_json(const struct fstate *fs, int left)
{
	json_t *o = json_object();
	for (int r = 0; o && fs->fx && r < ODL_FIX_NRULES; r++) {
		uint64_t n = odl_fixer_count(fs->fx, (enum odl_fix_rule)r, left);
		if (n)
			json_object_set_new(o, odl_fix_rule_name((enum odl_fix_rule)r), json_integer((json_int_t)n));
	}
	return o;
}

/* The record the validator sees: with --fix, the repaired one (written to
 * the repaired file on the main pass); NULL when the fixer drops it. */
static const struct odl_record *fixed_record(struct fstate *fs, const struct odl_record *rec,
					     struct odl_record *buf, int *stop)
{
	odl_fixer *fx = fs->prepass ? fs->prefx : fs->fx;

	*stop = 0;
	if (!fx)
		return rec;
	if (odl_fixer_record(fx, rec, buf, &fs->fix_err) != ODL_OK) {
		*stop = 1;
		return NULL;
	}
	if (!buf->cells)
		return NULL;
	if (!fs->prepass && fs->fixout) {
		if (!fs->fix_delim) {
			const struct odl_csv_info *in = odl_csv_info(fs->csv);
			fs->fix_delim = fs->cfg->fix_delimiter ? fs->cfg->fix_delimiter :
					in->delimiter ? in->delimiter : ',';
			if (!fs->fix_eol) /* the learning pass knows; else the first line */
				fs->fix_eol = in->line_ending == ODL_EOL_CRLF ? "\r\n" : "\n";
		}
		if (!fs->writer &&
		    !(fs->writer = odl_csv_writer_new(odl_outfile_stream(fs->fixout), fs->fix_delim, fs->fix_eol)))
			cli_die("out of memory");
		if (odl_csv_writer_put(fs->writer, buf) != ODL_OK) {
			fs->fix_write_failed = errno ? errno : EIO;
			*stop = 1;
			return NULL;
		}
	}
	return buf;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct fstate *fs = ctx;
	struct odl_record fixed;
	int stop;

	if (rec->is_header && fs->reading && odl_csv_info(fs->reading)->xlsx) {
		/* a number in a date field of a workbook is a serial date */
		int d1904 = odl_csv_info(fs->reading)->date1904;
		if (fs->fx)
			odl_fixer_excel_dates(fs->fx, d1904);
		if (fs->prefx)
			odl_fixer_excel_dates(fs->prefx, d1904);
	}
	if (fs->learning) {
		int rc = odl_fixer_learn(fs->fx, rec);
		if (rc == ODL_OK && fs->prefx)
			rc = odl_fixer_learn(fs->prefx, rec);
		return rc != ODL_OK;
	}
	rec = fixed_record(fs, rec, &fixed, &stop);
	if (!rec)
		return stop;
	if (fs->prepass)
		return odl_validator_prepass(fs->v, rec) != ODL_OK;
	if (rec->is_header && fs->labels) {
		for (size_t i = 0; i < rec->ncells; i++)
			json_array_append_new(fs->labels, json_stringn(rec->cells[i].ptr, rec->cells[i].len));
	}
	return odl_validator_record(fs->v, rec, NULL) != ODL_OK;
}

struct reading {
	const char *path;
	odl_csv *csv;
	odl_hash *h;
	struct hash_feed *feed; /* h shared by the two threads, or NULL */
};

/* Feed the file to csv, hashing the raw bytes when h is given. */
static int read_loop(void *ctx, struct odl_error *err)
{
	struct reading *r = ctx;
	int fd = strcmp(r->path, "-") == 0 ? 0 : open(r->path, O_RDONLY);
	static const size_t chunk = HASH_FEED_BUF;
	char *buf;
	int rc = ODL_OK;

	if (fd < 0) {
		err->sys_errno = errno;
		snprintf(err->file, sizeof(err->file), "%s", r->path);
		snprintf(err->message, sizeof(err->message), "cannot open: %s", strerror(errno));
		return err->code = ODL_EIO;
	}
	buf = r->feed ? NULL : malloc(chunk);
	if (!buf && !r->feed)
		cli_die("out of memory");
	for (;;) {
		if (r->feed)
			buf = hash_feed_buffer(r->feed);
		ssize_t n = read(fd, buf, chunk);
		if (r->feed)
			hash_feed_push(r->feed, buf, n > 0 ? (size_t)n : 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err->file, sizeof(err->file), "%s", r->path);
			snprintf(err->message, sizeof(err->message), "cannot read: %s", strerror(errno));
			rc = err->code = ODL_EIO;
			break;
		}
		if (n == 0) {
			rc = odl_csv_finish(r->csv, err);
			break;
		}
		if (r->h && !r->feed)
			odl_hash_update(r->h, buf, (size_t)n);
		rc = odl_csv_feed(r->csv, buf, (size_t)n, err);
		if (rc != ODL_OK)
			break;
	}
	if (!r->feed)
		free(buf);
	if (fd != 0)
		close(fd);
	return rc;
}

/* Read path through csv, on two threads with --threads 2: the reading,
 * decoding and parsing on one, the records' validation on this one, and
 * the hashing (when there is a hash) on whichever would wait. */
static int read_file(const char *path, odl_csv *csv, odl_hash *h, struct odl_error *err)
{
	struct reading r = { path, csv, h, NULL };

	if (read_threads > 1) {
		r.feed = h ? hash_feed_new(h) : NULL; /* NULL: hashed while reading */
		int rc = odl_csv_run_shared(csv, read_loop, &r, r.feed ? hash_feed_help : NULL, r.feed, err);
		hash_feed_end(r.feed);
		return rc;
	}
	return read_loop(&r, err);
}

/* "odl-validate: 'FILE' line N: message", the line when the reader knows it. */
static void read_error(FILE *errf, const char *path, const struct odl_error *err)
{
	if (err->line)
		fprintf(errf, "%s: '%s' line %llu: %s\n", cli_name(), path,
			(unsigned long long)err->line, err->message);
	else
		fprintf(errf, "%s: '%s': %s\n", cli_name(), path, err->message);
}

struct job {
	char *path;
	char *schema_ref;   /* as given, for messages */
	char *schema_path;  /* resolved; NULL = detect */
	struct spill *out;  /* the report */
	uint64_t errors;    /* its error count, for the frictionless total */
	char *errs;
	size_t errslen;
	int status;
	int done;
	int optional;       /* a manifest line that declares no schema */
};

struct detect_state {
	char **labels;
	size_t n;
};

static int keep_labels(void *ctx, const struct odl_record *rec)
{
	struct detect_state *d = ctx;
	d->labels = calloc(rec->ncells + 1, sizeof(char *));
	if (!d->labels)
		return 1;
	for (size_t i = 0; i < rec->ncells; i++) {
		d->labels[i] = strndup(rec->cells[i].ptr, rec->cells[i].len);
		if (!d->labels[i])
			return 1;
		d->n++;
	}
	return 1; /* the header is enough */
}

struct candidate {
	const struct odl_schema_candidate *c;
	size_t nfields;
	struct odl_header_match m;
};

static int count_errors(void *ctx, const struct odl_finding *f)
{
	if (!f->warning)
		(*(uint64_t *)ctx)++;
	return 0;
}

/* Errors of the first 1000 rows of path against schema s, custom checks left out. */
static uint64_t sample_errors(const struct config *cfg, const char *path, const odl_schema *s)
{
	struct odl_validate_options vo;
	struct odl_error err;
	struct fstate fs;
	uint64_t nerr = 0;

	odl_validate_options_init(&vo);
	vo.max_rows = 1000;
	vo.fields_match = cfg->match;
	/* custom checks would favour the versions that have fewer of them and
	 * hide, say, SIRET errors: versions are told apart by structure */
	vo.skip_checks = 1;
	memset(&fs, 0, sizeof(fs));
	fs.v = odl_validator_new(s, &vo, count_errors, &nerr);
	struct odl_csv_options co = cfg->csv;
	co.name = path;
	co.bool_text = odl_validator_bool_text;
	co.bool_ctx = fs.v;
	odl_csv *c2 = fs.v ? odl_csv_new(&co, on_record, &fs) : NULL;
	if (!c2)
		cli_die("out of memory");
	odl_error_clear(&err);
	read_file(path, c2, NULL, &err);
	odl_csv_free(c2);
	odl_validator_free(fs.v);
	return nerr;
}

/*
 * Pick among the shipped schemas and every version `odl-fetch schemas`
 * cached: the name one of whose versions shares the most columns with the
 * header (Jaccard overlap); among that name's versions, the best overlap,
 * then the fewest errors on the first 1000 rows (custom checks left out),
 * then the most columns in their schema place, then the highest version.  upgrade says what the
 * header lacks to follow the latest version when another one was chosen.
 */
static int detect_schema(const struct config *cfg, const char *path, char *out, size_t outsize,
			 char *why, size_t whysize, char *why_fr, size_t why_frsize, char *upgrade,
			 size_t upsize, int *hint, FILE *errf)
{
	struct detect_state d = { NULL, 0 };
	struct odl_csv_options opt = cfg->csv;
	struct odl_error err;
	struct odl_schema_candidate *all = NULL;
	struct candidate *cs = NULL;
	size_t n = 0;
	int have_cache = 0, rc = -1;

	*upgrade = 0;
	*hint = 0;
	odl_error_clear(&err);
	opt.name = path;
	odl_csv *csv = odl_csv_new(&opt, keep_labels, &d);
	if (!csv)
		cli_die("out of memory");
	int rrc = read_file(path, csv, NULL, &err);
	odl_csv_free(csv);
	if (rrc != ODL_OK && rrc != ODL_ECANCELED) {
		read_error(errf, path, &err);
		goto out;
	}
	if (odl_schema_candidates(cli_data_dir(), &all, &n, &have_cache, NULL) != ODL_OK ||
	    !(cs = calloc(n + 1, sizeof(*cs))))
		cli_die("out of memory");
	const char *const *labels = (const char *const *)d.labels;
	double best = 0;
	size_t besti = 0;
	for (size_t c = 0; c < n; c++) {
		odl_schema *s;
		cs[c].c = &all[c];
		cs[c].m.score = -1;
		if (odl_schema_load_path(all[c].path, &s, NULL) != ODL_OK)
			continue;
		odl_header_compare(s, labels, d.n, &cs[c].m);
		cs[c].nfields = odl_schema_nfields(s);
		odl_schema_free(s);
		if (cs[c].m.score > best) {
			best = cs[c].m.score;
			besti = c;
		}
	}
	if (best < 0.3) {
		/* one line: batch logs keep one line per file */
		fprintf(errf, "%s: '%s': no --schema given and no %s schema matches the header%s\n",
			cli_name(), path, have_cache ? "shipped or cached" : "shipped",
			have_cache ? "" : " (older SCDL versions too: run 'odl-fetch schemas' once, "
					  "then they are detected offline)");
		goto out;
	}
	const char *name = all[besti].name;
	uint64_t fewest = UINT64_MAX;
	size_t chosen = besti, tried = 0, latest = besti;
	for (size_t c = 0; c < n; c++) {
		if (strcmp(all[c].name, name) != 0)
			continue;
		if (odl_version_compare(all[c].version, all[latest].version) > 0)
			latest = c;
		if (cs[c].m.score != best)
			continue;
		odl_schema *s;
		if (odl_schema_load_path(all[c].path, &s, NULL) != ODL_OK)
			continue;
		uint64_t nerr = sample_errors(cfg, path, s);
		odl_schema_free(s);
		tried++;
		const struct candidate *k = &cs[chosen];
		if (tried == 1 || nerr < fewest ||
		    (nerr == fewest && (cs[c].m.in_place > k->m.in_place ||
					(cs[c].m.in_place == k->m.in_place &&
					 odl_version_compare(all[c].version, k->c->version) > 0)))) {
			fewest = nerr;
			chosen = c;
		}
	}
	const struct candidate *k = &cs[chosen];
	snprintf(out, outsize, "%s", k->c->path);
	*hint = !have_cache && (k->m.matched < k->nfields || k->m.matched < d.n);
	snprintf(why, whysize, "detected %s@%s%s: %zu of %zu schema columns in the header%s, fewest errors among %zu version%s",
		 k->c->name, k->c->version, k->c->cached ? " (cached)" : "", k->m.matched, k->nfields,
		 best >= 0.9 ? " (sure)" : best >= 0.6 ? " (likely)" : " (unsure)", tried, tried == 1 ? "" : "s");
	/* the text report speaks one language */
	snprintf(why_fr, why_frsize, "reconnu d'après l'en-tête : %s@%s%s, %zu des %zu colonnes du schéma "
		 "présentes (%s), le moins d'erreurs parmi %zu version%s",
		 k->c->name, k->c->version, k->c->cached ? " (en cache)" : "", k->m.matched, k->nfields,
		 best >= 0.9 ? "sûr" : best >= 0.6 ? "probable" : "incertain", tried, tried == 1 ? "" : "s");
	if (chosen != latest) {
		odl_schema *from = NULL, *to = NULL;
		char missing[600], renamed[600];
		if (odl_schema_load_path(k->c->path, &from, NULL) == ODL_OK &&
		    odl_schema_load_path(all[latest].path, &to, NULL) == ODL_OK) {
			odl_header_upgrade(from, to, labels, d.n, missing, sizeof(missing), renamed, sizeof(renamed));
			int fr = cfg->lang[0] == 'f';
			snprintf(upgrade, upsize, "%s%s%s%s%s%s", all[latest].version,
				 *missing || *renamed ? (fr ? " : " : ": ")
				 : fr ? " : mêmes colonnes, d'autres règles" : ": same columns, other rules",
				 *missing ? (fr ? "il manque " : "missing ") : "", missing,
				 *renamed ? (*missing ? (fr ? " ; à renommer " : "; renamed ") : (fr ? "à renommer " : "renamed ")) : "",
				 renamed);
		}
		odl_schema_free(from);
		odl_schema_free(to);
	}
	rc = 0;
out:
	for (size_t i = 0; i < d.n; i++)
		free(d.labels[i]);
	free(d.labels);
	free(cs);
	free(all);
	return rc;
}

static json_t *counts_json(const struct code_count *counts, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < n; i++)
		json_object_set_new(o, counts[i].code, json_integer((json_int_t)counts[i].n));
	return o;
}

/* "  label    " padded by characters, not bytes (French labels have accents) */
static void label(FILE *out, const char *text)
{
	size_t chars = 0;
	for (const char *p = text; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	fprintf(out, "  %s", text);
	for (; chars < 10; chars++)
		fputc(' ', out);
}

/* What each rule did, in the report's language. */
static const char *const fix_title_en[ODL_FIX_NRULES] = {
	"column names matched to the schema's", "numbers written in the schema's form",
	"dates written in the column's format", "yes/no values written as the schema's",
	"values written as the allowed ones", "identifiers written as digits only",
	"separators replaced by the pattern's", "spaces, blank rows and empty columns removed"
};
static const char *const fix_title_fr[ODL_FIX_NRULES] = {
	"noms de colonnes ramenés à ceux du schéma", "nombres écrits sous la forme du schéma",
	"dates écrites au format de la colonne", "valeurs oui/non écrites comme le schéma les veut",
	"valeurs ramenées aux valeurs permises", "identifiants écrits en chiffres seuls",
	"séparateurs remplacés par ceux du motif", "espaces, lignes vides et colonnes vides retirées"
};

static void write_fix_text(FILE *out, const struct fstate *fs, const char *fixed_path, int fr)
{
	uint64_t done = 0, left = 0;

	for (int r = 0; r < ODL_FIX_NRULES; r++) {
		done += fs->fgroups[r][0].n;
		left += fs->fgroups[r][1].n;
	}
	label(out, fr ? "réparé" : "repaired");
	fprintf(out, fr ? "%llu changement%s, %llu laissé%s" : "%llu change%s, %llu left",
		(unsigned long long)done, done > 1 ? "s" : "", (unsigned long long)left,
		fr && left > 1 ? "s" : "");
	fprintf(out, fr ? " ; fichier réparé : %s\n" : "; repaired file: %s\n", fixed_path);
	for (int r = 0; r < ODL_FIX_NRULES; r++) {
		for (int l = 0; l < 2; l++) {
			const struct fix_group *g = &fs->fgroups[r][l];
			if (!g->n)
				continue;
			if (!l)
				fprintf(out, fr ? "\nréparé %s (%llu) : %s\n" : "\nrepaired %s (%llu): %s\n",
					odl_fix_rule_name((enum odl_fix_rule)r), (unsigned long long)g->n,
					fr ? fix_title_fr[r] : fix_title_en[r]);
			else
				fprintf(out, fr ? "\nlaissé %s (%llu) : %s\n" : "\nleft %s (%llu): %s\n",
					odl_fix_rule_name((enum odl_fix_rule)r), (unsigned long long)g->n, g->why);
			for (int e = 0; e < g->nex; e++) {
				if (g->removed[e] && g->rows[e] == 1)
					fprintf(out, fr ? "  colonne %llu, vide, retirée\n" : "  column %llu, empty, removed\n",
						(unsigned long long)g->column[e]);
				else if (g->removed[e])
					fprintf(out, fr ? "  ligne %llu, vide, retirée\n" : "  row %llu, blank, removed\n",
						(unsigned long long)g->rows[e]);
				else if (l)
					fprintf(out, fr ? "  ligne %llu : '%s'\n" : "  row %llu: '%s'\n",
						(unsigned long long)g->rows[e], g->before[e]);
				else
					fprintf(out, fr ? "  ligne %llu : '%s' -> '%s'\n" : "  row %llu: '%s' -> '%s'\n",
						(unsigned long long)g->rows[e], g->before[e], g->after[e]);
			}
			if (g->n > (uint64_t)g->nex)
				fprintf(out, fr ? "  ... et %llu autres\n" : "  ... and %llu more\n",
					(unsigned long long)(g->n - (uint64_t)g->nex));
		}
	}
}

/* How columns were matched to fields, said for a steward. */
static const char *fields_match_said(enum odl_fields_match m, int fr)
{
	switch (m) {
	case ODL_MATCH_EXACT:
		return fr ? "dans l'ordre du schéma, une à une" : "in the schema's order, one by one";
	case ODL_MATCH_EQUAL:
		return fr ? "par nom, toutes celles du schéma et elles seules" : "by name, all of the schema's and no other";
	case ODL_MATCH_SUBSET:
		return fr ? "par nom, au moins toutes celles du schéma" : "by name, at least all of the schema's";
	case ODL_MATCH_SUPERSET:
		return fr ? "par nom, seulement des colonnes du schéma" : "by name, only columns of the schema";
	case ODL_MATCH_PARTIAL:
		return fr ? "par nom, au moins une du schéma" : "by name, at least one of the schema's";
	default:
		return fr ? "par nom, les obligatoires présentes, comme Validata" : "by name, required ones present, as Validata does";
	}
}

static void write_text(FILE *out, const struct fstate *fs, const char *path, const odl_schema *s,
		       const char *why, const struct odl_validate_stats *st, const char *lang,
		       const char *fixed_path)
{
	int fr = lang[0] == 'f';
	int valid = st->errors == 0;

	put_clean(out, path);
	fprintf(out, ": %s\n", valid ? (fr ? "valide" : "valid") : (fr ? "NON VALIDE" : "INVALID"));
	label(out, fr ? "schéma" : "schema");
	put_clean(out, *odl_schema_name(s) ? odl_schema_name(s) : "(unnamed)");
	fputc(' ', out);
	put_clean(out, odl_schema_version(s));
	fprintf(out, "%s%s\n", why ? ", " : "", why ? why : "");
	if (fs->upgrade && *fs->upgrade) {
		label(out, fr ? "dernière" : "latest");
		fprintf(out, "%s\n", fs->upgrade);
	}
	if (fs->versions_hint) {
		label(out, "versions");
		fprintf(out, "%s\n", fr ? "celles d'odl seulement ; « odl-fetch schemas » met en cache toutes les versions publiées"
				       : "odl's own only; 'odl-fetch schemas' caches every published version");
	}
	label(out, fr ? "colonnes" : "columns");
	fprintf(out, "%s (%s)\n", fields_match_said(st->fields_match, fr), odl_fields_match_name(st->fields_match));
	label(out, fr ? "lignes" : "rows");
	fprintf(out, "%llu%s\n", (unsigned long long)st->rows,
		odl_schema_nproblems(s) ? (fr ? " (non lues : le schéma n'est pas valide)" : " (not read: the schema is not valid)")
		: st->complete ? "" : (fr ? " (lecture interrompue)" : " (stopped early)"));
	label(out, fr ? "erreurs" : "errors");
	fprintf(out, "%llu", (unsigned long long)st->errors);
	for (size_t i = 0, k = 0; i < fs->ncounts; i++) {
		fprintf(out, "%s%s %llu", k++ ? ", " : ": ", fs->counts[i].code, (unsigned long long)fs->counts[i].n);
	}
	fputc('\n', out);
	label(out, fr ? "alertes" : "warnings");
	fprintf(out, "%llu\n", (unsigned long long)st->warnings);
	if (fs->fx)
		write_fix_text(out, fs, fixed_path, fr);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < fs->ngroups; i++) {
			const struct group *g = &fs->groups[i];
			if (g->warning != pass)
				continue;
			const struct odl_message *m = odl_message_get(g->code, lang);
			fprintf(out, "\n%s %s", g->warning ? (fr ? "alerte" : "warning") : (fr ? "erreur" : "error"), g->code);
			if (*g->field) {
				fputs(fr ? ", colonne '" : ", column '", out);
				put_clean(out, g->field);
				fputc('\'', out);
			}
			if (g->n > 1)
				fprintf(out, fr ? " (%llu fois)" : " (%llu times)", (unsigned long long)g->n);
			fprintf(out, "%s%s\n", m ? ": " : "", m ? m->title : "");
			if (m)
				fprintf(out, "  %s\n", m->explanation);
			if (g->nex == 0 || (fr && g->message_translated)) {
				fputs("  ", out);
				put_clean(out, g->message);
				fputc('\n', out);
			} else if (*g->note) {
				char said[400];
				const char *line = NULL;
				/* a type error: what the schema itself asks for that column */
				if (strcmp(g->code, "type-error") == 0 && strncmp(g->note, "array item ", 11) != 0)
					line = odl_message_expected(s, g->field, lang, said, sizeof(said));
				if (!line)
					line = odl_message_note(g->note, lang, said, sizeof(said));
				fprintf(out, "  %s\n", line);
			}
			for (int e = 0; e < g->nex; e++)
				if (g->has_cell[e])
					fprintf(out, fr ? "  ligne %llu : '%s'\n" : "  row %llu: '%s'\n",
						(unsigned long long)g->rows[e], g->cells[e]);
				else
					fprintf(out, fr ? "  ligne %llu\n" : "  row %llu\n", (unsigned long long)g->rows[e]);
			if (g->n > (uint64_t)g->nex && g->nex)
				fprintf(out, fr ? "  ... et %llu autres\n" : "  ... and %llu more\n",
					(unsigned long long)(g->n - (uint64_t)g->nex));
			if (m)
				fprintf(out, "  %s %s\n", fr ? "Correction :" : "Fix:", m->fix);
		}
	}
}

/* "-12", "+3.5": a number, that a spreadsheet reads as one */
static int plain_number(const char *s)
{
	size_t digits = 0;
	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	return digits > 0 && !*s;
}

/* Text from the data that a spreadsheet would take for a formula (first
 * character = + - @ TAB or CR, and not a plain number): CSV cells give it a
 * leading quote, as odl-render -f csv does (see odl-validate(1)). */
static int looks_like_formula(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

/* A CSV cell written to a stream. */
static void csv_field(FILE *out, const char *s)
{
	int guard = looks_like_formula(s);
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		if (guard)
			fputc('\'', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		if (guard)
			fputc('\'', out);
		fputs(s, out);
	}
}

/* Errors, then warnings, each after the repairs (their type says which: see
 * the man page). */
static void write_csv(struct spill *rep, struct fstate *fs)
{
	size_t i;
	json_t *e;

	if (fs->fixes)
		spill_take(rep, fs->fixes);
	spill_take(rep, fs->errors);
	fs->fixes = fs->errors = NULL;
	json_array_foreach(fs->warnings, i, e)
		csv_row(rep, fs->path, e);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* NAME.fixed.csv beside the input: x.csv, x.csv.gz and x.tsv give x.fixed.csv. */
static void default_fixed_path(const char *path, char *out, size_t size)
{
	char base[PATH_MAX];
	snprintf(base, sizeof(base), "%s", path);
	size_t n = strlen(base);
	const char *const exts[] = { ".gz", ".csv", ".tsv", ".txt" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		size_t l = strlen(exts[i]);
		const char *slash = strrchr(base, '/');
		if (n > l && strcasecmp(base + n - l, exts[i]) == 0 &&
		    (slash ? (size_t)(slash - base) + 1 : 0) < n - l)
			base[n -= l] = 0;
	}
	snprintf(out, size, "%s.fixed.csv", base);
}

/* 1 when both paths name the same existing file. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* With --fix guessing what the whole file tells: whether the finished
 * pass shows a guess wrong, the line ending of the repaired file included. */
static int guessed_wrong(const struct fstate *fs, const odl_csv *csv)
{
	const struct odl_csv_info *li = odl_csv_info(csv);
	const char *eol = li->line_ending == ODL_EOL_CRLF ? "\r\n" : "\n";

	if (odl_fixer_guessed_wrong(fs->fx))
		return 1;
	return fs->fix_eol && (strcmp(fs->fix_eol, eol) != 0 ||
			       fs->fix_delim != (fs->cfg->fix_delimiter ? fs->cfg->fix_delimiter :
						 li->delimiter ? li->delimiter : ','));
}

/* Forget every finding and repair, for a pass done again. */
static int reset_report(struct fstate *fs)
{
	int text = fs->cfg->format == FMT_TEXT;

	spill_free(fs->errors);
	spill_free(fs->fixes);
	fs->errors = text ? NULL : spill_new();
	fs->fixes = text ? NULL : spill_new();
	json_decref(fs->warnings);
	fs->warnings = json_array();
	if (fs->labels) {
		json_decref(fs->labels);
		fs->labels = json_array();
	}
	memset(fs->counts, 0, sizeof(fs->counts));
	memset(fs->wcounts, 0, sizeof(fs->wcounts));
	fs->ncounts = fs->nwcounts = 0;
	fs->stored = fs->fixes_stored = 0;
	fs->truncated = fs->fixes_truncated = 0;
	fs->ngroups = 0;
	memset(fs->fgroups, 0, sizeof(fs->fgroups));
	return (!text && (!fs->errors || !fs->fixes)) || !fs->warnings ||
	       (fs->cfg->format == FMT_FRICTIONLESS && !fs->labels);
}

/* The schema's own problems as findings (frictionless reads no data then). */
static size_t emit_schema_problems(struct fstate *fs, const odl_schema *s)
{
	size_t n = odl_schema_nproblems(s);

	for (size_t i = 0; i < n; i++) {
		const struct odl_schema_problem *p = odl_schema_problem(s, i);
		struct odl_finding f;
		memset(&f, 0, sizeof(f));
		f.code = p->code;
		f.field = p->field;
		f.field_number = p->field_number;
		f.note = p->note;
		f.message = p->message;
		f.message_fr = p->message_fr;
		on_finding(fs, &f);
	}
	return n;
}

static void validate_job(const struct config *cfg, struct job *job)
{
	struct spill *out = job->out = spill_new();
	FILE *errf = open_memstream(&job->errs, &job->errslen);
	struct odl_error err;
	odl_schema *s = NULL;
	struct fstate fs;
	odl_hash *h = NULL;
	char detected[PATH_MAX], why[600], why_fr[600], upgrade[1400] = "";
	int versions_hint = 0;
	const char *schema_path = job->schema_path;
	const char *why_p = NULL;
	struct timespec t0, t1;
	char fixed_path[PATH_MAX] = "";
	int guessing = 0;

	if (!out || !errf)
		cli_die("out of memory");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&fs, 0, sizeof(fs));
	odl_error_clear(&err);
	job->status = EXIT_TROUBLE;
	if (!schema_path && strcmp(job->path, "-") == 0) {
		fprintf(errf, "%s: '-': give --schema for standard input (detection reads the file twice)\n", cli_name());
		goto done;
	}
	if (!schema_path) {
		/* A resource that declares no schema and resembles none of odl's
		 * is not an SCDL file: a batch notes it and goes on. */
		char *quiet = NULL;
		size_t quietlen = 0;
		FILE *detect_errf = job->optional ? open_memstream(&quiet, &quietlen) : errf;
		if (!detect_errf)
			cli_die("out of memory");
		int drc = detect_schema(cfg, job->path, detected, sizeof(detected), why, sizeof(why),
					why_fr, sizeof(why_fr),
					upgrade, sizeof(upgrade), &versions_hint, detect_errf);
		if (job->optional) {
			fclose(detect_errf);
			free(quiet);
			if (drc != 0) {
				fprintf(errf, "%s: '%s': not checked: it declares no schema and none of "
					"odl's matches its header\n", cli_name(), job->path);
				job->status = EXIT_OK;
				goto done;
			}
		}
		if (drc != 0)
			goto done;
		schema_path = detected;
		why_p = why;
	}
	if (odl_schema_load_path(schema_path, &s, &err) != ODL_OK) {
		const char *where = err.file[0] ? err.file : schema_path;
		/* a schema given by URL is read from odl's cache: name the URL, not the cache file */
		if (job->schema_ref && job->schema_path && strcmp(where, job->schema_path) == 0 &&
		    (strncasecmp(job->schema_ref, "http://", 7) == 0 ||
		     strncasecmp(job->schema_ref, "https://", 8) == 0))
			where = job->schema_ref;
		fprintf(errf, "%s: ", cli_name());
		fprintf(errf, "'%s'", where);
		if (err.line)
			fprintf(errf, " line %llu", (unsigned long long)err.line);
		if (err.column)
			fprintf(errf, ", column %llu", (unsigned long long)err.column);
		fprintf(errf, ": %s\n", err.message);
		goto done;
	}
	fs.cfg = cfg;
	fs.lang = cfg->lang;
	fs.upgrade = upgrade;
	fs.versions_hint = versions_hint;
	fs.path = job->path;
	fs.errors = cfg->format == FMT_TEXT ? NULL : spill_new();
	fs.warnings = json_array();
	fs.labels = cfg->format == FMT_FRICTIONLESS ? json_array() : NULL;
	struct odl_validate_options vo;
	odl_validate_options_init(&vo);
	vo.fields_match = cfg->match;
	vo.skip_checks = cfg->no_checks;
	if (cfg->max_keys)
		vo.max_keys = cfg->max_keys;
	fs.v = odl_validator_new(s, &vo, on_finding, &fs);
	if (!fs.v || (!fs.errors && cfg->format != FMT_TEXT) || !fs.warnings)
		cli_die("out of memory");
	/* a schema frictionless rejects: its problems, and no data read */
	size_t nprob = emit_schema_problems(&fs, s);
	struct odl_csv_options co = cfg->csv;
	co.name = job->path;
	int rc;
	if (cfg->fix && !nprob) {
		if (cfg->fix_output)
			snprintf(fixed_path, sizeof(fixed_path), "%s", cfg->fix_output);
		else
			default_fixed_path(job->path, fixed_path, sizeof(fixed_path));
		if (strcmp(fixed_path, "-") != 0 &&
		    (strcmp(fixed_path, job->path) == 0 || same_file(fixed_path, job->path))) {
			fprintf(errf, "%s: '%s': the repaired file would replace its input; give another --fix-output\n",
				cli_name(), fixed_path);
			goto done;
		}
		fs.fx = odl_fixer_new(s, &cfg->fix_opt, on_fix, &fs);
		fs.fixes = cfg->format == FMT_TEXT ? NULL : spill_new();
		if (!fs.fx || (!fs.fixes && cfg->format != FMT_TEXT))
			cli_die("out of memory");
		if (odl_validator_needs_prepass(fs.v) && !(fs.prefx = odl_fixer_new(s, &cfg->fix_opt, NULL, NULL)))
			cli_die("out of memory");
		if (strcmp(job->path, "-") != 0 && strcmp(fixed_path, "-") != 0 && !fs.prefx) {
			if (odl_outfile_open(fixed_path, &fs.fixout, &err) != ODL_OK) {
				fprintf(errf, "%s: '%s': %s\n", cli_name(), fixed_path, err.message);
				goto done;
			}
			/* what only the whole file tells (day or month first,
			 * empty trailing columns, the line ending) is guessed,
			 * and the file read again in the rare case the guess
			 * proves wrong: possible while the repaired file is a
			 * temporary, not when it goes out as written */
			if (!odl_outfile_in_place(fs.fixout)) {
				odl_fixer_guess(fs.fx);
				guessing = 1;
			}
		}
		if (!guessing && strcmp(job->path, "-") != 0) {
			/* a first pass settles what only the whole file tells */
			fs.learning = 1;
			odl_csv *lc = odl_csv_new(&co, on_record, &fs);
			if (!lc)
				cli_die("out of memory");
			fs.reading = lc;
			rc = read_file(job->path, lc, NULL, &err);
			fs.reading = NULL;
			/* taken here, from a finished read, rather than from a
			 * reader another thread may still be running */
			const struct odl_csv_info *li = odl_csv_info(lc);
			fs.fix_eol = li->line_ending == ODL_EOL_CRLF ? "\r\n" : "\n";
			fs.fix_delim = cfg->fix_delimiter ? cfg->fix_delimiter : li->delimiter ? li->delimiter : ',';
			odl_csv_free(lc);
			fs.learning = 0;
			if (rc != ODL_OK && rc != ODL_EENCODING) {
				read_error(errf, job->path, &err);
				goto done;
			}
			odl_error_clear(&err);
		}
		if (!fs.fixout && odl_outfile_open(fixed_path, &fs.fixout, &err) != ODL_OK) {
			fprintf(errf, "%s: '%s': %s\n", cli_name(), fixed_path, err.message);
			goto done;
		}
	}
	if (!nprob && odl_validator_needs_prepass(fs.v)) {
		if (strcmp(job->path, "-") == 0) {
			fprintf(errf, "%s: '-': foreign keys need a file that can be read twice, not standard input\n", cli_name());
			goto done;
		}
		fs.prepass = 1;
		odl_csv *pc = odl_csv_new(&co, on_record, &fs);
		if (!pc)
			cli_die("out of memory");
		fs.reading = pc;
		rc = read_file(job->path, pc, NULL, &err);
		fs.reading = NULL;
		odl_csv_free(pc);
		fs.prepass = 0;
		if (rc != ODL_OK && rc != ODL_EENCODING) {
			read_error(errf, job->path, &err);
			goto done;
		}
		odl_error_clear(&err);
	}
	co.bool_text = odl_validator_bool_text; /* xlsx booleans as the schema spells them */
again:
	co.bool_ctx = fs.v;
	odl_csv *csv = odl_csv_new(&co, on_record, &fs);
	if (!csv)
		cli_die("out of memory");
	fs.csv = fs.reading = csv;
	h = odl_hash_new(ODL_HASH_SHA256);
	if (!h)
		cli_die("out of memory");
	rc = nprob ? ODL_OK : read_file(job->path, csv, h, &err);
	if (rc == ODL_EENCODING) {
		odl_validator_encoding_error(fs.v, &err);
	} else if (rc != ODL_OK && rc != ODL_ECANCELED) {
		read_error(errf, job->path, &err);
		odl_csv_free(csv);
		goto done;
	}
	if (guessing && !fs.fix_write_failed && !fs.fix_err.code && guessed_wrong(&fs, csv)) {
		/* read again, knowing the file: nothing of this pass is kept */
		const struct odl_csv_info *li = odl_csv_info(csv);
		fs.fix_eol = li->line_ending == ODL_EOL_CRLF ? "\r\n" : "\n";
		fs.fix_delim = cfg->fix_delimiter ? cfg->fix_delimiter : li->delimiter ? li->delimiter : ',';
		odl_csv_free(csv);
		odl_hash_free(h);
		h = NULL;
		guessing = 0;
		odl_fixer_restart(fs.fx);
		odl_csv_writer_free(fs.writer);
		fs.writer = NULL;
		odl_outfile_abort(fs.fixout);
		fs.fixout = NULL;
		if (odl_outfile_open(fixed_path, &fs.fixout, &err) != ODL_OK) {
			fprintf(errf, "%s: '%s': %s\n", cli_name(), fixed_path, err.message);
			goto done;
		}
		odl_validator_free(fs.v);
		fs.v = odl_validator_new(s, &vo, on_finding, &fs);
		if (!fs.v || reset_report(&fs) != 0)
			cli_die("out of memory");
		odl_error_clear(&err);
		goto again;
	}
	if (fs.writer && !fs.fix_write_failed && odl_csv_writer_flush(fs.writer) != ODL_OK)
		fs.fix_write_failed = errno ? errno : EIO;
	if (fs.fix_write_failed || fs.fix_err.code) {
		if (fs.fix_write_failed && strcmp(fixed_path, "-") == 0)
			fprintf(errf, "%s: error writing standard output: %s\n", cli_name(),
				strerror(fs.fix_write_failed));
		else if (fs.fix_write_failed)
			fprintf(errf, "%s: '%s': cannot write: %s\n", cli_name(), fixed_path, strerror(fs.fix_write_failed));
		else
			fprintf(errf, "%s: '%s': %s\n", cli_name(), job->path, fs.fix_err.message);
		odl_csv_free(csv);
		goto done;
	}
	if (fs.fixout) {
		odl_outfile *fo = fs.fixout;
		fs.fixout = NULL;
		if (odl_outfile_commit(fo, &err) != ODL_OK) {
			if (strcmp(fixed_path, "-") == 0 && err.sys_errno)
				fprintf(errf, "%s: error writing standard output: %s\n", cli_name(),
					strerror(err.sys_errno));
			else
				fprintf(errf, "%s: '%s': %s\n", cli_name(), fixed_path, err.message);
			odl_csv_free(csv);
			goto done;
		}
	}
	if (!nprob)
		odl_validator_finish(fs.v, NULL);
	const struct odl_csv_info *info = odl_csv_info(csv);
	struct odl_validate_stats st_all = *odl_validator_stats(fs.v);
	st_all.errors += nprob;
	const struct odl_validate_stats *st = &st_all;
	char sha[ODL_HASH_HEX_MAX];
	odl_hash_final_hex(h, sha);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int valid = st->errors == 0;
	job->status = valid ? EXIT_OK : EXIT_INVALID;
	if (fs.failed_alloc)
		cli_die("out of memory");
	switch (cfg->format) {
	case FMT_TEXT: {
		/* a few lines per group of findings: small */
		char *txt = NULL;
		size_t len = 0;
		FILE *tf = open_memstream(&txt, &len);
		if (!tf)
			cli_die("out of memory");
		write_text(tf, &fs, job->path, s, why_p && cfg->lang[0] == 'f' ? why_fr : why_p, st,
			   cfg->lang, fixed_path);
		if (fclose(tf) != 0)
			cli_die("out of memory");
		put(out, txt, len);
		free(txt);
		break;
	}
	case FMT_CSV:
		write_csv(out, &fs);
		break;
	case FMT_NDJSON: {
		/* one object, written in three parts around the kept errors and
		 * repairs, in the key order of the whole object as it was built */
		json_t *schema = json_pack("{s:s, s:s, s:s}", "name", odl_schema_name(s),
					   "version", odl_schema_version(s), "sha256", odl_schema_sha256(s));
		if (schema && why_p)
			json_object_set_new(schema, "detected", json_string(why_p));
		if (schema && *upgrade)
			json_object_set_new(schema, "latest", json_string(upgrade));
		json_t *head = json_pack("{s:o, s:o, s:b, s:b, s:I, s:I, s:o, s:I, s:O}",
					 "path", path_json(job->path), "schema", schema, "valid", valid, "complete", st->complete,
					 "rows", (json_int_t)st->rows, "error_count", (json_int_t)st->errors,
					 "error_counts", counts_json(fs.counts, fs.ncounts), "warning_count", (json_int_t)st->warnings,
					 "warnings", fs.warnings);
		json_t *tail = json_pack("{s:b, s:s, s:s, s:s, s:o}", "truncated", fs.truncated,
					 "fields_match", odl_fields_match_name(st->fields_match),
					 "file_sha256", sha, "odl_version", odl_version(),
					 "warning_counts", counts_json(fs.wcounts, fs.nwcounts));
		if (!head || !tail)
			cli_die("out of memory");
		if (fs.fx) {
			json_object_set_new(tail, "fixed_path", path_json(fixed_path));
			json_object_set_new(tail, "fix_counts", fix_counts_json(&fs, 0));
			json_object_set_new(tail, "fix_left_counts", fix_counts_json(&fs, 1));
		}
		put(out, "{", 1);
		put_json(out, head, 1);
		put_str(out, ",\"errors\":[");
		spill_take(out, fs.errors);
		fs.errors = NULL;
		put_str(out, "],");
		put_json(out, tail, 1);
		if (fs.fx) {
			put_str(out, ",\"fixes\":[");
			spill_take(out, fs.fixes);
			fs.fixes = NULL;
			put_str(out, fs.fixes_truncated ? "],\"fixes_truncated\":true" : "],\"fixes_truncated\":false");
		}
		put(out, "}\n", 2);
		json_decref(head);
		json_decref(tail);
		break;
	}
	case FMT_FRICTIONLESS: {
		json_t *warn = json_array();
		if (fs.truncated) {
			char w[64];
			snprintf(w, sizeof(w), "reached error limit: %ld", cfg->max_errors);
			json_array_append_new(warn, json_string(w));
		}
		size_t i;
		json_t *wv;
		json_array_foreach(fs.warnings, i, wv)
			json_array_append_new(warn, json_string(json_string_value(json_object_get(wv, "message"))));
		char name[256];
		snprintf(name, sizeof(name), "%s", base_name(job->path));
		char *dot = strchr(name, '.');
		if (dot)
			*dot = 0;
		/* path_json: names are bytes, and the cut above may split a character */
		json_t *task = json_pack("{s:b, s:o, s:s, s:o, s:O, s:{s:I, s:I, s:f, s:s, s:I, s:I, s:I}, s:o}",
					 "valid", valid, "name", path_json(name), "type", "table", "place", path_json(job->path),
					 "labels", fs.labels,
					 "stats", "errors", (json_int_t)st->errors, "warnings", (json_int_t)json_array_size(warn),
					 "seconds", secs, "sha256", sha, "bytes", (json_int_t)info->bytes_in,
					 "fields", (json_int_t)odl_schema_nfields(s), "rows", (json_int_t)st->rows,
					 "warnings", warn);
		if (!task)
			cli_die("out of memory");
		/* the task, its errors and repairs spliced in after its other keys */
		put(out, "{", 1);
		put_json(out, task, 1);
		put_str(out, ",\"errors\":[");
		spill_take(out, fs.errors);
		fs.errors = NULL;
		put(out, "]", 1);
		if (fs.fx) {
			put_str(out, ",\"fixes\":[");
			spill_take(out, fs.fixes);
			fs.fixes = NULL;
			put(out, "]", 1);
		}
		put(out, "}", 1);
		json_decref(task);
		job->errors = st->errors;
		break;
	}
	}
	odl_csv_free(csv);
done:
	odl_csv_writer_free(fs.writer);
	odl_outfile_abort(fs.fixout);
	odl_fixer_free(fs.fx);
	odl_fixer_free(fs.prefx);
	spill_free(fs.fixes);
	odl_hash_free(h);
	odl_validator_free(fs.v);
	spill_free(fs.errors);
	json_decref(fs.warnings);
	json_decref(fs.labels);
	free(fs.groups);
	odl_schema_free(s);
	fclose(errf);
}

/* ---- batch --------------------------------------------------------------- */

struct pool {
	const struct config *cfg;
	struct job *jobs;
	size_t njobs, next;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next++;
		int skip = i < p->njobs && p->jobs[i].done; /* its schema did not resolve */
		pthread_mutex_unlock(&p->mu);
		if (i >= p->njobs)
			return NULL;
		if (skip)
			continue;
		validate_job(p->cfg, &p->jobs[i]);
		pthread_mutex_lock(&p->mu);
		p->jobs[i].done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

struct schema_cache {
	char *ref;
	char *path;
};

static char *resolve_ref(const char *ref, struct schema_cache **cache, size_t *ncache, int *bad)
{
	struct odl_error err;
	char path[PATH_MAX];

	for (size_t i = 0; i < *ncache; i++)
		if (strcmp((*cache)[i].ref, ref) == 0)
			return (*cache)[i].path ? strdup((*cache)[i].path) : NULL;
	odl_error_clear(&err);
	struct schema_cache *nc = realloc(*cache, (*ncache + 1) * sizeof(**cache));
	if (!nc)
		cli_die("out of memory");
	*cache = nc;
	nc[*ncache].ref = strdup(ref);
	nc[*ncache].path = NULL;
	if (odl_schema_resolve_any(ref, cli_data_dir(), path, sizeof(path), &err) != ODL_OK) {
		cli_error("'%s': %s", ref, err.message);
		*bad = 1;
	} else {
		nc[*ncache].path = strdup(path);
	}
	(*ncache)++;
	return nc[*ncache - 1].path ? strdup(nc[*ncache - 1].path) : NULL;
}

static const char *manifest_schema(json_t *line, char *buf, size_t size)
{
	json_t *sc = json_object_get(line, "schema");
	if (json_is_string(sc))
		return json_string_value(sc);
	if (json_is_object(sc) && json_is_string(json_object_get(sc, "name"))) {
		const char *name = json_string_value(json_object_get(sc, "name"));
		const char *ver = json_string_value(json_object_get(sc, "version"));
		if (!strchr(name, '/'))
			snprintf(buf, size, "scdl/%s%s%s", name, ver ? "@" : "", ver ? ver : "");
		else
			snprintf(buf, size, "%s%s%s", name, ver ? "@" : "", ver ? ver : "");
		return buf;
	}
	return NULL;
}

static void add_job(struct job **jobs, size_t *n, size_t *cap, const char *path, const char *ref,
		    struct schema_cache **cache, size_t *ncache, int *bad)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		struct job *nj = realloc(*jobs, *cap * sizeof(**jobs));
		if (!nj)
			cli_die("out of memory");
		*jobs = nj;
	}
	struct job *j = &(*jobs)[(*n)++];
	memset(j, 0, sizeof(*j));
	j->path = strdup(path);
	j->schema_ref = ref ? strdup(ref) : NULL;
	if (ref) {
		int b = 0;
		j->schema_path = resolve_ref(ref, cache, ncache, &b);
		if (b) {
			*bad = 1;
			j->done = 1;
			j->status = EXIT_TROUBLE;
		}
	}
}

static void read_manifest(const struct config *cfg, struct job **jobs, size_t *n, size_t *cap,
			  struct schema_cache **cache, size_t *ncache, int *bad)
{
	FILE *f = strcmp(cfg->manifest, "-") == 0 ? stdin : fopen(cfg->manifest, "r");
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	unsigned long lineno = 0;

	if (!f)
		cli_die("'%s': cannot open: %s", cfg->manifest, strerror(errno));
	while ((len = getline(&line, &lcap, f)) > 0) {
		json_error_t je;
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len)
			continue;
		json_t *o = json_loadb(line, (size_t)len, 0, &je);
		if (!json_is_object(o)) {
			cli_error("'%s' line %lu: not a JSON object", cfg->manifest, lineno);
			*bad = 1;
			json_decref(o);
			continue;
		}
		const char *status = json_string_value(json_object_get(o, "status"));
		const char *path = json_string_value(json_object_get(o, "path"));
		if (status && strcmp(status, "ok") != 0 && strcmp(status, "not-modified") != 0 &&
		    strcmp(status, "cached") != 0) {
			json_decref(o);
			continue;
		}
		if (!path) {
			cli_error("'%s' line %lu, field 'path': missing", cfg->manifest, lineno);
			*bad = 1;
			json_decref(o);
			continue;
		}
		char buf[512];
		const char *ref = cfg->schema ? cfg->schema : manifest_schema(o, buf, sizeof(buf));
		add_job(jobs, n, cap, path, ref, cache, ncache, bad);
		(*jobs)[*n - 1].optional = !ref;
		json_decref(o);
	}
	free(line);
	if (f != stdin)
		fclose(f);
}

/* ---- --check-schema ------------------------------------------------------ */

/*
 * The schema alone, as frictionless checks it before any data: its
 * field-error and schema-error problems.  A schema that odl cannot compile
 * (a broken Table Schema descriptor) is one schema-error, or field-error
 * when the key is a field's; one that cannot be read at all (missing, not
 * JSON) is a runtime error.
 */
static int check_schema(const struct config *cfg)
{
	const char *ref = cfg->check_schema;
	char path[PATH_MAX], note[ODL_ERROR_TEXT + 32], msg[ODL_ERROR_TEXT + 64];
	struct odl_schema_problem one;
	struct odl_error err;
	odl_schema *s = NULL;
	size_t n;
	int fr = cfg->lang[0] == 'f';

	odl_error_clear(&err);
	if (odl_schema_resolve_any(ref, cli_data_dir(), path, sizeof(path), &err) != ODL_OK) {
		cli_error("'%s': %s", ref, err.message);
		return EXIT_TROUBLE;
	}
	int rc = odl_schema_load_path(path, &s, &err);
	if (rc != ODL_OK) {
		if (rc != ODL_ESCHEMA || strncmp(err.message, "not valid JSON", 14) == 0) {
			char where[64] = "";
			if (err.line)
				snprintf(where, sizeof(where), " line %llu, column %llu", (unsigned long long)err.line,
					 (unsigned long long)err.column);
			cli_error("'%s'%s: %s", path, where, err.message);
			return EXIT_TROUBLE;
		}
		int field = strncmp(err.message, "fields[", 7) == 0;
		snprintf(note, sizeof(note), "%s", err.message);
		snprintf(msg, sizeof(msg), "%s is not valid: %s", field ? "Field" : "Schema", note);
		memset(&one, 0, sizeof(one));
		one.code = field ? "field-error" : "schema-error";
		one.field = "";
		one.note = note;
		one.message = msg;
		n = 1;
	} else {
		n = odl_schema_nproblems(s);
	}
	FILE *out = cli_output_open(cfg->output ? cfg->output : "-");
	json_t *errors = json_array();
	if (!errors)
		cli_die("out of memory");
	if (cfg->format == FMT_TEXT) {
		fprintf(out, "%s: %s\n", ref, n ? (fr ? "NON VALIDE" : "INVALID") : (fr ? "valide" : "valid"));
		if (s) {
			label(out, fr ? "schéma" : "schema");
			fprintf(out, "%s %s, %zu %s\n", *odl_schema_name(s) ? odl_schema_name(s) : "(unnamed)",
				odl_schema_version(s), odl_schema_nfields(s), fr ? "colonnes" : "fields");
		}
		label(out, fr ? "erreurs" : "errors");
		fprintf(out, "%zu\n", n);
	} else if (cfg->format == FMT_CSV) {
		fputs("path,type,row,field,column,cell,message\r\n", out);
	}
	for (size_t i = 0; i < n; i++) {
		const struct odl_schema_problem *p = s ? odl_schema_problem(s, i) : &one;
		const char *m = fr && p->message_fr ? p->message_fr : p->message;
		const struct odl_message *cat = odl_message_get(p->code, cfg->lang);
		switch (cfg->format) {
		case FMT_TEXT:
			fprintf(out, "\n%s %s", fr ? "erreur" : "error", p->code);
			if (*p->field)
				fprintf(out, fr ? ", colonne '%s'" : ", column '%s'", p->field);
			fprintf(out, "%s%s\n  %s\n", cat ? ": " : "", cat ? cat->title : "", m);
			if (cat)
				fprintf(out, "  %s %s\n", fr ? "Correction :" : "Fix:", cat->fix);
			break;
		case FMT_CSV:
			csv_field(out, ref);
			fprintf(out, ",%s,,", p->code);
			csv_field(out, p->field);
			fputs(",,,", out);
			csv_field(out, m);
			fputs("\r\n", out);
			break;
		case FMT_NDJSON:
			json_array_append_new(errors, json_pack("{s:s, s:s?, s:I, s:s, s:s}", "type", p->code,
								"field", *p->field ? p->field : NULL,
								"field_number", (json_int_t)p->field_number,
								"note", p->note, "message", m));
			break;
		case FMT_FRICTIONLESS: {
			const struct odl_message *en = odl_message_get(p->code, "en");
			json_array_append_new(errors, json_pack("{s:s, s:s, s:s, s:s, s:[], s:s}", "type", p->code,
								"title", en ? en->title : p->code,
								"description", en ? en->explanation : "",
								"message", m, "tags", "note", p->note));
			break;
		}
		}
	}
	json_t *o = NULL;
	if (cfg->format == FMT_NDJSON) {
		o = json_pack("{s:o, s:o, s:b, s:I, s:O}", "schema", path_json(ref), "path", path_json(path), "valid", n == 0,
			      "error_count", (json_int_t)n, "errors", errors);
		if (o && s) {
			json_object_set_new(o, "name", json_string(odl_schema_name(s)));
			json_object_set_new(o, "version", json_string(odl_schema_version(s)));
		}
	} else if (cfg->format == FMT_FRICTIONLESS) {
		/* frictionless's Schema.validate_descriptor report */
		o = json_pack("{s:b, s:{s:i, s:I, s:i, s:f}, s:[], s:O, s:[]}", "valid", n == 0, "stats", "tasks", 0,
			      "errors", (json_int_t)n, "warnings", 0, "seconds", 0.0, "warnings", "errors", errors,
			      "tasks");
	}
	if (o && odl_ndjson_write(out, o) != ODL_OK)
		cli_die("out of memory");
	if ((cfg->format == FMT_NDJSON || cfg->format == FMT_FRICTIONLESS) && !o)
		cli_die("out of memory");
	json_decref(o);
	json_decref(errors);
	odl_schema_free(s);
	int status = n ? EXIT_INVALID : EXIT_OK;
	if (cli_output_close(out) != 0)
		status = EXIT_TROUBLE;
	return status;
}

int main(int argc, char **argv)
{
	struct config cfg;
	int first, status = EXIT_OK;
	FILE *out;

	memset(&cfg, 0, sizeof(cfg));
	odl_csv_options_init(&cfg.csv);
	cfg.max_errors = 1000;
	cfg.jobs = 1;
	read_threads = sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
	cfg.match = ODL_MATCH_DEFAULT;
	odl_fix_options_init(&cfg.fix_opt);
	cli_init(&program);
	first = cli_parse(&program, argc, argv, handle, &cfg);
	if (cfg.check_schema && (first < argc || cfg.manifest || cfg.describe || cfg.schema))
		cli_usage_error("--check-schema takes no FILE, --manifest, --describe or --schema");
	if (first >= argc && !cfg.manifest && !cfg.check_schema)
		cli_usage_error("no input file");
	if (!cfg.fix && (cfg.fix_output || cfg.fix_delimiter || cfg.fix_opt.add_missing || cfg.fix_opt.order ||
			 cfg.fix_opt.rules != (1u << ODL_FIX_NRULES) - 1))
		cli_usage_error("--fix-output, --fix-delimiter, --no-fix, --fix-add-missing and --fix-order go with --fix");
	if (cfg.fix && cfg.describe)
		cli_usage_error("--fix repairs what it validates: not with --describe");
	if (cfg.fix_output && (cfg.manifest || argc - first != 1))
		cli_usage_error("--fix-output names one repaired file: give one input");
	if (cfg.fix && !cfg.fix_output && (cfg.manifest ? 0 : strcmp(argv[first], "-") == 0 && argc - first == 1))
		cli_usage_error("standard input has no place beside it: give --fix-output FILE or -");
	if (cfg.fix_output && strcmp(cfg.fix_output, "-") == 0 && (!cfg.output || strcmp(cfg.output, "-") == 0))
		cli_usage_error("--fix-output - writes the data to stdout: give -o FILE for the report");
	if (!cfg.lang)
		cfg.lang = cli_lang();
	if (!cfg.format_set)
		cfg.format = (!cli_use_color(stdout) || (cfg.output && strcmp(cfg.output, "-") != 0)) ? FMT_NDJSON : FMT_TEXT;
	if (cfg.describe) {
		if (cfg.format == FMT_FRICTIONLESS || cfg.format == FMT_CSV)
			cli_usage_error("--describe writes text or ndjson");
		cfg.ndjson = cfg.format == FMT_NDJSON;
		out = cli_output_open(cfg.output ? cfg.output : "-");
		for (int i = first; i < argc; i++) {
			int st = describe(&cfg, out, argv[i]);
			if (st > status)
				status = st;
			cli_check_stdout();
		}
		return cli_finish(cli_output_end(out, status));
	}
	odl_messages_set_dir_near_exe();
	(void)cli_data_dir(); /* computed once here, before any worker thread reads it */
	if (cfg.check_schema)
		return cli_finish(check_schema(&cfg));

	struct job *jobs = NULL;
	size_t njobs = 0, cap = 0, ncache = 0;
	struct schema_cache *cache = NULL;
	int bad = 0;
	if (cfg.manifest)
		read_manifest(&cfg, &jobs, &njobs, &cap, &cache, &ncache, &bad);
	for (int i = first; i < argc; i++)
		add_job(&jobs, &njobs, &cap, argv[i], cfg.schema, &cache, &ncache, &bad);
	size_t njobs_all = njobs;
	if (bad)
		status = EXIT_TROUBLE;
	if (bad && cfg.schema)
		njobs = 0; /* the one schema is unusable: no report at all */

	struct pool pool = { &cfg, jobs, njobs, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
	long nthreads = cfg.jobs < (long)njobs ? cfg.jobs : (long)njobs;
	pthread_t *th = calloc((size_t)(nthreads > 0 ? nthreads : 1), sizeof(pthread_t));
	if (!th)
		cli_die("out of memory");
	out = cli_output_open(cfg.output ? cfg.output : "-");
	if (cfg.format == FMT_CSV && njobs)
		fputs("path,type,row,field,column,cell,message\r\n", out);
	if (cfg.format == FMT_FRICTIONLESS && njobs)
		fputs("{\"tasks\":[", out);
	size_t ntasks = 0;
	uint64_t ferrors = 0, nbad = 0;
	/* files done of the total, on a terminal, for batches */
	struct cli_progress prog;
	cli_progress_start(&prog, cfg.quiet || njobs < 2, "files", "files", "invalid", njobs);
	int fvalid = 1;
	if (nthreads > 1) {
		for (long t = 0; t < nthreads; t++)
			if (pthread_create(&th[t], NULL, worker, &pool) != 0)
				cli_die("cannot start a thread");
	}
	for (size_t i = 0; i < njobs; i++) {
		struct job *j = &jobs[i];
		if (nthreads > 1) {
			pthread_mutex_lock(&pool.mu);
			while (!j->done)
				pthread_cond_wait(&pool.cv, &pool.mu);
			pthread_mutex_unlock(&pool.mu);
		} else if (!j->done) {
			validate_job(&cfg, j);
		}
		if (j->errs && j->errslen) {
			cli_progress_clear();
			put_messages(j->errs, j->errslen);
		}
		if (j->out && spill_size(j->out)) {
			cli_progress_before(out);
			if (cfg.format == FMT_FRICTIONLESS) {
				if (ntasks++)
					fputc(',', out);
				fvalid &= j->status == EXIT_OK;
				ferrors += j->errors;
			}
			if (spill_copy(j->out, out) != 0 && !ferror(out))
				cli_die("cannot read back a temporary file: %s", strerror(errno));
			if (cfg.format == FMT_TEXT && i + 1 < njobs)
				fputc('\n', out);
		}
		if (j->status > status)
			status = j->status;
		nbad += j->status != EXIT_OK;
		cli_progress(&prog, i + 1, nbad);
		spill_free(j->out);
		free(j->errs);
		j->out = NULL;
		j->errs = NULL;
		cli_check_stdout();
	}
	cli_progress_end(&prog);
	if (nthreads > 1)
		for (long t = 0; t < nthreads; t++)
			pthread_join(th[t], NULL);
	if (cfg.format == FMT_FRICTIONLESS && njobs)
		fprintf(out, "],\"valid\":%s,\"stats\":{\"tasks\":%zu,\"errors\":%llu,\"warnings\":0},\"warnings\":[],\"errors\":[]}\n",
			fvalid && status == EXIT_OK ? "true" : "false", ntasks, (unsigned long long)ferrors);
	status = cli_output_end(out, status); /* exit 2 keeps the previous report */
	for (size_t i = 0; i < pool.njobs || i < njobs_all; i++) {
		free(jobs[i].path);
		free(jobs[i].schema_ref);
		free(jobs[i].schema_path);
	}
	free(jobs);
	for (size_t i = 0; i < ncache; i++) {
		free(cache[i].ref);
		free(cache[i].path);
	}
	free(cache);
	free(th);
	return cli_finish(status);
}
