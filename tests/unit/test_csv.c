/* test_csv.c - the dataset reader: fixtures fed in chunks of every size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/csv.h"

struct dump {
	char *s;
	size_t len, cap;
};

static void put(struct dump *d, const char *p, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		d->cap = (d->len + n + 1) * 2;
		d->s = realloc(d->s, d->cap);
		assert_non_null(d->s);
	}
	memcpy(d->s + d->len, p, n);
	d->len += n;
	d->s[d->len] = 0;
}

/* Serialise every record with its positions so two reads can be compared. */
static int dump_record(void *ctx, const struct odl_record *rec)
{
	struct dump *d = ctx;
	char head[128];
	int n = snprintf(head, sizeof(head), "[%llu %llu %llu %llu %d %d]",
			 (unsigned long long)rec->row, (unsigned long long)rec->record,
			 (unsigned long long)rec->line, (unsigned long long)rec->offset,
			 rec->is_header, rec->is_blank);
	put(d, head, (size_t)n);
	for (size_t i = 0; i < rec->ncells; i++) {
		put(d, "|", 1);
		put(d, rec->cells[i].ptr, rec->cells[i].len);
	}
	put(d, "\n", 1);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static int read_chunked(const char *data, size_t len, size_t chunk, struct dump *out,
			struct odl_csv_info *info, struct odl_error *err)
{
	struct odl_csv_options opt;
	odl_csv_options_init(&opt);
	opt.sniff_bytes = 256; /* small, so sniffing and streaming both run */
	odl_csv *csv = odl_csv_new(&opt, dump_record, out);
	assert_non_null(csv);
	int rc = 0;
	for (size_t off = 0; off < len && rc == 0; off += chunk)
		rc = odl_csv_feed(csv, data + off, len - off < chunk ? len - off : chunk, err);
	if (rc == 0)
		rc = odl_csv_finish(csv, err);
	*info = *odl_csv_info(csv);
	odl_csv_free(csv);
	return rc;
}

static void every_chunk_size_same_records(void **state)
{
	(void)state;
	DIR *dir = opendir(ODL_TESTDATA "/csv");
	struct dirent *de;
	int files = 0;

	assert_non_null(dir);
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		char path[1024];
		size_t len;
		snprintf(path, sizeof(path), "%s/csv/%s", ODL_TESTDATA, de->d_name);
		char *data = slurp(path, &len);
		struct dump whole = { 0 };
		struct odl_csv_info winfo, cinfo;
		struct odl_error werr, cerr;
		odl_error_clear(&werr);
		int wrc = read_chunked(data, len, len ? len : 1, &whole, &winfo, &werr);
		/* every chunk size */
		for (size_t chunk = 1; chunk <= len; chunk++) {
			struct dump part = { 0 };
			odl_error_clear(&cerr);
			int crc = read_chunked(data, len, chunk, &part, &cinfo, &cerr);
			if (crc != wrc || (whole.s && (!part.s || strcmp(whole.s, part.s) != 0)) ||
			    cinfo.rows != winfo.rows || cinfo.encoding != winfo.encoding ||
			    cinfo.delimiter != winfo.delimiter || cinfo.line_ending != winfo.line_ending ||
			    cinfo.blank_rows != winfo.blank_rows || cinfo.skipped_lines != winfo.skipped_lines)
				fail_msg("%s: chunk %zu differs (rc %d vs %d)\n--- whole\n%s--- chunked\n%s",
					 de->d_name, chunk, crc, wrc, whole.s ? whole.s : "",
					 part.s ? part.s : "");
			free(part.s);
		}
		free(whole.s);
		free(data);
		files++;
	}
	closedir(dir);
	assert_true(files >= 15);
}

static void records_carry_positions(void **state)
{
	(void)state;
	static const char text[] = "\n\nid;texte\r\n1;\"a\r\nb\"\r\n\r\n2;c";
	struct dump d = { 0 };
	struct odl_csv_info info;
	struct odl_error err;

	assert_int_equal(read_chunked(text, sizeof(text) - 1, 5, &d, &info, &err), 0);
	/* six records of widths 0 0 2 2 0 2: their average, 1, is within one
	 * of the first record's width, which frictionless then takes as the
	 * header, empty as it is */
	assert_string_equal(d.s,
			    "[0 1 1 0 1 1]\n"
			    "[1 2 2 1 0 1]\n"
			    "[2 3 3 2 0 0]|id|texte\n"
			    "[3 4 4 12 0 0]|1|a\r\nb\n"
			    "[4 5 6 22 0 1]\n"
			    "[5 6 7 24 0 0]|2|c\n");
	assert_int_equal(info.skipped_lines, 0);
	assert_int_equal(info.rows, 5);
	assert_int_equal(info.blank_rows, 2);
	assert_int_equal(info.delimiter, ';');
	assert_int_equal(info.line_ending, ODL_EOL_MIXED); /* the leading blank lines end in LF */
	free(d.s);
}

static void limits_are_errors_with_a_line(void **state)
{
	(void)state;
	struct odl_csv_options opt;
	struct odl_error err;
	struct dump d = { 0 };
	char big[5000];

	memset(big, 'x', sizeof(big));
	odl_csv_options_init(&opt);
	opt.max_cell = 1000;
	odl_csv *csv = odl_csv_new(&opt, dump_record, &d);
	assert_int_equal(odl_csv_feed(csv, "a,b\n1,", 6, &err), 0);
	int rc = odl_csv_feed(csv, big, sizeof(big), &err);
	if (rc == 0)
		rc = odl_csv_finish(csv, &err);
	assert_int_equal(rc, ODL_ELIMIT);
	assert_int_equal(err.line, 2);
	odl_csv_free(csv);
	free(d.s);

	odl_csv_options_init(&opt);
	opt.max_cells = 3;
	d.s = NULL;
	d.len = d.cap = 0;
	csv = odl_csv_new(&opt, dump_record, &d);
	rc = odl_csv_feed(csv, "a,b\n1,2,3,4\n", 12, &err);
	if (rc == 0)
		rc = odl_csv_finish(csv, &err);
	assert_int_equal(rc, ODL_ELIMIT);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.message, "record has more than 3 cells");
	odl_csv_free(csv);
	free(d.s);
}

/* Whole unquoted lines (the reader's fast lane) meet every ceiling as the
 * byte-by-byte rules do: the same error at one feed as at one byte a feed. */
static void limits_on_unquoted_lines(void **state)
{
	(void)state;
	static const struct {
		size_t max_cell, max_record, max_cells;
		uint64_t line;
		const char *msg;
	} cases[] = {
		{ 8, 0, 0, 3, "cell 2 is longer than 8 bytes" },
		{ 0, 12, 0, 3, "record is longer than 12 bytes" },
		{ 0, 0, 2, 1, "record has more than 2 cells" },
	};
	const char *text = "a,b,c\r\nab,cd,ef\r\nabc,defghijklmn,o\r\nx,y,z\r\n";

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (size_t chunk = 1; chunk <= strlen(text); chunk = chunk == 1 ? strlen(text) : chunk + 1) {
			struct odl_csv_options opt;
			struct odl_error err;
			struct dump d = { 0 };
			odl_csv_options_init(&opt);
			if (cases[k].max_cell)
				opt.max_cell = cases[k].max_cell;
			if (cases[k].max_record)
				opt.max_record = cases[k].max_record;
			if (cases[k].max_cells)
				opt.max_cells = cases[k].max_cells;
			odl_csv *csv = odl_csv_new(&opt, dump_record, &d);
			int rc = 0;
			for (size_t off = 0; off < strlen(text) && rc == 0; off += chunk)
				rc = odl_csv_feed(csv, text + off,
						  strlen(text) - off < chunk ? strlen(text) - off : chunk, &err);
			if (rc == 0)
				rc = odl_csv_finish(csv, &err);
			assert_int_equal(rc, ODL_ELIMIT);
			assert_int_equal(err.line, cases[k].line);
			assert_string_equal(err.message, cases[k].msg);
			odl_csv_free(csv);
			free(d.s);
		}
	}
}

static int stop_at_two(void *ctx, const struct odl_record *rec)
{
	(void)ctx;
	return rec->row == 2;
}

static void callback_can_stop(void **state)
{
	(void)state;
	struct odl_error err;
	odl_csv *csv = odl_csv_new(NULL, stop_at_two, NULL);
	int rc = odl_csv_feed(csv, "a\n1\n2\n3\n", 8, &err);
	if (rc == 0)
		rc = odl_csv_finish(csv, &err);
	assert_int_equal(rc, ODL_ECANCELED);
	odl_csv_free(csv);
	odl_csv_free(NULL);
}

static void replace_mode_reports_bytes(void **state)
{
	(void)state;
	static unsigned char text[] = "a\nx\xff" "y\n";
	struct odl_csv_options opt;
	struct dump d = { 0 };
	struct odl_error err;

	odl_csv_options_init(&opt);
	opt.encoding = ODL_ENC_UTF8;
	opt.replace_invalid = 1;
	odl_csv *csv = odl_csv_new(&opt, dump_record, &d);
	assert_int_equal(odl_csv_feed(csv, text, sizeof(text) - 1, &err), 0);
	assert_int_equal(odl_csv_finish(csv, &err), 0);
	assert_int_equal(odl_csv_info(csv)->decode_issues, 1);
	assert_non_null(strstr(d.s, "|x\xef\xbf\xbdy\n"));
	odl_csv_free(csv);
	free(d.s);
}

static void encoding_names(void **state)
{
	(void)state;
	enum odl_encoding e;
	assert_int_equal(odl_encoding_parse("CP1252", &e), 0);
	assert_int_equal(e, ODL_ENC_WINDOWS1252);
	assert_int_equal(odl_encoding_parse("latin1", &e), 0);
	assert_int_equal(e, ODL_ENC_WINDOWS1252);
	assert_int_equal(odl_encoding_parse("ebcdic", &e), ODL_EINVAL);
	assert_string_equal(odl_encoding_name(ODL_ENC_UTF16BE), "utf-16be");
}


/* Records as "cell|cell" lines (cells may hold line breaks). */
static int cells_record(void *ctx, const struct odl_record *rec)
{
	struct dump *d = ctx;
	for (size_t i = 0; i < rec->ncells; i++) {
		if (i)
			put(d, "|", 1);
		put(d, rec->cells[i].ptr, rec->cells[i].len);
	}
	put(d, "\n", 1);
	return 0;
}

/* Read a fixture whole; its records as cells_record writes them. */
static char *cells_of(const char *name, int header)
{
	char path[1024];
	size_t len;
	struct odl_csv_options opt;
	struct dump d = { 0 };
	struct odl_error err;

	snprintf(path, sizeof(path), "%s/csv/%s", ODL_TESTDATA, name);
	char *data = slurp(path, &len);
	odl_csv_options_init(&opt);
	opt.header = header;
	odl_csv *csv = odl_csv_new(&opt, cells_record, &d);
	assert_non_null(csv);
	assert_int_equal(odl_csv_feed(csv, data, len, &err), 0);
	assert_int_equal(odl_csv_finish(csv, &err), 0);
	odl_csv_free(csv);
	free(data);
	return d.s;
}

/* Each record as /usr/bin/python3's csv.reader gives it (checked by hand
 * with the dialect csv.Sniffer finds), and the header frictionless picks. */
static void python_rules(void **state)
{
	(void)state;
	char *s = cells_of("python-malformed-quotes.csv", 1);
	assert_string_equal(s, "id|texte|n\n"
			       "1|Appui suite du texte|3\n"
			       "2|a\"b\"c|4\n"
			       "3|x\"y z|5\n"
			       "4|ouvert\r\nsur deux lignes puis|6\n"
			       "5||7\n");
	free(s);
	s = cells_of("title-line-above-header.csv", 1);
	assert_string_equal(s, "id|nom|montant\n1|a|10\n2|b|20\n3|c|30\n");
	free(s);
	s = cells_of("skipinitialspace-sniffed.csv", 1);
	assert_string_equal(s, "int|number\n1|2.5\n3|4\n");
	free(s);
	s = cells_of("header-stray-quote-blank-looking-rows.csv", 1);
	assert_string_equal(s, "id|nomx|commune\n||\n   \n1|a|b\n2|c|d\n");
	free(s);
	s = cells_of("unclosed-quote-at-end.csv", 1);
	assert_string_equal(s, "id|texte\n1|a\n2|jamais fermé\n3,b\n\n");
	free(s);
	s = cells_of("utf16le-no-bom.csv", 1);
	assert_string_equal(s, "nom|commune\nA|Angoulême\nB|Cognac\n");
	free(s);
	s = cells_of("utf16be-no-bom.csv", 1);
	assert_string_equal(s, "nom|commune\nA|Angoulême\nB|Cognac\n");
	free(s);
}

static int last_unclosed(void *ctx, const struct odl_record *rec)
{
	*(uint64_t *)ctx = rec->unclosed_quote;
	return 0;
}

static void unclosed_quote_names_its_line(void **state)
{
	(void)state;
	static const char text[] = "a,b\n1,2\n3,\"x\n\n4,5\n";
	uint64_t line = 99;
	struct odl_error err;
	odl_csv *csv = odl_csv_new(NULL, last_unclosed, &line);

	assert_int_equal(odl_csv_feed(csv, text, sizeof(text) - 1, &err), 0);
	assert_int_equal(odl_csv_finish(csv, &err), 0);
	assert_int_equal(line, 3);
	assert_int_equal(odl_csv_info(csv)->unclosed_quote_line, 3);
	assert_int_equal(odl_csv_info(csv)->rows, 2);
	odl_csv_free(csv);
}

/* The first NUL, wherever it is and however the input is cut: the same
 * error, line and byte offset; UTF-16 read as 8-bit is named as such. */
static void nul_is_an_error_at_any_chunking(void **state)
{
	(void)state;
	char text[6000];
	size_t n = 0;
	for (int i = 0; n + 16 < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%d,abc\n", i);
	text[5000] = 0;
	size_t nl = 0;
	for (size_t i = 0; i < 5000; i++)
		nl += text[i] == '\n';
	static const char u16[] = "n\0o\0m\0,\0c\0\n\0A\0,\0B\0\n\0";
	struct { const char *data; size_t len; enum odl_encoding enc; uint64_t line; const char *msg; } cases[] = {
		{ text, n, ODL_ENC_UNKNOWN, nl + 1,
		  "NUL byte at byte offset 5000: binary data, not a CSV file" },
		{ "\0a,b\n", 5, ODL_ENC_UNKNOWN, 1, "NUL byte at byte offset 0: binary data, not a CSV file" },
		{ u16, sizeof(u16) - 1, ODL_ENC_UTF8, 1,
		  "NUL byte at byte offset 1: utf-16le text read as 8-bit? read it with -e utf-16le" },
		{ u16, sizeof(u16) - 1, ODL_ENC_WINDOWS1252, 1,
		  "NUL byte at byte offset 1: utf-16le text read as 8-bit? read it with -e utf-16le" },
		{ u16 + 1, sizeof(u16) - 2, ODL_ENC_UTF8, 1,
		  "NUL byte at byte offset 0: utf-16be text read as 8-bit? read it with -e utf-16be" },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (size_t chunk = 1; chunk <= cases[k].len; chunk += chunk < 80 ? 1 : 997) {
			struct odl_csv_options opt;
			struct dump d = { 0 };
			struct odl_error err;
			odl_csv_options_init(&opt);
			opt.encoding = cases[k].enc;
			opt.name = "f.csv";
			odl_csv *csv = odl_csv_new(&opt, dump_record, &d);
			int rc = 0;
			for (size_t off = 0; off < cases[k].len && rc == 0; off += chunk)
				rc = odl_csv_feed(csv, cases[k].data + off,
						  cases[k].len - off < chunk ? cases[k].len - off : chunk, &err);
			if (rc == 0)
				rc = odl_csv_finish(csv, &err);
			if (rc != ODL_EFORMAT || err.line != cases[k].line || strcmp(err.message, cases[k].msg) ||
			    strcmp(err.file, "f.csv"))
				fail_msg("case %zu, chunk %zu: rc %d, line %llu: %s", k, chunk, rc,
					 (unsigned long long)err.line, err.message);
			/* every later call says the same */
			assert_int_equal(odl_csv_finish(csv, &err), ODL_EFORMAT);
			assert_string_equal(err.message, cases[k].msg);
			odl_csv_free(csv);
			free(d.s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_chunk_size_same_records),
		cmocka_unit_test(records_carry_positions),
		cmocka_unit_test(limits_are_errors_with_a_line),
		cmocka_unit_test(limits_on_unquoted_lines),
		cmocka_unit_test(callback_can_stop),
		cmocka_unit_test(replace_mode_reports_bytes),
		cmocka_unit_test(encoding_names),
		cmocka_unit_test(python_rules),
		cmocka_unit_test(unclosed_quote_names_its_line),
		cmocka_unit_test(nul_is_an_error_at_any_chunking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
