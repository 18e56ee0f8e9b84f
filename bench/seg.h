/*
 * bench/seg.h: the path of a ledger segment as crm writes it (src/lib/ledger.c,
 * seg_path; crm-store(5)): a month's first 32 segments in its folder, each
 * later run of 32 in a sub-folder named by its first number, e.g.
 * shipments/2026-11/0001.csv ... 0032.csv, 0033/0033.csv ... 0033/0064.csv.
 * The generators write a store as crm would, so the bench measures the layout
 * crm keeps. Shared by gen.c, genar.c and genstock.c, plain C like them.
 */
#ifndef BENCH_SEG_H
#define BENCH_SEG_H
#include <stdio.h>

#define SEG_FAN 32

/* LEDGER/MONTH/NNNN.csv or LEDGER/MONTH/FFFF/NNNN.csv; month is YYYY-MM. */
static inline void seg_rel(char *out, size_t cap, const char *ledger, const char *month, int no)
{
	if (no <= SEG_FAN)
		snprintf(out, cap, "%s/%s/%04d.csv", ledger, month, no);
	else
		snprintf(out, cap, "%s/%s/%04d/%04d.csv", ledger, month, (no - 1) / SEG_FAN * SEG_FAN + 1, no);
}

#endif
