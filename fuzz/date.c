/*
 * libFuzzer: date_parse accepts exactly the real days written YYYY-MM-DD
 * (as timegm counts them), each the one spelling date_fmt gives back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[16] = {0};
	memcpy(s, data, size < 15 ? size : 15);
	int32_t d;
	const char *why = date_parse(s, &d);
	int y, m, dd;
	char tail;
	int real = 0;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	    strspn(s, "0123456789") == 4 && strspn(s + 5, "0123456789") == 2 &&
	    strspn(s + 8, "0123456789") == 2 &&
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 && y >= 1900) {
		struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd};
		time_t t = timegm(&tm);
		real = m >= 1 && m <= 12 && dd >= 1 && tm.tm_mon == m - 1 && tm.tm_mday == dd;
		if (real && !why && d != (int32_t)(t / 86400))
			abort();
	}
	if ((why == NULL) != real)
		abort();
	char buf[11];
	if (!why && strcmp(date_fmt(d, buf), s) != 0)
		abort();
	if (!why && date_weekday(d) != (int)((d % 7 + 10) % 7))
		abort();
	if (size >= 8) {
		int32_t a, b;
		memcpy(&a, data, 4);
		memcpy(&b, data + 4, 4);
		a %= 200000, b %= 200000;
		int32_t n = 0;
		for (int32_t k = a; k <= b && b - a < 5000; k++)
			n += date_weekday(k) < 5;
		if (b - a < 5000 && date_workdays(a, b) != n)
			abort();
		int32_t back;
		if (a >= date_from_ymd(1900, 1, 1) &&
		    (date_parse(date_fmt(a, buf), &back) || back != a))
			abort();
	}
	return 0;
}
