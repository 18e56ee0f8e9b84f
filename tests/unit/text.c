/* text: UTF-8 checks, display widths, control-character escaping, buffers. */
#include <stdlib.h>
#include "tap.h"
#include "text.h"

static const char *esc(const char *s)
{
	static sbuf b;
	b.len = 0;
	sb_add_visible(&b, s);
	return sb_str(&b);
}

#define VALID(lit) utf8_valid(lit, sizeof lit - 1)

int main(void)
{
	is_int(VALID("abc"), 3, "ASCII valid");
	is_int(VALID(""), 0, "empty valid");
	is_int(VALID("北京"), 6, "CJK valid");
	is_int(VALID("ab\xff"), 2, "invalid byte found at its offset");
	is_int(VALID("\xe4\xb8"), 0, "truncated sequence invalid");
	is_int(VALID("\xf0\x9f\x98\x80"), 4, "four-byte sequence valid");
	is_int(VALID("\xf4\x8f\xbf\xbf"), 4, "U+10FFFF valid");
	is_int(VALID("\xf4\x90\x80\x80"), 0, "beyond U+10FFFF invalid");
	is_int(VALID("\xf5\x80\x80\x80"), 0, "F5 lead invalid");
	is_int(VALID("\xf0\x8f\xbf\xbf"), 0, "overlong four-byte invalid");
	is_int(VALID("\xe0\x9f\xbf"), 0, "overlong three-byte invalid");
	is_int(VALID("\xc0\xaf"), 0, "C0 overlong invalid");
	is_int(VALID("\xc1\xbf"), 0, "C1 overlong invalid");
	is_int(VALID("\xc2\x80"), 2, "U+0080 valid");
	is_int(VALID("\xed\x9f\xbf"), 3, "U+D7FF valid");
	is_int(VALID("\xed\xa0\x80"), 0, "surrogate U+D800 invalid");
	is_int(VALID("\xed\xbf\xbf"), 0, "surrogate U+DFFF invalid");
	is_int(VALID("\xee\x80\x80"), 3, "U+E000 valid");
	is_int(VALID("\xef\xbf\xbf"), 3, "U+FFFF valid");
	is_int(VALID("\x80"), 0, "a lone continuation byte invalid");
	is_int(VALID("\xe4\xb8\xad\x80"), 3, "a stray continuation after a character");
	is_int(VALID("\xe4\x41\xad"), 0, "a lead byte followed by ASCII");
	is_int(VALID("aaaaaaaaaaaaaaaa\xe4\xb8\xad"), 19, "long ASCII run then CJK");
	is_int(VALID("aaaaaaa\xe4\xb8\xad"), 10, "a sequence across the eight-byte step");
	is_int(VALID("aaaaaaaaaaaaaaa\xe4\xb8"), 15, "cut at the end after a long run");
	is_int(utf8_valid("a\0b", 3), 3, "NUL is valid UTF-8 (the CSV reader refuses it apart)");
	{
		/* Every two-byte string against a plain reading of RFC 3629. */
		int wrong = 0;
		for (int a = 0x80; a < 0x100; a++)
			for (int b = 0; b < 0x100; b++) {
				char s[2] = {(char)a, (char)b};
				int want = a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80 ? 2 : 0;
				if (utf8_valid(s, 2) != (size_t)want)
					wrong++;
			}
		is_int(wrong, 0, "every two-byte string judged right");
	}

	const char *p = "北";
	is_int(utf8_next(&p), 0x5317, "utf8_next decodes");
	p = "\xe4";
	utf8_next(&p);
	ok(*p == 0, "utf8_next stops at the NUL of a cut sequence");
	sbuf u = {0};
	utf8_put(&u, 0x1F600);
	utf8_put(&u, 0x5317);
	utf8_put(&u, 0xE9);
	utf8_put(&u, 'a');
	is_str(sb_str(&u), "😀北éa", "utf8_put encodes 1 to 4 bytes");
	sb_free(&u);

	is_int(text_width("abc"), 3, "ASCII width");
	is_int(text_width(""), 0, "empty width");
	is_int(text_width("北京abc"), 7, "CJK counts two columns");
	is_int(text_width("ｱ"), 1, "half-width katakana counts one");
	is_int(text_width("Ａ"), 2, "full-width Latin counts two");
	is_int(text_width("한국"), 4, "Hangul counts two");
	is_int(text_width("😀"), 2, "emoji count two");
	is_int(text_width("e\xcc\x81"), 1, "a combining accent counts none");
	is_int(text_width("（）"), 4, "full-width brackets count two");

	is_str(esc("plain 北京"), "plain 北京", "printable text passes");
	is_str(esc("a\x1b[31mb\nc\td\re"), "a\\x1b[31mb\\nc\\td\\re", "C0 controls made visible");
	is_str(esc("del\x7f"), "del\\x7f", "DEL made visible");
	is_str(esc("csi\xc2\x9b" "31m"), "csi\\u009b31m", "a C1 CSI made visible");
	is_str(esc("nel\xc2\x85"), "nel\\u0085", "a C1 NEL made visible");
	is_str(esc("\xc2\xa0nbsp"), "\xc2\xa0nbsp", "U+00A0 is no control");
	is_str(esc("bad\x9b" "31m"), "bad\\x9b31m", "a stray byte (8-bit CSI) made visible");
	is_str(esc("cut\xe4\xb8"), "cut\\xe4\\xb8", "a cut sequence made visible byte by byte");
	is_str(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80", "a surrogate made visible");
	char s[64] = "a\x1b[31mb\nc";
	text_escape_ctl(s, sizeof s);
	is_str(s, "a\\x1b[31mb\\nc", "terminal escapes and newlines made visible in place");
	char s2[8] = "ab\ncd";
	text_escape_ctl(s2, sizeof s2);
	is_str(s2, "ab\\ncd", "in place, to the buffer's size");
	char s3[8] = "\n北京";
	text_escape_ctl(s3, sizeof s3);
	is_str(s3, "\\n北", "cut short at a character boundary");
	ok(utf8_valid(s3, strlen(s3)) == strlen(s3), "so the result stays UTF-8");
	char s4[16] = "北京 ok";
	text_escape_ctl(s4, sizeof s4);
	is_str(s4, "北京 ok", "a clean message is left alone");

	sbuf b = {0};
	is_str(sb_str(&b), "", "an unused buffer reads as empty");
	sb_printf(&b, "%d-%s", 42, "x");
	sb_adds(&b, "y");
	sb_addc(&b, 'z');
	sb_add(&b, "0123", 2);
	is_str(sb_str(&b), "42-xyz01", "printf, adds, addc, add");
	is_int(b.len, 8, "length kept");
	for (int i = 0; i < 10000; i++)
		sb_addc(&b, 'q');
	is_int(b.len, 10008, "grows");
	sb_free(&b);
	ok(b.s == NULL && b.len == 0, "freed");
	char *d = xstrndup("abcdef", 3);
	is_str(d, "abc", "xstrndup");
	free(d);
	return done_testing();
}
