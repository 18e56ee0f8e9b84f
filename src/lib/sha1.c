#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include "sha1.h"

/* Out of memory is the only way these fail: nothing to go on with. */
static void must(int ok)
{
	if (!ok) {
		fputs("crm: out of memory (SHA-1)\n", stderr);
		abort();
	}
}

void sha1_init(struct sha1 *c)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	must(x && EVP_DigestInit_ex(x, EVP_sha1(), NULL));
	c->ctx = x;
}

void sha1_add(struct sha1 *c, const void *data, size_t n)
{
	must(EVP_DigestUpdate(c->ctx, data, n));
}

void sha1_sum(const struct sha1 *c, unsigned char out[20])
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	unsigned int n = 0;
	must(x && EVP_MD_CTX_copy_ex(x, c->ctx) && EVP_DigestFinal_ex(x, out, &n) && n == 20);
	EVP_MD_CTX_free(x);
}

void sha1_free(struct sha1 *c)
{
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
}

void sha1_blob_id(git_oid *id, const void *data, size_t len)
{
	char head[40];
	int hl = snprintf(head, sizeof head, "blob %zu", len) + 1; /* the NUL is hashed too */
	struct sha1 c;
	sha1_init(&c);
	sha1_add(&c, head, (size_t)hl);
	sha1_add(&c, data, len);
	sha1_sum(&c, id->id);
	sha1_free(&c);
}
