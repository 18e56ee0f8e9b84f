#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store.h"

/*
 * A reader holds a shared lock on .git/crm-read.lock while it reads the work
 * tree; a writer takes it exclusively only to rename and commit. So a reader
 * sees one commit's files, and waits at most for a rename, never for a write.
 */
static void read_lock(struct store *s)
{
	if (s->at || s->lockfd >= 0 || s->rdlockfd >= 0)
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s/crm-read.lock", git_repository_path(s->repo));
	s->rdlockfd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
	if (s->rdlockfd < 0)
		s->rdlockfd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->rdlockfd >= 0)
		flock(s->rdlockfd, LOCK_SH); /* a read-only store has no writer to wait for */
	/*
	 * A journal under our shared lock is a write that died between its renames
	 * and its commit (or before its index): the work tree may be half old,
	 * half new until the next write repairs it, so read HEAD's tree instead.
	 * store_lock drops this tree (at_tree without at) once it has recovered.
	 */
	snprintf(path, sizeof path, "%s/crm-journal", git_repository_path(s->repo));
	git_oid oid;
	git_commit *head = NULL;
	if (access(path, F_OK) == 0 && git_reference_name_to_id(&oid, s->repo, "HEAD") == 0 &&
	    git_commit_lookup(&head, s->repo, &oid) == 0) {
		if (git_commit_tree(&s->at_tree, head))
			s->at_tree = NULL;
		git_commit_free(head);
	}
}

int store_path_safe(struct store *s, const char *path, crm_err *e)
{
	/* O_NOFOLLOW guards only the last name: a linked folder would lead the
	 * read, and the write after it, out of the store. */
	char full[4096];
	size_t root = (size_t)snprintf(full, sizeof full, "%s/", s->root);
	snprintf(full + root, sizeof full - root, "%s", path);
	for (char *p = full + root; (p = strchr(p, '/')); p++) {
		*p = 0;
		struct stat st;
		int r = lstat(full, &st);
		*p = '/';
		if (r)
			return 0; /* missing: a write creates it as a real folder */
		if (S_ISLNK(st.st_mode)) {
			*p = 0;
			return crm_fail(e, CRM_EDATA, "%s: symbolic links are refused in a store", full + root);
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct plist {
	char **p;
	size_t n, cap;
};

static void plist_add(struct plist *l, char *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->p = xrealloc(l->p, l->cap * sizeof *l->p);
	}
	l->p[l->n++] = p;
}

static int is_table_file(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

static int walk_dir(struct store *s, const char *rel, struct plist *l, int depth, crm_err *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", s->root, rel);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : crm_fail_sys(e, CRM_ENOINPUT, "cannot read", rel);
	struct dirent *de;
	int rc = 0;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", rel, de->d_name);
		/* The entry's own type, where the file system gives it: no lstat for each file. */
		int type = de->d_type == DT_LNK ? S_IFLNK : de->d_type == DT_DIR ? S_IFDIR
			 : de->d_type == DT_REG ? S_IFREG : 0;
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", s->root, sub);
		if (!type && lstat(path, &st))
			continue;
		if (!type)
			type = (int)(st.st_mode & S_IFMT);
		if (type == S_IFLNK)
			rc = crm_fail(e, CRM_EDATA, "%s: symbolic links are refused in a store", sub);
		else if (type == S_IFDIR && depth < 3)
			rc = walk_dir(s, sub, l, depth + 1, e);
		else if (type == S_IFREG && is_table_file(de->d_name))
			plist_add(l, xstrdup(sub));
	}
	closedir(d);
	return rc;
}

static int walk_tree(struct store *s, git_tree *t, const char *rel, struct plist *l, crm_err *e)
{
	size_t n = git_tree_entrycount(t);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(te);
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", rel, name);
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
			git_tree *st = NULL;
			if (git_tree_lookup(&st, s->repo, git_tree_entry_id(te)))
				return crm_fail_git(e, sub);
			rc = walk_tree(s, st, sub, l, e);
			git_tree_free(st);
		} else if (is_table_file(name)) {
			plist_add(l, xstrdup(sub));
		}
	}
	return rc;
}

int store_list(struct store *s, const char *dir, char ***paths, size_t *n, crm_err *e)
{
	struct plist l = {0};
	int rc = 0;
	read_lock(s);
	if (s->at_tree) {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, s->at_tree, dir) == 0) {
			git_tree *t = NULL;
			if (git_tree_entry_type(te) == GIT_OBJECT_TREE &&
			    git_tree_lookup(&t, s->repo, git_tree_entry_id(te)) == 0) {
				rc = walk_tree(s, t, dir, &l, e);
				git_tree_free(t);
			}
			git_tree_entry_free(te);
		}
	} else {
		/* walk_dir looks at what lies below dir; dir itself is checked here. */
		char top[4096];
		snprintf(top, sizeof top, "%s/", dir);
		rc = store_path_safe(s, top, e);
		if (!rc)
			rc = walk_dir(s, dir, &l, 0, e);
	}
	if (l.n)
		qsort(l.p, l.n, sizeof *l.p, cmp_str);
	*paths = l.p;
	*n = l.n;
	return rc;
}

void store_list_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int load_blob(struct store *s, const char *path, sbuf *b, int *found, crm_err *e)
{
	git_tree_entry *te = NULL;
	if (git_tree_entry_bypath(&te, s->at_tree, path))
		return 0;
	git_blob *blob = NULL;
	int rc = git_blob_lookup(&blob, s->repo, git_tree_entry_id(te));
	git_tree_entry_free(te);
	if (rc)
		return crm_fail_git(e, path);
	sb_add(b, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	*found = 1;
	return 0;
}

/*
 * Reads path into b (emptied first); *found stays 0 for a missing file. A scan
 * passes the same b for every file: a fresh buffer for each of a table's files
 * cost a brk, its page faults and a trim each (a third of a list that matched nothing).
 */
static int load_into(struct store *s, const char *path, sbuf *b, int *found, int listed,
	crm_err *e)
{
	b->len = 0;
	*found = 0;
	read_lock(s);
	if (s->at_tree)
		return load_blob(s, path, b, found, e);
	char full[4096];
	snprintf(full, sizeof full, "%s/%s", s->root, path);
	/* A path store_list found was reached through real folders: walk_dir refuses links. */
	int rc = listed ? 0 : store_path_safe(s, path, e);
	if (rc)
		return rc;
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ELOOP)
			return crm_fail(e, CRM_EDATA, "%s: symbolic links are refused in a store", path);
		return crm_fail_sys(e, CRM_ENOINPUT, "cannot open", path);
	}
	struct stat st;
	if (fstat(fd, &st)) {
		close(fd);
		return crm_fail_sys(e, CRM_ENOINPUT, "cannot read", path);
	}
	/* One byte more than the file: the read that finds the end needs no room made.
	 * A file of the size fstat gave is whole: writers rename, they never append,
	 * so the read that would only find the end is not made (one syscall a file). */
	size_t size = (size_t)st.st_size;
	sb_grow(b, size + 1);
	while (!S_ISREG(st.st_mode) || !size || b->len < size) {
		if (b->len + 1 >= b->cap)
			sb_grow(b, b->cap);
		ssize_t r = read(fd, b->s + b->len, b->cap - 1 - b->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return crm_fail_sys(e, CRM_ENOINPUT, "cannot read", path);
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	b->s[b->len] = 0;
	*found = 1;
	return 0;
}

int store_scan_file_pre(struct store *s, const struct table *t, const char *path, sbuf *b,
	const struct csv_pre *pre, rec_fn fn, void *ctx, crm_err *e)
{
	int found;
	int rc = load_into(s, path, b, &found, 1, e);
	if (rc || !found)
		return rc;
	return table_read_pre(t, path, b->s, b->len, s->digits, 0, pre, fn, ctx, e);
}

int store_load_listed(struct store *s, const char *path, sbuf *b, int *found, crm_err *e)
{
	return load_into(s, path, b, found, 1, e);
}

int store_load(struct store *s, const char *path, char **buf, size_t *len, crm_err *e)
{
	sbuf b = {0};
	int found;
	int rc = load_into(s, path, &b, &found, 0, e);
	if (rc || !found) {
		sb_free(&b);
		*buf = NULL;
		*len = 0;
		return rc;
	}
	*buf = (char *)sb_str(&b);
	*len = b.len;
	return 0;
}

static int scan_file(struct store *s, const struct table *t, const char *path, sbuf *b,
	int listed, rec_fn fn, void *ctx, crm_err *e)
{
	int found;
	int rc = load_into(s, path, b, &found, listed, e);
	if (rc || !found)
		return rc;
	return table_read_pre(t, path, b->s, b->len, s->digits, 0, s->pre, fn, ctx, e);
}

int store_scan_file(struct store *s, const struct table *t, const char *path,
	rec_fn fn, void *ctx, crm_err *e)
{
	sbuf b = {0};
	int rc = scan_file(s, t, path, &b, 0, fn, ctx, e);
	sb_free(&b);
	return rc;
}

int store_scan(struct store *s, const struct table *t, rec_fn fn, void *ctx, crm_err *e)
{
	char **paths;
	size_t n;
	sbuf b = {0};
	int rc = store_list(s, t->name, &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++)
		rc = scan_file(s, t, paths[i], &b, 1, fn, ctx, e);
	sb_free(&b);
	store_list_free(paths, n);
	return rc == CSV_STOP ? 0 : rc;
}

static int push_dup(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	recs_push(ctx, rec_dup(r));
	return 0;
}

int store_load_recs(struct store *s, const struct table *t, const char *path,
	struct recs *rs, crm_err *e)
{
	return store_scan_file(s, t, path, push_dup, rs, e);
}
