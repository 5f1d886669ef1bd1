/*
 * odl/csv.h - streaming reader for the CSV files collectivités publish.
 *
 * Push-style: create a reader with a record callback, feed it bytes in
 * chunks of any size, then call odl_csv_finish().  Any chunking gives the
 * same records.  An xlsx workbook (zip signature, or a name ending in .xlsx)
 * is read instead as the records of one sheet, the same way (see
 * lib/xlsx.h for how cells become text).  The reader
 *   - inflates gzip on the fly (detected by its magic bytes);
 *   - decodes the text: a BOM (UTF-8, UTF-16LE, UTF-16BE) wins, then UTF-16
 *     without a BOM is recognised by its NUL-every-other-byte pattern, else
 *     the whole stream is validated as UTF-8 and, from the first invalid
 *     sequence on, read as Windows-1252; an explicit encoding option always
 *     wins.  Records reach the callback in UTF-8 whatever the input was;
 *   - refuses a NUL character anywhere in the decoded text (binary data, or
 *     UTF-16 read as 8-bit): an ODL_EFORMAT error naming its line and byte;
 *   - sniffs the delimiter among , ; TAB | from a sample of whole records
 *     (quotes respected) unless one is given, and whether spaces after a
 *     delimiter are dropped (skipinitialspace) as Python's csv.Sniffer
 *     decides it;
 *   - splits records exactly as Python's csv.reader does (what
 *     frictionless-py uses): quote '"', doubled quotes, non-strict, lines
 *     ended by CRLF, LF or CR; malformed quoting is read as Python reads it
 *     (see lib/csv.c), an empty line is a record with no cells, and a quote
 *     never closed runs to the end of the file (the last record then says
 *     on which line that quote opened);
 *   - with a header (the default) picks the header row as frictionless does:
 *     the first of the first 100 records whose cell count is within 10 %
 *     (at least 1) of their average; records before it (blank lines, a
 *     title line) are skipped and keep their place in the numbering;
 *   - bounds memory: a cell longer than max_cell bytes, a record with more
 *     than max_cells cells or longer than max_record bytes is an ODL_ELIMIT
 *     error naming the line.
 *
 * Example:
 *
 *	static int on_record(void *ctx, const struct odl_record *rec)
 *	{
 *		for (size_t i = 0; i < rec->ncells; i++)
 *			fwrite(rec->cells[i].ptr, 1, rec->cells[i].len, stdout);
 *		return 0;        // non-zero stops the reader (ODL_ECANCELED)
 *	}
 *
 *	struct odl_csv_options opt;
 *	odl_csv_options_init(&opt);
 *	odl_csv *csv = odl_csv_new(&opt, on_record, NULL);
 *	struct odl_error err;
 *	int rc = odl_csv_read_path(csv, "budget.csv", &err);
 *	const struct odl_csv_info *info = odl_csv_info(csv);
 *	odl_csv_free(csv);
 */
#ifndef ODL_CSV_H
#define ODL_CSV_H

#include "../odl.h"

enum odl_encoding {
	ODL_ENC_UNKNOWN = 0, /* not decided yet (options: detect) */
	ODL_ENC_UTF8,
	ODL_ENC_UTF16LE,
	ODL_ENC_UTF16BE,
	ODL_ENC_WINDOWS1252
};

enum odl_line_ending {
	ODL_EOL_NONE = 0, /* no line terminator seen */
	ODL_EOL_LF,
	ODL_EOL_CRLF,
	ODL_EOL_CR,
	ODL_EOL_MIXED
};

/* A cell: a view into the reader's buffer, not NUL-terminated. */
struct odl_cell {
	const char *ptr;
	size_t len;
};

struct odl_record {
	const struct odl_cell *cells;
	size_t ncells;
	uint64_t row;    /* records after the header, 1-based; 0 = header */
	uint64_t record; /* index in the record stream, header and skipped blank
			    lines included, 1-based (frictionless's rowNumber) */
	uint64_t line;   /* physical line where the record starts, 1-based */
	uint64_t offset; /* byte offset of the record in the decoded text */
	int is_header;   /* 1 for the header record */
	int is_blank;    /* 1 when every cell is empty (a blank row) */
	uint64_t unclosed_quote; /* last record only: the line where a quoted
				    field opened that the file never closes, else 0 */
	const char *text;  /* when not NULL, every cell lies in text[0..text_len) */
	size_t text_len;
};

/*
 * Return 0 to go on, non-zero to stop reading: feed or finish then returns
 * ODL_ECANCELED with err naming the record's line.  A callback that stops
 * because of an error of its own keeps that error in its ctx.
 */
typedef int (*odl_record_fn)(void *ctx, const struct odl_record *rec);

/*
 * Undecodable bytes met in replace mode (options.replace_invalid): the
 * reader substitutes U+FFFD and tells this callback, then goes on.
 */
struct odl_decode_issue {
	uint64_t line;          /* physical line, 1-based */
	uint64_t column;        /* byte column in that line, 1-based */
	unsigned char bytes[4]; /* the raw bytes */
	size_t nbytes;
};
typedef void (*odl_decode_fn)(void *ctx, const struct odl_decode_issue *issue);

struct odl_csv_options {
	enum odl_encoding encoding; /* ODL_ENC_UNKNOWN = detect */
	char delimiter;             /* 0 = sniff */
	int header;                 /* 1 (default): a header row, chosen as frictionless does;
				       0: every record is a row */
	int skip_initial_space;     /* -1 (default): sniffed; 0 keep, 1 drop spaces after
				       a delimiter */
	int replace_invalid;        /* 1: replace undecodable bytes, go on */
	size_t max_cell;            /* bytes per cell (default 1 MiB) */
	size_t max_cells;           /* cells per record (default 4096) */
	size_t max_record;          /* bytes per record (default 16 MiB) */
	size_t sniff_bytes;         /* sample size for sniffing (default 64 KiB) */
	const char *name;           /* file name used in errors ("-" = stdin) */
	odl_decode_fn on_decode_issue; /* optional, with replace_invalid */
	void *decode_ctx;
	/* xlsx workbooks (detected by content or the .xlsx name) */
	const char *sheet;          /* sheet to read (NULL: the first) */
	/* text of a boolean cell in column col (0-based); NULL or a NULL
	 * result: "true" / "false" */
	const char *(*bool_text)(void *ctx, size_t col, int value);
	void *bool_ctx;
};

/* What the reader found; complete after odl_csv_finish(). */
struct odl_csv_info {
	enum odl_encoding encoding;
	int bom;                      /* a byte order mark was present */
	const char *encoding_reason;  /* e.g. "utf-8 byte order mark" */
	int gzip;                     /* input was gzip-compressed */
	char delimiter;
	const char *delimiter_reason; /* "sniffed", "option", "single column"... */
	int skip_initial_space;       /* spaces after a delimiter were dropped */
	enum odl_line_ending line_ending;
	uint64_t columns;             /* cells in the header (or first record) */
	uint64_t rows;                /* records after the header, blank ones included */
	uint64_t blank_rows;          /* records whose cells are all empty */
	uint64_t ragged_rows;         /* records whose cell count differs from columns */
	uint64_t skipped_lines;       /* records before the header (blank lines, titles) */
	uint64_t unclosed_quote_line; /* where a quote never closed opened, or 0 */
	uint64_t lines;               /* physical lines */
	uint64_t bytes_in;            /* bytes fed (compressed if gzip) */
	uint64_t bytes_decoded;       /* UTF-8 bytes produced */
	uint64_t decode_issues;       /* replaced undecodable sequences */
	uint64_t invalid_utf8_line;   /* where windows-1252 fallback began, or 0 */
	int xlsx;                     /* the input is an xlsx workbook */
	int date1904;                 /* its serial dates count from 1904-01-01
				         (workbookPr date1904), not 1900 */
};

typedef struct odl_csv odl_csv;

ODL_API void odl_csv_options_init(struct odl_csv_options *opt);

/* NULL when out of memory or options are invalid. */
ODL_API odl_csv *odl_csv_new(const struct odl_csv_options *opt,
			     odl_record_fn on_record, void *ctx);
ODL_API void odl_csv_free(odl_csv *csv);

/* Feed len bytes; records complete in them reach the callback. */
ODL_API int odl_csv_feed(odl_csv *csv, const void *buf, size_t len,
			 struct odl_error *err);
/* End of input: flushes the last record (no final newline needed). */
ODL_API int odl_csv_finish(odl_csv *csv, struct odl_error *err);

/* Read a whole file ("-" = stdin) through feed and finish, in 64 KiB chunks. */
ODL_API int odl_csv_read_path(odl_csv *csv, const char *path,
			      struct odl_error *err);
/* Read from an open descriptor (not closed). */
ODL_API int odl_csv_read_fd(odl_csv *csv, int fd, struct odl_error *err);

/*
 * Two threads for one reader: produce(ctx, err) runs on a new thread and
 * feeds csv (odl_csv_feed, odl_csv_finish: reading, gunzip, decoding and
 * parsing happen there), while the calling thread gives the records to the
 * callback, in order, a few batches behind (memory: four batches of about
 * 256 KiB, or of one record when a record is larger).  The callback sees
 * what one thread would show it, odl_csv_info() included, and may stop the
 * reading as usual.  Returns produce's status, or ODL_ECANCELED when the
 * callback stopped (err naming its record's line, and odl_csv_info() then
 * showing the counters at that record).  Nothing but the callback may use
 * csv until this returns; produce must not call the callback's code.  When
 * no thread can be started, produce runs on the calling thread.
 */
ODL_API int odl_csv_run_threaded(odl_csv *csv, int (*produce)(void *ctx, struct odl_error *err),
				 void *ctx, struct odl_error *err);
/*
 * The same, with work either thread may do where it would wait for the
 * other (the ring of batches empty, or full): idle(ictx) does a little of
 * it and returns nonzero, or returns 0 when there is none; it must be safe
 * to call from both threads at once.  A NULL idle is odl_csv_run_threaded.
 */
ODL_API int odl_csv_run_shared(odl_csv *csv, int (*produce)(void *ctx, struct odl_error *err),
			       void *ctx, int (*idle)(void *ictx), void *ictx, struct odl_error *err);

ODL_API const struct odl_csv_info *odl_csv_info(const odl_csv *csv);

/* "utf-8", "utf-16le", "utf-16be", "windows-1252" ("unknown"). */
ODL_API const char *odl_encoding_name(enum odl_encoding enc);
/* Parse a name (case-insensitive; "cp1252", "latin1"... accepted): 0 or ODL_EINVAL. */
ODL_API int odl_encoding_parse(const char *name, enum odl_encoding *out);
/* "lf", "crlf", "cr", "mixed", "none". */
ODL_API const char *odl_line_ending_name(enum odl_line_ending eol);

#endif
