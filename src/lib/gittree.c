#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gittree.h"
#include "packw.h"
#include "text.h"

struct upd {
	git_repository *repo;
	const char *root;
	crm_err *e;
	git_oid *trees;  /* every tree written, for the caller to make durable */
	size_t ntrees;
};

struct item {
	const char *path;
	git_oid *blob;
	enum { BLOB_TODO, BLOB_MADE, BLOB_GONE } state;  /* made ahead by blobs_ahead */
};

/* git's empty tree: a folder whose last file went leaves its parent. */
static git_oid empty_tree;

static size_t comp_len(const char *p)
{
	return strcspn(p, "/");
}

/* paths[i] + off are the parts below this folder; all share the prefix before off. */
static int build(struct upd *u, git_tree *base, struct item *it, size_t n, size_t off, git_oid *out)
{
	git_treebuilder *tb = NULL;
	int rc = 0;
	if (git_treebuilder_new(&tb, u->repo, base))
		return crm_fail_git(u->e, "cannot build a tree");
	for (size_t i = 0; i < n && !rc;) {
		const char *rest = it[i].path + off;
		size_t cl = comp_len(rest);
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)cl, rest);
		if (!rest[cl]) {
			char full[4096];
			struct stat st;
			snprintf(full, sizeof full, "%s/%s", u->root, it[i].path);
			if (it[i].state == BLOB_MADE) {
				if (git_treebuilder_insert(NULL, tb, name, it[i].blob, GIT_FILEMODE_BLOB))
					rc = crm_fail_git(u->e, it[i].path);
				i++;
				continue;
			}
			/* A file gone from the work tree leaves the tree too (a merge that takes a removal). */
			if (it[i].state == BLOB_GONE || (lstat(full, &st) && errno == ENOENT)) {
				memset(it[i].blob, 0, sizeof *it[i].blob);
				if (git_treebuilder_get(tb, name) && git_treebuilder_remove(tb, name))
					rc = crm_fail_git(u->e, it[i].path);
				i++;
				continue;
			}
			if (git_blob_create_from_disk(it[i].blob, u->repo, full) ||
			    git_treebuilder_insert(NULL, tb, name, it[i].blob, GIT_FILEMODE_BLOB))
				rc = crm_fail_git(u->e, it[i].path);
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && strncmp(it[j].path + off, rest, cl + 1) == 0)
			j++;
		git_tree *sub = NULL;
		const git_tree_entry *te = base ? git_tree_entry_byname(base, name) : NULL;
		if (te && git_tree_entry_type(te) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, u->repo, git_tree_entry_id(te)))
			rc = crm_fail_git(u->e, name);
		git_oid subid;
		if (!rc)
			rc = build(u, sub, it + i, j - i, off + cl + 1, &subid);
		if (!rc && git_oid_equal(&subid, &empty_tree)) {
			if (git_treebuilder_get(tb, name) && git_treebuilder_remove(tb, name))
				rc = crm_fail_git(u->e, name);
		} else if (!rc && git_treebuilder_insert(NULL, tb, name, &subid, GIT_FILEMODE_TREE)) {
			rc = crm_fail_git(u->e, name);
		}
		git_tree_free(sub);
		i = j;
	}
	if (!rc && git_treebuilder_write(out, tb))
		rc = crm_fail_git(u->e, "cannot write a tree");
	if (!rc) {
		u->trees = xrealloc(u->trees, (u->ntrees + 1) * sizeof *u->trees);
		u->trees[u->ntrees++] = *out;
	}
	git_treebuilder_free(tb);
	return rc;
}

/*
 * A bulk write (an import: thousands of files) spends most of its commit
 * deflating and hashing blobs; they are independent, so they are made on
 * every core first, each thread with its own object database handle, and
 * the trees are then built from their ids. A file any thread could not make
 * is left BLOB_TODO: the tree build makes it and reports what went wrong.
 */
#define AHEAD_MIN 64   /* fewer files are not worth the threads */

struct ahead {
	const char *objects, *root;
	struct packw *pw;  /* a write packed (packw.h): each thread writes into its pack */
	struct item *it;
	size_t n;
	atomic_size_t next;
};

static void *blob_worker(void *arg)
{
	struct ahead *a = arg;
	git_odb *odb = NULL;
	if (a->pw ? packw_thread_odb(a->pw, &odb) : git_odb_open(&odb, a->objects))
		return NULL;
	sbuf b = {0};
	for (size_t i; (i = atomic_fetch_add(&a->next, 1)) < a->n;) {
		if (a->it[i].state != BLOB_TODO)
			continue;
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", a->root, a->it[i].path);
		int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			if (errno == ENOENT)
				a->it[i].state = BLOB_GONE;
			continue;
		}
		b.len = 0;
		ssize_t r = 0;
		do {
			sb_grow(&b, 1 << 16);
			r = read(fd, b.s + b.len, b.cap - 1 - b.len);
			if (r > 0)
				b.len += (size_t)r;
		} while (r > 0 || (r < 0 && errno == EINTR));
		close(fd);
		if (r == 0 && !git_odb_write(a->it[i].blob, odb, b.s ? b.s : "", b.len, GIT_OBJECT_BLOB))
			a->it[i].state = BLOB_MADE;
	}
	sb_free(&b);
	git_odb_free(odb);
	return NULL;
}

static void blobs_ahead(git_repository *repo, const char *root, struct item *it, size_t n)
{
	int nt = crm_threads();
	if (n < AHEAD_MIN || nt < 2 || git_repository_is_bare(repo))
		return;
	char objects[4096] = "";
	struct packw *pw = packw_of(repo);
	if (!pw)
		snprintf(objects, sizeof objects, "%sobjects", git_repository_path(repo));
	struct ahead a = {objects, root, pw, it, n, 0};
	atomic_init(&a.next, 0);
	pthread_t th[16];
	int started = 0;
	for (int k = 0; k < nt && k < 16; k++, started++)
		if (pthread_create(&th[k], NULL, blob_worker, &a))
			break;
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->path, ((const struct item *)b)->path);
}

int tree_update_blobs(git_repository *repo, git_tree *base, const char *root,
	char **paths, size_t n, git_oid *blobs, git_oid *out,
	git_oid **trees, size_t *ntrees, crm_err *e)
{
	struct item *it = xmalloc((n + 1) * sizeof *it);
	for (size_t i = 0; i < n; i++)
		it[i] = (struct item){paths[i], &blobs[i], git_oid_is_zero(&blobs[i]) ? BLOB_TODO : BLOB_MADE};
	qsort(it, n, sizeof *it, cmp_item);
	blobs_ahead(repo, root, it, n);
	git_oid_fromstr(&empty_tree, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
	struct upd u = {repo, root, e, NULL, 0};
	int rc = build(&u, base, it, n, 0, out);
	free(it);
	if (trees) {
		*trees = u.trees;
		*ntrees = u.ntrees;
	} else {
		free(u.trees);
	}
	return rc;
}

int tree_update(git_repository *repo, git_tree *base, const char *root,
	char **paths, size_t n, git_oid *out, crm_err *e)
{
	git_oid *blobs = xmalloc((n + 1) * sizeof *blobs);
	int rc = tree_update_blobs(repo, base, root, paths, n, blobs, out, NULL, NULL, e);
	free(blobs);
	return rc;
}
