#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "progress.h"

/* Looking at the clock every row would cost more than the line is worth. */
#define EVERY 1024
#define REFRESH_MS 250

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L + (b->tv_nsec - a->tv_nsec) / 1000000L;
}

static void grouped(char *out, size_t cap, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%zu", n), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < cap; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = 0;
}

void progress_start(struct progress *p, const char *prog, const char *verb, size_t total)
{
	memset(p, 0, sizeof *p);
	p->on = isatty(2);
	p->prog = prog;
	p->verb = verb;
	p->total = total;
	const char *a = getenv("CRM_PROGRESS_AFTER");
	p->after_ms = a && *a ? atol(a) : 1000;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

void progress_tick(struct progress *p, size_t done)
{
	if (!p->on || ++p->calls % EVERY != 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ms_between(&p->start, &now) < p->after_ms || (p->shown && ms_between(&p->last, &now) < REFRESH_MS))
		return;
	p->last = now;
	char d[32], t[32];
	grouped(d, sizeof d, done);
	grouped(t, sizeof t, p->total > done ? p->total : done);
	fprintf(stderr, "\r%s: %s %s of %s", p->prog, p->verb, d, t);
	fflush(stderr);
	p->shown = 1;
}

void progress_end(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->shown = 0;
}

size_t progress_rows(const char *buf, size_t len)
{
	size_t n = 0;
	for (const char *c = buf, *end = buf + len; (c = memchr(c, '\n', (size_t)(end - c))) != NULL; c++)
		n++;
	if (len && buf[len - 1] != '\n')
		n++;
	return n ? n - 1 : 0;
}
