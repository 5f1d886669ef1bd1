/* test_http.c - safe names, the engine on file: URLs (no server needed), the cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odl/cache.h"
#include "odl/http.h"

static void safe_names(void **state)
{
	(void)state;
	static const char *cases[][2] = {
		{ "budget 2024.csv", "budget-2024.csv" },
		{ "../../etc/passwd", "_.._etc_passwd" },
		{ "..", "_" },
		{ ".", "_" },
		{ "", "_" },
		{ ".hidden", "hidden" },
		{ "a/b\\c:d", "a_b_c_d" },
		{ "tab\there\nnewline", "tab_here_newline" },
		{ "Délibérations été.csv", "Délibérations-été.csv" },
		{ "bad\xff\xfeutf8.csv", "bad_utf8.csv" },
		{ "trailing. ", "trailing" },
		{ "a??b", "a_b" },
		{ "-rf .csv", "rf-.csv" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		odl_safe_name(cases[i][0], out, 40);
		assert_string_equal(out, cases[i][1]);
	}
	/* long names are cut on a character boundary and keep their extension */
	char long_in[300];
	memset(long_in, 'x', 200);
	strcpy(long_in + 200, ".csv");
	odl_safe_name(long_in, out, 20);
	assert_string_equal(out, "xxxxxxxxxxxxxxxx.csv");
	odl_safe_name("ééééééééééééé.csv", out, 11);
	assert_string_equal(out, "ééé.csv"); /* 3 x 2 bytes + 4: a 4th would be cut in half */
}

/* Names from URLs: decoded whole, then shortened keeping the extension. */
static void url_names(void **state)
{
	(void)state;
	static const char *cases[][2] = {
		{ "https://h/a/budget%202024.csv?x=1#f", "budget-2024.csv" },
		{ "https://h/a/..%2F..%2Fetc%2Fpasswd", "_.._etc_passwd" },
		{ "https://h/%2Fetc%2Fshadow", "_etc_shadow" },
		{ "https://h/evil%00.csv", "evil_.csv" },
		{ "https://h/%0A%1B%5B31mred.csv", "_[31mred.csv" },
		{ "https://h/..", "_" },
		{ "https://h/%2e%2e", "_" },
		{ "https://h/d%C3%A9lib%C3%A9rations.csv", "délibérations.csv" },
		{ "https://h/bad%FF%FE.csv", "bad_.csv" },
		{ "https://h/trail%", "trail%" },
		{ "https://h/", "" },
		{ "https://h", "" },
		{ "file:///etc/passwd", "passwd" },
	};
	char out[160];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		odl_url_name(cases[i][0], out, 150);
		assert_string_equal(out, cases[i][1]);
	}
	/* "%C3%A9" x 200 + ".csv": 1,204 bytes encoded, 404 decoded, cut to 150
	 * on a character boundary with its extension (was "ééé…é_") */
	char url[1400] = "https://www.data.gouv.fr/fichiers/";
	for (int i = 0; i < 200; i++)
		strcat(url, "%C3%A9");
	strcat(url, ".csv");
	odl_url_name(url, out, 150);
	char want[160] = "";
	for (int i = 0; i < 73; i++)
		strcat(want, "é");
	strcat(want, ".csv");
	assert_string_equal(out, want);
	/* longer than the decoding buffer, and an odd cut: still the extension */
	char longurl[4000] = "https://h/x";
	for (int i = 0; i < 600; i++)
		strcat(longurl, "%C3%A9");
	strcat(longurl, ".csv.gz");
	odl_url_name(longurl, out, 150);
	assert_int_equal(strlen(out), 150); /* "x", 73 x "é", ".gz" */
	assert_string_equal(out + strlen(out) - 3, ".gz");
	assert_int_equal(out[0], 'x');
	/* longer than the decoding buffer and no extension at all */
	strcpy(longurl, "https://h/");
	for (int i = 0; i < 600; i++)
		strcat(longurl, "%C3%A9");
	odl_url_name(longurl, out, 150);
	assert_int_equal(strlen(out), 150);
	assert_int_equal((unsigned char)out[148], 0xc3);
}

/* The remote-URL rule: file:// only when typed by the user, any case. */
static void remote_url_rule(void **state)
{
	(void)state;
	static const char *refused_remote[] = {
		"file:///etc/passwd", "FILE:///etc/passwd", "File://localhost/etc/passwd", "file:/etc/passwd",
		"file:etc/passwd", "ftp://h/x.csv", "FTP://h/x", "gopher://h/", "dict://h/", "scp://h/x",
		"sftp://h/x", "smb://h/x", "ldap://h/", "telnet://h/", "tftp://h/x", "/etc/passwd",
		"../x.csv", " http://h/x", "", "httpx://h/", "http:/h/x",
	};
	for (size_t i = 0; i < sizeof(refused_remote) / sizeof(refused_remote[0]); i++)
		assert_non_null(odl_http_url_refused(refused_remote[i], 0));
	assert_string_equal(odl_http_url_refused("FILE:///etc/shadow", 0),
			    "local file refused: a url read from remote data must be http or https");
	assert_string_equal(odl_http_url_refused("gopher://h/", 0),
			    "unsupported url scheme: a url read from remote data must be http or https");
	assert_null(odl_http_url_refused("http://h/x.csv", 0));
	assert_null(odl_http_url_refused("HTTPS://h/x.csv", 0));
	/* typed by the user */
	assert_null(odl_http_url_refused("file:///tmp/x.csv", 1));
	assert_null(odl_http_url_refused("FILE:///tmp/x.csv", 1));
	assert_string_equal(odl_http_url_refused("ftp://h/x", 1), "unsupported url scheme (http, https or file only)");
	assert_non_null(odl_http_url_refused("file:/tmp/x.csv", 1));
	assert_null(odl_http_url_refused("https://h/", 1));
	/* control characters: never in a URL fetched or printed */
	assert_string_equal(odl_http_url_refused("https://h/\x1b[2J.csv", 1), "url with control characters refused");
	assert_string_equal(odl_http_url_refused("http://h/a\nb", 0), "url with control characters refused");
	assert_non_null(odl_http_url_refused("http://h/\x7f", 0));
}

static void classes_and_schemes(void **state)
{
	(void)state;
	assert_string_equal(odl_http_class_name(ODL_HTTP_DNS), "dns");
	assert_string_equal(odl_http_class_name(ODL_HTTP_4XX), "http-4xx");
	assert_string_equal(odl_http_class_name(ODL_HTTP_5XX), "http-5xx");
	assert_string_equal(odl_http_class_name(ODL_HTTP_TOO_LARGE), "too-large");
	assert_string_equal(odl_http_class_name(ODL_HTTP_CHECKSUM), "checksum");
	assert_string_equal(odl_http_class_name(ODL_HTTP_OFFLINE), "offline");
	assert_true(odl_http_scheme_ok("HTTPS://www.data.gouv.fr/"));
	assert_true(odl_http_scheme_ok("file:///tmp/x"));
	assert_false(odl_http_scheme_ok("ftp://x/"));
	assert_false(odl_http_scheme_ok("gopher://x/"));
	assert_false(odl_http_scheme_ok("/etc/passwd"));
}

struct results {
	struct odl_http_result r[8];
	int n;
};

static int keep(void *ctx, const struct odl_http_result *res)
{
	struct results *rs = ctx;
	assert_true(rs->n < 8);
	rs->r[rs->n] = *res;
	rs->r[rs->n].body = NULL;
	rs->n++;
	return 0;
}

static char dir[] = "/tmp/odl-test-http-XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void file_transfers(void **state)
{
	(void)state;
	char src[256], url[300], good[256], bad[256], big[256], refused[256], part[300], remote[256];
	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/source.csv", dir);
	put(src, "commune;population\nRennes;222485\n");
	snprintf(url, sizeof(url), "file://%s", src);
	snprintf(good, sizeof(good), "%s/good.csv", dir);
	snprintf(bad, sizeof(bad), "%s/bad.csv", dir);
	snprintf(big, sizeof(big), "%s/big.csv", dir);
	snprintf(refused, sizeof(refused), "%s/refused.csv", dir);
	snprintf(remote, sizeof(remote), "%s/remote.csv", dir);

	struct odl_http_options o;
	odl_http_options_init(&o);
	o.max_size = 40;
	o.retries = 0;
	struct odl_error err;
	odl_http *h = odl_http_new(&o, &err);
	assert_non_null(h);
	struct odl_http_request rq[] = {
		{ .url = url, .path = good, .checksum_type = "SHA1", .user = (void *)1, .local_ok = 1 },
		{ .url = url, .path = bad, .checksum_type = "md5",
		  .checksum = "00000000000000000000000000000000", .user = (void *)2, .local_ok = 1 },
		{ .url = "ftp://example.org/x", .path = refused, .user = (void *)3, .local_ok = 1 },
		/* the same file:// URL read from remote data: refused, nothing read */
		{ .url = url, .path = remote, .user = (void *)4 },
	};
	/* the right SHA-1 of the source, computed here rather than trusted */
	odl_hash *hs = odl_hash_new(ODL_HASH_SHA1);
	const char *text = "commune;population\nRennes;222485\n";
	char hex[ODL_HASH_HEX_MAX];
	odl_hash_update(hs, text, strlen(text));
	odl_hash_final_hex(hs, hex);
	odl_hash_free(hs);
	rq[0].checksum = hex;
	for (int i = 0; i < 4; i++)
		assert_int_equal(odl_http_add(h, &rq[i], &err), ODL_OK);
	struct results rs = { 0 };
	assert_int_equal(odl_http_run(h, keep, &rs, &err), ODL_OK);
	assert_int_equal(rs.n, 4);
	for (int i = 0; i < rs.n; i++) {
		const struct odl_http_result *r = &rs.r[i];
		if (r->user == (void *)1) {
			assert_int_equal(r->status, ODL_OK);
			assert_int_equal(r->bytes, strlen(text));
			assert_string_equal(r->sha1, hex);
			assert_string_equal(r->sha256, "94fdcf7ee3b396d9acb34c06e6732051b688d820205dd0bfbf94f8ffc6b975a5");
		} else if (r->user == (void *)2) {
			assert_int_equal(r->status, ODL_ECHECKSUM);
			assert_int_equal(r->klass, ODL_HTTP_CHECKSUM);
		} else if (r->user == (void *)3) {
			assert_int_equal(r->status, ODL_EUNSUPPORTED);
			assert_string_equal(odl_http_class_name(r->klass), "unsupported");
		} else {
			assert_int_equal(r->status, ODL_EUNSUPPORTED);
			assert_string_equal(r->message,
					    "local file refused: a url read from remote data must be http or https");
			assert_int_equal(r->bytes, 0);
		}
	}
	assert_false(exists(remote));
	snprintf(part, sizeof(part), "%s.part", remote);
	assert_false(exists(part));
	/* odl_http_get answers API calls: http and https only */
	struct odl_http_result gr;
	assert_int_equal(odl_http_get(h, url, &gr), ODL_EUNSUPPORTED);
	assert_int_equal(gr.body_len, 0);
	assert_true(exists(good));
	assert_false(exists(bad));
	snprintf(part, sizeof(part), "%s.part", bad);
	assert_false(exists(part));
	assert_false(exists(refused));

	/* over max_size: nothing under the final name, no part */
	char longtext[100];
	memset(longtext, 'a', 99);
	longtext[99] = 0;
	put(src, longtext);
	struct odl_http_request rb = { .url = url, .path = big, .local_ok = 1 };
	assert_int_equal(odl_http_add(h, &rb, &err), ODL_OK);
	rs.n = 0;
	assert_int_equal(odl_http_run(h, keep, &rs, &err), ODL_OK);
	assert_int_equal(rs.r[0].klass, ODL_HTTP_TOO_LARGE);
	assert_false(exists(big));
	snprintf(part, sizeof(part), "%s.part", big);
	assert_false(exists(part));
	odl_http_free(h);
}

/* A part left by an earlier run is resumed: only the rest is read, the
 * digest covers the whole file. */
static void part_resumed(void **state)
{
	(void)state;
	char src[256], url[300], dest[256], part[300];
	snprintf(src, sizeof(src), "%s/whole.txt", dir);
	snprintf(dest, sizeof(dest), "%s/resumed.txt", dir);
	snprintf(part, sizeof(part), "%s.part", dest);
	snprintf(url, sizeof(url), "file://%s", src);
	put(src, "abcdefghijklmnopqrstuvwxyz");
	put(part, "abcdefghij");
	odl_http *h = odl_http_new(NULL, NULL);
	struct odl_http_request rq = { .url = url, .path = dest, .checksum_type = "sha256",
		.checksum = "71c480df93d6ae2f1efad1447c66c9525e316218cf51fc8d9ed832f2daf18b73",
		.local_ok = 1 };
	struct odl_error err;
	assert_int_equal(odl_http_add(h, &rq, &err), ODL_OK);
	struct results rs = { 0 };
	assert_int_equal(odl_http_run(h, keep, &rs, &err), ODL_OK);
	assert_int_equal(rs.r[0].status, ODL_OK);
	assert_int_equal(rs.r[0].resumed_from, 10);
	assert_int_equal(rs.r[0].bytes, 26);
	assert_false(exists(part));
	FILE *f = fopen(dest, "r");
	char buf[64] = { 0 };
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "abcdefghijklmnopqrstuvwxyz");
	odl_http_free(h);
}

static void cache_entries(void **state)
{
	(void)state;
	char cdir[256], path[ODL_CACHE_PATH_MAX], out[300];
	struct odl_error err;
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	odl_cache *c = odl_cache_new(cdir, &err);
	assert_non_null(c);
	const char *url = "https://www.data.gouv.fr/fr/datasets/r/abc";
	struct odl_cache_meta m;
	assert_int_equal(odl_cache_lookup(c, url, &m, path, sizeof(path)), ODL_ENOTFOUND);
	assert_int_equal(odl_cache_path(c, url, path, sizeof(path), &err), ODL_OK);
	put(path, "x;y\n");
	/* a body without metadata is not trusted */
	assert_int_equal(odl_cache_lookup(c, url, &m, path, sizeof(path)), ODL_ENOTFOUND);
	memset(&m, 0, sizeof(m));
	strcpy(m.etag, "\"v1\"");
	strcpy(m.last_modified, "Tue, 14 Nov 2023 22:13:20 GMT");
	assert_int_equal(odl_cache_store_meta(c, url, &m, &err), ODL_OK);
	memset(&m, 0, sizeof(m));
	assert_int_equal(odl_cache_lookup(c, url, &m, path, sizeof(path)), ODL_OK);
	assert_string_equal(m.etag, "\"v1\"");
	assert_int_equal(m.bytes, 4);
	/* placed into a new directory tree, twice (the second is a no-op) */
	snprintf(out, sizeof(out), "%s/out/a/b/file.csv", dir);
	assert_int_equal(odl_file_place(path, out, &err), ODL_OK);
	assert_int_equal(odl_file_place(path, out, &err), ODL_OK);
	assert_true(exists(out));
	/* another URL has another entry */
	assert_int_equal(odl_cache_lookup(c, "https://www.data.gouv.fr/fr/datasets/r/abd", &m, path, sizeof(path)), ODL_ENOTFOUND);
	odl_cache_free(c);
	odl_cache_free(NULL);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_names),
		cmocka_unit_test(url_names),
		cmocka_unit_test(remote_url_rule),
		cmocka_unit_test(classes_and_schemes),
		cmocka_unit_test(file_transfers),
		cmocka_unit_test(part_resumed),
		cmocka_unit_test(cache_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
