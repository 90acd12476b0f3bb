// SPDX-License-Identifier: MIT
/*
 * demo - libnova in a few steps: open the first nova device, create a
 * buffer object and a VM, bind the BO into the VM, write a pattern
 * through a CPU mapping, read it back, unbind, and clean up. Prints
 * each step; exits non-zero on any error.
 *
 *   demo [/dev/dri/renderDN]
 *   demo --help | --version
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnova.h"

#define BO_SIZE (64 * 1024)

#define CHECK(call) do { \
	int err_ = (call); \
	if (err_) { \
		fprintf(stderr, "demo: %s failed: %s (%d)\n", #call, \
			nova_strerror(err_), err_); \
		goto out; \
	} \
} while (0)

int main(int argc, char **argv)
{
	struct nova_device *dev = NULL;
	struct nova_bo *bo = NULL;
	struct nova_vm *vm = NULL;
	struct nova_vm_state st;
	uint64_t va_start, va_end, va;
	uint32_t *map = NULL;
	void *ptr;
	int status = 1;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: %s [/dev/dri/renderDN]\n"
		       "Open a nova device (default: the first), bind a buffer object into\n"
		       "a VM, write and read it through a CPU mapping, and clean up.\n"
		       "Exit status: 0 every step worked, 1 one failed, 2 usage error.\n",
		       argv[0]);
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("demo (libnova) %s, built with libnova.h %d.%d.%d\n",
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
	printf("opened %s\n", nova_device_path(dev));

	CHECK(nova_bo_create(dev, BO_SIZE, 0, &bo));
	printf("created BO handle %u, %" PRIu64 " bytes\n", nova_bo_handle(bo),
	       nova_bo_size(bo));

	CHECK(nova_vm_create(dev, &vm));
	printf("created VM %u\n", nova_vm_id(vm));

	CHECK(nova_get_param(dev, NOVA_PARAM_VA_START, &va_start));
	CHECK(nova_get_param(dev, NOVA_PARAM_VA_END, &va_end));
	/* a 2 MiB-aligned address inside the usable range */
	va = (va_start + (2ull << 20) - 1) & ~((2ull << 20) - 1);
	if (va + BO_SIZE > va_end) {
		fprintf(stderr, "demo: VA range [0x%" PRIx64 ", 0x%" PRIx64 ") too small\n",
			va_start, va_end);
		goto out;
	}

	CHECK(nova_vm_map(vm, bo, 0, va, BO_SIZE, 0));
	CHECK(nova_vm_get_state(vm, 0, &st, NULL, 0));
	printf("bound BO at GPU VA 0x%" PRIx64 ": %u mapping(s), %" PRIu64
	       " bytes mapped, %" PRIu64 " bytes of page tables\n",
	       va, st.num_mappings, st.mapped_bytes, st.pt_bytes);

	CHECK(nova_bo_mmap(bo, &ptr));
	map = ptr;
	for (size_t i = 0; i < BO_SIZE / sizeof(*map); i++) {
		if (map[i] != 0) {
			fprintf(stderr, "demo: new BO not zeroed at word %zu: 0x%08x\n",
				i, map[i]);
			goto out;
		}
		map[i] = 0xc0de0000u ^ (uint32_t)i;
	}
	printf("wrote %d bytes through the CPU mapping at %p\n", BO_SIZE, ptr);

	for (size_t i = 0; i < BO_SIZE / sizeof(*map); i++) {
		if (map[i] != (0xc0de0000u ^ (uint32_t)i)) {
			fprintf(stderr, "demo: read back 0x%08x at word %zu, wrote 0x%08x\n",
				map[i], i, 0xc0de0000u ^ (uint32_t)i);
			goto out;
		}
	}
	printf("read back %d bytes: pattern intact\n", BO_SIZE);
	CHECK(nova_bo_munmap(bo));
	map = NULL;

	CHECK(nova_vm_unmap(vm, va, BO_SIZE));
	CHECK(nova_vm_get_state(vm, 0, &st, NULL, 0));
	printf("unbound: %u mapping(s), %" PRIu64 " bytes mapped\n",
	       st.num_mappings, st.mapped_bytes);
	if (st.num_mappings != 0 || st.mapped_bytes != 0) {
		fprintf(stderr, "demo: VM not empty after unbind\n");
		goto out;
	}

	status = 0;
	printf("demo: OK\n");
out:
	if (map)
		nova_bo_munmap(bo);
	if (vm && nova_vm_destroy(vm) && !status)
		status = 1;
	nova_bo_unref(bo);
	nova_device_close(dev);
	return status;
}
