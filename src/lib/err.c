#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <git2.h>
#include "err.h"
#include "text.h"

int crm_fail(crm_err *e, int code, const char *fmt, ...)
{
	if (e->code)
		return e->code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	/* Messages may quote user data; never let it reach a terminal raw. */
	text_escape_ctl(e->msg, sizeof e->msg);
	e->code = code;
	return code;
}

int crm_fail_at(crm_err *e, const char *file, long line, const char *field,
	const char *fmt, ...)
{
	if (e->code)
		return e->code;
	char what[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line > 0)
		return crm_fail(e, CRM_EDATA, "%s:%ld: %s: %s", file, line, field, what);
	return crm_fail(e, CRM_EDATA, "%s: %s: %s", file, field, what);
}

int crm_fail_git(crm_err *e, const char *what)
{
	const git_error *g = git_error_last();
	return crm_fail(e, CRM_EINTERNAL, "%s: %s", what,
		g && g->message ? g->message : "unknown git error");
}

int crm_fail_sys(crm_err *e, int code, const char *what, const char *subject)
{
	return crm_fail(e, code, "%s '%s': %s", what, subject, strerror(errno));
}
