/* test_render.c - width, escaping, numbers, tables, charts, summaries, streaming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/render.h"

/* Run fn into a memory stream and return what it wrote (malloc'd). */
struct mem {
	char *s;
	size_t n;
	FILE *f;
};

static FILE *mem_open(struct mem *m)
{
	m->s = NULL;
	m->n = 0;
	m->f = open_memstream(&m->s, &m->n);
	assert_non_null(m->f);
	return m->f;
}

static char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->s;
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(odl_render_width("abc", 3), 3);
	assert_int_equal(odl_render_width("Sémaphore", strlen("Sémaphore")), 9);
	/* e + combining acute accent */
	assert_int_equal(odl_render_width("e\xCC\x81t\xC3\xA9", 5), 3);
	/* CJK and an emoji are two columns each */
	assert_int_equal(odl_render_width("\xE6\x9D\xB1\xE4\xBA\xAC", 6), 4);
	assert_int_equal(odl_render_width("\xF0\x9F\x98\x80!", 5), 3);
	/* invalid bytes count one column each */
	assert_int_equal(odl_render_width("\xFF\xFE", 2), 2);
}

static void test_prefix_and_clip(void **state)
{
	size_t cols, n;
	char *c;

	(void)state;
	/* never cuts a wide character in half */
	assert_int_equal(odl_render_prefix("a\xE6\x9D\xB1" "b", 5, 2, &cols), 1);
	assert_int_equal(cols, 1);
	assert_int_equal(odl_render_prefix("ab\xC3\xA9", 4, 3, &cols), 4);
	c = odl_render_clip("Saint-Étienne-du-Rouvray", strlen("Saint-Étienne-du-Rouvray"), 10, &n);
	assert_string_equal(c, "Saint-Éti…");
	assert_int_equal(odl_render_width(c, n), 10);
	free(c);
	c = odl_render_clip("court", 5, 10, &n);
	assert_string_equal(c, "court");
	free(c);
	/* wide characters: the result never passes the limit */
	c = odl_render_clip("\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD", 9, 4, &n);
	assert_string_equal(c, "\xE6\x9D\xB1\xE2\x80\xA6");
	assert_int_equal(odl_render_width(c, n), 3);
	free(c);
}

static void test_term_clean(void **state)
{
	size_t n;
	char *c;

	(void)state;
	c = odl_render_term_clean("a\tb\nc\x1b[31md\x7f\xC2\x9b" "e\xE2\x80\xAE" "f\xFF", 20, &n);
	assert_string_equal(c, "a b c\xEF\xBF\xBD[31md\xEF\xBF\xBD\xEF\xBF\xBD" "e\xEF\xBF\xBD" "f\xEF\xBF\xBD");
	assert_int_equal(n, strlen(c));
	free(c);
}

static void test_html_escape(void **state)
{
	struct mem m;
	char *s;

	(void)state;
	odl_render_html_str(mem_open(&m), "<script>alert(1)</script> & \"l'été\"\x01\xFF");
	s = mem_close(&m);
	assert_string_equal(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;l&#39;été&quot;"
			       "\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
}

static void test_md_escape(void **state)
{
	struct mem m;
	char *s;
	const char *in = "a|b *c* [x](y) <b>\nz";

	(void)state;
	odl_render_md(mem_open(&m), in, strlen(in));
	s = mem_close(&m);
	assert_string_equal(s, "a\\|b \\*c\\* \\[x\\](y) \\<b\\> z");
	free(s);
}

static void test_csv_cell(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+33 5 45", "'+33 5 45" },
		{ "-12.5", "-12.5" },
		{ "-1+2", "'-1+2" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "\rx", "\"'\rx\"" },
		{ "a,b", "\"a,b\"" },
		{ "l'été\n2", "\"l'été\n2\"" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mem m;
		char *s;
		odl_render_csv_cell(mem_open(&m), cases[i].in, strlen(cases[i].in), ',');
		s = mem_close(&m);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void test_number(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(odl_render_number(b, sizeof(b), 1234567.891, -1, "fr"),
			    "1\xE2\x80\xAF" "234\xE2\x80\xAF" "567,89");
	assert_string_equal(odl_render_number(b, sizeof(b), 1234567.891, -1, "en"), "1,234,567.89");
	assert_string_equal(odl_render_number(b, sizeof(b), -1000, -1, "en"), "-1,000");
	assert_string_equal(odl_render_number(b, sizeof(b), 999, -1, "fr"), "999");
	assert_string_equal(odl_render_number(b, sizeof(b), -0.001, -1, "en"), "0.00");
	assert_string_equal(odl_render_number(b, sizeof(b), 0.5, 1, "fr"), "0,5");
	assert_string_equal(odl_render_number(b, sizeof(b), NAN, -1, "fr"), "");
	/* a small buffer is cut, never overrun */
	assert_string_equal(odl_render_number(b, 4, 123456, -1, "en"), "123");
}

static const char *const names[] = { "Angoulême", "東京", "<b>x</b>" };
static const double values[] = { 1234.5, 7, NAN };

static int rows(void *ctx, size_t r, struct odl_render_cell *cells, int *flags)
{
	static char buf[64];
	(void)ctx;
	cells[0].text = names[r];
	cells[1].text = odl_render_number(buf, sizeof(buf), values[r], -1, "en");
	cells[1].num = values[r];
	if (r == 1) {
		*flags = ODL_ROW_FOCUS;
		cells[0].href = "javascript:alert(1)";
	}
	if (r == 0)
		cells[0].href = "reports/16015.html";
	return 0;
}

static const struct odl_render_col cols[] = { { "Commune", ODL_ALIGN_LEFT },
					      { "Montant", ODL_ALIGN_RIGHT } };

static char *table(enum odl_render_format fmt)
{
	struct odl_render_table_opts o;
	struct mem m;

	odl_render_table_opts_init(&o);
	o.sortable = 1;
	assert_int_equal(odl_render_table_write(mem_open(&m), fmt, cols, 2, 3, rows, NULL, &o), 0);
	return mem_close(&m);
}

static void test_table_text(void **state)
{
	char *s = table(ODL_FMT_TEXT);
	(void)state;
	/* 東京 takes 4 columns; the empty last cell keeps its right-aligned padding */
	assert_string_equal(s, "Commune     Montant\n"
			       "---------  --------\n"
			       "Angoulême  1,234.50\n"
			       "東京              7\n"
			       "<b>x</b>           \n");
	free(s);
}

static void test_table_markdown_csv(void **state)
{
	char *s = table(ODL_FMT_MARKDOWN);
	(void)state;
	assert_string_equal(s, "| Commune | Montant |\n| --- | ---: |\n| Angoulême | 1,234.50 |\n"
			       "| **東京** | **7** |\n| \\<b\\>x\\</b\\> |  |\n");
	free(s);
	s = table(ODL_FMT_CSV);
	assert_string_equal(s, "Commune,Montant\nAngoulême,1234.5\n東京,7\n<b>x</b>,\n");
	free(s);
}

static void test_table_html(void **state)
{
	char *s = table(ODL_FMT_HTML);
	(void)state;
	assert_non_null(strstr(s, "<th scope=\"col\"><button type=\"button\">Commune</button></th>"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\"><a href=\"reports/16015.html\">Angoulême</a></th>"
				  "<td class=\"num\" data-v=\"1234.5\">1,234.50</td></tr>"));
	/* a javascript: link is dropped, the text stays */
	assert_non_null(strstr(s, "<tr class=\"focus\"><th scope=\"row\">東京</th>"));
	assert_null(strstr(s, "javascript"));
	assert_non_null(strstr(s, "<th scope=\"row\">&lt;b&gt;x&lt;/b&gt;</th><td class=\"num\"></td>"));
	free(s);
}

/* Every bar's width divided by its value is the same scale. */
static void test_svg_bars_proportional(void **state)
{
	struct odl_render_bar bars[] = { { "Angoulême", 250, 0 }, { "Cognac", 100, 1 },
					 { "Ruelle-sur-Touvre", 50, 0 }, { "<x>", 0, 0 } };
	struct odl_render_chart c = { "Subventions par habitant", "fr", 120, "médiane", 0, 1 };
	struct mem m;
	char *s, *p;
	double widths[4], vals[4];
	int n = 0;

	(void)state;
	assert_int_equal(odl_render_svg_bars(mem_open(&m), &c, bars, 4), 0);
	s = mem_close(&m);
	for (p = strstr(s, "<rect class=\"bar\""); p; p = strstr(p + 1, "<rect class=\"bar\"")) {
		assert_true(n < 4);
		assert_int_equal(sscanf(strstr(p, "width=\""), "width=\"%lf\"", &widths[n]), 1);
		assert_int_equal(sscanf(strstr(p, "data-value=\""), "data-value=\"%lf\"", &vals[n]), 1);
		n++;
	}
	assert_int_equal(n, 4);
	assert_true(fabs(widths[0] / 250 - widths[1] / 100) < 0.01);
	assert_true(fabs(widths[0] / 250 - widths[2] / 50) < 0.01);
	assert_true(fabs(widths[0] - 410.0) < 0.01); /* the largest fills the plot */
	assert_true(widths[3] == 0);
	assert_true(vals[1] == 100);
	assert_non_null(strstr(s, "fill=\"#b3471b\" data-value=\"100\""));
	assert_non_null(strstr(s, "<title>Subventions par habitant</title>"));
	assert_non_null(strstr(s, "&lt;x&gt;"));
	assert_null(strstr(s, "<x>"));
	/* the median line sits at 120/250 of the plot */
	assert_non_null(strstr(s, "<line class=\"ref\" x1=\"406.80\""));
	free(s);
}

static void test_summary(void **state)
{
	odl_render_summary *s = odl_render_summary_new(3, 2);
	const struct odl_render_group *g;

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(odl_render_summary_add(s, "type-error", "montant", (uint64_t)i + 1, 5,
							"12,5 €", "not a number"), 0);
	assert_int_equal(odl_render_summary_add(s, "missing-cell", NULL, 7, 0, NULL, NULL), 0);
	assert_int_equal(odl_render_summary_add(s, "constraint-error", "siret", 3, 2, "123", "x"), 0);
	assert_int_equal(odl_render_summary_add(s, "constraint-error", "siret", 4, 2, "124", "x"), 0);
	assert_int_equal(odl_render_summary_add(s, "constraint-error", "siret", 5, 2, "125", "x"), 0);
	/* past three groups, the rest is "other" */
	assert_int_equal(odl_render_summary_add(s, "unique-error", "id", 9, 1, "1", NULL), 0);
	assert_int_equal(odl_render_summary_add(s, "blank-row", NULL, 10, 0, NULL, NULL), 0);
	odl_render_summary_sort(s);
	assert_int_equal(odl_render_summary_total(s), 1006);
	assert_int_equal(odl_render_summary_ngroups(s), 4);
	g = odl_render_summary_group(s, 0);
	assert_string_equal(g->type, "type-error");
	assert_int_equal(g->count, 1000);
	assert_int_equal(g->nexamples, 2);
	assert_int_equal(g->examples[1].row, 2);
	assert_string_equal(g->examples[0].cell, "12,5 €");
	g = odl_render_summary_group(s, 1);
	assert_string_equal(g->type, "constraint-error");
	assert_int_equal(g->count, 3);
	g = odl_render_summary_group(s, 2);
	assert_string_equal(g->type, "other");
	assert_int_equal(g->count, 2);
	g = odl_render_summary_group(s, 3);
	assert_string_equal(g->type, "missing-cell");
	assert_string_equal(g->field, "");
	assert_null(g->examples[0].cell);
	odl_render_summary_free(s);
	odl_render_summary_free(NULL);
}

static void test_fix_texts(void **state)
{
	(void)state;
	assert_string_equal(odl_render_code_title("type-error", "fr"), "Valeur du mauvais type");
	assert_string_equal(odl_render_code_title("type-error", "en"), "Wrong type");
	assert_string_equal(odl_render_code_title("no-such-code", "fr"), "no-such-code");
	assert_string_equal(odl_render_code_fix("no-such-code", "fr"),
			    "Consultez la documentation du schéma pour cette règle.");
}

struct seen {
	char log[4096];
};

static void logf_(struct seen *s, const char *what, const char *key, json_t *v, uint64_t line)
{
	char *d = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof(s->log) - n, "%s %llu %s=%s;", what, (unsigned long long)line,
		 key ? key : "", d ? d : "");
	free(d);
}

static int on_member(void *ctx, const char *key, json_t *v, uint64_t line)
{
	logf_(ctx, "m", key, v, line);
	return 0;
}

static int on_elem(void *ctx, const char *key, json_t *v, uint64_t line)
{
	logf_(ctx, "e", key, v, line);
	return 0;
}

static int on_end(void *ctx, uint64_t line)
{
	logf_(ctx, "end", NULL, NULL, line);
	return 0;
}

static const char jsonl_input[] =
	"{\"path\":\"a.csv\",\"errors\":[{\"type\":\"x\",\"cell\":\"]\\\",}\"},[1,2], 3 ],"
	"\"n\": 12 ,\"o\":{\"k\":[\"}\"]},\"warnings\":[\"w\"]}\n"
	"\n  {}\r\n{\"errors\":[],\"s\":\"\xC3\xA9\\u00e9\"}";

static const char jsonl_expected[] =
	"m 1 path=\"a.csv\";e 1 errors={\"type\":\"x\",\"cell\":\"]\\\",}\"};e 1 errors=[1,2];"
	"e 1 errors=3;m 1 n=12;m 1 o={\"k\":[\"}\"]};m 1 warnings=[\"w\"];end 1 =;end 3 =;"
	"m 4 s=\"\xC3\xA9\xC3\xA9\";end 4 =;";

static void test_jsonl_chunks(void **state)
{
	static const char *const keys[] = { "errors", NULL };
	struct odl_render_jsonl_fns fns = { on_member, on_elem, on_end };
	size_t len = strlen(jsonl_input);

	(void)state;
	for (size_t chunk = 1; chunk <= len; chunk++) {
		struct seen s = { "" };
		struct odl_error err;
		odl_render_jsonl *j = odl_render_jsonl_new(keys, 0, &fns, &s, "t.ndjson");
		for (size_t i = 0; i < len; i += chunk) {
			size_t n = len - i < chunk ? len - i : chunk;
			assert_int_equal(odl_render_jsonl_feed(j, jsonl_input + i, n, &err), 0);
		}
		assert_int_equal(odl_render_jsonl_finish(j, &err), 0);
		assert_string_equal(s.log, jsonl_expected);
		odl_render_jsonl_free(j);
	}
}

static void expect_jsonl_error(const char *in, size_t max, int code, uint64_t line,
			       const char *field, const char *msg)
{
	static const char *const keys[] = { "errors", NULL };
	struct odl_render_jsonl_fns fns = { on_member, on_elem, on_end };
	struct seen s = { "" };
	struct odl_error err;
	odl_render_jsonl *j = odl_render_jsonl_new(keys, max, &fns, &s, "t.ndjson");
	int rc;

	odl_error_clear(&err);
	rc = odl_render_jsonl_feed(j, in, strlen(in), &err);
	if (rc == 0)
		rc = odl_render_jsonl_finish(j, &err);
	assert_int_equal(rc, code);
	assert_int_equal(err.line, line);
	assert_string_equal(err.field, field);
	assert_string_equal(err.message, msg);
	assert_string_equal(err.file, "t.ndjson");
	odl_render_jsonl_free(j);
}

static void test_jsonl_errors(void **state)
{
	(void)state;
	expect_jsonl_error("[1]\n", 0, ODL_EFORMAT, 1, "", "not a JSON object");
	expect_jsonl_error("{}\n{\"a\":1", 0, ODL_EFORMAT, 2, "a", "invalid JSON: truncated object");
	expect_jsonl_error("{\"a\":\n1}", 0, ODL_EFORMAT, 1, "a",
			   "invalid JSON: object not closed at the end of the line");
	expect_jsonl_error("{\"a\":tru}", 0, ODL_EFORMAT, 1, "a", "invalid JSON: invalid token near 'tru'");
	expect_jsonl_error("{\"a\":1} x", 0, ODL_EFORMAT, 1, "", "data after the JSON object");
	expect_jsonl_error("{\"errors\":[\"0123456789abcdef\"]}", 8, ODL_ELIMIT, 1, "errors",
			   "value longer than 8 bytes");
	expect_jsonl_error("{\"b\":\"0123456789abcdef\"}", 8, ODL_ELIMIT, 1, "b",
			   "value longer than 8 bytes");
}

/* Every prefix, and every single-byte change, ends in OK or a format error. */
static void test_jsonl_damaged(void **state)
{
	static const char *const keys[] = { "errors", NULL };
	struct odl_render_jsonl_fns fns = { on_member, on_elem, on_end };
	static const char damage[] = "{}[]\",: \n\\x0";
	size_t len = strlen(jsonl_input);
	char *buf = malloc(len);

	(void)state;
	assert_non_null(buf);
	for (size_t cut = 0; cut <= len; cut++) {
		for (size_t d = 0; d <= strlen(damage); d++) {
			struct seen s = { "" };
			struct odl_error err;
			odl_render_jsonl *j = odl_render_jsonl_new(keys, 64, &fns, &s, "t");
			int rc;
			memcpy(buf, jsonl_input, len);
			if (d < strlen(damage) && cut < len)
				buf[cut] = damage[d];
			rc = odl_render_jsonl_feed(j, buf, d < strlen(damage) ? len : cut, &err);
			if (rc == 0)
				rc = odl_render_jsonl_finish(j, &err);
			assert_true(rc == ODL_OK || rc == ODL_EFORMAT || rc == ODL_ELIMIT);
			odl_render_jsonl_free(j);
		}
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_prefix_and_clip),
		cmocka_unit_test(test_term_clean),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_md_escape),
		cmocka_unit_test(test_csv_cell),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_table_text),
		cmocka_unit_test(test_table_markdown_csv),
		cmocka_unit_test(test_table_html),
		cmocka_unit_test(test_svg_bars_proportional),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_fix_texts),
		cmocka_unit_test(test_jsonl_chunks),
		cmocka_unit_test(test_jsonl_errors),
		cmocka_unit_test(test_jsonl_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
