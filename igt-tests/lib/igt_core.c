// SPDX-License-Identifier: MIT
/*
 * igt_core.c - nova's minimal implementation of IGT's core test protocol.
 *
 * See igt.h. What igt_runner relies on, as in IGT 2.x lib/igt_core.c and
 * runner/{job_list,executor,resultgen}.c:
 *  - "--list-subtests" prints one subtest name per line on stdout and
 *    exits 0 (fixtures are not run, logging is muted);
 *  - "--run-subtest PATTERN" runs the matching subtests; PATTERN is a
 *    comma-separated list of uwildmat patterns ('*', '?', '[...]', '!' to
 *    negate); the runner passes "a,b,c" in multiple mode (-m);
 *  - before a subtest: "Starting subtest: NAME" on stdout, after it
 *    "Subtest NAME: SUCCESS|FAIL|SKIP|CRASH (S.MMMs)"; both are copied to
 *    stderr when IGT_SENTINEL_ON_STDERR is set (the runner sets it, to
 *    split stderr per subtest);
 *  - in /dev/kmsg: "[IGT] BIN: executing", "[IGT] BIN: starting subtest
 *    NAME", "[IGT] BIN: finished subtest NAME, RESULT" and
 *    "[IGT] BIN: exiting, ret=N" (the runner splits dmesg per subtest
 *    with ": starting subtest ");
 *  - exit code 0 if a subtest passed and none failed, 77 if all skipped,
 *    the first failure's code (98, or 128+signal for a crash) otherwise,
 *    79 for an unknown subtest or a bad option.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "igt_core.h"
#include "igt_device_scan.h"
#include "drmtest.h"

#define IGT_MINI_VERSION "2.5-nova-mini"

sigjmp_buf igt_subtest_jmpbuf;
bool __igt_plain_output;
enum igt_log_level igt_log_level = IGT_LOG_INFO;

static const char *command_str = "igt";
static bool list_subtests, show_testlist, describe_subtests;
static char *run_single_subtest;
static bool run_single_subtest_found;
static bool stderr_needs_sentinel;

static bool in_fixture;
static const char *volatile in_subtest;
static enum { CONT = 0, SKIP, FAIL } skip_subtests_henceforth;
static bool skipped_one, succeeded_one, failed_one;
static int igt_exitcode = IGT_EXIT_SUCCESS;
static struct timespec subtest_time;

static bool test_child;
static pid_t *test_children;
static int num_test_children, test_children_sz;

static char current_description[4096];
#define MAX_GROUP_DESCRIPTIONS 16
static char *group_descriptions[MAX_GROUP_DESCRIPTIONS];
static int num_group_descriptions;

/* ---- log ring buffer, dumped to stderr when a (sub)test fails ---- */

#define LOG_BUFFER_SIZE 256
static char *log_buffer[LOG_BUFFER_SIZE];
static unsigned int log_start, log_end;
static bool log_line_continuation;

static void log_buffer_reset(void)
{
	while (log_start != log_end) {
		free(log_buffer[log_start]);
		log_buffer[log_start] = NULL;
		log_start = (log_start + 1) % LOG_BUFFER_SIZE;
	}
	log_start = log_end = 0;
}

static void log_buffer_append(char *line)
{
	free(log_buffer[log_end]);
	log_buffer[log_end] = line;
	log_end = (log_end + 1) % LOG_BUFFER_SIZE;
	if (log_end == log_start) {
		free(log_buffer[log_start]);
		log_buffer[log_start] = NULL;
		log_start = (log_start + 1) % LOG_BUFFER_SIZE;
	}
}

static void log_buffer_dump(void)
{
	if (in_subtest)
		fprintf(stderr, "Subtest %s failed.\n", in_subtest);
	else
		fprintf(stderr, "Test %s failed.\n", command_str);

	if (log_start == log_end) {
		fprintf(stderr, "No log.\n");
		return;
	}

	fprintf(stderr, "**** DEBUG ****\n");
	for (unsigned int i = log_start; i != log_end; i = (i + 1) % LOG_BUFFER_SIZE)
		fprintf(stderr, "%s", log_buffer[i]);
	fprintf(stderr, "****  END  ****\n");
	fflush(stderr);
	log_buffer_reset();
}

void igt_vlog(const char *domain, enum igt_log_level level, const char *format, va_list args)
{
	static const char *const level_str[] = {
		"DEBUG", "INFO", "WARNING", "CRITICAL", "NONE"
	};
	char *line, *formatted;
	bool continuation = log_line_continuation;
	FILE *file;

	if (igt_only_list_subtests() && level <= IGT_LOG_WARN)
		return;

	if (vasprintf(&line, format, args) < 0)
		return;

	if (continuation) {
		formatted = strdup(line);
	} else if (asprintf(&formatted, "(%s:%d) %s%s%s: %s", command_str,
			    getpid(), domain ? domain : "", domain ? "-" : "",
			    level_str[level], line) < 0) {
		formatted = NULL;
	}
	log_line_continuation = line[0] && line[strlen(line) - 1] != '\n';

	if (formatted)
		log_buffer_append(formatted);

	if (level >= igt_log_level) {
		if (level >= IGT_LOG_WARN) {
			file = stderr;
			fflush(stdout);
		} else {
			file = stdout;
		}
		/* Info messages are printed bare, others with their prefix. */
		if (level != IGT_LOG_INFO && formatted)
			fputs(formatted, file);
		else
			fputs(line, file);
		if (file == stderr)
			fflush(stderr);
	}

	free(line);
}

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	igt_vlog(domain, level, format, args);
	va_end(args);
}

void igt_kmsg(const char *format, ...)
{
	va_list ap;
	FILE *file;

	file = fopen("/dev/kmsg", "w");
	if (!file)
		return;

	va_start(ap, format);
	vfprintf(file, format, ap);
	va_end(ap);

	fclose(file);
}

/* ---- subtest name matching (IGT uses uwildmat) ---- */

/*
 * @patterns is a comma-separated list; each pattern may start with '!'
 * to exclude. The last pattern matching @name decides, as uwildmat does.
 */
static bool subtest_matches(const char *name, const char *patterns)
{
	char *copy = strdup(patterns), *save = NULL, *pat;
	bool matched = false;

	if (!copy)
		return false;

	for (pat = strtok_r(copy, ",", &save); pat; pat = strtok_r(NULL, ",", &save)) {
		bool negate = pat[0] == '!';

		if (fnmatch(negate ? pat + 1 : pat, name, 0) == 0)
			matched = !negate;
	}

	free(copy);
	return matched;
}

/* ---- option parsing and start up ---- */

const char *igt_test_name(void)
{
	return command_str;
}

void igt_emit_ignore_dmesg_regex(const char *regex)
{
	regex_t re;

	igt_assert_f(regcomp(&re, regex, REG_EXTENDED | REG_NOSUB) == 0,
		     "bad dmesg regex: %s\n", regex);
	regfree(&re);
	/* the marker igt_runner looks for in the kernel log */
	igt_kmsg(KMSG_INFO "add ignored dmesg regex: %s\n", regex);
}

bool igt_only_list_subtests(void)
{
	return list_subtests || show_testlist;
}

static void print_line_wrapping(const char *indent, const char *text)
{
	const int line_length = 80 - (int)strlen(indent);
	char *copy = strdup(text), *curr = copy, *next_space;
	int current_line_length = 0;
	bool done = false;

	if (!copy)
		return;

	printf("%s", indent);
	while (!done) {
		next_space = strchr(curr, ' ');
		if (!next_space) {
			done = true;
			next_space = strchr(curr, '\0');
		}
		*next_space = '\0';

		if ((next_space - curr) + current_line_length > line_length && curr != copy) {
			printf("\n%s", indent);
			current_line_length = 0;
		}

		if (current_line_length == 0)
			printf("%s", curr);
		else
			printf(" %s", curr);

		current_line_length += next_space - curr;
		curr = next_space + 1;
	}
	printf("\n");
	free(copy);
}

static void print_test_description(void)
{
	if (&__igt_test_description && __igt_test_description) {
		print_line_wrapping("", __igt_test_description);
		if (describe_subtests)
			printf("\n");
	}
}

static void print_version(void)
{
	struct utsname uts;

	if (igt_only_list_subtests())
		return;

	uname(&uts);
	igt_info("IGT-Version: %s (%s) (%s: %s %s)\n", IGT_MINI_VERSION,
		 uts.machine, uts.sysname, uts.release, uts.machine);
}

static void print_usage(const char *help_str, bool output_on_stderr)
{
	FILE *f = output_on_stderr ? stderr : stdout;

	fprintf(f, "Usage: %s [OPTIONS]\n", command_str);
	fprintf(f, "  --list-subtests\n"
		   "  --show-testlist\n"
		   "  --run-subtest <pattern>\n"
		   "  --dynamic-subtest <pattern>\n"
		   "  --debug[=log-domain]\n"
		   "  --help-description\n"
		   "  --describe\n"
		   "  --device filters\n"
		   "  --version\n"
		   "  --help|-h\n");
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

static void exit_subtest(const char *result) __attribute__((noreturn));

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGILL: return "SIGILL";
	default: return "?";
	}
}

static void fatal_sig_handler(int sig)
{
	const char *name = signal_name(sig);

	if (write(STDERR_FILENO, "Received signal ", 16) < 0 ||
	    write(STDERR_FILENO, name, strlen(name)) < 0 ||
	    write(STDERR_FILENO, ".\n", 2) < 0) {
		/* nothing more can be done */
	}

	if (!test_child) {
		if (!failed_one)
			igt_exitcode = 128 + sig;
		failed_one = true;
		if (in_subtest)
			exit_subtest("CRASH");
	}

	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signal_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa = { .sa_handler = fatal_sig_handler };

	sigemptyset(&sa.sa_mask);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_RUN_SUBTEST,
	OPT_RUN_DYNAMIC_SUBTEST,
	OPT_DESCRIPTION,
	OPT_DEBUG,
	OPT_INTERACTIVE_DEBUG,
	OPT_SKIP_CRC,
	OPT_TRACE_OOPS,
	OPT_HOOK,
	OPT_HELP_HOOK,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_HELP = 'h',
	OPT_DESCRIBE_SUBTESTS = 600,
};

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	static const struct option long_options[] = {
		{"list-subtests",     no_argument,       NULL, OPT_LIST_SUBTESTS},
		{"show-testlist",     no_argument,       NULL, OPT_SHOW_TESTLIST},
		{"describe",          optional_argument, NULL, OPT_DESCRIBE_SUBTESTS},
		{"run-subtest",       required_argument, NULL, OPT_RUN_SUBTEST},
		{"dynamic-subtest",   required_argument, NULL, OPT_RUN_DYNAMIC_SUBTEST},
		{"help-description",  no_argument,       NULL, OPT_DESCRIPTION},
		{"debug",             optional_argument, NULL, OPT_DEBUG},
		{"interactive-debug", optional_argument, NULL, OPT_INTERACTIVE_DEBUG},
		{"skip-crc-compare",  no_argument,       NULL, OPT_SKIP_CRC},
		{"trace-on-oops",     no_argument,       NULL, OPT_TRACE_OOPS},
		{"hook",              required_argument, NULL, OPT_HOOK},
		{"help-hook",         no_argument,       NULL, OPT_HELP_HOOK},
		{"device",            required_argument, NULL, OPT_DEVICE},
		{"version",           no_argument,       NULL, OPT_VERSION},
		{"help",              no_argument,       NULL, OPT_HELP},
		{0, 0, 0, 0}
	};
	const size_t n_std = sizeof(long_options) / sizeof(long_options[0]);
	struct option *combined;
	char *short_opts = NULL;
	size_t n_extra = 0;
	const char *env;
	int c, option_index = 0, ret = 0;

	command_str = argv[0];
	if (strrchr(command_str, '/'))
		command_str = strrchr(command_str, '/') + 1;

	if (!isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT"))
		__igt_plain_output = true;
	errno = 0;

	env = getenv("IGT_LOG_LEVEL");
	if (env) {
		if (!strcmp(env, "debug"))
			igt_log_level = IGT_LOG_DEBUG;
		else if (!strcmp(env, "info"))
			igt_log_level = IGT_LOG_INFO;
		else if (!strcmp(env, "warn"))
			igt_log_level = IGT_LOG_WARN;
		else if (!strcmp(env, "none"))
			igt_log_level = IGT_LOG_NONE;
	}
	stderr_needs_sentinel = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	env = getenv("IGT_FORCE_DRIVER");
	if (env)
		__set_forced_driver(env);
	env = getenv("IGT_DEVICE");
	if (env)
		igt_device_filter_add(env);

	while (extra_long_opts && extra_long_opts[n_extra].name)
		n_extra++;
	combined = calloc(n_extra + n_std, sizeof(*combined));
	assert(combined);
	if (n_extra)
		memcpy(combined, extra_long_opts, n_extra * sizeof(*combined));
	memcpy(combined + n_extra, long_options, sizeof(long_options));
	if (asprintf(&short_opts, "%sh", extra_short_opts ? extra_short_opts : "") < 0)
		abort();

	while ((c = getopt_long(*argc, argv, short_opts, combined, &option_index)) != -1) {
		switch (c) {
		case OPT_INTERACTIVE_DEBUG:
		case OPT_SKIP_CRC:
		case OPT_TRACE_OOPS:
		case OPT_HOOK:
			/* accepted for compatibility, no effect here */
			break;
		case OPT_DEBUG:
			igt_log_level = IGT_LOG_DEBUG;
			break;
		case OPT_LIST_SUBTESTS:
			if (!run_single_subtest)
				list_subtests = true;
			break;
		case OPT_SHOW_TESTLIST:
			show_testlist = true;
			break;
		case OPT_DESCRIBE_SUBTESTS:
			if (optarg)
				run_single_subtest = strdup(optarg);
			list_subtests = true;
			describe_subtests = true;
			print_test_description();
			break;
		case OPT_RUN_SUBTEST:
			if (!igt_only_list_subtests())
				run_single_subtest = strdup(optarg);
			break;
		case OPT_RUN_DYNAMIC_SUBTEST:
			/* no dynamic subtests here: nothing to select */
			break;
		case OPT_DESCRIPTION:
			print_test_description();
			ret = -1;
			goto out;
		case OPT_HELP_HOOK:
			printf("Hooks are not supported by this build.\n");
			ret = -1;
			goto out;
		case OPT_DEVICE:
			igt_device_filter_free_all();
			igt_device_filter_add(optarg);
			break;
		case OPT_VERSION:
			print_version();
			ret = -1;
			goto out;
		case OPT_HELP:
			print_usage(help_str, false);
			ret = -1;
			goto out;
		case '?':
			print_usage(help_str, true);
			ret = -2;
			goto out;
		default:
			if (extra_opt_handler)
				ret = extra_opt_handler(c, option_index, handler_data);
			else
				ret = -2;
			if (ret)
				goto out;
		}
	}

out:
	free(short_opts);
	free(combined);

	if (ret < 0)
		exit(ret == -1 ? 0 : IGT_EXIT_INVALID);

	if (!igt_only_list_subtests()) {
		igt_kmsg(KMSG_INFO "%s: executing\n", command_str);
		print_version();
		install_signal_handlers();
	}

	return ret;
}

/* ---- fixtures, groups, subtests ---- */

void __igt_assert_in_outer_scope(void)
{
	assert(!in_subtest);
}

bool __igt_fixture(void)
{
	assert(!in_fixture && !in_subtest);

	if (igt_only_list_subtests())
		return false;

	if (skip_subtests_henceforth)
		return false;

	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	assert(in_fixture);
	in_fixture = false;
}

void __igt_fixture_end(void)
{
	assert(in_fixture);
	in_fixture = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void igt_describe_f(const char *fmt, ...)
{
	va_list args;

	if (!describe_subtests)
		return;

	va_start(args, fmt);
	vsnprintf(current_description, sizeof(current_description), fmt, args);
	va_end(args);
}

void __igt_subtest_group_save(int *save, int *desc)
{
	if (current_description[0] && num_group_descriptions < MAX_GROUP_DESCRIPTIONS) {
		group_descriptions[num_group_descriptions++] = strdup(current_description);
		current_description[0] = '\0';
		*desc = true;
	}

	*save = skip_subtests_henceforth;
}

void __igt_subtest_group_restore(int save, int desc)
{
	if (desc && num_group_descriptions > 0)
		free(group_descriptions[--num_group_descriptions]);

	skip_subtests_henceforth = save;
}

static void print_subtest_description(const char *name, const char *file, int line)
{
	bool has_doc = false;

	printf("SUB %s %s:%d:\n", name, file, line);

	for (int i = 0; i < num_group_descriptions; i++) {
		if (!group_descriptions[i])
			continue;
		print_line_wrapping("  ", group_descriptions[i]);
		printf("\n");
		has_doc = true;
	}

	if (current_description[0]) {
		print_line_wrapping("  ", current_description);
		printf("\n");
		has_doc = true;
	}

	if (!has_doc)
		printf("  NO DOCUMENTATION!\n\n");
}

static void subtest_result_message(const char *name, const char *result, double elapsed)
{
	char timestr[32];

	snprintf(timestr, sizeof(timestr), "%.3f", elapsed);

	printf("%sSubtest %s: %s (%ss)%s\n",
	       !__igt_plain_output ? "\x1b[1m" : "",
	       name, result, timestr,
	       !__igt_plain_output ? "\x1b[0m" : "");
	fflush(stdout);
	if (stderr_needs_sentinel) {
		fprintf(stderr, "Subtest %s: %s (%ss)\n", name, result, timestr);
		fflush(stderr);
	}
}

static bool valid_name_for_subtest(const char *name)
{
	for (int i = 0; name[i]; i++)
		if (name[i] != '_' && name[i] != '-' &&
		    !((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return false;

	return name[0] != '\0';
}

bool __igt_run_subtest(const char *subtest_name, const char *file, const int line)
{
	assert(!in_subtest && !in_fixture);

	if (!valid_name_for_subtest(subtest_name)) {
		igt_critical("Invalid subtest name \"%s\".\n", subtest_name);
		igt_exit();
	}

	if (run_single_subtest) {
		if (!subtest_matches(subtest_name, run_single_subtest)) {
			current_description[0] = '\0';
			return false;
		}
		run_single_subtest_found = true;
	}

	if (describe_subtests) {
		print_subtest_description(subtest_name, file, line);
		current_description[0] = '\0';
		return false;
	} else if (show_testlist) {
		printf("igt@%s@%s\n", command_str, subtest_name);
		return false;
	} else if (list_subtests) {
		printf("%s\n", subtest_name);
		return false;
	}

	if (skip_subtests_henceforth) {
		subtest_result_message(subtest_name,
				       skip_subtests_henceforth == SKIP ? "SKIP" : "FAIL",
				       0.0);
		return false;
	}

	igt_kmsg(KMSG_INFO "%s: starting subtest %s\n", command_str, subtest_name);
	printf("Starting subtest: %s\n", subtest_name);
	fflush(stdout);
	if (stderr_needs_sentinel) {
		fprintf(stderr, "Starting subtest: %s\n", subtest_name);
		fflush(stderr);
	}

	log_buffer_reset();
	log_line_continuation = false;
	clock_gettime(CLOCK_MONOTONIC, &subtest_time);

	return (in_subtest = subtest_name);
}

const char *igt_subtest_name(void)
{
	return in_subtest;
}

static void exit_subtest(const char *result)
{
	struct timespec now;
	double elapsed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (now.tv_sec - subtest_time.tv_sec) +
		  (now.tv_nsec - subtest_time.tv_nsec) * 1e-9;

	subtest_result_message(in_subtest, result, elapsed);
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", command_str,
		 in_subtest, result);

	/* A subtest that bailed out may have left children behind. */
	igt_kill_children(SIGKILL);
	for (int c = 0; c < num_test_children; c++)
		if (test_children[c] > 0)
			waitpid(test_children[c], NULL, 0);
	num_test_children = 0;

	in_subtest = NULL;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void igt_skip(const char *f, ...)
{
	va_list args;

	skipped_one = true;

	if (test_child) {
		fprintf(stderr, "skips are not allowed in forks\n");
		exit(IGT_EXIT_FAILURE);
	}

	if (!igt_only_list_subtests()) {
		va_start(args, f);
		vprintf(f, args);
		va_end(args);
		fflush(stdout);
	}

	if (in_subtest) {
		exit_subtest("SKIP");
	} else if (in_fixture) {
		skip_subtests_henceforth = SKIP;
		__igt_fixture_end();
	} else {
		igt_exitcode = IGT_EXIT_SKIP;
		igt_exit();
	}
}

void __igt_skip_check(const char *file, const int line,
		      const char *func, const char *check,
		      const char *f, ...)
{
	va_list args;
	int err = errno;
	char errstr[256] = "";
	char *buf = NULL;

	if (err)
		snprintf(errstr, sizeof(errstr), "Last errno: %i, %s\n", err, strerror(err));

	if (f) {
		va_start(args, f);
		if (vasprintf(&buf, f, args) < 0)
			buf = NULL;
		va_end(args);
	}

	igt_skip("Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s%s",
		 func, file, line, check, buf ? buf : "", errstr);
}

void igt_success(void)
{
	succeeded_one = true;
	if (in_subtest)
		exit_subtest("SUCCESS");
}

void igt_fail(int exitcode)
{
	assert(exitcode != IGT_EXIT_SUCCESS && exitcode != IGT_EXIT_SKIP);

	if (!failed_one)
		igt_exitcode = exitcode;
	failed_one = true;

	log_buffer_dump();

	if (test_child)
		exit(exitcode);

	if (in_subtest) {
		exit_subtest("FAIL");
	} else if (in_fixture) {
		skip_subtests_henceforth = FAIL;
		__igt_fixture_end();
	}

	igt_exit();
}

void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *f, ...)
{
	va_list args;
	int err = errno;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%i:\n", func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err, strerror(err));

	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	igt_fail(IGT_EXIT_FAILURE);
}

/* ---- exit handlers ---- */

#define MAX_EXIT_HANDLERS 8
static igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
static int num_exit_handlers;
static pid_t exit_handler_pid;
static const int exit_signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };

static void call_exit_handlers(int sig)
{
	/* not in igt_fork() children; each runs once, even when a handler exits */
	if (getpid() != exit_handler_pid)
		return;
	while (num_exit_handlers > 0)
		exit_handlers[--num_exit_handlers](sig);
}

static void exit_handler_atexit(void)
{
	call_exit_handlers(0);
}

static void exit_handler_signal(int sig)
{
	call_exit_handlers(sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

void igt_install_exit_handler(igt_exit_handler_t fn)
{
	static bool installed;

	for (int i = 0; i < num_exit_handlers; i++)
		if (exit_handlers[i] == fn)
			return;
	igt_assert_f(num_exit_handlers < MAX_EXIT_HANDLERS, "too many exit handlers\n");
	exit_handlers[num_exit_handlers++] = fn;
	if (installed)
		return;
	installed = true;
	exit_handler_pid = getpid();
	atexit(exit_handler_atexit);
	for (size_t i = 0; i < sizeof(exit_signals) / sizeof(exit_signals[0]); i++)
		signal(exit_signals[i], exit_handler_signal);
}

void igt_exit(void)
{
	if (run_single_subtest && !run_single_subtest_found) {
		igt_critical("Unknown subtest: %s\n", run_single_subtest);
		exit(IGT_EXIT_INVALID);
	}

	if (igt_only_list_subtests())
		exit(IGT_EXIT_SUCCESS);

	if (!failed_one)
		igt_exitcode = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;

	igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", command_str, igt_exitcode);
	igt_debug("Exiting with status code %d\n", igt_exitcode);

	igt_kill_children(SIGKILL);
	fflush(stdout);
	fflush(stderr);
	exit(igt_exitcode);
}

/* ---- fork support ---- */

bool __igt_fork(void)
{
	pid_t pid;

	assert(in_subtest && !test_child);

	if (num_test_children >= test_children_sz) {
		test_children_sz = test_children_sz ? test_children_sz * 2 : 4;
		test_children = realloc(test_children, sizeof(pid_t) * test_children_sz);
		igt_assert(test_children);
	}

	fflush(NULL);

	switch ((pid = fork())) {
	case -1:
		igt_assert_f(0, "fork failed: %m\n");
	case 0:
		test_child = true;
		num_test_children = 0;
		return true;
	default:
		test_children[num_test_children++] = pid;
		return false;
	}
}

void igt_kill_children(int signal)
{
	for (int c = 0; c < num_test_children; c++)
		if (test_children[c] > 0)
			kill(test_children[c], signal);
}

int __igt_waitchildren(void)
{
	int err = 0, count = 0;

	assert(!test_child);

	while (count < num_test_children) {
		int status = -1, c;
		pid_t pid;

		pid = wait(&status);
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			printf("wait(num_children:%d) failed with %m\n",
			       num_test_children - count);
			return IGT_EXIT_FAILURE;
		}

		for (c = 0; c < num_test_children; c++)
			if (pid == test_children[c])
				break;
		if (c == num_test_children)
			continue;

		if (err == 0 && status != 0) {
			if (WIFEXITED(status)) {
				printf("child %i failed with exit status %i\n",
				       c, WEXITSTATUS(status));
				err = WEXITSTATUS(status);
			} else if (WIFSIGNALED(status)) {
				printf("child %i died with signal %i, %s\n",
				       c, WTERMSIG(status), strsignal(WTERMSIG(status)));
				err = 128 + WTERMSIG(status);
			} else {
				printf("Unhandled failure [%d] in child %i\n", status, c);
				err = 256;
			}
			igt_kill_children(SIGKILL);
		}
		test_children[c] = -1;
		count++;
	}

	num_test_children = 0;
	return err;
}

void igt_waitchildren(void)
{
	int err = __igt_waitchildren();

	if (err)
		igt_fail(err == IGT_EXIT_SKIP ? IGT_EXIT_FAILURE : err);
}
