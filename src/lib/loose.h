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

#endif
