#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "filter.h"
#include "loose.h"
#include "money.h"

enum op { OP_EQ, OP_NE, OP_RE, OP_LT, OP_GT, OP_LE, OP_GE };

struct term {
	int col;
	enum op op;
	char *value;
	int64_t num;  /* money, int and date values, parsed once */
	pcre2_code *re;
	pcre2_match_data *md;
	int jit;
	pcre2_code *loose; /* matches every line whose field re matches (loose.h), or NULL */
	int loose_jit;
	int pinnable;      /* anchored at the value's start: re_pin can pin it to its column */
	pcre2_code *pinned; /* re_pin's pattern for column pinned_col, kept while files agree */
	int pinned_col, pinned_jit;
	size_t vlen;
	int pos;           /* the field's column in the file being read, or -1 */
};

struct filter {
	const struct field *f;
	int digits;
	int n;
	struct term *t;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	int last;          /* the highest column a term looks at in this file, -1 for none */
	struct term *lead; /* the regex whose loose or pinned form a whole-file search runs */
	const pcre2_code *find; /* that form, for this file's columns; NULL: no search pays */
	int find_jit;
	int search;        /* searching still pays in this file (filter_skip) */
	int dense;         /* candidates in a row the search found on the very next line */
	const char *judged; /* the last line filter_skip found may match */
	const char *sure;   /* the last line may_match found to match every term, all on its bytes */
};

static const char *split(const char *arg, size_t *namelen, enum op *op, size_t *oplen)
{
	size_t i = strcspn(arg, "=!~<>");
	if (!arg[i] || i == 0)
		return NULL;
	*namelen = i;
	const char *p = arg + i;
	if (p[0] == '!' && p[1] == '=')
		*op = OP_NE, *oplen = 2;
	else if (p[0] == '<' && p[1] == '=')
		*op = OP_LE, *oplen = 2;
	else if (p[0] == '>' && p[1] == '=')
		*op = OP_GE, *oplen = 2;
	else if (p[0] == '=')
		*op = OP_EQ, *oplen = 1;
	else if (p[0] == '~')
		*op = OP_RE, *oplen = 1;
	else if (p[0] == '<')
		*op = OP_LT, *oplen = 1;
	else if (p[0] == '>')
		*op = OP_GT, *oplen = 1;
	else
		return NULL;
	return p + *oplen;
}

int filter_is_term(const char *arg)
{
	size_t nl, ol;
	enum op op;
	return split(arg, &nl, &op, &ol) != NULL;
}

static int num_of(const struct field *f, const char *v, int digits, int64_t *out)
{
	int32_t d;
	switch (f->type) {
	case FT_MONEY:
		return money_parse(v, digits, out) ? -1 : 0;
	case FT_INT:
		return int_parse(v, out) ? -1 : 0;
	case FT_DATE:
		if (date_parse(v, &d))
			return -1;
		*out = d;
		return 0;
	default:
		return -1;
	}
}

static int is_numeric(const struct field *f)
{
	return f->type == FT_MONEY || f->type == FT_INT || f->type == FT_DATE;
}

static int compile(struct filter *flt, struct term *t, const char *arg, crm_err *e)
{
	int err;
	PCRE2_SIZE off;
	t->re = pcre2_compile((PCRE2_SPTR)t->value, PCRE2_ZERO_TERMINATED,
		PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
	if (!t->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		return crm_fail_at(e, "argument", 0, flt->f[t->col].name,
			"bad regular expression '%s' at offset %zu: %s", arg, (size_t)off, msg);
	}
	t->jit = pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE) == 0;
	t->md = pcre2_match_data_create_from_pattern(t->re, NULL);
	char *loose = re_loosen(t->value);
	if (loose && strcmp(loose, t->value) == 0) {
		t->loose = t->re;
		t->loose_jit = t->jit;
	} else if (loose) {
		/* Compiled as the pattern was: a loosened pattern PCRE2 refuses is only no shortcut. */
		t->loose = pcre2_compile((PCRE2_SPTR)loose, PCRE2_ZERO_TERMINATED,
			PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		t->loose_jit = t->loose && pcre2_jit_compile(t->loose, PCRE2_JIT_COMPLETE) == 0;
	}
	free(loose);
	char *pin = re_pin(t->value, 0);
	t->pinnable = pin != NULL;
	t->pinned_col = -1;
	free(pin);
	return 0;
}

/* The term's pattern pinned to column col, compiled once for all files that agree on it. */
static pcre2_code *pinned(struct term *t, int col)
{
	if (t->pinned_col == col)
		return t->pinned;
	pcre2_code_free(t->pinned);
	char *pin = re_pin(t->value, col);
	int err;
	PCRE2_SIZE off;
	t->pinned = pin ? pcre2_compile((PCRE2_SPTR)pin, PCRE2_ZERO_TERMINATED,
		PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL) : NULL;
	t->pinned_jit = t->pinned && pcre2_jit_compile(t->pinned, PCRE2_JIT_COMPLETE) == 0;
	t->pinned_col = col;
	free(pin);
	return t->pinned;
}

/* A search is worth running over a whole file when PCRE2 knows a code unit every
 * match holds: it then skips ahead as memchr does, never stopping at each line. */
static int worth_searching(const pcre2_code *re)
{
	uint32_t first = 0, last = 0;
	pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &first);
	pcre2_pattern_info(re, PCRE2_INFO_LASTCODETYPE, &last);
	return first == 1 || last == 1;
}

int filter_parse(struct filter **out, const struct field *f, int nf, char **terms,
	int nterms, int digits, crm_err *e)
{
	struct filter *flt = xcalloc(1, sizeof *flt);
	flt->f = f;
	flt->last = -1;
	flt->digits = digits;
	flt->t = xcalloc((size_t)nterms + 1, sizeof *flt->t);
	*out = flt;
	for (int i = 0; i < nterms; i++) {
		size_t nl, ol;
		enum op op;
		const char *val = split(terms[i], &nl, &op, &ol);
		if (!val)
			return crm_fail(e, CRM_EUSAGE, "'%s' is not a filter (field=value, field~regex, field<value ...)", terms[i]);
		int col = -1;
		for (int k = 0; k < nf; k++)
			if (strlen(f[k].name) == nl && strncmp(f[k].name, terms[i], nl) == 0)
				col = k;
		if (col < 0)
			return crm_fail(e, CRM_EUSAGE, "'%.*s': no such field", (int)nl, terms[i]);
		struct term *t = &flt->t[flt->n++];
		t->col = col;
		t->op = op;
		t->value = xstrdup(val);
		t->vlen = strlen(val);
		t->pos = -1;
		if (op == OP_RE) {
			int rc = compile(flt, t, terms[i], e);
			if (rc)
				return rc;
			/* A pattern pinned to its column beats one with a literal: ^[A-C] has none. */
			if (t->pinnable && (!flt->lead || !flt->lead->pinnable))
				flt->lead = t;
			else if (!flt->lead && t->loose && worth_searching(t->loose))
				flt->lead = t;
		} else if ((op != OP_EQ && op != OP_NE) || (is_numeric(&f[col]) && *val)) {
			if (is_numeric(&f[col]) && num_of(&f[col], val, digits, &t->num))
				return crm_fail_at(e, "argument", 0, f[col].name,
					"'%s' is not a value of this field's type", val);
		}
	}
	flt->mctx = pcre2_match_context_create(NULL);
	/* Low limits: a catastrophic pattern must fail fast on every row, not crawl. */
	pcre2_set_match_limit(flt->mctx, 100000);
	pcre2_set_depth_limit(flt->mctx, 1000);
	flt->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	pcre2_jit_stack_assign(flt->mctx, NULL, flt->jit);
	return 0;
}

static int match_re(struct filter *flt, struct term *t, const char *v, const char *file,
	long line, crm_err *e)
{
	/* Values were checked for UTF-8 when read. */
	int rc = pcre2_match(t->re, (PCRE2_SPTR)v, strlen(v), 0, PCRE2_NO_UTF_CHECK, t->md, flt->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(rc, msg, sizeof msg);
	crm_fail_at(e, file, line, flt->f[t->col].name, "regular expression '%s': %s",
		t->value, msg);
	return -1;
}

static int cmp_term(struct filter *flt, struct term *t, const char *v)
{
	const struct field *f = &flt->f[t->col];
	if (is_numeric(f)) {
		int64_t x;
		if (!*v || num_of(f, v, flt->digits, &x))
			return 2; /* empty or unreadable: matches no comparison */
		return x < t->num ? -1 : x > t->num;
	}
	if (!*v)
		return 2; /* an empty text or grade is not "less" than anything either */
	int c = strcmp(v, t->value);
	return c < 0 ? -1 : c > 0;
}

int filter_match(struct filter *flt, char *const *v, const char *file, long line, crm_err *e)
{
	for (int i = 0; i < flt->n; i++) {
		struct term *t = &flt->t[i];
		const char *val = v[t->col] ? v[t->col] : "";
		int ok, c;
		switch (t->op) {
		case OP_RE:
			ok = match_re(flt, t, val, file, line, e);
			if (ok < 0)
				return -1;
			break;
		case OP_EQ:
		case OP_NE:
			c = is_numeric(&flt->f[t->col]) && *t->value && *val ? cmp_term(flt, t, val)
									   : strcmp(val, t->value) != 0;
			ok = (c == 0) == (t->op == OP_EQ);
			break;
		default:
			c = cmp_term(flt, t, val);
			ok = c != 2 && ((t->op == OP_LT && c < 0) || (t->op == OP_GT && c > 0) ||
					(t->op == OP_LE && c <= 0) || (t->op == OP_GE && c >= 0));
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* Text equality and regexes can be judged on a value's bytes; numbers are read first. */
static int judged_raw(const struct filter *flt, const struct term *t)
{
	return t->op == OP_RE || (t->op == OP_EQ && !is_numeric(&flt->f[t->col]));
}

void filter_header(void *ctx, const csv_row *h)
{
	struct filter *flt = ctx;
	flt->last = -1;
	for (int i = 0; i < flt->n; i++) {
		struct term *t = &flt->t[i];
		t->pos = -1;
		for (int k = 0; k < h->n && judged_raw(flt, t); k++)
			if (strcmp(h->f[k], flt->f[t->col].name) == 0)
				t->pos = k;
		if (t->pos > flt->last)
			flt->last = t->pos;
	}
	struct term *t = flt->lead;
	flt->find = NULL;
	if (t && t->pinnable && t->pos >= 0 && pinned(t, t->pos)) {
		flt->find = t->pinned;
		flt->find_jit = t->pinned_jit;
	} else if (t && t->loose && worth_searching(t->loose)) {
		flt->find = t->loose;
		flt->find_jit = t->loose_jit;
	}
	flt->search = flt->find != NULL;
	flt->dense = 0;
	flt->judged = NULL;
	flt->sure = NULL;
}

/* pcre2_jit_match where the pattern was JIT-compiled: no per-call checks or setup. */
static int run(struct filter *flt, const pcre2_code *re, int jit, pcre2_match_data *md,
	const char *s, size_t n)
{
	if (jit)
		return pcre2_jit_match(re, (PCRE2_SPTR)s, n, 0, 0, md, flt->mctx);
	return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, flt->mctx);
}

/*
 * 0 when the plain line cannot match: a term on a column of this file's
 * header sees that value's bytes as the full reader would give them, so ^
 * and $ mean the value's ends. Anything it cannot judge (a short line, a
 * stray quote, a regex limit) is left to the reader: 1.
 */
static int may_match(struct filter *flt, const char *line, size_t n)
{
	size_t off[CSV_MAX_FIELDS], len[CSV_MAX_FIELDS];
	if (csv_spans(line, n, flt->last, off, len) <= flt->last)
		return 1;
	int all = 1; /* every term judged here, and matched */
	for (int i = 0; i < flt->n; i++) {
		struct term *t = &flt->t[i];
		if (t->pos < 0) {
			all = 0;
			continue;
		}
		const char *v = line + off[t->pos];
		size_t vl = len[t->pos];
		if (t->op == OP_EQ && (vl != t->vlen || memcmp(v, t->value, vl) != 0))
			return 0;
		if (t->op == OP_RE) {
			int rc = run(flt, t->re, t->jit, t->md, v, vl);
			if (rc == PCRE2_ERROR_NOMATCH)
				return 0;
			all &= rc >= 0; /* a limit: filter_match says where */
		}
	}
	if (all)
		flt->sure = line;
	return 1;
}

int filter_sure(const struct filter *flt, const char *at)
{
	return at && at == flt->sure;
}

int filter_line(void *ctx, const char *line, size_t n)
{
	struct filter *flt = ctx;
	/* The line filter_skip has just stopped at was judged there already. */
	if (line == flt->judged)
		return 1;
	if (flt->last >= 0)
		return may_match(flt, line, n);
	/* No header seen (a caller without filter_header): the loose forms on the whole line. */
	for (int i = 0; i < flt->n; i++) {
		struct term *t = &flt->t[i];
		if (t->op == OP_RE && t->loose) {
			if (run(flt, t->loose, t->loose_jit, t->md, line, n) == PCRE2_ERROR_NOMATCH)
				return 0;
		} else if (t->op == OP_EQ && *t->value && !is_numeric(&flt->f[t->col]) &&
			   !memmem(line, n, t->value, t->vlen)) {
			return 0;
		}
	}
	return 1;
}

/* The start of the first line of [p, end) the lead term's search form matches, or end. */
static const char *searched(struct filter *flt, const char *p, const char *end)
{
	struct term *t = flt->lead;
	int rc = run(flt, flt->find, flt->find_jit, t->md, p, (size_t)(end - p));
	if (rc == PCRE2_ERROR_NOMATCH)
		return end;
	if (rc < 0) {
		flt->search = 0; /* a limit: the lines are judged one by one instead */
		return p;
	}
	const char *at = p + pcre2_get_ovector_pointer(t->md)[0];
	const char *nl = memrchr(p, '\n', (size_t)(at - p));
	const char *ls = nl ? nl + 1 : p;
	/* A loose form that holds on nearly every line (^[A-C] is [A-C], and every id
	 * holds a C) only adds a search to each line's own test: stop searching. */
	flt->dense = ls == p ? flt->dense + 1 : 0;
	if (flt->dense > 16)
		flt->search = 0;
	return ls;
}

const char *filter_skip(void *ctx, const char *p, const char *end, long *lines)
{
	struct filter *flt = ctx;
	*lines = -1;
	if (flt->last < 0) {
		/* No column known: only a loose search can tell, and only for its lines. */
		if (!flt->lead || !flt->lead->loose)
			return p;
		flt->find = flt->lead->loose;
		flt->find_jit = flt->lead->loose_jit;
		flt->search = 1;
		return searched(flt, p, end);
	}
	/* One search over many lines, as grep does, then each line it stops at is
	 * judged by its values; or, where no search pays, each line by its values
	 * (counted on the way: the reader need not count them again). */
	long n = 0;
	int counted = 1;
	while (p < end) {
		if (flt->search) {
			const char *at = searched(flt, p, end);
			counted &= at == p;
			if ((p = at) >= end)
				break;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (may_match(flt, p, len)) {
			flt->judged = p;
			break;
		}
		p = nl ? nl + 1 : end;
		n += nl != NULL;
	}
	if (counted)
		*lines = n;
	return p < end ? p : end;
}

void filter_free(struct filter *flt)
{
	if (!flt)
		return;
	for (int i = 0; i < flt->n; i++) {
		free(flt->t[i].value);
		if (flt->t[i].loose != flt->t[i].re)
			pcre2_code_free(flt->t[i].loose);
		pcre2_code_free(flt->t[i].pinned);
		pcre2_code_free(flt->t[i].re);
		pcre2_match_data_free(flt->t[i].md);
	}
	free(flt->t);
	pcre2_match_context_free(flt->mctx);
	pcre2_jit_stack_free(flt->jit);
	free(flt);
}
