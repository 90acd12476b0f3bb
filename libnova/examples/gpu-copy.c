// SPDX-License-Identifier: MIT
/*
 * gpu-copy - the GPU copies between two buffer objects: open a nova
 * device, create a VM and a channel on it, create a source and a
 * destination BO and a BO for commands, map the three in the VM, fill
 * the source through a CPU mapping, write a pushbuffer (bind the copy
 * class, copy, release a semaphore) with libnova's builder, run it with
 * nova_exec(), wait for the EXEC's out-sync and check the destination
 * and the semaphore through the CPU mappings. Prints each step; exits
 * non-zero on any error.
 *
 *   gpu-copy [/dev/dri/renderDN]
 *   gpu-copy --help | --version
 *
 * Exit status: 0 the copy is right, 1 a step failed, 2 usage error,
 * 77 the device offers no user channels (nothing was run).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnova.h"

#define COPY_SIZE (1024 * 1024)		/* bytes copied: 8 lines of 128 KiB */
#define CMD_SIZE (64 * 1024)		/* the command BO */
#define SEM_OFFSET (CMD_SIZE - 64)	/* the semaphore, at its end */
#define SEM_VALUE 0x600dc0deu

#define CHECK(call) do { \
	int err_ = (call); \
	if (err_) { \
		fprintf(stderr, "gpu-copy: %s failed: %s (%d)\n", #call, \
			nova_strerror(err_), err_); \
		goto out; \
	} \
} while (0)

static uint32_t pattern(size_t i)
{
	return 0xc0b40000u ^ (uint32_t)(i * 2654435761u);
}

int main(int argc, char **argv)
{
	struct nova_bo *src = NULL, *dst = NULL, *cmd = NULL;
	uint32_t *s = NULL, *d = NULL, *c = NULL;
	struct nova_channel *ch = NULL;
	struct nova_pushbuf *pb = NULL;
	struct nova_sync *done = NULL;
	struct nova_device *dev = NULL;
	struct nova_vm *vm = NULL;
	struct nova_sync_point signal;
	struct nova_channel_state cs;
	uint64_t va_start, va_end, chipset, src_va, dst_va, cmd_va;
	struct nova_push push;
	void *ptr;
	int status = 1, ret;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: %s [/dev/dri/renderDN]\n"
		       "Open a nova device (default: the first), copy a buffer object to another\n"
		       "with the GPU's copy engine (a pushbuffer run by nova_exec()), and check\n"
		       "the result through CPU mappings.\n"
		       "Exit status: 0 the copy is right, 1 a step failed, 2 usage error,\n"
		       "77 the device offers no user channels.\n",
		       argv[0]);
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("gpu-copy (libnova) %s, built with libnova.h %d.%d.%d\n",
		       nova_get_version_string(), LIBNOVA_VERSION_MAJOR,
		       LIBNOVA_VERSION_MINOR, LIBNOVA_VERSION_PATCH);
		return 0;
	}
	if (argc > 2 || (argc > 1 && argv[1][0] == '-')) {
		fprintf(stderr, "Usage: %s [/dev/dri/renderDN] | --help | --version\n", argv[0]);
		return 2;
	}

	if (argc > 1)
		CHECK(nova_device_open(argv[1], &dev));
	else
		CHECK(nova_device_open_index(0, &dev));
	CHECK(nova_get_param(dev, NOVA_PARAM_CHIPSET, &chipset));
	printf("opened %s (%s)\n", nova_device_path(dev), nova_chipset_name(chipset));

	CHECK(nova_vm_create(dev, &vm));
	ret = nova_channel_create(vm, 0, &ch);
	if (ret == -ENODEV || ret == -ENOTTY) {
		printf("gpu-copy: SKIP: %s offers no user channels (nova_channel_create: %s)\n",
		       nova_chipset_name(chipset), ret == -ENODEV ? "-ENODEV" : "-ENOTTY");
		status = 77;
		goto out;
	}
	CHECK(ret);
	printf("created VM %u and channel %u (copy class 0x%04x)\n", nova_vm_id(vm),
	       nova_channel_id(ch), nova_channel_class(ch));

	CHECK(nova_bo_create(dev, COPY_SIZE, 0, &src));
	CHECK(nova_bo_create(dev, COPY_SIZE, 0, &dst));
	CHECK(nova_bo_create(dev, CMD_SIZE, 0, &cmd));

	/* three 2 MiB-aligned addresses inside the usable range */
	CHECK(nova_get_param(dev, NOVA_PARAM_VA_START, &va_start));
	CHECK(nova_get_param(dev, NOVA_PARAM_VA_END, &va_end));
	src_va = (va_start + (2ull << 20) - 1) & ~((2ull << 20) - 1);
	dst_va = src_va + (2ull << 20);
	cmd_va = dst_va + (2ull << 20);
	if (cmd_va + CMD_SIZE > va_end) {
		fprintf(stderr, "gpu-copy: VA range [0x%" PRIx64 ", 0x%" PRIx64 ") too small\n",
			va_start, va_end);
		goto out;
	}
	CHECK(nova_vm_map(vm, src, 0, src_va, COPY_SIZE, NOVA_BIND_READ_ONLY));
	CHECK(nova_vm_map(vm, dst, 0, dst_va, COPY_SIZE, 0));
	CHECK(nova_vm_map(vm, cmd, 0, cmd_va, CMD_SIZE, 0));
	printf("mapped source at GPU VA 0x%" PRIx64 " (read-only), destination at 0x%" PRIx64
	       ", commands at 0x%" PRIx64 "\n", src_va, dst_va, cmd_va);

	CHECK(nova_bo_mmap(src, &ptr));
	s = ptr;
	CHECK(nova_bo_mmap(dst, &ptr));
	d = ptr;
	CHECK(nova_bo_mmap(cmd, &ptr));
	c = ptr;
	for (size_t i = 0; i < COPY_SIZE / 4; i++)
		s[i] = pattern(i);
	printf("filled the source with %d bytes through its CPU mapping\n", COPY_SIZE);

	/* the commands, in the command BO before the semaphore */
	CHECK(nova_pushbuf_create(nova_channel_class(ch), c, cmd_va, SEM_OFFSET, &pb));
	nova_push_set_object(pb);
	nova_push_copy(pb, dst_va, src_va, COPY_SIZE);
	nova_push_sem_release(pb, cmd_va + SEM_OFFSET, SEM_VALUE, 0);
	CHECK(nova_pushbuf_end(pb, &push));
	printf("wrote a push of %u bytes at GPU VA 0x%" PRIx64 "\n", push.len, push.va);

	CHECK(nova_sync_create(dev, false, false, &done));
	signal = (struct nova_sync_point){ .sync = done, .flags = NOVA_SYNC_POINT_SIGNAL };
	CHECK(nova_exec(ch, &push, 1, &signal, 1));
	printf("submitted the EXEC; waiting for its out-sync\n");
	/* the simulated GPU under QEMU's TCG is slow: a generous timeout */
	CHECK(nova_sync_wait(done, 0, 120ll * 1000000000));
	CHECK(nova_channel_get_state(ch, &cs));
	if (cs.dead) {
		fprintf(stderr, "gpu-copy: the channel died: %s\n", nova_strerror(cs.error));
		goto out;
	}

	for (size_t i = 0; i < COPY_SIZE / 4; i++) {
		if (d[i] != pattern(i)) {
			fprintf(stderr, "gpu-copy: destination word %zu is 0x%08x, expected 0x%08x\n",
				i, d[i], pattern(i));
			goto out;
		}
	}
	if (c[SEM_OFFSET / 4] != SEM_VALUE) {
		fprintf(stderr, "gpu-copy: semaphore is 0x%08x, expected 0x%08x\n",
			c[SEM_OFFSET / 4], SEM_VALUE);
		goto out;
	}
	status = 0;
	printf("gpu-copy: OK: the GPU copied %d bytes between two BOs on %s; "
	       "destination and semaphore verified through mmap\n", COPY_SIZE,
	       nova_chipset_name(chipset));
out:
	nova_pushbuf_destroy(pb);
	if (s)
		nova_bo_munmap(src);
	if (d)
		nova_bo_munmap(dst);
	if (c)
		nova_bo_munmap(cmd);
	nova_sync_destroy(done);
	if (ch && nova_channel_destroy(ch) && !status)
		status = 1;
	if (vm && nova_vm_destroy(vm) && !status)
		status = 1;
	nova_bo_unref(src);
	nova_bo_unref(dst);
	nova_bo_unref(cmd);
	nova_device_close(dev);
	return status;
}
