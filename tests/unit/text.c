/* text: UTF-8 checks, display widths, control-character escaping. */
#include "tap.h"
#include "text.h"

int main(void)
{
	is_int(utf8_valid("abc", 3), 3, "ASCII valid");
	is_int(utf8_valid("北京", 6), 6, "CJK valid");
	is_int(utf8_valid("ab\xff", 3), 2, "invalid byte found at its offset");
	is_int(utf8_valid("\xe4\xb8", 2), 0, "truncated sequence invalid");
	is_int(utf8_valid("\xf0\x9f\x98\x80", 4), 4, "four-byte sequence valid");
	is_int(utf8_valid("\xf4\x90\x80\x80", 4), 0, "beyond U+10FFFF invalid");
	is_int(utf8_valid("aaaaaaaaaaaaaaaa\xe4\xb8\xad", 19), 19, "long ASCII run then CJK");
	is_int(text_width("abc"), 3, "ASCII width");
	is_int(text_width("北京abc"), 7, "CJK counts two columns");
	is_int(text_width("ｱ"), 1, "half-width katakana counts one");
	char s[64] = "a\x1b[31mb\nc";
	text_escape_ctl(s, sizeof s);
	is_str(s, "a\\x1b[31mb\\nc", "terminal escapes and newlines made visible");
	return done_testing();
}
