#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "durable.h"
#include "gittree.h"
#include "packw.h"
#include "blobq.h"
#include "store.h"
#include "conflict.h"

static void gitpath(struct store *s, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", git_repository_path(s->repo), name);
}

static void full(struct store *s, const char *rel, const char *suffix, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s%s", s->root, rel, suffix);
}

static int lock_wait(int fd, int how, int seconds)
{
	struct timespec nap = {0, 10 * 1000 * 1000};
	for (long waited = 0; ; waited += 10) {
		if (flock(fd, how | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited >= seconds * 1000L)
			return -1;
		nanosleep(&nap, NULL);
	}
}

static int lock_timeout(void)
{
	const char *t = getenv("CRM_LOCK_TIMEOUT");
	return t && *t ? atoi(t) : 10;
}

static const char *path_check(const char *p);

/*
 * The journal is written in place, not renamed into place, so that one wait
 * makes it and its name durable; "end" closes it. One cut short was never
 * synced, so no file had moved yet: there is nothing to undo. A journal of an
 * older crm (renamed into place, whole) begins with its parent line.
 */
#define JOURNAL_HEAD "crm-journal 2\n"

static int journal_whole(FILE *j)
{
	char line[4200], last[8] = "";
	if (!fgets(line, sizeof line, j))
		return 0;
	if (strncmp(line, "parent ", 7) == 0)
		return 1;
	if (strcmp(line, JOURNAL_HEAD) != 0)
		return 0;
	while (fgets(line, sizeof line, j))
		snprintf(last, sizeof last, "%s", line);
	return strcmp(last, "end\n") == 0;
}

/* The lock files git takes to commit: the index's, HEAD's, its branch's. */
static int git_lock_names(struct store *s, char names[3][1024])
{
	int n = 0;
	snprintf(names[n++], 1024, "index.lock");
	snprintf(names[n++], 1024, "HEAD.lock");
	git_reference *head = NULL;
	if (git_reference_lookup(&head, s->repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *target = git_reference_symbolic_target(head);
		if (strncmp(target, "refs/", 5) == 0 && !strstr(target, ".."))
			snprintf(names[n++], 1024, "%s.lock", target);
	}
	git_reference_free(head);
	return n;
}

/*
 * A write killed while libgit2 held one of them leaves it behind, and every
 * later commit would fail on it: those made after the dead write's journal
 * are its own (git's are older, or are refused by index_free as busy).
 */
static void drop_dead_git_locks(struct store *s, const struct stat *journal)
{
	char names[3][1024];
	int n = git_lock_names(s, names);
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		gitpath(s, names[i], path, sizeof path);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mtim.tv_sec > journal->st_mtim.tv_sec ||
		     (st.st_mtim.tv_sec == journal->st_mtim.tv_sec && st.st_mtim.tv_nsec >= journal->st_mtim.tv_nsec)))
			unlink(path);
	}
}

/*
 * Puts a write that a crash cut short back to the old commit, or finishes it.
 * The journal stays until every step worked, so a failed recovery is retried.
 */
static int recover(struct store *s, crm_err *e)
{
	char jpath[4096];
	gitpath(s, "crm-journal", jpath, sizeof jpath);
	FILE *j = fopen(jpath, "r");
	if (!j)
		return 0;
	struct stat jst;
	if (fstat(fileno(j), &jst) == 0)
		drop_dead_git_locks(s, &jst);
	if (!journal_whole(j)) {
		fclose(j);
		return unlink(jpath) ? crm_fail_sys(e, CRM_ECANTCREAT, "cannot remove", ".git/crm-journal") : 0;
	}
	rewind(j);
	char line[4200], parent[64] = "";
	git_oid head;
	int landed = 0, bad = 0;
	if (fgets(line, sizeof line, j) && strcmp(line, JOURNAL_HEAD) == 0 && !fgets(line, sizeof line, j))
		*line = 0;
	if (sscanf(line, "parent %63s", parent) == 1) {
		char cur[GIT_OID_HEXSZ + 1] = "none";
		if (git_reference_name_to_id(&head, s->repo, "HEAD") == 0)
			git_oid_tostr(cur, sizeof cur, &head);
		landed = strcmp(cur, parent) != 0;
	}
	git_index *idx = NULL;
	if (git_repository_index(&idx, s->repo) || git_index_read(idx, 1)) {
		fclose(j);
		git_index_free(idx);
		return crm_fail_git(e, "cannot read the index");
	}
	while (fgets(line, sizeof line, j)) {
		line[strcspn(line, "\n")] = 0;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		if (path_check(line))
			continue;
		int existed = atoi(tab + 1);
		char f[4200], fold[4200], fnew[4200];
		full(s, line, "", f, sizeof f);
		full(s, line, ".crm-old", fold, sizeof fold);
		full(s, line, ".crm-new", fnew, sizeof fnew);
		if (landed) {
			if (access(f, F_OK) ? git_index_remove_bypath(idx, line) : git_index_add_bypath(idx, line))
				bad = bad ? bad : crm_fail_git(e, line);
		} else if (existed && access(fold, F_OK) == 0) {
			/* Killed between link and rename, FILE and FILE.crm-old are one
			 * inode, and rename() of a file onto itself leaves both names. */
			if (rename(fold, f))
				bad = bad ? bad : crm_fail_sys(e, CRM_ECANTCREAT, "cannot restore", line);
		} else if (!existed && access(fnew, F_OK) != 0) {
			if (unlink(f) && errno != ENOENT)
				bad = bad ? bad : crm_fail_sys(e, CRM_ECANTCREAT, "cannot remove", line);
		}
		if (!bad && ((unlink(fold) && errno != ENOENT) || (unlink(fnew) && errno != ENOENT)))
			bad = crm_fail_sys(e, CRM_ECANTCREAT, "cannot remove a temporary file of", line);
	}
	fclose(j);
	if (!bad && landed && git_index_write(idx))
		bad = crm_fail_git(e, "cannot write the index");
	git_index_free(idx);
	if (bad)
		return bad;
	if (unlink(jpath))
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot remove", ".git/crm-journal");
	return 0;
}

/* Files staged by a write that died before its journal: never part of any commit. */
static void drop_staged_leftovers(struct store *s)
{
	char spath[4096];
	gitpath(s, "crm-staged", spath, sizeof spath);
	FILE *f = fopen(spath, "r");
	if (!f)
		return;
	char line[4200];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (!*line || path_check(line))
			continue;
		char fnew[4300];
		full(s, line, ".crm-new", fnew, sizeof fnew);
		unlink(fnew);
	}
	fclose(f);
	unlink(spath);
}

int store_lock(struct store *s, crm_err *e)
{
	/* A reader's shared lock held by this very process would block its own commit. */
	if (s->rdlockfd >= 0) {
		close(s->rdlockfd);
		s->rdlockfd = -1;
	}
	char path[4096];
	gitpath(s, "crm.lock", path, sizeof path);
	s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (s->lockfd < 0)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write to the store", path);
	int secs = lock_timeout();
	if (lock_wait(s->lockfd, LOCK_EX, secs)) {
		close(s->lockfd);
		s->lockfd = -1;
		return crm_fail(e, CRM_EBUSY,
			"store busy: another crm command is writing (waited %d s)", secs);
	}
	int rc = recover(s, e);
	if (!rc)
		drop_staged_leftovers(s);
	/* A reader's view of HEAD's tree (read.c, after a crash): the work tree is whole again. */
	if (!rc && s->at_tree && !s->at) {
		git_tree_free(s->at_tree);
		s->at_tree = NULL;
	}
	return rc;
}

int store_is_staged(struct store *s, const char *path)
{
	return strmap_get(&s->stgidx, path, (size_t)-1) != (size_t)-1;
}

static const char *path_check(const char *p)
{
	if (!*p || *p == '/' || strlen(p) > 200)
		return "bad path";
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return "control character in path";
	/* .git itself and anything in it; .gitattributes is a store file */
	if (strstr(p, "..") || (strncmp(p, ".git", 4) == 0 && (!p[4] || p[4] == '/')) || strstr(p, "/.git/"))
		return "path outside the store";
	return NULL;
}

/* The folders of file below the store's root (from: where the root ends). Most
 * are there: the file's own folder is tried first, one call for them. */
static int mkdirs(const char *file, size_t from)
{
	char d[4096];
	snprintf(d, sizeof d, "%s", file);
	char *last = strrchr(d + from, '/');
	if (!last)
		return 0;
	*last = 0;
	if (mkdir(d, 0777) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	for (char *p = d + from; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(d, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(d, 0777) && errno != EEXIST ? -1 : 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Each staged path is listed first, so a write killed while staging leaves nothing
 * behind. The list stays open while staging: an import lists ten thousand. */
static int note_staged(struct store *s, const char *path)
{
	if (!s->stgfd) {
		char spath[4096];
		gitpath(s, "crm-staged", spath, sizeof spath);
		int fd = open(spath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		s->stgfd = fd + 1;
	}
	sbuf b = {0};
	sb_printf(&b, "%s\n", path);
	int rc = write_all(s->stgfd - 1, b.s, b.len);
	sb_free(&b);
	return rc;
}

/* Staged files from which a commit's objects are packed: an import's thousands, not a one-record write's few. */
#define PACK_FILES 256

/* FILE.crm-new holding buf, or removed (buf NULL): NULL, or what failed (errno says why). */
static const char *put_file(const char *fnew, const char *buf, size_t len)
{
	if (!buf)
		return unlink(fnew) == 0 || errno == ENOENT ? NULL : "cannot remove";
	int fd = open(fnew, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0)
		return "cannot create";
	int err = write_all(fd, buf, len) ? errno : 0;
	if (close(fd) && !err)
		err = errno;
	if (err) {
		unlink(fnew);
		errno = err;
		return "cannot write";
	}
	return NULL;
}

/* Path's entry in the staged files, made at its first put (checked, listed,
 * its folders made): its index in *k. */
static int stage(struct store *s, const char *path, int del, size_t *k, crm_err *e)
{
	char f[4200], dir[4200];
	full(s, path, "", f, sizeof f);
	/* s->folders: folders of this write known safe (no link on the way) and there;
	 * an import starts thousands of files in a few hundred. */
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 0, path);
	int known = !slash || strset_has(&s->folders, dir);
	*k = strmap_get(&s->stgidx, path, (size_t)-1);
	/* A path staged again was checked at its first put. */
	if (*k == (size_t)-1) {
		const char *why = path_check(path);
		if (why)
			return crm_fail(e, CRM_EINTERNAL, "%s: %s", path, why);
		int rc = known ? 0 : store_path_safe(s, path, e);
		if (rc)
			return rc;
		struct stat st;
		s->stg = xrealloc(s->stg, (s->nstg + 1) * sizeof *s->stg);
		s->stg[s->nstg] = (struct staged){.path = xstrdup(path), .existed = lstat(f, &st) == 0};
		if (s->stg[s->nstg].existed && !known) {
			strset_add(&s->folders, dir);
			known = 1;
		}
		strmap_put(&s->stgidx, path, *k = s->nstg++);
		if (!s->dry_run && note_staged(s, path))
			return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", ".git/crm-staged");
	}
	struct staged *g = &s->stg[*k];
	g->del = del;
	g->gen++;
	if (!s->dry_run && !del && !known) {
		if (mkdirs(f, strlen(s->root) + 1))
			return crm_fail_sys(e, CRM_ECANTCREAT, "cannot create folder for", path);
		strset_add(&s->folders, dir);
	}
	return 0;
}

/* Stages buf as path; own, when not NULL, is buf itself, malloc'd and handed over. */
static int put(struct store *s, const char *path, const char *buf, char *own, size_t len, crm_err *e)
{
	size_t k;
	int rc = stage(s, path, buf == NULL, &k, e);
	if (rc || s->dry_run) {
		free(own);
		return rc;
	}
	char fnew[4200];
	full(s, path, ".crm-new", fnew, sizeof fnew);
	/* A write of as many files as go into a pack puts them from here on from a
	 * thread that makes their blobs too, while the command goes on (blobq.h);
	 * its first files are made at the commit. */
	if (s->nstg >= PACK_FILES && !s->merge_head && !s->bq)
		s->bq = blobq_start(put_file);
	if (s->bq) {
		if (buf && !own)
			memcpy(own = xmalloc(len ? len : 1), buf, len);
		blobq_add(s->bq, k, s->stg[k].gen, fnew, own, len);
		return 0;
	}
	const char *why = put_file(fnew, buf, len);
	free(own);
	if (why)
		return crm_fail_sys(e, CRM_ECANTCREAT, why, buf ? path : fnew);
	return 0;
}

int store_put(struct store *s, const char *path, const char *buf, size_t len, crm_err *e)
{
	return put(s, path, buf, NULL, len, e);
}

int store_put_own(struct store *s, const char *path, char *buf, size_t len, crm_err *e)
{
	return put(s, path, buf, buf, len, e);
}

int store_put_recs(struct store *s, const struct table *t, const char *path,
	struct recs *rs, crm_err *e)
{
	sbuf b = {0};
	/* Sized once: grown by doubling, a shard was copied a dozen times over. */
	sb_grow(&b, 256 + rs->n * 192);
	table_write_header(t, &b);
	for (size_t i = 0; i < rs->n; i++)
		table_write_rec(rs->r[i], &b);
	return store_put_own(s, path, b.s, b.len, e);
}

static void unstage(struct store *s)
{
	blobq_free(s->bq);
	s->bq = NULL;
	if (s->stgfd)
		close(s->stgfd - 1);
	s->stgfd = 0;
	if (s->nstg && !s->dry_run) {
		char spath[4096];
		gitpath(s, "crm-staged", spath, sizeof spath);
		unlink(spath);
	}
	for (size_t i = 0; i < s->nstg; i++) {
		char fnew[4200];
		if (!s->stg[i].del && !s->stg[i].moved && !s->dry_run) {
			full(s, s->stg[i].path, ".crm-new", fnew, sizeof fnew);
			unlink(fnew);
		}
		free(s->stg[i].path);
	}
	free(s->stg);
	s->stg = NULL;
	s->nstg = 0;
	strmap_clear(&s->stgidx);
	strset_clear(&s->folders);
}

void store_abort(struct store *s)
{
	unstage(s);
	if (s->lockfd >= 0) {
		close(s->lockfd);
		s->lockfd = -1;
	}
}

/* The journal and its folder's entry for it: on disk before the first rename it undoes. */
static int write_journal(struct store *s, const char *parent, crm_err *e)
{
	char jpath[4096];
	gitpath(s, "crm-journal", jpath, sizeof jpath);
	sbuf b = {0};
	sb_adds(&b, JOURNAL_HEAD);
	sb_printf(&b, "parent %s\n", parent);
	for (size_t i = 0; i < s->nstg; i++)
		sb_printf(&b, "%s\t%d\n", s->stg[i].path, s->stg[i].existed);
	sb_adds(&b, "end\n");
	int fd = open(jpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	int rc = fd < 0 || write_all(fd, b.s, b.len);
	if (fd >= 0 && close(fd))
		rc = 1;
	sb_free(&b);
	if (rc) {
		unlink(jpath);
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", "crm-journal");
	}
	struct durable d = {0};
	const char *failed;
	durable_add(&d, jpath);
	durable_add_dirs(&d, jpath, NULL);
	rc = durable_sync(&d, s->root, &failed);
	durable_free(&d);
	if (rc) {
		int err = errno;
		unlink(jpath);
		errno = err;
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot sync", "crm-journal");
	}
	return 0;
}

static void add_object(struct durable *d, struct store *s, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1], path[4200], objects[4200];
	if (git_oid_is_zero(id))
		return;
	git_oid_tostr(hex, sizeof hex, id);
	gitpath(s, "objects", objects, sizeof objects);
	snprintf(path, sizeof path, "%s/%.2s/%s", objects, hex, hex + 2);
	durable_add(d, path);
	durable_add_dirs(d, path, objects);
}

/*
 * What the new commit names and the work tree it leaves, on disk before HEAD
 * names it: the staged files with the folder entries that name them (up to
 * the root for a new file, whose folder may be new too), and every object
 * written (blobs, trees, the commit) with objects/xx and objects/. They are
 * written unsynced and synced here in one wait (durable.c): one fsync each in
 * turn cost more than the work itself (a one-record write makes 5 to 20 of
 * them), and syncfs waited for every other program's unwritten data as well.
 */
static int sync_written(struct store *s, const git_oid *blobs, const git_oid *trees, size_t ntrees,
	const git_oid *commit, char *const *pack, crm_err *e)
{
	struct durable d = {0};
	/* Objects in a pack: the pack, its index and the folder naming them. */
	for (int i = 0; pack && i < 2; i++) {
		durable_add(&d, pack[i]);
		durable_add_dirs(&d, pack[i], NULL);
	}
	if (pack)
		blobs = trees = commit = NULL, ntrees = 0;
	/* A merge's other side came in by a fetch, in objects this run did not write. */
	d.all = s->merge_head != NULL;
	for (size_t i = 0; i < s->nstg; i++) {
		char f[4200];
		full(s, s->stg[i].path, "", f, sizeof f);
		if (!s->stg[i].del)
			durable_add(&d, f);
		durable_add_dirs(&d, f, s->stg[i].existed ? NULL : s->root);
		if (blobs)
			add_object(&d, s, &blobs[i]);
	}
	for (size_t i = 0; i < ntrees; i++)
		add_object(&d, s, &trees[i]);
	if (commit)
		add_object(&d, s, commit);
	const char *failed;
	int rc = durable_sync(&d, s->root, &failed);
	if (rc) {
		size_t n = strlen(s->root);
		rc = crm_fail_sys(e, CRM_ECANTCREAT, "cannot sync",
			strncmp(failed, s->root, n) == 0 && failed[n] == '/' ? failed + n + 1 : failed);
	}
	durable_free(&d);
	return rc;
}

/*
 * git's own lock on the index: found before anything moves, since libgit2
 * would find it only after the commit, when the index cannot follow HEAD.
 */
/* The same for HEAD and the branch it names: a commit fails on any of them. */
static int index_free(struct store *s, crm_err *e)
{
	char names[3][1024];
	int n = git_lock_names(s, names);
	for (int i = 0; i < n; i++) {
		char path[4096];
		gitpath(s, names[i], path, sizeof path);
		if (access(path, F_OK) == 0)
			return crm_fail(e, CRM_EBUSY,
				"store busy: .git/%s exists (a git command is running, or one crashed: then remove it)", names[i]);
	}
	return 0;
}

/* Staged file g into place, the old one kept as FILE.crm-old: NULL, or what failed (errno set). */
static const char *swap_one(struct store *s, struct staged *g)
{
	char f[4200], fold[4200], fnew[4200];
	full(s, g->path, "", f, sizeof f);
	full(s, g->path, ".crm-old", fold, sizeof fold);
	full(s, g->path, ".crm-new", fnew, sizeof fnew);
	/* A new file has no old one to keep (nor, the journal done, a stale one). */
	if (g->existed && ((unlink(fold) && errno != ENOENT) || link(f, fold)))
		return "cannot keep the old";
	if (g->del ? unlink(f) != 0 && errno != ENOENT : rename(fnew, f) != 0) {
		int err = errno;
		if (g->existed)
			unlink(fold);
		errno = err;
		return "cannot replace";
	}
	g->moved = !g->del;
	g->swapped = 1;
	return NULL;
}

struct swaps {
	struct store *s;
	size_t from, to;
	atomic_int *stop;    /* set by the half that fails: the other ends at its next file */
	const char *why;
	int err;
	size_t at;
};

static void *swap_range(void *arg)
{
	struct swaps *w = arg;
	for (size_t i = w->from; i < w->to && !atomic_load(w->stop) && !w->why; i++)
		if ((w->why = swap_one(w->s, &w->s->stg[i]))) {
			w->err = errno;
			w->at = i;
			atomic_store(w->stop, 1);
		}
	return NULL;
}

/* An import's ten thousand renames, in two halves at once past this. */
#define SWAP_SPLIT 2048

/* Moves staged files into place, remembering the old ones for a rollback (swapped). */
static int swap_in(struct store *s, crm_err *e)
{
	atomic_int stop = 0;
	struct swaps w[2] = {{s, 0, s->nstg, &stop, NULL, 0, 0}, {s, s->nstg, s->nstg, &stop, NULL, 0, 0}};
	pthread_t th;
	int two = s->nstg >= SWAP_SPLIT && crm_threads() > 1;
	if (two) {
		w[0].to = w[1].from = s->nstg / 2;
		two = !pthread_create(&th, NULL, swap_range, &w[1]);
		if (!two)
			w[0].to = s->nstg;
	}
	swap_range(&w[0]);
	if (two)
		pthread_join(th, NULL);
	for (int k = 0; k < 2; k++)
		if (w[k].why) {
			errno = w[k].err;
			return crm_fail_sys(e, CRM_ECANTCREAT, w[k].why, s->stg[w[k].at].path);
		}
	/* Synced with the objects, before HEAD moves (sync_written). */
	return 0;
}

/* 0, or -1 when a file could not be put back: then the journal must stay. */
static int swap_back(struct store *s)
{
	int rc = 0;
	for (size_t i = 0; i < s->nstg; i++) {
		struct staged *g = &s->stg[i];
		if (!g->swapped)
			continue;
		char f[4200], fold[4200];
		full(s, g->path, "", f, sizeof f);
		full(s, g->path, ".crm-old", fold, sizeof fold);
		if (g->existed ? rename(fold, f) != 0 : unlink(f) != 0 && errno != ENOENT)
			rc = -1;
	}
	return rc;
}

/* 0, or -1 when a FILE.crm-old stays: then the journal stays to remove it. */
static int drop_old(struct store *s)
{
	int rc = 0;
	for (size_t i = 0; i < s->nstg; i++) {
		char fold[4200];
		if (!s->stg[i].existed)
			continue;
		full(s, s->stg[i].path, ".crm-old", fold, sizeof fold);
		if (unlink(fold) && errno != ENOENT)
			rc = -1;
	}
	return rc;
}

static void add_visible_arg(sbuf *b, const char *a)
{
	int quote = !*a || strpbrk(a, " \t'\"\\$`*?;&|<>()") != NULL;
	if (quote)
		sb_addc(b, '\'');
	sb_add_visible(b, a);
	if (quote)
		sb_addc(b, '\'');
}

static void message(struct store *s, const char *summary, sbuf *m)
{
	sb_printf(m, "%s ", s->prog ? s->prog : "crm");
	sb_add_visible(m, summary);
	sb_adds(m, "\n");
	if (s->extra_msg) {
		sb_adds(m, "\n");
		sb_add_visible(m, s->extra_msg);
		sb_adds(m, "\n");
	}
	if (s->cmdline) {
		sb_adds(m, "\n$ ");
		sb_adds(m, s->cmdline);
		sb_adds(m, "\n");
	}
}

void store_set_cmdline(struct store *s, int argc, char **argv)
{
	sbuf b = {0};
	for (int i = 0; i < argc; i++) {
		if (i)
			sb_addc(&b, ' ');
		add_visible_arg(&b, argv[i]);
	}
	free(s->cmdline);
	s->cmdline = b.s;
}

/* The index learns the blob id we already know, with the file's stat, instead of hashing it again. */
static int index_set(struct store *s, git_index *idx, const char *path, const git_oid *blob, crm_err *e)
{
	char f[4200];
	struct stat st;
	full(s, path, "", f, sizeof f);
	if (lstat(f, &st))
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot stat", path);
	git_index_entry ent;
	memset(&ent, 0, sizeof ent);
	ent.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	ent.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	ent.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	ent.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	ent.dev = (uint32_t)st.st_dev;
	ent.ino = (uint32_t)st.st_ino;
	ent.mode = GIT_FILEMODE_BLOB;
	ent.uid = st.st_uid;
	ent.gid = st.st_gid;
	ent.file_size = (uint32_t)st.st_size;
	ent.id = *blob;
	ent.path = path;
	return git_index_add(idx, &ent) ? crm_fail_git(e, path) : 0;
}

/*
 * HEAD's branch (HEAD itself when detached, if detached_ok) moves from `from`
 * to `to`, only if it is still there; then the ref and its folder are synced.
 * libgit2's refs database is opened without fsync (store_open): it synced the
 * ref, its folder, both reflogs and theirs one after another (git syncs the
 * ref alone). Once the ref names `to` the commit is made: what fails after is
 * a warning.
 */
static int move_head(struct store *s, const git_oid *from, const git_oid *to, const char *log,
	int detached_ok, crm_err *e)
{
	git_reference *head = NULL, *moved = NULL;
	int rc = 0;
	if (git_reference_lookup(&head, s->repo, "HEAD"))
		return crm_fail_git(e, "cannot read HEAD");
	char name[1024];
	int symbolic = git_reference_type(head) == GIT_REFERENCE_SYMBOLIC;
	snprintf(name, sizeof name, "%s", symbolic ? git_reference_symbolic_target(head) : "HEAD");
	git_reference_free(head);
	if (!symbolic && !detached_ok)
		return crm_fail(e, CRM_EDATA, "HEAD is detached: check out a branch first");
	int grc = from ? git_reference_create_matching(&moved, s->repo, name, to, 1, from, log)
		       : git_reference_create(&moved, s->repo, name, to, 0, log);
	git_reference_free(moved);
	git_oid now;
	if (grc && git_reference_name_to_id(&now, s->repo, "HEAD") == 0 && git_oid_equal(&now, to)) {
		const git_error *ge = git_error_last();
		fprintf(stderr, "%s: warning: committed, but git reported: %s\n",
			s->prog ? s->prog : "crm", ge && ge->message ? ge->message : "unknown error");
		grc = 0;
	}
	if (grc)
		return grc == GIT_EMODIFIED || (git_error_last() && git_error_last()->klass == GIT_ERROR_REFERENCE)
			? crm_fail(e, CRM_EBUSY, "store busy: HEAD moved while writing; try again")
			: crm_fail_git(e, "cannot move HEAD");
	char ref[4200];
	const char *failed;
	struct durable d = {0};
	gitpath(s, name, ref, sizeof ref);
	durable_add(&d, ref);
	durable_add_dirs(&d, ref, NULL);
	if (durable_sync(&d, s->root, &failed))
		fprintf(stderr, "%s: warning: committed, but %s could not be synced: %s\n",
			s->prog ? s->prog : "crm", name, strerror(errno));
	durable_free(&d);
	return rc;
}

/* What git's reflog says of a commit: "commit: ", "commit (initial): ", "commit (merge): " and its first line. */
static void reflog_line(const char *msg, size_t parents, sbuf *out)
{
	sb_printf(out, "commit%s: ", parents == 0 ? " (initial)" : parents > 1 ? " (merge)" : "");
	sb_add(out, msg, strcspn(msg, "\n"));
}

/*
 * git makes each objects/XX folder when an object first needs it, and git gc
 * removes the empty ones: after a gc, a write's objects each made a folder
 * too (4 KiB apiece, two thirds of what a shipment added to the repository).
 * All 256 are made at once, the first time a write finds some missing.
 */
static void fanout_folders(struct store *s)
{
	char p[4096];
	int n = 0;
	snprintf(p, sizeof p, "%sobjects", git_repository_path(s->repo));
	DIR *d = opendir(p);
	if (!d)
		return;
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		n += strlen(de->d_name) == 2 && isxdigit((unsigned char)de->d_name[0]) &&
		     isxdigit((unsigned char)de->d_name[1]);
	if (n < 256) {
		for (int i = 0; i < 256; i++) {
			snprintf(p, sizeof p, "%sobjects/%02x", git_repository_path(s->repo), i);
			mkdir(p, 0777); /* EEXIST for those that are there */
		}
		fsync(dirfd(d)); /* the new folders' names */
	}
	closedir(d);
}

/* The blobs made while staging (blobq.h) go into the pack: of each file, its last put's. */
static void take_made(struct store *s, struct packw *pw, git_oid *blobs)
{
	size_t n = s->bq ? blobq_finish(s->bq) : 0;
	for (size_t i = 0; i < n; i++) {
		struct qblob *b = blobq_at(s->bq, i);
		const struct staged *g = &s->stg[b->k];
		if (!b->z || g->del || b->gen != g->gen)
			continue;
		packw_add(pw, &b->id, GIT_OBJECT_BLOB, b->size, b->z, b->zlen);
		blobs[b->k] = b->id;
		b->z = NULL;
	}
}

static int make_commit(struct store *s, git_index *idx, const git_oid *parent,
	const char *summary, git_oid *out, crm_err *e)
{
	git_oid tree_oid;
	git_tree *tree = NULL;
	git_commit *pc = NULL;
	git_signature *author = NULL, *committer = NULL;
	sbuf msg = {0}, log = {0};
	int rc = 0;
	git_tree *ptree = NULL;
	char **paths = xmalloc((s->nstg + 1) * sizeof *paths);
	git_oid *blobs = xcalloc(s->nstg + 1, sizeof *blobs);
	git_oid *trees = NULL;
	size_t ntrees = 0;
	for (size_t i = 0; i < s->nstg; i++)
		paths[i] = s->stg[i].path;
	/* A large write's objects go into one pack (packw.h); a merge's stay loose, as its fetch left them. */
	git_repository *repo = s->repo;
	struct packw *pw = NULL;
	char pack[4200], pidx[4200], *packs[2] = {pack, pidx};
	if (s->nstg >= PACK_FILES && !s->merge_head)
		rc = packw_open(s->repo, &pw, &repo, e);
	if (!rc && pw)
		take_made(s, pw, blobs);
	if (!rc && parent && (git_commit_lookup(&pc, repo, parent) || git_commit_tree(&ptree, pc)))
		rc = crm_fail_git(e, "cannot read HEAD");
	/* The new objects are written unsynced; sync_written syncs them with the files. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 0);
	if (!pw)
		fanout_folders(s);
	/* Not git_index_write_tree: it rewrites every folder of the store, this only the changed ones. */
	if (!rc)
		rc = tree_update_blobs(repo, ptree, s->root, paths, s->nstg, blobs, &tree_oid, &trees, &ntrees, e);
	git_tree_free(ptree);
	if (!rc && git_tree_lookup(&tree, repo, &tree_oid))
		rc = crm_fail_git(e, "cannot read the tree");
	if (!rc)
		rc = store_author(s, &author, e);
	if (!rc) {
		const char *cn = getenv("GIT_COMMITTER_NAME"), *ce = getenv("GIT_COMMITTER_EMAIL");
		if (cn && *cn && ce && *ce ? git_signature_now(&committer, cn, ce)
					   : git_signature_dup(&committer, author))
			rc = crm_fail_git(e, "committer");
	}
	git_commit *mc = NULL;
	if (!rc && s->merge_head && git_commit_lookup(&mc, repo, s->merge_head))
		rc = crm_fail_git(e, "cannot read the commit to merge");
	int ff = !rc && mc && s->ff && git_oid_equal(git_commit_tree_id(mc), &tree_oid);
	if (ff) {
		*out = *s->merge_head;
		sb_adds(&log, "crm sync: fast-forward");
	} else if (!rc) {
		message(s, summary, &msg);
		const git_commit *parents[2] = {pc, mc};
		if (!pc)
			parents[0] = mc;
		size_t np = (pc ? 1 : 0) + (mc ? 1 : 0);
		/* No ref named: HEAD moves only once the commit is on disk. */
		if (git_commit_create(out, repo, NULL, author, committer, NULL, msg.s, tree, np, parents))
			rc = crm_fail_git(e, "cannot commit");
		reflog_line(msg.s, np, &log);
	}
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	git_odb *odb = NULL;
	if (!rc && pw && !(rc = packw_write(pw, pack, pidx, sizeof pack, e)) &&
	    (git_repository_odb(&odb, s->repo) || git_odb_refresh(odb)))
		rc = crm_fail_git(e, "cannot read the new pack");
	git_odb_free(odb);
	/* After the pack: the index takes only blobs its repository can find. */
	for (size_t i = 0; i < s->nstg && !rc; i++)
		if (s->stg[i].del ? git_index_remove_bypath(idx, paths[i]) != 0 : (rc = index_set(s, idx, paths[i], &blobs[i], e)) != 0)
			rc = rc ? rc : crm_fail_git(e, paths[i]);
	free(paths);
	if (!rc)
		rc = sync_written(s, blobs, trees, ntrees, ff ? NULL : out, pw ? packs : NULL, e);
	if (!rc)
		rc = move_head(s, parent, out, log.s, !ff, e);
	free(blobs);
	free(trees);
	sb_free(&msg);
	sb_free(&log);
	git_signature_free(author);
	git_signature_free(committer);
	git_commit_free(mc);
	git_commit_free(pc);
	git_tree_free(tree);
	packw_close(pw);
	return rc;
}

static void print_dry_run(struct store *s, const char *summary)
{
	sbuf b = {0};
	sb_adds(&b, "would commit: ");
	sb_add_visible(&b, summary);
	fprintf(stdout, "%s\n", b.s);
	for (size_t i = 0; i < s->nstg; i++)
		fprintf(stdout, "would %s %s\n", s->stg[i].del ? "remove" : s->stg[i].existed ? "change" : "create",
			s->stg[i].path);
	sb_free(&b);
}

/* The files a bulk write's thread was putting are on disk, or the first that is not is the error. */
static int put_ahead(struct store *s, crm_err *e)
{
	size_t n = s->bq ? blobq_finish(s->bq) : 0;
	for (size_t i = 0; i < n; i++) {
		const struct qblob *b = blobq_at(s->bq, i);
		if (b->why) {
			errno = b->err;
			return crm_fail_sys(e, CRM_ECANTCREAT, b->why, s->stg[b->k].path);
		}
	}
	return 0;
}

int store_commit(struct store *s, const char *summary, crm_err *e)
{
	if (s->dry_run) {
		print_dry_run(s, summary);
		store_abort(s);
		return 0;
	}
	/* A merge is committed even when it changes no file: its second parent is the news. */
	if (s->nstg == 0 && !s->merge_head) {
		store_abort(s);
		return 0;
	}
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);

	git_oid parent, out;
	int have_parent = git_reference_name_to_id(&parent, s->repo, "HEAD") == 0;
	char ptxt[GIT_OID_HEXSZ + 1] = "none";
	if (have_parent)
		git_oid_tostr(ptxt, sizeof ptxt, &parent);
	git_index *idx = NULL;
	int rdfd = -1, committed = 0;
	char rdpath[4096];
	gitpath(s, "crm-read.lock", rdpath, sizeof rdpath);
	int rc = put_ahead(s, e);
	if (!rc)
		rc = index_free(s, e);
	if (!rc)
		rc = write_journal(s, ptxt, e);
	if (!rc) {
		rdfd = open(rdpath, O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
		if (rdfd < 0 || lock_wait(rdfd, LOCK_EX, lock_timeout()))
			rc = crm_fail(e, CRM_EBUSY, "store busy: readers did not finish in time");
	}
	if (!rc)
		rc = swap_in(s, e);
	/* git_repository_index reads the file; a second, forced read parsed it all again
	 * (a third of a one-record write). Unforced, it re-reads only if the file changed. */
	if (!rc && (git_repository_index(&idx, s->repo) || git_index_read(idx, 0)))
		rc = crm_fail_git(e, "cannot read the index");
	if (!rc)
		rc = make_commit(s, idx, have_parent ? &parent : NULL, summary, &out, e);
	int keep_journal = 0;
	if (!rc) {
		/* The commit is made: from here on the command succeeds, and what
		 * is left undone the journal lets the next write finish. */
		committed = 1;
		s->last_commit = out;
		if (git_index_write(idx)) {
			const git_error *ge = git_error_last();
			fprintf(stderr, "%s: warning: committed, but the index could not be written (the next write repairs it): %s\n",
				s->prog ? s->prog : "crm", ge && ge->message ? ge->message : "unknown error");
			keep_journal = 1;
		}
	}
	if (rc && swap_back(s)) {
		fprintf(stderr, "%s: warning: the old files could not all be put back yet (the next write does it)\n",
			s->prog ? s->prog : "crm");
		keep_journal = 1;
	}
	if (!keep_journal && drop_old(s) == 0) {
		char jpath[4096];
		gitpath(s, "crm-journal", jpath, sizeof jpath);
		unlink(jpath);
	}
	git_index_free(idx);
	if (rdfd >= 0)
		close(rdfd);
	store_abort(s);
	/* A commit made is reported as made: a SIGTERM that came meanwhile ends
	 * the process only after it has said so (the signal dies with it). */
	if (!committed)
		sigprocmask(SIG_SETMASK, &old, NULL);
	long unsettled = committed && !s->merge_head ? conflicts_count(s) : 0; /* sync says it its own way */
	if (unsettled)
		fprintf(stderr, "%s: warning: %ld conflict%s from merging are unsettled: crm conflicts, crm resolve\n",
			s->prog ? s->prog : "crm", unsettled, unsettled == 1 ? "" : "s");
	return rc;
}
