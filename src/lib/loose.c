#include <stdlib.h>
#include <string.h>
#include "loose.h"
#include "text.h"

/*
 * Escapes that stand for characters, classes of them or back-references:
 * what they match does not depend on where the value ends. \b, \B, \A, \z,
 * \Z, \G and \K do; \X could take a following combining mark; \Q, \C and
 * \c (whose next character is a literal, even ^) are left out to keep the scan simple.
 */
static int plain_escape(char c)
{
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ||
	       strchr("dDwWsShHvVpPxoNRtnrfaegk", c);
}

/* Copies an escape at p (p[0] is the backslash) with its {...}, <...> or '...' tail. */
static const char *copy_escape(sbuf *b, const char *p)
{
	const char *q = p + 2;
	if (*q == '{' || ((p[1] == 'k' || p[1] == 'g') && (*q == '<' || *q == '\''))) {
		const char *close = strchr(q, *q == '{' ? '}' : *q == '<' ? '>' : '\'');
		q = close ? close + 1 : q + strlen(q);
	}
	sb_add(b, p, (size_t)(q - p));
	return q;
}

/* Just past the class opening at p (its ^ negates, it is no anchor). */
static const char *class_end(const char *p)
{
	const char *q = p + 1;
	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	while (*q && *q != ']') {
		if (*q == '\\' && q[1]) {
			q += 2;
		} else if (q[0] == '[' && q[1] == ':') {
			const char *close = strstr(q + 2, ":]");
			q = close ? close + 2 : q + 1;
		} else {
			q++;
		}
	}
	return *q ? q + 1 : q;
}

static const char *copy_class(sbuf *b, const char *p)
{
	const char *q = class_end(p);
	sb_add(b, p, (size_t)(q - p));
	return q;
}

/* Length of a group's opening that keeps the loosened pattern sound, or 0. */
static size_t group_open(const char *p)
{
	if (p[1] == '*')
		return 0; /* verbs, and (*pla: ...) lookaround */
	if (p[1] != '?')
		return 1;
	const char *q = p + 2;
	if (*q == ':' || *q == '|' || *q == '>' || *q == '\'')
		return 3;
	if (*q == 'P' && (q[1] == '<' || q[1] == '=' || q[1] == '>'))
		return 4;
	if (*q == '<' && ((q[1] >= 'a' && q[1] <= 'z') || (q[1] >= 'A' && q[1] <= 'Z') || q[1] == '_'))
		return 3;
	/* Option settings: (?i) (?i: (?-i) and the like, but not (?x), which makes # a comment. */
	size_t k = strspn(q, "imnsJU-");
	if (k && (q[k] == ')' || q[k] == ':'))
		return 2 + k + 1;
	return 0;
}

char *re_loosen(const char *pat)
{
	sbuf b = {0};
	const char *p = pat;
	while (*p) {
		if (*p == '\\') {
			if (!p[1] || !plain_escape(p[1]))
				goto refuse;
			p = copy_escape(&b, p);
		} else if (*p == '[') {
			p = copy_class(&b, p);
		} else if (*p == '(') {
			size_t k = group_open(p);
			if (!k)
				goto refuse;
			sb_add(&b, p, k);
			p += k;
		} else if (*p == '^' || *p == '$') {
			/* A quantified anchor would leave its quantifier on what came before. */
			if (p[1] && strchr("?*+{", p[1]))
				goto refuse;
			p++;
		} else {
			sb_addc(&b, *p++);
		}
	}
	sb_str(&b); /* an empty pattern stays "", not NULL */
	return b.s;
refuse:
	sb_free(&b);
	return NULL;
}

/* Does an alternative begin at the top level of p (where ^ would bind to one branch only)? */
static int top_level_or(const char *p)
{
	int depth = 0;
	while (*p) {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '[')
			p = class_end(p);
		else if (*p == '|' && depth == 0)
			return 1;
		else
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0, p++;
	}
	return 0;
}

char *re_pin(const char *pat, int col)
{
	/* Leading option settings, (?i) most often, stay in front. */
	const char *p = pat;
	while (p[0] == '(' && p[1] == '?' && p[2 + strspn(p + 2, "imnsJU-")] == ')' &&
	       strspn(p + 2, "imnsJU-") > 0)
		p += 2 + strspn(p + 2, "imnsJU-") + 1;
	if (*p != '^' || strchr("?*+{", p[1]) || top_level_or(p + 1))
		return NULL;
	char *rest = re_loosen(p + 1);
	if (!rest)
		return NULL;
	sbuf b = {0};
	sb_printf(&b, "(?m)%.*s^(?:(?:\"[^\"\\n]*\"|[^,\"\\n]*),){%d}\"?(?:%s)", (int)(p - pat), pat,
		col, rest);
	free(rest);
	return b.s;
}
