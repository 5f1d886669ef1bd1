/*
 * odl/outfile.h - files written atomically.
 *
 * The content goes to a temporary file created beside the target (same
 * directory, so rename() is atomic); commit flushes, fsyncs and renames it
 * over the target; abort removes it.  An interrupted run therefore never
 * leaves a half-written file under the final name.  The path "-" means
 * stdout: no temporary, commit only flushes.
 *
 *	odl_outfile *out;
 *	if (odl_outfile_open("report.ndjson", &out, &err) == 0) {
 *		fputs("{}\n", odl_outfile_stream(out));
 *		rc = odl_outfile_commit(out, &err);   // frees out
 *	}
 */
#ifndef ODL_OUTFILE_H
#define ODL_OUTFILE_H

#include <stdio.h>
#include "../odl.h"

typedef struct odl_outfile odl_outfile;

ODL_API int odl_outfile_open(const char *path, odl_outfile **out,
			     struct odl_error *err);
ODL_API FILE *odl_outfile_stream(odl_outfile *out);
/* The temporary's path (NULL for stdout); valid until commit or abort. */
ODL_API const char *odl_outfile_temp_path(const odl_outfile *out);
ODL_API const char *odl_outfile_path(const odl_outfile *out);
/* Flush, fsync, rename; frees out whatever happens. */
ODL_API int odl_outfile_commit(odl_outfile *out, struct odl_error *err);
/* Close and remove the temporary; frees out.  NULL is a no-op. */
ODL_API void odl_outfile_abort(odl_outfile *out);

#endif
