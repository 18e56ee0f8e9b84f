/* merge_file: records three ways, by field; balances add up; ledgers unite; other CSV by lines. */
#include <stdlib.h>
#include "merge.h"
#include "tap.h"

#define CUST_HDR "id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note\n"

static struct side S(const char *s)
{
	return (struct side){s, s ? strlen(s) : 0};
}

/* Merged bytes of path, or "ERROR: msg"; conflicts into cs. */
static char *merged(const char *path, const char *b, const char *o, const char *t, struct conflicts *cs)
{
	sbuf out = {0};
	crm_err e = {0};
	if (merge_file(path, S(b), S(o), S(t), 2, &out, cs, &e)) {
		sb_free(&out);
		sb_printf(&out, "ERROR: %s", e.msg);
	}
	return out.s ? out.s : calloc(1, 1);
}

static void check(const char *name, const char *path, const char *b, const char *o, const char *t,
	const char *want, size_t nconf)
{
	struct conflicts cs = {0};
	char *got = merged(path, b, o, t, &cs);
	is_str(got, want, name);
	ok(cs.n == nconf, "%s: %zu conflict(s), wanted %zu", name, cs.n, nconf);
	free(got);
	conflicts_free(&cs);
}

int main(void)
{
	const char *cust = "customers/000/000000.csv";
	const char *base = CUST_HDR
		"C000001,Acme,111,north,,A,alice,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n";
	const char *phone = CUST_HDR
		"C000001,Acme,999,north,,A,alice,,active,n/30,,,2026-11-01,2026-11-05,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n";
	const char *grade = CUST_HDR
		"C000001,Acme,111,north,,C,alice,,active,n/30,,,2026-11-01,2026-11-07,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n";
	check("one field each side: both kept, the later updated", cust, base, phone, grade,
		CUST_HDR
		"C000001,Acme,999,north,,C,alice,,active,n/30,,,2026-11-01,2026-11-07,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n", 0);

	const char *grade_b = CUST_HDR
		"C000001,Acme,111,north,,D,alice,,active,n/30,,,2026-11-01,2026-11-07,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n";
	struct conflicts cs = {0};
	char *got = merged(cust, base, grade, grade_b, &cs);
	ok(strstr(got, "C000001,Acme,111,north,,C,") != NULL, "the same field two ways: ours kept");
	is_int((long)cs.n, 1, "one conflict");
	if (cs.n) {
		is_str(cs.c[0].record, "C000001", "conflict: record");
		is_str(cs.c[0].field, "grade", "conflict: field");
		is_str(cs.c[0].base, "A", "conflict: base");
		is_str(cs.c[0].ours, "C", "conflict: ours");
		is_str(cs.c[0].theirs, "D", "conflict: theirs");
	}
	free(got);
	conflicts_free(&cs);

	check("the same change on both sides: no conflict", cust, base, grade, grade, grade, 0);

	const char *added_o = CUST_HDR
		"C000001,Acme,111,north,,A,alice,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000003,Ours,3,,,,alice,,active,,,,2026-11-02,2026-11-02,,\n";
	const char *added_t = CUST_HDR
		"C000001,Acme,111,north,,A,alice,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000002-K7QX,Theirs,4,,,,bob,,active,,,,2026-11-02,2026-11-02,,\n";
	check("records added on both sides: all kept, sorted by id", cust, base, added_o, added_t,
		CUST_HDR
		"C000001,Acme,111,north,,A,alice,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n"
		"C000002-K7QX,Theirs,4,,,,bob,,active,,,,2026-11-02,2026-11-02,,\n"
		"C000003,Ours,3,,,,alice,,active,,,,2026-11-02,2026-11-02,,\n", 0);

	const char *gone = CUST_HDR "C000002,Nova,222,south,,B,bob,,active,n/30,,,2026-11-01,2026-11-01,,\n";
	check("removed on one side, untouched on the other: removed", cust, base, gone, base, gone, 0);
	check("removed on one side, changed on the other: the change kept, a conflict", cust, base, gone, phone, phone, 1);

	const char *stock = "stock/00/000.csv";
	const char *sb = "key,sku,warehouse,qty,value\nW@MAIN,W,MAIN,100,500.00\n";
	const char *so = "key,sku,warehouse,qty,value\nW@MAIN,W,MAIN,90,450.00\n";
	const char *st = "key,sku,warehouse,qty,value\nW@MAIN,W,MAIN,80,400.00\n";
	check("stock: each side's move adds up (100 - 10 - 20)", stock, sb, so, st,
		"key,sku,warehouse,qty,value\nW@MAIN,W,MAIN,70,350.00\n", 0);
	check("stock: the same move on both sides still counts twice", stock, sb, so, so,
		"key,sku,warehouse,qty,value\nW@MAIN,W,MAIN,80,400.00\n", 0);

	const char *open = "open/00/000.csv";
	const char *ohdr = "key,customer,doc,kind,date,due,terms,currency,amount,open,discount\n";
	char ob[300], oo[300], ot[300];
	snprintf(ob, sizeof ob, "%sC000001@I1,C000001,I1,invoice,2026-11-01,2026-12-01,n/30,CNY,1000.00,1000.00,\n", ohdr);
	snprintf(oo, sizeof oo, "%sC000001@I1,C000001,I1,invoice,2026-11-01,2026-12-01,n/30,CNY,1000.00,700.00,\n", ohdr);
	snprintf(ot, sizeof ot, "%s", ohdr);
	char want[300];
	snprintf(want, sizeof want, "%s", ohdr);
	check("open: paid in full there, 300 here: over-settled by 300", open, ob, oo, ot,
		"key,customer,doc,kind,date,due,terms,currency,amount,open,discount\n"
		"C000001@I1,C000001,I1,invoice,2026-11-01,2026-12-01,n/30,CNY,1000.00,-300.00,\n", 0);
	snprintf(ot, sizeof ot, "%sC000001@I1,C000001,I1,invoice,2026-11-01,2026-12-01,n/30,CNY,1000.00,300.00,\n", ohdr);
	check("open: 300 and 700 paid apart settle it: the item leaves", open, ob, oo, ot, want, 0);

	const char *vis = "visits/2026-11/0001.csv";
	const char *vh = "id,date,customer,by,kind,summary,next_date,next_action,done\n";
	char vb[400], vo[400], vt[400], vw[600];
	snprintf(vb, sizeof vb, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,\n", vh);
	snprintf(vo, sizeof vo, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,\nV202611-00002,2026-11-02,C000001,alice,visit,ours,,,\n", vh);
	snprintf(vt, sizeof vt, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,2026-11-03\nV202611-00002-K7QX,2026-11-01,C000001,bob,call,theirs,,,\n", vh);
	snprintf(vw, sizeof vw, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,2026-11-03\nV202611-00002,2026-11-02,C000001,alice,visit,ours,,,\n"
		"V202611-00002-K7QX,2026-11-01,C000001,bob,call,theirs,,,\n", vh);
	check("a ledger: the union in order, an edit of an old record taken", vis, vb, vo, vt, vw, 0);

	snprintf(vo, sizeof vo, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,\nV202611-00002,2026-11-02,C000001,alice,visit,ours,,,\n", vh);
	snprintf(vt, sizeof vt, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,\nV202611-00002,2026-11-04,C000002,bob,call,theirs,,,\n", vh);
	snprintf(vw, sizeof vw, "%sV202611-00001,2026-11-01,C000001,alice,visit,a,,,\nV202611-00002,2026-11-02,C000001,alice,visit,ours,,,\n"
		"V202611-00002-2,2026-11-04,C000002,bob,call,theirs,,,\n", vh);
	check("a ledger id minted twice: theirs renumbered, never lost, and named", vis, vb, vo, vt, vw, 1);

	check("rates: lines added on either side kept, removed on either side gone", "rates/2026.csv",
		"date,currency,rate\n2026-01-01,USD,7.100000\n2026-02-01,USD,7.200000\n",
		"date,currency,rate\n2026-01-01,USD,7.100000\n2026-02-01,USD,7.200000\n2026-03-01,USD,7.300000\n",
		"date,currency,rate\n2026-01-01,USD,7.100000\n2026-04-01,EUR,7.900000\n",
		"date,currency,rate\n2026-01-01,USD,7.100000\n2026-03-01,USD,7.300000\n2026-04-01,EUR,7.900000\n", 0);

	check("crm.conf: apart lines merge", "crm.conf", "[a]\n\tx = 1\n[b]\n\ty = 1\n[c]\n\tz = 1\n",
		"[a]\n\tx = 2\n[b]\n\ty = 1\n[c]\n\tz = 1\n", "[a]\n\tx = 1\n[b]\n\ty = 1\n[c]\n\tz = 3\n",
		"[a]\n\tx = 2\n[b]\n\ty = 1\n[c]\n\tz = 3\n", 0);
	got = merged("crm.conf", "[a]\n\tx = 1\n", "[a]\n\tx = 2\n", "[a]\n\tx = 3\n", NULL);
	ok(!strncmp(got, "ERROR: crm.conf: changed on both sides", 38), "crm.conf: the same line two ways is an error");
	free(got);

	got = merged(cust, base, CUST_HDR "C000001,Acme,111,north,,Z,alice,,active,n/30,,,2026-11-01,2026-11-01,,\n", base, NULL);
	ok(!strncmp(got, "ERROR: customers/000/000000.csv (ours):2: grade", 47), "a bad value on one side: named, with the side: %s", got);
	free(got);
	done_testing();
}
