/*
 * spill - an append-only byte store that stays small in memory.
 *
 * A report with millions of findings is built piece by piece and copied out
 * once at the end.  Its first SPILL_MEM bytes stay in memory; beyond, every
 * byte goes to an unlinked temporary file in $TMPDIR (or /tmp), which the
 * system removes when it is closed, whatever ends the program.  Memory use is
 * then the same for ten findings and for ten million.
 *
 *	struct spill *s = spill_new();
 *	spill_write(s, "[", 1);
 *	...
 *	spill_take(s, items);	(items' bytes follow, without a copy)
 *	spill_write(s, "]", 1);
 *	spill_copy(s, stdout);
 *	spill_free(s);
 *
 * Functions return 0, or -1 with errno set (memory, or a temporary file that
 * cannot be created, written or read back).
 */
#ifndef ODL_CMD_SPILL_H
#define ODL_CMD_SPILL_H

#include <stdint.h>
#include <stdio.h>

#define SPILL_MEM ((size_t)1 << 16)

struct spill;

struct spill *spill_new(void);                  /* NULL when out of memory */
void spill_free(struct spill *s);               /* NULL is a no-op */
int spill_write(struct spill *s, const void *p, size_t n);
int spill_puts(struct spill *s, const char *str);
uint64_t spill_size(const struct spill *s);     /* bytes written so far */
int spill_copy(struct spill *s, FILE *out);     /* every byte, in order; s may grow on after */
void spill_take(struct spill *dst, struct spill *src); /* src's bytes follow dst's; dst owns src */

#endif
