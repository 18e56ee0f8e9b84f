/*
 * The store: a git work tree of CSV tables (crm-store(5)). Reads come from the
 * work tree, or from a commit's tree with --at; every write goes through
 * store_lock / store_put / store_commit, which either lands one commit or
 * leaves the work tree, index and HEAD exactly as they were.
 */
#ifndef CRM_STORE_H
#define CRM_STORE_H
#include <git2.h>
#include "schema.h"
#include "strset.h"

struct staged {
	char *path;     /* relative to the root */
	int existed;
	int del;        /* staged to go: a merge that takes a removal */
	unsigned gen;   /* puts of it so far: a blob made ahead is of the last one only */
	int moved;      /* renamed into place: no FILE.crm-new is left of it */
	int swapped;    /* in place (moved or removed), the old kept as FILE.crm-old */
};

struct store {
	char *root;
	git_repository *repo;
	git_config *conf;
	int digits;
	char *currency;
	char *id_format;
	int pool_stale_days;
	git_commit *at;     /* --at: read this commit, never the work tree */
	git_tree *at_tree;
	int lockfd, rdlockfd;
	struct staged *stg;
	size_t nstg;
	int stgfd;            /* .git/crm-staged while staging, plus one: 0 when not open */
	struct strmap stgidx; /* path -> its index in stg: an import stages thousands */
	struct strset folders; /* folders this write made or found there, relative to the root */
	struct blobq *bq;     /* a bulk write's blobs, made while it stages (blobq.h) */
	int dry_run;
	const char *prog;
	char *cmdline;      /* for the commit message */
	char *extra_msg;    /* -m */
	const struct csv_pre *pre; /* scans skip the lines it rules out (csv_read_lines) */
	/* crm sync: the other parent of the next commit; with ff set, HEAD moves to
	 * it instead when the staged files make exactly its tree. */
	const git_oid *merge_head;
	int ff;
	git_oid last_commit; /* what the last store_commit made (or moved HEAD to) */
	int open_shards;     /* table_shards of open/: 0 until asked */
	char user[256];      /* store_user, once found: it reads three config files and the clock */
};

/* Creates a store in dir (made if missing): repository, crm.conf, tables, first commit. */
int store_init(const char *dir, const char *prog, crm_err *e);
/* dir: -C, else $CRM_DIR, else the nearest enclosing folder holding crm.conf. */
int store_open(struct store *s, const char *dir, crm_err *e);
void store_close(struct store *s);
/* REV or YYYY-MM-DD (the last commit on or before that day). */
int store_set_at(struct store *s, const char *spec, crm_err *e);
int store_resolve(struct store *s, const char *spec, git_commit **out, crm_err *e);

const char *store_conf_str(struct store *s, const char *key, const char *dflt);
/* crm.conf's terms.default ("" when unset), checked by the one terms parser (65 if bad). */
int store_default_terms(struct store *s, const char **out, crm_err *e);
int store_conf_int(struct store *s, const char *key, int dflt);
/* The acting user: $CRM_USER, git config crm.user, else the author email's local part. */
const char *store_user(struct store *s);
/* Is the acting author a member of [role "NAME"]? */
int store_has_role(struct store *s, const char *role);

/* Sorted paths of the files below dir (relative to the root), from the work tree or --at. */
int store_list(struct store *s, const char *dir, char ***paths, size_t *n, crm_err *e);
void store_list_free(char **paths, size_t n);
/* 0, or 65 when a folder on the way to path (relative to the root) is a symbolic link. */
int store_path_safe(struct store *s, const char *path, crm_err *e);
/* Whole file; *buf is NULL (and 0 returned) when it does not exist. It reads
 * the work tree (or --at), never what this command has staged: a command that
 * changes a file twice keeps its own copy (tabedit, ledger, visitedit do). */
int store_load(struct store *s, const char *path, char **buf, size_t *len, crm_err *e);
/* A file store_list gave into b (emptied first; *found 0 when it is gone); safe
 * from several threads once store_list has run. */
int store_load_listed(struct store *s, const char *path, sbuf *b, int *found, crm_err *e);
/* The records of a file store_list gave that pass pre's line filter, read into b;
 * safe from several threads (each its own b and pre). */
int store_scan_file_pre(struct store *s, const struct table *t, const char *path, sbuf *b,
	const struct csv_pre *pre, rec_fn fn, void *ctx, crm_err *e);
/* Every record of a table, file by file in order. */
int store_scan(struct store *s, const struct table *t, rec_fn fn, void *ctx, crm_err *e);
/* Records of one file (missing file: none). */
int store_scan_file(struct store *s, const struct table *t, const char *path,
	rec_fn fn, void *ctx, crm_err *e);
int store_load_recs(struct store *s, const struct table *t, const char *path,
	struct recs *rs, crm_err *e);
/* Records of one file with only the fields in want[0..nw) set, the others empty: for
 * reports over whole ledgers, which skip the full reader where the lines allow (fields.c). */
int store_scan_fields(struct store *s, const struct table *t, const char *path, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e);
/* The same over every file of a table. */
int store_scan_table_fields(struct store *s, const struct table *t, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e);
/* How many threads a parallel scan uses here (CRM_THREADS, else the cores; 1 for --at),
 * at most SCAN_MAX: the size of a caller's array of contexts. */
#define SCAN_MAX 8
int scan_workers(struct store *s);
/* What a scan calls for each record; ahead (optional) sees records before fn
 * does, first far ahead then near, to bring what fn will touch into the cache. */
struct scanfn {
	rec_fn fn;
	void (*ahead)(void *ctx, const rec *r, int far);
};
/* store_scan_fields over paths, shared out among nctx threads: fn runs with
 * ctx[k] in thread k, never two at once on one ctx; files in no set order. */
int store_scan_paths_par(struct store *s, const struct table *t, char *const *paths, size_t n,
	const int *want, int nw, const struct scanfn *f, void *const *ctx, int nctx, crm_err *e);
/* fn(job, k, i) for every i < n on nthreads threads (k: the thread, 0 this one),
 * items handed out in order; the first failing item (by i) gives the error. */
typedef int (*par_fn)(void *job, int k, size_t i, crm_err *e);
int par_items(size_t n, int nthreads, par_fn fn, void *job, crm_err *e);
/* The same over every file of a table (ledger_scan_par: a ledger's months). */
int store_scan_par(struct store *s, const struct table *t, const int *want, int nw, const struct scanfn *f,
	void *const *ctx, int nctx, crm_err *e);

/* Writing. */
int store_lock(struct store *s, crm_err *e);
/* Stages new contents for path: written beside it and fsynced, renamed at commit.
 * buf NULL stages the file's removal. */
int store_put(struct store *s, const char *path, const char *buf, size_t len, crm_err *e);
/* The same, handing buf over (malloc'd; freed by the store, also on failure): a bulk write's
 * segments go to the threads that write them without a copy. */
int store_put_own(struct store *s, const char *path, char *buf, size_t len, crm_err *e);
int store_put_recs(struct store *s, const struct table *t, const char *path,
	struct recs *rs, crm_err *e);
/* Renames, commits with summary + command line, updates the index; or undoes all. */
int store_commit(struct store *s, const char *summary, crm_err *e);
/* Drops staged files and the lock (after a failure, or -n). */
void store_abort(struct store *s);
int store_is_staged(struct store *s, const char *path);

/* Signature from GIT_AUTHOR_NAME/EMAIL, else git config user.name/email. */
int store_author(struct store *s, git_signature **sig, crm_err *e);
const char *store_node(struct store *s);
/* The command line, shell-quoted and escaped, for the commit message. */
void store_set_cmdline(struct store *s, int argc, char **argv);

#endif
