/*
 * messages.c - titles, explanations and fixes for every finding code.
 *
 * The French texts are looked up in odl.mo, which this file reads itself
 * instead of calling dgettext(): gettext only translates when the process
 * locale is not "C" and reads LANGUAGE/LC_MESSAGES, which a library must
 * not change (setlocale is process-wide and not thread-safe), while the
 * language here is an argument.  The .mo format is small and stable
 * (GNU gettext manual, "The Format of GNU MO Files").
 */
#include "odl/messages.h"
#include "messages_private.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Marks texts for xgettext -kN_. */
#define N_(s) s

#define MO_MAX (4u << 20)

static const struct odl_message english[] = {
	{"blank-label",
	 N_("Empty column name"),
	 N_("A column of the header row has no name."),
	 N_("Type the column name expected by the schema in the first row, or delete the column if it is empty.")},
	{"duplicate-label",
	 N_("Duplicate column name"),
	 N_("Two columns of the header row have the same name, so the file cannot tell which one holds the data."),
	 N_("Keep only one column with this name: rename or delete the other one.")},
	{"missing-label",
	 N_("Missing column"),
	 N_("A column that the schema expects is not in the file."),
	 N_("Add the column with exactly the name given by the schema, even if some of its cells stay empty.")},
	{"extra-label",
	 N_("Extra column"),
	 N_("The file has a column that the schema does not describe."),
	 N_("Delete the column, or check that its name is spelled exactly as in the schema.")},
	{"incorrect-label",
	 N_("Wrong column name"),
	 N_("The name of a column differs from the name the schema expects at this place."),
	 N_("Rename the column exactly as in the schema (capitals, accents and underscores count).")},
	{"blank-header",
	 N_("Empty header row"),
	 N_("The first row, which should hold the column names, is empty."),
	 N_("Put the column names of the schema in the first row of the file.")},
	{"blank-row",
	 N_("Empty row"),
	 N_("A row of the file has no value in any column."),
	 N_("Delete the empty row.")},
	{"extra-cell",
	 N_("Extra value"),
	 N_("A row has more cells than the header has columns, often because of a separator inside a value."),
	 N_("Remove the extra cells, or put the value that contains the separator between double quotes.")},
	{"missing-cell",
	 N_("Missing value"),
	 N_("A row has fewer cells than the header has columns."),
	 N_("Complete the row so that it has one cell per column (a cell may stay empty if the column is optional).")},
	{"type-error",
	 N_("Wrong format"),
	 N_("The value does not have the form the schema expects for this column (a date, a number, an integer, yes/no...)."),
	 N_("Write the value in the expected form, for example a date as 2024-03-31 and a decimal number with a dot: 1250.50.")},
	{"constraint-error",
	 N_("Value not allowed"),
	 N_("The value breaks a rule of the schema for this column: it is required, must follow a pattern, be one of a list of values, or stay within a length or a range."),
	 N_("Read the description of the column in the schema and correct the value; a required cell must not stay empty.")},
	{"unique-error",
	 N_("Duplicate value"),
	 N_("The schema requires each value of this column to appear only once, and this one appears several times."),
	 N_("Correct or remove the duplicate rows so that each value appears once.")},
	{"primary-key",
	 N_("Duplicate identifier"),
	 N_("The columns that identify a row (the primary key) hold the same values as in another row, or are empty."),
	 N_("Give each row its own identifier and fill the identifier columns.")},
	{"foreign-key",
	 N_("Reference not found"),
	 N_("The value refers to another row or table, but no matching value exists there."),
	 N_("Correct the value so that it matches an existing entry, or add the missing entry.")},
	{"encoding-error",
	 N_("Character encoding problem"),
	 N_("Some characters of the file cannot be read in its character encoding, so accented letters may be garbled."),
	 N_("Save the file again as UTF-8 (in a spreadsheet: \"CSV UTF-8\").")},
	{"source-error",
	 N_("File cannot be read"),
	 N_("The file could not be opened or read as a table (missing, empty, damaged or not a CSV file)."),
	 N_("Check the path or the address of the file and that it is a CSV file with a header row.")},
	{"check-error",
	 N_("Check not applied"),
	 N_("A check of the schema could not run on this file, usually because one of the columns it needs is missing."),
	 N_("Add the missing column named in the message; the check will then run.")},
	{"schema-error",
	 N_("Schema not valid"),
	 N_("The schema itself breaks the rules of Table Schema, so the reference validator reads no data with it and the file cannot be declared valid."),
	 N_("Correct the schema as the message says (its authors can check it with odl-validate --check-schema), or validate the file against another version of the schema.")},
	{"field-error",
	 N_("Column description not valid"),
	 N_("The schema describes a column in a way the reference validator rejects, often an example value that the column's own type cannot read; it reads no data with such a schema and the file cannot be declared valid."),
	 N_("Correct the column's description in the schema (its authors can check it with odl-validate --check-schema), or validate the file against another version of the schema.")},
	{"missing-required-header",
	 N_("Required column missing"),
	 N_("A column that the schema marks as required is not in the file."),
	 N_("Add the column with exactly the name given by the schema and fill it.")},
	{"missing-header-warn",
	 N_("Optional column missing"),
	 N_("An optional column of the schema is not in the file. This is allowed, but the data is less complete."),
	 N_("Add the missing column, even empty, to follow the schema fully.")},
	{"extra-header-warn",
	 N_("Column not in the schema"),
	 N_("The file has a column that the schema does not define. It is ignored by the checks."),
	 N_("Delete the column, or check that its name is spelled exactly as in the schema.")},
	{"unclosed-quote",
	 N_("Quote never closed"),
	 N_("A cell opens with a quote that no later quote closes, so everything from there to the end of the file is read as that one cell, as the reference validator reads it: the rows after it are not checked."),
	 N_("Close the quote at the end of the cell, or double every quote that is part of the text (\"\").")},
	{"disordered-header-warn",
	 N_("Columns in another order"),
	 N_("The file has all the columns of the schema, but not in the order of the schema."),
	 N_("Put the columns in the order of the schema; some tools read columns by position.")},
	{"french-siret-value",
	 N_("Invalid SIRET number"),
	 N_("The value is not a valid SIRET number: a SIRET has 14 digits and its last digit is a check key computed from the others."),
	 N_("Copy the SIRET again from the official directory (annuaire-entreprises.data.gouv.fr), 14 digits without spaces.")},
	{"french-siren-value",
	 N_("Invalid SIREN number"),
	 N_("The value is not a valid SIREN number: a SIREN has 9 digits and its last digit is a check key computed from the others."),
	 N_("Copy the SIREN again from the official directory (annuaire-entreprises.data.gouv.fr), 9 digits without spaces.")},
	{"year-interval-value",
	 N_("Year or year interval"),
	 N_("The value must be a year such as 2024 or an interval of two different years such as 2023/2024, the second later than the first."),
	 N_("Write the year with 4 digits, or two years separated by a slash without spaces, the earlier first.")},
	{"compare-columns-value",
	 N_("Inconsistent values between two columns"),
	 N_("The value of this column must compare in a given way with the value of another column of the same row (for example a date not earlier than another)."),
	 N_("Check both values of the row and correct the one that is wrong.")},
	{"sum-columns-value",
	 N_("Total does not match"),
	 N_("The value of this column must equal the sum of other columns of the same row."),
	 N_("Correct the total or the values that make it up.")},
	{"cohesive-columns-value",
	 N_("Columns that go together"),
	 N_("Some columns go together: in each row they must either all have a value or all be empty."),
	 N_("Fill in the empty cells of the group, or empty them all.")},
	{"one-of-required",
	 N_("One of two columns required"),
	 N_("At least one of two columns must have a value in each row."),
	 N_("Fill in at least one of the two columns named in the message.")},
	{"nomenclature-actes-value",
	 N_("Actes nomenclature"),
	 N_("The value must start with one of the nine subjects of the Actes nomenclature (such as Finances locales), followed by a slash and the detail."),
	 N_("Write the subject exactly as in the nomenclature, then a slash without spaces around it, for example: Finances locales/Subventions.")},
	{"french-gps-coordinates",
	 N_("GPS coordinates outside France"),
	 N_("The point does not lie in metropolitan France, Corsica or an overseas département."),
	 N_("Check the coordinates: longitude and latitude in decimal degrees with a dot (for example 2.3522, 48.8566 for Paris).")},
	{"reversed-french-gps-coordinates",
	 N_("GPS coordinates reversed"),
	 N_("The longitude and the latitude seem to be swapped: swapped back, the point lies in France."),
	 N_("Swap the two values: longitude first, then latitude.")},
	{"phone-number-value",
	 N_("Invalid phone number"),
	 N_("The value is not a valid French phone number, nor an international number starting with + and the country code."),
	 N_("Write a French number with its 10 digits (for example 01 99 00 27 37) or an international number such as +33 1 99 00 27 37.")},
	{"pattern-too-costly",
	 N_("Pattern too costly to evaluate"),
	 N_("The pattern of the schema for this column needs too much work to be checked on this value (its repeated parts can combine in too many ways), so the value was neither accepted nor refused. After a few such values the pattern is no longer checked in the file."),
	 N_("Check the value by hand; the schema's author can write the pattern without nested repetitions such as (a+)+.")},
	{"opening-hours-value",
	 N_("Invalid opening hours"),
	 N_("The value does not follow the OpenStreetMap opening hours format."),
	 N_("Write the hours as in OpenStreetMap, for example: Mo-Fr 08:00-12:00,13:30-17:00; Sa 09:00-12:00.")},
};
#define NMSG (sizeof(english) / sizeof(english[0]))

static struct {
	pthread_mutex_t lock;
	int tried;                 /* a load was attempted */
	char *mo;                  /* the file, or NULL */
	size_t size;
	int swap;                  /* file written with the other byte order */
	uint32_t n, orig, trans;
	struct odl_message fr[NMSG];
	char dir[4096];
} cat = {PTHREAD_MUTEX_INITIALIZER, 0, NULL, 0, 0, 0, 0, 0, {{0}}, ODL_LOCALEDIR};

static const char *codes[NMSG + 1];

static uint32_t u32(size_t off)
{
	const unsigned char *p = (const unsigned char *)cat.mo + off;

	if (cat.swap)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* String i of the table at off, or NULL when it does not fit the file. */
static const char *mo_string(uint32_t table, uint32_t i)
{
	size_t e = (size_t)table + (size_t)i * 8;
	uint32_t len, off;

	if (e + 8 > cat.size)
		return NULL;
	len = u32(e);
	off = u32(e + 4);
	if ((size_t)off + len >= cat.size || cat.mo[(size_t)off + len] != 0)
		return NULL;
	return cat.mo + off;
}

/* msgfmt writes the originals sorted by strcmp: binary search. */
static const char *mo_lookup(const char *msgid)
{
	uint32_t lo = 0, hi = cat.n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *s = mo_string(cat.orig, mid);
		int c;

		if (!s)
			return NULL;
		c = strcmp(msgid, s);
		if (c == 0) {
			s = mo_string(cat.trans, mid);
			return s && *s ? s : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *tr(const char *en)
{
	const char *s = cat.mo ? mo_lookup(en) : NULL;

	return s ? s : en;
}

static int load(void)
{
	char path[4200];
	struct stat st;
	FILE *f;
	int rc = ODL_OK;

	free(cat.mo);
	cat.mo = NULL;
	cat.tried = 1;
	snprintf(path, sizeof(path), "%s/fr/LC_MESSAGES/odl.mo", cat.dir);
	f = fopen(path, "rb");
	if (!f) {
		rc = ODL_ENOTFOUND;
		goto out;
	}
	if (fstat(fileno(f), &st) != 0 || st.st_size < 28 || st.st_size > (off_t)MO_MAX) {
		fclose(f);
		rc = ODL_EFORMAT;
		goto out;
	}
	cat.size = (size_t)st.st_size;
	cat.mo = malloc(cat.size);
	if (!cat.mo) {
		fclose(f);
		rc = ODL_ENOMEM;
		goto out;
	}
	if (fread(cat.mo, 1, cat.size, f) != cat.size) {
		fclose(f);
		rc = ODL_EIO;
		goto out;
	}
	fclose(f);
	cat.swap = 0;
	if (u32(0) != 0x950412deu) {
		cat.swap = 1;
		if (u32(0) != 0x950412deu) {
			rc = ODL_EFORMAT;
			goto out;
		}
	}
	cat.n = u32(8);
	cat.orig = u32(12);
	cat.trans = u32(16);
	if (u32(4) >> 16 != 0 || cat.n > cat.size / 16 ||
	    (size_t)cat.orig + (size_t)cat.n * 8 > cat.size ||
	    (size_t)cat.trans + (size_t)cat.n * 8 > cat.size)
		rc = ODL_EFORMAT;
out:
	if (rc != ODL_OK) {
		free(cat.mo);
		cat.mo = NULL;
	}
	for (size_t i = 0; i < NMSG; i++) {
		cat.fr[i].code = english[i].code;
		cat.fr[i].title = tr(english[i].title);
		cat.fr[i].explanation = tr(english[i].explanation);
		cat.fr[i].fix = tr(english[i].fix);
	}
	return rc;
}

int odl_messages_set_dir(const char *localedir)
{
	int rc;

	if (!localedir || strlen(localedir) >= sizeof(cat.dir))
		return ODL_EINVAL;
	pthread_mutex_lock(&cat.lock);
	strcpy(cat.dir, localedir);
	rc = load();
	pthread_mutex_unlock(&cat.lock);
	return rc;
}

int odl_messages_set_dir_near_exe(void)
{
	char exe[PATH_MAX], dir[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	struct stat st;

	if (n <= 0)
		return ODL_ENOTFOUND;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return ODL_ENOTFOUND;
	*slash = 0;
	snprintf(dir, sizeof(dir), "%s/../locale", exe);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return ODL_ENOTFOUND;
	return odl_messages_set_dir(dir);
}

int odl_lang_is_french(const char *lang)
{
	return lang && (lang[0] == 'f' || lang[0] == 'F') && (lang[1] == 'r' || lang[1] == 'R') &&
	       (lang[2] == 0 || lang[2] == '_' || lang[2] == '-' || lang[2] == '.' || lang[2] == '@');
}

static void ensure_loaded(void)
{
	pthread_mutex_lock(&cat.lock);
	if (!cat.tried)
		load();
	pthread_mutex_unlock(&cat.lock);
}

const struct odl_message *odl_message_get(const char *code, const char *lang)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < NMSG; i++) {
		if (strcmp(code, english[i].code) != 0)
			continue;
		if (!odl_lang_is_french(lang))
			return &english[i];
		ensure_loaded();
		return &cat.fr[i];
	}
	return NULL;
}

const char *odl_message_translate(const char *en, const char *lang)
{
	const char *s;

	if (!en || !odl_lang_is_french(lang))
		return en;
	ensure_loaded();
	pthread_mutex_lock(&cat.lock);
	s = tr(en);
	pthread_mutex_unlock(&cat.lock);
	return s;
}

static pthread_once_t codes_once = PTHREAD_ONCE_INIT;

static void fill_codes(void)
{
	for (size_t i = 0; i < NMSG; i++)
		codes[i] = english[i].code;
	codes[NMSG] = NULL;
}

const char *const *odl_message_codes(void)
{
	pthread_once(&codes_once, fill_codes);
	return codes;
}
