/*
 * xlsx.h - xlsx workbooks as a record source of the dataset reader
 * (private).
 *
 * The dataset reader (csv.c) hands its input to the front first: when the
 * first bytes are a zip signature (or the name ends in .xlsx), the bytes are
 * spooled to an unlinked temporary file, bounded, and at finish the
 * workbook is read from it: the zip container (zip.c), then the workbook,
 * its relationships, styles, shared strings and the chosen sheet, each
 * parsed by expat as it inflates.  Rows reach the same record callback as
 * CSV records, with the same header, blank and ragged accounting, so that no
 * caller changes.  Otherwise the bytes go on to the text path untouched.
 *
 * Cells are written as text the way a CSV export would hold them: shared
 * and inline strings as they are; numbers as the shortest decimal that
 * reads back to the same double, with '.'; numbers whose style is a date or
 * time format as ISO 8601 (YYYY-MM-DD, HH:MM:SS or YYYY-MM-DDTHH:MM:SS),
 * in the 1900 system (with Excel's phantom 1900-02-29, serial 60) or the
 * 1904 one; booleans as the bool_text option says (default true/false);
 * error values (#N/A...) as they are.  Missing cells inside a row and
 * missing rows are empty; data rows are padded with empty cells to the
 * header's width.  A row's `line` is the sheet's row number.
 *
 * Errors name the file and the place: "sheet 'Feuil1' cell B12: ...".
 */
#ifndef ODL_XLSX_H
#define ODL_XLSX_H

#include "odl/csv.h"
#include "zip.h"

struct odl_xlsx_limits {
	struct odl_zip_limits zip;
	uint64_t max_file;       /* bytes of workbook spooled from a stream */
	size_t max_strings;      /* entries of the shared strings table */
	size_t max_string_bytes; /* bytes of the shared strings table */
	size_t max_depth;        /* XML element nesting */
	size_t max_token;        /* XML bytes without an element or text event
				    (a tag or attribute expat would buffer whole) */
	size_t max_styles;       /* cell formats (cellXfs); 1,024 number formats */
};

/* Defaults: zip defaults, 1 GiB file, 16 Mi strings, 256 MiB of strings,
 * depth 64, 16 MiB tokens, 65,536 styles. */
void odl_xlsx_limits_init(struct odl_xlsx_limits *lim);

/*
 * Read the sheet opt->sheet (NULL: the first) of the workbook on fd, a
 * regular file; name is for errors.  info is filled as odl_csv_info would
 * be.  lim NULL = defaults.
 */
int odl_xlsx_read_fd(int fd, const char *name, const struct odl_csv_options *opt,
		     const struct odl_xlsx_limits *lim, odl_record_fn fn, void *ctx,
		     struct odl_csv_info *info, struct odl_error *err);

/* ---- the front, in the dataset reader's input path ---- */

typedef int (*odl_bytes_fn)(void *ctx, const void *buf, size_t len, struct odl_error *err);

struct odl_xlsx_front;

/* name is borrowed and read when the input is decided (it may be set after
 * creation); text is where non-xlsx bytes go. */
struct odl_xlsx_front *odl_xlsx_front_new(const struct odl_csv_options *opt, const char *name,
					  odl_record_fn fn, void *ctx,
					  odl_bytes_fn text, void *text_ctx);
void odl_xlsx_front_free(struct odl_xlsx_front *f);
int odl_xlsx_front_feed(struct odl_xlsx_front *f, const void *buf, size_t len,
			struct odl_error *err);
/* End of input: *done = 1 when the input was a workbook (now read, with
 * its status returned); 0 when it is text (held bytes passed on). */
int odl_xlsx_front_finish(struct odl_xlsx_front *f, int *done, struct odl_error *err);
/* The workbook reader's info, NULL when the input is text. */
const struct odl_csv_info *odl_xlsx_front_info(const struct odl_xlsx_front *f);

/* ---- cell text, exposed for the unit tests ---- */

enum { ODL_XLSX_NUMBER = 0, ODL_XLSX_DATE = 1, ODL_XLSX_TIME = 2, ODL_XLSX_DATETIME = 3 };

/* Kind of a number format: built-in id (code NULL) or custom code. */
int odl_xlsx_format_kind(unsigned id, const char *code);
/* Shortest round-trip decimal of v into buf (at least 32 bytes); length. */
size_t odl_xlsx_number(double v, char *buf, size_t cap);
/* Serial v as ISO 8601 of the kind; 0 when v is outside the calendar (then
 * write it as a number). */
size_t odl_xlsx_serial(double v, int date1904, int kind, char *buf, size_t cap);

#endif
