/* test_csv_pipe.c - a reader on two threads shows its callback what one
 * thread would: the same records, the same odl_csv_info() at each, the same
 * stop and error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/csv.h"

struct seen {
	odl_csv *csv;
	char *s;
	size_t len, cap;
	uint64_t stop_at;   /* stop at this record, 0 = never */
};

static void put(struct seen *d, const char *p, size_t n)
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

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct seen *d = ctx;
	const struct odl_csv_info *in = odl_csv_info(d->csv);
	char head[256];
	int n = snprintf(head, sizeof(head), "[%llu %llu %llu %d|rows %llu lines %llu eol %d in %llu out %llu]",
			 (unsigned long long)rec->row, (unsigned long long)rec->line,
			 (unsigned long long)rec->offset, rec->is_header,
			 (unsigned long long)in->rows, (unsigned long long)in->lines, (int)in->line_ending,
			 (unsigned long long)in->bytes_in, (unsigned long long)in->bytes_decoded);
	put(d, head, (size_t)n);
	for (size_t i = 0; i < rec->ncells; i++) {
		put(d, "|", 1);
		put(d, rec->cells[i].ptr, rec->cells[i].len);
	}
	put(d, "\n", 1);
	return d->stop_at && rec->record == d->stop_at;
}

struct input {
	odl_csv *csv;
	const char *text;
	size_t len, chunk;
};

static int produce(void *ctx, struct odl_error *err)
{
	struct input *in = ctx;
	for (size_t i = 0; i < in->len; i += in->chunk) {
		size_t n = in->len - i < in->chunk ? in->len - i : in->chunk;
		int rc = odl_csv_feed(in->csv, in->text + i, n, err);
		if (rc)
			return rc;
	}
	return odl_csv_finish(in->csv, err);
}

static _Atomic unsigned long idle_calls;

/* Idle work as a busy helper would do it: always some, so each thread
 * that would wait comes back to look again at once. */
static int busy(void *ctx)
{
	(*(_Atomic unsigned long *)ctx)++;
	return 1;
}

/* Read text on one thread or two; the trace, the status, the error and
 * the final info. */
static char *read_text(const char *text, size_t len, int threads, uint64_t stop_at, int *rc,
		       struct odl_error *err, struct odl_csv_info *info)
{
	struct seen d = { 0 };
	struct odl_csv_options o;

	odl_csv_options_init(&o);
	o.name = "t.csv";
	d.stop_at = stop_at;
	d.csv = odl_csv_new(&o, on_record, &d);
	assert_non_null(d.csv);
	struct input in = { d.csv, text, len, 4096 };
	odl_error_clear(err);
	if (threads > 2) /* two threads, with idle work that never runs out */
		*rc = odl_csv_run_shared(d.csv, produce, &in, busy, &idle_calls, err);
	else
		*rc = threads > 1 ? odl_csv_run_threaded(d.csv, produce, &in, err) : produce(&in, err);
	*info = *odl_csv_info(d.csv);
	odl_csv_free(d.csv);
	put(&d, "", 0);
	return d.s;
}

static char *many_rows(size_t rows, size_t *len)
{
	size_t cap = rows * 64 + 64, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n, "a;b;c\r\n");
	for (size_t i = 0; i < rows; i++)
		n += (size_t)snprintf(s + n, cap - n, i % 97 == 5 ? "%zu;\"x\r\ny\";z\n" : "%zu;\"q\"\"r\";s\r\n", i);
	*len = n;
	return s;
}

static void same_as_one_thread(void **state)
{
	(void)state;
	size_t len;
	char *text = many_rows(20000, &len);
	for (int k = 0; k < 4; k++) {
		uint64_t stop = (uint64_t[]){ 0, 1, 1500, 19999 }[k];
		int rc1, rc2;
		struct odl_error e1, e2;
		struct odl_csv_info i1, i2;
		char *one = read_text(text, len, 1, stop, &rc1, &e1, &i1);
		char *two = read_text(text, len, 2, stop, &rc2, &e2, &i2);
		assert_string_equal(one, two);
		int rc3;
		struct odl_error e3;
		struct odl_csv_info i3;
		char *shared = read_text(text, len, 3, stop, &rc3, &e3, &i3);
		assert_string_equal(one, shared);
		assert_int_equal(rc1, rc3);
		assert_int_equal(i1.rows, i3.rows);
		free(shared);
		assert_int_equal(rc1, rc2);
		assert_int_equal(rc1, stop ? ODL_ECANCELED : ODL_OK);
		assert_int_equal(e1.line, e2.line);
		assert_string_equal(e1.message, e2.message);
		assert_string_equal(e1.file, e2.file);
		assert_int_equal(i1.rows, i2.rows);
		assert_int_equal(i1.lines, i2.lines);
		assert_int_equal(i1.bytes_in, i2.bytes_in);
		assert_int_equal(i1.line_ending, i2.line_ending);
		free(one);
		free(two);
	}
	free(text);
}

/* text read on one thread and on two: the same records and info, the same
 * status (want) and error */
static void same_on_two(const char *text, size_t len, int want)
{
	int rc1, rc2;
	struct odl_error e1, e2;
	struct odl_csv_info i1, i2;
	char *one = read_text(text, len, 1, 0, &rc1, &e1, &i1);
	char *two = read_text(text, len, 2, 0, &rc2, &e2, &i2);
	assert_int_equal(rc1, want);
	assert_int_equal(rc2, want);
	if (want == ODL_OK)
		assert_true(strlen(one) > len); /* every cell, and the info of each */
	assert_string_equal(one, two);
	assert_string_equal(e1.message, e2.message);
	assert_int_equal(e1.line, e2.line);
	assert_int_equal(i1.rows, i2.rows);
	assert_int_equal(i1.blank_rows, i2.blank_rows);
	free(one);
	free(two);
}

/* Records of every size, some larger than a whole batch, others that no
 * longer fit in the one being filled: each still reaches the callback
 * whole, in order, with its own info. */
static void records_of_every_size(void **state)
{
	(void)state;
	size_t cap = 32u << 20, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "id,big,tail\n");
	for (size_t i = 0; i < 300; i++) {
		size_t big = i % 7 == 3 ? (i * 7919) % (400u << 10) : i % 13;
		len += (size_t)snprintf(text + len, cap - len, "%zu,", i);
		if (i % 2)
			text[len++] = '"';
		for (size_t k = 0; k < big; k++)
			text[len++] = (char)('a' + (i + k) % 26);
		if (i % 2)
			len += (size_t)snprintf(text + len, cap - len, "\"\"q\"");
		len += (size_t)snprintf(text + len, cap - len, ",end%zu\r\n", i);
		assert_true(len < cap - (512u << 10));
	}
	same_on_two(text, len, ODL_OK);
	free(text);
}

/* Blank lines are records with no cell: one may open a batch that has
 * never held a cell yet. */
static void blank_lines(void **state)
{
	(void)state;
	size_t len = 0, cap = 16000;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "a,b\n");
	for (size_t i = 0; i < 5000; i++)
		text[len++] = '\n';
	len += (size_t)snprintf(text + len, cap - len, "1,2\n");
	same_on_two(text, len, ODL_OK);
	free(text);
}

/* An error of the reader after some records: the records before it, then
 * the same error. */
static void error_after_records(void **state)
{
	(void)state;
	size_t len;
	char *text = many_rows(5000, &len);
	text[len - 10] = 0; /* a NUL near the end */
	same_on_two(text, len, ODL_EFORMAT);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_one_thread),
		cmocka_unit_test(error_after_records),
		cmocka_unit_test(records_of_every_size),
		cmocka_unit_test(blank_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
