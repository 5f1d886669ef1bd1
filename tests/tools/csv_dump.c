/*
 * csv_dump.c - print the records libodl's dataset reader gives, one JSON
 * array of cells per line, for the differential test against Python's csv.
 *
 *	csv_dump [-d DELIM] [-s 0|1] [-c CHUNK] [-H] FILE...
 *
 * -d: the delimiter (default: sniffed); -s: skipinitialspace (default:
 * sniffed); -c: feed the file in chunks of that many bytes (default: whole);
 * -H: pick a header as the programs do (default: every record is printed,
 * empty lines included, as csv.reader gives them).  For each file the
 * output is "# FILE", the records, then "# end" or "# error: MESSAGE".
 * With -S, print only the delimiter (as a number), skipinitialspace (0 or 1)
 * and the delimiter's reason ("sniffed", "single column"...) the reader
 * found for each file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odl/csv.h"

static void put_json(FILE *o, const char *s, size_t n)
{
	putc('"', o);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(o, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(o, "\\u%04x", ch);
		else
			putc(ch, o);
	}
	putc('"', o);
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	FILE *o = ctx;
	putc('[', o);
	for (size_t i = 0; i < rec->ncells; i++) {
		if (i)
			putc(',', o);
		put_json(o, rec->cells[i].ptr, rec->cells[i].len);
	}
	fputs("]\n", o);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	for (;;) {
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (n < cap)
			break;
		cap *= 2;
		char *b = realloc(buf, cap);
		if (!b) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = b;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	struct odl_csv_options opt;
	size_t chunk = 0;
	int c, sniff_only = 0;

	odl_csv_options_init(&opt);
	opt.header = 0;
	while ((c = getopt(argc, argv, "d:s:c:HS")) != -1) {
		switch (c) {
		case 'd': opt.delimiter = strcmp(optarg, "tab") == 0 ? '\t' : optarg[0]; break;
		case 's': opt.skip_initial_space = atoi(optarg); break;
		case 'c': chunk = (size_t)strtoul(optarg, NULL, 10); break;
		case 'H': opt.header = 1; break;
		case 'S': sniff_only = 1; break;
		default:
			fprintf(stderr, "usage: csv_dump [-d DELIM] [-s 0|1] [-c CHUNK] [-H] [-S] FILE...\n");
			return 2;
		}
	}
	for (int i = optind; i < argc; i++) {
		size_t len;
		char *data = slurp(argv[i], &len);
		if (!data) {
			fprintf(stderr, "csv_dump: '%s': cannot read\n", argv[i]);
			return 2;
		}
		FILE *o = sniff_only ? NULL : stdout;
		FILE *null = sniff_only ? fopen("/dev/null", "w") : NULL;
		odl_csv *csv = odl_csv_new(&opt, on_record, o ? o : null);
		struct odl_error err;
		if (!csv)
			return 2;
		odl_error_clear(&err);
		size_t step = chunk ? chunk : (len ? len : 1);
		int rc = 0;
		if (!sniff_only)
			printf("# %s\n", argv[i]);
		for (size_t off = 0; off < len && rc == 0; off += step)
			rc = odl_csv_feed(csv, data + off, len - off < step ? len - off : step, &err);
		if (rc == 0)
			rc = odl_csv_finish(csv, &err);
		if (sniff_only && rc)
			printf("error\n");
		else if (sniff_only)
			printf("%d %d %s\n", odl_csv_info(csv)->delimiter,
			       odl_csv_info(csv)->skip_initial_space,
			       odl_csv_info(csv)->delimiter_reason);
		else if (rc)
			printf("# error: %s\n", err.message);
		else
			printf("# end\n");
		odl_csv_free(csv);
		if (null)
			fclose(null);
		free(data);
	}
	return fflush(stdout) ? 2 : 0;
}
