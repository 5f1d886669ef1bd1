/*
 * bench-libcsv.c - a bare libcsv pass for `make bench`: reads FILE in
 * 64 KiB chunks through libcsv's default (non-strict) parser and prints the
 * records and cells it counted.  No decoding, no header, no validation: the
 * yardstick of what splitting the bytes alone costs.  Built by scripts/bench
 * when libcsv's header is installed (Debian libcsv-dev); odl itself does not
 * use libcsv (README).
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts {
	unsigned long long records, cells;
};

static void on_cell(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->cells++;
}

static void on_record(int c, void *data)
{
	(void)c;
	((struct counts *)data)->records++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct csv_parser p;
	struct counts n = { 0, 0 };
	size_t got;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-libcsv FILE\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb"))) {
		perror(argv[1]);
		return 2;
	}
	if (csv_init(&p, 0) != 0) {
		fprintf(stderr, "bench-libcsv: out of memory\n");
		return 2;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (csv_parse(&p, buf, got, on_cell, on_record, &n) != got) {
			fprintf(stderr, "bench-libcsv: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	csv_fini(&p, on_cell, on_record, &n);
	csv_free(&p);
	fclose(f);
	printf("%llu records, %llu cells\n", n.records, n.cells);
	return 0;
}
