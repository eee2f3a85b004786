/* SPDX-License-Identifier: MIT */
/*
 * A small implementation of IGT's core test API (igt_main, igt_fixture,
 * igt_subtest, igt_assert*, igt_require, igt_skip), written for this project
 * because Debian ships IGT's library without its headers.  Only the API is
 * IGT's: a test written against it builds unchanged in IGT's tree.
 *
 * Control flow follows IGT: each subtest body runs under sigsetjmp(); a failed
 * assertion or a skip prints the subtest's result and jumps back out of the
 * body, so the next subtest starts from a known state.
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>

#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_ABORT		112

extern sigjmp_buf igt_subtest_jmpbuf;
extern const char *igt_test_name;

void igt_subtest_init_parse_opts(int *argc, char **argv);
__attribute__((noreturn)) void igt_exit(void);

bool __igt_fixture(void);
void __igt_fixture_complete(void);
bool __igt_run_subtest(const char *name, const char *file, int line);
void __igt_subtest_complete(void);
const char *igt_subtest_name(void);
bool igt_only_list_subtests(void);
void igt_describe_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *__igt_subtest_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

__attribute__((noreturn)) void igt_fail(int exitcode);
__attribute__((noreturn)) void igt_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void igt_success(void);
__attribute__((noreturn))
void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
__attribute__((noreturn))
void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void igt_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum { IGT_LOG_DEBUG, IGT_LOG_INFO, IGT_LOG_WARN, IGT_LOG_CRITICAL };
#define igt_debug(f...) igt_log(IGT_LOG_DEBUG, f)
#define igt_info(f...) igt_log(IGT_LOG_INFO, f)
#define igt_warn(f...) igt_log(IGT_LOG_WARN, f)
#define igt_critical(f...) igt_log(IGT_LOG_CRITICAL, f)

#define igt_tokencat2(x, y) x ## y
#define igt_tokencat(x, y) igt_tokencat2(x, y)
#define igt_unique(prefix) igt_tokencat(prefix, __LINE__)

#define igt_main_args(short_opts, long_opts, help_str, handler, data) \
	static void igt_tokencat(__real_main, __LINE__)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv); \
		igt_tokencat(__real_main, __LINE__)(); \
		igt_exit(); \
	} \
	static void igt_tokencat(__real_main, __LINE__)(void)

#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_fixture \
	for (int igt_unique(__tmpint) = 0; \
	     igt_unique(__tmpint) < 1 && __igt_fixture() && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_unique(__tmpint)++, __igt_fixture_complete())

#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     __igt_subtest_complete())

#define igt_subtest_f(f...) \
	igt_subtest(__igt_subtest_f(f))

#define igt_describe(dsc) igt_describe_f("%s", dsc)

#define igt_assert(expr) \
	do { if (!(expr)) \
		__igt_fail_assert("", __FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)

#define igt_assert_f(expr, f...) \
	do { if (!(expr)) \
		__igt_fail_assert("", __FILE__, __LINE__, __func__, #expr, f); \
	} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

#define igt_assert_cmptype(n1, cmp, ncmp, n2, type, pfmt) \
	do { \
		type __n1 = (n1), __n2 = (n2); \
		if (!(__n1 cmp __n2)) \
			__igt_fail_assert("", __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: " pfmt " " #ncmp " " pfmt "\n", \
					  __n1, __n2); \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(n1, cmp, ncmp, n2, int, "%d")
#define igt_assert_cmpu32(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(n1, cmp, ncmp, n2, uint32_t, "%" PRIu32)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(n1, cmp, ncmp, n2, uint64_t, "%" PRIu64)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(n1, cmp, ncmp, n2, int64_t, "%" PRId64)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpu32(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpu32(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)

#define igt_assert_fd(fd) \
	igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

#define igt_require(expr) \
	do { if (!(expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)

#define igt_require_f(expr, f...) \
	do { if (!(expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, f); \
	} while (0)

#define igt_skip_on(expr) igt_require(!(expr))
#define igt_skip_on_f(expr, f...) igt_require_f(!(expr), f)

#endif /* IGT_CORE_H */
