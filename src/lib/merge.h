/*
 * Three-way merge of store files by record and field (crm sync, and git's
 * merge driver): an edit of one field on each side is no conflict; the same
 * field changed two ways keeps ours and is recorded as a conflict.
 */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H
#include <stddef.h>
#include "schema.h"
#include "text.h"

struct conflict {
	char *path, *record, *field, *base, *ours, *theirs;
};

struct conflicts {
	struct conflict *c;
	size_t n, cap;
};

void conflicts_free(struct conflicts *cs);
void merge_conflict_add(struct conflicts *cs, const char *path, const char *record,
	const char *field, const char *base, const char *ours, const char *theirs);

/* One side of a merge: file bytes, or NULL when the file is absent on that side. */
struct side {
	const char *buf;
	size_t len;
};

/*
 * Merges base, ours and theirs of the store file `path` into out. Table files
 * merge record by record; other CSV files (rates, targets, conflicts.csv) as
 * sets of lines; anything else by lines, where a clash is an error (65).
 * Conflicts found are appended to cs.
 */
int merge_file(const char *path, struct side base, struct side ours, struct side theirs,
	int digits, sbuf *out, struct conflicts *cs, crm_err *e);

/* The table that holds what crm knows of unsettled conflicts (conflicts.csv). */
extern const struct table T_CONFLICTS;
#define CONFLICTS_FILE "conflicts.csv"

#endif
