/*
 * scan.c - which byte search the readers use: vector unless told otherwise.
 *
 * The environment is read at each reader's creation (not cached in a
 * static, which two threads would race on) so that a test can run the same
 * fixtures through the vector and the byte-by-byte paths.
 */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

int odl_scan_vector(void)
{
	const char *v = getenv("ODL_SCAN");
	return !(v && strcmp(v, "scalar") == 0);
}
