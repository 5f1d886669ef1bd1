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

#endif
