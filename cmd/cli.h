/*
 * cli.h - the front end shared by the odl programs (not part of libodl).
 *
 * Each program declares one table of options; cli_parse() drives getopt
 * from it and prints --help from it, so the two never disagree.  The front
 * end may print and exit; the library never does.
 */
#ifndef ODL_CLI_H
#define ODL_CLI_H

#include <stdio.h>
#include "odl.h"

/* Exit codes, named once. */
enum {
	EXIT_OK = 0,      /* everything valid / obtained */
	EXIT_INVALID = 1, /* data invalid, a check failed */
	EXIT_TROUBLE = 2  /* usage or runtime error */
};

struct cli_option {
	int id;               /* returned to the program's handler (> 0) */
	char short_name;      /* 0 when none */
	const char *long_name;
	const char *arg;      /* argument name shown in --help, NULL for a flag */
	const char *help;     /* one line */
};

struct cli_program {
	const char *name;     /* "odl-validate" */
	const char *usage;    /* "[OPTION]... FILE..." */
	const char *summary;  /* one sentence */
	const struct cli_option *options; /* ends with an all-zero entry */
	const char *epilog;   /* printed after the options, may be NULL */
};

/*
 * Start-up: make sure fds 0-2 are open, ignore SIGPIPE (a closed pipe on
 * stdout ends the program quietly, see cli_finish), set the locale for
 * messages and character types but keep numbers in the C locale, install
 * signal handlers that remove temporary output files.
 */
void cli_init(const struct cli_program *prog);

/*
 * Parse argv with the table.  For each option found, handler(id, arg, ctx)
 * is called (arg NULL for flags); a non-zero return is a usage error.
 * --help and --version are handled here.  Returns the index of the first
 * operand.  Unknown options exit with EXIT_TROUBLE and a hint.
 */
typedef int (*cli_handler)(int id, const char *arg, void *ctx);
int cli_parse(const struct cli_program *prog, int argc, char **argv,
	      cli_handler handler, void *ctx);

/* Print --help from the table to f. */
void cli_help(const struct cli_program *prog, FILE *f);

/* "odl-x: message" on stderr; the variants below exit. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print a library error with its place:
 *   odl-validate: 'budget.csv' line 12, field 'BGT_ANNEE': not a year
 * path is used when err->file is empty.
 */
void cli_error_odl(const char *path, const struct odl_error *err);

/* A --delimiter value: "tab" (or "\t") or any single byte but a quote or a
 * line break; anything else exits with a usage error. */
char cli_parse_delimiter(const char *arg);

/* Parse a non-negative integer option value or exit with a usage error. */
long cli_parse_long(const char *opt, const char *arg, long min, long max);

/*
 * Output files (-o), as odl/outfile.h says: a regular file (or none) is
 * written to a temporary beside it and renamed over it by cli_output_close(),
 * keeping its mode; a symlink's target is replaced, the link stays; a device,
 * a FIFO or /dev/stdout is written in place; a directory is an error.  A
 * temporary is removed on failure, on a signal or on exit.  "-" is stdout.
 * An output that cannot be created is reported ("'PATH': cannot create:
 * REASON") and the program exits with EXIT_TROUBLE.
 */
FILE *cli_output_open(const char *path);
/* Returns 0, or prints the error, removes the temporary and returns -1.  A
 * FIFO whose reader went away ends the program quietly, as a closed pipe. */
int cli_output_close(FILE *f);
/* Remove the temporary without renaming (the run failed). */
void cli_output_discard(FILE *f);
/*
 * The rule every program follows at the end of a run: the output is committed
 * only when the run produced it.  EXIT_TROUBLE discards it (the previous file
 * stays byte for byte); EXIT_OK and EXIT_INVALID commit it.  Returns the exit
 * status, EXIT_TROUBLE when the commit failed.
 */
int cli_output_end(FILE *f, int status);
/*
 * A write to f (stdout or an output) failed: a closed pipe ends the program
 * quietly with EXIT_OK; anything else is reported with its cause, naming the
 * output ("'out.csv': cannot write: No space left on device"), and the
 * program exits with EXIT_TROUBLE (the output's temporary removed).
 */
_Noreturn void cli_write_failed(FILE *f);

/*
 * Flush and check stdout.  A write error (full disk) is reported and turns
 * the exit status into EXIT_TROUBLE; a closed pipe (EPIPE) is not an error:
 * the reader went away on purpose, so the program stops quietly.
 */
int cli_finish(int status);

/* Call in long loops: exits quietly once stdout's reader has gone away. */
void cli_check_stdout(void);

/*
 * A progress line for long runs, as odl-fetch's: on stderr when it is a
 * terminal and quiet is 0, one line rewritten in place, at most ten times
 * a second:
 *   odl-validate: 120/3000 files, 41 files/s, 3 invalid
 * (without a total: "odl-compare: 52000 rows read, 26000 rows/s, 3 null").
 * Nothing at all when stderr is not a terminal.  A message (cli_error,
 * cli_warn...) clears the line first; it is drawn again at the next call.
 */
struct cli_progress {
	int on, drawn;
	const char *what, *unit, *errors; /* "rows read", "rows", "null" */
	uint64_t total;             /* 0 when unknown */
	double started, last;
};
void cli_progress_start(struct cli_progress *p, int quiet, const char *what,
			const char *unit, const char *errors, uint64_t total);
void cli_progress(struct cli_progress *p, uint64_t done, uint64_t errors);
/* Clear the line (the run is over). */
void cli_progress_end(struct cli_progress *p);
/* Clear whatever progress line is shown, before writing to stderr. */
void cli_progress_clear(void);
/* Before writing to f: clear the line when f is stdout on a terminal. */
void cli_progress_before(FILE *f);

/* 1 when f is a terminal and colours are allowed (NO_COLOR unset). */
int cli_use_color(FILE *f);

/* "fr" when LC_ALL/LC_MESSAGES/LANG name a French locale, else "en". */
const char *cli_lang(void);

/* The directory holding odl's data files (schemas, indicator sets). */
const char *cli_data_dir(void);

/* The program's name as given to cli_init(). */
const char *cli_name(void);

#endif
