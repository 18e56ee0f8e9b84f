/* Dates are days since 1970-01-01, parsed and checked by us (strptime is lax). */
#ifndef CRM_DATE_H
#define CRM_DATE_H
#include <stdint.h>

const char *date_parse(const char *s, int32_t *days);
/* "YYYY-MM-DD" into buf[11]. */
char *date_fmt(int32_t days, char *buf);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday(int32_t days);
/* Today in the local time zone, unless date_set_today() said otherwise (--as-of). */
int32_t date_today(void);
void date_set_today(int32_t days);
/* Monday-to-Friday days in [from, to]. */
int32_t date_workdays(int32_t from, int32_t to);

#endif
