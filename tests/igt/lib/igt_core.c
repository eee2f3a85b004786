// SPDX-License-Identifier: MIT
/*
 * Core of the IGT-compatible harness: subtest selection, results, exit codes
 * and crash reporting, printed the way IGT prints them so that the same
 * parsers (piglit, igt_runner, this project's build/results.py) read them.
 */
#include <fnmatch.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"

sigjmp_buf igt_subtest_jmpbuf;
const char *igt_test_name;

static const char *run_single_subtest;
static bool list_subtests;
static const char *in_subtest;
static bool in_fixture;
static bool skip_subtests_henceforth;
static bool fail_subtests_henceforth;
static bool failed_one, succeeded_one, skipped_one, matched_one;
static char *next_description;
static struct timespec subtest_time;
static int log_level = IGT_LOG_INFO;

static double elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void crash_handler(int sig)
{
	char buf[256];
	int n;

	/* Only async-signal-safe calls: report the crash like IGT, then die. */
	if (in_subtest)
		n = snprintf(buf, sizeof(buf), "Received signal %s.\nSubtest %s: CRASH (%.3fs)\n",
			     strsignal(sig), in_subtest, elapsed(&subtest_time));
	else
		n = snprintf(buf, sizeof(buf), "Received signal %s outside a subtest.\n",
			     strsignal(sig));
	if (n > 0)
		(void)!write(STDOUT_FILENO, buf, n);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void usage(const char *name)
{
	fprintf(stderr, "Usage: %s [--list-subtests] [--run-subtest <glob>] [--debug]\n", name);
}

void igt_subtest_init_parse_opts(int *argc, char **argv)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	struct utsname uts;
	int i;

	igt_test_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--list-subtests")) {
			list_subtests = true;
		} else if (!strcmp(argv[i], "--run-subtest") && i + 1 < *argc) {
			run_single_subtest = argv[++i];
		} else if (!strncmp(argv[i], "--run-subtest=", 14)) {
			run_single_subtest = argv[i] + 14;
		} else if (!strcmp(argv[i], "--debug")) {
			log_level = IGT_LOG_DEBUG;
		} else {
			usage(argv[0]);
			exit(IGT_EXIT_INVALID);
		}
	}
	if (list_subtests)
		return;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < (int)ARRAY_SIZE(sigs); i++)
		signal(sigs[i], crash_handler);
	uname(&uts);
	printf("IGT-Version: 1.27-zblock (x86_64) (%s: %s %s)\n",
	       uts.sysname, uts.release, uts.machine);
}

bool igt_only_list_subtests(void)
{
	return list_subtests;
}

const char *igt_subtest_name(void)
{
	return in_subtest;
}

void igt_log(int level, const char *fmt, ...)
{
	va_list ap;
	FILE *f = level >= IGT_LOG_WARN ? stderr : stdout;

	if (level < log_level)
		return;
	va_start(ap, fmt);
	if (level == IGT_LOG_CRITICAL)
		fprintf(f, "(%s:%d) CRITICAL: ", igt_test_name, getpid());
	else if (level == IGT_LOG_WARN)
		fprintf(f, "(%s:%d) WARNING: ", igt_test_name, getpid());
	vfprintf(f, fmt, ap);
	fflush(f);
	va_end(ap);
}

void igt_describe_f(const char *fmt, ...)
{
	va_list ap;

	free(next_description);
	va_start(ap, fmt);
	if (vasprintf(&next_description, fmt, ap) < 0)
		next_description = NULL;
	va_end(ap);
}

char *__igt_subtest_f(const char *fmt, ...)
{
	static char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return name;
}

bool __igt_fixture(void)
{
	if (list_subtests || skip_subtests_henceforth)
		return false;
	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = false;
}

static bool valid_name(const char *name)
{
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') ||
		      *name == '-' || *name == '_'))
			return false;
	return true;
}

bool __igt_run_subtest(const char *name, const char *file, int line)
{
	if (!valid_name(name)) {
		fprintf(stderr, "%s:%d: invalid subtest name \"%s\"\n", file, line, name);
		exit(IGT_EXIT_INVALID);
	}
	if (list_subtests) {
		printf("%s\n", name);
		return false;
	}
	if (run_single_subtest && fnmatch(run_single_subtest, name, 0))
		return false;
	matched_one = true;

	printf("Starting subtest: %s\n", name);
	if (next_description) {
		igt_debug("Subtest description: %s\n", next_description);
		free(next_description);
		next_description = NULL;
	}
	in_subtest = strdup(name);
	clock_gettime(CLOCK_MONOTONIC, &subtest_time);

	if (skip_subtests_henceforth) {
		printf("Subtest %s: SKIP (0.000s)\n", name);
		skipped_one = true;
		free((char *)in_subtest);
		in_subtest = NULL;
		return false;
	}
	if (fail_subtests_henceforth) {
		printf("Subtest %s: FAIL (0.000s)\n", name);
		failed_one = true;
		free((char *)in_subtest);
		in_subtest = NULL;
		return false;
	}
	return true;
}

static void exit_subtest(const char *result)
{
	printf("Subtest %s: %s (%.3fs)\n", in_subtest, result, elapsed(&subtest_time));
	fflush(stdout);
	free((char *)in_subtest);
	in_subtest = NULL;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void __igt_subtest_complete(void)
{
	igt_success();
}

void igt_success(void)
{
	succeeded_one = true;
	if (in_subtest)
		exit_subtest("SUCCESS");
	/* igt_success() outside a subtest has nothing to report. */
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void igt_fail(int exitcode)
{
	failed_one = true;
	if (in_subtest)
		exit_subtest("FAIL");
	if (in_fixture) {
		/* A broken fixture fails every subtest that depends on it. */
		fail_subtests_henceforth = true;
		in_fixture = false;
		siglongjmp(igt_subtest_jmpbuf, 1);
	}
	exit(exitcode);
}

void igt_skip(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	skipped_one = true;
	if (in_subtest)
		exit_subtest("SKIP");
	if (in_fixture) {
		skip_subtests_henceforth = true;
		in_fixture = false;
		siglongjmp(igt_subtest_jmpbuf, 1);
	}
	exit(IGT_EXIT_SKIP);
}

void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *fmt, ...)
{
	va_list ap;

	printf("Test requirement not met in function %s, file %s:%d:\n", func, file, line);
	printf("Test requirement: %s\n", check);
	if (fmt) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	igt_skip(NULL);
}

void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	igt_critical("Test assertion failure function %s, file %s:%d:\n", func, file, line);
	igt_critical("Failed assertion: %s\n", assertion);
	if (err)
		igt_critical("Last errno: %i, %s\n", err, strerror(err));
	if (fmt) {
		va_start(ap, fmt);
		fprintf(stderr, "(%s:%d) CRITICAL: ", igt_test_name, getpid());
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fflush(stderr);
	igt_fail(IGT_EXIT_FAILURE);
}

void igt_exit(void)
{
	if (list_subtests)
		exit(IGT_EXIT_SUCCESS);
	if (run_single_subtest && !matched_one) {
		fprintf(stderr, "Unknown subtest: %s\n", run_single_subtest);
		exit(IGT_EXIT_INVALID);
	}
	if (failed_one)
		exit(IGT_EXIT_FAILURE);
	if (!succeeded_one && skipped_one)
		exit(IGT_EXIT_SKIP);
	exit(IGT_EXIT_SUCCESS);
}
