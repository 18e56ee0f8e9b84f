/*
 * bench/tm: runs a command and appends its wall seconds and peak resident
 * memory (KiB, as /usr/bin/time %M) to FILE; exits with the command's status.
 * usage: tm FILE COMMAND [ARG...]
 * A shell's `date +%s%N` around a command costs milliseconds of its own here,
 * as much as a third of a commit; this clock starts at fork and stops at wait.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: tm FILE COMMAND [ARG...]\n", stderr);
		return 2;
	}
	FILE *out = fopen(argv[1], "a");
	if (!out) {
		perror(argv[1]);
		return 73;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
		perror("tm");
		return 70;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(out, "%.6f %ld\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		ru.ru_maxrss);
	if (fclose(out))
		return 73;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
