/*
 * bench/genstock: fills a store made by `crm init` with P products, W
 * warehouses and M stock moves over the three years to END, with the
 * balances those moves leave; deterministic from a seed.
 * usage: genstock [-p P] [-m M] [-w W] [-s SEED] [-e YYYY-MM-DD]
 *                 [-c moves.csv] [-r products.csv] DIR
 *
 * Plain C without libcrm, like bench/gen: it writes the files as the stock
 * tables are specified (products and stock in 64 shards by the FNV-1a hash
 * of the SKU, sorted by key; moves in 32 KiB monthly segments numbered per
 * month), so a benchmark that reads them also checks that crm-stock and the
 * format agree. Costs follow the moving average exactly (DESIGN §6): per SKU
 * and warehouse a quantity Q and a value V in minor units; an outgoing q
 * takes round(V×q/Q) half away from zero, all of V when q = Q. Stock never
 * goes below zero. Money has the default 2 fraction digits.
 * Each product is stocked in the first warehouse and in each other one with
 * even odds; when M is at least twice those balances, each opens with an `in`
 * on the first day, so ledgers of every such size have the same balances.
 * With -c it also writes the moves as one CSV (the input of sqlite3), with
 * -r the products.
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

#define SEGMENT_BYTES (32 * 1024) /* as crm writes them (store.segment-kib) */
#define NSHARDS 64       /* products/XX.csv */
#define STOCK_SHARDS 1024 /* stock/XXX.csv: the same hash, so a stock shard's SKUs lie in one product shard */
#define MAXWH 4

__extension__ typedef __int128 i128;

static const char *dir;

/* splitmix64: fast, and the same sequence on every machine */
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

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "genstock: %s %s: %s\n", what, arg, strerror(errno));
	exit(73);
}

/* An output buffer. */
typedef struct {
	char *s;
	size_t len, cap;
} buf;

static void grow(buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 1 << 16;
	if (!(b->s = realloc(b->s, b->cap))) {
		fputs("genstock: out of memory\n", stderr);
		exit(70);
	}
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
/* Minor units as a decimal with 2 fraction digits: -190.00, 0.05. */
static void putmoney(buf *b, long long v)
{
	unsigned long long a = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	if (v < 0)
		putc_(b, '-');
	putnum(b, a / 100, 1);
	putc_(b, '.');
	putnum(b, a % 100, 2);
}

/* crm's dialect: quote a value holding ',' or '"', double the quotes. */
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

static void mkdirs(const char *rel)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	for (char *s = p + strlen(dir) + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0777) && errno != EEXIST)
				die("cannot create", p);
			*s = '/';
		}
}

static void write_file(const char *rel, const buf *b)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 && errno == ENOENT) {
		mkdirs(rel);
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	}
	size_t off = 0;
	while (fd >= 0 && off < b->len) {
		ssize_t k = write(fd, b->s + off, b->len - off);
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	if (fd < 0 || off < b->len || close(fd))
		die("cannot write", p);
}

static uint32_t fnv(const char *sku)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *s = (const unsigned char *)sku; *s; s++) {
		h ^= *s;
		h *= 16777619u;
	}
	return h;
}

static unsigned shard_of(const char *sku)
{
	return fnv(sku) % NSHARDS;
}

/*
 * Leaf categories, three levels deep: the path, the SKU prefix, an English
 * and a Chinese noun, the sizes a name is made with, the unit, a list price
 * range in minor units, and the quantity scale of one delivery.
 */
static const struct cat {
	const char *path, *code, *en, *zh, *sizes, *unit;
	unsigned lo, hi, scale;
} cats[] = {
	{"tools/hand/wrench", "WRN", "Combination wrench", "两用扳手", "8 mm|10 mm|13 mm|17 mm|19 mm|24 mm", "pcs", 1200, 9800, 2},
	{"tools/hand/screwdriver", "SCD", "Screwdriver", "螺丝刀", "PH1 x 75 mm|PH2 x 100 mm|SL5 x 100 mm|PZ2 x 125 mm", "pcs", 600, 4500, 3},
	{"tools/hand/hammer", "HAM", "Claw hammer", "羊角锤", "300 g|450 g|680 g", "pcs", 2500, 12000, 1},
	{"tools/hand/pliers", "PLR", "Combination pliers", "钢丝钳", "160 mm|180 mm|200 mm", "pcs", 1800, 8900, 2},
	{"tools/power/drill", "DRL", "Cordless drill", "充电电钻", "12 V|18 V|20 V, 2 batteries", "pcs", 19900, 129900, 1},
	{"tools/power/grinder", "GRD", "Angle grinder", "角磨机", "100 mm|115 mm|125 mm", "pcs", 15900, 79900, 1},
	{"tools/power/saw", "SAW", "Circular saw", "电圆锯", "165 mm|185 mm|210 mm", "pcs", 29900, 149900, 1},
	{"tools/measuring/tape", "TAP", "Tape measure", "卷尺", "3 m|5 m|7.5 m|10 m", "pcs", 900, 5900, 4},
	{"tools/measuring/caliper", "CAL", "Digital caliper", "数显卡尺", "150 mm|200 mm|300 mm", "pcs", 8900, 59900, 1},
	{"fasteners/screws/wood", "WSC", "Wood screw", "木螺丝", "3.5 x 30|4 x 40|4.5 x 50|5 x 60", "box", 800, 4500, 20},
	{"fasteners/screws/machine", "MSC", "Machine screw", "机螺钉", "M3 x 10|M4 x 12|M5 x 16|M6 x 20", "box", 600, 3900, 20},
	{"fasteners/bolts/hex", "BLT", "Hex bolt", "六角螺栓", "M8 x 40|M10 x 50|M12 x 60|M16 x 80", "box", 1500, 9900, 10},
	{"fasteners/nuts/hex", "NUT", "Hex nut", "六角螺母", "M6|M8|M10|M12|M16", "box", 500, 3500, 20},
	{"fasteners/anchors/wall", "ANC", "Wall plug", "膨胀管", "6 mm|8 mm|10 mm", "box", 400, 2900, 20},
	{"electrical/cable/power", "CBL", "Power cable", "电源线", "2 x 1.5 mm²|3 x 2.5 mm²|3 x 4 mm²", "m", 150, 1800, 100},
	{"electrical/cable/network", "NET", "Network cable", "网线", "Cat5e|Cat6|Cat6A", "m", 120, 900, 100},
	{"electrical/switches/wall", "SWT", "Wall switch", "墙壁开关", "1 gang|2 gang|3 gang", "pcs", 800, 6900, 5},
	{"electrical/lighting/led", "LED", "LED bulb", "LED灯泡", "5 W E27|9 W E27|12 W E27|7 W GU10", "pcs", 500, 3900, 10},
	{"electrical/lighting/tube", "TUB", "LED tube", "LED灯管", "0.6 m|1.2 m|1.5 m", "pcs", 1500, 8900, 5},
	{"plumbing/pipe/pvc", "PVC", "PVC pipe", "PVC管", "20 mm|25 mm|32 mm|50 mm|110 mm", "m", 300, 4500, 50},
	{"plumbing/fittings/elbow", "ELB", "Elbow 90°", "90°弯头", "20 mm|25 mm|32 mm|50 mm", "pcs", 80, 1200, 20},
	{"plumbing/valves/ball", "VLV", "Ball valve", "球阀", "DN15|DN20|DN25|DN32", "pcs", 1900, 12900, 3},
	{"plumbing/taps/kitchen", "TPK", "Kitchen tap", "厨房龙头", "chrome|brushed steel|black", "pcs", 12900, 89900, 1},
	{"safety/gloves/work", "GLV", "Work gloves", "劳保手套", "S|M|L|XL", "pair", 300, 2900, 50},
	{"safety/eyewear/goggles", "GOG", "Safety goggles", "护目镜", "clear|tinted|anti-fog", "pcs", 900, 5900, 5},
	{"safety/helmets/hard-hat", "HLM", "Hard hat", "安全帽", "white|yellow|red|blue", "pcs", 1900, 9900, 5},
	{"paint/interior/emulsion", "PNT", "Interior emulsion", "内墙乳胶漆", "1 L|5 L|18 L", "pcs", 3900, 59900, 3},
	{"paint/brushes/flat", "BRS", "Flat brush", "扁刷", "25 mm|50 mm|75 mm|100 mm", "pcs", 300, 2900, 10},
	{"paint/tape/masking", "MSK", "Masking tape", "美纹纸", "24 mm x 50 m|36 mm x 50 m|48 mm x 50 m", "roll", 300, 1900, 20},
	{"garden/hoses/hose", "HOS", "Garden hose", "园艺水管", "15 m|25 m|50 m", "pcs", 4900, 29900, 2},
	{"garden/tools/spade", "SPD", "Spade", "铁锹", "standard|long handle|border", "pcs", 2900, 15900, 2},
	{"office/paper/a4", "PAP", "Copy paper A4", "A4复印纸", "70 g|80 g|90 g", "ream", 1500, 4500, 20},
	{"office/writing/pen", "PEN", "Gel pen", "中性笔", "0.38 mm|0.5 mm|0.7 mm", "box", 600, 3900, 10},
	{"adhesives/glue/epoxy", "EPX", "Epoxy adhesive", "环氧胶", "25 ml|50 ml|250 ml", "pcs", 900, 6900, 5},
	{"adhesives/sealant/silicone", "SIL", "Silicone sealant", "硅酮密封胶", "clear|white|grey", "pcs", 1200, 4900, 10},
};
static const char *const brands_en[] = {"Ironclad", "Northstar", "Redline", "Apex", "Kingtool",
	"Bluefield", "Hardline", "Stonegate", "Vantage", "Tigerhead"};
static const char *const brands_zh[] = {"长城", "虎牌", "恒力", "金鹿", "三和", "华泰", "东成",
	"得力", "正泰", "公牛"};
static const char *const packs[] = {"pack of 10", "pack of 50", "pack of 100", "pack of 200"};

static const struct wh {
	const char *id, *name, *parent;
	unsigned weight;
} whs[MAXWH] = {
	{"MAIN", "Main warehouse", "", 55},
	{"SH", "上海仓", "", 25},
	{"GZ", "广州仓", "", 15},
	{"MAIN-RET", "Main warehouse, returns area", "MAIN", 5},
};
static const char *const users[] = {"wangwei", "lifang", "zhangna", "liumin", "chenjing",
	"yanglei", "huangqiang", "zhaojun", "wuyan", "zhoutao"};
static const char *const out_refs[] = {"scrap", "sample", "internal use", "damaged", "expired"};
static const char *const notes[] = {"", "", "", "", "", "", "", "", "", "", "", "", "",
	"partial delivery", "补货", "urgent, by courier", "按合同", "customer pickup"};

struct product {
	char sku[16];
	unsigned cat, cost, scale; /* base unit cost in minor units */
	unsigned char shard, whs; /* the warehouses that stock it, a bit each */
};

static const char product_header[] =
	"sku,name,category,unit,price,price_a,price_b,price_c,price_d,floor,alert_level,reorder_qty,status\n";
static const char move_header[] = "id,date,sku,warehouse,qty,value,kind,ref,by,note\n";
static const char stock_header[] = "key,sku,warehouse,qty,value\n";

static struct product *prods;
static long long *Q, *V; /* per product × warehouse */
static unsigned nwh;

static int cmp_sku(const void *a, const void *b)
{
	return strcmp(((const struct product *)a)->sku, ((const struct product *)b)->sku);
}

/* round(v × q / d), half away from zero, through 128 bits; d > 0 */
static long long share(long long v, long long q, long long d)
{
	i128 n = (i128)v * q;
	i128 r = n >= 0 ? (2 * n + d) / (2 * (i128)d) : -((-2 * n + d) / (2 * (i128)d));
	return (long long)r;
}

/* The value an outgoing q takes from a balance: all of it when q = Q. */
static long long take(long long q, long long bq, long long bv)
{
	return q == bq ? bv : share(bv, q, bq);
}

/* The ledger writer: segments of one month, ids numbered per month. */
static buf seg, line;
static FILE *movecsv;
static char month[8];
static int segno;
static unsigned long long mseq;

static void flush_segment(void)
{
	char rel[64];
	if (segno && seg.len > sizeof move_header - 1) {
		seg_rel(rel, sizeof rel, "moves", month, segno);
		write_file(rel, &seg);
	}
	seg.len = 0;
	puts_(&seg, move_header);
}

static void emit(long day, const struct product *p, unsigned w, long long qty, long long value,
	const char *kind, const char *ref, const char *note)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	char mo[8];
	snprintf(mo, sizeof mo, "%04d-%02d", y, m);
	if (strcmp(mo, month)) {
		flush_segment();
		memcpy(month, mo, sizeof mo);
		segno = 1;
		mseq = 0;
	}
	line.len = 0;
	putc_(&line, 'M');
	putnum(&line, (unsigned)y, 4);
	putnum(&line, (unsigned)m, 2);
	putc_(&line, '-');
	putnum(&line, ++mseq, 5);
	putc_(&line, ',');
	putnum(&line, (unsigned)y, 4);
	putc_(&line, '-');
	putnum(&line, (unsigned)m, 2);
	putc_(&line, '-');
	putnum(&line, (unsigned)d, 2);
	putc_(&line, ',');
	puts_(&line, p->sku);
	putc_(&line, ',');
	puts_(&line, whs[w].id);
	putc_(&line, ',');
	putint(&line, qty);
	putc_(&line, ',');
	putmoney(&line, value);
	putc_(&line, ',');
	puts_(&line, kind);
	putc_(&line, ',');
	put_field(&line, ref);
	putc_(&line, ',');
	puts_(&line, users[pick(N(users))]);
	putc_(&line, ',');
	put_field(&line, note);
	putc_(&line, '\n');
	if (seg.len > sizeof move_header - 1 && seg.len + line.len > SEGMENT_BYTES) {
		flush_segment();
		segno++;
	}
	putn(&seg, line.s, line.len);
	if (movecsv && fwrite(line.s, 1, line.len, movecsv) != line.len)
		die("cannot write", "the moves CSV");
}

/* A warehouse that stocks the product, by the warehouses' weights; other than not, if any. */
static int pick_wh(const struct product *p, int not)
{
	unsigned sum = 0, r;
	for (unsigned i = 0; i < nwh; i++)
		if (p->whs >> i & 1 && (int)i != not)
			sum += whs[i].weight;
	if (!sum)
		return -1;
	r = pick(sum);
	for (unsigned i = 0; i < nwh; i++)
		if (p->whs >> i & 1 && (int)i != not) {
			if (r < whs[i].weight)
				return (int)i;
			r -= whs[i].weight;
		}
	return -1;
}

/*
 * One event on product p in warehouse w on day d; returns the number of move
 * records written (a transfer writes two). room: records still allowed.
 */
static unsigned event(long day, long first, long ndays, struct product *p, unsigned w,
	unsigned long long room)
{
	long long *q = &Q[(size_t)(p - prods) * nwh + w], *v = &V[(size_t)(p - prods) * nwh + w];
	char ref[40];
	unsigned r = pick(100);
	int y, m, dd;
	civil(day, &y, &m, &dd);
	if (*q == 0 || r < 34) {
		/* A delivery: unit cost drifts up 4 % a year, ±10 % per delivery. */
		long long n = (long long)p->scale * (5 + pick(46));
		long long c = (long long)p->cost * (1000 + 40 * 3 * (day - first) / ndays + pick(201) - 100) / 1000;
		if (c < 1)
			c = 1;
		snprintf(ref, sizeof ref, "PO-%04d-%05u", y, 1 + pick(20000));
		*q += n;
		*v += n * c;
		emit(day, p, w, n, n * c, "in", ref, notes[pick(N(notes))]);
		return 1;
	}
	if (r < 97 || *q < 2) {
		/* Outgoing: a shipment, an issue, or a transfer to another warehouse. */
		/* an issue takes a few, a shipment or transfer up to a large delivery's worth */
		long long cap = (long long)p->scale * (r < 54 ? 3 : 30), n;
		n = pick(20) == 0 ? *q : 1 + (long long)pick((unsigned)(*q < cap ? *q : cap));
		long long val = take(n, *q, *v);
		const char *kind;
		if (r < 54) {
			kind = "out";
			snprintf(ref, sizeof ref, "%s", out_refs[pick(N(out_refs))]);
		} else if (r < 88 || room < 2 || pick_wh(p, (int)w) < 0) {
			kind = "ship";
			snprintf(ref, sizeof ref, "O%04d%02d-%05u", y, m, 1 + pick(9000));
		} else if (r < 93) {
			unsigned to = (unsigned)pick_wh(p, (int)w);
			size_t k = (size_t)(p - prods) * nwh + to;
			*q -= n;
			*v -= val;
			emit(day, p, w, -n, -val, "move", "transfer", "");
			Q[k] += n;
			V[k] += val;
			emit(day, p, to, n, val, "move", "transfer", "");
			return 2;
		} else {
			kind = "ship";
			snprintf(ref, sizeof ref, "O%04d%02d-%05u", y, m, 1 + pick(9000));
		}
		*q -= n;
		*v -= val;
		emit(day, p, w, -n, -val, kind, ref, notes[pick(N(notes))]);
		return 1;
	}
	/* A stocktake finding a few more or fewer, or a customer's return. */
	snprintf(ref, sizeof ref, "stocktake %04d-%02d", y, m);
	if (r < 99) {
		long long dq = (long long)pick(6) - 3;
		if (dq >= 0)
			dq++;
		if (dq < 0 && -dq > *q)
			dq = -*q;
		long long val = dq > 0 ? share(*v, dq, *q) : -take(-dq, *q, *v);
		*q += dq;
		*v += val;
		emit(day, p, w, dq, val, "count", ref, "");
		return 1;
	}
	long long n = 1 + pick(p->scale * 2);
	long long val = share(*v, n, *q);
	snprintf(ref, sizeof ref, "O%04d%02d-%05u", y, m, 1 + pick(9000));
	*q += n;
	*v += val;
	emit(day, p, w, n, val, "return", ref, "");
	return 1;
}

static void write_products(size_t np, FILE *csv)
{
	buf b = {0};
	char rel[64], name[200], spec[64];
	size_t i = 0;
	for (unsigned s = 0; s < NSHARDS; s++) {
		b.len = 0;
		puts_(&b, product_header);
		if (csv && s == 0)
			fputs(product_header, csv);
		for (; i < np && prods[i].shard == s; i++) {
			const struct product *p = &prods[i];
			const struct cat *c = &cats[p->cat];
			uint64_t h = p->cost * 2654435761u + i; /* the name's variations, stable */
			size_t row = b.len;
			/* the size: the (h % count)-th of the '|'-separated list */
			unsigned nsz = 1;
			for (const char *t = c->sizes; *t; t++)
				nsz += *t == '|';
			const char *t = c->sizes;
			for (unsigned k = (unsigned)(h % nsz); k; t++)
				k -= *t == '|';
			size_t L = strcspn(t, "|");
			snprintf(spec, sizeof spec, "%.*s", (int)L, t);
			if (h / 7 % 5 < 2)
				snprintf(name, sizeof name, "%s %s %s", brands_zh[h / 11 % N(brands_zh)], c->zh, spec);
			else
				snprintf(name, sizeof name, "%s %s %s", brands_en[h / 11 % N(brands_en)], c->en, spec);
			if (!strcmp(c->unit, "box"))
				snprintf(name + strlen(name), sizeof name - strlen(name), ", %s", packs[h / 13 % N(packs)]);
			/* list price from the cost: a 35-80 % markup; grades A-D a little under it */
			unsigned price = p->cost * (135 + (unsigned)(h / 17 % 46)) / 100;
			puts_(&b, p->sku);
			putc_(&b, ',');
			put_field(&b, name);
			putc_(&b, ',');
			puts_(&b, c->path);
			putc_(&b, ',');
			puts_(&b, c->unit);
			putc_(&b, ',');
			putmoney(&b, price);
			static const unsigned off[] = {88, 92, 96, 100};
			for (unsigned g = 0; g < 4; g++) {
				putc_(&b, ',');
				if (h / 19 % 4)
					putmoney(&b, (long long)price * off[g] / 100);
			}
			putc_(&b, ',');
			putmoney(&b, (long long)p->cost * 110 / 100);
			putc_(&b, ',');
			if (h / 23 % 5) {
				putnum(&b, p->scale * (5 + h / 29 % 46), 1);
				putc_(&b, ',');
				if (h / 31 % 5 < 3)
					putnum(&b, p->scale * (20 + h / 37 % 181), 1);
			} else {
				putc_(&b, ',');
			}
			puts_(&b, h / 41 % 100 < 3 ? ",discontinued\n" : ",active\n");
			if (csv)
				fwrite(b.s + row, 1, b.len - row, csv);
		}
		snprintf(rel, sizeof rel, "products/%02x.csv", s);
		write_file(rel, &b);
	}
	free(b.s);
}

/* Balances: a row for every SKU and warehouse that has had a move. */
struct key {
	char k[40];
	size_t i;
	unsigned w;
};
static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct key *)a)->k, ((const struct key *)b)->k);
}

static void write_stock(size_t np, const unsigned char *seen)
{
	buf b = {0};
	char rel[64];
	struct key *ks = NULL;
	size_t nk = 0, cap = 0, first = 0;
	for (unsigned s = 0; s < STOCK_SHARDS; s++) {
		nk = 0;
		/* 1024 is a multiple of 64: stock shard s holds SKUs of product shard s % 64 only. */
		if (s % NSHARDS == 0)
			first = 0;
		while (first < np && prods[first].shard < s % NSHARDS)
			first++;
		for (size_t i = first; i < np && prods[i].shard == s % NSHARDS; i++) {
			if (fnv(prods[i].sku) % STOCK_SHARDS != s)
				continue;
			for (unsigned w = 0; w < nwh; w++) {
				if (!seen[i * nwh + w])
					continue;
				if (nk == cap && !(ks = realloc(ks, (cap = cap ? 2 * cap : 1024) * sizeof *ks))) {
					fputs("genstock: out of memory\n", stderr);
					exit(70);
				}
				snprintf(ks[nk].k, sizeof ks[nk].k, "%s@%s", prods[i].sku, whs[w].id);
				ks[nk].i = i;
				ks[nk++].w = w;
			}
		}
		qsort(ks, nk, sizeof *ks, cmp_key);
		b.len = 0;
		puts_(&b, stock_header);
		for (size_t k = 0; k < nk; k++) {
			puts_(&b, ks[k].k);
			putc_(&b, ',');
			puts_(&b, prods[ks[k].i].sku);
			putc_(&b, ',');
			puts_(&b, whs[ks[k].w].id);
			putc_(&b, ',');
			putint(&b, Q[ks[k].i * nwh + ks[k].w]);
			putc_(&b, ',');
			putmoney(&b, V[ks[k].i * nwh + ks[k].w]);
			putc_(&b, '\n');
		}
		snprintf(rel, sizeof rel, "stock/%02x/%03x.csv", s >> 4, s);
		write_file(rel, &b);
	}
	free(ks);
	free(b.s);
}

static void write_warehouses(void)
{
	/* sorted by id with strcmp */
	unsigned ord[MAXWH];
	for (unsigned i = 0; i < nwh; i++)
		ord[i] = i;
	for (unsigned i = 1; i < nwh; i++)
		for (unsigned j = i; j > 0 && strcmp(whs[ord[j - 1]].id, whs[ord[j]].id) > 0; j--) {
			unsigned t = ord[j];
			ord[j] = ord[j - 1];
			ord[j - 1] = t;
		}
	buf b = {0};
	puts_(&b, "id,name,parent\n");
	for (unsigned i = 0; i < nwh; i++) {
		puts_(&b, whs[ord[i]].id);
		putc_(&b, ',');
		put_field(&b, whs[ord[i]].name);
		putc_(&b, ',');
		puts_(&b, whs[ord[i]].parent);
		putc_(&b, '\n');
	}
	write_file("warehouses/00.csv", &b);
	free(b.s);
}

int main(int argc, char **argv)
{
	unsigned long long np = 100000, nm = 10000, seed = 1, npairs = 0;
	const char *movesout = NULL, *prodsout = NULL, *end = "2026-11-21";
	int opt;
	nwh = 3;
	while ((opt = getopt(argc, argv, "p:m:w:s:e:c:r:")) != -1) {
		switch (opt) {
		case 'p': np = strtoull(optarg, NULL, 10); break;
		case 'm': nm = strtoull(optarg, NULL, 10); break;
		case 'w': nwh = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'e': end = optarg; break;
		case 'c': movesout = optarg; break;
		case 'r': prodsout = optarg; break;
		default: goto usage;
		}
	}
	int ey, em, ed;
	if (optind != argc - 1 || sscanf(end, "%4d-%2d-%2d", &ey, &em, &ed) != 3 || np < 1 ||
	    np > 999999ull || nwh < 1 || nwh > MAXWH)
		goto usage;
	dir = argv[optind];
	rng = seed;
	const long last = days_from(ey, em, ed), first = days_from(ey - 3, em, ed) + 1;
	const long ndays = last - first + 1;

	/* Products: SKUs by category code and number, sharded and sorted. */
	prods = calloc(np, sizeof *prods);
	Q = calloc(np * nwh, sizeof *Q);
	V = calloc(np * nwh, sizeof *V);
	unsigned char *seen = calloc(np * nwh, 1);
	if (!prods || !Q || !V || !seen) {
		fputs("genstock: out of memory\n", stderr);
		return 70;
	}
	for (size_t i = 0; i < np; i++) {
		struct product *p = &prods[i];
		p->cat = pick(N(cats));
		const struct cat *c = &cats[p->cat];
		unsigned price = c->lo + pick(c->hi - c->lo + 1);
		p->cost = price * (56 + pick(19)) / 100; /* 56-74 % of a list price */
		p->scale = c->scale;
		snprintf(p->sku, sizeof p->sku, "%s-%06zu", c->code, i + 1);
		p->shard = (unsigned char)shard_of(p->sku);
		/* the first warehouse stocks everything, each other one half the range */
		p->whs = 1;
		for (unsigned w = 1; w < nwh; w++)
			p->whs |= (unsigned char)(pick(2) << w);
		npairs += (unsigned)__builtin_popcount(p->whs);
	}
	/* Sorted by SKU, then (stably) by shard: the order of the files. */
	size_t nhot = 0, *hot = malloc(np * sizeof *hot);
	qsort(prods, np, sizeof *prods, cmp_sku);
	{
		struct product *t = malloc(np * sizeof *t);
		size_t cnt[NSHARDS + 1] = {0};
		if (!t || !hot) {
			fputs("genstock: out of memory\n", stderr);
			return 70;
		}
		for (size_t i = 0; i < np; i++)
			cnt[prods[i].shard + 1]++;
		for (unsigned s = 0; s < NSHARDS; s++)
			cnt[s + 1] += cnt[s];
		for (size_t i = 0; i < np; i++)
			t[cnt[prods[i].shard]++] = prods[i];
		memcpy(prods, t, np * sizeof *t);
		free(t);
	}
	/* Popularity: a fifth of the products (numbers ending in 0 or 5) take four moves in five. */
	for (size_t i = 0; i < np; i++)
		if (strtoull(prods[i].sku + 4, NULL, 10) % 5 == 0)
			hot[nhot++] = i;
	if (!nhot)
		hot[nhot++] = 0;

	FILE *pcsv = prodsout ? fopen(prodsout, "w") : NULL;
	if (prodsout && !pcsv)
		die("cannot write", prodsout);
	write_products(np, pcsv);
	if (pcsv && fclose(pcsv))
		die("cannot write", prodsout);
	write_warehouses();

	movecsv = movesout ? fopen(movesout, "w") : NULL;
	if (movesout && !movecsv)
		die("cannot write", movesout);
	if (movecsv)
		fputs(move_header, movecsv);

	/*
	 * Moves over the days, fewer on weekends and growing by half over the
	 * three years; each day's share is exact, so the total is too.
	 */
	unsigned long long wsum = 0, wcum = 0, placed = 0;
	seg.len = 0;
	puts_(&seg, move_header);
	/*
	 * Opening stock on the first day, when the moves are at least twice the
	 * balances: then every size of ledger has the same balances, and the
	 * memory of a report can be compared between them.
	 */
	if (nm >= 2 * npairs) {
		for (size_t i = 0; i < np; i++)
			for (unsigned w = 0; w < nwh; w++) {
				if (!(prods[i].whs >> w & 1))
					continue;
				long long n = (long long)prods[i].scale * (20 + pick(81)), c = prods[i].cost;
				Q[i * nwh + w] = n;
				V[i * nwh + w] = n * c;
				seen[i * nwh + w] = 1;
				emit(first, &prods[i], w, n, n * c, "in", "opening stock", "");
			}
		nm -= npairs;
	}
	for (long d = first; d <= last; d++) {
		long wd = (d + 4) % 7; /* 0 = Sunday: 1970-01-01 was a Thursday */
		wsum += (wd == 0 ? 1 : wd == 6 ? 3 : 10) * (unsigned long long)(1000 + 500 * (d - first) / ndays);
	}
	for (long d = first; d <= last; d++) {
		long wd = (d + 4) % 7;
		wcum += (wd == 0 ? 1 : wd == 6 ? 3 : 10) * (unsigned long long)(1000 + 500 * (d - first) / ndays);
		unsigned long long upto = nm / wsum * wcum + nm % wsum * wcum / wsum;
		while (placed < upto) {
			size_t i = pick(5) ? hot[pick((unsigned)nhot)] : pick((unsigned)np);
			unsigned w = (unsigned)pick_wh(&prods[i], -1);
			placed += event(d, first, ndays, &prods[i], w, upto - placed);
			seen[i * nwh + w] = 1;
			/* a transfer also opens its destination's balance */
			for (unsigned x = 0; x < nwh; x++)
				seen[i * nwh + x] |= Q[i * nwh + x] != 0;
		}
	}
	flush_segment();
	if (movecsv && fclose(movecsv))
		die("cannot write", movesout);
	write_stock(np, seen);
	free(seg.s);
	free(line.s);
	free(hot);
	free(seen);
	free(prods);
	free(Q);
	free(V);
	return 0;
usage:
	fputs("usage: genstock [-p P] [-m M] [-w W] [-s SEED] [-e YYYY-MM-DD] [-c moves.csv] [-r products.csv] DIR\n",
		stderr);
	return 2;
}
