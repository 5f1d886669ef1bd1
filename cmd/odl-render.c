/*
 * odl-render - turn what the other odl programs write into something a
 * person reads: aligned text, Markdown, CSV, one self-contained HTML page,
 * or one SVG chart.
 *
 * The report itself (reading the row kinds, joining them, choosing and
 * writing the views) is libodl's (odl/report.h); here are the options, the
 * files and the output.
 */
#include "cli.h"
#include "odl/messages.h"
#include "odl/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_FORMAT = 1, OPT_KIND, OPT_OUTPUT, OPT_FOCUS, OPT_INDICATOR, OPT_YEAR, OPT_TITLE,
       OPT_LANG, OPT_WIDTH, OPT_TOP, OPT_LINK, OPT_COLOR, OPT_MAX_ROWS, OPT_TODAY };

static const struct cli_option options[] = {
	{ OPT_FORMAT, 'f', "format", "FMT", "text, markdown, csv, html or svg (default: text)" },
	{ OPT_KIND, 'k', "kind", "KIND", "read every line as KIND: report, manifest, indicators, comparison, compliance or table (default: recognise each line)" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write to FILE, atomically (default: stdout)" },
	{ OPT_FOCUS, 0, "focus", "CODE", "territory to highlight in comparisons" },
	{ OPT_INDICATOR, 0, "indicator", "ID", "show only this indicator" },
	{ OPT_YEAR, 0, "year", "YEAR", "year of the ranking (default: the latest of each indicator)" },
	{ OPT_TITLE, 't', "title", "TEXT", "title of the document" },
	{ OPT_LANG, 0, "lang", "LANG", "fr or en (default: from the locale)" },
	{ OPT_WIDTH, 0, "width", "COLS", "text: widest cell before it is cut with an ellipsis (default 40)" },
	{ OPT_TOP, 0, "top", "N", "bars in a ranking chart (default 30; the focus is always shown)" },
	{ OPT_LINK, 0, "link", "PATTERN", "compliance: link each territory to PATTERN, {code} replaced (e.g. 'rapports/{code}.html')" },
	{ OPT_TODAY, 0, "today", "DATE", "compliance: the date the grades were counted from (YYYY-MM-DD), stated on the page" },
	{ OPT_COLOR, 0, "color", "WHEN", "text: colours auto (on a terminal, unless NO_COLOR is set), always or never" },
	{ OPT_MAX_ROWS, 0, "max-rows", "N", "rows kept for a generic table (default 1000000; the rest is counted)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct cli_program program = {
	"odl-render", "[OPTION]... [FILE]...",
	"Render odl reports, manifests, indicators and comparisons for people.",
	options,
	"FILE holds NDJSON or CSV; none or '-' reads standard input.\n"
	"Exit status: 0 rendered, 2 usage or read error.\n"
};


static struct config {
	struct odl_report_options opt;
	struct odl_report_output out;
	const char *output;
} cfg;

/* One input, read in chunks into the report; 0, or -1 when it was said why. */
static int read_input(odl_report *r, const char *path)
{
	unsigned char buf[65536];
	struct odl_error err;
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	int rc;
	ssize_t n;

	if (fd < 0) {
		cli_error("'%s': cannot open: %s", path, strerror(errno));
		return -1;
	}
	rc = odl_report_begin(r, path, &err);
	while (rc == ODL_OK && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_error("'%s': read error: %s", path, strerror(errno));
			odl_report_end(r, NULL);
			if (fd > 0)
				close(fd);
			return -1;
		}
		rc = odl_report_feed(r, buf, (size_t)n, &err);
	}
	if (rc == ODL_OK)
		rc = odl_report_end(r, &err);
	if (fd > 0)
		close(fd);
	if (rc == ODL_ENOMEM)
		cli_die("out of memory");
	if (rc != ODL_OK) {
		cli_error_odl(path, &err);
		return -1;
	}
	return 0;
}

static int handle(int id, const char *arg, void *ctx)
{
	(void)ctx;
	switch (id) {
	case OPT_FORMAT:
		if (!strcmp(arg, "text"))
			cfg.out.fmt = ODL_FMT_TEXT;
		else if (!strcmp(arg, "markdown") || !strcmp(arg, "md"))
			cfg.out.fmt = ODL_FMT_MARKDOWN;
		else if (!strcmp(arg, "csv"))
			cfg.out.fmt = ODL_FMT_CSV;
		else if (!strcmp(arg, "html"))
			cfg.out.fmt = ODL_FMT_HTML;
		else if (!strcmp(arg, "svg"))
			cfg.out.fmt = ODL_FMT_SVG;
		else
			cli_usage_error("unknown format '%s' (text, markdown, csv, html or svg)", arg);
		break;
	case OPT_KIND:
		if (!strcmp(arg, "report"))
			cfg.opt.kind = ODL_REPORT_VALIDATION;
		else if (!strcmp(arg, "manifest"))
			cfg.opt.kind = ODL_REPORT_MANIFEST;
		else if (!strcmp(arg, "indicators") || !strcmp(arg, "comparison"))
			cfg.opt.kind = ODL_REPORT_INDICATOR;
		else if (!strcmp(arg, "compliance"))
			cfg.opt.kind = ODL_REPORT_COMPLIANCE;
		else if (!strcmp(arg, "table"))
			cfg.opt.kind = ODL_REPORT_TABLE;
		else
			cli_usage_error("unknown kind '%s' (report, manifest, indicators, comparison, compliance or table)", arg);
		break;
	case OPT_OUTPUT: cfg.output = arg; break;
	case OPT_FOCUS: cfg.opt.focus = arg; break;
	case OPT_INDICATOR: cfg.opt.indicator = arg; break;
	case OPT_YEAR:
		cli_parse_long("--year", arg, 1800, 2200);
		cfg.opt.year = arg;
		break;
	case OPT_TITLE: cfg.out.title = arg; break;
	case OPT_LINK: cfg.opt.link = arg; break;
	case OPT_TODAY:
		if (strlen(arg) != 10 || strspn(arg, "0123456789-") != 10 || arg[4] != '-' || arg[7] != '-')
			cli_usage_error("--today: '%s' is not a date (YYYY-MM-DD)", arg);
		cfg.opt.today = arg;
		break;
	case OPT_LANG:
		if (strcmp(arg, "fr") && strcmp(arg, "en"))
			cli_usage_error("unknown language '%s' (fr or en)", arg);
		cfg.opt.lang = arg;
		break;
	case OPT_WIDTH: cfg.out.width = (size_t)cli_parse_long("--width", arg, 4, 10000); break;
	case OPT_TOP: cfg.opt.top = (size_t)cli_parse_long("--top", arg, 1, 10000); break;
	case OPT_MAX_ROWS: cfg.opt.max_rows = (size_t)cli_parse_long("--max-rows", arg, 0, 100000000); break;
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			cfg.out.color = -1;
		else if (!strcmp(arg, "always"))
			cfg.out.color = 1;
		else if (!strcmp(arg, "never"))
			cfg.out.color = 0;
		else
			cli_usage_error("unknown colour mode '%s' (auto, always or never)", arg);
		break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct odl_error err;
	odl_report *r;
	FILE *out;
	int first, rc;

	odl_report_options_init(&cfg.opt);
	cfg.opt.lang = NULL;
	cfg.out.color = -1;
	cli_init(&program);
	first = cli_parse(&program, argc, argv, handle, NULL);
	if (!cfg.opt.lang)
		cfg.opt.lang = cli_lang();
	/* from a build tree, its own build/locale; else the installed catalogue */
	odl_messages_set_dir_near_exe();
	if (!(r = odl_report_new(&cfg.opt)))
		cli_die("out of memory");
	for (int i = first; i < argc || (i == first && first >= argc); i++)
		if (read_input(r, i < argc ? argv[i] : "-") != 0) {
			odl_report_free(r);
			return cli_finish(EXIT_TROUBLE);
		}
	out = cli_output_open(cfg.output ? cfg.output : "-");
	if (cfg.out.color == -1)
		cfg.out.color = cfg.out.fmt == ODL_FMT_TEXT && out == stdout && cli_use_color(stdout);
	rc = odl_report_write(r, out, &cfg.out, &err);
	odl_report_free(r);
	if (rc == ODL_EIO) {
		errno = err.sys_errno;
		cli_write_failed(out); /* a closed pipe, a full disk */
	}
	if (rc != ODL_OK) {
		cli_error_odl(NULL, &err);
		cli_output_discard(out);
		return cli_finish(EXIT_TROUBLE);
	}
	return cli_finish(cli_output_end(out, EXIT_OK));
}
