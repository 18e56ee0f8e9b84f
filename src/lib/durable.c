#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "durable.h"
#include "text.h"

/*
 * Above this many paths one syncfs is cheaper than the threads and opens
 * (an import writes thousands of files; a one-record write 10 to 20).
 */
#define MANY_PATHS 64
/* Threads at once: enough that the fsyncs meet in one journal commit. */
#define THREADS 8

void durable_add(struct durable *d, const char *path)
{
	if (d->all)
		return;
	for (size_t i = d->n; i-- > 0;)
		if (!strcmp(d->paths[i], path))
			return;
	if (d->n >= MANY_PATHS) {
		d->all = 1;
		return;
	}
	d->paths = xrealloc(d->paths, (d->n + 1) * sizeof *d->paths);
	d->paths[d->n++] = xstrdup(path);
}

void durable_add_dirs(struct durable *d, const char *path, const char *stop)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = 0;
	durable_add(d, dir);
	size_t floor = stop ? strlen(stop) : strlen(dir);
	while ((slash = strrchr(dir, '/')) != NULL && (size_t)(slash - dir) >= floor) {
		*slash = 0;
		durable_add(d, dir);
	}
}

struct job {
	struct durable *d;
	pthread_mutex_t mu;
	size_t next;
	int err;
	const char *failed;
};

static void *syncer(void *arg)
{
	struct job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->d->n)
			return NULL;
		const char *p = j->d->paths[i];
		int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		int err = fd < 0 ? (errno == ENOENT ? 0 : errno) : fsync(fd) ? errno : 0;
		if (fd >= 0 && close(fd) && !err)
			err = errno;
		if (err) {
			pthread_mutex_lock(&j->mu);
			if (!j->err) {
				j->err = err;
				j->failed = p;
			}
			pthread_mutex_unlock(&j->mu);
		}
	}
}

int durable_sync(struct durable *d, const char *fs, const char **failed)
{
	*failed = fs;
	if (d->all) {
		int fd = open(fs, O_RDONLY | O_CLOEXEC);
		int rc = fd < 0 || syncfs(fd) ? -1 : 0;
		int err = errno;
		if (fd >= 0)
			close(fd);
		errno = err;
		return rc;
	}
	struct job j = {.d = d, .mu = PTHREAD_MUTEX_INITIALIZER};
	pthread_t th[THREADS];
	size_t started = 0;
	while (started + 1 < THREADS && started + 1 < d->n &&
	       pthread_create(&th[started], NULL, syncer, &j) == 0)
		started++;
	syncer(&j); /* this thread works too; with no thread made, it does all */
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&j.mu);
	if (j.err) {
		*failed = j.failed;
		errno = j.err;
		return -1;
	}
	return 0;
}

void durable_free(struct durable *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->paths[i]);
	free(d->paths);
	memset(d, 0, sizeof *d);
}
