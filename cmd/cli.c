/* cli.c - start-up, options, messages, outputs and exit status of the programs. */
#include "cli.h"
#include "odl/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *prog_name = "odl";

/*
 * Temporaries of the outputs being written.  The signal handler may only
 * call async-signal-safe functions, so the paths are copied into fixed
 * arrays it can read without locks.
 */
#define MAX_OUTPUTS 16
static struct {
	FILE *fp;
	odl_outfile *out;
	char temp[PATH_MAX];
} outputs[MAX_OUTPUTS];

static void remove_temporaries(void)
{
	for (int i = 0; i < MAX_OUTPUTS; i++)
		if (outputs[i].temp[0])
			unlink(outputs[i].temp);
}

static void on_fatal_signal(int sig)
{
	remove_temporaries();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void at_exit_cleanup(void)
{
	for (int i = 0; i < MAX_OUTPUTS; i++)
		if (outputs[i].out) {
			odl_outfile_abort(outputs[i].out);
			outputs[i].out = NULL;
			outputs[i].temp[0] = 0;
		}
}

const char *cli_name(void)
{
	return prog_name;
}

void cli_init(const struct cli_program *prog)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	prog_name = prog->name;
	/* A program started with a closed standard fd would write data into
	 * whatever file it opens next; give those fds /dev/null instead. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			exit(EXIT_TROUBLE);
	signal(SIGPIPE, SIG_IGN);
	setlocale(LC_ALL, "");
	/* Numbers in data and outputs are always written with '.', whatever
	 * the user's locale says. */
	setlocale(LC_NUMERIC, "C");
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
	atexit(at_exit_cleanup);
}

/* the progress line on screen, if any: a message first clears it */
static struct cli_progress *shown_progress;

void cli_progress_clear(void)
{
	if (shown_progress) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		shown_progress = NULL;
	}
}

void cli_progress_before(FILE *f)
{
	static int tty = -1;

	if (!shown_progress || f != stdout)
		return;
	if (tty < 0)
		tty = isatty(STDOUT_FILENO);
	if (tty)
		cli_progress_clear();
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(struct cli_progress *p, int quiet, const char *what,
			const char *unit, const char *errors, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->on = !quiet && isatty(STDERR_FILENO);
	p->what = what;
	p->unit = unit;
	p->errors = errors;
	p->total = total;
	p->started = now_seconds();
}

/* "%.1f" below 10, whole numbers above: "3.5 files/s", "120000 rows/s" */
static void rate_text(char *buf, size_t n, double r)
{
	if (r < 10)
		snprintf(buf, n, "%.1f", r);
	else
		snprintf(buf, n, "%.0f", r);
}

void cli_progress(struct cli_progress *p, uint64_t done, uint64_t errors)
{
	char rate[32];
	double t;

	if (!p->on)
		return;
	t = now_seconds();
	/* ten lines a second at most, the first and the last at once */
	if (p->drawn && t - p->last < 0.1 && !(p->total && done == p->total))
		return;
	p->last = t;
	p->drawn = 1;
	rate_text(rate, sizeof(rate), t > p->started ? (double)done / (t - p->started) : 0);
	if (p->total)
		fprintf(stderr, "\r%s: %llu/%llu %s, %s %s/s, %llu %s\033[K", prog_name,
			(unsigned long long)done, (unsigned long long)p->total, p->what, rate,
			p->unit, (unsigned long long)errors, p->errors);
	else
		fprintf(stderr, "\r%s: %llu %s, %s %s/s, %llu %s\033[K", prog_name,
			(unsigned long long)done, p->what, rate, p->unit,
			(unsigned long long)errors, p->errors);
	fflush(stderr);
	shown_progress = p;
}

void cli_progress_end(struct cli_progress *p)
{
	if (shown_progress == p)
		cli_progress_clear();
	p->on = 0;
}

static void note_stdout_error(int e);

/*
 * Messages quote file names, cells and labels from the data: none may drive
 * the terminal or break the one-line rule.  C0 controls (line breaks too)
 * and DEL become spaces; C1 controls and the bidirectional embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069) become U+FFFD.
 */
static void put_message(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			fputs("\xEF\xBF\xBD", stderr);
			p++;
		} else if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
					    (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
			fputs("\xEF\xBF\xBD", stderr);
			p += 2;
		} else {
			fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, stderr);
		}
	}
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	int e = errno;
	char local[1024], *buf = local;
	va_list aq;
	int n;

	cli_progress_clear();
	/* a full disk met here must not be forgotten: stdio drops its buffer
	 * and the final flush would only see a bare error flag */
	if (fflush(stdout) != 0)
		note_stdout_error(errno);
	errno = e;
	va_copy(aq, ap);
	n = vsnprintf(local, sizeof(local), fmt, ap);
	if (n >= (int)sizeof(local) && (buf = malloc((size_t)n + 1)) != NULL)
		vsnprintf(buf, (size_t)n + 1, fmt, aq);
	else if (n >= (int)sizeof(local))
		buf = local; /* out of memory: the message cut */
	va_end(aq);
	if (n < 0)
		local[0] = 0;
	fprintf(stderr, "%s: %s", prog_name, prefix);
	put_message(buf);
	fputc('\n', stderr);
	if (buf != local)
		free(buf);
	errno = e;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

void cli_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	exit(EXIT_TROUBLE);
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
	exit(EXIT_TROUBLE);
}

void cli_error_odl(const char *path, const struct odl_error *err)
{
	char where[1024];
	size_t n = 0;
	const char *file = err->file[0] ? err->file : path;

	where[0] = 0;
	if (file && *file)
		n += snprintf(where + n, sizeof(where) - n, "'%s'", file);
	if (err->line && n < sizeof(where))
		n += snprintf(where + n, sizeof(where) - n, "%sline %llu", n ? " " : "",
			      (unsigned long long)err->line);
	if (err->column && n < sizeof(where))
		n += snprintf(where + n, sizeof(where) - n, ", column %llu",
			      (unsigned long long)err->column);
	if (err->field[0] && n < sizeof(where))
		n += snprintf(where + n, sizeof(where) - n, "%sfield '%s'", n ? ", " : "",
			      err->field);
	cli_error("%s%s%s", where, n ? ": " : "",
		  err->message[0] ? err->message : odl_strerror(err->code));
}

char cli_parse_delimiter(const char *arg)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
		return '\t';
	if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
		return arg[0];
	cli_usage_error("invalid delimiter '%s'", arg);
}

long cli_parse_long(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	/* strtol skips leading spaces: ' 5' is not a number either */
	if (errno || end == arg || *end || !(*arg == '-' || (*arg >= '0' && *arg <= '9')) ||
	    v < min || v > max)
		cli_usage_error("invalid value '%s' for %s (expected %ld to %ld)", arg, opt,
				min, max);
	return v;
}

/* ---- options ---- */

/* getopt returns a short option's character; long ones are offset past any char. */
enum { OPT_HELP = -1000, OPT_VERSION = -1001, LONG_ID_BASE = 1000 };

void cli_help(const struct cli_program *prog, FILE *f)
{
	const struct cli_option *o;

	fprintf(f, "Usage: %s %s\n%s\n\nOptions:\n", prog->name, prog->usage, prog->summary);
	for (o = prog->options; o && o->long_name; o++) {
		char left[64];
		int n = snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
				 o->short_name ? '-' : ' ', o->short_name ? o->short_name : ' ',
				 o->short_name ? ", " : "  ", o->long_name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(f, "  %s%*s %s\n", left, n < 26 ? 26 - n : 0, "", o->help);
	}
	fprintf(f, "  %-26s %s\n", "    --help", "show this help and exit");
	fprintf(f, "  %-26s %s\n", "    --version", "show the version and exit");
	if (prog->epilog)
		fprintf(f, "\n%s", prog->epilog);
}

int cli_parse(const struct cli_program *prog, int argc, char **argv,
	      cli_handler handler, void *ctx)
{
	struct option longopts[128];
	char shortopts[256];
	size_t nl = 0, ns = 0;
	const struct cli_option *o;
	int c;

	shortopts[ns++] = ':'; /* report a missing argument distinctly */
	for (o = prog->options; o && o->long_name && nl < 125; o++) {
		longopts[nl].name = o->long_name;
		longopts[nl].has_arg = o->arg ? required_argument : no_argument;
		longopts[nl].flag = NULL;
		longopts[nl].val = o->id + LONG_ID_BASE;
		nl++;
		if (o->short_name && ns < sizeof(shortopts) - 3) {
			shortopts[ns++] = o->short_name;
			if (o->arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[nl++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	longopts[nl++] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	longopts[nl] = (struct option){ 0, 0, 0, 0 };
	shortopts[ns] = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == OPT_HELP) {
			cli_help(prog, stdout);
			exit(cli_finish(EXIT_OK));
		}
		if (c == OPT_VERSION) {
			printf("%s (odl) %s\n", prog->name, odl_version());
			exit(cli_finish(EXIT_OK));
		}
		if (c == ':')
			cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
		if (c == '?') {
			if (optopt)
				cli_usage_error("unknown option '-%c'", optopt);
			cli_usage_error("unknown option '%s'", argv[optind - 1]);
		}
		int id = -1;
		if (c >= LONG_ID_BASE)
			id = c - LONG_ID_BASE;
		else
			for (o = prog->options; o && o->long_name; o++)
				if (o->short_name == c) {
					id = o->id;
					break;
				}
		/* No option takes an empty value: '' for a file, a directory, a
		 * URL or a name is a slip (an unset variable), never a choice. */
		if (optarg && !*optarg)
			for (o = prog->options; o && o->long_name; o++)
				if (o->id == id)
					cli_usage_error("empty value for --%s", o->long_name);
		if (handler(id, optarg, ctx) != 0)
			exit(EXIT_TROUBLE);
	}
	return optind;
}

/* ---- outputs ---- */

FILE *cli_output_open(const char *path)
{
	odl_outfile *out;
	struct odl_error err;
	const char *temp;
	int slot;

	odl_error_clear(&err);
	if (strcmp(path, "-") == 0)
		return stdout;
	for (slot = 0; slot < MAX_OUTPUTS && outputs[slot].out; slot++)
		;
	if (slot == MAX_OUTPUTS)
		cli_die("'%s': too many output files open", path);
	/* Signals are not blocked here: opening a FIFO waits for its reader,
	 * and Ctrl-C must still end that wait. */
	if (odl_outfile_open(path, &out, &err) != ODL_OK) {
		cli_error_odl(path, &err);
		exit(EXIT_TROUBLE);
	}
	temp = odl_outfile_temp_path(out);
	outputs[slot].out = out;
	outputs[slot].fp = odl_outfile_stream(out);
	snprintf(outputs[slot].temp, sizeof(outputs[slot].temp), "%s", temp ? temp : "");
	return outputs[slot].fp;
}

static int find_output(FILE *f)
{
	for (int i = 0; i < MAX_OUTPUTS; i++)
		if (outputs[i].out && outputs[i].fp == f)
			return i;
	return -1;
}

/* fd is a pipe or a socket whose reader has gone away (errno may be stale
 * by the time a failed write is noticed; the descriptor still tells). */
static int reader_gone(int fd)
{
	struct stat st;
	struct pollfd p = { fd, POLLOUT, 0 };

	if (fd < 0 || fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return 0;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* errno of stdout's first failed write, taken as soon as ferror() shows it
 * (stdio drops its buffer on failure, so a later fflush cannot tell). */
static int stdout_errno;

static void note_stdout_error(int e)
{
	if (ferror(stdout) && !stdout_errno && e)
		stdout_errno = e;
}

/* The cause of f's write error: EPIPE when its reader went away.  An output
 * keeps its own first error; stdout's is errno when the failure is noticed. */
static int write_errno(FILE *f, int e)
{
	int slot = find_output(f);

	if (slot >= 0 && odl_outfile_write_errno(outputs[slot].out))
		return odl_outfile_write_errno(outputs[slot].out);
	if (slot < 0) {
		note_stdout_error(e);
		if (stdout_errno)
			e = stdout_errno;
	}
	if (e == EPIPE || (slot < 0 && reader_gone(fileno(f))))
		return EPIPE;
	return e ? e : EIO;
}

void cli_write_failed(FILE *f)
{
	int e = write_errno(f, errno);
	int slot = find_output(f);

	if (e == EPIPE)
		exit(EXIT_OK); /* the reader went away on purpose */
	if (slot >= 0)
		cli_error("'%s': cannot write: %s", odl_outfile_path(outputs[slot].out), strerror(e));
	else
		cli_error("error writing standard output: %s", strerror(e));
	exit(EXIT_TROUBLE);
}

int cli_output_close(FILE *f)
{
	struct odl_error err;
	int slot = find_output(f);
	odl_outfile *out;

	if (f == stdout || slot < 0)
		return 0;
	out = outputs[slot].out;
	outputs[slot].out = NULL;
	outputs[slot].fp = NULL;
	odl_error_clear(&err);
	int rc = odl_outfile_commit(out, &err);
	outputs[slot].temp[0] = 0;
	if (rc != ODL_OK) {
		if (err.sys_errno == EPIPE)
			exit(EXIT_OK); /* a FIFO's reader went away: as a closed pipe */
		cli_error_odl(NULL, &err);
		return -1;
	}
	return 0;
}

void cli_output_discard(FILE *f)
{
	int slot = find_output(f);

	if (slot < 0)
		return;
	odl_outfile_abort(outputs[slot].out);
	outputs[slot].out = NULL;
	outputs[slot].fp = NULL;
	outputs[slot].temp[0] = 0;
}

int cli_output_end(FILE *f, int status)
{
	if (status == EXIT_TROUBLE) {
		cli_output_discard(f);
		return status;
	}
	return cli_output_close(f) != 0 ? EXIT_TROUBLE : status;
}

void cli_check_stdout(void)
{
	int e = errno;

	if (ferror(stdout) && write_errno(stdout, e) == EPIPE)
		exit(EXIT_OK);
	errno = e;
}

int cli_finish(int status)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = write_errno(stdout, errno);
		if (e == EPIPE)
			return status;
		/* a run that already failed has said why, in one line: a write
		 * to a full stdout (--fix-output -) is not told twice */
		if (status == EXIT_TROUBLE)
			return status;
		cli_error("error writing standard output: %s", strerror(e));
		return EXIT_TROUBLE;
	}
	return status;
}

/* ---- environment ---- */

int cli_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

const char *cli_lang(void)
{
	static const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "fr", 2) == 0 ? "fr" : "en";
	}
	return "en";
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_data_dir(void)
{
	static char dir[PATH_MAX + 32];
	char exe[PATH_MAX], cand[PATH_MAX + 32];
	const char *env = getenv("ODL_DATA_DIR");
	ssize_t n;

	if (dir[0])
		return dir;
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	/* Beside the executable first, so a build tree or a relocated install
	 * uses its own data, then the configured location. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(cand, sizeof(cand), "%s/../share/odl", exe);
			if (is_dir(cand)) {
				snprintf(dir, sizeof(dir), "%s", cand);
				return dir;
			}
			snprintf(cand, sizeof(cand), "%s/../../data", exe);
			if (is_dir(cand)) {
				snprintf(dir, sizeof(dir), "%s", cand);
				return dir;
			}
		}
	}
	snprintf(dir, sizeof(dir), "%s", ODL_DATADIR);
	return dir;
}
