/* Money and quantities: int64 minor units, parsed digit by digit, never float. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H
#include <stdint.h>

/* Parses "-1234.5" with at most `digits` fraction digits. Returns NULL or why not. */
const char *money_parse(const char *s, int digits, int64_t *out);
/* Writes v with exactly `digits` fraction digits; buf holds at least 32 bytes. */
char *money_fmt(int64_t v, int digits, char *buf);
/* An integer quantity (signed, no fraction). */
const char *int_parse(const char *s, int64_t *out);
/* amount * pct / (100 * 10^pdigits), rounded half away from zero; -1 on overflow. */
int money_percent(int64_t amount, int64_t pct, int pdigits, int64_t *out);

/* *acc += v; -1 (acc unchanged) when the sum would pass int64: overflow is an error, never a wrap. */
int money_add(int64_t *acc, int64_t v);
/* a * b / c rounded half away from zero, in 128 bits; -1 on overflow or c = 0. */
int money_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out);

#endif
