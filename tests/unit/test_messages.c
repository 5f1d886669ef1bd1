/* test_messages.c - the message catalogue: every code in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odl/messages.h"
#include "checks.h"

static char localedir[4096];

static const char *const required[] = {
	"blank-label", "duplicate-label", "missing-label", "extra-label", "incorrect-label",
	"blank-header", "blank-row", "extra-cell", "missing-cell", "type-error",
	"constraint-error", "unique-error", "primary-key", "foreign-key", "encoding-error",
	"source-error", "check-error", "missing-required-header", "missing-header-warn",
	"extra-header-warn", "disordered-header-warn", "reversed-french-gps-coordinates",
	"schema-error", "field-error", "pattern-too-costly", "unclosed-quote", NULL
};

static int setup(void **state)
{
	(void)state;
	return odl_messages_set_dir(localedir) == ODL_OK ? 0 : -1;
}

static void complete(const struct odl_message *m, const char *code)
{
	assert_non_null(m);
	assert_string_equal(m->code, code);
	assert_true(strlen(m->title) > 3);
	assert_true(strlen(m->explanation) > 10);
	assert_true(strlen(m->fix) > 10);
	/* Sentences end with a period; titles do not. */
	assert_int_equal(m->explanation[strlen(m->explanation) - 1], '.');
	assert_int_equal(m->fix[strlen(m->fix) - 1], '.');
	assert_true(m->title[strlen(m->title) - 1] != '.');
}

static void both_languages(const char *code)
{
	const struct odl_message *en = odl_message_get(code, "en");
	const struct odl_message *fr = odl_message_get(code, "fr");

	complete(en, code);
	complete(fr, code);
	/* A French text equal to the English one means a missing translation. */
	assert_string_not_equal(en->title, fr->title);
	assert_string_not_equal(en->explanation, fr->explanation);
	assert_string_not_equal(en->fix, fr->fix);
}

static void test_every_code(void **state)
{
	const char *const *codes = odl_message_codes();
	size_t n = 0;

	(void)state;
	for (; codes[n]; n++)
		both_languages(codes[n]);
	assert_int_equal(n, 37);
	for (size_t i = 0; required[i]; i++)
		both_languages(required[i]);
	for (size_t i = 0; odl_check_names[i]; i++)
		both_languages(odl_check_names[i]);
}

static void test_known_texts(void **state)
{
	const struct odl_message *m;

	(void)state;
	m = odl_message_get("type-error", "fr");
	assert_string_equal(m->title, "Format incorrect");
	m = odl_message_get("type-error", "en");
	assert_string_equal(m->title, "Wrong format");
	m = odl_message_get("french-siret-value", "fr");
	assert_string_equal(m->title, "Numéro SIRET invalide");
	assert_string_equal(m->fix, "Recopiez le SIRET depuis l'annuaire officiel "
			    "(annuaire-entreprises.data.gouv.fr), 14 chiffres sans espace.");
	m = odl_message_get("blank-row", "fr_FR.UTF-8");
	assert_string_equal(m->title, "Ligne vide");
	m = odl_message_get("blank-row", "fr-FR");
	assert_string_equal(m->title, "Ligne vide");
	m = odl_message_get("blank-row", "FR");
	assert_string_equal(m->title, "Ligne vide");
	m = odl_message_get("blank-row", NULL);
	assert_string_equal(m->title, "Empty row");
	m = odl_message_get("blank-row", "de");
	assert_string_equal(m->title, "Empty row");
	m = odl_message_get("blank-row", "frisian");
	assert_string_equal(m->title, "Empty row");
	assert_null(odl_message_get("no-such-code", "fr"));
	assert_null(odl_message_get(NULL, "fr"));
	assert_string_equal(odl_message_translate("Empty row", "fr"), "Ligne vide");
	assert_string_equal(odl_message_translate("Empty row", "en"), "Empty row");
	assert_string_equal(odl_message_translate("not in the catalogue", "fr"), "not in the catalogue");
}

/* Notes in French; English and unknown notes stay as they are. */
static void test_notes(void **state)
{
	static const char *const cases[][2] = {
		{ "type is \"date/default\"", "attendu : une date sous la forme AAAA-MM-JJ (2024-03-31)" },
		{ "type is \"date/%d/%m/%Y\"", "attendu : une date (%d/%m/%Y)" },
		{ "type is \"date/any\"", "attendu : une date" },
		{ "type is \"number/default\"",
		  "attendu : un nombre avec un point décimal, sans espace ni unité (1250.50)" },
		{ "type is \"string/email\"", "attendu : une adresse électronique" },
		{ "constraint \"required\" is \"True\"", "une valeur est obligatoire" },
		{ "constraint \"pattern\" is \"^\\d{14}$\"", "doit suivre le motif ^\\d{14}$" },
		{ "constraint \"enum\" is \"['a', 'b']\"", "doit être l'une de ces valeurs : ['a', 'b']" },
		{ "constraint \"maxLength\" is \"10\"", "au plus 10 caractères" },
		{ "constraint \"minimum\" is \"0\"", "au minimum 0" },
		{ "array item constraint \"enum\" is \"[1, 2]\"",
		  "élément de la liste : doit être l'une de ces valeurs : [1, 2]" },
		{ "array item type is \"integer/default\"",
		  "élément de la liste : attendu : un nombre entier, sans espace ni unité (12)" },
		{ "the same as in the row at position 4", "la même valeur qu'à la ligne 4" },
		/* not a note it knows: as it is */
		{ "constraint \"frobnicate\" is \"1\"", "constraint \"frobnicate\" is \"1\"" },
		{ "type is \"nosuchtype/default\"", "type is \"nosuchtype/default\"" },
		{ "type is \"date", "type is \"date" },
		{ "", "" },
	};
	char buf[256], tiny[8];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_string_equal(odl_message_note(cases[i][0], "fr", buf, sizeof(buf)), cases[i][1]);
	assert_string_equal(odl_message_note("type is \"date/default\"", "en", buf, sizeof(buf)),
			    "type is \"date/default\"");
	assert_string_equal(odl_message_note(NULL, "fr", buf, sizeof(buf)), "");
	/* cut to the buffer, never past it */
	assert_string_equal(odl_message_note("constraint \"required\" is \"True\"", "fr_FR.UTF-8", tiny,
					     sizeof(tiny)), "une val");
}

/* French must not depend on the process locale or LANGUAGE. */
static void test_locale_independent(void **state)
{
	(void)state;
	setenv("LANGUAGE", "en", 1);
	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");
	assert_int_equal(odl_messages_set_dir(localedir), ODL_OK);
	assert_string_equal(odl_message_get("blank-row", "fr")->title, "Ligne vide");
	setenv("LANGUAGE", "fr", 1);
	assert_string_equal(odl_message_get("blank-row", "en")->title, "Empty row");
	unsetenv("LANGUAGE");
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_missing_and_bad_catalogues(void **state)
{
	char tmp[] = "/tmp/odl-msg-XXXXXX", dir[256], mo[300], real[4200];
	unsigned char buf[65536];
	size_t n;
	FILE *f;

	(void)state;
	assert_int_equal(odl_messages_set_dir("/nonexistent/odl"), ODL_ENOTFOUND);
	assert_string_equal(odl_message_get("blank-row", "fr")->title, "Empty row");

	assert_non_null(mkdtemp(tmp));
	snprintf(dir, sizeof(dir), "%s/fr", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/fr/LC_MESSAGES", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(mo, sizeof(mo), "%s/odl.mo", dir);

	write_file(mo, "this is not a gettext catalogue at all", 38);
	assert_int_equal(odl_messages_set_dir(tmp), ODL_EFORMAT);
	assert_string_equal(odl_message_get("blank-row", "fr")->title, "Empty row");

	/* The real catalogue cut short at every length: never a crash, and
	 * each text is either French or the English fallback. */
	snprintf(real, sizeof(real), "%s/fr/LC_MESSAGES/odl.mo", localedir);
	f = fopen(real, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 1000 && n < sizeof(buf));
	for (size_t cut = 0; cut < n; cut += 7) {
		const char *t;

		write_file(mo, buf, cut);
		odl_messages_set_dir(tmp);
		t = odl_message_get("blank-row", "fr")->title;
		assert_true(strcmp(t, "Ligne vide") == 0 || strcmp(t, "Empty row") == 0);
	}
	write_file(mo, buf, n);
	assert_int_equal(odl_messages_set_dir(tmp), ODL_OK);
	assert_string_equal(odl_message_get("blank-row", "fr")->title, "Ligne vide");
	unlink(mo);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/fr", tmp);
	rmdir(dir);
	rmdir(tmp);
	assert_int_equal(odl_messages_set_dir(localedir), ODL_OK);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code),
		cmocka_unit_test(test_known_texts),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_locale_independent),
		cmocka_unit_test(test_missing_and_bad_catalogues),
	};
	const char *slash;

	/* The catalogue built beside this test: <build>/tests/../locale. */
	(void)argc;
	slash = strrchr(argv[0], '/');
	snprintf(localedir, sizeof(localedir), "%.*s/../locale",
		 slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
	return cmocka_run_group_tests(tests, setup, NULL);
}
