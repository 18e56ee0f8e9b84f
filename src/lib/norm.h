/* Folding names and phones so that two spellings of one company compare equal. */
#ifndef CRM_NORM_H
#define CRM_NORM_H
#include "text.h"

/* Case, full width, spaces, punctuation and company suffixes (有限公司, Co., Ltd.) folded. */
void norm_name(const char *in, sbuf *out);
/* Digits only, without a leading country code 86 or trunk 0; empty under 7 digits. */
void norm_phone(const char *in, sbuf *out);
/* Levenshtein distance over code points, or max+1 once it exceeds max. */
int norm_distance(const char *a, const char *b, int max);

#endif
