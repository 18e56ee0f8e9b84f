/*
 * bench/gen: writes a store of N customers and V visits per customer over
 * three years, deterministic from a seed, straight into the files crm reads
 * (the same dialect code and shard and segment scheme, through libcrm).
 * usage: gen -n N -v V [-s SEED] [-c customers.csv] DIR
 * With -c it also writes the customers as one CSV for import benchmarks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "csvio.h"
#include "date.h"
#include "edit.h"

static unsigned long long rng;

static unsigned long long next(void)
{
	/* splitmix64: fast, and the same sequence on every machine */
	unsigned long long z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n) { return (unsigned)(next() % n); }

static const char *const provinces[] = {"北京", "天津", "上海", "重庆", "河北", "山西",
	"辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
	"湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
	"广西", "西藏", "宁夏", "新疆", "香港", "澳门"};
static const char *const cn1[] = {"华", "中", "天", "新", "金", "宏", "恒", "瑞", "鑫", "博",
	"盛", "达", "远", "泰", "嘉", "永", "东", "海", "信", "诚", "龙", "凯", "安", "佳"};
static const char *const cn2[] = {"科技", "贸易", "电子", "机械", "医药", "食品", "软件",
	"物流", "建材", "化工", "纺织", "能源", "传媒", "咨询", "汽配", "家居"};
static const char *const cn3[] = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
static const char *const la1[] = {"Acme", "Global", "Pacific", "United", "Golden", "Star",
	"Prime", "Delta", "Apex", "Nova", "Orient", "Summit", "Bright", "Royal", "Swift"};
static const char *const la2[] = {"Tech", "Trading", "Tools", "Logistics", "Foods", "Medical",
	"Systems", "Industries", "Electronics", "Materials"};
static const char *const la3[] = {"Co., Ltd.", "Ltd.", "Inc.", "GmbH", "Corp."};
static const char *const industries[] = {"software", "trade", "electronics", "machinery",
	"pharma", "food", "logistics", "materials", "chemicals", "textiles", "media"};
static const char *const kinds[] = {"visit", "call", "meeting", "message"};
static const char *const sources[] = {"referral", "web", "fair", "walk-in", "cold call"};

#define N(a) (sizeof a / sizeof a[0])

static void mkdirs(const char *path)
{
	char d[4096];
	snprintf(d, sizeof d, "%s", path);
	for (char *p = d + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(d, 0777);
			*p = '/';
		}
}

static void put_file(const char *dir, const char *rel, sbuf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	mkdirs(path);
	FILE *f = fopen(path, "w");
	if (!f || fwrite(b->s, 1, b->len, f) != b->len || fclose(f)) {
		fprintf(stderr, "gen: cannot write %s: %s\n", path, strerror(errno));
		exit(73);
	}
}

static void name(unsigned long long seq, char *out, size_t cap)
{
	if (pick(4) == 0)
		snprintf(out, cap, "%s %s %s %llu", la1[pick(N(la1))], la2[pick(N(la2))], la3[pick(N(la3))], seq);
	else
		snprintf(out, cap, "%s%s%s%s%llu%s", provinces[pick(N(provinces))], cn1[pick(N(cn1))],
			cn1[pick(N(cn1))], cn2[pick(N(cn2))], seq, cn3[pick(N(cn3))]);
}

int main(int argc, char **argv)
{
	unsigned long long n = 1000, seed = 1;
	unsigned v = 10;
	const char *csvout = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "n:v:s:c:")) != -1) {
		switch (opt) {
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'v': v = (unsigned)atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'c': csvout = optarg; break;
		default:
			fputs("usage: gen -n N -v V [-s SEED] [-c customers.csv] DIR\n", stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs("usage: gen -n N -v V [-s SEED] [-c customers.csv] DIR\n", stderr);
		return 2;
	}
	const char *dir = argv[optind];
	rng = seed;
	int32_t first = date_from_ymd(2023, 12, 1), last = date_from_ymd(2026, 11, 30);
	FILE *csv = csvout ? fopen(csvout, "w") : NULL;
	sbuf b = {0}, line = {0};
	table_write_header(&T_CUSTOMERS, &b);
	if (csv)
		fwrite(b.s, 1, b.len, csv);
	char path[256], id[32], nm[256], phone[32], owner[16], credit[32], created[11];
	for (unsigned long long seq = 1; seq <= n; seq++) {
		snprintf(id, sizeof id, "C%06llu", seq);
		name(seq, nm, sizeof nm);
		snprintf(phone, sizeof phone, "1%02u%08llu", 30 + pick(60), (seq * 7919) % 100000000);
		snprintf(owner, sizeof owner, "u%03u", pick(200));
		snprintf(credit, sizeof credit, "%u.00", pick(100) * 10000);
		date_fmt(first - 365 + (int32_t)pick(365 * 4), created);
		char grade[2] = {(char)('A' + pick(4)), 0};
		const char *f[] = {id, nm, phone, provinces[pick(N(provinces))],
			industries[pick(N(industries))], grade, pick(20) ? owner : "",
			sources[pick(N(sources))], "active", "2/10,n/30", credit, created, created, "", ""};
		if (!*f[6])
			f[8] = "pool";
		line.len = 0;
		csv_put_row(&line, f, 15);
		sb_add(&b, line.s, line.len);
		if (csv)
			fwrite(line.s, 1, line.len, csv);
		if (seq % SHARD_IDS == SHARD_IDS - 1 || seq == n) {
			shard_path(&T_CUSTOMERS, id, path, sizeof path);
			put_file(dir, path, &b);
			b.len = 0;
			table_write_header(&T_CUSTOMERS, &b);
		}
	}
	if (csv && fclose(csv))
		return 73;
	/* Visits month by month, each month's share of the total, appended in id order. */
	int months = 36;
	unsigned long long total = n * v, done = 0;
	for (int m = 0; m < months; m++) {
		int y, mo, d;
		date_to_ymd(first, &y, &mo, &d);
		mo += m;
		y += (mo - 1) / 12;
		mo = (mo - 1) % 12 + 1;
		int32_t mstart = date_from_ymd(y, mo, 1);
		int32_t mend = (mo == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, mo + 1, 1)) - 1;
		if (mend > last)
			mend = last;
		unsigned long long count = (m == months - 1) ? total - done : total / (unsigned long long)months;
		done += count;
		int segno = 1;
		b.len = 0;
		table_write_header(&T_VISITS, &b);
		for (unsigned long long k = 1; k <= count; k++) {
			char vid[40], date[11], cust[32], nextd[11] = "", by[16], summary[64];
			int32_t day = mstart + (int32_t)pick((unsigned)(mend - mstart + 1));
			snprintf(vid, sizeof vid, "V%04d%02d-%05llu", y, mo, k);
			date_fmt(day, date);
			snprintf(cust, sizeof cust, "C%06llu", 1 + next() % n);
			snprintf(by, sizeof by, "u%03u", pick(200));
			snprintf(summary, sizeof summary, "talked about order %llu", next() % 100000);
			int follow = pick(3) == 0;
			if (follow)
				date_fmt(day + 7 + (int32_t)pick(30), nextd);
			const char *f[] = {vid, date, cust, by, kinds[pick(N(kinds))], summary, nextd,
				follow ? "call back" : "", ""};
			line.len = 0;
			csv_put_row(&line, f, 9);
			if (b.len + line.len > 128 * 1024) {
				snprintf(path, sizeof path, "visits/%04d-%02d/%04d.csv", y, mo, segno++);
				put_file(dir, path, &b);
				b.len = 0;
				table_write_header(&T_VISITS, &b);
			}
			sb_add(&b, line.s, line.len);
		}
		if (count) {
			snprintf(path, sizeof path, "visits/%04d-%02d/%04d.csv", y, mo, segno);
			put_file(dir, path, &b);
		}
	}
	sb_free(&b);
	sb_free(&line);
	return 0;
}
