/*
 * A field's regular expression loosened for a whole CSV line: wherever the
 * pattern matches a value standing verbatim in a line, the loosened one
 * matches that line. So one search over a whole file finds every line that
 * may hold a match, as grep would, and lines between are never parsed.
 */
#ifndef CRM_LOOSE_H
#define CRM_LOOSE_H

/*
 * The pattern without its anchors ^ and $ (which mean the value's ends, not
 * the line's), or NULL when it holds what a line could answer otherwise than
 * its value: lookaround, \b and other assertions, conditionals, verbs, (?x).
 * Dropping an assertion can only widen what matches, never narrow it.
 */
char *re_loosen(const char *pat);

/*
 * For a pattern anchored at the value's start (^R, R without an alternative
 * at its top level), a multi-line pattern pinned to column col, as a grep
 * user would write it: the columns before it (quoted or not: the lines it
 * runs over hold no doubled quote), an optional opening quote, R loosened.
 * It finds only lines where R may start the value. NULL for other patterns.
 */
char *re_pin(const char *pat, int col);

#endif
