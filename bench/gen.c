/*
 * bench/gen: fills a store made by `crm init` with N customers and about V
 * visits per customer over the three years to END, deterministic from a seed.
 * usage: gen -n N -v V [-s SEED] [-e YYYY-MM-DD] [-c customers.csv] DIR
 *
 * Plain C without libcrm on purpose: it writes the files as crm-store(5)
 * describes them (shards of 500 ids, 32 KiB monthly visit segments, minimal
 * quoting), so a benchmark that reads them also checks that crm and its
 * format page agree. With -c it also writes the customers as one CSV, the
 * input of the import benchmark.
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
#define NOWNERS 200

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

/* Weighted choice: weights of a table in one string of digits per entry. */
struct wtab {
	unsigned n, sum, cum[64];
};
static void wtab_init(struct wtab *w, const unsigned *wt, unsigned n)
{
	w->n = n;
	w->sum = 0;
	for (unsigned i = 0; i < n; i++)
		w->cum[i] = (w->sum += wt[i]);
}
static unsigned wpick(const struct wtab *w)
{
	unsigned r = pick(w->sum), i = 0;
	while (r >= w->cum[i])
		i++;
	return i;
}

/* Provinces with their capital (as a name prefix), area code, and weight (~share of firms). */
static const struct prov {
	const char *name, *city, *area;
	unsigned weight;
} provs[34] = {
	{"北京", "北京", "010", 50}, {"天津", "天津", "022", 15}, {"上海", "上海", "021", 50},
	{"重庆", "重庆", "023", 20}, {"河北", "石家庄", "0311", 30}, {"山西", "太原", "0351", 12},
	{"辽宁", "沈阳", "024", 18}, {"吉林", "长春", "0431", 8}, {"黑龙江", "哈尔滨", "0451", 8},
	{"江苏", "南京", "025", 110}, {"浙江", "杭州", "0571", 85}, {"安徽", "合肥", "0551", 35},
	{"福建", "福州", "0591", 45}, {"江西", "南昌", "0791", 25}, {"山东", "济南", "0531", 80},
	{"河南", "郑州", "0371", 55}, {"湖北", "武汉", "027", 45}, {"湖南", "长沙", "0731", 40},
	{"广东", "广州", "020", 120}, {"海南", "海口", "0898", 5}, {"四川", "成都", "028", 50},
	{"贵州", "贵阳", "0851", 15}, {"云南", "昆明", "0871", 20}, {"陕西", "西安", "029", 25},
	{"甘肃", "兰州", "0931", 8}, {"青海", "西宁", "0971", 2}, {"台湾", "台北", "+886-2", 6},
	{"内蒙古", "呼和浩特", "0471", 8}, {"广西", "南宁", "0771", 20}, {"西藏", "拉萨", "0891", 1},
	{"宁夏", "银川", "0951", 3}, {"新疆", "乌鲁木齐", "0991", 8}, {"香港", "香港", "+852", 6},
	{"澳门", "澳门", "+853", 1},
};

/* Industry: the field's value, and the word in a Chinese and a Latin name. */
static const char *const inds[][3] = {
	{"software", "软件", "Software"}, {"trade", "贸易", "Trading"},
	{"electronics", "电子", "Electronics"}, {"machinery", "机械", "Machinery"},
	{"pharma", "医药", "Pharma"}, {"food", "食品", "Foods"},
	{"logistics", "物流", "Logistics"}, {"materials", "建材", "Materials"},
	{"chemicals", "化工", "Chemicals"}, {"textiles", "纺织", "Textiles"},
	{"media", "传媒", "Media"}, {"energy", "能源", "Energy"},
	{"auto parts", "汽配", "Auto Parts"}, {"furniture", "家居", "Furniture"},
	{"it services", "信息技术", "Technologies"}, {"equipment", "设备", "Equipment"},
};
static const char *const cnsyl[] = {"华", "中", "天", "新", "金", "宏", "恒", "瑞", "鑫", "博",
	"盛", "达", "远", "泰", "嘉", "永", "东", "海", "信", "诚", "龙", "凯", "安", "佳", "创",
	"德", "丰", "富", "光", "国", "汇", "佳", "锦", "精", "聚", "康", "利", "联", "隆", "美",
	"明", "鹏", "启", "荣", "润", "顺", "腾", "通", "万", "伟", "祥", "兴", "旭", "耀", "亿",
	"益", "英", "裕", "正", "卓"};
static const char *const cnsuf[] = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司",
	"科技有限公司", "贸易商行"};
static const unsigned cnsufw[] = {60, 12, 12, 4, 8, 4};
static const char *const lasyl1[] = {"Al", "Bel", "Cor", "Dal", "Ev", "Fal", "Gran", "Hal",
	"In", "Jor", "Kel", "Lum", "Mar", "Nor", "Or", "Pan", "Quan", "Ros", "Sil", "Tor", "Ul",
	"Ver", "Wes", "Xan", "Yor", "Zen", "Bright", "Stone", "Sun", "Blue"};
static const char *const lasyl2[] = {"a", "on", "ex", "ia", "ix", "ora", "ium", "ent", "ara",
	"is", "wood", "field", "gate", "ton", "vale", "more"};
static const char *const lasuf[] = {"Co., Ltd.", "Ltd.", "Inc.", "GmbH", "Corp.", "LLC",
	"Pte. Ltd.", "Limited"};
static const unsigned lasufw[] = {40, 20, 10, 5, 8, 7, 5, 5};
static const char *const grades[] = {"A", "B", "C", "D"};
static const unsigned gradew[] = {10, 25, 40, 25};
static const char *const sources[] = {"referral", "web", "fair", "walk-in", "cold call",
	"advertising", "partner"};
static const unsigned sourcew[] = {30, 25, 15, 5, 15, 5, 5};
static const char *const terms[] = {"n/30", "2/10,n/30", "n/60", "1/0,0.5/15,n/45", "n/90", "n/0"};
static const unsigned termw[] = {55, 15, 15, 5, 5, 5};
static const char *const tags[] = {"vip", "export", "key-account", "government", "distributor",
	"new"};
static const char *const notes[] = {"prefers WeChat, not phone", "月结，需开专票",
	"closed on Sundays", "ask for purchasing dept.", "only email quotes",
	"总部在外地，联系分公司", "pays late, check credit", "large order expected in Q4"};
static const char *const surnames[] = {"wang", "li", "zhang", "liu", "chen", "yang", "huang",
	"zhao", "wu", "zhou"};
static const char *const given[] = {"wei", "fang", "na", "min", "jing", "lei", "qiang",
	"jun", "yan", "tao", "jie", "ping", "gang", "hui", "xin", "yu", "hong", "bo", "lin", "chao"};
static const char *const kinds[] = {"visit", "call", "meeting", "message"};
static const unsigned kindw[] = {35, 40, 10, 15};
static const char *const topics[] = {"介绍新产品", "报价跟进", "催收货款", "确认订单",
	"售后回访", "技术交流", "样品反馈", "年度合同续签", "price list sent",
	"follow-up on quote", "demo of new line", "complaint about delivery",
	"met purchasing, then engineering", "discussed payment terms"};
static const char *const details[] = {"", "", "", "，客户有意向", "，下周再联系", "，需要折扣",
	" (urgent)", ", waiting for reply", "，对交期不满意", ", wants 2/10 terms"};
static const char *const actions[] = {"call back", "send quote", "送样品", "上门拜访",
	"collect payment", "send contract", "安排技术支持"};

static char owners[NOWNERS][16];

/* An output buffer; fields go in through put_field, the writer's one rule. */
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
		fputs("gen: out of memory\n", stderr);
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

/*
 * crm's dialect: quote a value holding ',' or '"' (or starting like a BOM or
 * a conflict marker), double the quotes; backslash, LF and CR are written as
 * \\, \n and \r so that a record stays one line.
 */
static void put_field(buf *b, const char *s)
{
	int quote = strpbrk(s, ",\"") != NULL || !strncmp(s, "\xEF\xBB\xBF", 3) ||
		    !strncmp(s, "<<<<<<<", 7) || !strncmp(s, "=======", 7) ||
		    !strncmp(s, ">>>>>>>", 7);
	if (!quote && !strpbrk(s, "\\\n\r")) {
		puts_(b, s);
		return;
	}
	if (quote)
		putc_(b, '"');
	for (; *s; s++)
		switch (*s) {
		case '"': puts_(b, "\"\""); break;
		case '\\': puts_(b, "\\\\"); break;
		case '\n': puts_(b, "\\n"); break;
		case '\r': puts_(b, "\\r"); break;
		default: putc_(b, *s); break;
		}
	if (quote)
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
				fprintf(stderr, "gen: cannot create %s: %s\n", p, strerror(errno));
				exit(73);
			}
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
	if (fd < 0 || off < b->len || close(fd)) {
		fprintf(stderr, "gen: cannot write %s: %s\n", p, strerror(errno));
		exit(73);
	}
}

static const char customer_header[] =
	"id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,created,updated,tags,note\n";
static const char visit_header[] = "id,date,customer,by,kind,summary,next_date,next_action,done\n";

static void put_name(buf *b, const struct prov *pv, unsigned ind, const struct wtab *cw,
	const struct wtab *lw)
{
	char t[256];
	if (pick(4)) {
		/* city + brand + trade + form: 杭州瑞丰电子有限公司 */
		const char *suf = cnsuf[wpick(cw)];
		snprintf(t, sizeof t, "%s%s%s%s%s", pick(10) < 7 ? pv->city : "",
			cnsyl[pick(N(cnsyl))], cnsyl[pick(N(cnsyl))],
			strncmp(suf, "科技", 6) ? inds[ind][1] : "", suf);
	} else {
		/* Norvale Logistics Co., Ltd. */
		snprintf(t, sizeof t, "%s%s%s %s %s", lasyl1[pick(N(lasyl1))], lasyl2[pick(N(lasyl2))],
			pick(5) ? "" : " International", inds[ind][2], lasuf[wpick(lw)]);
	}
	put_field(b, t);
}

static void put_phone(buf *b, const struct prov *pv)
{
	if (pick(4)) {
		static const char pre[] = "3456789";
		putc_(b, '1');
		putc_(b, pre[pick(7)]);
		putnum(b, next() % 1000000000ull, 9);
	} else {
		puts_(b, pv->area);
		putc_(b, '-');
		putnum(b, 20000000 + next() % 79999999ull, 8);
	}
}

int main(int argc, char **argv)
{
	unsigned long long n = 1000, v = 10, seed = 1;
	const char *csvout = NULL, *end = "2026-11-21";
	int opt;
	while ((opt = getopt(argc, argv, "n:v:s:e:c:")) != -1) {
		switch (opt) {
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'v': v = strtoull(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'e': end = optarg; break;
		case 'c': csvout = optarg; break;
		default: goto usage;
		}
	}
	int ey, em, ed;
	if (optind != argc - 1 || sscanf(end, "%4d-%2d-%2d", &ey, &em, &ed) != 3 || n > 99999999ull)
		goto usage;
	dir = argv[optind];
	rng = seed;
	const long last = days_from(ey, em, ed), first = days_from(ey - 3, em, ed) + 1;

	for (int i = 0; i < NOWNERS; i++)
		snprintf(owners[i], sizeof owners[i], "%s%s", surnames[i % N(surnames)],
			given[i / N(surnames)]);
	struct wtab provw, cnw, law, gw, sw, tw, kw;
	unsigned pw[34];
	for (int i = 0; i < 34; i++)
		pw[i] = provs[i].weight;
	wtab_init(&provw, pw, 34);
	wtab_init(&cnw, cnsufw, N(cnsufw));
	wtab_init(&law, lasufw, N(lasufw));
	wtab_init(&gw, gradew, N(gradew));
	wtab_init(&sw, sourcew, N(sourcew));
	wtab_init(&tw, termw, N(termw));
	wtab_init(&kw, kindw, N(kindw));

	/* Customers: created over the eight years before the visits begin. */
	unsigned char *owner_of = malloc(n + 1);
	FILE *csv = csvout ? fopen(csvout, "w") : NULL;
	if (!owner_of || (csvout && !csv)) {
		fprintf(stderr, "gen: cannot write %s: %s\n", csvout ? csvout : "memory", strerror(errno));
		return 73;
	}
	buf b = {0};
	char rel[256];
	puts_(&b, customer_header);
	if (csv)
		fputs(customer_header, csv);
	const long cfirst = first - 8 * 365;
	for (unsigned long long seq = 1; seq <= n; seq++) {
		size_t row = b.len;
		const struct prov *pv = &provs[wpick(&provw)];
		unsigned ind = pick(N(inds)), g = wpick(&gw), st = pick(100);
		unsigned own = st < 10 ? 255 : pick(NOWNERS); /* 10 % in the pool */
		owner_of[seq] = (unsigned char)own;
		putc_(&b, 'C');
		putnum(&b, seq, 6);
		putc_(&b, ',');
		put_name(&b, pv, ind, &cnw, &law);
		putc_(&b, ',');
		put_phone(&b, pv);
		putc_(&b, ',');
		puts_(&b, pv->name);
		putc_(&b, ',');
		put_field(&b, inds[ind][0]);
		putc_(&b, ',');
		puts_(&b, grades[g]);
		putc_(&b, ',');
		puts_(&b, own == 255 ? "" : owners[own]);
		putc_(&b, ',');
		puts_(&b, sources[wpick(&sw)]);
		putc_(&b, ',');
		puts_(&b, own == 255 ? "pool" : st < 14 ? "archived" : "active");
		putc_(&b, ',');
		put_field(&b, terms[wpick(&tw)]);
		putc_(&b, ',');
		static const unsigned credit_k[] = {500, 200, 50, 10}; /* by grade, in thousands */
		putnum(&b, (1 + pick(credit_k[g])) * 1000ull, 1);
		puts_(&b, ".00,");
		long created = cfirst + (long)pick((unsigned)(first - cfirst));
		put_date(&b, created);
		putc_(&b, ',');
		put_date(&b, created + (long)pick((unsigned)(last - created + 1)));
		putc_(&b, ',');
		if (pick(100) < 15)
			puts_(&b, tags[pick(N(tags))]);
		putc_(&b, ',');
		if (pick(100) < 8)
			put_field(&b, notes[pick(N(notes))]);
		putc_(&b, '\n');
		if (csv)
			fwrite(b.s + row, 1, b.len - row, csv);
		if (seq % SHARD_IDS == SHARD_IDS - 1 || seq == n) {
			unsigned long long f0 = seq / SHARD_IDS * SHARD_IDS;
			snprintf(rel, sizeof rel, "customers/%03llu/%06llu.csv", f0 / 100000, f0);
			write_file(rel, &b);
			b.len = 0;
			puts_(&b, customer_header);
		}
	}
	if (csv && fclose(csv)) {
		fprintf(stderr, "gen: cannot write %s: %s\n", csvout, strerror(errno));
		return 73;
	}

	/*
	 * Visits: n * v of them, spread over the days with fewer on weekends and
	 * a business that grows by half over the three years; each day's share
	 * is exact, so the total is too. Within a month they are appended in
	 * date order, numbered from 00001 (wider past 99999, as crm numbers them).
	 */
	const unsigned long long total = n * v;
	const long ndays = last - first + 1;
	unsigned long long wsum = 0;
	for (long d = first; d <= last; d++) {
		long wd = (d + 4) % 7; /* 0 = Sunday: 1970-01-01 was a Thursday */
		wsum += (wd == 0 ? 1 : wd == 6 ? 3 : 10) * (unsigned long long)(1000 + 500 * (d - first) / ndays);
	}
	unsigned long long wcum = 0, placed = 0, mseq = 0;
	int segno = 0, cur_m = 0;
	char month[8] = "";
	b.len = 0;
	for (long d = first; d <= last; d++) {
		int y, m, dd;
		civil(d, &y, &m, &dd);
		if (m != cur_m) {
			if (segno && b.len > sizeof visit_header - 1) {
				seg_rel(rel, sizeof rel, "visits", month, segno);
				write_file(rel, &b);
			}
			cur_m = m;
			snprintf(month, sizeof month, "%04d-%02d", y, m);
			segno = 1;
			mseq = 0;
			b.len = 0;
			puts_(&b, visit_header);
		}
		long wd = (d + 4) % 7;
		wcum += (wd == 0 ? 1 : wd == 6 ? 3 : 10) * (unsigned long long)(1000 + 500 * (d - first) / ndays);
		/* total * wcum / wsum, exact and without overflow */
		unsigned long long upto = total / wsum * wcum + total % wsum * wcum / wsum;
		for (; placed < upto; placed++) {
			static buf line;
			line.len = 0;
			unsigned long long cust = 1 + next() % n;
			unsigned own = owner_of[cust];
			putc_(&line, 'V');
			putnum(&line, (unsigned)y, 4);
			putnum(&line, (unsigned)m, 2);
			putc_(&line, '-');
			putnum(&line, ++mseq, 5);
			putc_(&line, ',');
			put_date(&line, d);
			puts_(&line, ",C");
			putnum(&line, cust, 6);
			putc_(&line, ',');
			puts_(&line, owners[own != 255 && pick(100) < 85 ? own : pick(NOWNERS)]);
			putc_(&line, ',');
			puts_(&line, kinds[wpick(&kw)]);
			putc_(&line, ',');
			char summary[200];
			snprintf(summary, sizeof summary, "%s%s", topics[pick(N(topics))], details[pick(N(details))]);
			put_field(&line, summary);
			putc_(&line, ',');
			if (pick(100) < 35) {
				/* A follow-up; those already due were nearly all done. */
				long nd = d + 1 + (long)pick(30);
				put_date(&line, nd);
				putc_(&line, ',');
				put_field(&line, actions[pick(N(actions))]);
				putc_(&line, ',');
				if (nd <= last && pick(100) < 97) {
					long done = nd + (long)pick(4);
					put_date(&line, done < last ? done : last);
				}
			} else {
				puts_(&line, ",,");
			}
			putc_(&line, '\n');
			if (b.len > sizeof visit_header - 1 && b.len + line.len > SEGMENT_BYTES) {
				seg_rel(rel, sizeof rel, "visits", month, segno++);
				write_file(rel, &b);
				b.len = 0;
				puts_(&b, visit_header);
			}
			putn(&b, line.s, line.len);
		}
	}
	if (segno && b.len > sizeof visit_header - 1) {
		seg_rel(rel, sizeof rel, "visits", month, segno);
		write_file(rel, &b);
	}
	free(b.s);
	free(owner_of);
	return 0;
usage:
	fputs("usage: gen -n N -v V [-s SEED] [-e YYYY-MM-DD] [-c customers.csv] DIR\n", stderr);
	return 2;
}
