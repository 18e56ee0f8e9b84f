/* Errors are values: a status from DESIGN §7 and one message, printed once by main. */
#ifndef CRM_ERR_H
#define CRM_ERR_H

enum {
	CRM_OK = 0,
	CRM_ENOTFOUND = 1,
	CRM_EUSAGE = 2,
	CRM_EDATA = 65,
	CRM_ENOINPUT = 66,
	CRM_EINTERNAL = 70,
	CRM_ECANTCREAT = 73,
	CRM_EBUSY = 75,
	CRM_EPERM = 77,
};

typedef struct crm_err {
	int code;
	char msg[1024];
} crm_err;

/* Sets e (if empty) and returns code, so callers can `return crm_fail(...)`. */
int crm_fail(crm_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The `file:line: field: message` form for bad data. */
int crm_fail_at(crm_err *e, const char *file, long line, const char *field,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A libgit2 failure, with git_error_last()'s text. */
int crm_fail_git(crm_err *e, const char *what);
/* A failed system call, with strerror(errno). */
int crm_fail_sys(crm_err *e, int code, const char *what, const char *subject);

#endif
