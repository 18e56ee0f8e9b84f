#include <stdlib.h>
#include <libdeflate.h>
#include "zfast.h"

struct zfast *zfast_new(void)
{
	return (struct zfast *)libdeflate_alloc_compressor(1);
}

void zfast_free(struct zfast *z)
{
	libdeflate_free_compressor((struct libdeflate_compressor *)z);
}

int zfast_deflate(struct zfast *z, const void *data, size_t len, unsigned char **out, size_t *outlen)
{
	struct libdeflate_compressor *c = (struct libdeflate_compressor *)z;
	if (!c)
		return -1;
	size_t cap = libdeflate_zlib_compress_bound(c, len);
	unsigned char *buf = malloc(cap);
	size_t n = buf ? libdeflate_zlib_compress(c, data, len, buf, cap) : 0;
	if (!n) {
		free(buf);
		return -1;
	}
	/* The bound is for data that does not compress; CSV takes a quarter of it. */
	unsigned char *fit = realloc(buf, n);
	*out = fit ? fit : buf;
	*outlen = n;
	return 0;
}

unsigned zfast_crc32(unsigned crc, const void *data, size_t len)
{
	return (unsigned)libdeflate_crc32(crc, data, len);
}
