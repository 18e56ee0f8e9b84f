/*
 * bench/genar: adds orders and receivables to a store made by `crm init` and
 * filled by bench/gen (customers), deterministic from a seed:
 *   products/ (P per 1,000 customers), warehouses/00.csv (MAIN), one opening
 *   `in` move per product in moves/ and its balance in stock/;
 *   per customer K orders of L lines over the three years to END, each
 *   shipped a few days after it was taken (orders/, lines/ with shipped and
 *   cost, shipments/), their invoices (the customer's terms or the order's,
 *   some with a plan of installments), receipts and applications (most paid,
 *   some inside a discount window, some in part, some late, some not at all,
 *   a few overpaid leaving credit on account that the next invoice takes),
 *   and open/ holding exactly the open items.
 * usage: genar [-k K] [-l L] [-p P] [-s SEED] [-e YYYY-MM-DD] [-c import.csv -N ROWS] DIR
 *
 * The history is shipped as `crm-order import` without --with-stock ships it:
 * the books only, no ship moves, cost 0.00 on the lines and the shipments; the
 * opening stock is there so that a new order can be shipped from MAIN.
 * Every rule is crm's (src/lib/ar.c, order.c, terms.c): tiers hold through
 * their last day, a full payment inside a tier is O - round(O x r), a smaller
 * one settles round(P / (1 - r)), a plan's last part takes the remainder, an
 * invoice's raise applies open credit (oldest due first, dated up to the ship
 * date), ledger ids are numbered per month and segments close at 32 KiB.
 * Records of one month are appended customer by customer (as an import in
 * customer order writes them), so ids within a month do not follow dates.
 *
 * With -c it also writes FILE: ROWS order lines (3 per order, ship dates set)
 * in crm-order import's columns, for the import benchmark; with -k 0 only
 * products, warehouses and stock are written (the store that import goes to).
 *
 * Plain C without libcrm on purpose, as bench/gen.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "seg.h"

#define SHARD_IDS 500
#define SEGMENT_BYTES (32 * 1024) /* as crm writes them (store.segment-kib) */
#define OPEN_SHARDS 4096 /* as crm writes them in a new store (open/3d/0f6c.csv) */
#define PRODUCT_SHARDS 64
#define NOWNERS 200

__extension__ typedef __int128 i128;

static const char *dir;

static uint64_t rng;
static uint64_t next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static unsigned pick(unsigned n) { return (unsigned)(((next() >> 32) * n) >> 32); }

#define N(a) (sizeof a / sizeof a[0])

static void oom(void)
{
	fputs("genar: out of memory\n", stderr);
	exit(70);
}
static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n ? n : 1)))
		oom();
	return p;
}
static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

typedef struct {
	char *s;
	size_t len, cap;
} buf;

static void grow(buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 1 << 12;
	b->s = xrealloc(b->s, b->cap);
}
static void putn(buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
}
static void puts_(buf *b, const char *s) { putn(b, s, strlen(s)); }
static void putc_(buf *b, char c)
{
	grow(b, 1);
	b->s[b->len++] = c;
}
static void putnum(buf *b, unsigned long long v, int width)
{
	char t[24];
	int i = sizeof t;
	do
		t[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	while ((int)sizeof t - i < width)
		t[--i] = '0';
	putn(b, t + i, sizeof t - (size_t)i);
}
static void putint(buf *b, long long v)
{
	if (v < 0)
		putc_(b, '-');
	putnum(b, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, 1);
}
static void putmoney(buf *b, long long v)
{
	unsigned long long a = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	if (v < 0)
		putc_(b, '-');
	putnum(b, a / 100, 1);
	putc_(b, '.');
	putnum(b, a % 100, 2);
}
/* A value with a comma or a quote is quoted (terms "2/10,n/30"); nothing else here needs it. */
static void put_field(buf *b, const char *s)
{
	if (!strpbrk(s, ",\"")) {
		puts_(b, s);
		return;
	}
	putc_(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			putc_(b, '"');
		putc_(b, *s);
	}
	putc_(b, '"');
}

/* Days since 1970-01-01 and back (H. Hinnant's civil calendar algorithms). */
static long days_from(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}
static void civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}
static void put_date(buf *b, long day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	putnum(b, (unsigned)y, 4);
	putc_(b, '-');
	putnum(b, (unsigned)m, 2);
	putc_(b, '-');
	putnum(b, (unsigned)d, 2);
}

static void mkdirs(const char *rel)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	for (char *s = p + strlen(dir) + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0777) && errno != EEXIST) {
				fprintf(stderr, "genar: cannot create %s: %s\n", p, strerror(errno));
				exit(73);
			}
			*s = '/';
		}
}
static void write_file(const char *rel, const char *s, size_t len)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 && errno == ENOENT) {
		mkdirs(rel);
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	}
	size_t off = 0;
	while (fd >= 0 && off < len) {
		ssize_t k = write(fd, s + off, len - off);
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	if (fd < 0 || off < len || close(fd)) {
		fprintf(stderr, "genar: cannot write %s: %s\n", p, strerror(errno));
		exit(73);
	}
}

static unsigned fnv(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s && *s != '@'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* round(a x b / c), half away from zero (crm's money_muldiv); c > 0 */
static long long muldiv(long long a, long long b, long long c)
{
	i128 n = (i128)a * b, q = n / c, r = n % c;
	if (r < 0)
		r = -r;
	if (2 * r >= c)
		q += n < 0 ? -1 : 1;
	return (long long)q;
}

/*
 * A ledger: per month the next id number, the open segment's number, rows
 * and bytes; a segment is written when the next line would take it past
 * 32 KiB, and the last one of each month at the end.
 */
#define MONTHS 2400 /* from year 1900 */
struct month {
	unsigned long long seq;
	int segno, rows;
	buf b;
};
struct ledger {
	const char *name, *header;
	char prefix;
	struct month *m[MONTHS];
};
static struct month *month_of(struct ledger *l, long day, int *y, int *mo)
{
	int d;
	civil(day, y, mo, &d);
	int k = (*y - 1900) * 12 + *mo - 1;
	if (k < 0 || k >= MONTHS) {
		fputs("genar: date out of range\n", stderr);
		exit(70);
	}
	if (!l->m[k]) {
		l->m[k] = calloc(1, sizeof *l->m[k]);
		if (!l->m[k])
			oom();
		l->m[k]->segno = 1;
		puts_(&l->m[k]->b, l->header);
	}
	return l->m[k];
}
static void seg_write(struct ledger *l, int y, int mo, struct month *m)
{
	char rel[128], month[16];
	snprintf(month, sizeof month, "%04d-%02d", y, mo);
	seg_rel(rel, sizeof rel, l->name, month, m->segno);
	write_file(rel, m->b.s, m->b.len);
}
/* The next id of the month of day: O202611-00042 (wider past 99999, as crm writes them). */
static void mint(struct ledger *l, long day, char *id)
{
	int y, mo;
	struct month *m = month_of(l, day, &y, &mo);
	sprintf(id, "%c%04d%02d-%05llu", l->prefix, y, mo, ++m->seq);
}
static void append(struct ledger *l, long day, const buf *line)
{
	int y, mo;
	struct month *m = month_of(l, day, &y, &mo);
	if (m->rows && m->b.len + line->len > SEGMENT_BYTES) {
		seg_write(l, y, mo, m);
		m->segno++;
		m->rows = 0;
		m->b.len = 0;
		puts_(&m->b, l->header);
	}
	putn(&m->b, line->s, line->len);
	m->rows++;
}
static void ledger_close(struct ledger *l)
{
	for (int k = 0; k < MONTHS; k++)
		if (l->m[k]) {
			if (l->m[k]->rows)
				seg_write(l, 1900 + k / 12, k % 12 + 1, l->m[k]);
			free(l->m[k]->b.s);
			free(l->m[k]);
			l->m[k] = NULL;
		}
}

static struct ledger L_orders = {"orders", "id,date,customer,owner,status,stage,probability,close_date,terms,plan,currency,ref,reason,note\n", 'O', {0}};
static struct ledger L_lines = {"lines", "id,date,order,line,sku,qty,price,discount,shipped,cost\n", 'L', {0}};
static struct ledger L_ships = {"shipments", "id,date,order,customer,owner,sku,qty,sales,cost,currency\n", 'S', {0}};
static struct ledger L_inv = {"invoices", "id,date,customer,order,kind,amount,currency,due,terms,installment,discount,note\n", 'I', {0}};
static struct ledger L_rec = {"receipts", "id,date,customer,amount,currency,method,ref\n", 'R', {0}};
static struct ledger L_app = {"applications", "id,date,kind,source,invoice,customer,currency,issued,due,terms,rate,settled,discount,note\n", 'A', {0}};
static struct ledger L_moves = {"moves", "id,date,sku,warehouse,qty,value,kind,ref,by,note\n", 'M', {0}};

/* Terms: tiers of (rate in hundredths of a percent, days), then net days. */
#define TIERS 8
struct terms {
	int n, net;
	int rate[TIERS], days[TIERS];
};
static int terms_parse(const char *s, struct terms *t)
{
	memset(t, 0, sizeof *t);
	while (!(s[0] == 'n' && s[1] == '/')) {
		if (!*s || t->n == TIERS)
			return -1;
		long w = strtol(s, (char **)&s, 10) * 100;
		if (*s == '.') {
			s++;
			if (*s >= '0' && *s <= '9')
				w += (*s++ - '0') * 10;
			if (*s >= '0' && *s <= '9')
				w += *s++ - '0';
		}
		if (*s++ != '/')
			return -1;
		t->rate[t->n] = (int)w;
		t->days[t->n++] = (int)strtol(s, (char **)&s, 10);
		if (*s == ',')
			s++;
	}
	t->net = (int)strtol(s + 2, NULL, 10);
	return 0;
}
/* The rate a payment on day `on` earns on an invoice dated `date` (the first tier that holds). */
static int rate_on(const struct terms *t, long date, long on)
{
	for (int i = 0; i < t->n; i++)
		if (on <= date + t->days[i])
			return t->rate[i];
	return 0;
}
/* O - round(O x r): what settles O in full at rate r. */
static long long full_of(long long open, int rate) { return open - muldiv(open, rate, 10000); }
/* crm's terms_settle. */
static void settle(long long open, int rate, long long pay, long long *settled, long long *discount, long long *used)
{
	long long full = full_of(open, rate);
	if (pay >= full) {
		*settled = open;
		*discount = open - full;
		*used = full;
		return;
	}
	long long s = muldiv(pay, 10000, 10000 - rate), most = pay + (open - full);
	if (s > most)
		s = most;
	*settled = s;
	*discount = s - pay;
	*used = pay;
}
/* A rate as apply() writes it: 2 % is "2", 0.5 % "0.5", 1.25 % "1.25". */
static void put_rate(buf *b, int rate)
{
	putnum(b, (unsigned)rate / 100, 1);
	if (rate % 100) {
		putc_(b, '.');
		putc_(b, (char)('0' + rate % 100 / 10));
		if (rate % 10)
			putc_(b, (char)('0' + rate % 10));
	}
}

/* Customers as bench/gen wrote them. */
struct customer {
	char id[16];
	char grade;
	unsigned char status; /* 0 active, 1 pool, 2 archived */
	short owner;          /* index in owners, -1 none */
	short terms;          /* index in termset */
};
static struct customer *custs;
static size_t ncust;
static char *ownerset[1024];
static int nowners;
static char *termset[64];
static struct terms termparsed[64];
static int nterms;

static int terms_parse(const char *s, struct terms *t);
static int intern(char **set, int *n, int cap, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(set[i], s))
			return i;
	if (*n == cap) {
		fputs("genar: too many distinct values\n", stderr);
		exit(70);
	}
	set[*n] = xstrdup(s);
	return (*n)++;
}
/* Terms by index, parsed once. */
static short term_index(const char *s)
{
	int had = nterms, i = intern(termset, &nterms, 64, s);
	if (nterms > had && terms_parse(termset[i], &termparsed[i])) {
		fprintf(stderr, "genar: terms '%s' not understood\n", s);
		exit(65);
	}
	return (short)i;
}

/* Splits one CSV line in place into at most max fields (quotes removed, "" made "). */
static int split(char *s, char **f, int max)
{
	int n = 0;
	while (n < max) {
		if (*s == '"') {
			char *w = ++s;
			f[n++] = w;
			for (;;) {
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"' || !*s) {
					if (*s)
						s++;
					break;
				} else {
					*w++ = *s++;
				}
			}
			*w = 0;
		} else {
			f[n++] = s;
			s += strcspn(s, ",\n");
		}
		if (*s != ',') {
			*s = 0;
			break;
		}
		*s++ = 0;
	}
	return n;
}

static void read_customers(void)
{
	char p[4096], line[8192], *f[32];
	for (unsigned long long f0 = 0;; f0 += SHARD_IDS) {
		snprintf(p, sizeof p, "%s/customers/%03llu/%06llu.csv", dir, f0 / 100000, f0);
		FILE *fp = fopen(p, "r");
		if (!fp)
			break;
		int ci[6] = {-1, -1, -1, -1, -1, -1}; /* id grade owner status terms */
		static const char *want[] = {"id", "grade", "owner", "status", "terms"};
		if (fgets(line, sizeof line, fp)) {
			int n = split(line, f, 32);
			for (int i = 0; i < n; i++)
				for (int k = 0; k < 5; k++)
					if (!strcmp(f[i], want[k]))
						ci[k] = i;
		}
		while (fgets(line, sizeof line, fp)) {
			int n = split(line, f, 32);
			if (n <= ci[4] || ci[4] < 0)
				continue;
			if (ncust % 4096 == 0)
				custs = xrealloc(custs, (ncust + 4096) * sizeof *custs);
			struct customer *c = &custs[ncust++];
			snprintf(c->id, sizeof c->id, "%s", f[ci[0]]);
			c->grade = f[ci[1]][0];
			c->status = !strcmp(f[ci[3]], "pool") ? 1 : !strcmp(f[ci[3]], "archived") ? 2 : 0;
			c->owner = *f[ci[2]] ? (short)intern(ownerset, &nowners, 1024, f[ci[2]]) : -1;
			c->terms = term_index(*f[ci[4]] ? f[ci[4]] : "n/30");
		}
		fclose(fp);
	}
}

/* Products: SKU, list price and the grade prices, cost; sorted by shard, then SKU. */
struct product {
	char sku[24];
	unsigned shard;
	long long price, grade[4], cost;
};
static struct product *prods;
static size_t nprod;
static int cmp_prod(const void *a, const void *b)
{
	const struct product *p = a, *q = b;
	if (p->shard != q->shard)
		return p->shard < q->shard ? -1 : 1;
	return strcmp(p->sku, q->sku);
}
static const char *const cats[] = {"tools/hand/wrench", "tools/hand/pliers", "tools/power/drill",
	"fasteners/screws/wood", "fasteners/bolts/hex", "electrical/cable/copper", "electrical/switch/wall",
	"safety/gloves/nitrile", "plumbing/valves/ball", "adhesives/sealant/silicone"};
static const char *const pnames[] = {"Wrench", "Pliers", "Drill", "Wood screws", "Hex bolts", "Copper cable",
	"Wall switch", "Nitrile gloves", "Ball valve", "Silicone sealant"};

static void make_products(size_t np, long day0)
{
	prods = xrealloc(NULL, np * sizeof *prods);
	for (size_t i = 0; i < np; i++) {
		struct product *p = &prods[i];
		snprintf(p->sku, sizeof p->sku, "SKU-%06zu", i + 1);
		p->shard = fnv(p->sku) % PRODUCT_SHARDS;
		p->price = 500 + pick(49500); /* 5.00 to 499.99 */
		static const unsigned off[] = {88, 92, 96, 100};
		for (int g = 0; g < 4; g++)
			p->grade[g] = p->price * off[g] / 100;
		p->cost = p->price * 60 / 100;
	}
	qsort(prods, np, sizeof *prods, cmp_prod);
	buf b = {0}, line = {0};
	/* stock/ has 1024 shards by the same hash: each lies within one product shard, rows in SKU order. */
	static buf st[1024];
	char rel[64], id[32];
	size_t i = 0;
	for (unsigned s = 0; s < PRODUCT_SHARDS; s++) {
		b.len = 0;
		puts_(&b, "sku,name,category,unit,price,price_a,price_b,price_c,price_d,floor,alert_level,reorder_qty,status\n");
		for (; i < np && prods[i].shard == s; i++) {
			const struct product *p = &prods[i];
			unsigned c = (unsigned)(fnv(p->sku) >> 8) % N(cats);
			puts_(&b, p->sku);
			putc_(&b, ',');
			puts_(&b, pnames[c]);
			putc_(&b, ' ');
			puts_(&b, p->sku + 4);
			putc_(&b, ',');
			puts_(&b, cats[c]);
			puts_(&b, ",pcs,");
			putmoney(&b, p->price);
			for (int g = 0; g < 4; g++) {
				putc_(&b, ',');
				putmoney(&b, p->grade[g]);
			}
			putc_(&b, ',');
			putmoney(&b, p->cost * 110 / 100);
			puts_(&b, ",100,500,active\n");
			/* Opening stock: a million units at cost, on the first day. */
			long long q = 1000000;
			line.len = 0;
			mint(&L_moves, day0, id);
			puts_(&line, id);
			putc_(&line, ',');
			put_date(&line, day0);
			putc_(&line, ',');
			puts_(&line, p->sku);
			puts_(&line, ",MAIN,");
			putint(&line, q);
			putc_(&line, ',');
			putmoney(&line, q * p->cost);
			puts_(&line, ",in,opening stock,bench,\n");
			append(&L_moves, day0, &line);
			buf *sb = &st[fnv(p->sku) % 1024];
			if (!sb->len)
				puts_(sb, "key,sku,warehouse,qty,value\n");
			puts_(sb, p->sku);
			puts_(sb, "@MAIN,");
			puts_(sb, p->sku);
			puts_(sb, ",MAIN,");
			putint(sb, q);
			putc_(sb, ',');
			putmoney(sb, q * p->cost);
			putc_(sb, '\n');
		}
		snprintf(rel, sizeof rel, "products/%02x.csv", s);
		write_file(rel, b.s, b.len);
	}
	for (unsigned s = 0; s < 1024; s++)
		if (st[s].len) {
			snprintf(rel, sizeof rel, "stock/%02x/%03x.csv", s >> 4, s);
			write_file(rel, st[s].s, st[s].len);
			free(st[s].s);
		}
	const char wh[] = "id,name,parent\nMAIN,Main warehouse,\n";
	write_file("warehouses/00.csv", wh, sizeof wh - 1);
	free(b.s);
	free(line.s);
}

/* A customer's open items, as open/ holds them. */
struct item {
	char doc[24];
	int kind;        /* 0 invoice, 1 receipt (credit on account) */
	long date, due;
	short terms;     /* -1: none */
	long long amount, open;
};
static struct item *items;
static size_t nitems, capitems;

/* open/ lines of every customer: shard and the line, sorted at the end. */
struct oline {
	unsigned shard;
	char *s;
};
static struct oline *olines;
static size_t nolines, capolines;

static int id_cmp(const char *a, const char *b)
{
	unsigned long long na = strtoull(a + 1, NULL, 10), nb = strtoull(b + 1, NULL, 10);
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}
/* items_of's order: due, date, id. */
static int cmp_item(const void *x, const void *y)
{
	const struct item *p = &items[*(const size_t *)x], *q = &items[*(const size_t *)y];
	if (p->due != q->due)
		return p->due < q->due ? -1 : 1;
	if (p->date != q->date)
		return p->date < q->date ? -1 : 1;
	return id_cmp(p->doc, q->doc);
}

static const struct customer *cur;
static const char *cur_terms_of(short t) { return t < 0 ? "" : termset[t]; }

static void app_write(const struct item *it, long date, const char *source, int rate, long long settled, long long discount)
{
	static buf line;
	char id[32];
	line.len = 0;
	mint(&L_app, date, id);
	puts_(&line, id);
	putc_(&line, ',');
	put_date(&line, date);
	puts_(&line, ",receipt,");
	puts_(&line, source);
	putc_(&line, ',');
	puts_(&line, it->doc);
	putc_(&line, ',');
	puts_(&line, cur->id);
	puts_(&line, ",CNY,");
	put_date(&line, it->date);
	putc_(&line, ',');
	put_date(&line, it->due);
	putc_(&line, ',');
	put_field(&line, cur_terms_of(it->terms));
	putc_(&line, ',');
	if (discount)
		put_rate(&line, rate);
	putc_(&line, ',');
	putmoney(&line, settled);
	putc_(&line, ',');
	putmoney(&line, discount);
	puts_(&line, ",\n");
	append(&L_app, date, &line);
}

/* offset_customer: open credit dated up to `date` against open invoices dated up to it. */
static void offset(long date)
{
	size_t cr[64], iv[64], nc = 0, ni = 0;
	for (size_t i = 0; i < nitems; i++) {
		if (items[i].date > date || !items[i].open)
			continue;
		if (items[i].open < 0 && nc < 64)
			cr[nc++] = i;
		else if (items[i].open > 0 && ni < 64)
			iv[ni++] = i;
	}
	if (!nc || !ni)
		return;
	qsort(cr, nc, sizeof *cr, cmp_item);
	qsort(iv, ni, sizeof *iv, cmp_item);
	size_t i = 0, j = 0;
	while (i < nc && j < ni) {
		struct item *c = &items[cr[i]], *v = &items[iv[j]];
		long long co = -c->open, vo = v->open, take = co < vo ? co : vo;
		app_write(v, date, c->doc, 0, take, 0);
		v->open -= take;
		c->open += take;
		if (take == co)
			i++;
		if (take == vo)
			j++;
	}
}

static struct item *item_new(void)
{
	if (nitems == capitems)
		items = xrealloc(items, (capitems = capitems ? capitems * 2 : 64) * sizeof *items);
	memset(&items[nitems], 0, sizeof *items);
	return &items[nitems++];
}

/* What a customer does with an invoice, decided when it is raised. */
enum { PAY_NONE, PAY_PART, PAY_OVER, PAY_TIER, PAY_NET, PAY_LATE };
struct event {
	long day;
	int kind;        /* 0 ship (order index), 1 receipt */
	int order, how;
	char doc[24];
};
static struct event *evs;
static size_t nevs, capevs;
static void event_add(long day, int kind, int order, int how, const char *doc)
{
	if (nevs == capevs)
		evs = xrealloc(evs, (capevs = capevs ? capevs * 2 : 64) * sizeof *evs);
	evs[nevs] = (struct event){day, kind, order, how, ""};
	snprintf(evs[nevs].doc, sizeof evs[nevs].doc, "%s", doc);
	nevs++;
}

static long last_day;
static const char *const methods[] = {"bank", "bank", "bank", "bank", "cheque", "wechat", "alipay", "cash"};

static void schedule_payment(const struct item *it, const struct terms *t)
{
	unsigned r = pick(100);
	int how;
	long day;
	if (cur->status == 2)
		r = 60; /* an archived customer paid everything on time */
	if (r < 10)
		return; /* never paid */
	else if (r < 16)
		how = PAY_PART, day = it->date + (long)pick((unsigned)(it->due - it->date + 31));
	else if (r < 19)
		how = PAY_OVER, day = it->due - (long)pick(10);
	else if (r < 45 && t->n)
		how = PAY_TIER, day = it->date + (long)pick((unsigned)t->days[0] + 1);
	else if (r < 85)
		how = PAY_NET, day = it->due - 5 + (long)pick(8);
	else
		how = PAY_LATE, day = it->due + 1 + (long)pick(75);
	if (day < it->date)
		day = it->date;
	if (day > last_day)
		return; /* not yet: open at the end */
	event_add(day, 1, 0, how, it->doc);
}

static void receipt(const struct event *ev)
{
	struct item *it = NULL;
	for (size_t i = 0; i < nitems; i++)
		if (!strcmp(items[i].doc, ev->doc))
			it = &items[i];
	if (!it || it->open <= 0)
		return; /* settled meanwhile by credit on account: nothing to pay */
	const struct terms *t = it->terms >= 0 ? &termparsed[it->terms] : NULL;
	int rate = t ? rate_on(t, it->date, ev->day) : 0;
	long long full = full_of(it->open, rate), pay = full;
	if (ev->how == PAY_PART) {
		pay = full * (30 + pick(41)) / 100;
		if (pay < 1)
			pay = 1;
	} else if (ev->how == PAY_OVER) {
		pay = full + 100 * (long long)(1 + pick((unsigned)(it->open / 200 + 1)));
	}
	long long settled, discount, used;
	settle(it->open, rate, pay, &settled, &discount, &used);
	static buf line;
	char id[32];
	line.len = 0;
	mint(&L_rec, ev->day, id);
	puts_(&line, id);
	putc_(&line, ',');
	put_date(&line, ev->day);
	putc_(&line, ',');
	puts_(&line, cur->id);
	putc_(&line, ',');
	putmoney(&line, pay);
	puts_(&line, ",CNY,");
	const char *m = methods[pick(N(methods))];
	puts_(&line, m);
	putc_(&line, ',');
	if (!strcmp(m, "bank")) {
		puts_(&line, "TT");
		putnum(&line, next() % 100000000ull, 8);
	}
	putc_(&line, '\n');
	append(&L_rec, ev->day, &line);
	app_write(it, ev->day, id, rate, settled, discount);
	it->open -= settled;
	if (pay - used > 0) {
		struct item *c = item_new();
		snprintf(c->doc, sizeof c->doc, "%s", id);
		c->kind = 1;
		c->date = c->due = ev->day;
		c->terms = -1;
		c->amount = pay;
		c->open = -(pay - used);
	}
}

/* An order: its day, ship day, terms, plan and lines. */
struct order {
	long day, ship;
	short terms;            /* the order's own terms (index), -1: the customer's */
	int plan;               /* index in plans, -1 none */
	int nl;
	struct {
		size_t p;
		long long qty, price, disc;
	} l[8];
};
static const char *const plans[] = {"30@0,70@60", "50@0,50@30"};
static const int plan_pct[][2] = {{3000, 7000}, {5000, 5000}};
static const int plan_days[][2] = {{0, 60}, {0, 30}};

static long long line_value(long long qty, long long price, long long disc)
{
	return muldiv(muldiv(price, qty, 1), 10000 - disc, 10000);
}

static const char *owner_name(const struct customer *c, int alt)
{
	if (c->owner >= 0)
		return ownerset[c->owner];
	return nowners ? ownerset[alt % nowners] : "";
}

static void ship(struct order *o, int oi, const char *oid, const char *owner)
{
	static buf line;
	char id[32];
	long long amount = 0;
	for (int k = 0; k < o->nl; k++) {
		long long v = line_value(o->l[k].qty, o->l[k].price, o->l[k].disc);
		amount += v;
		line.len = 0;
		mint(&L_ships, o->ship, id);
		puts_(&line, id);
		putc_(&line, ',');
		put_date(&line, o->ship);
		putc_(&line, ',');
		puts_(&line, oid);
		putc_(&line, ',');
		puts_(&line, cur->id);
		putc_(&line, ',');
		puts_(&line, owner);
		putc_(&line, ',');
		puts_(&line, prods[o->l[k].p].sku);
		putc_(&line, ',');
		putint(&line, o->l[k].qty);
		putc_(&line, ',');
		putmoney(&line, v);
		puts_(&line, ",0.00,CNY\n");
		append(&L_ships, o->ship, &line);
	}
	(void)oi;
	short ti = o->terms >= 0 ? o->terms : cur->terms;
	const struct terms *t = &termparsed[ti];
	int parts = o->plan >= 0 ? 2 : 1;
	long long part[2] = {amount, 0};
	if (o->plan >= 0) {
		part[0] = muldiv(amount, plan_pct[o->plan][0], 10000);
		part[1] = amount - part[0];
	}
	size_t first_new = nitems;
	for (int i = 0; i < parts; i++) {
		if (part[i] <= 0)
			continue;
		long day = o->plan >= 0 ? o->ship + plan_days[o->plan][i] : o->ship;
		long due = o->plan >= 0 ? day : o->ship + t->net;
		struct item *it = item_new();
		mint(&L_inv, day, it->doc);
		it->kind = 0;
		it->date = day;
		it->due = due;
		it->terms = ti;
		it->amount = it->open = part[i];
		line.len = 0;
		puts_(&line, it->doc);
		putc_(&line, ',');
		put_date(&line, day);
		putc_(&line, ',');
		puts_(&line, cur->id);
		putc_(&line, ',');
		puts_(&line, oid);
		puts_(&line, ",invoice,");
		putmoney(&line, part[i]);
		puts_(&line, ",CNY,");
		put_date(&line, due);
		putc_(&line, ',');
		put_field(&line, termset[ti]);
		putc_(&line, ',');
		if (parts > 1) {
			putnum(&line, (unsigned)i + 1, 1);
			putc_(&line, '/');
			putnum(&line, (unsigned)parts, 1);
		}
		puts_(&line, ",,\n");
		append(&L_inv, day, &line);
	}
	offset(o->ship);
	for (size_t i = first_new; i < nitems; i++)
		schedule_payment(&items[i], t);
}

static void write_order(struct order *o, const char *oid, const char *owner)
{
	static buf line;
	line.len = 0;
	puts_(&line, oid);
	putc_(&line, ',');
	put_date(&line, o->day);
	putc_(&line, ',');
	puts_(&line, cur->id);
	putc_(&line, ',');
	puts_(&line, owner);
	puts_(&line, ",shipped,,,,");
	if (o->terms >= 0)
		put_field(&line, termset[o->terms]);
	putc_(&line, ',');
	if (o->plan >= 0)
		put_field(&line, plans[o->plan]);
	puts_(&line, ",CNY,,,\n");
	append(&L_orders, o->day, &line);
	for (int k = 0; k < o->nl; k++) {
		line.len = 0;
		putc_(&line, 'L');
		puts_(&line, oid + 1);
		putc_(&line, '-');
		putnum(&line, (unsigned)k + 1, 1);
		putc_(&line, ',');
		put_date(&line, o->day);
		putc_(&line, ',');
		puts_(&line, oid);
		putc_(&line, ',');
		putnum(&line, (unsigned)k + 1, 1);
		putc_(&line, ',');
		puts_(&line, prods[o->l[k].p].sku);
		putc_(&line, ',');
		putint(&line, o->l[k].qty);
		putc_(&line, ',');
		putmoney(&line, o->l[k].price);
		putc_(&line, ',');
		if (o->l[k].disc)
			putmoney(&line, o->l[k].disc);
		putc_(&line, ',');
		putint(&line, o->l[k].qty);
		puts_(&line, ",0.00\n");
		append(&L_lines, o->day, &line);
	}
}

static void order_lines(struct order *o, const struct customer *c, int nl)
{
	o->nl = nl;
	int g = c->grade >= 'A' && c->grade <= 'D' ? c->grade - 'A' : 3;
	for (int k = 0; k < nl; k++) {
		o->l[k].p = pick((unsigned)nprod);
		o->l[k].qty = 1 + pick(pick(10) ? 10 : 100);
		o->l[k].price = prods[o->l[k].p].grade[g];
		o->l[k].disc = pick(10) ? 0 : 500;
	}
}

static int cmp_event(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1; /* a day's shipments before its receipts */
	return a < b ? -1 : a > b;
}

static void customer_history(int k, int nl, long first)
{
	struct order os[64];
	long span = last_day - first + 1;
	nitems = 0;
	nevs = 0;
	for (int i = 0; i < k; i++) {
		struct order *o = &os[i];
		o->day = first + (long)pick((unsigned)span);
		o->ship = o->day + (long)pick(8);
		if (o->ship > last_day)
			o->ship = last_day;
		unsigned r = pick(100);
		o->terms = r < 8 ? term_index("2/10,n/30") : r < 16 ? term_index("n/60") : -1;
		o->plan = r >= 90 && r < 95 ? 0 : r >= 95 ? 1 : -1;
		order_lines(o, cur, nl);
	}
	/* Orders by date: that is the order crm took them in. */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && os[j - 1].day > os[j].day; j--) {
			struct order t = os[j];
			os[j] = os[j - 1];
			os[j - 1] = t;
		}
	for (int i = 0; i < k; i++)
		event_add(os[i].ship, 0, i, 0, "");
	char oids[64][24];
	const char *owner = owner_name(cur, pick(1000));
	for (int i = 0; i < k; i++) {
		mint(&L_orders, os[i].day, oids[i]);
		write_order(&os[i], oids[i], owner);
	}
	/* Events in date order; a receipt scheduled by a shipment lands after it. */
	for (size_t e = 0; e < nevs; e++) {
		size_t best = e;
		for (size_t j = e + 1; j < nevs; j++)
			if (cmp_event(&evs[j], &evs[best]) < 0)
				best = j;
		if (best != e) {
			struct event t = evs[e];
			evs[e] = evs[best];
			evs[best] = t;
		}
		struct event ev = evs[e];
		if (ev.kind == 0)
			ship(&os[ev.order], ev.order, oids[ev.order], owner);
		else
			receipt(&ev);
	}
	/* What is left open goes to open/. */
	for (size_t i = 0; i < nitems; i++) {
		const struct item *it = &items[i];
		if (!it->open)
			continue;
		static buf line;
		line.len = 0;
		puts_(&line, cur->id);
		putc_(&line, '@');
		puts_(&line, it->doc);
		putc_(&line, ',');
		puts_(&line, cur->id);
		putc_(&line, ',');
		puts_(&line, it->doc);
		puts_(&line, it->kind ? ",receipt," : ",invoice,");
		put_date(&line, it->date);
		putc_(&line, ',');
		put_date(&line, it->due);
		putc_(&line, ',');
		put_field(&line, cur_terms_of(it->terms));
		puts_(&line, ",CNY,");
		putmoney(&line, it->amount);
		putc_(&line, ',');
		putmoney(&line, it->open);
		puts_(&line, ",\n");
		if (nolines == capolines)
			olines = xrealloc(olines, (capolines = capolines ? capolines * 2 : 4096) * sizeof *olines);
		olines[nolines].shard = fnv(cur->id) % OPEN_SHARDS;
		olines[nolines].s = xrealloc(NULL, line.len + 1);
		memcpy(olines[nolines].s, line.s, line.len);
		olines[nolines++].s[line.len] = 0;
	}
}

static int cmp_oline(const void *x, const void *y)
{
	const struct oline *a = x, *b = y;
	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return strcmp(a->s, b->s);
}

static void write_open(void)
{
	qsort(olines, nolines, sizeof *olines, cmp_oline);
	buf b = {0};
	char rel[64];
	size_t i = 0;
	while (i < nolines) {
		unsigned s = olines[i].shard;
		b.len = 0;
		puts_(&b, "key,customer,doc,kind,date,due,terms,currency,amount,open,discount\n");
		for (; i < nolines && olines[i].shard == s; i++) {
			puts_(&b, olines[i].s);
			free(olines[i].s);
		}
		snprintf(rel, sizeof rel, "open/%02x/%04x.csv", s >> 6, s);
		write_file(rel, b.s, b.len);
	}
	free(b.s);
}

/* The import benchmark's input: rows order lines, 3 per order, each shipped. */
static void write_import(const char *path, unsigned long long rows, long first)
{
	FILE *fp = fopen(path, "w");
	if (!fp) {
		fprintf(stderr, "genar: cannot write %s: %s\n", path, strerror(errno));
		exit(73);
	}
	size_t *act = xrealloc(NULL, ncust * sizeof *act), na = 0;
	for (size_t i = 0; i < ncust; i++)
		if (custs[i].status != 2)
			act[na++] = i;
	buf b = {0};
	puts_(&b, "ref,date,customer,sku,qty,price,discount,owner,terms,status,ship_date\n");
	unsigned long long done = 0, ref = 0;
	long span = last_day - first + 1;
	while (done < rows && na) {
		const struct customer *c = &custs[act[pick((unsigned)na)]];
		struct order o;
		int nl = rows - done < 3 ? (int)(rows - done) : 3;
		o.day = first + (long)pick((unsigned)span);
		o.ship = o.day + (long)pick(8);
		if (o.ship > last_day)
			o.ship = last_day;
		order_lines(&o, c, nl);
		ref++;
		for (int k = 0; k < nl; k++) {
			puts_(&b, "EXT-");
			putnum(&b, ref, 7);
			putc_(&b, ',');
			put_date(&b, o.day);
			putc_(&b, ',');
			puts_(&b, c->id);
			putc_(&b, ',');
			puts_(&b, prods[o.l[k].p].sku);
			putc_(&b, ',');
			putint(&b, o.l[k].qty);
			putc_(&b, ',');
			putmoney(&b, o.l[k].price);
			putc_(&b, ',');
			if (o.l[k].disc)
				putnum(&b, (unsigned long long)o.l[k].disc / 100, 1);
			putc_(&b, ',');
			puts_(&b, c->owner >= 0 ? ownerset[c->owner] : "");
			puts_(&b, ",,shipped,");
			put_date(&b, o.ship);
			putc_(&b, '\n');
		}
		done += (unsigned long long)nl;
		if (b.len > (1 << 20)) {
			fwrite(b.s, 1, b.len, fp);
			b.len = 0;
		}
	}
	fwrite(b.s, 1, b.len, fp);
	if (fclose(fp)) {
		fprintf(stderr, "genar: cannot write %s: %s\n", path, strerror(errno));
		exit(73);
	}
	free(b.s);
	free(act);
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1, rows = 0;
	int k = 5, nl = 3, per1000 = 100;
	const char *end = "2026-11-21", *csvout = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "k:l:p:s:e:c:N:")) != -1) {
		switch (opt) {
		case 'k': k = atoi(optarg); break;
		case 'l': nl = atoi(optarg); break;
		case 'p': per1000 = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'e': end = optarg; break;
		case 'c': csvout = optarg; break;
		case 'N': rows = strtoull(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	int ey, em, ed;
	if (optind != argc - 1 || sscanf(end, "%4d-%2d-%2d", &ey, &em, &ed) != 3 || k < 0 || k > 64 ||
	    nl < 1 || nl > 8 || per1000 < 1 || (csvout && !rows))
		goto usage;
	dir = argv[optind];
	last_day = days_from(ey, em, ed);
	const long first = days_from(ey - 3, em, ed) + 1;
	read_customers();
	if (!ncust) {
		fprintf(stderr, "genar: no customers in %s/customers (run bench/gen first)\n", dir);
		return 65;
	}
	/* Products and the import input from streams of their own: the same whatever -k. */
	rng = seed ^ 0x5052ull;
	size_t np = ncust * (size_t)per1000 / 1000;
	nprod = np < 10 ? 10 : np;
	make_products(nprod, first);
	ledger_close(&L_moves);
	if (csvout) {
		rng = seed ^ 0x494dull;
		write_import(csvout, rows, first);
	}
	rng = seed;
	for (size_t i = 0; i < ncust && k > 0; i++) {
		cur = &custs[i];
		customer_history(k, nl, first);
	}
	ledger_close(&L_orders);
	ledger_close(&L_lines);
	ledger_close(&L_ships);
	ledger_close(&L_inv);
	ledger_close(&L_rec);
	ledger_close(&L_app);
	write_open();
	return 0;
usage:
	fputs("usage: genar [-k ORDERS] [-l LINES] [-p PRODUCTS-PER-1000] [-s SEED] [-e YYYY-MM-DD] [-c import.csv -N ROWS] DIR\n", stderr);
	return 2;
}
