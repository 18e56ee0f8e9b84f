/*
 * Deflate at the fastest level through libdeflate: a bulk write's blobs and
 * trees, as a pack keeps them (zlib streams; git reads any level). zlib's
 * level 1 deflated an import's CSV at 52 MB/s on our machines, libdeflate's at
 * 340 MB/s, and a little smaller.
 */
#ifndef CRM_ZFAST_H
#define CRM_ZFAST_H
#include <stddef.h>

struct zfast; /* one thread's: not to be shared */
struct zfast *zfast_new(void);
void zfast_free(struct zfast *z);
/* A malloc'd zlib stream of data in *out; 0, or -1 when memory ran out. */
int zfast_deflate(struct zfast *z, const void *data, size_t len, unsigned char **out, size_t *outlen);
/* The CRC-32 a pack index keeps of an entry. */
unsigned zfast_crc32(unsigned crc, const void *data, size_t len);

#endif
