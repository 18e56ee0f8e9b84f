/* A progress line on standard error for long imports: only on a terminal. */
#ifndef CRM_PROGRESS_H
#define CRM_PROGRESS_H
#include <stddef.h>
#include <time.h>

struct progress {
	int on;                 /* stderr is a terminal */
	int shown;              /* a line is on the screen, to clear */
	const char *prog, *verb;
	size_t total;           /* rows expected (0: unknown) */
	size_t calls;
	struct timespec start, last;
	long after_ms;          /* nothing before this much time ($CRM_PROGRESS_AFTER, default 1000) */
};

/* "\rPROG: VERB 412,000 of 1,000,000" from the first second on, a few times a second. */
void progress_start(struct progress *p, const char *prog, const char *verb, size_t total);
void progress_tick(struct progress *p, size_t done);
/* Clears the line, so what follows starts on a clean one. */
void progress_end(struct progress *p);
/* Lines in buf (a row each, but for quoted values spanning lines), less the header. */
size_t progress_rows(const char *buf, size_t len);

#endif
