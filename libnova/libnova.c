// SPDX-License-Identifier: MIT
/*
 * libnova - userspace library for nova. See include/libnova.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/nova_drm.h"
#include "libnova.h"

#define NOVA_EXPORT __attribute__((visibility("default")))

/* libnova.h mirrors the uAPI's values so that it needs no kernel header. */
_Static_assert(NOVA_PARAM_VRAM_BAR_SIZE == NOVA_GETPARAM_VRAM_BAR_SIZE, "param");
_Static_assert(NOVA_PARAM_VRAM_TOTAL == NOVA_GETPARAM_VRAM_TOTAL, "param");
_Static_assert(NOVA_PARAM_VRAM_USABLE == NOVA_GETPARAM_VRAM_USABLE, "param");
_Static_assert(NOVA_PARAM_VRAM_USED == NOVA_GETPARAM_VRAM_USED, "param");
_Static_assert(NOVA_PARAM_CHIPSET == NOVA_GETPARAM_CHIPSET, "param");
_Static_assert(NOVA_PARAM_MMU_VERSION == NOVA_GETPARAM_MMU_VERSION, "param");
_Static_assert(NOVA_PARAM_VA_BITS == NOVA_GETPARAM_VA_BITS, "param");
_Static_assert(NOVA_PARAM_PAGE_SIZES == NOVA_GETPARAM_PAGE_SIZES, "param");
_Static_assert(NOVA_PARAM_VA_START == NOVA_GETPARAM_VA_START, "param");
_Static_assert(NOVA_PARAM_VA_END == NOVA_GETPARAM_VA_END, "param");
_Static_assert(NOVA_PARAM_BAR1_USED == NOVA_GETPARAM_BAR1_USED, "param");
_Static_assert(NOVA_PARAM_MAX_BIND_OPS == NOVA_GETPARAM_MAX_BIND_OPS, "param");
_Static_assert(NOVA_PARAM_MAX_BO_SIZE == NOVA_GETPARAM_MAX_BO_SIZE, "param");
_Static_assert(NOVA_PARAM_MAX_VMS == NOVA_GETPARAM_MAX_VMS, "param");
_Static_assert(NOVA_BIND_MAP == NOVA_VM_BIND_OP_MAP, "op");
_Static_assert(NOVA_BIND_UNMAP == NOVA_VM_BIND_OP_UNMAP, "op");
_Static_assert(NOVA_BIND_READ_ONLY == NOVA_VM_BIND_OP_READ_ONLY, "flag");
_Static_assert(NOVA_BIND_ASYNC == NOVA_VM_BIND_ASYNC, "flag");
_Static_assert(NOVA_VM_STATE_CLEAR_FAULTS == NOVA_VM_GET_STATE_CLEAR_FAULTS, "flag");

struct list {
	struct list *prev, *next;
};

static void list_init(struct list *l)
{
	l->prev = l->next = l;
}

static void list_add(struct list *item, struct list *head)
{
	item->next = head->next;
	item->prev = head;
	head->next->prev = item;
	head->next = item;
}

static void list_del(struct list *item)
{
	item->prev->next = item->next;
	item->next->prev = item->prev;
	list_init(item);
}

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct nova_device {
	int fd;
	char path[PATH_MAX];
	pthread_mutex_t lock;	/* protects the lists and BO refcounts */
	struct list bos, vms, syncs;
};

struct nova_bo {
	struct nova_device *dev;
	struct list link;
	unsigned int refcount;
	uint32_t handle;
	uint64_t size;
	uint64_t mmap_offset;
	pthread_mutex_t map_lock;
	void *map;
	unsigned int map_count;
};

struct nova_vm {
	struct nova_device *dev;
	struct list link;
	uint32_t id;
};

struct nova_sync {
	struct nova_device *dev;
	struct list link;
	uint32_t handle;
	bool timeline;
};

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

/* libdrm calls fail with -1 or -errno: fold both into -errno. */
static int drm_err(int ret)
{
	return ret ? (errno ? -errno : -EIO) : 0;
}

NOVA_EXPORT const char *nova_strerror(int err)
{
	if (err < 0)
		err = -err;

	switch (err) {
	case 0:
		return "success";
	case ENODEV:
		return "no such nova device";
	case EINVAL:
		return "invalid argument (malformed request)";
	case ENOENT:
		return "no such object (unknown handle or id)";
	case ENOMEM:
		return "out of memory";
	case ENOSPC:
		return "out of space (VRAM, VA or VM slots exhausted)";
	case ETIME:
		return "timed out";
	default:
		return strerror(err);
	}
}

NOVA_EXPORT const char *nova_chipset_name(uint32_t chipset)
{
	static const struct {
		uint32_t id;
		const char *name;
	} chips[] = {
		{ 0x162, "TU102" }, { 0x164, "TU104" }, { 0x166, "TU106" },
		{ 0x167, "TU117" }, { 0x168, "TU116" },
		{ 0x170, "GA100" }, { 0x172, "GA102" }, { 0x173, "GA103" },
		{ 0x174, "GA104" }, { 0x176, "GA106" }, { 0x177, "GA107" },
		{ 0x180, "GH100" },
		{ 0x192, "AD102" }, { 0x193, "AD103" }, { 0x194, "AD104" },
		{ 0x196, "AD106" }, { 0x197, "AD107" },
		{ 0x1a0, "GB100" }, { 0x1a2, "GB102" },
		{ 0x1b2, "GB202" }, { 0x1b3, "GB203" }, { 0x1b5, "GB205" },
		{ 0x1b6, "GB206" }, { 0x1b7, "GB207" },
	};

	for (size_t i = 0; i < sizeof(chips) / sizeof(chips[0]); i++)
		if (chips[i].id == chipset)
			return chips[i].name;

	return "unknown";
}

/* ---- devices ---- */

static bool fd_is_nova(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ret;

	if (!v)
		return false;
	ret = v->name && !strcmp(v->name, "nova");
	drmFreeVersion(v);
	return ret;
}

static int get_param_fd(int fd, uint64_t param, uint64_t *value)
{
	struct drm_nova_getparam gp = { .param = param };
	int ret = ioctl_err(fd, DRM_IOCTL_NOVA_GETPARAM, &gp);

	if (!ret)
		*value = gp.value;
	return ret;
}

/* Add @render to @descs if it is a nova device not listed yet. */
static int add_candidate(struct nova_device_desc *descs, int max, int count,
			 const char *render, const char *primary,
			 const char *bus_id)
{
	uint64_t chipset = 0;
	int fd, i;

	for (i = 0; i < count && i < max && descs; i++)
		if (!strcmp(descs[i].render_node, render))
			return count;
	fd = open(render, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return count;
	if (!fd_is_nova(fd)) {
		close(fd);
		return count;
	}
	get_param_fd(fd, NOVA_GETPARAM_CHIPSET, &chipset);
	close(fd);
	if (count < max && descs) {
		struct nova_device_desc *desc = &descs[count];

		memset(desc, 0, sizeof(*desc));
		snprintf(desc->render_node, sizeof(desc->render_node), "%s", render);
		snprintf(desc->primary_node, sizeof(desc->primary_node), "%s",
			 primary ? primary : "");
		snprintf(desc->bus_id, sizeof(desc->bus_id), "%s",
			 bus_id ? bus_id : "");
		desc->chipset = chipset;
	}
	return count + 1;
}

/* The primary node of the device owning render node @render, from sysfs. */
static void primary_of(const char *render, char *out, size_t size)
{
	char dir[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	out[0] = '\0';
	if (size < 16)
		return;
	if (stat(render, &st))
		return;
	snprintf(dir, sizeof(dir), "/sys/dev/char/%u:%u/device/drm",
		 major(st.st_rdev), minor(st.st_rdev));
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "card", 4) &&
		    isdigit((unsigned char)de->d_name[4]) &&
		    strlen(de->d_name) < size - 10) {
			snprintf(out, size, "/dev/dri/%.*s", (int)(size - 10), de->d_name);
			break;
		}
	}
	closedir(d);
}

NOVA_EXPORT int nova_enumerate(struct nova_device_desc *descs, int max)
{
	drmDevicePtr *devs = NULL;
	int n, i, count = 0;

	n = drmGetDevices2(0, NULL, 0);
	if (n > 0) {
		devs = calloc(n, sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		n = drmGetDevices2(0, devs, n);
	}
	for (i = 0; i < n; i++) {
		drmDevicePtr d = devs[i];
		char bus[32] = "";

		if (!(d->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		if (d->bustype == DRM_BUS_PCI && d->businfo.pci)
			snprintf(bus, sizeof(bus), "%04x:%02x:%02x.%x",
				 d->businfo.pci->domain, d->businfo.pci->bus,
				 d->businfo.pci->dev, d->businfo.pci->func);
		count = add_candidate(descs, max, count, d->nodes[DRM_NODE_RENDER],
				      (d->available_nodes & (1 << DRM_NODE_PRIMARY)) ?
				      d->nodes[DRM_NODE_PRIMARY] : NULL, bus);
	}
	if (devs) {
		if (n > 0)
			drmFreeDevices(devs, n);
		free(devs);
	}

	/*
	 * drmGetDevices2() skips devices on buses libdrm does not know,
	 * such as the auxiliary bus nova-core puts its DRM devices on: look
	 * at every render node too.
	 */
	for (i = 128; i < 192; i++) {
		char render[64], primary[64];

		snprintf(render, sizeof(render), "/dev/dri/renderD%d", i);
		if (access(render, F_OK))
			continue;
		primary_of(render, primary, sizeof(primary));
		count = add_candidate(descs, max, count, render, primary, NULL);
	}
	return count;
}

NOVA_EXPORT int nova_device_open(const char *path, struct nova_device **out)
{
	struct nova_device *dev;
	int fd;

	if (!path || !out)
		return -EINVAL;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	if (!fd_is_nova(fd)) {
		close(fd);
		return -ENODEV;
	}

	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		close(fd);
		return -ENOMEM;
	}

	dev->fd = fd;
	snprintf(dev->path, sizeof(dev->path), "%s", path);
	pthread_mutex_init(&dev->lock, NULL);
	list_init(&dev->bos);
	list_init(&dev->vms);
	list_init(&dev->syncs);
	*out = dev;
	return 0;
}

NOVA_EXPORT int nova_device_open_index(int index, struct nova_device **out)
{
	struct nova_device_desc *descs;
	int n, ret;

	if (index < 0 || !out)
		return -EINVAL;

	n = nova_enumerate(NULL, 0);
	if (n < 0)
		return n;
	if (index >= n)
		return -ENODEV;

	descs = calloc(n, sizeof(*descs));
	if (!descs)
		return -ENOMEM;
	n = nova_enumerate(descs, n);
	ret = index < n ? nova_device_open(descs[index].render_node, out) : -ENODEV;
	free(descs);
	return ret;
}

static void bo_free(struct nova_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->size);
	pthread_mutex_destroy(&bo->map_lock);
	free(bo);
}

NOVA_EXPORT void nova_device_close(struct nova_device *dev)
{
	if (!dev)
		return;

	/* The kernel drops every handle with the file; free our side. */
	while (dev->bos.next != &dev->bos) {
		struct nova_bo *bo = container_of(dev->bos.next, struct nova_bo, link);

		list_del(&bo->link);
		bo_free(bo);
	}
	while (dev->vms.next != &dev->vms) {
		struct nova_vm *vm = container_of(dev->vms.next, struct nova_vm, link);

		list_del(&vm->link);
		free(vm);
	}
	while (dev->syncs.next != &dev->syncs) {
		struct nova_sync *s = container_of(dev->syncs.next, struct nova_sync, link);

		list_del(&s->link);
		free(s);
	}

	close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

NOVA_EXPORT int nova_device_fd(const struct nova_device *dev)
{
	return dev->fd;
}

NOVA_EXPORT const char *nova_device_path(const struct nova_device *dev)
{
	return dev->path;
}

NOVA_EXPORT int nova_get_param(struct nova_device *dev, enum nova_param param,
			       uint64_t *value)
{
	if (!dev || !value)
		return -EINVAL;

	return get_param_fd(dev->fd, param, value);
}

NOVA_EXPORT int nova_query_info(struct nova_device *dev, struct nova_info *info)
{
	uint64_t v[NOVA_PARAM_MAX_VMS + 1];
	int ret;

	if (!dev || !info)
		return -EINVAL;

	for (int p = NOVA_PARAM_VRAM_BAR_SIZE; p <= NOVA_PARAM_MAX_VMS; p++) {
		ret = get_param_fd(dev->fd, p, &v[p]);
		if (ret)
			return ret;
	}

	memset(info, 0, sizeof(*info));
	info->bar1_size = v[NOVA_PARAM_VRAM_BAR_SIZE];
	info->vram_total = v[NOVA_PARAM_VRAM_TOTAL];
	info->vram_usable = v[NOVA_PARAM_VRAM_USABLE];
	info->vram_used = v[NOVA_PARAM_VRAM_USED];
	info->chipset = v[NOVA_PARAM_CHIPSET];
	info->mmu_version = v[NOVA_PARAM_MMU_VERSION];
	info->va_bits = v[NOVA_PARAM_VA_BITS];
	info->page_sizes = v[NOVA_PARAM_PAGE_SIZES];
	info->va_start = v[NOVA_PARAM_VA_START];
	info->va_end = v[NOVA_PARAM_VA_END];
	info->bar1_used = v[NOVA_PARAM_BAR1_USED];
	info->max_bind_ops = v[NOVA_PARAM_MAX_BIND_OPS];
	info->max_bo_size = v[NOVA_PARAM_MAX_BO_SIZE];
	info->max_vms = v[NOVA_PARAM_MAX_VMS];
	return 0;
}

/* ---- buffer objects ---- */

NOVA_EXPORT int nova_gem_info(struct nova_device *dev, uint32_t handle,
			      uint64_t *size, uint64_t *mmap_offset)
{
	struct drm_nova_gem_info info = { .handle = handle };
	int ret;

	if (!dev)
		return -EINVAL;

	ret = ioctl_err(dev->fd, DRM_IOCTL_NOVA_GEM_INFO, &info);
	if (ret)
		return ret;
	if (size)
		*size = info.size;
	if (mmap_offset)
		*mmap_offset = info.mmap_offset;
	return 0;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

/* A new BO for @handle, added to the device's list; dev->lock held. */
static int bo_wrap(struct nova_device *dev, uint32_t handle, struct nova_bo **out)
{
	struct nova_bo *bo;
	int ret;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;

	ret = nova_gem_info(dev, handle, &bo->size, &bo->mmap_offset);
	if (ret) {
		free(bo);
		return ret;
	}

	bo->dev = dev;
	bo->handle = handle;
	bo->refcount = 1;
	pthread_mutex_init(&bo->map_lock, NULL);
	list_add(&bo->link, &dev->bos);
	*out = bo;
	return 0;
}

NOVA_EXPORT int nova_bo_create(struct nova_device *dev, uint64_t size,
			       uint32_t flags, struct nova_bo **out)
{
	struct drm_nova_gem_create create = { .flags = flags, .size = size };
	int ret;

	if (!dev || !out)
		return -EINVAL;

	ret = ioctl_err(dev->fd, DRM_IOCTL_NOVA_GEM_CREATE, &create);
	if (ret)
		return ret;

	pthread_mutex_lock(&dev->lock);
	ret = bo_wrap(dev, create.handle, out);
	pthread_mutex_unlock(&dev->lock);
	if (ret)
		gem_close(dev->fd, create.handle);
	return ret;
}

NOVA_EXPORT struct nova_bo *nova_bo_ref(struct nova_bo *bo)
{
	pthread_mutex_lock(&bo->dev->lock);
	bo->refcount++;
	pthread_mutex_unlock(&bo->dev->lock);
	return bo;
}

NOVA_EXPORT void nova_bo_unref(struct nova_bo *bo)
{
	struct nova_device *dev;
	bool last;

	if (!bo)
		return;

	dev = bo->dev;
	pthread_mutex_lock(&dev->lock);
	last = --bo->refcount == 0;
	if (last) {
		list_del(&bo->link);
		/* close under the lock so a concurrent import of the same
		 * buffer cannot get this handle back before it is gone */
		gem_close(dev->fd, bo->handle);
	}
	pthread_mutex_unlock(&dev->lock);

	if (last)
		bo_free(bo);
}

NOVA_EXPORT uint32_t nova_bo_handle(const struct nova_bo *bo)
{
	return bo->handle;
}

NOVA_EXPORT uint64_t nova_bo_size(const struct nova_bo *bo)
{
	return bo->size;
}

NOVA_EXPORT int nova_bo_mmap(struct nova_bo *bo, void **ptr)
{
	int ret = 0;

	if (!bo || !ptr)
		return -EINVAL;

	pthread_mutex_lock(&bo->map_lock);
	if (!bo->map) {
		void *map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 bo->dev->fd, bo->mmap_offset);

		if (map == MAP_FAILED)
			ret = -errno;
		else
			bo->map = map;
	}
	if (!ret) {
		bo->map_count++;
		*ptr = bo->map;
	}
	pthread_mutex_unlock(&bo->map_lock);
	return ret;
}

NOVA_EXPORT int nova_bo_munmap(struct nova_bo *bo)
{
	int ret = 0;

	if (!bo)
		return -EINVAL;

	pthread_mutex_lock(&bo->map_lock);
	if (!bo->map_count) {
		ret = -EINVAL;
	} else if (--bo->map_count == 0) {
		if (munmap(bo->map, bo->size))
			ret = -errno;
		bo->map = NULL;
	}
	pthread_mutex_unlock(&bo->map_lock);
	return ret;
}

NOVA_EXPORT int nova_bo_export(struct nova_bo *bo, uint32_t flags, int *fd)
{
	if (!bo || !fd)
		return -EINVAL;

	return drm_err(drmPrimeHandleToFD(bo->dev->fd, bo->handle, flags, fd));
}

NOVA_EXPORT int nova_bo_import(struct nova_device *dev, int fd, struct nova_bo **out)
{
	struct list *it;
	uint32_t handle;
	int ret;

	if (!dev || !out)
		return -EINVAL;

	pthread_mutex_lock(&dev->lock);
	ret = drm_err(drmPrimeFDToHandle(dev->fd, fd, &handle));
	if (ret)
		goto out;

	/* The same buffer imported twice has one handle: share the BO. */
	for (it = dev->bos.next; it != &dev->bos; it = it->next) {
		struct nova_bo *bo = container_of(it, struct nova_bo, link);

		if (bo->handle == handle) {
			bo->refcount++;
			*out = bo;
			goto out;
		}
	}

	ret = bo_wrap(dev, handle, out);
	if (ret)
		gem_close(dev->fd, handle);
out:
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* ---- VMs and binds ---- */

NOVA_EXPORT int nova_vm_create(struct nova_device *dev, struct nova_vm **out)
{
	struct drm_nova_vm_create create = { 0 };
	struct nova_vm *vm;
	int ret;

	if (!dev || !out)
		return -EINVAL;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;

	ret = ioctl_err(dev->fd, DRM_IOCTL_NOVA_VM_CREATE, &create);
	if (ret) {
		free(vm);
		return ret;
	}

	vm->dev = dev;
	vm->id = create.id;
	pthread_mutex_lock(&dev->lock);
	list_add(&vm->link, &dev->vms);
	pthread_mutex_unlock(&dev->lock);
	*out = vm;
	return 0;
}

NOVA_EXPORT int nova_vm_destroy(struct nova_vm *vm)
{
	struct drm_nova_vm_destroy destroy = { 0 };
	int ret;

	if (!vm)
		return 0;

	destroy.id = vm->id;
	ret = ioctl_err(vm->dev->fd, DRM_IOCTL_NOVA_VM_DESTROY, &destroy);

	pthread_mutex_lock(&vm->dev->lock);
	list_del(&vm->link);
	pthread_mutex_unlock(&vm->dev->lock);
	free(vm);
	return ret;
}

NOVA_EXPORT uint32_t nova_vm_id(const struct nova_vm *vm)
{
	return vm->id;
}

NOVA_EXPORT int nova_vm_bind(struct nova_vm *vm, uint32_t flags,
			     const struct nova_bind_op *ops, unsigned int num_ops,
			     const struct nova_sync_point *syncs, unsigned int num_syncs)
{
	struct drm_nova_vm_bind_op stack_ops[8], *kops = stack_ops;
	struct drm_nova_sync stack_syncs[8], *ksyncs = stack_syncs;
	struct drm_nova_vm_bind bind = { 0 };
	int ret;

	if (!vm || (num_ops && !ops) || (num_syncs && !syncs))
		return -EINVAL;

	if (num_ops > 8) {
		kops = calloc(num_ops, sizeof(*kops));
		if (!kops)
			return -ENOMEM;
	}
	if (num_syncs > 8) {
		ksyncs = calloc(num_syncs, sizeof(*ksyncs));
		if (!ksyncs) {
			ret = -ENOMEM;
			goto out;
		}
	}

	for (unsigned int i = 0; i < num_ops; i++) {
		memset(&kops[i], 0, sizeof(kops[i]));
		kops[i].op = ops[i].op;
		kops[i].flags = ops[i].flags;
		kops[i].handle = ops[i].bo ? ops[i].bo->handle : 0;
		kops[i].bo_offset = ops[i].bo_offset;
		kops[i].va = ops[i].va;
		kops[i].range = ops[i].range;
	}

	for (unsigned int i = 0; i < num_syncs; i++) {
		const struct nova_sync *s = syncs[i].sync;

		if (!s) {
			ret = -EINVAL;
			goto out;
		}
		memset(&ksyncs[i], 0, sizeof(ksyncs[i]));
		ksyncs[i].flags = s->timeline ? NOVA_SYNC_TIMELINE_SYNCOBJ : NOVA_SYNC_SYNCOBJ;
		if (syncs[i].flags & NOVA_SYNC_POINT_SIGNAL)
			ksyncs[i].flags |= NOVA_SYNC_SIGNAL;
		ksyncs[i].handle = s->handle;
		ksyncs[i].timeline_value = s->timeline ? syncs[i].point : 0;
	}

	bind.vm_id = vm->id;
	bind.flags = flags;
	bind.ops.stride = sizeof(*kops);
	bind.ops.count = num_ops;
	bind.ops.array = (uintptr_t)kops;
	bind.syncs.stride = sizeof(*ksyncs);
	bind.syncs.count = num_syncs;
	bind.syncs.array = num_syncs ? (uintptr_t)ksyncs : 0;

	ret = ioctl_err(vm->dev->fd, DRM_IOCTL_NOVA_VM_BIND, &bind);
out:
	if (kops != stack_ops)
		free(kops);
	if (ksyncs != stack_syncs)
		free(ksyncs);
	return ret;
}

NOVA_EXPORT int nova_vm_map(struct nova_vm *vm, struct nova_bo *bo, uint64_t bo_offset,
			    uint64_t va, uint64_t range, uint32_t flags)
{
	struct nova_bind_op op = {
		.op = NOVA_BIND_MAP, .flags = flags, .bo = bo,
		.bo_offset = bo_offset, .va = va, .range = range,
	};

	if (!bo)
		return -EINVAL;

	return nova_vm_bind(vm, 0, &op, 1, NULL, 0);
}

NOVA_EXPORT int nova_vm_unmap(struct nova_vm *vm, uint64_t va, uint64_t range)
{
	struct nova_bind_op op = { .op = NOVA_BIND_UNMAP, .va = va, .range = range };

	return nova_vm_bind(vm, 0, &op, 1, NULL, 0);
}

NOVA_EXPORT int nova_vm_get_state(struct nova_vm *vm, uint32_t flags,
				  struct nova_vm_state *state,
				  struct nova_vm_fault *faults, uint32_t max_faults)
{
	struct drm_nova_vm_fault stack_faults[16], *kfaults = stack_faults;
	struct drm_nova_vm_get_state gs = { 0 };
	int ret;

	if (!vm || !state || (max_faults && !faults))
		return -EINVAL;

	if (max_faults > 16) {
		kfaults = calloc(max_faults, sizeof(*kfaults));
		if (!kfaults)
			return -ENOMEM;
	}

	gs.vm_id = vm->id;
	gs.flags = flags;
	gs.faults.stride = sizeof(*kfaults);
	gs.faults.count = max_faults;
	gs.faults.array = max_faults ? (uintptr_t)kfaults : 0;

	ret = ioctl_err(vm->dev->fd, DRM_IOCTL_NOVA_VM_GET_STATE, &gs);
	if (!ret) {
		memset(state, 0, sizeof(*state));
		state->usable = gs.state == NOVA_VM_STATE_USABLE;
		state->bind_error = gs.bind_error;
		state->num_mappings = gs.num_mappings;
		state->fault_count = gs.fault_count;
		state->mapped_bytes = gs.mapped_bytes;
		state->pt_bytes = gs.pt_bytes;
		state->num_faults = gs.faults.count < max_faults ? gs.faults.count : max_faults;
		for (uint32_t i = 0; i < state->num_faults; i++) {
			faults[i].va = kfaults[i].va;
			faults[i].access = kfaults[i].access;
			faults[i].reason = kfaults[i].reason;
		}
	}

	if (kfaults != stack_faults)
		free(kfaults);
	return ret;
}

/* ---- syncs ---- */

NOVA_EXPORT int nova_sync_create(struct nova_device *dev, bool timeline, bool signaled,
				 struct nova_sync **out)
{
	struct nova_sync *s;
	int ret;

	if (!dev || !out || (timeline && signaled))
		return -EINVAL;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;

	ret = drm_err(drmSyncobjCreate(dev->fd, signaled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
				       &s->handle));
	if (ret) {
		free(s);
		return ret;
	}

	s->dev = dev;
	s->timeline = timeline;
	pthread_mutex_lock(&dev->lock);
	list_add(&s->link, &dev->syncs);
	pthread_mutex_unlock(&dev->lock);
	*out = s;
	return 0;
}

NOVA_EXPORT void nova_sync_destroy(struct nova_sync *s)
{
	if (!s)
		return;

	drmSyncobjDestroy(s->dev->fd, s->handle);
	pthread_mutex_lock(&s->dev->lock);
	list_del(&s->link);
	pthread_mutex_unlock(&s->dev->lock);
	free(s);
}

NOVA_EXPORT uint32_t nova_sync_handle(const struct nova_sync *s)
{
	return s->handle;
}

NOVA_EXPORT bool nova_sync_is_timeline(const struct nova_sync *s)
{
	return s->timeline;
}

static int64_t abs_timeout(int64_t timeout_ns)
{
	struct timespec ts;
	int64_t now;

	if (timeout_ns < 0)
		return INT64_MAX;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
	return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

NOVA_EXPORT int nova_sync_wait(struct nova_sync *s, uint64_t point, int64_t timeout_ns)
{
	const unsigned int flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	uint32_t handle;

	if (!s)
		return -EINVAL;

	handle = s->handle;
	if (s->timeline)
		return drm_err(drmSyncobjTimelineWait(s->dev->fd, &handle, &point, 1,
						      abs_timeout(timeout_ns), flags, NULL));

	return drm_err(drmSyncobjWait(s->dev->fd, &handle, 1, abs_timeout(timeout_ns),
				      flags, NULL));
}

NOVA_EXPORT int nova_sync_signal(struct nova_sync *s, uint64_t point)
{
	if (!s)
		return -EINVAL;

	if (s->timeline)
		return drm_err(drmSyncobjTimelineSignal(s->dev->fd, &s->handle, &point, 1));

	return drm_err(drmSyncobjSignal(s->dev->fd, &s->handle, 1));
}

NOVA_EXPORT int nova_sync_query(struct nova_sync *s, uint64_t *point)
{
	uint32_t handle;

	if (!s || !point || !s->timeline)
		return -EINVAL;

	handle = s->handle;
	return drm_err(drmSyncobjQuery(s->dev->fd, &handle, point, 1));
}

NOVA_EXPORT int nova_sync_reset(struct nova_sync *s)
{
	if (!s)
		return -EINVAL;

	return drm_err(drmSyncobjReset(s->dev->fd, &s->handle, 1));
}
