// SPDX-License-Identifier: MIT
/*
 * igt_core.h - the subset of IGT's lib/igt_core.h used by nova's tests.
 *
 * See igt.h for why this exists. Macro and function names, signatures
 * and behaviour follow upstream IGT; the implementation is ours.
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

#include <assert.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

#ifndef STATIC_ANALYSIS_BUILD
#define STATIC_ANALYSIS_BUILD 0
#endif

#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((long)(e))))
#define igt_assume(e) BUILD_BUG_ON_INVALID(e)

#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif
#define __maybe_unused __attribute__((unused))

/* Exit codes, as upstream. */
#define IGT_EXIT_SKIP    77
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT 112

extern const char *__igt_test_description __attribute__((weak));
extern bool __igt_plain_output;

/**
 * IGT_TEST_DESCRIPTION:
 * @str: description string
 *
 * Defines a description for a test, printed by --help-description and at
 * the top of --describe.
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

#define __igt_tokencat2(x, y) x ## y
#define igt_tokencat(x, y) __igt_tokencat2(x, y)
#define igt_unique(prefix) \
	igt_tokencat(igt_tokencat(__igt_unique__, prefix), __LINE__)

void __igt_assert_in_outer_scope(void);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
__noreturn void __igt_fixture_end(void);

/* glibc's jmp_buf and sigjmp_buf are the same type. */
extern sigjmp_buf igt_subtest_jmpbuf;

/**
 * igt_fixture:
 *
 * Global test fixture code: not run when only listing subtests, and
 * skipped once a previous fixture skipped or failed. A skip or failure
 * inside it makes every following subtest (of the enclosing group) SKIP
 * or FAIL.
 */
#define igt_fixture for (volatile int igt_unique(__tmpint) = 0; \
			 igt_unique(__tmpint) < 1 && \
			 (STATIC_ANALYSIS_BUILD || \
			 (__igt_fixture() && \
			 (sigsetjmp(igt_subtest_jmpbuf, 1) == 0))); \
			 igt_unique(__tmpint) ++, \
			 __igt_fixture_complete())

typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2
struct option;
int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);

#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL);

bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);

/**
 * igt_subtest:
 * @name: name of the subtest
 *
 * A subtest block; igt_skip(), igt_fail() and failed assertions inside it
 * leave the block and only mark this subtest.
 */
#define igt_subtest(name) for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
				   (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
				   igt_success())
#define __igt_subtest_f(tmp, format...) \
	for (char tmp [256]; \
	     snprintf( tmp , sizeof( tmp ), \
		      format), \
	     __igt_run_subtest(tmp, __FILE__, __LINE__) && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

/**
 * igt_subtest_f:
 * @...: format string and optional arguments
 *
 * Like igt_subtest(), with a printf-style name.
 */
#define igt_subtest_f(f...) \
	__igt_subtest_f(igt_unique(__tmpchar), f)

const char *igt_subtest_name(void);
bool igt_only_list_subtests(void);

void __igt_subtest_group_save(int *, int *);
void __igt_subtest_group_restore(int, int);

/**
 * igt_subtest_group:
 *
 * Groups fixtures and subtests: a skip or failure of a fixture inside the
 * group only affects the group's subtests.
 */
#define igt_subtest_group for (int igt_unique(__tmpint) = 0, \
			       igt_unique(__save) = 0, \
			       igt_unique(__desc) = 0; \
			       igt_unique(__tmpint) < 1 && \
			       (__igt_subtest_group_save(& igt_unique(__save), \
							 & igt_unique(__desc) ), true); \
			       igt_unique(__tmpint) ++, \
			       __igt_subtest_group_restore(igt_unique(__save), \
							   igt_unique(__desc)))

/**
 * igt_main_args:
 *
 * main() for tests with subtests, with extra command line options.
 */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	static void igt_unique(__real_main)(void); \
	int main(int argc, char **argv) { \
		igt_subtest_init_parse_opts(&argc, argv, \
					    short_opts, long_opts, help_str, \
					    opt_handler, handler_data); \
		igt_unique(__real_main)(); \
		igt_exit(); \
	} \
	static void igt_unique(__real_main)(void) \

/**
 * igt_main:
 *
 * main() for tests with subtests.
 */
#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

const char *igt_test_name(void);

__noreturn void __igt_skip_check(const char *file, const int line,
				 const char *func, const char *check,
				 const char *format, ...)
	__attribute__((format(printf, 5, 6)));
#define igt_skip_check(E, F...) \
	__igt_skip_check(__FILE__, __LINE__, __func__, E, F)

/**
 * igt_skip:
 * @f: format string
 *
 * Skip the current subtest, or all following subtests when called in a
 * fixture. The reason is printed on stdout.
 */
__noreturn void igt_skip(const char *f, ...) __attribute__((format(printf, 1, 2)));

/**
 * igt_success:
 *
 * Complete the current subtest as successful.
 */
void igt_success(void);

/**
 * igt_fail:
 * @exitcode: exit code, neither 0 nor 77
 *
 * Fail the current subtest, or all following subtests when called in a
 * fixture.
 */
__noreturn void igt_fail(int exitcode);

__noreturn void __igt_fail_assert(const char *domain, const char *file,
				  const int line, const char *func,
				  const char *assertion,
				  const char *format, ...)
	__attribute__((format(printf, 6, 7)));

/**
 * igt_exit:
 *
 * Exit with IGT's exit code: 0 when a subtest passed and none failed, 77
 * when all skipped, the first failure's code (98) otherwise, 79 when
 * --run-subtest matched no subtest. igt_main calls it.
 */
__noreturn void igt_exit(void);

/**
 * igt_exit_handler_t: called with the signal number, or 0 at a normal exit
 */
typedef void (*igt_exit_handler_t)(int sig);

/**
 * igt_install_exit_handler:
 * @fn: handler
 *
 * Run @fn when the test exits (igt_exit(), exit()) or is killed by SIGINT,
 * SIGTERM, SIGQUIT or SIGHUP; handlers run once each, the last installed
 * first. For restoring state a test changed outside the process.
 */
void igt_install_exit_handler(igt_exit_handler_t fn);

/**
 * igt_describe:
 * @dsc: description
 *
 * Attach a description to the following subtest or subtest group, printed
 * by --describe.
 */
void igt_describe_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define igt_describe(dsc) \
	igt_describe_f("%s", dsc)

/**
 * igt_assert:
 * @expr: condition to test
 *
 * Fail the (sub)test if @expr is false.
 */
#define igt_assert(expr) \
	do { if (!(expr)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr , NULL); \
	} while (0)

#define igt_assert_f(expr, f...) \
	do { if (!(expr)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr , f); \
	} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	do { \
		int __n1 = (n1), __n2 = (n2); \
		if (__n1 cmp __n2) ; else \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #n1 " " #cmp " " #n2, \
				  "error: %d " #ncmp " %d\n", __n1, __n2); \
	} while (0)

#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	do { \
		uint32_t __n1 = (n1), __n2 = (n2); \
		if (__n1 cmp __n2) ; else \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #n1 " " #cmp " " #n2, \
				  "error: %#x " #ncmp " %#x\n", __n1, __n2); \
	} while (0)

#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	do { \
		int64_t __n1 = (n1), __n2 = (n2); \
		if (__n1 cmp __n2) ; else \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #n1 " " #cmp " " #n2, \
				  "error: %lld " #ncmp " %lld\n", (long long)__n1, (long long)__n2); \
	} while (0)

#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	do { \
		uint64_t __n1 = (n1), __n2 = (n2); \
		if (__n1 cmp __n2) ; else \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #n1 " " #cmp " " #n2, \
				  "error: %#llx " #ncmp " %#llx\n", (long long)__n1, (long long)__n2); \
	} while (0)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lte_u32(n1, n2) igt_assert_cmpuint(n1, <=, >, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lt_u32(n1, n2) igt_assert_cmpuint(n1, <, >=, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)

#define igt_assert_fd(fd) \
	igt_assert_f(fd >= 0, "file descriptor " #fd " failed\n");

/**
 * igt_require:
 * @expr: condition to test
 *
 * Skip the (sub)test if @expr is false.
 */
#define igt_require(expr) do { \
	if (!(expr)) igt_skip_check(#expr , NULL); \
	else igt_debug("Test requirement passed: %s\n", #expr); \
} while (0)

#define igt_skip_on(expr) do { \
	if ((expr)) igt_skip_check("!(" #expr ")" , NULL); \
	else igt_debug("Test requirement passed: !(%s)\n", #expr); \
} while (0)

#define igt_require_f(expr, f...) do { \
	if (!(expr)) igt_skip_check(#expr , f); \
	else igt_debug("Test requirement passed: %s\n", #expr); \
} while (0)

#define igt_require_fd(fd) \
	igt_require_f(fd >= 0, "file descriptor " #fd " failed\n");

#define igt_skip_on_f(expr, f...) do { \
	if ((expr)) igt_skip_check("!("#expr")", f); \
	else igt_debug("Test requirement passed: !(%s)\n", #expr); \
} while (0)

/* fork support */
bool __igt_fork(void);

/**
 * igt_fork:
 * @child: name of the int variable with the child number
 * @num_children: number of children to fork
 *
 * Run the block in @num_children forked processes; join them with
 * igt_waitchildren(), which fails the subtest if a child failed.
 */
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))
int __igt_waitchildren(void);
void igt_waitchildren(void);
void igt_kill_children(int signal);

/* logging */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
void igt_vlog(const char *domain, enum igt_log_level level, const char *format, va_list args)
	__attribute__((format(printf, 3, 0)));

#define igt_debug(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, f)
#define igt_info(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, f)
#define igt_warn(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, f)
#define igt_critical(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, f)

extern enum igt_log_level igt_log_level;

#define igt_warn_on(condition) ({ \
		typeof(condition) ret__ = (condition); \
		if (ret__) \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
		ret__; \
	})

#define igt_warn_on_f(condition, f...) ({ \
		typeof(condition) ret__ = (condition); \
		if (ret__) {\
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
			igt_warn(f); \
		} \
		ret__; \
	})

#define KMSG_EMER	"<0>[IGT] "
#define KMSG_ALERT	"<1>[IGT] "
#define KMSG_CRIT	"<2>[IGT] "
#define KMSG_ERR	"<3>[IGT] "
#define KMSG_WARNING	"<4>[IGT] "
#define KMSG_NOTICE	"<5>[IGT] "
#define KMSG_INFO	"<6>[IGT] "
#define KMSG_DEBUG	"<7>[IGT] "

void igt_kmsg(const char *format, ...) __attribute__((format(printf, 1, 2)));

/**
 * igt_emit_ignore_dmesg_regex:
 * @regex: POSIX extended regular expression
 *
 * Tell igt_runner (through the kernel log) to ignore kernel messages that
 * match @regex for the rest of the current test: for errors a subtest
 * provokes on purpose. Fails the test if @regex does not compile.
 */
void igt_emit_ignore_dmesg_regex(const char *regex);

#endif /* IGT_CORE_H */
