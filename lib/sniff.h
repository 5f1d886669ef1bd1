/* sniff.h - guess the delimiter from a sample of whole records (private). */
#ifndef ODL_SNIFF_H
#define ODL_SNIFF_H

#include <stddef.h>

/*
 * Among , ; TAB |, pick the delimiter that splits the sample's records
 * (quotes respected, the last possibly incomplete record ignored) into the
 * most consistent number of cells greater than one.  Returns the delimiter
 * and sets *reason to a static explanation; ',' with "single column" when
 * no candidate appears.
 */
char odl_sniff_delimiter(const char *sample, size_t len, int complete, const char **reason);

/*
 * Whether spaces after the delimiter are dropped, decided as Python's
 * csv.Sniffer decides skipinitialspace on the first 100 lines of the
 * sample (its quote patterns on their first 16 KiB only, a bound on their
 * backtracking): from quoted fields preceded by a delimiter when there are some
 * (every such delimiter followed by one space), else from the first
 * non-empty line (every delimiter in it followed by a space).  given: the
 * delimiter was an option (the only candidate); none: no delimiter was
 * found (Python then falls back to its Excel dialect: no).
 */
int odl_sniff_skip_initial_space(const char *sample, size_t len, char delim, int given, int none);

#endif
