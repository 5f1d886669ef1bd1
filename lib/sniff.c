/* sniff.c - delimiter detection that respects quotes. */
#include "sniff.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#define SNIFF_RECORDS 50

static const char candidates[] = { ';', ',', '\t', '|' };
#define NCAND (sizeof(candidates))

char odl_sniff_delimiter(const char *s, size_t len, int complete, const char **reason)
{
	unsigned counts[NCAND][SNIFF_RECORDS];
	unsigned cur[NCAND] = { 0 };
	size_t nrec = 0, i;
	int quoted = 0, nonblank = 0;

	memset(counts, 0, sizeof(counts));
	for (i = 0; i < len && nrec < SNIFF_RECORDS; i++) {
		char c = s[i];
		if (c == '"') {
			quoted = !quoted; /* a doubled quote toggles twice: same state */
			nonblank = 1;
			continue;
		}
		if (quoted)
			continue;
		if (c == '\n' || c == '\r') {
			if (nonblank) {
				for (size_t k = 0; k < NCAND; k++)
					counts[k][nrec] = cur[k];
				nrec++;
			}
			memset(cur, 0, sizeof(cur));
			nonblank = 0;
			continue;
		}
		nonblank = 1;
		for (size_t k = 0; k < NCAND; k++)
			if (c == candidates[k])
				cur[k]++;
	}
	/* the last record counts only when the sample is the whole input */
	if (nonblank && complete && !quoted && nrec < SNIFF_RECORDS) {
		for (size_t k = 0; k < NCAND; k++)
			counts[k][nrec] = cur[k];
		nrec++;
	}
	if (nrec == 0 && nonblank) {
		/* a single record longer than the sample: judge on its start */
		for (size_t k = 0; k < NCAND; k++)
			counts[k][0] = cur[k];
		nrec = 1;
	}

	/*
	 * Score: the header's count must be matched by the records (a real
	 * delimiter splits every record alike); the share of records agreeing
	 * with the header's count weighs most, then the count itself.  The
	 * header alone decides ties with quoted commas in ';' files, since its
	 * quoted commas never count.
	 */
	double best = 0;
	int best_k = -1;
	for (size_t k = 0; k < NCAND; k++) {
		/* the header is the first record that has the delimiter at all:
		 * a title line above it (skipped by the header rule) has none */
		size_t r0 = 0;
		while (r0 < nrec && counts[k][r0] == 0)
			r0++;
		if (r0 == nrec)
			continue;
		unsigned head = counts[k][r0];
		size_t agree = 0;
		for (size_t r = 0; r < nrec; r++)
			agree += counts[k][r] == head;
		double score = (double)agree / (double)nrec * 1000.0 + (head > 100 ? 100 : head);
		if (score > best) {
			best = score;
			best_k = (int)k;
		}
	}
	if (best_k < 0) {
		*reason = "single column";
		return ',';
	}
	*reason = "sniffed";
	return candidates[best_k];
}

/* ---- skipinitialspace, as Python's csv.Sniffer decides it ---- */

#define SNIFF_LINES 100   /* frictionless hands the sniffer 100 text lines */
#define QUOTE_REGEXES 4
/* bounds the backtracking of the lazy patterns on a hostile sample */
#define SNIFF_MATCH_LIMIT 1000000
#define QUOTE_SAMPLE 16384

/*
 * Python's patterns for "quoted text between delimiters", tried in turn
 * until one matches (csv.Sniffer._guess_quote_and_delimiter).
 */
static const char *const quote_regex[QUOTE_REGEXES] = {
	"(?P<delim>[^\\w\n\"'])(?P<space> ?)(?P<quote>[\"']).*?(?P=quote)(?P=delim)",
	"(?:^|\n)(?P<quote>[\"']).*?(?P=quote)(?P<delim>[^\\w\n\"'])(?P<space> ?)",
	"(?P<delim>[^\\w\n\"'])(?P<space> ?)(?P<quote>[\"']).*?(?P=quote)(?:$|\n)",
	"(?:^|\n)(?P<quote>[\"']).*?(?P=quote)(?:$|\n)",
};

static const char *const candidates_text = ";,\t|";

/* Length of the first n text lines (universal newlines), cut back to a
 * whole UTF-8 character. */
static size_t first_lines(const char *s, size_t len, int n)
{
	size_t i = 0;

	for (int lines = 0; i < len && lines < n; i++) {
		if (s[i] == '\n') {
			lines++;
		} else if (s[i] == '\r') {
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			lines++;
		}
	}
	if (i == len) {
		/* the sample may end inside a character */
		size_t k = i;
		while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80 && i - k < 3)
			k--;
		if (k > 0 && (unsigned char)s[k - 1] >= 0xC0) {
			unsigned char lead = (unsigned char)s[k - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (i - (k - 1) < need)
				i = k - 1;
		}
	}
	return i;
}

/* Stage 1: -1 when no pattern gives a delimiter, else 0 or 1. */
static int from_quotes(const char *s, size_t len, const char *delims)
{
	for (int r = 0; r < QUOTE_REGEXES; r++) {
		int errcode;
		PCRE2_SIZE erroff;
		pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
		if (!cc)
			return -1;
		pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)quote_regex[r], PCRE2_ZERO_TERMINATED,
					       PCRE2_UTF | PCRE2_UCP | PCRE2_DOTALL | PCRE2_MULTILINE,
					       &errcode, &erroff, cc);
		pcre2_compile_context_free(cc);
		if (!re)
			return -1;
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		if (!md || !mc) {
			pcre2_match_data_free(md);
			pcre2_match_context_free(mc);
			pcre2_code_free(re);
			return -1;
		}
		pcre2_set_match_limit(mc, SNIFF_MATCH_LIMIT);
		int gd = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "delim");
		int gs = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "space");
		unsigned counts[4] = { 0 };
		int order[4], norder = 0;
		unsigned spaces = 0, matches = 0;
		PCRE2_SIZE at = 0;
		while (at <= len) {
			int m = pcre2_match(re, (PCRE2_SPTR)s, len, at, PCRE2_NO_UTF_CHECK, md, mc);
			if (m < 0)
				break; /* no more, or too costly: judge on what was found */
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			matches++;
			if (gd > 0 && ov[2 * gd] != PCRE2_UNSET && ov[2 * gd + 1] - ov[2 * gd] == 1) {
				char d = s[ov[2 * gd]];
				const char *hit = d ? strchr(delims, d) : NULL;
				if (hit) {
					int k = (int)(hit - delims);
					if (!counts[k])
						order[norder++] = k;
					counts[k]++;
				}
			}
			if (gs > 0 && ov[2 * gs] != PCRE2_UNSET && ov[2 * gs + 1] > ov[2 * gs])
				spaces++;
			at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		pcre2_match_data_free(md);
		pcre2_match_context_free(mc);
		pcre2_code_free(re);
		if (!matches)
			continue;
		if (!norder)
			return -1; /* quoted data but no delimiter: Python goes on to stage 2 */
		/* the most frequent delimiter, the first seen among equals */
		int best = order[0];
		for (int i = 1; i < norder; i++)
			if (counts[order[i]] > counts[best])
				best = order[i];
		return counts[best] == spaces;
	}
	return -1;
}

int odl_sniff_skip_initial_space(const char *sample, size_t len, char delim, int given, int none)
{
	char set[5] = { 0 };

	if (given)
		set[0] = delim;
	else
		memcpy(set, candidates_text, 4);
	len = first_lines(sample, len, SNIFF_LINES);
	/* Python's lazy patterns cost the square of the sample on hostile
	 * text (a quote after every delimiter, none closing): they look at
	 * the first QUOTE_SAMPLE bytes only, which hold the 100 lines of
	 * nearly every real file anyway */
	int r = from_quotes(sample, first_lines(sample, len < QUOTE_SAMPLE ? len : QUOTE_SAMPLE,
						SNIFF_LINES), set);
	if (r >= 0)
		return r;
	if (none && !given)
		return 0;
	/* stage 2: the first non-empty line (split on LF only, as Python does):
	 * every delimiter in it followed by a space */
	size_t i = 0;
	while (i < len && sample[i] == '\n')
		i++;
	unsigned n = 0, spaced = 0;
	for (; i < len && sample[i] != '\n'; i++)
		if (sample[i] == delim) {
			n++;
			spaced += i + 1 < len && sample[i + 1] == ' ';
		}
	return n == spaced;
}
