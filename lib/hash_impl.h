/* hash_impl.h - private to hash.c and its tests. */
#ifndef ODL_HASH_IMPL_H
#define ODL_HASH_IMPL_H

/*
 * Use the CPU's SHA instructions when it has them (on, the default) or the
 * portable code (off); returns 1 when the instructions are in use.
 */
int odl_hash_accel(int on);

#endif
