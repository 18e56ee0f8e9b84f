/* Byte strings: a growable buffer, UTF-8 checks, terminal escaping, widths. */
#ifndef CRM_TEXT_H
#define CRM_TEXT_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

void sb_grow(sbuf *b, size_t more);
void sb_add(sbuf *b, const char *s, size_t n);
void sb_adds(sbuf *b, const char *s);
void sb_addc(sbuf *b, char c);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(sbuf *b);
/* The buffer's string (always NUL-terminated, never NULL). */
const char *sb_str(sbuf *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* The n bytes of s into out, cut to cap - 1 and ended, as snprintf would (cap > 0). */
void str_put(char *out, size_t cap, const char *s, size_t n);
/* Threads a job split across cores uses: CRM_THREADS, else the cores online. */
int crm_threads(void);

/* Length of the valid UTF-8 prefix of s; == n when all of it is valid. */
size_t utf8_valid(const char *s, size_t n);
/* Decodes one code point at *p (valid UTF-8 assumed) and advances *p. */
uint32_t utf8_next(const char **p);
void utf8_put(sbuf *b, uint32_t cp);
/* Terminal columns: East Asian wide and fullwidth characters count two. */
int cp_width(uint32_t cp);
size_t text_width(const char *s);
/* Rewrites control characters in place as \n, \t, \xHH (truncating to cap). */
void text_escape_ctl(char *s, size_t cap);
/* Appends s with control characters escaped. */
void sb_add_visible(sbuf *b, const char *s);

#endif
