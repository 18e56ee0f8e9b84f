/* name and phone folding for anti-collision and duplicates; edit distance. */
#include "norm.h"
#include "tap.h"

static const char *nm(const char *a)
{
	static sbuf x;
	norm_name(a, &x);
	return sb_str(&x);
}

static int same_name(const char *a, const char *b)
{
	sbuf x = {0}, y = {0};
	norm_name(a, &x);
	norm_name(b, &y);
	int r = strcmp(sb_str(&x), sb_str(&y)) == 0;
	if (!r)
		printf("#   '%s' folds to '%s', '%s' to '%s'\n", a, sb_str(&x), b, sb_str(&y));
	sb_free(&x), sb_free(&y);
	return r;
}

static const char *ph(const char *a)
{
	static sbuf x;
	norm_phone(a, &x);
	return sb_str(&x);
}

int main(void)
{
	/* Names. */
	ok(same_name("北京用友科技有限公司", "北京用友科技"), "有限公司 folded");
	ok(same_name("北京用友科技股份有限公司", "北京 用友 科技"), "股份有限公司 and spaces folded");
	ok(same_name("北京用友科技有限责任公司", "北京用友科技"), "有限责任公司 folded whole");
	ok(same_name("北京用友科技集团公司", "北京用友科技"), "集团公司 folded");
	ok(same_name("北京用友科技分公司", "北京用友科技"), "分公司 folded whole, not as 公司");
	ok(same_name("北京用友科技集团有限公司", "北京用友科技"), "suffixes folded repeatedly");
	ok(same_name("Acme Co., Ltd.", "ACME"), "Co., Ltd. and case folded");
	ok(same_name("Acme Co.,Ltd", "acme"), "Co.,Ltd without spaces");
	ok(same_name("ACME CO LTD", "acme"), "CO LTD");
	ok(same_name("Acme Corporation", "Acme Corp."), "Corporation and Corp.");
	ok(same_name("Acme, Inc.", "Acme LLC"), "Inc. and LLC");
	ok(same_name("Acme GmbH", "Acme Limited"), "GmbH and Limited");
	ok(same_name("Ａｃｍｅ　Ｉｎｃ．", "acme"), "full width letters, space and stop folded");
	ok(same_name("用友（北京）科技", "用友(北京)科技"), "CJK and ASCII brackets alike");
	ok(same_name("用友【北京】科技", "用友北京科技"), "CJK punctuation dropped");
	ok(same_name("A&B·Trading", "a b trading"), "& and the middle dot dropped");
	ok(same_name("  Acme\t", "acme"), "leading and trailing blanks");
	ok(strcmp(nm("Acme"), "acne") != 0, "different names differ");
	is_str(nm("Tesco"), "tesco", "a suffix inside a word stays: Tesco is not Tes");
	is_str(nm("AcmeCo"), "acmeco", "nor is AcmeCo folded");
	is_str(nm("Acme Co"), "acme", "but Acme Co is");
	is_str(nm("用友Co., Ltd."), "用友", "a Latin suffix after CJK is a word of its own");
	is_str(nm("Ａｃｍｅ Ｃｏ．，Ｌｔｄ．"), "acme", "full-width suffixes folded too");
	is_str(nm("北京用友科技有限公司"), "北京用友科技", "the folded form keeps CJK as is");
	ok(*nm("有限公司") != 0, "a name that is only a suffix is not folded to nothing");
	is_str(nm("Company"), "company", "nor is 'Company'");
	is_str(nm(""), "", "an empty name folds to empty");
	is_str(nm("!!!"), "", "punctuation alone folds to empty");
	is_str(nm("３Ｍ"), "3m", "full-width digits too");
	ok(nm("\x80\x80\x80\x80 co") != NULL, "stray continuation bytes (argv is not checked) are safe");

	/* Phones. */
	is_str(ph("010-62345678"), "1062345678", "trunk 0 dropped");
	is_str(ph("+86 10 6234 5678"), "1062345678", "country code dropped");
	is_str(ph("0086-10-62345678"), "1062345678", "0086 dropped");
	is_str(ph("(010) 6234-5678"), "1062345678", "brackets and dashes");
	is_str(ph("138-0013-8000"), "13800138000", "a mobile");
	is_str(ph("+86 138 0013 8000"), "13800138000", "a mobile with country code");
	is_str(ph("8613800138000"), "13800138000", "86 without plus");
	is_str(ph("１３８００１３８０００"), "13800138000", "full-width digits");
	is_str(ph("86123456"), "86123456", "a short local number starting 86 keeps it");
	is_str(ph("123456"), "", "under 7 digits: nothing to compare");
	is_str(ph(""), "", "empty");
	is_str(ph("n/a"), "", "no digits");
	is_str(ph("电话：138 0013 8000"), "13800138000", "CJK around the digits");

	/* Distance, over code points. */
	is_int(norm_distance("acme", "acme", 3), 0, "equal");
	is_int(norm_distance("acme", "acne", 3), 1, "one edit");
	is_int(norm_distance("acme", "acmex", 3), 1, "one insertion");
	is_int(norm_distance("acme", "cme", 3), 1, "one deletion");
	is_int(norm_distance("acme", "caem", 3), 3, "a swap and more are separate edits");
	is_int(norm_distance("北京用友", "北京用有", 3), 1, "one CJK edit, not three bytes");
	is_int(norm_distance("", "abc", 3), 3, "from empty");
	is_int(norm_distance("", "", 0), 0, "empty to empty");
	is_int(norm_distance("abc", "xyzw", 2), 3, "past max gives max+1");
	is_int(norm_distance("a", "abcdefgh", 2), 3, "lengths apart by more than max: max+1");
	is_int(norm_distance("kitten", "sitting", 5), 3, "kitten, sitting");
	return done_testing();
}
