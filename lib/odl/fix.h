/*
 * odl/fix.h - repairing a dataset into the form its schema asks for.
 *
 * A fixer sits between the CSV reader and the validator: each record goes
 * in as read, and comes out with the cells the rules could repair safely.
 * Every change, and every problem a rule saw but would not decide, reaches
 * a callback, so that the report can list them.  The rules, each driven by
 * the schema's declarations:
 *
 *   header       labels matched to field names up to case, accents, spaces,
 *                '_', '-' and camelCase, or equal to a field's title; a
 *                label that could mean two fields, or a field already named
 *                by another column, stays as it is
 *   numbers      decimal comma, spaces and no-break spaces between
 *                thousands, a trailing € or EUR, a leading +; an integer
 *                written 12.0 or 1.5E+04 when it is exact
 *   dates        31/03/2024, 31-03-2024, 31.03.2024, 2024/03/31, 20240331
 *                and an ISO datetime for a date field, into the field's
 *                format; day and month are told apart only by the column
 *                (a day over 12 somewhere in it, see odl_fixer_learn); in
 *                a workbook, Excel serial numbers (odl_fixer_excel_dates)
 *   booleans     oui/non, vrai/faux, yes/no, true/false, 1/0, x into the
 *                field's trueValues/falseValues
 *   enum         a value equal to an allowed one up to case, accents and
 *                spaces
 *   identifiers  digits grouped with spaces or dots, or turned into a
 *                float by a spreadsheet (21860194600000.0), when the
 *                field's pattern then matches and no digit was lost
 *   patterns     one separator replaced by the one the pattern shows; a
 *                period of two dates written the French way as two ISO dates
 *   whitespace   spaces around a cell; blank rows dropped; empty trailing
 *                columns dropped (with odl_fixer_learn)
 *
 * Invariants: a cell that is valid as read is never changed; a rule never
 * invents a value (a repair is kept only when the field then reads it
 * without error); fixing a fixed record changes nothing.
 *
 *	odl_fixer *fx = odl_fixer_new(schema, &opt, on_change, ctx);
 *	// optional first pass over the file: odl_fixer_learn(fx, rec);
 *	// or odl_fixer_guess(fx), checked by odl_fixer_guessed_wrong(fx);
 *	// then per record:
 *	struct odl_record out;
 *	if (odl_fixer_record(fx, rec, &out, &err) == ODL_OK && out.cells)
 *		// out is the repaired record (NULL cells: the record is dropped)
 *	odl_fixer_free(fx);
 */
#ifndef ODL_FIX_H
#define ODL_FIX_H

#include <stdio.h>

#include "../odl.h"
#include "csv.h"
#include "schema.h"

enum odl_fix_rule {
	ODL_FIX_HEADER,
	ODL_FIX_NUMBERS,
	ODL_FIX_DATES,
	ODL_FIX_BOOLEANS,
	ODL_FIX_ENUM,
	ODL_FIX_IDENTIFIERS,
	ODL_FIX_PATTERNS,
	ODL_FIX_WHITESPACE,
	ODL_FIX_NRULES
};

struct odl_fix_options {
	unsigned rules;   /* bit (1 << rule) set = rule on; default all */
	int add_missing;  /* 1: append an empty column per missing required field */
	int order;        /* 1: write the columns in the schema's order */
};

struct odl_fix_change {
	enum odl_fix_rule rule;
	int left;           /* 1: the rule saw a problem it would not decide */
	const char *why;    /* for a left cell: why, in English */
	const char *why_fr; /* the same in French */
	uint64_t row;       /* frictionless rowNumber (header = 1) */
	uint64_t line;      /* physical line */
	uint64_t column;    /* 1-based column of the input */
	const char *field;  /* field name, "" for row changes */
	const char *before; /* not NUL-terminated */
	size_t before_len;
	const char *after;  /* NULL for a dropped row or a left cell */
	size_t after_len;
};

/* Return 0 to go on, non-zero to stop (ODL_ECANCELED). */
typedef int (*odl_fix_fn)(void *ctx, const struct odl_fix_change *c);

typedef struct odl_fixer odl_fixer;

ODL_API void odl_fix_options_init(struct odl_fix_options *opt);
/* "header", "numbers"... */
ODL_API const char *odl_fix_rule_name(enum odl_fix_rule r);
/* ODL_OK or ODL_EINVAL for an unknown name. */
ODL_API int odl_fix_rule_parse(const char *name, enum odl_fix_rule *r);

/* NULL when out of memory.  The schema must outlive the fixer. */
ODL_API odl_fixer *odl_fixer_new(const odl_schema *s, const struct odl_fix_options *opt,
				 odl_fix_fn fn, void *ctx);
ODL_API void odl_fixer_free(odl_fixer *fx);

/*
 * A first pass over the records (header included), before any
 * odl_fixer_record(): settles the day/month order of each date column and
 * finds trailing columns that are empty everywhere.  Without it, a date
 * whose day and month are both 12 or less is left and reported.
 */
ODL_API int odl_fixer_learn(odl_fixer *fx, const struct odl_record *rec);

/*
 * The records come from an xlsx workbook (odl_csv_info()->xlsx): a number
 * in a date or datetime field that no other date form reads is an Excel
 * serial date, in the 1904 system when date1904 (odl_csv_info()->date1904).
 * Call it before the first data record; never for text input, where a
 * number is not known to be a serial.
 */
ODL_API void odl_fixer_excel_dates(odl_fixer *fx, int date1904);

/*
 * Instead of a first pass, a guess (before any record): a date column is
 * read day first unless its cells so far say otherwise, and trailing
 * columns without a label are dropped, while the fixer learns from the
 * records it repairs.  After the last record, odl_fixer_guessed_wrong()
 * says whether the whole file bears out every guess that decided a cell:
 * when it does, the output is what a first pass would have given; when not,
 * the caller throws away what this pass wrote and reported, calls
 * odl_fixer_restart() and gives the file again, which the fixer then knows
 * as after odl_fixer_learn().  From the record that proves a guess wrong on,
 * the fixer only learns (out->cells NULL, nothing reported).
 */
ODL_API void odl_fixer_guess(odl_fixer *fx);
ODL_API int odl_fixer_guessed_wrong(const odl_fixer *fx);
ODL_API void odl_fixer_restart(odl_fixer *fx);

/*
 * Repair one record.  out receives the record to write and validate; its
 * cells live until the next call.  out->cells is NULL when the record is
 * dropped (a blank row).  ODL_ENOMEM, ODL_ELIMIT (a repaired record over
 * 32 MiB), ODL_ECANCELED when the callback stopped.
 */
ODL_API int odl_fixer_record(odl_fixer *fx, const struct odl_record *in, struct odl_record *out,
			     struct odl_error *err);

/* Repairs made and problems left, per rule. */
ODL_API uint64_t odl_fixer_count(const odl_fixer *fx, enum odl_fix_rule r, int left);

/*
 * Write cells as one CSV record, quoted as Python's csv writer does
 * (QUOTE_MINIMAL: a cell with the delimiter, a quote, CR or LF is quoted,
 * quotes doubled; a record of one empty cell is written "").  eol is "\n"
 * or "\r\n".  ODL_EIO with errno kept when the stream fails.
 */
ODL_API int odl_csv_write_record(FILE *f, const struct odl_cell *cells, size_t n, char delim,
				 const char *eol);

/*
 * The same for many records: a writer keeps them in its buffer (64 KiB)
 * and gives the stream whole blocks, so odl_csv_writer_flush() must follow
 * the last record.  Nothing else may write to f meanwhile.  A failed write
 * is kept: the record or flush that meets it, and every later one, returns
 * ODL_EIO with errno set.  NULL when out of memory; eol is borrowed.
 */
typedef struct odl_csv_writer odl_csv_writer;
ODL_API odl_csv_writer *odl_csv_writer_new(FILE *f, char delim, const char *eol);
ODL_API int odl_csv_writer_record(odl_csv_writer *w, const struct odl_cell *cells, size_t n);
/*
 * The same for a record the reader gave: when its text is already what
 * odl_csv_writer_record would write (its cells joined by the writer's
 * delimiter, quoted where they hold one and only there, no quote, CR or
 * LF in a cell), the text is written as it is, in one search and one copy.
 */
ODL_API int odl_csv_writer_put(odl_csv_writer *w, const struct odl_record *rec);
ODL_API int odl_csv_writer_flush(odl_csv_writer *w);
/* Does not flush. */
ODL_API void odl_csv_writer_free(odl_csv_writer *w);

#endif
