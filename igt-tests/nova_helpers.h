// SPDX-License-Identifier: MIT
/*
 * nova_helpers.h - small helpers shared by nova's IGT tests.
 *
 * Header-only and built on upstream IGT API only (igt_core, drmtest,
 * ioctl_wrappers) and libdrm, so the tests and this header can move into
 * an IGT tree (tests/nova/) unchanged. The "__" variants return 0 or a
 * negative errno; the others assert success.
 */
#ifndef NOVA_HELPERS_H
#define NOVA_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "drm/nova_drm.h"

#define SZ_4K	(4096ull)
#define SZ_64K	(64ull << 10)
#define SZ_1M	(1ull << 20)
#define SZ_2M	(2ull << 20)

static inline bool is_nova_device(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ret;

	if (!v)
		return false;
	ret = v->name && !strcmp(v->name, "nova");
	drmFreeVersion(v);
	return ret;
}

/*
 * Open a nova render node like IGT does (IGT_DEVICE / --device, first
 * device otherwise), restricted to nova when IGT_FORCE_DRIVER does not
 * already choose a driver. Skips when there is none.
 */
static inline int drm_open_nova_render(void)
{
	int fd;

	if (!getenv("IGT_FORCE_DRIVER"))
		__set_forced_driver("nova");

	fd = drm_open_driver_render(DRIVER_ANY);
	igt_require_f(is_nova_device(fd), "not a nova device\n");
	return fd;
}

static inline int __nova_get_param(int fd, uint64_t param, uint64_t *value)
{
	struct drm_nova_getparam gp = { .param = param };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_GETPARAM, &gp))
		err = -errno;
	else
		*value = gp.value;
	errno = 0;
	return err;
}

static inline uint64_t nova_get_param(int fd, uint64_t param)
{
	uint64_t value = 0;

	igt_assert_eq(__nova_get_param(fd, param, &value), 0);
	return value;
}

static inline int __nova_gem_create(int fd, uint64_t *size, uint32_t flags,
				    uint32_t *handle)
{
	struct drm_nova_gem_create create = { .flags = flags, .size = *size };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &create)) {
		err = -errno;
	} else {
		*handle = create.handle;
		*size = create.size;
	}
	errno = 0;
	return err;
}

static inline uint32_t nova_gem_create(int fd, uint64_t size)
{
	uint32_t handle = 0;

	igt_assert_eq(__nova_gem_create(fd, &size, 0, &handle), 0);
	igt_assert_neq_u32(handle, 0);
	return handle;
}

static inline int __nova_gem_info(int fd, uint32_t handle, uint64_t *size,
				  uint64_t *mmap_offset)
{
	struct drm_nova_gem_info info = { .handle = handle };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info)) {
		err = -errno;
	} else {
		if (size)
			*size = info.size;
		if (mmap_offset)
			*mmap_offset = info.mmap_offset;
	}
	errno = 0;
	return err;
}

static inline uint64_t nova_gem_mmap_offset(int fd, uint32_t handle)
{
	uint64_t offset = 0;

	igt_assert_eq(__nova_gem_info(fd, handle, NULL, &offset), 0);
	return offset;
}

/* mmap a whole BO (or @size bytes of it); NULL on failure, errno set. */
static inline void *__nova_gem_mmap(int fd, uint32_t handle, uint64_t size, int prot)
{
	void *ptr = mmap(NULL, size, prot, MAP_SHARED, fd,
			 nova_gem_mmap_offset(fd, handle));

	return ptr == MAP_FAILED ? NULL : ptr;
}

static inline void *nova_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = __nova_gem_mmap(fd, handle, size, PROT_READ | PROT_WRITE);

	igt_assert_f(ptr, "mmap of handle %u failed: %m\n", handle);
	return ptr;
}

static inline int __nova_vm_create(int fd, uint32_t flags, uint32_t *id)
{
	struct drm_nova_vm_create create = { .flags = flags };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_CREATE, &create))
		err = -errno;
	else
		*id = create.id;
	errno = 0;
	return err;
}

static inline uint32_t nova_vm_create(int fd)
{
	uint32_t id = 0;

	igt_assert_eq(__nova_vm_create(fd, 0, &id), 0);
	return id;
}

static inline int __nova_vm_destroy(int fd, uint32_t id)
{
	struct drm_nova_vm_destroy destroy = { .id = id };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_DESTROY, &destroy))
		err = -errno;
	errno = 0;
	return err;
}

static inline void nova_vm_destroy(int fd, uint32_t id)
{
	igt_assert_eq(__nova_vm_destroy(fd, id), 0);
}

static inline int __nova_vm_bind(int fd, uint32_t vm_id, uint32_t flags,
				 struct drm_nova_vm_bind_op *ops, uint32_t num_ops,
				 struct drm_nova_sync *syncs, uint32_t num_syncs)
{
	struct drm_nova_vm_bind bind = {
		.vm_id = vm_id,
		.flags = flags,
		.ops = {
			.stride = sizeof(*ops),
			.count = num_ops,
			.array = to_user_pointer(ops),
		},
		.syncs = {
			.stride = sizeof(*syncs),
			.count = num_syncs,
			.array = to_user_pointer(syncs),
		},
	};
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_BIND, &bind))
		err = -errno;
	errno = 0;
	return err;
}

static inline int __nova_vm_map(int fd, uint32_t vm_id, uint32_t handle,
				uint64_t bo_offset, uint64_t va, uint64_t range,
				uint32_t flags)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_MAP,
		.flags = flags,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return __nova_vm_bind(fd, vm_id, 0, &op, 1, NULL, 0);
}

static inline void nova_vm_map(int fd, uint32_t vm_id, uint32_t handle,
			       uint64_t bo_offset, uint64_t va, uint64_t range)
{
	igt_assert_eq(__nova_vm_map(fd, vm_id, handle, bo_offset, va, range, 0), 0);
}

static inline int __nova_vm_unmap(int fd, uint32_t vm_id, uint64_t va, uint64_t range)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};

	return __nova_vm_bind(fd, vm_id, 0, &op, 1, NULL, 0);
}

static inline void nova_vm_unmap(int fd, uint32_t vm_id, uint64_t va, uint64_t range)
{
	igt_assert_eq(__nova_vm_unmap(fd, vm_id, va, range), 0);
}

static inline int __nova_vm_get_state(int fd, struct drm_nova_vm_get_state *st)
{
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_GET_STATE, st))
		err = -errno;
	errno = 0;
	return err;
}

static inline struct drm_nova_vm_get_state nova_vm_get_state(int fd, uint32_t vm_id)
{
	struct drm_nova_vm_get_state st = { .vm_id = vm_id };

	igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
	return st;
}

static inline uint64_t nova_time_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/*
 * The value of "<key>: N [unit]" in the fdinfo of @fd: bytes for memory
 * keys (e.g. "drm-total-vram"), nanoseconds for engine keys (e.g.
 * "drm-engine-bind"); -1 when the key is absent.
 */
static inline long long nova_fdinfo_bytes(int fd, const char *key)
{
	char path[64], line[256], unit[8];
	size_t klen = strlen(key);
	unsigned long long v;
	long long ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		unit[0] = '\0';
		n = sscanf(line + klen + 1, "%llu %7s", &v, unit);
		if (n < 1)
			continue;
		if (n == 1 || !strcmp(unit, "B") || !strcmp(unit, "ns"))
			ret = v;
		else if (!strcmp(unit, "KiB"))
			ret = v << 10;
		else if (!strcmp(unit, "MiB"))
			ret = v << 20;
		else if (!strcmp(unit, "GiB"))
			ret = v << 30;
		else
			igt_assert_f(false, "unknown unit in %s", line);
	}
	fclose(f);
	return ret;
}

/*
 * How long a test waits for deferred frees to settle before it calls
 * memory lost. Frees finish on workqueues; under TCG on a loaded host a
 * vCPU can stall for seconds, so this is far above what a run needs
 * (the wait ends as soon as the value is reached): a bound, not a timing
 * assertion.
 */
#define NOVA_SETTLE_MS	60000

/*
 * VRAM_USED once it has settled to at most @target (freeing may be
 * deferred a little), or its last value after @timeout_ms.
 */
static inline uint64_t nova_wait_vram_used_le(int fd, uint64_t target,
					      unsigned int timeout_ms)
{
	uint64_t start = nova_time_ms(), used;

	for (;;) {
		used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
		if (used <= target || nova_time_ms() - start > timeout_ms)
			return used;
		usleep(10 * 1000);
	}
}

/*
 * The GPU's view of memory, through the simulator.
 *
 * These helpers let a test check what the GPU itself sees at a VA of a VM,
 * not only what the CPU sees through BAR1. They rely on debugfs files that
 * exist only with the nova-sim simulated GPU (see
 * Documentation/gpu/nova/sim.rst) and on nova's DRM debugfs file listing
 * the VMs:
 *
 *   /sys/kernel/debug/dri/<card>/nova_vms
 *	"vm <id> pid <pid> pdb 0x<hex> mappings <n>" per VM
 *   /sys/kernel/debug/nova-sim/gpu<K>/{mem,translate,counters}
 *	K is the device number of the GPU's PCI device on nova-sim's bus
 *	(/sys/devices/nova-sim/pciDDDD:00/DDDD:00:KK.0)
 *
 * When either is missing (real hardware, debugfs not mounted, not root),
 * nova_require_gpu_view() and every helper below skip the subtest with
 * igt_require. debugfs is expected at /sys/kernel/debug.
 */
#define NOVA_DEBUGFS		"/sys/kernel/debug"
#define NOVA_SIM_MEM_MAX	SZ_64K

/* /sys/dev/char/<maj>:<min>/device of the DRM node behind @fd. */
static inline void __nova_sysfs_device(int fd, char *path, size_t size)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	igt_assert(S_ISCHR(st.st_mode));
	snprintf(path, size, "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
}

/*
 * The simulator's instance number K of @fd's device: the DRM device's
 * parent is the PCI device DDDD:00:KK.0 on nova-sim's own PCI bus,
 * /sys/devices/nova-sim/pciDDDD:00. -1 when the device is not on nova-sim.
 */
static inline int nova_sim_index(int fd)
{
	char path[PATH_MAX], real[PATH_MAX];
	unsigned int k;
	const char *p;

	__nova_sysfs_device(fd, path, sizeof(path));
	if (!realpath(path, real))
		return -1;
	p = strstr(real, "/nova-sim/pci");
	if (p)
		p = strchr(p + strlen("/nova-sim/pci"), '/');
	if (!p || sscanf(p, "/%*x:%*x:%x.", &k) != 1)
		return -1;
	return k;
}

/* The index N of @fd's primary node cardN (also for a render fd). */
static inline int nova_card_index(int fd)
{
	char path[PATH_MAX];
	struct dirent *de;
	int card = -1;
	DIR *dir;

	__nova_sysfs_device(fd, path, sizeof(path));
	strncat(path, "/drm", sizeof(path) - strlen(path) - 1);
	dir = opendir(path);
	igt_assert_f(dir, "%s: %m\n", path);
	while ((de = readdir(dir)))
		if (sscanf(de->d_name, "card%d", &card) == 1)
			break;
	closedir(dir);
	igt_assert_f(card >= 0, "no cardN in %s\n", path);
	return card;
}

/* @path = the simulator's debugfs file @name for @fd's GPU; skips if absent. */
static inline void nova_sim_path(int fd, const char *name, char *path, size_t size)
{
	int k = nova_sim_index(fd);

	igt_require_f(k >= 0, "device not on the nova-sim simulator\n");
	snprintf(path, size, NOVA_DEBUGFS "/nova-sim/gpu%d/%s", k, name);
	igt_require_f(access(path, R_OK) == 0,
		      "%s: %m (debugfs not mounted, not root, or an older nova-sim)\n",
		      path);
}

static inline void nova_vms_path(int fd, char *path, size_t size)
{
	snprintf(path, size, NOVA_DEBUGFS "/dri/%d/nova_vms", nova_card_index(fd));
	igt_require_f(access(path, R_OK) == 0, "%s: %m\n", path);
}

/*
 * The value of the last "@key: <number>" line of the debugfs file @path:
 * 0, -ENOENT when the file cannot be opened, -ENODATA when no line has
 * @key.
 */
static inline int __nova_read_key(const char *path, const char *key, long long *value)
{
	char line[128], fmt[64];
	int err = -ENODATA;
	long long v;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -ENOENT;
	snprintf(fmt, sizeof(fmt), "%s: %%lld", key);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &v) == 1) {
			*value = v;
			err = 0;
		}
	fclose(f);
	return err;
}

/*
 * A counter of nova's debugfs nova_usage for @fd's device (cpu_faults,
 * bar1_evictions ...), or -1 when it cannot be read (not root, no debugfs).
 */
static inline long long nova_usage(int fd, const char *name)
{
	char path[PATH_MAX];
	long long v;

	snprintf(path, sizeof(path), NOVA_DEBUGFS "/dri/%d/nova_usage",
		 nova_card_index(fd));
	return __nova_read_key(path, name, &v) == 0 ? v : -1;
}

/* Skip unless the GPU's view can be checked on @fd's device. */
static inline void nova_require_gpu_view(int fd)
{
	char path[PATH_MAX];

	nova_sim_path(fd, "mem", path, sizeof(path));
	nova_sim_path(fd, "translate", path, sizeof(path));
	nova_sim_path(fd, "counters", path, sizeof(path));
	nova_vms_path(fd, path, sizeof(path));
}

/*
 * The page directory base of VM @vm of @fd, from nova_vms: the line of this
 * process (pid = getpid()) with that id. Fails when there is none, or
 * more than one (another open file of this process with the same id).
 */
static inline uint64_t nova_vm_pdb(int fd, uint32_t vm)
{
	unsigned long long pdb = 0, p;
	unsigned int id, found = 0;
	char path[PATH_MAX], line[256];
	int pid;
	FILE *f;

	nova_vms_path(fd, path, sizeof(path));
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "vm %u pid %d pdb %llx", &id, &pid, &p) != 3)
			continue;
		if (id == vm && pid == getpid()) {
			pdb = p;
			found++;
		}
	}
	fclose(f);
	igt_assert_f(found == 1, "%u lines for vm %u pid %d in %s\n",
		     found, vm, getpid(), path);
	return pdb;
}

/* One access of at most NOVA_SIM_MEM_MAX bytes; 0 or -errno. */
static inline int __nova_sim_mem(const char *path, uint64_t pdb, uint64_t va,
				 void *buf, uint64_t len, bool is_write)
{
	size_t cmd_size = 64 + 2 * len, n, done = 0;
	char *cmd = malloc(cmd_size);
	ssize_t ret;
	int mem, err = 0;

	igt_assert(cmd);
	mem = open(path, O_RDWR);
	igt_assert_f(mem >= 0, "%s: %m\n", path);

	n = snprintf(cmd, cmd_size, "0x%llx 0x%llx ", (unsigned long long)pdb,
		     (unsigned long long)va);
	if (is_write) {
		cmd[n++] = 'w';
		cmd[n++] = ' ';
		for (uint64_t i = 0; i < len; i++)
			n += sprintf(cmd + n, "%02x", ((const uint8_t *)buf)[i]);
	} else {
		n += sprintf(cmd + n, "0x%llx", (unsigned long long)len);
	}

	/* a write sets this open file's query and rewinds it */
	ret = write(mem, cmd, n);
	if (ret < 0)
		err = -errno;
	else
		igt_assert_eq_u64(ret, n);

	while (!is_write && !err && done < len) {
		ret = pread(mem, (uint8_t *)buf + done, len - done, done);
		if (ret < 0)
			err = -errno;
		else if (ret == 0)
			err = -EIO;
		else
			done += ret;
	}

	close(mem);
	free(cmd);
	errno = 0;
	return err;
}

static inline int __nova_gpu_access(int fd, uint32_t vm, uint64_t va, void *buf,
				    uint64_t len, bool is_write)
{
	uint64_t pdb = nova_vm_pdb(fd, vm);
	char path[PATH_MAX];
	int err = 0;

	nova_sim_path(fd, "mem", path, sizeof(path));
	while (len && !err) {
		uint64_t n = len < NOVA_SIM_MEM_MAX ? len : NOVA_SIM_MEM_MAX;

		err = __nova_sim_mem(path, pdb, va, buf, n, is_write);
		buf = (uint8_t *)buf + n;
		va += n;
		len -= n;
	}
	return err;
}

/*
 * Read @len bytes at @va of VM @vm as the GPU's engines see them now,
 * through its MMU and TLB. 0, or -EFAULT when the GPU MMU faults (the
 * fault is logged by the simulator and counted, see nova_sim_fault_count);
 * @buf is then partly undefined.
 */
static inline int nova_gpu_read(int fd, uint32_t vm, uint64_t va, void *buf,
				uint64_t len)
{
	return __nova_gpu_access(fd, vm, va, buf, len, false);
}

/*
 * Write @len bytes at @va of VM @vm as an engine would. 0, or -EFAULT when
 * the GPU MMU faults (also on a read-only page); bytes before the faulting
 * page may have been written.
 */
static inline int nova_gpu_write(int fd, uint32_t vm, uint64_t va,
				 const void *buf, uint64_t len)
{
	return __nova_gpu_access(fd, vm, va, (void *)buf, len, true);
}

/* GPU MMU faults ever recorded by the simulated GPU behind @fd. */
/* The simulator's event counter @key ("faults", "tlb_invalidates" ...). */
static inline uint64_t nova_sim_counter(int fd, const char *key)
{
	char path[PATH_MAX];
	long long v = 0;
	int err;

	nova_sim_path(fd, "counters", path, sizeof(path));
	err = __nova_read_key(path, key, &v);
	igt_assert_f(err != -ENOENT, "%s: %m\n", path);
	igt_assert_f(!err, "no \"%s:\" in %s\n", key, path);
	return v;
}

static inline uint64_t nova_sim_fault_count(int fd)
{
	return nova_sim_counter(fd, "faults");
}

/**
 * struct nova_gpu_xlate - a translation by the GPU's engine path
 * @ok: the VA is mapped (else @reason names the fault, e.g. "PTE")
 * @read_only: the page is read-only
 * @pa: VRAM address of the VA
 * @page_size: size of the page (or of the faulting/sparse region, if known)
 * @reason: "OK" or the simulator's fault reason
 */
struct nova_gpu_xlate {
	bool ok;
	bool read_only;
	uint64_t pa;
	uint64_t page_size;
	char reason[16];
};

/*
 * Translate @va of VM @vm through the engine path (GPC TLB) for a read,
 * as the simulator's debugfs translate does: no fault is logged.
 */
static inline struct nova_gpu_xlate nova_gpu_translate(int fd, uint32_t vm,
							uint64_t va)
{
	struct nova_gpu_xlate x = { };
	unsigned long long pa, size;
	char path[PATH_MAX], buf[256], rw[4] = "";
	const char *p;
	ssize_t ret;
	int t, n;

	nova_sim_path(fd, "translate", path, sizeof(path));
	t = open(path, O_RDWR);
	igt_assert_f(t >= 0, "%s: %m\n", path);
	n = snprintf(buf, sizeof(buf), "0x%llx 0x%llx",
		     (unsigned long long)nova_vm_pdb(fd, vm), (unsigned long long)va);
	/* a seq_file: no pwrite */
	igt_assert_eq(write(t, buf, n), n);
	ret = pread(t, buf, sizeof(buf) - 1, 0);
	igt_assert_f(ret > 0, "%s: %m\n", path);
	buf[ret] = '\0';
	close(t);

	/* "pdb 0x.. va 0x.. gpc: OK pa 0x.. size 0x.. rw" or "...: REASON [size 0x..]" */
	p = strstr(buf, "gpc: ");
	igt_assert_f(p, "unexpected translate output: %s", buf);
	igt_assert_eq(sscanf(p, "gpc: %15s", x.reason), 1);
	x.ok = !strcmp(x.reason, "OK");
	if (x.ok) {
		igt_assert_f(sscanf(p, "gpc: OK pa %llx size %llx %3s", &pa, &size, rw) == 3,
			     "unexpected translate output: %s", buf);
		x.pa = pa;
		x.page_size = size;
		x.read_only = !strcmp(rw, "ro");
	} else if ((p = strstr(p, " size ")) && sscanf(p, " size %llx", &size) == 1) {
		x.page_size = size;
	}
	return x;
}

#endif /* NOVA_HELPERS_H */
