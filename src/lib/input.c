#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bulkmem.h"
#include "input.h"

/* The file, or standard input for "-", opened: its fd, or -1 with e set. */
static int open_input(const char *file, crm_err *e)
{
	int fd = strcmp(file, "-") == 0 ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		crm_fail_sys(e, CRM_ENOINPUT, "cannot open", file);
	return fd;
}

static void close_input(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

/* All of fd's bytes, named file in messages. */
static int read_fd(int fd, const char *file, char **buf, size_t *len, crm_err *e)
{
	sbuf b = {0};
	char chunk[65536];
	struct stat st;
	/* A file of known size is read into one buffer, not grown (and copied) by doubling. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		sb_grow(&b, (size_t)st.st_size);
		bulk_buffer(b.s, b.cap);
	}
	for (;;) {
		/* Into the buffer while it has room (a copy of 80 MB less), else a chunk at a time. */
		int room = b.cap - b.len > sizeof chunk;
		ssize_t n = read(fd, room ? b.s + b.len : chunk, room ? b.cap - b.len - 1 : sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sb_free(&b);
			return crm_fail_sys(e, CRM_ENOINPUT, "cannot read", file);
		}
		if (n == 0)
			break;
		if (room) {
			b.len += (size_t)n;
			b.s[b.len] = 0;
		} else {
			sb_add(&b, chunk, (size_t)n);
		}
	}
	*buf = b.s ? b.s : xstrdup("");
	*len = b.len;
	return 0;
}

int input_read(const char *file, char **buf, size_t *len, crm_err *e)
{
	int fd = open_input(file, e);
	if (fd < 0)
		return CRM_ENOINPUT;
	int rc = read_fd(fd, file, buf, len, e);
	close_input(fd);
	return rc;
}

/*
 * A large file is mapped, not read: reading 80 MB copied it and faulted in
 * (zeroed) as much again, a twentieth of an import. Readers take buf as
 * const; the bytes past the end of the last page are zeros, so buf ends in
 * one as a read one does, unless the file fills its last page (then read).
 */
static int map_input(struct input *in, int fd)
{
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	void *p = MAP_FAILED;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size >= (off_t)1 << 20 && page > 0 &&
	    st.st_size % page)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	in->buf = p;
	in->len = in->mapped = (size_t)st.st_size;
	return 0;
}

static void input_release(struct input *in)
{
	if (in->mapped)
		munmap(in->buf, in->mapped);
	else
		free(in->buf);
	in->buf = NULL;
	in->mapped = 0;
}

static int is_utf8_name(const char *enc)
{
	return strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0;
}

/* Converts in->buf from enc, naming the line and column of the first byte enc cannot read. */
static int recode(struct input *in, const char *enc, crm_err *e)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return crm_fail(e, CRM_EUSAGE, "--encoding: '%s' is not an encoding iconv knows", enc);
	sbuf out = {0};
	char *ip = in->buf;
	size_t il = in->len;
	int rc = 0;
	sb_grow(&out, in->len + in->len / 2 + 16); /* two GB18030 bytes are three in UTF-8 */
	for (;;) {
		char *op = out.s + out.len;
		size_t ol = out.cap - out.len - 1;
		/* the last call, with no input, ends a stateful encoding's shift sequence */
		size_t r = il ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);
		out.len = (size_t)(op - out.s);
		if (r != (size_t)-1 && !il)
			break;
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			sb_grow(&out, il * 2 + 16);
			continue;
		}
		long line = 1;
		const char *ls = in->buf;
		for (const char *q = in->buf; q < ip; q++)
			if (*q == '\n')
				line++, ls = q + 1;
		rc = crm_fail_at(e, in->file, line, "csv", "not valid %s at column %zu", enc,
			(size_t)(ip - ls) + 1);
		break;
	}
	iconv_close(cd);
	if (rc) {
		sb_free(&out);
		return rc;
	}
	input_release(in);
	in->buf = out.s ? out.s : xstrdup("");
	in->len = out.len;
	return 0;
}

/* Whether all of buf reads as enc (the converted text is thrown away). */
static int reads_as(const char *enc, const char *buf, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return 0;
	char *ip = (char *)buf, tmp[4096];
	size_t il = len;
	int ok = 1;
	while (il && ok) {
		char *op = tmp;
		size_t ol = sizeof tmp;
		ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 || errno == E2BIG;
	}
	iconv_close(cd);
	return ok;
}

int input_load(struct input *in, const char *file, const char *encoding, crm_err *e)
{
	memset(in, 0, sizeof *in);
	in->file = file;
	int fd = open_input(file, e);
	if (fd < 0)
		return CRM_ENOINPUT;
	int rc = map_input(in, fd) ? read_fd(fd, file, &in->buf, &in->len, e) : 0;
	close_input(fd);
	if (!rc && encoding && !is_utf8_name(encoding)) {
		rc = recode(in, encoding, e);
		in->opt.literal = 1; /* crm writes UTF-8: this file came from a spreadsheet */
	} else if (!rc && !encoding && utf8_valid(in->buf, in->len) < in->len &&
		   reads_as("GB18030", in->buf, in->len)) {
		/* Excel on a Chinese Windows saves CSV in GB18030 (GBK) by default */
		snprintf(in->hint, sizeof in->hint,
			" (the file looks like GB18030: try --encoding gb18030)");
		in->opt.utf8_hint = in->hint;
	}
	return rc;
}

int input_records(struct input *in, const struct table *t, int digits, int partial,
	rec_fn fn, void *ctx, crm_err *e)
{
	return table_read_input(t, in->file, in->buf, in->len, digits, partial, &in->opt, fn,
		ctx, e);
}

void input_free(struct input *in)
{
	input_ahead_free(in);
	input_release(in);
}
