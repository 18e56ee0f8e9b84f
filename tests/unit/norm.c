/* name and phone folding for anti-collision and duplicates. */
#include "norm.h"
#include "tap.h"

static int same_name(const char *a, const char *b)
{
	sbuf x = {0}, y = {0};
	norm_name(a, &x);
	norm_name(b, &y);
	int r = strcmp(sb_str(&x), sb_str(&y)) == 0;
	sb_free(&x), sb_free(&y);
	return r;
}

static int same_phone(const char *a, const char *b)
{
	sbuf x = {0}, y = {0};
	norm_phone(a, &x);
	norm_phone(b, &y);
	int r = x.len && strcmp(sb_str(&x), sb_str(&y)) == 0;
	sb_free(&x), sb_free(&y);
	return r;
}

int main(void)
{
	ok(same_name("北京用友科技有限公司", "北京用友科技"), "有限公司 folded");
	ok(same_name("北京用友科技股份有限公司", "北京 用友 科技"), "股份有限公司 and spaces folded");
	ok(same_name("Acme Co., Ltd.", "ACME"), "Co., Ltd. and case folded");
	ok(same_name("Ａｃｍｅ　Ｉｎｃ．", "acme"), "full width folded");
	ok(same_name("用友（北京）科技", "用友(北京)科技"), "CJK and ASCII brackets alike");
	ok(!same_name("Acme", "Acne"), "different names differ");
	ok(same_phone("010-62345678", "+86 10 6234 5678"), "country code and trunk 0 folded");
	ok(same_phone("１３８００１３８０００", "138-0013-8000"), "full-width digits");
	ok(!same_phone("123", "123"), "too short to compare");
	is_int(norm_distance("acme", "acne", 3), 1, "one edit");
	is_int(norm_distance("北京用友", "北京用有", 3), 1, "one CJK edit");
	is_int(norm_distance("abc", "xyzw", 2), 3, "past max gives max+1");
	return done_testing();
}
