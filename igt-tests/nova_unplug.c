// SPDX-License-Identifier: MIT
/*
 * nova_unplug - the GPU goes away while a client holds everything it can.
 *
 * A client holds a BO mapped in a VM, a live CPU mmap of it, a dma-buf of
 * it (mmapped too), an EXEC blocked on the GPU (a semaphore acquire nobody
 * releases, where the GPU offers channels) and an async bind blocked on a
 * sw_sync fence. Then the
 * DRM driver (auxiliary device) or nova-core (the GPU's PCI device, through
 * /sys/bus/pci/drivers/nova-core/unbind) is unbound through sysfs. Afterwards the mmaps SIGBUS, ioctls fail with ENODEV, the
 * EXEC's fence fails with ENODEV at once, the
 * blocked bind's fence signals with an error once its in-fence does, and
 * closing everything crashes nothing and leaks nothing (make check runs
 * this under KASAN, lockdep and kmemleak). Rebinding brings a working
 * device back. Modules in use refuse to unload.
 *
 * Run apart from every other test (make check runs it last): it changes
 * the device's card and render node numbers.
 */
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/sync_file.h>

#include "igt.h"
#include "nova_helpers.h"
#include "sw_sync.h"
#include "igt_syncobj.h"

IGT_TEST_DESCRIPTION("Unbind nova's DRM driver or nova-core while a client "
		     "holds objects, VMs, mmaps, dma-bufs and blocked binds.");

#define BO_SIZE		SZ_2M
#define VA		(1ull << 32)

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/* Whether reading *@p raises SIGBUS. */
static bool touch_sigbus(volatile uint32_t *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool bus = false;

	igt_assert_eq(sigaction(SIGBUS, &sa, &old), 0);
	if (sigsetjmp(bus_jmp, 1))
		bus = true;
	else
		(void)*p;
	igt_assert_eq(sigaction(SIGBUS, &old, NULL), 0);
	return bus;
}

static void sysfs_write(const char *path, const char *value)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);

	igt_assert_f(f >= 0, "%s: %m\n", path);
	igt_assert_f(write(f, value, strlen(value)) == (ssize_t)strlen(value),
		     "write %s to %s: %m\n", value, path);
	close(f);
}

/*
 * The device to unbind for @fd: the auxiliary device nova's DRM driver is
 * bound to, or (@core) the GPU's PCI device, the DRM device's parent,
 * which nova-core is bound to. @gpu gets the PCI device's sysfs path, @dev
 * the target's, @drv its driver's directory.
 */
static void unplug_target(int fd, bool core, char *gpu, char *dev, char *drv)
{
	char path[PATH_MAX], link[PATH_MAX + 300];

	__nova_sysfs_device(fd, path, sizeof(path));
	igt_assert_f(realpath(path, gpu), "%s: %m\n", path);
	if (core) {
		strcpy(dev, gpu);
	} else {
		struct dirent *de;
		DIR *d = opendir(gpu);

		igt_assert_f(d, "%s: %m\n", gpu);
		dev[0] = '\0';
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, "nova_core.nova-drm.", 19)) {
				snprintf(link, sizeof(link), "%s/%s", gpu, de->d_name);
				igt_assert_f(realpath(link, dev), "%s: %m\n", link);
				break;
			}
		closedir(d);
		igt_assert_f(dev[0], "no nova-drm auxiliary device in %s\n", gpu);
	}
	snprintf(link, sizeof(link), "%s/driver", dev);
	igt_assert_f(realpath(link, drv), "%s: %m\n", link);
}

/* The render node of the GPU with PCI device @gpu, once it is back; -1 after 30 s. */
static int open_gpu_render(const char *gpu)
{
	uint64_t t0 = nova_time_ms();
	char path[PATH_MAX + 8];

	snprintf(path, sizeof(path), "%s/drm", gpu);
	do {
		struct dirent *de;
		DIR *d = opendir(path);

		while (d && (de = readdir(d))) {
			char node[64];
			int minor, fd;

			if (sscanf(de->d_name, "renderD%d", &minor) != 1)
				continue;
			snprintf(node, sizeof(node), "/dev/dri/renderD%d", minor);
			fd = open(node, O_RDWR | O_CLOEXEC);
			if (fd >= 0) {
				closedir(d);
				return fd;
			}
		}
		if (d)
			closedir(d);
		usleep(100 * 1000);
	} while (nova_time_ms() - t0 < 30000);
	return -1;
}

/* A fresh BO on a fresh VM of @fd: zeroed, writable, mappable. */
static void check_device_works(int fd)
{
	uint32_t bo = nova_gem_create(fd, BO_SIZE);
	uint32_t vm = nova_vm_create(fd);
	uint32_t *p = nova_gem_mmap(fd, bo, BO_SIZE);

	igt_assert(p);
	igt_assert_eq_u32(p[0], 0);
	igt_assert_eq_u32(p[BO_SIZE / 4 - 1], 0);
	p[7] = 0xc0ffee;
	igt_assert_eq_u32(p[7], 0xc0ffee);
	nova_vm_map(fd, vm, bo, 0, VA, BO_SIZE);
	nova_vm_unmap(fd, vm, VA, BO_SIZE);
	munmap(p, BO_SIZE);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

static int sync_file_status(int sf)
{
	struct sync_file_info info = { };

	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

static void test_unbind_busy(int *pfd, bool core)
{
	char gpu[PATH_MAX], dev[PATH_MAX], drv[PATH_MAX], attr[PATH_MAX + 16];
	struct drm_nova_sync syncs[2];
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_UNMAP, .va = VA, .range = BO_SIZE,
	};
	int fd = *pfd, k = nova_sim_index(fd);
	uint32_t bo, vm, in, out;
	uint32_t *ptr, *dptr;
	int timeline, fence, dmabuf, out_sf, exec_sf = -1, st;
	uint64_t copy_class;
	struct pollfd pfd_sf;
	uint64_t v;
	const char *name;

	igt_require_f(k >= 0, "device not on nova-sim\n");
	igt_require_sw_sync();
	unplug_target(fd, core, gpu, dev, drv);
	name = strrchr(dev, '/') + 1;
	igt_info("unbinding %s from %s with a busy client\n", name, drv);

	/* Everything a client can hold. */
	bo = nova_gem_create(fd, BO_SIZE);
	ptr = nova_gem_mmap(fd, bo, BO_SIZE);
	igt_assert(ptr);
	for (unsigned int i = 0; i < BO_SIZE / 4; i += 1024)
		ptr[i] = i;
	vm = nova_vm_create(fd);
	nova_vm_map(fd, vm, bo, 0, VA, BO_SIZE);
	igt_assert_eq(drmPrimeHandleToFD(fd, bo, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	dptr = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(dptr != MAP_FAILED);
	igt_assert_eq_u32(dptr[1024], 1024);

	/*
	 * An EXEC blocked on the GPU: a host semaphore acquire (>= 1) of a
	 * word of the BO that stays 0. Its pushbuffer is in the BO too.
	 */
	copy_class = nova_get_param(fd, NOVA_GETPARAM_COPY_CLASS);
	if (copy_class) {
		struct drm_nova_channel_create cc = {
			.vm_id = vm, .hclass = copy_class,
		};
		struct drm_nova_exec_push push = { .va = VA + 12, .len = 6 * 4 };
		struct drm_nova_sync sig = {
			.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
		};
		struct drm_nova_exec e = {
			.pushes = { sizeof(push), 1, to_user_pointer(&push) },
			.syncs = { sizeof(sig), 1, to_user_pointer(&sig) },
		};

		/* INC of 5 host methods from SEM_ADDR_LO (0x5c), subchannel 0 */
		ptr[3] = 1u << 29 | 5u << 16 | 0x5c >> 2;
		ptr[4] = (uint32_t)(VA + 400);
		ptr[5] = (uint32_t)((VA + 400) >> 32);
		ptr[6] = 1;		/* payload */
		ptr[7] = 0;
		ptr[8] = 2;		/* ACQ_STRICT_GEQ */
		igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_NOVA_CHANNEL_CREATE, &cc), 0);
		sig.handle = syncobj_create(fd, 0);
		e.channel = cc.id;
		igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_NOVA_EXEC, &e), 0);
		exec_sf = syncobj_handle_to_fd(fd, sig.handle,
					       DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
		igt_assert_lte(0, exec_sf);
		igt_assert_eq(sync_file_status(exec_sf), 0);
	}

	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	in = syncobj_create(fd, 0);
	out = syncobj_create(fd, 0);
	syncobj_import_sync_file(fd, in, fence);
	close(fence);
	syncs[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = in };
	syncs[1] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
					   .handle = out };
	igt_assert_eq(__nova_vm_bind(fd, vm, NOVA_VM_BIND_ASYNC, &op, 1, syncs, 2), 0);
	out_sf = syncobj_handle_to_fd(fd, out,
				      DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	igt_assert_lte(0, out_sf);
	igt_assert_eq(sync_file_status(out_sf), 0);

	snprintf(attr, sizeof(attr), "%s/unbind", drv);
	sysfs_write(attr, name);

	/* The device is gone for the client: */
	igt_assert_f(touch_sigbus(ptr), "BO mmap still readable after unbind\n");
	igt_assert_f(touch_sigbus(dptr), "dma-buf mmap still readable after unbind\n");
	igt_assert_eq(__nova_get_param(fd, NOVA_GETPARAM_VRAM_USED, &v), -ENODEV);
	v = BO_SIZE;
	igt_assert_eq(__nova_gem_create(fd, &v, 0, &bo), -ENODEV);
	igt_assert_eq(__nova_vm_map(fd, vm, bo, 0, VA, BO_SIZE, 0), -ENODEV);

	/* The blocked EXEC failed: the unplug stopped its channel. */
	if (exec_sf >= 0) {
		pfd_sf = (struct pollfd){ .fd = exec_sf, .events = POLLIN };
		igt_assert_f(poll(&pfd_sf, 1, 30000) == 1, "blocked EXEC never completed\n");
		/* Or the EXEC timeout ended it first, on a very slow guest. */
		st = sync_file_status(exec_sf);
		igt_assert_f(st == -ENODEV || st == -ETIMEDOUT,
			     "blocked EXEC status %d\n", st);
		close(exec_sf);
	}

	/* The blocked bind fails when it runs, once its in-fence signals. */
	sw_sync_timeline_inc(timeline, 1);
	pfd_sf = (struct pollfd){ .fd = out_sf, .events = POLLIN };
	igt_assert_f(poll(&pfd_sf, 1, 30000) == 1, "blocked bind never completed\n");
	igt_assert_eq(sync_file_status(out_sf), -ENODEV);

	/* Letting go of everything crashes nothing (KASAN, lockdep). */
	munmap(dptr, BO_SIZE);
	munmap(ptr, BO_SIZE);
	close(dmabuf);
	close(out_sf);
	close(timeline);
	close(fd);
	*pfd = -1;

	/* Bound again, the GPU works. */
	snprintf(attr, sizeof(attr), "%s/bind", drv);
	sysfs_write(attr, name);
	fd = open_gpu_render(gpu);
	igt_assert_f(fd >= 0, "no render node for %s after rebinding\n", gpu);
	igt_assert(is_nova_device(fd));
	check_device_works(fd);
	*pfd = fd;
}

/* Modules in use refuse to unload; make check unloads them at the end. */
static void test_rmmod_busy(int fd)
{
	static const char *const mods[] = { "nova", "nova_core", "nova_sim" };

	for (unsigned int i = 0; i < ARRAY_SIZE(mods); i++) {
		errno = 0;
		igt_assert_f(syscall(SYS_delete_module, mods[i], O_NONBLOCK) == -1 &&
			     errno == EWOULDBLOCK,
			     "rmmod %s while in use: %m\n", mods[i]);
	}
	check_device_works(fd);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("nova, nova_core and nova_sim refuse to unload while a "
		     "client uses the GPU.");
	igt_subtest("rmmod-busy")
		test_rmmod_busy(fd);

	igt_describe("Unbinding nova's DRM driver from a busy GPU: mmaps SIGBUS, "
		     "ioctls ENODEV, blocked binds fail, closing is safe, "
		     "rebinding works.");
	igt_subtest("unbind-drm-busy")
		test_unbind_busy(&fd, false);

	igt_describe("Unbinding nova-core from a busy GPU: the same, with the "
		     "GPU's memory management outliving its device.");
	igt_subtest("unbind-core-busy")
		test_unbind_busy(&fd, true);

	igt_fixture
		if (fd >= 0)
			close(fd);
}
