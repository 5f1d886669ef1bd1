/* sniff.c - delimiter detection that respects quotes. */
#include "sniff.h"

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
		unsigned head = counts[k][0];
		if (head == 0)
			continue;
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
