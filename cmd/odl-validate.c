/*
 * odl-validate - check CSV files against Table Schema / SCDL schemas.
 *
 * Each file is read once, streaming, and validated against its schema (given
 * by --schema, by the manifest, or detected from the header); findings are
 * counted in full and stored up to --max-errors, then written as text,
 * NDJSON, a frictionless-shaped JSON report or CSV.  With -j N the files are
 * validated by N threads; reports come out in input order.  --describe only
 * says what the reader detects.
 */
#include "cli.h"
#include "odl/csv.h"
#include "odl/messages.h"
#include "odl/ndjson.h"
#include "odl/schema.h"
#include "odl/hash.h"
#include "odl/validate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { OPT_DESCRIBE = 1, OPT_FORMAT, OPT_ENCODING, OPT_DELIMITER, OPT_NO_HEADER,
       OPT_REPLACE, OPT_MAX_CELL, OPT_OUTPUT, OPT_SCHEMA, OPT_FIELDS_MATCH, OPT_MAX_ERRORS,
       OPT_LANG, OPT_MANIFEST, OPT_JOBS, OPT_NO_CHECKS, OPT_MAX_KEYS };

static const struct cli_option options[] = {
	{ OPT_SCHEMA, 's', "schema", "SCHEMA", "schema file, or name like scdl/subventions[@2.1.1] (default: detect from the header)" },
	{ OPT_FIELDS_MATCH, 'm', "fields-match", "MODE", "column matching: validata (default), exact, equal, subset, superset, partial" },
	{ OPT_MAX_ERRORS, 'n', "max-errors", "N", "errors kept per file in the report, 0 = all (default 1000); all are counted" },
	{ OPT_FORMAT, 'f', "format", "FMT", "report format: text, ndjson, frictionless, csv (default: text on a terminal, else ndjson)" },
	{ OPT_LANG, 0, "lang", "LANG", "language of the texts: fr or en (default: from the locale)" },
	{ OPT_MANIFEST, 0, "manifest", "FILE", "read the files to check from NDJSON lines with \"path\" and optional \"schema\" ('-' = stdin)" },
	{ OPT_JOBS, 'j', "jobs", "N", "validate N files at a time (default 1); reports keep the input order" },
	{ OPT_NO_CHECKS, 0, "no-custom-checks", NULL, "skip the schema's custom_checks (Validata's checks)" },
	{ OPT_MAX_KEYS, 0, "max-keys", "N", "distinct values remembered per unique field or key (default 8388608)" },
	{ OPT_DESCRIBE, 0, "describe", NULL, "print what is detected in each file (encoding, dialect, rows) instead of validating" },
	{ OPT_ENCODING, 'e', "encoding", "ENC", "read as ENC: utf-8, utf-16le, utf-16be, windows-1252 (default: detect)" },
	{ OPT_DELIMITER, 'd', "delimiter", "CHAR", "cell delimiter: ',', ';', 'tab', '|' or any single byte (default: detect)" },
	{ OPT_NO_HEADER, 0, "no-header", NULL, "the first record is data, not a header" },
	{ OPT_REPLACE, 0, "replace-invalid", NULL, "replace undecodable bytes with U+FFFD and go on" },
	{ OPT_MAX_CELL, 0, "max-cell", "BYTES", "longest cell accepted (default 1048576)" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write the report to FILE, atomically (default: stdout)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct cli_program program = {
	"odl-validate", "[OPTION]... FILE...",
	"Check CSV files against Table Schema and SCDL schemas.",
	options,
	"FILE may be '-' for standard input; gzip-compressed files are read as they are.\n"
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
	const char *manifest;
	const char *lang;
	enum odl_fields_match match;
	long max_errors;
	long jobs;
	int no_checks;
	size_t max_keys;
	struct odl_csv_options csv;
};

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
	case OPT_JOBS:
		cfg->jobs = cli_parse_long("--jobs", arg, 1, 256);
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
	case OPT_OUTPUT:
		cfg->output = arg;
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

static json_t *info_json(const char *path, const struct odl_csv_info *in, json_t *header)
{
	char delim[2] = { in->delimiter, 0 };

	return json_pack("{s:s, s:s, s:b, s:s, s:b, s:s, s:s, s:s, s:O, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "path", path,
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

struct fstate {
	const struct config *cfg;
	const char *lang;
	struct code_count counts[64], wcounts[64];
	size_t ncounts, nwcounts;
	json_t *errors;
	json_t *warnings;
	uint64_t stored;
	int truncated;
	struct group *groups;
	size_t ngroups, capgroups;
	odl_validator *v;
	int prepass;
	json_t *labels;
	int failed_alloc;
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

static void printable(char *dst, size_t size, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 4 < size; i++)
		dst[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	if (n && o + 4 >= size && size > 4) {
		/* do not cut a UTF-8 sequence */
		while (o > 0 && ((unsigned char)dst[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && (unsigned char)dst[o - 1] >= 0xC0)
			o--;
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = 0;
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
	json_t *o = finding_json(fs, f);
	if (!o || json_array_append_new(fs->errors, o) != 0)
		fs->failed_alloc = 1;
	fs->stored++;
	return 0;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct fstate *fs = ctx;

	if (fs->prepass)
		return odl_validator_prepass(fs->v, rec) != ODL_OK;
	if (rec->is_header && fs->labels) {
		for (size_t i = 0; i < rec->ncells; i++)
			json_array_append_new(fs->labels, json_stringn(rec->cells[i].ptr, rec->cells[i].len));
	}
	return odl_validator_record(fs->v, rec, NULL) != ODL_OK;
}

/* Read path through csv, hashing the raw bytes when h is given. */
static int read_file(const char *path, odl_csv *csv, odl_hash *h, struct odl_error *err)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	static const size_t chunk = 1 << 16;
	char *buf;
	int rc = ODL_OK;

	if (fd < 0) {
		err->sys_errno = errno;
		snprintf(err->file, sizeof(err->file), "%s", path);
		snprintf(err->message, sizeof(err->message), "cannot open: %s", strerror(errno));
		return err->code = ODL_EIO;
	}
	buf = malloc(chunk);
	if (!buf)
		cli_die("out of memory");
	for (;;) {
		ssize_t n = read(fd, buf, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			snprintf(err->message, sizeof(err->message), "cannot read: %s", strerror(errno));
			rc = err->code = ODL_EIO;
			break;
		}
		if (n == 0) {
			rc = odl_csv_finish(csv, err);
			break;
		}
		if (h)
			odl_hash_update(h, buf, (size_t)n);
		rc = odl_csv_feed(csv, buf, (size_t)n, err);
		if (rc != ODL_OK)
			break;
	}
	free(buf);
	if (fd != 0)
		close(fd);
	return rc;
}

struct job {
	char *path;
	char *schema_ref;   /* as given, for messages */
	char *schema_path;  /* resolved; NULL = detect */
	char *out;
	size_t outlen;
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
	char path[PATH_MAX];
	char name[192];
	char version[64];
};

static int count_errors(void *ctx, const struct odl_finding *f)
{
	if (!f->warning)
		(*(uint64_t *)ctx)++;
	return 0;
}

/*
 * Pick among the shipped schemas: the name whose latest version shares the
 * most columns with the header (Jaccard overlap), then the version of that
 * name with the fewest errors on the first 1000 rows.
 */
static int detect_schema(const struct config *cfg, const char *path, char *out, size_t outsize,
			 char *why, size_t whysize, FILE *errf)
{
	struct detect_state d = { NULL, 0 };
	struct odl_csv_options opt = cfg->csv;
	struct odl_error err;
	char root[PATH_MAX];
	struct candidate *cands = NULL;
	size_t ncands = 0, cap = 0;
	int rc = -1;

	odl_error_clear(&err);
	opt.name = path;
	odl_csv *csv = odl_csv_new(&opt, keep_labels, &d);
	if (!csv)
		cli_die("out of memory");
	int rrc = read_file(path, csv, NULL, &err);
	odl_csv_free(csv);
	if (rrc != ODL_OK && rrc != ODL_ECANCELED) {
		if (err.line)
			fprintf(errf, "%s: '%s' line %llu: %s\n", cli_name(), path,
				(unsigned long long)err.line, err.message);
		else
			fprintf(errf, "%s: '%s': %s\n", cli_name(), path, err.message);
		goto out;
	}
	snprintf(root, sizeof(root), "%s/schemas", cli_data_dir());
	DIR *orgs = opendir(root);
	struct dirent *o;
	while (orgs && (o = readdir(orgs))) {
		if (o->d_name[0] == '.')
			continue;
		char od[PATH_MAX + 256];
		snprintf(od, sizeof(od), "%s/%.200s", root, o->d_name);
		DIR *names = opendir(od);
		struct dirent *nm;
		while (names && (nm = readdir(names))) {
			if (nm->d_name[0] == '.')
				continue;
			char ref[450], p[PATH_MAX];
			snprintf(ref, sizeof(ref), "%.200s/%.200s", o->d_name, nm->d_name);
			if (odl_schema_resolve(ref, cli_data_dir(), p, sizeof(p), NULL) != ODL_OK)
				continue;
			if (ncands == cap) {
				cap = cap ? cap * 2 : 16;
				struct candidate *nc = realloc(cands, cap * sizeof(*nc));
				if (!nc)
					cli_die("out of memory");
				cands = nc;
			}
			snprintf(cands[ncands].path, sizeof(cands[0].path), "%s", p);
			snprintf(cands[ncands].name, sizeof(cands[0].name), "%.190s", ref);
			ncands++;
		}
		if (names)
			closedir(names);
	}
	if (orgs)
		closedir(orgs);
	double best = 0;
	size_t besti = 0, bestmatch = 0, bestn = 0;
	for (size_t c = 0; c < ncands; c++) {
		odl_schema *s;
		if (odl_schema_load_path(cands[c].path, &s, NULL) != ODL_OK)
			continue;
		size_t match = 0, nf = odl_schema_nfields(s);
		for (size_t i = 0; i < d.n; i++)
			for (size_t k = 0; k < nf; k++)
				if (strcmp(d.labels[i], odl_schema_field_name(s, k)) == 0) {
					match++;
					break;
				}
		double score = (double)match / (double)(nf + d.n - match);
		if (score > best) {
			best = score;
			besti = c;
			bestmatch = match;
			bestn = nf;
		}
		odl_schema_free(s);
	}
	if (best < 0.3) {
		fprintf(errf, "%s: '%s': no --schema given and no shipped schema matches the header\n",
			cli_name(), path);
		goto out;
	}
	/* versions of the chosen name, fewest errors on a sample */
	char vdir[PATH_MAX];
	snprintf(vdir, sizeof(vdir), "%s", cands[besti].path);
	*strrchr(vdir, '/') = 0;
	DIR *vd = opendir(vdir);
	struct dirent *ve;
	uint64_t fewest = UINT64_MAX;
	size_t tried = 0;
	char chosen[PATH_MAX + 300] = "", chosen_v[128] = "";
	while (vd && (ve = readdir(vd))) {
		size_t l = strlen(ve->d_name);
		if (l < 6 || strcmp(ve->d_name + l - 5, ".json") != 0)
			continue;
		char p[PATH_MAX + 300];
		snprintf(p, sizeof(p), "%s/%s", vdir, ve->d_name);
		odl_schema *s;
		if (odl_schema_load_path(p, &s, NULL) != ODL_OK)
			continue;
		uint64_t nerr = 0;
		struct odl_validate_options vo;
		odl_validate_options_init(&vo);
		vo.max_rows = 1000;
		vo.fields_match = cfg->match;
		struct fstate fs;
		memset(&fs, 0, sizeof(fs));
		fs.v = odl_validator_new(s, &vo, count_errors, &nerr);
		struct odl_csv_options co = cfg->csv;
		co.name = path;
		odl_csv *c2 = fs.v ? odl_csv_new(&co, on_record, &fs) : NULL;
		if (!c2)
			cli_die("out of memory");
		odl_error_clear(&err);
		read_file(path, c2, NULL, &err);
		odl_csv_free(c2);
		odl_validator_free(fs.v);
		char ver[128];
		snprintf(ver, sizeof(ver), "%.*s", (int)(l - 5), ve->d_name);
		tried++;
		if (nerr < fewest || (nerr == fewest && odl_version_compare(ver, chosen_v) > 0)) {
			fewest = nerr;
			snprintf(chosen, sizeof(chosen), "%s", p);
			snprintf(chosen_v, sizeof(chosen_v), "%s", ver);
		}
		odl_schema_free(s);
	}
	if (vd)
		closedir(vd);
	if (!*chosen)
		goto out;
	snprintf(out, outsize, "%s", chosen);
	*strrchr(cands[besti].name, '\0') = 0;
	snprintf(why, whysize, "detected %s@%s: %zu of %zu schema columns in the header%s, fewest errors among %zu version%s",
		 cands[besti].name, chosen_v, bestmatch, bestn,
		 best >= 0.9 ? " (sure)" : best >= 0.6 ? " (likely)" : " (unsure)", tried, tried == 1 ? "" : "s");
	rc = 0;
out:
	for (size_t i = 0; i < d.n; i++)
		free(d.labels[i]);
	free(d.labels);
	free(cands);
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

static void write_text(FILE *out, const struct fstate *fs, const char *path, const odl_schema *s,
		       const char *why, const struct odl_validate_stats *st, const char *lang)
{
	int fr = lang[0] == 'f';
	int valid = st->errors == 0;

	fprintf(out, "%s: %s\n", path, valid ? (fr ? "valide" : "valid") : (fr ? "NON VALIDE" : "INVALID"));
	label(out, fr ? "schéma" : "schema");
	fprintf(out, "%s %s%s%s\n", *odl_schema_name(s) ? odl_schema_name(s) : "(unnamed)",
		odl_schema_version(s), why ? ", " : "", why ? why : "");
	label(out, fr ? "colonnes" : "columns");
	fprintf(out, "%s\n", odl_fields_match_name(st->fields_match));
	label(out, fr ? "lignes" : "rows");
	fprintf(out, "%llu%s\n", (unsigned long long)st->rows,
		st->complete ? "" : (fr ? " (lecture interrompue)" : " (stopped early)"));
	label(out, fr ? "erreurs" : "errors");
	fprintf(out, "%llu", (unsigned long long)st->errors);
	for (size_t i = 0, k = 0; i < fs->ncounts; i++) {
		fprintf(out, "%s%s %llu", k++ ? ", " : ": ", fs->counts[i].code, (unsigned long long)fs->counts[i].n);
	}
	fputc('\n', out);
	label(out, fr ? "alertes" : "warnings");
	fprintf(out, "%llu\n", (unsigned long long)st->warnings);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < fs->ngroups; i++) {
			const struct group *g = &fs->groups[i];
			if (g->warning != pass)
				continue;
			const struct odl_message *m = odl_message_get(g->code, lang);
			fprintf(out, "\n%s %s", g->warning ? (fr ? "alerte" : "warning") : (fr ? "erreur" : "error"), g->code);
			if (*g->field)
				fprintf(out, fr ? ", colonne '%s'" : ", column '%s'", g->field);
			if (g->n > 1)
				fprintf(out, fr ? " (%llu fois)" : " (%llu times)", (unsigned long long)g->n);
			fprintf(out, "%s%s\n", m ? ": " : "", m ? m->title : "");
			if (m)
				fprintf(out, "  %s\n", m->explanation);
			if (g->nex == 0 || (fr && g->message_translated)) {
				fprintf(out, "  %s\n", g->message);
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

static void csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
}

static void write_csv(FILE *out, const struct fstate *fs, const char *path)
{
	size_t i;
	json_t *e;
	json_array_foreach(fs->errors, i, e) {
		char num[32];
		csv_field(out, path);
		fputc(',', out);
		csv_field(out, json_string_value(json_object_get(e, "type")));
		const char *keys[] = { "row", "field", "column", "cell", "message" };
		for (int k = 0; k < 5; k++) {
			json_t *v = json_object_get(e, keys[k]);
			fputc(',', out);
			if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
				fputs(num, out);
			} else if (json_is_string(v)) {
				csv_field(out, json_string_value(v));
			}
		}
		fputs("\r\n", out);
	}
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void validate_job(const struct config *cfg, struct job *job)
{
	FILE *out = open_memstream(&job->out, &job->outlen);
	FILE *errf = open_memstream(&job->errs, &job->errslen);
	struct odl_error err;
	odl_schema *s = NULL;
	struct fstate fs;
	odl_hash *h = NULL;
	char detected[PATH_MAX], why[600];
	const char *schema_path = job->schema_path;
	const char *why_p = NULL;
	struct timespec t0, t1;

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
					detect_errf);
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
		fprintf(errf, "%s: ", cli_name());
		fprintf(errf, "'%s'", err.file[0] ? err.file : schema_path);
		if (err.line)
			fprintf(errf, " line %llu", (unsigned long long)err.line);
		if (err.column)
			fprintf(errf, ", column %llu", (unsigned long long)err.column);
		fprintf(errf, ": %s\n", err.message);
		goto done;
	}
	fs.cfg = cfg;
	fs.lang = cfg->lang;
	fs.errors = json_array();
	fs.warnings = json_array();
	fs.labels = cfg->format == FMT_FRICTIONLESS ? json_array() : NULL;
	struct odl_validate_options vo;
	odl_validate_options_init(&vo);
	vo.fields_match = cfg->match;
	vo.skip_checks = cfg->no_checks;
	if (cfg->max_keys)
		vo.max_keys = cfg->max_keys;
	fs.v = odl_validator_new(s, &vo, on_finding, &fs);
	if (!fs.v || !fs.errors || !fs.warnings)
		cli_die("out of memory");
	struct odl_csv_options co = cfg->csv;
	co.name = job->path;
	int rc;
	if (odl_validator_needs_prepass(fs.v)) {
		if (strcmp(job->path, "-") == 0) {
			fprintf(errf, "%s: '-': foreign keys need a file that can be read twice, not standard input\n", cli_name());
			goto done;
		}
		fs.prepass = 1;
		odl_csv *pc = odl_csv_new(&co, on_record, &fs);
		if (!pc)
			cli_die("out of memory");
		rc = read_file(job->path, pc, NULL, &err);
		odl_csv_free(pc);
		fs.prepass = 0;
		if (rc != ODL_OK && rc != ODL_EENCODING) {
			char where[64] = "";
			if (err.line)
				snprintf(where, sizeof(where), " line %llu", (unsigned long long)err.line);
			fprintf(errf, "%s: '%s'%s: %s\n", cli_name(), job->path, where, err.message);
			goto done;
		}
		odl_error_clear(&err);
	}
	odl_csv *csv = odl_csv_new(&co, on_record, &fs);
	if (!csv)
		cli_die("out of memory");
	h = odl_hash_new(ODL_HASH_SHA256);
	if (!h)
		cli_die("out of memory");
	rc = read_file(job->path, csv, h, &err);
	if (rc == ODL_EENCODING) {
		odl_validator_encoding_error(fs.v, &err);
	} else if (rc != ODL_OK && rc != ODL_ECANCELED) {
		char where[64] = "";
		if (err.line)
			snprintf(where, sizeof(where), " line %llu", (unsigned long long)err.line);
		fprintf(errf, "%s: '%s'%s: %s\n", cli_name(), job->path, where, err.message);
		odl_csv_free(csv);
		goto done;
	}
	odl_validator_finish(fs.v, NULL);
	const struct odl_csv_info *info = odl_csv_info(csv);
	const struct odl_validate_stats *st = odl_validator_stats(fs.v);
	char sha[ODL_HASH_HEX_MAX];
	odl_hash_final_hex(h, sha);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int valid = st->errors == 0;
	job->status = valid ? EXIT_OK : EXIT_INVALID;
	if (fs.failed_alloc)
		cli_die("out of memory");
	switch (cfg->format) {
	case FMT_TEXT:
		write_text(out, &fs, job->path, s, why_p, st, cfg->lang);
		break;
	case FMT_CSV:
		write_csv(out, &fs, job->path);
		break;
	case FMT_NDJSON: {
		json_t *schema = json_pack("{s:s, s:s, s:s}", "name", odl_schema_name(s),
					   "version", odl_schema_version(s), "sha256", odl_schema_sha256(s));
		if (schema && why_p)
			json_object_set_new(schema, "detected", json_string(why_p));
		json_t *o = json_pack("{s:s, s:o, s:b, s:b, s:I, s:I, s:o, s:I, s:O, s:O, s:b, s:s, s:s, s:s}",
				      "path", job->path, "schema", schema, "valid", valid, "complete", st->complete,
				      "rows", (json_int_t)st->rows, "error_count", (json_int_t)st->errors,
				      "error_counts", counts_json(fs.counts, fs.ncounts), "warning_count", (json_int_t)st->warnings,
				      "warnings", fs.warnings, "errors", fs.errors, "truncated", fs.truncated,
				      "fields_match", odl_fields_match_name(st->fields_match),
				      "file_sha256", sha, "odl_version", odl_version());
		if (o)
			json_object_set_new(o, "warning_counts", counts_json(fs.wcounts, fs.nwcounts));
		if (!o || odl_ndjson_write(out, o) != ODL_OK)
			cli_die("out of memory");
		json_decref(o);
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
		json_t *task = json_pack("{s:b, s:s, s:s, s:s, s:O, s:{s:I, s:I, s:f, s:s, s:I, s:I, s:I}, s:o, s:O}",
					 "valid", valid, "name", name, "type", "table", "place", job->path,
					 "labels", fs.labels,
					 "stats", "errors", (json_int_t)st->errors, "warnings", (json_int_t)json_array_size(warn),
					 "seconds", secs, "sha256", sha, "bytes", (json_int_t)info->bytes_in,
					 "fields", (json_int_t)odl_schema_nfields(s), "rows", (json_int_t)st->rows,
					 "warnings", warn, "errors", fs.errors);
		if (!task)
			cli_die("out of memory");
		char *txt = json_dumps(task, JSON_COMPACT);
		if (!txt)
			cli_die("out of memory");
		fputs(txt, out);
		free(txt);
		json_decref(task);
		break;
	}
	}
	odl_csv_free(csv);
done:
	odl_hash_free(h);
	odl_validator_free(fs.v);
	json_decref(fs.errors);
	json_decref(fs.warnings);
	json_decref(fs.labels);
	free(fs.groups);
	odl_schema_free(s);
	fclose(out);
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
	if (odl_schema_resolve(ref, cli_data_dir(), path, sizeof(path), &err) != ODL_OK) {
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

int main(int argc, char **argv)
{
	struct config cfg;
	int first, status = EXIT_OK;
	FILE *out;

	memset(&cfg, 0, sizeof(cfg));
	odl_csv_options_init(&cfg.csv);
	cfg.max_errors = 1000;
	cfg.jobs = 1;
	cfg.match = ODL_MATCH_DEFAULT;
	cli_init(&program);
	first = cli_parse(&program, argc, argv, handle, &cfg);
	if (first >= argc && !cfg.manifest)
		cli_usage_error("no input file");
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
		if (cli_output_close(out) != 0)
			status = EXIT_TROUBLE;
		return cli_finish(status);
	}
	odl_messages_set_dir_near_exe();
	(void)cli_data_dir(); /* computed once here, before any worker thread reads it */

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
	uint64_t ferrors = 0;
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
		if (j->errs && j->errslen)
			fwrite(j->errs, 1, j->errslen, stderr);
		if (j->out && j->outlen) {
			if (cfg.format == FMT_FRICTIONLESS) {
				if (ntasks++)
					fputc(',', out);
				fvalid &= j->status == EXIT_OK;
				json_t *t = json_loads(j->out, 0, NULL);
				ferrors += (uint64_t)json_integer_value(json_object_get(json_object_get(t, "stats"), "errors"));
				json_decref(t);
			}
			fwrite(j->out, 1, j->outlen, out);
			if (cfg.format == FMT_TEXT && i + 1 < njobs)
				fputc('\n', out);
		}
		if (j->status > status)
			status = j->status;
		free(j->out);
		free(j->errs);
		j->out = j->errs = NULL;
		cli_check_stdout();
	}
	if (nthreads > 1)
		for (long t = 0; t < nthreads; t++)
			pthread_join(th[t], NULL);
	if (cfg.format == FMT_FRICTIONLESS && njobs)
		fprintf(out, "],\"valid\":%s,\"stats\":{\"tasks\":%zu,\"errors\":%llu,\"warnings\":0},\"warnings\":[],\"errors\":[]}\n",
			fvalid && status == EXIT_OK ? "true" : "false", ntasks, (unsigned long long)ferrors);
	if (cli_output_close(out) != 0)
		status = EXIT_TROUBLE;
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
