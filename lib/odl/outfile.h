/*
 * odl/outfile.h - output files (-o): replaced atomically when they are files,
 * written in place when they are not.
 *
 * What the target is decides how it is written:
 *  - a regular file, or none: the content goes to a temporary created beside
 *    it (same directory, so rename() is atomic); commit flushes, fsyncs and
 *    renames it over the target; abort removes it.  An interrupted or failed
 *    run never leaves a half-written file under the final name, and the file
 *    replaced keeps its mode, and its owner and group where the process may
 *    set them (a 0600 report stays 0600).  A new file gets 0666 & ~umask.
 *  - a symlink: followed (up to 40 links, relative ones from the link's
 *    directory) and its target replaced as above, the temporary beside the
 *    target, as `sed -i --follow-symlinks` does; the link stays a link.  A
 *    dangling link creates its target.
 *  - a character or block device, a FIFO, a socket: opened for writing and
 *    written in place, no temporary, no rename (/dev/null stays /dev/null; a
 *    socket cannot be opened and is an error).  What was written before a
 *    failure stays written.
 *  - /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the process's own
 *    descriptor N, written in place (duplicated, never reopened).
 *  - a directory: an error (EISDIR).
 * The path "-" means stdout: no temporary, commit only flushes.
 *
 * A write error is kept by the stream itself: odl_outfile_write_errno() gives
 * the first one (ENOSPC, EPIPE...) even after stdio has dropped its buffer.
 *
 *	odl_outfile *out;
 *	if (odl_outfile_open("report.ndjson", &out, &err) == 0) {
 *		fputs("{}\n", odl_outfile_stream(out));
 *		if (run_ok)
 *			rc = odl_outfile_commit(out, &err);  // frees out
 *		else
 *			odl_outfile_abort(out);              // the old file stays
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
/* The temporary's path (NULL when written in place); valid until commit or abort. */
ODL_API const char *odl_outfile_temp_path(const odl_outfile *out);
ODL_API const char *odl_outfile_path(const odl_outfile *out);
/* 1 when written in place (no temporary): a device, a FIFO, a descriptor. */
ODL_API int odl_outfile_in_place(const odl_outfile *out);
/* The first error writing the stream (an errno value), 0 while none. */
ODL_API int odl_outfile_write_errno(const odl_outfile *out);
/* Flush, fsync, rename (a regular file) or flush and close (in place);
 * frees out whatever happens.  An error has err->sys_errno set. */
ODL_API int odl_outfile_commit(odl_outfile *out, struct odl_error *err);
/* Drop what is still buffered, close and remove the temporary (the target
 * is left as it was); frees out.  NULL is a no-op. */
ODL_API void odl_outfile_abort(odl_outfile *out);

#endif
