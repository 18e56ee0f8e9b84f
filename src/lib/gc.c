#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>
#include "gc.h"

static int is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

typedef int (*loose_fn)(void *ctx, const char *path, const git_oid *id);

/* Each loose object under objects/: objects/ab/cdef... */
static int each_loose(const char *objects, loose_fn fn, void *ctx)
{
	DIR *top = opendir(objects);
	struct dirent *d;
	int rc = 0;
	if (!top)
		return -1;
	while (!rc && (d = readdir(top))) {
		if (!is_hex(d->d_name, 2))
			continue;
		char dir[4200];
		snprintf(dir, sizeof dir, "%s/%s", objects, d->d_name);
		DIR *sub = opendir(dir);
		struct dirent *f;
		while (sub && !rc && (f = readdir(sub))) {
			char hex[GIT_OID_HEXSZ + 1], path[4300];
			git_oid id;
			if (!is_hex(f->d_name, GIT_OID_HEXSZ - 2))
				continue;
			snprintf(hex, sizeof hex, "%s%s", d->d_name, f->d_name);
			snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
			if (git_oid_fromstr(&id, hex) == 0)
				rc = fn(ctx, path, &id);
		}
		if (sub)
			closedir(sub);
		/* A fan-out folder left empty goes, as git prune-packed does it. */
		rmdir(dir);
	}
	closedir(top);
	return rc;
}

static int count_one(void *ctx, const char *path, const git_oid *id)
{
	(void)path, (void)id;
	++*(size_t *)ctx;
	return 0;
}

struct drop {
	git_odb *pack;
	size_t removed;
};

static int drop_one(void *ctx, const char *path, const git_oid *id)
{
	struct drop *d = ctx;
	if (git_odb_exists(d->pack, id) && unlink(path) == 0)
		d->removed++;
	return 0;
}

/* An object database that reads only the pack whose index is idx. */
static int pack_odb(const char *idx, git_odb **out, crm_err *e)
{
	git_odb_backend *be = NULL;
	*out = NULL;
	if (git_odb_new(out) || git_odb_backend_one_pack(&be, idx) || git_odb_add_backend(*out, be, 1)) {
		git_odb_free(*out);
		*out = NULL;
		return crm_fail_git(e, idx);
	}
	return 0;
}

static int fsync_path(const char *path, crm_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int bad = fd < 0 || fsync(fd);
	if (fd >= 0)
		close(fd);
	return bad ? crm_fail_sys(e, CRM_ECANTCREAT, "cannot sync", path) : 0;
}

static int in_new(const git_oid *id, void *payload)
{
	return git_odb_exists(payload, id) ? 0 : GIT_EUSER;
}

/* Earlier packs whose every object the new pack holds (never one kept by a .keep file). */
static size_t drop_old_packs(const char *packdir, const char *name, git_odb *fresh)
{
	DIR *d = opendir(packdir);
	struct dirent *f;
	size_t n = 0;
	while (d && (f = readdir(d))) {
		size_t len = strlen(f->d_name);
		if (len < 10 || strncmp(f->d_name, "pack-", 5) || strcmp(f->d_name + len - 4, ".idx") ||
		    (strncmp(f->d_name + 5, name, len - 9) == 0 && strlen(name) == len - 9))
			continue;
		char base[4200], path[4300], keep[4300];
		snprintf(base, sizeof base, "%s/%.*s", packdir, (int)(len - 4), f->d_name);
		snprintf(path, sizeof path, "%s.idx", base);
		snprintf(keep, sizeof keep, "%s.keep", base);
		git_odb *old = NULL;
		crm_err ignore = {0};
		if (access(keep, F_OK) == 0 || pack_odb(path, &old, &ignore))
			continue;
		int all = git_odb_foreach(old, in_new, fresh) == 0;
		git_odb_free(old);
		if (!all)
			continue;
		/* The index first: a reader that finds no index does not look for the pack. */
		static const char *const ext[] = {".idx", ".pack", ".rev", ".bitmap", NULL};
		for (int i = 0; ext[i]; i++) {
			snprintf(path, sizeof path, "%s%s", base, ext[i]);
			unlink(path);
		}
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* Is every ref's object in a pack already? A pack gc wrote holds all of its
 * history, so the loose objects left are ones no ref reaches, and packing
 * again would copy the same pack. */
static int tips_packed(struct store *s, const char *packdir)
{
	git_odb *packs = NULL;
	if (git_odb_new(&packs))
		return 0;
	DIR *d = opendir(packdir);
	struct dirent *f;
	int n = 0;
	while (d && (f = readdir(d))) {
		size_t len = strlen(f->d_name);
		char idx[4400];
		git_odb_backend *be = NULL;
		if (len < 5 || strcmp(f->d_name + len - 4, ".idx"))
			continue;
		snprintf(idx, sizeof idx, "%s/%s", packdir, f->d_name);
		if (git_odb_backend_one_pack(&be, idx) == 0 && git_odb_add_backend(packs, be, 1) == 0)
			n++;
	}
	if (d)
		closedir(d);
	git_reference_iterator *it = NULL;
	git_reference *ref;
	git_oid head;
	int all = n > 0 && git_reference_iterator_new(&it, s->repo) == 0;
	while (all && git_reference_next(&ref, it) == 0) {
		git_reference *res = NULL;
		if (git_reference_resolve(&res, ref) == 0 && git_reference_target(res))
			all = git_odb_exists(packs, git_reference_target(res));
		git_reference_free(res);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (all && git_reference_name_to_id(&head, s->repo, "HEAD") == 0)
		all = git_odb_exists(packs, &head);
	git_odb_free(packs);
	return all;
}

/* What a gc stopped half way left: libgit2's temporary pack files. Only crm
 * writes these, under the write lock that this gc holds now. */
static void drop_stale_temp(const char *packdir)
{
	DIR *d = opendir(packdir);
	struct dirent *f;
	while (d && (f = readdir(d))) {
		char path[4400];
		if (strncmp(f->d_name, "pack_git2_", 10))
			continue;
		snprintf(path, sizeof path, "%s/%s", packdir, f->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
}

static int build_pack(struct store *s, const char *packdir, struct gc_result *r, crm_err *e)
{
	git_packbuilder *pb = NULL;
	git_revwalk *w = NULL;
	int rc = 0;
	if (git_packbuilder_new(&pb, s->repo) || git_revwalk_new(&w, s->repo))
		rc = crm_fail_git(e, "gc");
	if (!rc) {
		git_packbuilder_set_threads(pb, 0);
		/* Every ref's history, and HEAD's when it is detached. */
		if (git_revwalk_push_glob(w, "*") || (!git_repository_head_unborn(s->repo) && git_revwalk_push_head(w)))
			rc = crm_fail_git(e, "gc: refs");
	}
	if (!rc && git_packbuilder_insert_walk(pb, w))
		rc = crm_fail_git(e, "gc: reachable objects");
	if (!rc && git_packbuilder_object_count(pb) > 0) {
		if (git_packbuilder_write(pb, packdir, 0, NULL, NULL))
			rc = crm_fail_git(e, "gc: writing the pack");
		if (!rc) {
			r->packed = git_packbuilder_object_count(pb);
			snprintf(r->pack, sizeof r->pack, "%s", git_packbuilder_name(pb));
		}
	}
	git_revwalk_free(w);
	git_packbuilder_free(pb);
	return rc;
}

int store_gc(struct store *s, int dry_run, struct gc_result *r, crm_err *e)
{
	char objects[4096], packdir[4200], idx[4400], file[4400];
	memset(r, 0, sizeof *r);
	snprintf(objects, sizeof objects, "%sobjects", git_repository_path(s->repo));
	snprintf(packdir, sizeof packdir, "%s/pack", objects);
	/* Packing allocates and frees large buffers by the thousand; where giving
	 * memory back to the system is slow (a VM), that was most of gc's time. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
	int rc = dry_run ? 0 : store_lock(s, e);
	if (!rc)
		each_loose(objects, count_one, &r->loose);
	if (rc || dry_run || r->loose == 0 || tips_packed(s, packdir)) {
		store_abort(s);
		return rc;
	}
	drop_stale_temp(packdir);
	rc = build_pack(s, packdir, r, e);
	if (!rc && r->packed) {
		/* The pack must be on disk before the only other copies go. */
		snprintf(idx, sizeof idx, "%s/pack-%s.idx", packdir, r->pack);
		snprintf(file, sizeof file, "%s/pack-%s.pack", packdir, r->pack);
		rc = fsync_path(file, e);
		if (!rc)
			rc = fsync_path(idx, e);
		if (!rc)
			rc = fsync_path(packdir, e);
		git_odb *pack = NULL;
		if (!rc)
			rc = pack_odb(idx, &pack, e);
		if (!rc) {
			struct drop d = {pack, 0};
			each_loose(objects, drop_one, &d);
			r->removed = d.removed;
			r->old_packs = drop_old_packs(packdir, r->pack, pack);
		}
		git_odb_free(pack);
	}
	store_abort(s);
	return rc;
}
