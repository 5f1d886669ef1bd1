/*
 * check_phone.c - phone-number-value.
 *
 * Validata asks Google's libphonenumber whether the text is a valid French
 * number (region FR, short numbers such as 3949 included) or a valid
 * international number.  libphonenumber is C++ with megabytes of metadata;
 * this is a compact rendering of the same decisions for France and its
 * overseas numbering areas (ARCEP plan), and for other countries a check of
 * the country code and of the E.164 length only.
 */
#include "check_impl.h"

#include <string.h>

#define MAXD 20

/* libphonenumber's punctuation: spaces, dots, dashes, slashes, brackets. */
static int punct(char c)
{
	return c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')' ||
	       c == '[' || c == ']' || c == '\t';
}

/* French national significant number (9 digits, no leading 0). */
static int fr_nsn(const char *d)
{
	switch (d[0]) {
	case '1': case '2': case '3': case '4': case '5': case '9':
		return 1;
	case '6':   /* 6(?:[0-24-8]\d|3[0-8]|9[589]) */
		if (d[1] == '3')
			return d[2] != '9';
		if (d[1] == '9')
			return d[2] == '5' || d[2] == '8' || d[2] == '9';
		return 1;
	case '7':
		return d[1] >= '3';
	case '8':
		return d[1] != '7';
	}
	return 0;
}

/* Short numbers reachable in France: emergency, 10XY, 116XXX, 118XYZ, 3XXX. */
static int fr_short(const char *d, size_t n)
{
	static const char *const fixed[] = {
		"15", "17", "18", "112", "114", "115", "119", "191", "196", "197", NULL
	};

	for (int i = 0; fixed[i]; i++)
		if (strlen(fixed[i]) == n && memcmp(d, fixed[i], n) == 0)
			return 1;
	if (n == 4 && d[0] == '1' && d[1] == '0')
		return 1;
	if (n == 6 && d[0] == '1' && d[1] == '1' && (d[2] == '6' || d[2] == '8'))
		return 1;
	if (n == 4 && d[0] == '3')
		return 1;
	return 0;
}

/* ITU country codes in use (1 to 3 digits). */
static const char *const ccodes[] = {
	"1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44",
	"45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60",
	"61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93",
	"94", "95", "98", "211", "212", "213", "216", "218", "220", "221", "222", "223", "224",
	"225", "226", "227", "228", "229", "230", "231", "232", "233", "234", "235", "236",
	"237", "238", "239", "240", "241", "242", "243", "244", "245", "246", "247", "248",
	"249", "250", "251", "252", "253", "254", "255", "256", "257", "258", "260", "261",
	"262", "263", "264", "265", "266", "267", "268", "269", "290", "291", "297", "298",
	"299", "350", "351", "352", "353", "354", "355", "356", "357", "358", "359", "370",
	"371", "372", "373", "374", "375", "376", "377", "378", "380", "381", "382", "383",
	"385", "386", "387", "389", "420", "421", "423", "500", "501", "502", "503", "504",
	"505", "506", "507", "508", "509", "590", "591", "592", "593", "594", "595", "596",
	"597", "598", "599", "670", "672", "673", "674", "675", "676", "677", "678", "679",
	"680", "681", "682", "683", "685", "686", "687", "688", "689", "690", "691", "692",
	"800", "808", "850", "852", "853", "855", "856", "870", "878", "880", "881", "882",
	"883", "886", "888", "960", "961", "962", "963", "964", "965", "966", "967", "968",
	"970", "971", "972", "973", "974", "975", "976", "977", "979", "992", "993", "994",
	"995", "996", "998", NULL
};

static int international(const char *d, size_t n)
{
	for (int i = 0; ccodes[i]; i++) {
		size_t k = strlen(ccodes[i]);
		const char *nsn = d + k;
		size_t m;

		if (n <= k || memcmp(d, ccodes[i], k) != 0)
			continue;
		m = n - k;
		/* libphonenumber strips a national prefix written after the
		 * country code: +33 (0)1 99 00 27 37. */
		if (m == 10 && nsn[0] == '0' &&
		    (!strcmp(ccodes[i], "33") || !strcmp(ccodes[i], "262") ||
		     !strcmp(ccodes[i], "590") || !strcmp(ccodes[i], "594") ||
		     !strcmp(ccodes[i], "596"))) {
			nsn++;
			m--;
		}
		if (strcmp(ccodes[i], "33") == 0)
			return m == 9 && fr_nsn(nsn);
		/* Overseas departments: 9-digit numbers like metropolitan ones. */
		if (!strcmp(ccodes[i], "262") || !strcmp(ccodes[i], "590") ||
		    !strcmp(ccodes[i], "594") || !strcmp(ccodes[i], "596"))
			return m == 9 && nsn[0] != '0';
		if (!strcmp(ccodes[i], "508") || !strcmp(ccodes[i], "681") ||
		    !strcmp(ccodes[i], "687"))
			return m == 6;
		if (!strcmp(ccodes[i], "689"))
			return m == 8 || m == 6;
		return m >= 4 && n <= 15 && nsn[0] != '0';
	}
	return 0;
}

int odl_phone_valid(const char *s, size_t n)
{
	char d[MAXD];
	size_t k = 0, i = 0;
	int plus = 0;

	while (i < n && punct(s[i]))
		i++;
	if (i < n && s[i] == '+') {
		plus = 1;
		i++;
	}
	for (; i < n; i++) {
		if (punct(s[i]))
			continue;
		if (s[i] < '0' || s[i] > '9' || k == MAXD)
			return 0;
		d[k++] = s[i];
	}
	if (!plus && k > 2 && d[0] == '0' && d[1] == '0')  /* French international prefix */
		return international(d + 2, k - 2);
	if (plus)
		return international(d, k);
	if (k == 10 && d[0] == '0')
		return fr_nsn(d + 1);
	if (k == 9)
		return fr_nsn(d);
	return fr_short(d, k);
}

int check_phone_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		    odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);

	if (!check_filled(cell) || odl_phone_valid(cell->ptr, cell->len))
		return ODL_OK;
	check_say(c, "'%.*s' is not a valid phone number",
		  "La valeur '%.*s' n'est pas un numéro de téléphone valide.",
		  check_clip(cell->ptr, cell->len), cell->ptr);
	check_emit(c, "phone-number-value", c->col, cell, fn, ctx);
	return ODL_OK;
}
