#include <time.h>
#include "date.h"

/* Howard Hinnant's days_from_civil: exact over the proleptic Gregorian calendar. */
int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

const char *date_parse(const char *s, int32_t *days)
{
	int y, m, d;
	if (!*s)
		return "empty date";
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || s[10])
		return "not a date (YYYY-MM-DD)";
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return "impossible date";
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return "impossible date";
	*days = date_from_ymd(y, m, d);
	return 0;
}

char *date_fmt(int32_t days, char *buf)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10), buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10), buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10), buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10), buf[9] = (char)('0' + d % 10);
	buf[10] = 0;
	return buf;
}

int date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday. */
	int w = (int)((days % 7 + 7 + 3) % 7);
	return w;
}

static int32_t today_override = INT32_MIN;

void date_set_today(int32_t days) { today_override = days; }

int32_t date_today(void)
{
	if (today_override != INT32_MIN)
		return today_override;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int32_t date_workdays(int32_t from, int32_t to)
{
	int32_t n = 0;
	for (int32_t d = from; d <= to; d++)
		n += date_weekday(d) < 5;
	return n;
}
