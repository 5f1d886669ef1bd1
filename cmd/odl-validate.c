/*
 * odl-validate - check CSV files against Table Schema / SCDL schemas.
 *
 * This first version describes what the reader detects in each file
 * (--describe); schema validation builds on it.
 */
#include "cli.h"
#include "odl/csv.h"
#include "odl/ndjson.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_DESCRIBE = 1, OPT_FORMAT, OPT_ENCODING, OPT_DELIMITER, OPT_NO_HEADER,
       OPT_REPLACE, OPT_MAX_CELL, OPT_OUTPUT };

static const struct cli_option options[] = {
	{ OPT_DESCRIBE, 0, "describe", NULL, "print what is detected in each file (encoding, dialect, rows)" },
	{ OPT_FORMAT, 'f', "format", "FMT", "output format: text or ndjson (default: text on a terminal, else ndjson)" },
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
	"Check CSV files as French collectivités publish them.",
	options,
	"FILE may be '-' for standard input; gzip-compressed files are read as they are.\n"
	"Exit status: 0 all files fine, 1 some file invalid, 2 usage or read error.\n"
};

struct config {
	int describe;
	int ndjson;
	int format_set;
	const char *output;
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
			cfg->ndjson = 1;
		else if (strcmp(arg, "text") == 0)
			cfg->ndjson = 0;
		else
			cli_usage_error("unknown format '%s' (text or ndjson)", arg);
		cfg->format_set = 1;
		break;
	case OPT_ENCODING:
		if (odl_encoding_parse(arg, &cfg->csv.encoding) != ODL_OK)
			cli_usage_error("unknown encoding '%s'", arg);
		break;
	case OPT_DELIMITER:
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			cfg->csv.delimiter = '\t';
		else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
			cfg->csv.delimiter = arg[0];
		else
			cli_usage_error("invalid delimiter '%s'", arg);
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
	fprintf(out, "  skipped      %llu blank line%s before the header\n",
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

int main(int argc, char **argv)
{
	struct config cfg;
	int first, status = EXIT_OK;
	FILE *out;

	memset(&cfg, 0, sizeof(cfg));
	odl_csv_options_init(&cfg.csv);
	cli_init(&program);
	first = cli_parse(&program, argc, argv, handle, &cfg);
	if (first >= argc)
		cli_usage_error("no input file");
	if (!cfg.describe)
		cli_usage_error("schema validation is not available yet; use --describe");
	if (!cfg.format_set)
		cfg.ndjson = !cli_use_color(stdout) || (cfg.output && strcmp(cfg.output, "-") != 0);
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
