/*
 * libgit2 1.5 (Debian's, on mbedtls) parses the whole system CA bundle in
 * git_libgit2_init: 46% of the instructions of a one-record write, for TLS
 * that a local store never uses. The executable defines the parse function
 * itself (exported, so libgit2's call binds here), remembers the chain and
 * the file, and lets tls_load() parse them, through the real function, before
 * the first network operation. Nothing is verified less: until then no TLS
 * connection can be made. Statically linked (CRM_TLS_WRAP), the linker's
 * --wrap sends libgit2's call here and names the real one __real_...; shared,
 * the executable's exported definition comes first and dlsym finds the next.
 */
#include <dlfcn.h>
#include <stddef.h>
#include "tlsdefer.h"

static void *chain;
static char path[4096];
static int deferred;

#ifdef CRM_TLS_WRAP
#define DEFERRED_PARSE __wrap_mbedtls_x509_crt_parse_file
int __real_mbedtls_x509_crt_parse_file(void *crt, const char *file);
#else
#define DEFERRED_PARSE mbedtls_x509_crt_parse_file
#endif
int DEFERRED_PARSE(void *crt, const char *file);

int DEFERRED_PARSE(void *crt, const char *file)
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

#ifdef CRM_TLS_WRAP
/*
 * Linked in, the rest of libgit2's TLS start is put off the same way: it
 * seeds a random generator from HAVEGE entropy and lists cipher suites, and
 * libssh2's start loads OpenSSL's engines and error strings; a command on a
 * local store uses neither. libssh2 starts itself with its first session.
 */
int __real_git_mbedtls_stream_global_init(void);
int __wrap_git_mbedtls_stream_global_init(void);
int __wrap_libssh2_init(int flags);
static int tls_pending;

int __wrap_git_mbedtls_stream_global_init(void)
{
	tls_pending = 1;
	return 0;
}

int __wrap_libssh2_init(int flags)
{
	(void)flags;
	return 0;
}
#endif

int tls_load(void)
{
#ifdef CRM_TLS_WRAP
	if (tls_pending) {
		tls_pending = 0;
		if (__real_git_mbedtls_stream_global_init() < 0)
			return -1;
	}
#endif
	if (!deferred)
		return 0;
	deferred = 0;
#ifdef CRM_TLS_WRAP
	return __real_mbedtls_x509_crt_parse_file(chain, path);
#else
	int (*real)(void *, const char *);
	*(void **)&real = dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file"); /* POSIX's way to a function pointer */
	return real ? real(chain, path) : -1;
#endif
}
