/*
 * libgit2 1.5 (Debian's, on mbedtls) parses the whole system CA bundle in
 * git_libgit2_init: 46% of the instructions of a one-record write, for TLS
 * that a local store never uses. The executable defines the parse function
 * itself (exported, so libgit2's call binds here), remembers the chain and
 * the file, and lets tls_load() parse them, through the real function, before
 * the first network operation. Nothing is verified less: until then no TLS
 * connection can be made.
 */
#include <dlfcn.h>
#include <stddef.h>
#include "tlsdefer.h"

static void *chain;
static char path[4096];
static int deferred;

int mbedtls_x509_crt_parse_file(void *crt, const char *file);

int mbedtls_x509_crt_parse_file(void *crt, const char *file)
{
	chain = crt;
	deferred = file != NULL;
	if (file) {
		size_t n = 0;
		for (; file[n] && n < sizeof path - 1; n++)
			path[n] = file[n];
		path[n] = 0;
	}
	return 0;
}

int tls_load(void)
{
	if (!deferred)
		return 0;
	deferred = 0;
	int (*real)(void *, const char *);
	*(void **)&real = dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file"); /* POSIX's way to a function pointer */
	return real ? real(chain, path) : -1;
}
