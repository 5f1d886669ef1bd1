/*
 * make_xlsx - write an xlsx workbook with libxlsxwriter from a typed text
 * description, so that tests can hold real spreadsheets without binary
 * fixtures.
 *
 *   make_xlsx [--inline] OUT.xlsx < SPEC
 *
 * SPEC is one row per line, cells separated by TAB, each cell "TYPE:VALUE":
 *   s:text      a string (shared, or inline with --inline)
 *   n:12.5      a number (General format)
 *   d:2024-01-31            a date cell (format yyyy-mm-dd)
 *   t:10:30:00              a time cell (format hh:mm:ss)
 *   x:2024-01-31T10:30:00   a date and time cell (yyyy-mm-dd hh:mm:ss)
 *   f:FORMAT:12.5           a number with that number format code
 *   b:1 / b:0   a boolean
 *   e:          an empty cell that is present (styled, no value)
 *   (empty)     no cell: a gap
 * A line "#sheet NAME" starts a new sheet (before any row: names the first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static lxw_datetime parse_dt(const char *s)
{
	lxw_datetime dt = { 0, 0, 0, 0, 0, 0 };
	double sec = 0;

	if (strchr(s, '-')) {
		sscanf(s, "%d-%d-%dT%d:%d:%lf", &dt.year, &dt.month, &dt.day, &dt.hour, &dt.min, &sec);
	} else {
		sscanf(s, "%d:%d:%lf", &dt.hour, &dt.min, &sec);
	}
	dt.sec = sec;
	return dt;
}

int main(int argc, char **argv)
{
	lxw_workbook_options wo = { 0 };
	const char *out;
	int a = 1;

	if (a < argc && strcmp(argv[a], "--inline") == 0) {
		wo.constant_memory = LXW_TRUE; /* libxlsxwriter then writes inline strings */
		a++;
	}
	if (a + 1 != argc) {
		fprintf(stderr, "usage: make_xlsx [--inline] OUT.xlsx < SPEC\n");
		return 2;
	}
	out = argv[a];
	lxw_workbook *wb = workbook_new_opt(out, &wo);
	if (!wb)
		return 1;
	lxw_format *fd = workbook_add_format(wb), *ft = workbook_add_format(wb),
		   *fx = workbook_add_format(wb);
	format_set_num_format(fd, "yyyy-mm-dd");
	format_set_num_format(ft, "hh:mm:ss");
	format_set_num_format(fx, "yyyy-mm-dd hh:mm:ss");
	lxw_worksheet *ws = NULL;
	char line[65536];
	lxw_row_t row = 0;
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "#sheet ", 7) == 0) {
			ws = workbook_add_worksheet(wb, line + 7);
			row = 0;
			continue;
		}
		if (!ws)
			ws = workbook_add_worksheet(wb, NULL);
		lxw_col_t col = 0;
		char *p = line;
		for (;;) {
			char *tab = strchr(p, '\t');
			if (tab)
				*tab = 0;
			if (*p && p[1] == ':') {
				const char *v = p + 2;
				switch (*p) {
				case 's': worksheet_write_string(ws, row, col, v, NULL); break;
				case 'n': worksheet_write_number(ws, row, col, strtod(v, NULL), NULL); break;
				case 'b': worksheet_write_boolean(ws, row, col, *v == '1', NULL); break;
				case 'e': worksheet_write_blank(ws, row, col, fd); break;
				case 'd': case 't': case 'x': {
					lxw_datetime dt = parse_dt(v);
					worksheet_write_datetime(ws, row, col, &dt,
								 *p == 'd' ? fd : *p == 't' ? ft : fx);
					break;
				}
				case 'f': {
					const char *c = strrchr(v, ':');
					char code[256];
					snprintf(code, sizeof(code), "%.*s", (int)(c - v), v);
					lxw_format *f = workbook_add_format(wb);
					format_set_num_format(f, code);
					worksheet_write_number(ws, row, col, strtod(c + 1, NULL), f);
					break;
				}
				default:
					fprintf(stderr, "make_xlsx: unknown cell '%s'\n", p);
					return 2;
				}
			}
			col++;
			if (!tab)
				break;
			p = tab + 1;
		}
		row++;
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
