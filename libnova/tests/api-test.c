// SPDX-License-Identifier: MIT
/*
 * api-test - checks of libnova 0.2's additions on the first nova device:
 * versions, enumeration (each device once, struct sizes honoured, the
 * 0.1 entry points), nova_device_wrap() deduplication, the simulated flag,
 * VM state queries, syncobj and sync_file export/import, and DRM_CLOEXEC
 * exports; of 0.4's: the pushbuffer builder's encodings and overflow
 * (on the host, no device needed), and an EXEC round trip on every nova
 * device whose kernel offers channels (skipped with a message otherwise).
 *
 *   api-test [-v] [-s]
 *
 * -v prints every check; -s requires the devices to be simulated (nova-sim).
 *
 * Exit status: 0 all passed, 1 a check failed, 77 no nova device (skip).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libnova.h"

/* The library's exported 0.1 entry points, not the sized macros. */
#undef nova_enumerate
#undef nova_query_info
#undef nova_vm_get_state
int nova_enumerate(struct nova_device_desc *descs, int max);
int nova_query_info(struct nova_device *dev, struct nova_info *info);
int nova_vm_get_state(struct nova_vm *vm, uint32_t flags, struct nova_vm_state *state,
		      struct nova_vm_fault *faults, uint32_t max_faults);

static int failures;
static bool verbose;
static bool must_be_simulated;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "FAIL %s:%d: %s: ", __func__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} else if (verbose) { \
		printf("ok   %s: %s\n", __func__, #cond); \
	} \
} while (0)

#define DESC_V0 164	/* sizeof(struct nova_device_desc) in 0.1 */
#define VM_STATE_V0 40	/* sizeof(struct nova_vm_state) in 0.1 */

static void test_version(void)
{
	CHECK(nova_get_version() == LIBNOVA_VERSION, "library 0x%x, header 0x%x",
	      nova_get_version(), LIBNOVA_VERSION);
	CHECK(!strcmp(nova_get_version_string(), "0.4.0"), "%s", nova_get_version_string());
}

/*
 * The pushbuffer builder, on the host: the words it writes, checked
 * against words written by hand from NVIDIA's formats (method header:
 * SEC_OP 31:29 = 1 INC, COUNT 28:16, SUBCHANNEL 15:13, ADDRESS 11:0 =
 * byte offset >> 2; see ../shared/reference/exec-sparse-facts.md).
 */
#define PB_WORDS 256
#define PB_VA 0x7f0000000ull	/* any 4-byte aligned VA below 2^40 */

struct pbt {
	struct nova_pushbuf *pb;
	uint32_t mem[PB_WORDS + 4];	/* + canaries */
};

static bool pbt_init(struct pbt *t, uint32_t cls, size_t words)
{
	int ret;

	memset(t->mem, 0xa5, sizeof(t->mem));
	ret = nova_pushbuf_create(cls, t->mem, PB_VA, words * 4, &t->pb);
	CHECK(!ret, "create: %s", nova_strerror(ret));
	return !ret;
}

/* The builder wrote exactly @n words since @from: @want. */
static void pbt_expect(struct pbt *t, size_t from, const uint32_t *want, size_t n,
		       const char *what)
{
	size_t used = nova_pushbuf_used(t->pb) / 4;

	CHECK(used == from + n, "%s: %zu words, expected %zu", what, used - from, n);
	for (size_t i = 0; i < n && from + i < PB_WORDS; i++)
		if (t->mem[from + i] != want[i]) {
			CHECK(t->mem[from + i] == want[i], "%s: word %zu is 0x%08x, expected 0x%08x",
			      what, i, t->mem[from + i], want[i]);
			break;
		}
}

static void test_pushbuf_encodings(void)
{
	/* SET_OBJECT (host 0x0000) on subchannel 4: the copy class */
	static const uint32_t set_object[] = { 0x20018000, 0x0000c7b5 };
	/* host NOP 0x0008, subchannel 0 */
	static const uint32_t nop[] = { 0x20010002, 0x00000000 };
	/*
	 * 4 KiB from 0x1_2345_6000 to 0x2_0000_0000: OFFSET_IN_UPPER
	 * (0x400) .. LINE_COUNT (0x41c), 8 words on subchannel 4, then
	 * LAUNCH_DMA (0x300) = NON_PIPELINED 2 | FLUSH 0x4 | SRC_PITCH 0x80 |
	 * DST_PITCH 0x100.
	 */
	static const uint32_t copy4k[] = {
		0x20088100, 0x1, 0x23456000, 0x2, 0x0, 0x20000, 0x20000, 4096, 1,
		0x200180c0, 0x186,
	};
	/* 3 lines of 128 KiB (MULTI_LINE 0x200), then 100 bytes */
	static const uint32_t copy_lines[] = {
		0x20088100, 0x0, 0x100000, 0x0, 0x800000, 0x20000, 0x20000, 0x20000, 3,
		0x200180c0, 0x386,
		0x20088100, 0x0, 0x160000, 0x0, 0x860000, 0x20000, 0x20000, 100, 1,
		0x200180c0, 0x186,
	};
	/* 8 lines of 64 bytes, source pitch 512, destination pitch 256 */
	static const uint32_t copy_2d[] = {
		0x20088100, 0x0, 0x200000, 0x0, 0x300000, 512, 256, 64, 8,
		0x200180c0, 0x386,
	};
	/*
	 * 1 MiB + 16 bytes of 0xdeadbeef at 0x300000: SET_REMAP_CONST_A/B
	 * (0x700, 0x704) and SET_REMAP_COMPONENTS (0x708) = DST_X..W CONST_A
	 * (4 at 2:0, 6:4, 10:8, 14:12) | COMPONENT_SIZE_FOUR (3 << 16); then
	 * 8 lines of 0x8000 4-byte elements, pitch 128 KiB (REMAP 0x400), and
	 * one line of 4 elements.
	 */
	static const uint32_t memset1m[] = {
		0x200381c0, 0xdeadbeef, 0xdeadbeef, 0x34444,
		0x20088100, 0x0, 0x300000, 0x0, 0x300000, 0x20000, 0x20000, 0x8000, 8,
		0x200180c0, 0x786,
		0x20088100, 0x0, 0x400000, 0x0, 0x400000, 0x20000, 0x20000, 4, 1,
		0x200180c0, 0x586,
	};
	/*
	 * Host semaphores: SEM_ADDR_LO (0x5c) .. SEM_EXECUTE (0x6c), 5 words
	 * on subchannel 0. EXECUTE: OPERATION 2:0 (0 ACQUIRE, 1 RELEASE,
	 * 2 ACQ_STRICT_GEQ), RELEASE_WFI 1 << 20, PAYLOAD_SIZE_64BIT 1 << 24.
	 */
	static const uint32_t rel32[] = { 0x20050017, 0x10, 0x1, 0x1234, 0x0, 0x00100001 };
	static const uint32_t rel64[] = {
		0x20050017, 0x18, 0x1, 0x00000002, 0x1, 0x01100001,
	};
	static const uint32_t rel_nowfi[] = { 0x20050017, 0x10, 0x1, 0x5, 0x0, 0x00000001 };
	static const uint32_t acq_eq[] = { 0x20050017, 0x20, 0x0, 0x7, 0x0, 0x00000000 };
	static const uint32_t acq_geq64[] = {
		0x20050017, 0x28, 0x0, 0xffffffff, 0x3, 0x01000002,
	};
	/* a method of the caller's: CE NOP (0x100) on subchannel 4, 2 words */
	static const uint32_t method[] = { 0x20028040, 0x11, 0x22 };
	static const uint32_t data[] = { 0x11, 0x22 };
	struct nova_push push = { 0 };
	struct pbt t;
	size_t at;
	int ret;

	if (!pbt_init(&t, 0xc7b5, PB_WORDS))
		return;
	at = 0;
	CHECK(!nova_push_set_object(t.pb), "set_object");
	pbt_expect(&t, at, set_object, 2, "set_object");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_nop(t.pb), "nop");
	pbt_expect(&t, at, nop, 2, "nop");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_copy(t.pb, 0x200000000ull, 0x123456000ull, 4096), "copy");
	pbt_expect(&t, at, copy4k, 11, "copy 4 KiB");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_copy(t.pb, 0x800000, 0x100000, 3 * 0x20000 + 100), "copy");
	pbt_expect(&t, at, copy_lines, 22, "copy 3 lines + 100 bytes");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_copy_2d(t.pb, 0x300000, 256, 0x200000, 512, 64, 8), "copy_2d");
	pbt_expect(&t, at, copy_2d, 11, "copy_2d");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_memset(t.pb, 0x300000, 0xdeadbeef, (1u << 20) + 16), "memset");
	pbt_expect(&t, at, memset1m, 26, "memset");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_sem_release(t.pb, 0x100000010ull, 0x1234, 0), "release");
	pbt_expect(&t, at, rel32, 6, "release 32-bit");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_sem_release(t.pb, 0x100000018ull, 0x100000002ull, NOVA_SEM_64BIT),
	      "release64");
	pbt_expect(&t, at, rel64, 6, "release 64-bit");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_sem_release(t.pb, 0x100000010ull, 5, NOVA_SEM_RELEASE_NO_WFI),
	      "release no WFI");
	pbt_expect(&t, at, rel_nowfi, 6, "release without WFI");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_sem_acquire(t.pb, 0x20, 7, 0), "acquire");
	pbt_expect(&t, at, acq_eq, 6, "acquire ==");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_sem_acquire(t.pb, 0x28, 0x3ffffffffull,
				     NOVA_SEM_64BIT | NOVA_SEM_ACQUIRE_GEQ), "acquire geq");
	pbt_expect(&t, at, acq_geq64, 6, "acquire >= 64-bit");
	at = nova_pushbuf_used(t.pb) / 4;
	CHECK(!nova_push_method(t.pb, 4, 0x100, data, 2), "method");
	pbt_expect(&t, at, method, 3, "method");
	at = nova_pushbuf_used(t.pb) / 4;

	/* all of it is one push */
	ret = nova_pushbuf_end(t.pb, &push);
	CHECK(!ret && push.va == PB_VA && push.len == at * 4 && !push.flags,
	      "%d: push 0x%llx + %u", ret, (unsigned long long)push.va, push.len);
	CHECK(t.mem[PB_WORDS] == 0xa5a5a5a5, "canary overwritten");
	nova_pushbuf_destroy(t.pb);

	/* Hopper: its class in SET_OBJECT */
	if (pbt_init(&t, 0xc8b5, PB_WORDS)) {
		static const uint32_t set_object_h[] = { 0x20018000, 0x0000c8b5 };

		CHECK(!nova_push_set_object(t.pb), "set_object");
		pbt_expect(&t, 0, set_object_h, 2, "set_object on 0xc8b5");
		nova_pushbuf_destroy(t.pb);
	}
}

/* Pushes follow each other; errors are sticky and nothing overflows. */
static void test_pushbuf_limits(void)
{
	struct nova_push p1 = { 0 }, p2 = { 0 }, untouched = { 1, 2, 3 }, p = untouched;
	struct nova_pushbuf *pb = NULL;
	uint32_t *big;
	struct pbt t;
	size_t n;
	int ret;

	/* creation */
	CHECK(nova_pushbuf_create(0x1234, t.mem, PB_VA, 64, &pb) == -EINVAL, "unknown class");
	CHECK(nova_pushbuf_create(0xc7b5, t.mem, PB_VA + 2, 64, &pb) == -EINVAL, "VA align");
	CHECK(nova_pushbuf_create(0xc7b5, (char *)t.mem + 2, PB_VA, 64, &pb) == -EINVAL,
	      "CPU align");
	CHECK(nova_pushbuf_create(0xc7b5, t.mem, (1ull << 40) - 32, 64, &pb) == -EINVAL,
	      "beyond 2^40");
	CHECK(nova_pushbuf_create(0xc7b5, t.mem, PB_VA, 2, &pb) == -EINVAL, "size 2");

	/* consecutive pushes; an empty one is refused */
	if (!pbt_init(&t, 0xc7b5, PB_WORDS))
		return;
	CHECK(nova_pushbuf_end(t.pb, &p) == -EINVAL, "empty push");
	CHECK(!nova_pushbuf_begin(t.pb) && !nova_push_nop(t.pb), "nop");
	CHECK(!nova_pushbuf_end(t.pb, &p1) && p1.va == PB_VA && p1.len == 8, "push 1: 0x%llx + %u",
	      (unsigned long long)p1.va, p1.len);
	CHECK(!nova_push_nop(t.pb) && !nova_push_nop(t.pb), "nops");
	CHECK(!nova_pushbuf_end(t.pb, &p2) && p2.va == PB_VA + 8 && p2.len == 16,
	      "push 2: 0x%llx + %u", (unsigned long long)p2.va, p2.len);
	nova_pushbuf_reset(t.pb);
	CHECK(nova_pushbuf_used(t.pb) == 0 && nova_pushbuf_space(t.pb) == PB_WORDS * 4,
	      "reset: %zu used, %zu left", nova_pushbuf_used(t.pb), nova_pushbuf_space(t.pb));

	/* bad arguments: -EINVAL, sticky, nothing written */
	ret = nova_push_sem_release(t.pb, 0x1004, 1, NOVA_SEM_64BIT);
	CHECK(ret == -EINVAL, "64-bit semaphore at 4 mod 8: %d", ret);
	CHECK(nova_pushbuf_error(t.pb) == -EINVAL && nova_push_nop(t.pb) == -EINVAL &&
	      nova_pushbuf_used(t.pb) == 0, "error not sticky");
	CHECK(nova_pushbuf_end(t.pb, &p) == -EINVAL && !memcmp(&p, &untouched, sizeof(p)),
	      "end after an error");
	CHECK(!nova_pushbuf_error(t.pb), "end clears the error");
	CHECK(nova_push_sem_release(t.pb, 0x1000, 1ull << 32, 0) == -EINVAL,
	      "32-bit payload above 2^32");
	nova_pushbuf_begin(t.pb);
	CHECK(nova_push_sem_acquire(t.pb, 1ull << 40, 1, 0) == -EINVAL,
	      "0xc7b5: semaphore at 2^40 (SEM_ADDR_HI 7:0)");
	nova_pushbuf_begin(t.pb);
	CHECK(nova_push_sem_acquire(t.pb, 0x1000, 1, 1u << 7) == -EINVAL, "unknown flag");
	nova_pushbuf_begin(t.pb);
	CHECK(nova_push_copy(t.pb, (1ull << 49) - 4096, 0x100000, 8192) == -EINVAL,
	      "0xc7b5: copy past 2^49 (OFFSET_UPPER 16:0)");
	nova_pushbuf_begin(t.pb);
	CHECK(nova_push_memset(t.pb, 0x1002, 0, 8) == -EINVAL, "memset misaligned");
	nova_pushbuf_begin(t.pb);
	CHECK(nova_push_method(t.pb, 8, 0x100, &untouched.len, 1) == -EINVAL, "subchannel 8");
	nova_pushbuf_begin(t.pb);
	CHECK(nova_pushbuf_used(t.pb) == 0, "bad arguments wrote %zu bytes",
	      nova_pushbuf_used(t.pb));
	nova_pushbuf_destroy(t.pb);

	/* overflow: 13 words take one copy (11), not a second; then not a NOP (2) */
	if (!pbt_init(&t, 0xc7b5, 13))
		return;
	CHECK(!nova_push_copy(t.pb, 0x200000, 0x100000, 64), "copy");
	ret = nova_push_copy(t.pb, 0x200000, 0x100000, 64);
	CHECK(ret == -ENOSPC, "second copy: %d", ret);
	ret = nova_push_nop(t.pb);
	CHECK(ret == -ENOSPC, "a NOP after the overflow: %d (the error sticks)", ret);
	CHECK(nova_pushbuf_used(t.pb) == 11 * 4 && t.mem[13] == 0xa5a5a5a5,
	      "overflow wrote: %zu bytes used, word 13 0x%08x", nova_pushbuf_used(t.pb),
	      t.mem[13]);
	ret = nova_pushbuf_end(t.pb, &p);
	CHECK(ret == -ENOSPC && nova_pushbuf_used(t.pb) == 0,
	      "end: %d, the failed push not discarded (%zu bytes)", ret, nova_pushbuf_used(t.pb));
	CHECK(!nova_push_nop(t.pb) && !nova_pushbuf_end(t.pb, &p) && p.va == PB_VA &&
	      p.len == 8, "a push after the overflow");
	nova_pushbuf_destroy(t.pb);

	/* one push holds at most NOVA_PUSH_MAX_LEN bytes; the memory more */
	big = calloc(1, NOVA_PUSH_MAX_LEN + 64);
	CHECK(big != NULL, "no memory");
	if (!big)
		return;
	ret = nova_pushbuf_create(0xc7b5, big, 0, NOVA_PUSH_MAX_LEN + 64, &pb);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (!ret) {
		for (n = 0; nova_pushbuf_space(pb) >= 8; n++)
			if (nova_push_nop(pb))
				break;
		CHECK(nova_pushbuf_used(pb) == (NOVA_PUSH_MAX_LEN & ~7u) &&
		      nova_push_nop(pb) == -ENOSPC,
		      "push of %zu bytes after %zu NOPs", nova_pushbuf_used(pb), n);
		nova_pushbuf_begin(pb);
		CHECK(!nova_push_nop(pb) && !nova_pushbuf_end(pb, &p) &&
		      p.va == (NOVA_PUSH_MAX_LEN & ~7u) && p.len == 8,
		      "the next push: 0x%llx + %u", (unsigned long long)p.va, p.len);
		nova_pushbuf_destroy(pb);
	}
	free(big);

	/*
	 * 2^32 lines of 128 KiB (0xc8b5 reaches 2^57): 2^32 - 1 lines, then
	 * one at 2^49 - 2^17 from each start
	 */
	if (pbt_init(&t, 0xc8b5, PB_WORDS)) {
		static const uint32_t want[] = {
			0x20088100, 0x0, 0x0, 0x100, 0x0, 0x20000, 0x20000, 0x20000, 0xffffffff,
			0x200180c0, 0x386,
			0x20088100, 0x1ffff, 0xfffe0000, 0x200ff, 0xfffe0000, 0x20000, 0x20000,
			0x20000, 1, 0x200180c0, 0x186,
		};

		CHECK(!nova_push_copy(t.pb, 1ull << 40, 0, 1ull << 49), "copy 2^49 bytes");
		pbt_expect(&t, 0, want, 22, "copy of 2^32 lines");
		nova_pushbuf_destroy(t.pb);
	}
}

static int test_enumerate(struct nova_device_desc *first)
{
	struct nova_device_desc descs[16], openable[16];
	unsigned char big[4][sizeof(struct nova_device_desc) + 32], v0[4 * DESC_V0 + 8];
	struct nova_device *dev = NULL;
	int n, n0, n_open = 0, i, j, max, ret;

	n = nova_enumerate_ext(NULL, 0, sizeof(descs[0]));
	CHECK(n >= 0, "%d", n);
	if (n <= 0)
		return n;
	n0 = nova_enumerate_ext(descs, 16, sizeof(descs[0]));
	CHECK(n0 == n, "count with NULL %d, with an array %d", n, n0);
	for (i = 0; i < n0 && i < 16; i++) {
		for (j = 0; j < i; j++)
			CHECK(strcmp(descs[i].render_node, descs[j].render_node),
			      "%s listed twice", descs[i].render_node);
		if (must_be_simulated)
			CHECK(descs[i].simulated == 1, "%s: simulated %d",
			      descs[i].render_node, descs[i].simulated);
		if (!descs[i].open_error)
			openable[n_open++] = descs[i];
	}
	*first = descs[0];

	memset(big, 0xa5, sizeof(big));
	n0 = nova_enumerate_ext((struct nova_device_desc *)big, 4, sizeof(big[0]));
	CHECK(n0 == n, "%d", n0);
	CHECK(!memcmp(big[0], &descs[0], sizeof(descs[0])), "first entry differs");
	for (i = sizeof(descs[0]); i < (int)sizeof(big[0]); i++)
		if (big[0][i]) {
			CHECK(big[0][i] == 0, "byte %d past the known struct not zeroed", i);
			break;
		}

	/*
	 * The 0.1 entry point: only the devices it can open, 164-byte
	 * entries at a 164-byte stride, nothing written past them.
	 */
	if (n > 16)
		return n;
	n0 = nova_enumerate(NULL, 0);
	CHECK(n0 == n_open, "0.1 count %d, %d devices can be opened", n0, n_open);
	for (max = 1; max <= 4; max += 3) {
		memset(v0, 0xa5, sizeof(v0));
		n0 = nova_enumerate((struct nova_device_desc *)v0, max);
		CHECK(n0 == n_open, "max %d: %d", max, n0);
		for (i = 0; i < max && i < n_open; i++)
			CHECK(!memcmp(v0 + i * DESC_V0, &openable[i], DESC_V0),
			      "max %d: 0.1 entry %d differs", max, i);
		CHECK(v0[i * DESC_V0] == 0xa5, "max %d: 0.1 call wrote past %d entries",
		      max, i);
	}

	/* the 0.1 nova_device_open_index() counts what 0.1 lists */
	if (n_open) {
		ret = nova_device_open_index(n_open - 1, &dev);
		CHECK(!ret && !strcmp(nova_device_path(dev), openable[n_open - 1].render_node),
		      "index %d: %s", n_open - 1, nova_strerror(ret));
		nova_device_close(dev);
	}
	ret = nova_device_open_index(n_open, &dev);
	CHECK(ret == -ENODEV, "index %d: %d", n_open, ret);
	if (!ret)
		nova_device_close(dev);
	return n;
}

/* @dev (when there is one) still answers a query; @when says at what point. */
static void check_device_works(struct nova_device *dev, const char *when)
{
	struct nova_info info;
	int ret;

	if (!dev)
		return;
	ret = nova_query_info_ext(dev, &info, sizeof(info));
	CHECK(!ret, "%s: %s", when, nova_strerror(ret));
}

static void test_wrap(const struct nova_device_desc *d)
{
	struct nova_device *a = NULL, *b = NULL, *c = NULL, *p = NULL;
	int fd1, fd2, fd3 = -1, major = -1, minor = -1, patch = -1, ret;

	fd1 = open(d->render_node, O_RDWR | O_CLOEXEC);
	fd2 = open(d->render_node, O_RDWR | O_CLOEXEC);
	CHECK(fd1 >= 0 && fd2 >= 0, "open %s: %m", d->render_node);
	if (fd1 < 0 || fd2 < 0) {
		if (fd1 >= 0)
			close(fd1);
		if (fd2 >= 0)
			close(fd2);
		return;
	}

	ret = nova_device_wrap(fd1, &a);
	CHECK(!ret, "%s", nova_strerror(ret));
	ret = nova_device_wrap(fd1, &b);
	CHECK(!ret && b == a, "same fd: %p vs %p", (void *)b, (void *)a);
	ret = nova_device_wrap(fd2, &c);
	CHECK(!ret && c == a, "same GPU, another open: %p vs %p", (void *)c, (void *)a);
	if (d->primary_node[0]) {
		fd3 = open(d->primary_node, O_RDWR | O_CLOEXEC);
		if (fd3 >= 0) {
			ret = nova_device_wrap(fd3, &p);
			CHECK(!ret && p == a, "primary node: %p vs %p", (void *)p, (void *)a);
		}
	}
	if (a) {
		CHECK(nova_device_fd(a) != fd1, "the device must use a duplicate");
		CHECK(nova_device_path(a)[0] != '\0', "no path");
		ret = nova_device_driver_version(a, &major, &minor, &patch);
		CHECK(!ret && major >= 0 && minor >= 0 && patch >= 0, "%s: %d.%d.%d",
		      nova_strerror(ret), major, minor, patch);
		ret = nova_device_is_simulated(a);
		CHECK(ret == (int)d->simulated, "is_simulated %d, desc %d", ret, d->simulated);
		if (must_be_simulated)
			CHECK(ret == 1, "is_simulated %d on a simulated GPU", ret);
		if (verbose)
			printf("     driver %d.%d.%d, path %s, simulated %d\n", major, minor,
			       patch, nova_device_path(a), ret);
	}
	close(fd1);	/* the caller's fd is not the device's */
	check_device_works(a, "after closing the wrapped fd");
	nova_device_close(p);
	nova_device_close(c);
	nova_device_close(b);
	check_device_works(a, "with its last reference left");
	if (a) {
		int fd = nova_device_fd(a);

		nova_device_close(a);
		/* checked before a new wrap's dup may reuse the number */
		CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
		      "fd %d still open after the last close", fd);
	}
	/* all references dropped: a new wrap makes a new device */
	a = NULL;
	ret = nova_device_wrap(fd2, &a);
	CHECK(!ret, "%s", nova_strerror(ret));
	check_device_works(a, "the new device");
	nova_device_close(a);
	close(fd2);
	if (fd3 >= 0)
		close(fd3);
	ret = nova_device_wrap(-1, &a);
	CHECK(ret == -EBADF, "%d", ret);
}

static void test_info(struct nova_device *dev)
{
	struct nova_info a, v0;
	unsigned char big[sizeof(struct nova_info) + 16];
	int ret;

	ret = nova_query_info_ext(dev, &a, sizeof(a));
	CHECK(!ret, "%s", nova_strerror(ret));
	ret = nova_query_info(dev, &v0);
	CHECK(!ret && v0.chipset == a.chipset && v0.max_vms == a.max_vms, "0.1 call");
	memset(big, 0xa5, sizeof(big));
	ret = nova_query_info_ext(dev, (struct nova_info *)big, sizeof(big));
	CHECK(!ret && big[sizeof(a)] == 0 && big[sizeof(big) - 1] == 0,
	      "tail not zeroed: %d", ret);
}

/* The 0.1 entry point writes 0.1's struct; the sized one zeroes its tail. */
static void test_vm_state(struct nova_device *dev)
{
	unsigned char v0[VM_STATE_V0 + 8], big[sizeof(struct nova_vm_state) + 16];
	struct nova_vm_state st;
	struct nova_vm *vm = NULL;
	size_t i;
	int ret;

	ret = nova_vm_create(dev, &vm);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		return;

	memset(v0, 0xa5, sizeof(v0));
	ret = nova_vm_get_state(vm, 0, (struct nova_vm_state *)v0, NULL, 0);
	CHECK(!ret, "0.1 call: %s", nova_strerror(ret));
	CHECK(v0[VM_STATE_V0] == 0xa5, "0.1 call wrote past %d bytes", VM_STATE_V0);
	if (!ret) {
		memset(&st, 0, sizeof(st));
		memcpy(&st, v0, VM_STATE_V0);
		CHECK(st.usable && !st.bind_error && !st.num_mappings && !st.num_faults,
		      "new VM: usable %d, bind_error %d, %u mappings, %u faults",
		      st.usable, st.bind_error, st.num_mappings, st.num_faults);
	}

	memset(big, 0xa5, sizeof(big));
	ret = nova_vm_get_state_ext(vm, 0, (struct nova_vm_state *)big, sizeof(big),
				    NULL, 0, sizeof(struct nova_vm_fault));
	CHECK(!ret, "%s", nova_strerror(ret));
	CHECK(!memcmp(big, v0, VM_STATE_V0), "sized and 0.1 states differ");
	for (i = sizeof(st); i < sizeof(big); i++)
		if (big[i]) {
			CHECK(big[i] == 0, "byte %zu past the known struct not zeroed", i);
			break;
		}
	nova_vm_destroy(vm);
}

/* A NULL bind: counted in null_bytes; with a BO or READ_ONLY, -EINVAL. */
static void test_vm_bind_null(struct nova_device *dev)
{
	struct nova_bind_op op = {
		.op = NOVA_BIND_MAP, .flags = NOVA_BIND_NULL | NOVA_BIND_READ_ONLY,
		.va = 1ull << 30, .range = 2ull << 20,
	};
	struct nova_vm_state st;
	struct nova_vm *vm = NULL;
	int ret;

	ret = nova_vm_create(dev, &vm);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		return;
	ret = nova_vm_bind(vm, 0, &op, 1, NULL, 0);
	CHECK(ret == -EINVAL, "read-only NULL bind: %d", ret);
	ret = nova_vm_bind_null(vm, 1ull << 30, 2ull << 20);
	CHECK(!ret, "%s", nova_strerror(ret));
	/* nova_vm_get_state() is 0.1's entry point here: the sized call. */
	ret = nova_vm_get_state_ext(vm, 0, &st, sizeof(st), NULL, 0,
				    sizeof(struct nova_vm_fault));
	CHECK(!ret && st.num_mappings == 1 && st.mapped_bytes == (2ull << 20) &&
	      st.null_bytes == (2ull << 20),
	      "%d: %u mappings, %llu mapped, %llu NULL", ret, st.num_mappings,
	      (unsigned long long)st.mapped_bytes, (unsigned long long)st.null_bytes);
	nova_vm_destroy(vm);
}

static void test_sync_file(struct nova_device *dev)
{
	struct nova_sync *bin = NULL, *bin2 = NULL, *tl = NULL, *tl2 = NULL;
	uint64_t point = 0;
	int fd = -1, ret;

	ret = nova_sync_create(dev, false, true, &bin);
	CHECK(!ret, "%s", nova_strerror(ret));
	ret = nova_sync_create(dev, false, false, &bin2);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (bin && bin2) {
		ret = nova_sync_export_sync_file(bin, 0, &fd);
		CHECK(!ret && fd >= 0, "%s", nova_strerror(ret));
		if (fd >= 0)
			CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "sync_file not close-on-exec");
		CHECK(nova_sync_wait(bin2, 0, 0) == -ETIME, "fresh sync signalled");
		ret = nova_sync_import_sync_file(bin2, 0, fd);
		CHECK(!ret, "%s", nova_strerror(ret));
		CHECK(nova_sync_wait(bin2, 0, 0) == 0, "imported signalled fence not signalled");
		if (fd >= 0)
			close(fd);
		fd = -1;
	}

	ret = nova_sync_create(dev, true, false, &tl);
	CHECK(!ret, "%s", nova_strerror(ret));
	ret = nova_sync_create(dev, true, false, &tl2);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (tl && tl2) {
		ret = nova_sync_signal(tl, 3);
		CHECK(!ret, "%s", nova_strerror(ret));
		ret = nova_sync_export_sync_file(tl, 3, &fd);
		CHECK(!ret && fd >= 0, "timeline point: %s", nova_strerror(ret));
		ret = nova_sync_import_sync_file(tl2, 0, fd);
		CHECK(ret == -EINVAL, "point 0 of a timeline: %d", ret);
		ret = nova_sync_import_sync_file(tl2, 5, fd);
		CHECK(!ret, "%s", nova_strerror(ret));
		ret = nova_sync_wait(tl2, 5, 0);
		CHECK(!ret, "point 5: %s", nova_strerror(ret));
		ret = nova_sync_query(tl2, &point);
		CHECK(!ret && point == 5, "%s, point %" PRIu64, nova_strerror(ret), point);
		if (fd >= 0)
			close(fd);
		fd = -1;
		/* an unsubmitted point cannot be exported */
		ret = nova_sync_export_sync_file(tl, 9, &fd);
		CHECK(ret < 0, "unsubmitted point exported");
		if (!ret)
			close(fd);
	}
	nova_sync_destroy(bin);
	nova_sync_destroy(bin2);
	nova_sync_destroy(tl);
	nova_sync_destroy(tl2);
}

/* A syncobj shared between two DRM files: what one signals, the other sees. */
static void test_syncobj_fd(struct nova_device *dev, const char *node)
{
	struct nova_device *other = NULL;
	struct nova_sync *a = NULL, *b = NULL;
	int fd = -1, ret;

	ret = nova_device_open(node, &other);
	CHECK(!ret, "%s", nova_strerror(ret));
	ret = nova_sync_create(dev, true, false, &a);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (!other || !a)
		goto out;
	ret = nova_sync_export(a, &fd);
	CHECK(!ret && fd >= 0, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	ret = nova_sync_import(other, fd, true, &b);
	CHECK(!ret, "%s", nova_strerror(ret));
	close(fd);
	if (ret)
		goto out;
	CHECK(nova_sync_wait(b, 2, 0) == -ETIME, "point 2 signalled early");
	ret = nova_sync_signal(a, 2);
	CHECK(!ret, "%s", nova_strerror(ret));
	ret = nova_sync_wait(b, 2, 1000000000);
	CHECK(!ret, "the importer does not see point 2: %s", nova_strerror(ret));
out:
	nova_sync_destroy(b);
	nova_sync_destroy(a);
	nova_device_close(other);
}

static void test_bo_export(struct nova_device *dev)
{
	struct nova_bo *bo = NULL;
	int fd = -1, ret;

	ret = nova_bo_create(dev, 4096, 0, &bo);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		return;
	ret = nova_bo_export(bo, DRM_CLOEXEC | DRM_RDWR, &fd);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (!ret) {
		CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "dma-buf not close-on-exec");
		CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "dma-buf not O_RDWR");
		close(fd);
	}
	nova_bo_unref(bo);
}

/*
 * An EXEC round trip on @node: a pushbuffer (SET_OBJECT, a copy of two
 * 128 KiB lines and a rest, a memset, a 64-bit semaphore release) runs on
 * a channel; its out-sync signals and the data, read back through mmap,
 * is what the GPU wrote. A second EXEC waits for the semaphore (>=, met
 * already) and releases it again. Then test_exec_fault(). Skipped with a
 * message when the device or its kernel offers no user channels.
 */
#define X_BO_SIZE (512u << 10)
#define X_COPY (2u * NOVA_PUSH_LINE_BYTES + 1000)	/* two lines and a rest */
#define X_FILL_AT (384u << 10)
#define X_SEM_AT (32u << 10)	/* in the pushbuffer BO, after the commands */

/*
 * A channel the GPU stops: a copy from an unmapped VA faults. Its fence
 * signals, nova_channel_get_state() says dead with -EFAULT, a further
 * EXEC fails with -ECANCELED, and the VM records the fault at that VA.
 * On its own VM, so that @dev's other checks do not see the fault.
 */
static void test_exec_fault(struct nova_device *dev, struct nova_bo *pbo, uint32_t *p,
			    uint64_t va_start)
{
	const uint64_t cmd_va = va_start + (8ull << 20), bad_va = va_start + (64ull << 20);
	struct nova_channel *ch = NULL;
	struct nova_pushbuf *pb = NULL;
	struct nova_sync *sync = NULL;
	struct nova_vm *vm = NULL;
	struct nova_vm_fault faults[4];
	struct nova_channel_state cs;
	struct nova_vm_state vs;
	struct nova_sync_point sig;
	struct nova_push push;
	bool seen = false;
	int ret;

	ret = nova_vm_create(dev, &vm);
	if (!ret)
		ret = nova_channel_create(vm, 0, &ch);
	if (!ret)
		ret = nova_vm_map(vm, pbo, 0, cmd_va, 64 << 10, NOVA_BIND_READ_ONLY);
	if (!ret)
		ret = nova_sync_create(dev, false, false, &sync);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	/* the commands go to the BO's second half, the first one's stay */
	ret = nova_pushbuf_create(nova_channel_class(ch), p + (40 << 10) / 4, cmd_va + (40 << 10),
				  8 << 10, &pb);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	nova_push_set_object(pb);
	nova_push_copy(pb, bad_va + 4096, bad_va, 4096);
	ret = nova_pushbuf_end(pb, &push);
	CHECK(!ret, "build: %s", nova_strerror(ret));
	sig = (struct nova_sync_point){ .sync = sync, .flags = NOVA_SYNC_POINT_SIGNAL };
	if (!ret)
		ret = nova_exec(ch, &push, 1, &sig, 1);
	CHECK(!ret, "exec: %s", nova_strerror(ret));
	if (ret)
		goto out;
	ret = nova_sync_wait(sync, 0, 120ll * 1000000000);
	CHECK(!ret, "out-sync of the faulting EXEC: %s", nova_strerror(ret));

	ret = nova_channel_get_state(ch, &cs);
	CHECK(!ret && cs.dead && cs.error == -EFAULT && cs.submitted == 1 && cs.completed == 1,
	      "%d: dead %d, error %d, %llu submitted, %llu completed", ret, cs.dead, cs.error,
	      (unsigned long long)cs.submitted, (unsigned long long)cs.completed);
	push.len = 8;	/* SET_OBJECT alone */
	ret = nova_exec(ch, &push, 1, NULL, 0);
	CHECK(ret == -ECANCELED, "EXEC on a dead channel: %d", ret);
	ret = nova_vm_get_state(vm, 0, &vs, faults, 4);
	CHECK(!ret && vs.fault_count >= 1 && vs.num_faults >= 1, "%d: %u faults", ret,
	      vs.fault_count);
	for (uint32_t i = 0; !ret && i < vs.num_faults && i < 4; i++)
		seen |= (faults[i].va & ~0xfffull) == bad_va && faults[i].access == 0;
	CHECK(seen, "no read fault recorded at 0x%llx", (unsigned long long)bad_va);
out:
	nova_pushbuf_destroy(pb);
	nova_sync_destroy(sync);
	nova_channel_destroy(ch);
	nova_vm_destroy(vm);
}

static void test_exec(const char *node)
{
	struct nova_bo *src = NULL, *dst = NULL, *pbo = NULL;
	struct nova_channel *ch = NULL;
	struct nova_pushbuf *pb = NULL;
	struct nova_sync *sync = NULL;
	struct nova_vm *vm = NULL;
	struct nova_device *dev = NULL;
	struct nova_channel_state cs;
	struct nova_push push, bad;
	struct nova_sync_point sig;
	uint32_t *s = NULL, *d = NULL, *p = NULL;
	uint64_t va, sem;
	struct nova_info info;
	void *ptr;
	size_t i;
	int ret;

	ret = nova_device_open(node, &dev);
	CHECK(!ret, "%s: %s", node, nova_strerror(ret));
	if (ret)
		return;
	ret = nova_query_info_ext(dev, &info, sizeof(info));
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	ret = nova_vm_create(dev, &vm);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	ret = nova_channel_create(vm, 0, &ch);
	if (ret == -EINVAL || ret == -ENOTTY || ret == -ENODEV) {
		printf("api-test: %s (%s): no user channels (copy class 0x%x, channel create: %d),"
		       " skipping the EXEC checks\n", node, nova_chipset_name(info.chipset),
		       info.copy_class, ret);
		CHECK(ret == -ENODEV || !info.copy_class, "class 0x%x offered, create fails: %d",
		      info.copy_class, ret);
		goto out;
	}
	CHECK(!ret, "channel: %s", nova_strerror(ret));
	if (ret)
		goto out;
	CHECK(nova_channel_class(ch) == info.copy_class && nova_channel_vm(ch) == vm,
	      "class 0x%x, device 0x%x", nova_channel_class(ch), info.copy_class);
	CHECK(info.max_pushes >= 1 && info.max_channels >= 1 && info.exec_timeout_ms >= 1,
	      "max pushes %llu, max channels %llu, timeout %u ms",
	      (unsigned long long)info.max_pushes, (unsigned long long)info.max_channels,
	      info.exec_timeout_ms);
	if (verbose)
		printf("     %s: class 0x%x, %llu pushes, %llu channels, %u ms\n", node,
		       info.copy_class, (unsigned long long)info.max_pushes,
		       (unsigned long long)info.max_channels, info.exec_timeout_ms);

	ret = nova_bo_create(dev, X_BO_SIZE, 0, &src);
	if (!ret)
		ret = nova_bo_create(dev, X_BO_SIZE, 0, &dst);
	if (!ret)
		ret = nova_bo_create(dev, 64 << 10, 0, &pbo);
	CHECK(!ret, "BOs: %s", nova_strerror(ret));
	if (ret)
		goto out;
	va = (info.va_start + (2ull << 20) - 1) & ~((2ull << 20) - 1);
	ret = nova_vm_map(vm, src, 0, va, X_BO_SIZE, NOVA_BIND_READ_ONLY);
	if (!ret)
		ret = nova_vm_map(vm, dst, 0, va + (2ull << 20), X_BO_SIZE, 0);
	if (!ret)
		ret = nova_vm_map(vm, pbo, 0, va + (4ull << 20), 64 << 10, 0);
	CHECK(!ret, "maps: %s", nova_strerror(ret));
	if (ret)
		goto out;
	sem = va + (4ull << 20) + X_SEM_AT;

	ret = nova_bo_mmap(src, &ptr);
	s = ret ? NULL : ptr;
	if (!ret)
		ret = nova_bo_mmap(dst, &ptr);
	d = ret ? NULL : ptr;
	if (!ret)
		ret = nova_bo_mmap(pbo, &ptr);
	p = ret ? NULL : ptr;
	CHECK(!ret, "mmap: %s", nova_strerror(ret));
	if (ret)
		goto out;
	for (i = 0; i < X_BO_SIZE / 4; i++) {
		s[i] = 0x5eed0000u ^ (uint32_t)(i * 2654435761u);
		d[i] = 0xffffffff;
	}

	ret = nova_pushbuf_create(nova_channel_class(ch), p, va + (4ull << 20), X_SEM_AT, &pb);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	nova_push_set_object(pb);
	nova_push_copy(pb, va + (2ull << 20) + 4, va + 4, X_COPY);
	nova_push_memset(pb, va + (2ull << 20) + X_FILL_AT, 0xabcd1234, X_BO_SIZE - X_FILL_AT);
	nova_push_sem_release(pb, sem, 0x100000007ull, NOVA_SEM_64BIT);
	ret = nova_pushbuf_end(pb, &push);
	CHECK(!ret, "build: %s", nova_strerror(ret));
	if (ret)
		goto out;

	ret = nova_sync_create(dev, false, false, &sync);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (ret)
		goto out;
	/* a malformed push: refused, nothing queued */
	bad = push;
	bad.len = 0;
	ret = nova_exec(ch, &bad, 1, NULL, 0);
	CHECK(ret == -EINVAL, "empty push: %d", ret);
	sig = (struct nova_sync_point){ .sync = sync, .flags = NOVA_SYNC_POINT_SIGNAL };
	ret = nova_exec(ch, &push, 1, &sig, 1);
	CHECK(!ret, "exec: %s", nova_strerror(ret));
	if (ret)
		goto out;
	ret = nova_sync_wait(sync, 0, 120ll * 1000000000);
	CHECK(!ret, "out-sync: %s", nova_strerror(ret));
	if (ret)
		goto out;

	/* the copy: the bytes around it untouched */
	CHECK(d[0] == 0xffffffff, "word before the copy: 0x%08x", d[0]);
	for (i = 1; i < 1 + X_COPY / 4; i++)
		if (d[i] != s[i]) {
			CHECK(d[i] == s[i], "copy: word %zu is 0x%08x, source 0x%08x", i, d[i], s[i]);
			break;
		}
	CHECK(d[1 + X_COPY / 4] == 0xffffffff, "word after the copy: 0x%08x",
	      d[1 + X_COPY / 4]);
	for (i = X_FILL_AT / 4; i < X_BO_SIZE / 4; i++)
		if (d[i] != 0xabcd1234) {
			CHECK(d[i] == 0xabcd1234, "memset: word %zu is 0x%08x", i, d[i]);
			break;
		}
	CHECK(d[X_FILL_AT / 4 - 1] == 0xffffffff, "word before the memset: 0x%08x",
	      d[X_FILL_AT / 4 - 1]);
	CHECK(p[X_SEM_AT / 4] == 7 && p[X_SEM_AT / 4 + 1] == 1,
	      "semaphore 0x%08x%08x, expected 0x100000007", p[X_SEM_AT / 4 + 1],
	      p[X_SEM_AT / 4]);

	/* an acquire already met (>= 0x100000006), then a 32-bit release */
	nova_push_sem_acquire(pb, sem, 0x100000006ull, NOVA_SEM_64BIT | NOVA_SEM_ACQUIRE_GEQ);
	nova_push_nop(pb);
	nova_push_sem_release(pb, sem + 8, 0x2a, 0);
	ret = nova_pushbuf_end(pb, &push);
	CHECK(!ret, "build: %s", nova_strerror(ret));
	nova_sync_reset(sync);
	if (!ret)
		ret = nova_exec(ch, &push, 1, &sig, 1);
	CHECK(!ret, "exec: %s", nova_strerror(ret));
	if (!ret) {
		ret = nova_sync_wait(sync, 0, 120ll * 1000000000);
		CHECK(!ret, "out-sync: %s", nova_strerror(ret));
		CHECK(p[X_SEM_AT / 4 + 2] == 0x2a, "second semaphore 0x%08x", p[X_SEM_AT / 4 + 2]);
	}

	ret = nova_channel_get_state(ch, &cs);
	CHECK(!ret && !cs.dead && !cs.error && cs.submitted == 2 && cs.completed == 2,
	      "%d: dead %d, error %d, %llu submitted, %llu completed", ret, cs.dead, cs.error,
	      (unsigned long long)cs.submitted, (unsigned long long)cs.completed);
	test_exec_fault(dev, pbo, p, va);
out:
	nova_pushbuf_destroy(pb);
	if (s)
		nova_bo_munmap(src);
	if (d)
		nova_bo_munmap(dst);
	if (p)
		nova_bo_munmap(pbo);
	nova_sync_destroy(sync);
	if (ch) {
		ret = nova_channel_destroy(ch);
		CHECK(!ret, "channel destroy: %s", nova_strerror(ret));
	}
	nova_vm_destroy(vm);
	nova_bo_unref(src);
	nova_bo_unref(dst);
	nova_bo_unref(pbo);
	nova_device_close(dev);
}

int main(int argc, char **argv)
{
	struct nova_device_desc first;
	struct nova_device *dev;
	int n, ret, opt;

	while ((opt = getopt(argc, argv, "vs")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 's':
			must_be_simulated = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-v] [-s]\n", argv[0]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "usage: %s [-v] [-s]\n", argv[0]);
		return 2;
	}

	test_version();
	test_pushbuf_encodings();
	test_pushbuf_limits();
	n = test_enumerate(&first);
	if (n <= 0) {
		printf("api-test: no nova device, skipping the device checks\n");
		return failures ? 1 : 77;
	}
	if (first.open_error) {
		printf("api-test: %s: %s\n", first.render_node, nova_strerror(first.open_error));
		return 1;
	}
	test_wrap(&first);
	ret = nova_device_open(first.render_node, &dev);
	CHECK(!ret, "%s", nova_strerror(ret));
	if (!ret) {
		test_info(dev);
		test_vm_state(dev);
		test_vm_bind_null(dev);
		test_sync_file(dev);
		test_syncobj_fd(dev, first.render_node);
		test_bo_export(dev);
		nova_device_close(dev);
	}
	/* EXEC on every device that can be opened */
	{
		struct nova_device_desc descs[16];
		int count = nova_enumerate_ext(descs, 16, sizeof(descs[0]));

		for (int i = 0; i < count && i < 16; i++)
			if (!descs[i].open_error)
				test_exec(descs[i].render_node);
	}
	printf("api-test: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
