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

/*
 * libnova.h turns these names into macros passing the caller's struct
 * sizes; the library also exports them as functions for binaries built
 * against 0.1, with 0.1's struct sizes.
 */
#undef nova_enumerate
#undef nova_query_info
#undef nova_vm_get_state

/* The struct sizes of libnova 0.1. */
#define DESC_SIZE_V0 offsetof(struct nova_device_desc, open_error)
#define INFO_SIZE_V0 offsetof(struct nova_info, copy_class)
#define VM_STATE_SIZE_V0 offsetof(struct nova_vm_state, null_bytes)
#define VM_FAULT_SIZE_V0 sizeof(struct nova_vm_fault)
_Static_assert(DESC_SIZE_V0 == 164, "0.1 layout of struct nova_device_desc");
_Static_assert(INFO_SIZE_V0 == 104, "0.1 layout of struct nova_info");
_Static_assert(VM_STATE_SIZE_V0 == 40, "0.1 layout of struct nova_vm_state");
_Static_assert(VM_FAULT_SIZE_V0 == 16, "0.1 layout of struct nova_vm_fault");
/* ... and of 0.2, which only appended fields */
_Static_assert(offsetof(struct nova_device_desc, simulated) == 168,
	       "0.2 layout of struct nova_device_desc");
_Static_assert(sizeof(struct nova_device_desc) == 172,
	       "0.2 layout of struct nova_device_desc");
/* ... and of 0.4, which appended to struct nova_info */
_Static_assert(sizeof(struct nova_info) == 128, "0.4 layout of struct nova_info");

#define STR_(x) #x
#define STR(x) STR_(x)
#define LIBNOVA_VERSION_STRING \
	STR(LIBNOVA_VERSION_MAJOR) "." STR(LIBNOVA_VERSION_MINOR) "." \
	STR(LIBNOVA_VERSION_PATCH)

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
_Static_assert(NOVA_PARAM_COPY_CLASS == NOVA_GETPARAM_COPY_CLASS, "param");
_Static_assert(NOVA_PARAM_MAX_PUSHES == NOVA_GETPARAM_MAX_PUSHES, "param");
_Static_assert(NOVA_PARAM_MAX_CHANNELS == NOVA_GETPARAM_MAX_CHANNELS, "param");
_Static_assert(NOVA_PARAM_EXEC_TIMEOUT_MS == NOVA_GETPARAM_EXEC_TIMEOUT_MS, "param");
_Static_assert(NOVA_PUSH_NO_PREFETCH == NOVA_EXEC_PUSH_NO_PREFETCH, "flag");
_Static_assert(NOVA_BIND_MAP == NOVA_VM_BIND_OP_MAP, "op");
_Static_assert(NOVA_BIND_UNMAP == NOVA_VM_BIND_OP_UNMAP, "op");
_Static_assert(NOVA_BIND_READ_ONLY == NOVA_VM_BIND_OP_READ_ONLY, "flag");
_Static_assert(NOVA_BIND_NULL == NOVA_VM_BIND_OP_NULL, "flag");
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
	struct list bos, vms, syncs, channels;
	/* nova_device_wrap(): in wrapped_devices, under wrap_lock */
	struct list wrap_link;
	unsigned int refcount;
	char key[PATH_MAX];	/* the sysfs device, or "rdev:MAJ:MIN" */
};

static pthread_mutex_t wrap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct list wrapped_devices = { &wrapped_devices, &wrapped_devices };

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

struct nova_channel {
	struct nova_device *dev;
	struct nova_vm *vm;
	struct list link;
	uint32_t id;
	uint32_t hclass;
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
	case ECANCELED:
		return "canceled (the channel is dead or the VM unusable)";
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

NOVA_EXPORT uint32_t nova_get_version(void)
{
	return LIBNOVA_VERSION;
}

NOVA_EXPORT const char *nova_get_version_string(void)
{
	return LIBNOVA_VERSION_STRING;
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

/* The sysfs directory of character device @rdev: /sys/dev/char/MAJ:MIN. */
static void sysfs_char_dir(dev_t rdev, char *buf, size_t size)
{
	snprintf(buf, size, "/sys/dev/char/%u:%u", major(rdev), minor(rdev));
}

/*
 * Whether sysfs says a nova driver drives the DRM node @rdev: the
 * device's driver (nova-core's PCI driver "nova-core") has "nova" in its
 * name. Only a pre-filter: the DRM driver name is checked
 * once the node is open.
 */
static bool rdev_driver_is_nova(dev_t rdev)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *name;
	ssize_t n;

	sysfs_char_dir(rdev, path, sizeof(path));
	strncat(path, "/device/driver", sizeof(path) - strlen(path) - 1);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	return strcasestr(name, "nova") != NULL;
}

/*
 * See nova_device_is_simulated(). nova-sim's PCI host bridge sits below
 * its root device: /sys/devices/nova-sim/pci0001:00/0001:00:00.0.
 */
static int rdev_is_simulated(dev_t rdev)
{
	char path[PATH_MAX], real[PATH_MAX], *comp, *save = NULL;
	bool sim = false;

	sysfs_char_dir(rdev, path, sizeof(path));
	strncat(path, "/device", sizeof(path) - strlen(path) - 1);
	if (!realpath(path, real))
		return -errno;

	for (comp = strtok_r(real, "/", &save); comp; comp = strtok_r(NULL, "/", &save))
		if (!strncmp(comp, "nova-sim", 8))
			sim = true;
	return sim;
}

/* The primary node of the device owning node @rdev, from sysfs. */
static void primary_of(dev_t rdev, char *out, size_t size)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	out[0] = '\0';
	sysfs_char_dir(rdev, dir, sizeof(dir));
	strncat(dir, "/device/drm", sizeof(dir) - strlen(dir) - 1);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "card", 4) &&
		    isdigit((unsigned char)de->d_name[4]) &&
		    strlen(de->d_name) < 32) {
			snprintf(out, size, "/dev/dri/%.31s", de->d_name);
			break;
		}
	}
	closedir(d);
}

/* What nova_enumerate_ext() collects before copying out. */
struct found {
	struct nova_device_desc *descs;
	dev_t *rdevs;
	int count, room;
};

/* Add node @render if sysfs and then DRM say nova drives it, once. */
static int add_candidate(struct found *f, const char *render, const char *primary,
			 const char *bus_id)
{
	struct nova_device_desc *desc;
	uint64_t chipset = 0;
	struct stat st;
	int fd, i;

	if (stat(render, &st) || !S_ISCHR(st.st_mode))
		return 0;
	for (i = 0; i < f->count; i++)
		if (f->rdevs[i] == st.st_rdev)
			return 0;
	if (!rdev_driver_is_nova(st.st_rdev))
		return 0;

	if (f->count == f->room) {
		int room = f->room ? 2 * f->room : 8;
		struct nova_device_desc *d = realloc(f->descs, room * sizeof(*d));
		dev_t *r;

		if (!d)
			return -ENOMEM;
		f->descs = d;
		r = realloc(f->rdevs, room * sizeof(*r));
		if (!r)
			return -ENOMEM;
		f->rdevs = r;
		f->room = room;
	}
	desc = &f->descs[f->count];
	memset(desc, 0, sizeof(*desc));

	fd = open(render, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		desc->open_error = -errno;
	} else {
		bool nova = fd_is_nova(fd);

		if (nova)
			get_param_fd(fd, NOVA_GETPARAM_CHIPSET, &chipset);
		close(fd);
		if (!nova)
			return 0;
	}

	snprintf(desc->render_node, sizeof(desc->render_node), "%s", render);
	if (primary && primary[0])
		snprintf(desc->primary_node, sizeof(desc->primary_node), "%s", primary);
	else
		primary_of(st.st_rdev, desc->primary_node, sizeof(desc->primary_node));
	snprintf(desc->bus_id, sizeof(desc->bus_id), "%s", bus_id ? bus_id : "");
	desc->chipset = chipset;
	desc->simulated = rdev_is_simulated(st.st_rdev) > 0;
	f->rdevs[f->count++] = st.st_rdev;
	return 0;
}

static int cmp_render_minor(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	long nx = strtol(x + strlen("renderD"), NULL, 10);
	long ny = strtol(y + strlen("renderD"), NULL, 10);

	return (nx > ny) - (nx < ny);
}

/* Every /dev/dri/renderD* node, in minor order. */
static int scan_render_nodes(struct found *f)
{
	char **names = NULL, **tmp;
	int n = 0, room = 0, ret = 0, i;
	struct dirent *de;
	DIR *d;

	d = opendir("/dev/dri");
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "renderD", 7) || !isdigit((unsigned char)de->d_name[7]))
			continue;
		if (n == room) {
			room = room ? 2 * room : 16;
			tmp = realloc(names, room * sizeof(*names));
			if (!tmp) {
				ret = -ENOMEM;
				goto out;
			}
			names = tmp;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			ret = -ENOMEM;
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_render_minor);
	for (i = 0; i < n && !ret; i++) {
		char render[300];

		snprintf(render, sizeof(render), "/dev/dri/%s", names[i]);
		ret = add_candidate(f, render, NULL, NULL);
	}
out:
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* Sort @f's devices by render node minor (insertion sort: a few devices). */
static void sort_by_minor(struct found *f)
{
	int i, j;

	for (i = 1; i < f->count; i++) {
		struct nova_device_desc d = f->descs[i];
		dev_t r = f->rdevs[i];

		for (j = i; j > 0 && minor(f->rdevs[j - 1]) > minor(r); j--) {
			f->descs[j] = f->descs[j - 1];
			f->rdevs[j] = f->rdevs[j - 1];
		}
		f->descs[j] = d;
		f->rdevs[j] = r;
	}
}

/*
 * @openable_only: leave out the nodes that could not be opened, as 0.1's
 * nova_enumerate() did.
 */
static int enumerate(struct nova_device_desc *descs, int max, size_t desc_size,
		     bool openable_only)
{
	struct found f = { 0 };
	drmDevicePtr *devs = NULL;
	int n, i, count = 0, ret = 0;

	/* as in 0.1: no array (or no room) only counts */
	if (!descs || max < 0)
		max = 0;
	if (max && !desc_size)
		return -EINVAL;

	n = drmGetDevices2(0, NULL, 0);
	if (n > 0) {
		devs = calloc(n, sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		n = drmGetDevices2(0, devs, n);
	}
	for (i = 0; i < n && !ret; i++) {
		drmDevicePtr d = devs[i];
		char bus[32] = "";

		if (!(d->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		if (d->bustype == DRM_BUS_PCI && d->businfo.pci)
			snprintf(bus, sizeof(bus), "%04x:%02x:%02x.%x",
				 d->businfo.pci->domain, d->businfo.pci->bus,
				 d->businfo.pci->dev, d->businfo.pci->func);
		ret = add_candidate(&f, d->nodes[DRM_NODE_RENDER],
				    (d->available_nodes & (1 << DRM_NODE_PRIMARY)) ?
				    d->nodes[DRM_NODE_PRIMARY] : NULL, bus);
	}
	if (devs) {
		if (n > 0)
			drmFreeDevices(devs, n);
		free(devs);
	}

	/*
	 * nova's DRM devices are children of the GPU's PCI device, which
	 * drmGetDevices2() lists. It skips devices on buses libdrm does not
	 * know (and a libdrm may fail to parse a device): look at the render
	 * nodes too, checking sysfs first (nodes found above are not added
	 * twice, other GPUs are not opened).
	 */
	if (!ret)
		ret = scan_render_nodes(&f);
	/* The order of the render nodes, whatever order libdrm found them in. */
	if (!ret)
		sort_by_minor(&f);

	if (!ret) {
		for (i = 0; i < f.count; i++) {
			size_t len = desc_size < sizeof(f.descs[i]) ? desc_size :
				     sizeof(f.descs[i]);
			char *dst;

			if (openable_only && f.descs[i].open_error)
				continue;
			if (count < max) {
				dst = (char *)descs + (size_t)count * desc_size;
				memcpy(dst, &f.descs[i], len);
				if (desc_size > len)
					memset(dst + len, 0, desc_size - len);
			}
			count++;
		}
		ret = count;
	}
	free(f.descs);
	free(f.rdevs);
	return ret;
}

NOVA_EXPORT int nova_enumerate_ext(struct nova_device_desc *descs, int max,
				   size_t desc_size)
{
	return enumerate(descs, max, desc_size, false);
}

/* 0.1's: only the devices it could open, in 0.1's layout. */
NOVA_EXPORT int nova_enumerate(struct nova_device_desc *descs, int max)
{
	return enumerate(descs, max, DESC_SIZE_V0, true);
}

static struct nova_device *device_alloc(int fd)
{
	struct nova_device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return NULL;
	dev->fd = fd;
	dev->refcount = 1;
	pthread_mutex_init(&dev->lock, NULL);
	list_init(&dev->bos);
	list_init(&dev->vms);
	list_init(&dev->syncs);
	list_init(&dev->channels);
	list_init(&dev->wrap_link);
	return dev;
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

	dev = device_alloc(fd);
	if (!dev) {
		close(fd);
		return -ENOMEM;
	}
	snprintf(dev->path, sizeof(dev->path), "%s", path);
	*out = dev;
	return 0;
}

/* What identifies the GPU behind DRM fd @fd: its sysfs device. */
static int device_key(int fd, char *key, size_t size)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENODEV;
	sysfs_char_dir(st.st_rdev, path, sizeof(path));
	strncat(path, "/device", sizeof(path) - strlen(path) - 1);
	if (realpath(path, real))
		snprintf(key, size, "%s", real);
	else
		snprintf(key, size, "rdev:%u:%u", major(st.st_rdev), minor(st.st_rdev));
	return 0;
}

NOVA_EXPORT int nova_device_wrap(int fd, struct nova_device **out)
{
	struct nova_device *dev;
	char key[PATH_MAX];
	struct list *it;
	char *name;
	int ret, dup_fd;

	if (!out)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;

	ret = device_key(fd, key, sizeof(key));
	if (ret)
		return ret;
	if (!fd_is_nova(fd))
		return -ENODEV;

	pthread_mutex_lock(&wrap_lock);
	for (it = wrapped_devices.next; it != &wrapped_devices; it = it->next) {
		uint64_t chipset;

		dev = container_of(it, struct nova_device, wrap_link);
		if (strcmp(dev->key, key))
			continue;
		/*
		 * After an unbind and rebind the sysfs device is the same but
		 * the device's file is dead (ioctls fail with -ENODEV): its
		 * owners keep it, new wraps get a new device.
		 */
		if (get_param_fd(dev->fd, NOVA_GETPARAM_CHIPSET, &chipset)) {
			list_del(&dev->wrap_link);
			break;
		}
		dev->refcount++;
		*out = dev;
		goto out;
	}

	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0) {
		ret = -errno;
		goto out;
	}
	dev = device_alloc(dup_fd);
	if (!dev) {
		close(dup_fd);
		ret = -ENOMEM;
		goto out;
	}
	snprintf(dev->key, sizeof(dev->key), "%s", key);
	name = drmGetDeviceNameFromFd2(dup_fd);
	snprintf(dev->path, sizeof(dev->path), "%s", name ? name : "");
	free(name);
	list_add(&dev->wrap_link, &wrapped_devices);
	*out = dev;
out:
	pthread_mutex_unlock(&wrap_lock);
	return ret;
}

NOVA_EXPORT int nova_device_open_index(int index, struct nova_device **out)
{
	struct nova_device_desc *descs;
	int n, ret;

	if (index < 0 || !out)
		return -EINVAL;

	/* as in 0.1: the index counts the devices that can be opened */
	n = enumerate(NULL, 0, sizeof(*descs), true);
	if (n < 0)
		return n;
	if (index >= n)
		return -ENODEV;

	descs = calloc(n, sizeof(*descs));
	if (!descs)
		return -ENOMEM;
	n = enumerate(descs, n, sizeof(*descs), true);
	if (n < 0)
		ret = n;
	else if (index >= n)
		ret = -ENODEV;
	else
		ret = nova_device_open(descs[index].render_node, out);
	free(descs);
	return ret;
}

NOVA_EXPORT int nova_device_driver_version(struct nova_device *dev, int *major,
					   int *minor, int *patchlevel)
{
	drmVersionPtr v;

	if (!dev)
		return -EINVAL;
	v = drmGetVersion(dev->fd);
	if (!v)
		return errno ? -errno : -EIO;
	if (major)
		*major = v->version_major;
	if (minor)
		*minor = v->version_minor;
	if (patchlevel)
		*patchlevel = v->version_patchlevel;
	drmFreeVersion(v);
	return 0;
}

NOVA_EXPORT int nova_device_is_simulated(struct nova_device *dev)
{
	struct stat st;

	if (!dev)
		return -EINVAL;
	if (fstat(dev->fd, &st))
		return -errno;
	return rdev_is_simulated(st.st_rdev);
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

	pthread_mutex_lock(&wrap_lock);
	if (--dev->refcount) {
		pthread_mutex_unlock(&wrap_lock);
		return;
	}
	list_del(&dev->wrap_link);
	pthread_mutex_unlock(&wrap_lock);

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
	while (dev->channels.next != &dev->channels) {
		struct nova_channel *ch = container_of(dev->channels.next,
						       struct nova_channel, link);

		list_del(&ch->link);
		free(ch);
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

/* Copy @size bytes of @src (of @known bytes) to @dst, zero-extending. */
static void copy_sized(void *dst, size_t size, const void *src, size_t known)
{
	size_t len = size < known ? size : known;

	memcpy(dst, src, len);
	if (size > len)
		memset((char *)dst + len, 0, size - len);
}

static int query_info(struct nova_device *dev, struct nova_info *out, size_t size)
{
	uint64_t v[NOVA_PARAM_EXEC_TIMEOUT_MS + 1];
	struct nova_info tmp, *info = &tmp;
	int ret;

	if (!dev || !out || !size)
		return -EINVAL;

	for (int p = NOVA_PARAM_VRAM_BAR_SIZE; p <= NOVA_PARAM_EXEC_TIMEOUT_MS; p++) {
		ret = get_param_fd(dev->fd, p, &v[p]);
		/* a kernel before channels: their parameters read as 0 */
		if (ret == -EINVAL && p >= NOVA_PARAM_COPY_CLASS)
			v[p] = 0;
		else if (ret)
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
	info->copy_class = v[NOVA_PARAM_COPY_CLASS];
	info->exec_timeout_ms = v[NOVA_PARAM_EXEC_TIMEOUT_MS];
	info->max_pushes = v[NOVA_PARAM_MAX_PUSHES];
	info->max_channels = v[NOVA_PARAM_MAX_CHANNELS];
	copy_sized(out, size, info, sizeof(*info));
	return 0;
}

NOVA_EXPORT int nova_query_info_ext(struct nova_device *dev, struct nova_info *info,
				    size_t info_size)
{
	return query_info(dev, info, info_size);
}

NOVA_EXPORT int nova_query_info(struct nova_device *dev, struct nova_info *info)
{
	return query_info(dev, info, INFO_SIZE_V0);
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

/* The uAPI's form of @n sync points; -EINVAL for a point without a sync. */
/*
 * Arrays handed to the kernel: small ones live in the caller's stack
 * buffer (stack_n elements), larger ones on the heap. Contents are zeroed
 * either way, so padding and reserved fields reach the kernel as zero.
 * Returns NULL only when the heap allocation fails; release with
 * karray_put() whatever karray_get() returned.
 */
static void *karray_get(void *stack, size_t stack_n, size_t n, size_t size)
{
	if (n > stack_n)
		return calloc(n, size);
	memset(stack, 0, stack_n * size);
	return stack;
}

static void karray_put(void *p, void *stack)
{
	if (p != stack)
		free(p);
}

#define KARRAY_GET(stack, n) \
	karray_get(stack, sizeof(stack) / sizeof((stack)[0]), n, sizeof((stack)[0]))

static int syncs_to_kernel(const struct nova_sync_point *syncs, unsigned int n,
			   struct drm_nova_sync *ksyncs)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct nova_sync *s = syncs[i].sync;

		if (!s)
			return -EINVAL;
		memset(&ksyncs[i], 0, sizeof(ksyncs[i]));
		ksyncs[i].flags = s->timeline ? NOVA_SYNC_TIMELINE_SYNCOBJ : NOVA_SYNC_SYNCOBJ;
		if (syncs[i].flags & NOVA_SYNC_POINT_SIGNAL)
			ksyncs[i].flags |= NOVA_SYNC_SIGNAL;
		ksyncs[i].handle = s->handle;
		ksyncs[i].timeline_value = s->timeline ? syncs[i].point : 0;
	}
	return 0;
}

NOVA_EXPORT int nova_vm_bind(struct nova_vm *vm, uint32_t flags,
			     const struct nova_bind_op *ops, unsigned int num_ops,
			     const struct nova_sync_point *syncs, unsigned int num_syncs)
{
	struct drm_nova_vm_bind_op stack_ops[8], *kops;
	struct drm_nova_sync stack_syncs[8], *ksyncs;
	struct drm_nova_vm_bind bind = { 0 };
	int ret;

	if (!vm || (num_ops && !ops) || (num_syncs && !syncs))
		return -EINVAL;

	kops = KARRAY_GET(stack_ops, num_ops);
	ksyncs = KARRAY_GET(stack_syncs, num_syncs);
	if (!kops || !ksyncs) {
		ret = -ENOMEM;
		goto out;
	}

	for (unsigned int i = 0; i < num_ops; i++) {
		kops[i].op = ops[i].op;
		kops[i].flags = ops[i].flags;
		kops[i].handle = ops[i].bo ? ops[i].bo->handle : 0;
		kops[i].bo_offset = ops[i].bo_offset;
		kops[i].va = ops[i].va;
		kops[i].range = ops[i].range;
	}

	ret = syncs_to_kernel(syncs, num_syncs, ksyncs);
	if (ret)
		goto out;

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
	karray_put(kops, stack_ops);
	karray_put(ksyncs, stack_syncs);
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

NOVA_EXPORT int nova_vm_bind_null(struct nova_vm *vm, uint64_t va, uint64_t range)
{
	struct nova_bind_op op = {
		.op = NOVA_BIND_MAP, .flags = NOVA_BIND_NULL, .va = va, .range = range,
	};

	return nova_vm_bind(vm, 0, &op, 1, NULL, 0);
}

static int vm_get_state(struct nova_vm *vm, uint32_t flags,
			struct nova_vm_state *out, size_t state_size,
			struct nova_vm_fault *faults, uint32_t max_faults,
			size_t fault_size)
{
	struct drm_nova_vm_fault stack_faults[16], *kfaults;
	struct drm_nova_vm_get_state gs = { 0 };
	struct nova_vm_state state;
	int ret;

	if (!vm || !out || !state_size || (max_faults && (!faults || !fault_size)))
		return -EINVAL;

	kfaults = KARRAY_GET(stack_faults, max_faults);
	if (!kfaults)
		return -ENOMEM;

	gs.vm_id = vm->id;
	gs.flags = flags;
	gs.faults.stride = sizeof(*kfaults);
	gs.faults.count = max_faults;
	gs.faults.array = max_faults ? (uintptr_t)kfaults : 0;

	ret = ioctl_err(vm->dev->fd, DRM_IOCTL_NOVA_VM_GET_STATE, &gs);
	if (!ret) {
		memset(&state, 0, sizeof(state));
		state.usable = gs.state == NOVA_VM_STATE_USABLE;
		state.bind_error = gs.bind_error;
		state.num_mappings = gs.num_mappings;
		state.fault_count = gs.fault_count;
		state.mapped_bytes = gs.mapped_bytes;
		state.pt_bytes = gs.pt_bytes;
		state.null_bytes = gs.null_bytes;
		state.num_faults = gs.faults.count < max_faults ? gs.faults.count : max_faults;
		for (uint32_t i = 0; i < state.num_faults; i++) {
			struct nova_vm_fault f = {
				.va = kfaults[i].va,
				.access = kfaults[i].access,
				.reason = kfaults[i].reason,
			};

			copy_sized((char *)faults + (size_t)i * fault_size, fault_size,
				   &f, sizeof(f));
		}
		copy_sized(out, state_size, &state, sizeof(state));
	}

	karray_put(kfaults, stack_faults);
	return ret;
}

NOVA_EXPORT int nova_vm_get_state_ext(struct nova_vm *vm, uint32_t flags,
				      struct nova_vm_state *state, size_t state_size,
				      struct nova_vm_fault *faults, uint32_t max_faults,
				      size_t fault_size)
{
	return vm_get_state(vm, flags, state, state_size, faults, max_faults, fault_size);
}

NOVA_EXPORT int nova_vm_get_state(struct nova_vm *vm, uint32_t flags,
				  struct nova_vm_state *state,
				  struct nova_vm_fault *faults, uint32_t max_faults)
{
	return vm_get_state(vm, flags, state, VM_STATE_SIZE_V0, faults, max_faults,
			    VM_FAULT_SIZE_V0);
}

/* ---- syncs ---- */

/* A new sync for syncobj @handle; destroys @handle on failure. */
static int sync_wrap(struct nova_device *dev, uint32_t handle, bool timeline,
		     struct nova_sync **out)
{
	struct nova_sync *s = calloc(1, sizeof(*s));

	if (!s) {
		drmSyncobjDestroy(dev->fd, handle);
		return -ENOMEM;
	}
	s->dev = dev;
	s->handle = handle;
	s->timeline = timeline;
	pthread_mutex_lock(&dev->lock);
	list_add(&s->link, &dev->syncs);
	pthread_mutex_unlock(&dev->lock);
	*out = s;
	return 0;
}

NOVA_EXPORT int nova_sync_create(struct nova_device *dev, bool timeline, bool signaled,
				 struct nova_sync **out)
{
	uint32_t handle;
	int ret;

	if (!dev || !out || (timeline && signaled))
		return -EINVAL;

	ret = drm_err(drmSyncobjCreate(dev->fd, signaled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
				       &handle));
	if (ret)
		return ret;
	return sync_wrap(dev, handle, timeline, out);
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

NOVA_EXPORT int nova_sync_export(struct nova_sync *s, int *fd)
{
	if (!s || !fd)
		return -EINVAL;

	/* the kernel makes syncobj fds close-on-exec */
	return drm_err(drmSyncobjHandleToFD(s->dev->fd, s->handle, fd));
}

NOVA_EXPORT int nova_sync_import(struct nova_device *dev, int fd, bool timeline,
				 struct nova_sync **out)
{
	uint32_t handle;
	int ret;

	if (!dev || !out || fd < 0)
		return -EINVAL;

	ret = drm_err(drmSyncobjFDToHandle(dev->fd, fd, &handle));
	if (ret)
		return ret;
	return sync_wrap(dev, handle, timeline, out);
}

NOVA_EXPORT int nova_sync_export_sync_file(struct nova_sync *s, uint64_t point, int *fd)
{
	uint32_t tmp;
	int ret;

	if (!s || !fd)
		return -EINVAL;

	if (!s->timeline)
		return drm_err(drmSyncobjExportSyncFile(s->dev->fd, s->handle, fd));

	/* A timeline point: move its fence to a binary syncobj, export that. */
	ret = drm_err(drmSyncobjCreate(s->dev->fd, 0, &tmp));
	if (ret)
		return ret;
	ret = drm_err(drmSyncobjTransfer(s->dev->fd, tmp, 0, s->handle, point, 0));
	if (!ret)
		ret = drm_err(drmSyncobjExportSyncFile(s->dev->fd, tmp, fd));
	drmSyncobjDestroy(s->dev->fd, tmp);
	return ret;
}

NOVA_EXPORT int nova_sync_import_sync_file(struct nova_sync *s, uint64_t point, int fd)
{
	uint32_t tmp;
	int ret;

	if (!s || fd < 0)
		return -EINVAL;

	if (!s->timeline)
		return drm_err(drmSyncobjImportSyncFile(s->dev->fd, s->handle, fd));
	/* point 0 would replace the fence of the whole timeline */
	if (!point)
		return -EINVAL;

	/* Import into a binary syncobj, then add its fence at @point. */
	ret = drm_err(drmSyncobjCreate(s->dev->fd, 0, &tmp));
	if (ret)
		return ret;
	ret = drm_err(drmSyncobjImportSyncFile(s->dev->fd, tmp, fd));
	if (!ret)
		ret = drm_err(drmSyncobjTransfer(s->dev->fd, s->handle, point, tmp, 0, 0));
	drmSyncobjDestroy(s->dev->fd, tmp);
	return ret;
}

/* ---- channels and EXEC ---- */

NOVA_EXPORT int nova_channel_create(struct nova_vm *vm, uint32_t hclass,
				    struct nova_channel **out)
{
	struct drm_nova_channel_create create = { 0 };
	struct nova_channel *ch;
	uint64_t copy_class;
	int ret;

	if (!vm || !out)
		return -EINVAL;

	if (!hclass) {
		ret = get_param_fd(vm->dev->fd, NOVA_GETPARAM_COPY_CLASS, &copy_class);
		/* a kernel that does not know the parameter has no channels */
		if (ret == -EINVAL || (!ret && !copy_class))
			return -ENODEV;
		if (ret)
			return ret;
		if (copy_class > UINT32_MAX)
			return -EINVAL;
		hclass = copy_class;
	}

	ch = calloc(1, sizeof(*ch));
	if (!ch)
		return -ENOMEM;

	create.vm_id = vm->id;
	create.hclass = hclass;
	ret = ioctl_err(vm->dev->fd, DRM_IOCTL_NOVA_CHANNEL_CREATE, &create);
	if (ret) {
		free(ch);
		return ret;
	}

	ch->dev = vm->dev;
	ch->vm = vm;
	ch->id = create.id;
	ch->hclass = hclass;
	pthread_mutex_lock(&ch->dev->lock);
	list_add(&ch->link, &ch->dev->channels);
	pthread_mutex_unlock(&ch->dev->lock);
	*out = ch;
	return 0;
}

NOVA_EXPORT int nova_channel_destroy(struct nova_channel *ch)
{
	struct drm_nova_channel_destroy destroy = { 0 };
	int ret;

	if (!ch)
		return 0;

	destroy.id = ch->id;
	ret = ioctl_err(ch->dev->fd, DRM_IOCTL_NOVA_CHANNEL_DESTROY, &destroy);

	pthread_mutex_lock(&ch->dev->lock);
	list_del(&ch->link);
	pthread_mutex_unlock(&ch->dev->lock);
	free(ch);
	return ret;
}

NOVA_EXPORT uint32_t nova_channel_id(const struct nova_channel *ch)
{
	return ch->id;
}

NOVA_EXPORT uint32_t nova_channel_class(const struct nova_channel *ch)
{
	return ch->hclass;
}

NOVA_EXPORT struct nova_vm *nova_channel_vm(const struct nova_channel *ch)
{
	return ch->vm;
}

NOVA_EXPORT int nova_exec(struct nova_channel *ch, const struct nova_push *pushes,
			  unsigned int num_pushes, const struct nova_sync_point *syncs,
			  unsigned int num_syncs)
{
	struct drm_nova_exec_push stack_pushes[8], *kpushes;
	struct drm_nova_sync stack_syncs[8], *ksyncs;
	struct drm_nova_exec exec = { 0 };
	int ret;

	if (!ch || (num_pushes && !pushes) || (num_syncs && !syncs))
		return -EINVAL;

	kpushes = KARRAY_GET(stack_pushes, num_pushes);
	ksyncs = KARRAY_GET(stack_syncs, num_syncs);
	if (!kpushes || !ksyncs) {
		ret = -ENOMEM;
		goto out;
	}

	for (unsigned int i = 0; i < num_pushes; i++) {
		kpushes[i].va = pushes[i].va;
		kpushes[i].len = pushes[i].len;
		kpushes[i].flags = pushes[i].flags;
	}
	ret = syncs_to_kernel(syncs, num_syncs, ksyncs);
	if (ret)
		goto out;

	exec.channel = ch->id;
	exec.pushes.stride = sizeof(*kpushes);
	exec.pushes.count = num_pushes;
	exec.pushes.array = num_pushes ? (uintptr_t)kpushes : 0;
	exec.syncs.stride = sizeof(*ksyncs);
	exec.syncs.count = num_syncs;
	exec.syncs.array = num_syncs ? (uintptr_t)ksyncs : 0;

	ret = ioctl_err(ch->dev->fd, DRM_IOCTL_NOVA_EXEC, &exec);
out:
	karray_put(kpushes, stack_pushes);
	karray_put(ksyncs, stack_syncs);
	return ret;
}

NOVA_EXPORT int nova_channel_get_state_ext(struct nova_channel *ch,
					   struct nova_channel_state *out,
					   size_t state_size)
{
	struct drm_nova_channel_get_state gs = { 0 };
	struct nova_channel_state state;
	int ret;

	if (!ch || !out || !state_size)
		return -EINVAL;

	gs.id = ch->id;
	ret = ioctl_err(ch->dev->fd, DRM_IOCTL_NOVA_CHANNEL_GET_STATE, &gs);
	if (ret)
		return ret;

	memset(&state, 0, sizeof(state));
	state.dead = gs.state != NOVA_CHANNEL_STATE_OK;
	state.error = gs.error;
	state.submitted = gs.submitted;
	state.completed = gs.completed;
	copy_sized(out, state_size, &state, sizeof(state));
	return 0;
}

/* ---- pushbuffer builder ---- */

/*
 * Encodings, from NVIDIA's class headers and manuals (see
 * ../shared/reference/exec-sparse-facts.md): the method header
 * (NV_FIFO_DMA_*), host methods of AMPERE/HOPPER_CHANNEL_GPFIFO_A
 * (clc56f.h, clc86f.h) and the copy classes AMPERE_DMA_COPY_B /
 * HOPPER_DMA_COPY_A (clc7b5.h, clc8b5.h), whose methods used here match.
 */
#define PB_SEC_OP_INC		(1u << 29)
#define PB_COUNT_SHIFT		16
#define PB_COUNT_MAX		0x1fffu
#define PB_SUBC_SHIFT		13
#define PB_ADDR_MAX		0xfffu

#define HOST_SUBC		0
#define HOST_SET_OBJECT		0x0000
#define HOST_NOP		0x0008
#define HOST_SEM_ADDR_LO	0x005c	/* then ADDR_HI, PAYLOAD_LO/HI, EXECUTE */
#define SEM_EXECUTE_ACQUIRE		0
#define SEM_EXECUTE_RELEASE		1
#define SEM_EXECUTE_ACQ_STRICT_GEQ	2
#define SEM_EXECUTE_RELEASE_WFI		(1u << 20)
#define SEM_EXECUTE_PAYLOAD_SIZE_64BIT	(1u << 24)

#define CE_LAUNCH_DMA		0x0300
#define CE_OFFSET_IN_UPPER	0x0400	/* then IN_LOWER, OUT_UPPER/LOWER, PITCH_IN/OUT,
					 * LINE_LENGTH_IN, LINE_COUNT */
#define CE_SET_REMAP_CONST_A	0x0700	/* then CONST_B, COMPONENTS */
#define LAUNCH_NON_PIPELINED	2u		/* DATA_TRANSFER_TYPE 1:0 */
#define LAUNCH_FLUSH_ENABLE	(1u << 2)
#define LAUNCH_SRC_PITCH	(1u << 7)
#define LAUNCH_DST_PITCH	(1u << 8)
#define LAUNCH_MULTI_LINE	(1u << 9)
#define LAUNCH_REMAP_ENABLE	(1u << 10)
/* every DST_* = CONST_A (4), COMPONENT_SIZE_FOUR, one source and destination component */
#define REMAP_ALL_CONST_A	(4u | 4u << 4 | 4u << 8 | 4u << 12 | 3u << 16)

#define COPY_CLASS_AMPERE	0xc7b5
#define COPY_CLASS_HOPPER	0xc8b5

/* GPFIFO entries address 40 bits. */
#define PB_VA_LIMIT		(1ull << 40)

/* Words of one launch: OFFSET_IN_UPPER..LINE_COUNT and LAUNCH_DMA. */
#define LAUNCH_WORDS		11

struct nova_pushbuf {
	uint32_t *cpu;
	uint64_t va;
	size_t words;		/* room, in words */
	size_t cur;		/* next word */
	size_t start;		/* first word of the current push */
	int error;		/* sticky, see libnova.h */
	uint32_t copy_class;
	uint64_t ce_limit;	/* end of what OFFSET_IN/OUT address */
	uint64_t sem_limit;	/* end of what SEM_ADDR addresses */
};

static uint32_t pb_header(unsigned int subc, uint32_t mthd, unsigned int count)
{
	return PB_SEC_OP_INC | (uint32_t)count << PB_COUNT_SHIFT |
	       (uint32_t)subc << PB_SUBC_SHIFT | mthd >> 2;
}

/* Room for @n more words in the memory and in the push, or the error. */
static int pb_reserve(struct nova_pushbuf *pb, size_t n)
{
	const size_t push_words = NOVA_PUSH_MAX_LEN / 4;

	if (pb->error)
		return pb->error;
	if (n > pb->words - pb->cur || pb->cur - pb->start + n > push_words)
		return pb->error = -ENOSPC;
	return 0;
}

static int pb_fail(struct nova_pushbuf *pb, int err)
{
	if (!pb->error)
		pb->error = err;
	return pb->error;
}

static void pb_emit(struct nova_pushbuf *pb, uint32_t w)
{
	pb->cur++;
	pb->cpu[pb->cur - 1] = w;
}

/* [@va, @va + @len) lies below @limit. */
static bool range_ok(uint64_t va, uint64_t len, uint64_t limit)
{
	return va < limit && len <= limit - va;
}

NOVA_EXPORT int nova_pushbuf_create(uint32_t copy_class, void *cpu, uint64_t gpu_va,
				    size_t size, struct nova_pushbuf **out)
{
	struct nova_pushbuf *pb;

	if (!cpu || !out || ((uintptr_t)cpu & 3) || (gpu_va & 3) || size < 4 ||
	    !range_ok(gpu_va, size, PB_VA_LIMIT))
		return -EINVAL;
	if (copy_class != COPY_CLASS_AMPERE && copy_class != COPY_CLASS_HOPPER)
		return -EINVAL;

	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return -ENOMEM;
	pb->cpu = cpu;
	pb->va = gpu_va;
	pb->words = size / 4;
	pb->copy_class = copy_class;
	/* OFFSET_*_UPPER 16:0 on C7B5, 24:0 on C8B5; SEM_ADDR_HI 7:0 on C56F, 24:0 on C86F */
	if (copy_class == COPY_CLASS_AMPERE) {
		pb->ce_limit = 1ull << 49;
		pb->sem_limit = 1ull << 40;
	} else {
		pb->ce_limit = 1ull << 57;
		pb->sem_limit = 1ull << 57;
	}
	*out = pb;
	return 0;
}

NOVA_EXPORT void nova_pushbuf_destroy(struct nova_pushbuf *pb)
{
	free(pb);
}

NOVA_EXPORT int nova_pushbuf_begin(struct nova_pushbuf *pb)
{
	if (!pb)
		return -EINVAL;
	pb->start = pb->cur;
	pb->error = 0;
	return 0;
}

NOVA_EXPORT int nova_pushbuf_end(struct nova_pushbuf *pb, struct nova_push *push)
{
	int err;

	if (!pb || !push)
		return -EINVAL;
	if (pb->error) {
		err = pb->error;
		pb->cur = pb->start;
		pb->error = 0;
		return err;
	}
	if (pb->cur == pb->start)
		return -EINVAL;

	push->va = pb->va + (uint64_t)pb->start * 4;
	push->len = (pb->cur - pb->start) * 4;
	push->flags = 0;
	pb->start = pb->cur;
	return 0;
}

NOVA_EXPORT void nova_pushbuf_reset(struct nova_pushbuf *pb)
{
	if (!pb)
		return;
	pb->cur = 0;
	pb->start = 0;
	pb->error = 0;
}

NOVA_EXPORT int nova_pushbuf_error(const struct nova_pushbuf *pb)
{
	return pb ? pb->error : -EINVAL;
}

NOVA_EXPORT size_t nova_pushbuf_used(const struct nova_pushbuf *pb)
{
	return pb ? pb->cur * 4 : 0;
}

NOVA_EXPORT size_t nova_pushbuf_space(const struct nova_pushbuf *pb)
{
	size_t mem, push;

	if (!pb)
		return 0;
	mem = pb->words - pb->cur;
	push = NOVA_PUSH_MAX_LEN / 4 - (pb->cur - pb->start);
	return (mem < push ? mem : push) * 4;
}

NOVA_EXPORT int nova_push_method(struct nova_pushbuf *pb, unsigned int subc, uint32_t mthd,
				 const uint32_t *data, unsigned int count)
{
	int ret;

	if (!pb)
		return -EINVAL;
	if (pb->error)
		return pb->error;
	if (subc > 7 || (mthd & 3) || (mthd >> 2) > PB_ADDR_MAX || !count ||
	    count > PB_COUNT_MAX || !data)
		return pb_fail(pb, -EINVAL);
	ret = pb_reserve(pb, 1 + (size_t)count);
	if (ret)
		return ret;
	pb_emit(pb, pb_header(subc, mthd, count));
	for (unsigned int i = 0; i < count; i++)
		pb_emit(pb, data[i]);
	return 0;
}

NOVA_EXPORT int nova_push_set_object(struct nova_pushbuf *pb)
{
	int ret;

	if (!pb)
		return -EINVAL;
	ret = pb_reserve(pb, 2);
	if (ret)
		return ret;
	/* NVCLASS 15:0; ENGINE 20:16 is 0, not ENGINE_SW */
	pb_emit(pb, pb_header(NOVA_PUSH_SUBCHANNEL_COPY, HOST_SET_OBJECT, 1));
	pb_emit(pb, pb->copy_class);
	return 0;
}

NOVA_EXPORT int nova_push_nop(struct nova_pushbuf *pb)
{
	int ret;

	if (!pb)
		return -EINVAL;
	ret = pb_reserve(pb, 2);
	if (ret)
		return ret;
	pb_emit(pb, pb_header(HOST_SUBC, HOST_NOP, 1));
	pb_emit(pb, 0);
	return 0;
}

/* One pitch-linear launch; room reserved by the caller. */
static void pb_launch(struct nova_pushbuf *pb, uint64_t dst, uint32_t dst_pitch,
		      uint64_t src, uint32_t src_pitch, uint32_t line_length,
		      uint32_t lines, uint32_t extra)
{
	pb_emit(pb, pb_header(NOVA_PUSH_SUBCHANNEL_COPY, CE_OFFSET_IN_UPPER, 8));
	pb_emit(pb, src >> 32);
	pb_emit(pb, (uint32_t)src);
	pb_emit(pb, dst >> 32);
	pb_emit(pb, (uint32_t)dst);
	pb_emit(pb, src_pitch);
	pb_emit(pb, dst_pitch);
	pb_emit(pb, line_length);
	pb_emit(pb, lines);
	pb_emit(pb, pb_header(NOVA_PUSH_SUBCHANNEL_COPY, CE_LAUNCH_DMA, 1));
	pb_emit(pb, LAUNCH_NON_PIPELINED | LAUNCH_FLUSH_ENABLE | LAUNCH_SRC_PITCH |
		    LAUNCH_DST_PITCH | (lines > 1 ? LAUNCH_MULTI_LINE : 0) | extra);
}

/*
 * A range of @size bytes as launches of lines of @line bytes: how many
 * launches; *@full the whole lines, the rest in a last launch.
 */
static size_t line_launches(uint64_t size, uint64_t line, uint64_t *full)
{
	*full = size / line;
	return (*full + UINT32_MAX - 1) / UINT32_MAX + (size % line ? 1 : 0);
}

/*
 * @size bytes at @dst (and @src) as launches of NOVA_PUSH_LINE_BYTES-byte
 * lines; with @remap, line lengths count 4-byte elements.
 */
static void pb_lines(struct nova_pushbuf *pb, uint64_t dst, uint64_t src, uint64_t size,
		     uint64_t full, uint32_t extra, bool remap)
{
	const uint32_t line = NOVA_PUSH_LINE_BYTES, unit = remap ? 4 : 1;
	uint64_t rest = size % line;

	while (full) {
		uint32_t n = full > UINT32_MAX ? UINT32_MAX : (uint32_t)full;

		pb_launch(pb, dst, line, src, line, line / unit, n, extra);
		dst += (uint64_t)n * line;
		src += (uint64_t)n * line;
		full -= n;
	}
	if (rest)
		pb_launch(pb, dst, line, src, line, (uint32_t)(rest / unit), 1, extra);
}

NOVA_EXPORT int nova_push_copy(struct nova_pushbuf *pb, uint64_t dst, uint64_t src,
			       uint64_t size)
{
	uint64_t full;
	int ret;

	if (!pb)
		return -EINVAL;
	if (pb->error)
		return pb->error;
	if (!range_ok(dst, size, pb->ce_limit) || !range_ok(src, size, pb->ce_limit))
		return pb_fail(pb, -EINVAL);
	if (!size)
		return 0;
	ret = pb_reserve(pb, line_launches(size, NOVA_PUSH_LINE_BYTES, &full) * LAUNCH_WORDS);
	if (ret)
		return ret;
	pb_lines(pb, dst, src, size, full, 0, false);
	return 0;
}

NOVA_EXPORT int nova_push_copy_2d(struct nova_pushbuf *pb, uint64_t dst, uint32_t dst_pitch,
				  uint64_t src, uint32_t src_pitch, uint32_t width,
				  uint32_t height)
{
	int ret;

	if (!pb)
		return -EINVAL;
	if (pb->error)
		return pb->error;
	if (!width || !height)
		return 0;
	if (!range_ok(dst, (uint64_t)(height - 1) * dst_pitch + width, pb->ce_limit) ||
	    !range_ok(src, (uint64_t)(height - 1) * src_pitch + width, pb->ce_limit))
		return pb_fail(pb, -EINVAL);
	ret = pb_reserve(pb, LAUNCH_WORDS);
	if (ret)
		return ret;
	pb_launch(pb, dst, dst_pitch, src, src_pitch, width, height, 0);
	return 0;
}

NOVA_EXPORT int nova_push_memset(struct nova_pushbuf *pb, uint64_t dst, uint32_t value,
				 uint64_t size)
{
	uint64_t full;
	int ret;

	if (!pb)
		return -EINVAL;
	if (pb->error)
		return pb->error;
	if ((dst & 3) || (size & 3) || !range_ok(dst, size, pb->ce_limit))
		return pb_fail(pb, -EINVAL);
	if (!size)
		return 0;
	ret = pb_reserve(pb, 4 + line_launches(size, NOVA_PUSH_LINE_BYTES, &full) *
			 LAUNCH_WORDS);
	if (ret)
		return ret;
	pb_emit(pb, pb_header(NOVA_PUSH_SUBCHANNEL_COPY, CE_SET_REMAP_CONST_A, 3));
	pb_emit(pb, value);
	pb_emit(pb, value);
	pb_emit(pb, REMAP_ALL_CONST_A);
	/* nothing is read: OFFSET_IN is the destination, to name a mapped VA */
	pb_lines(pb, dst, dst, size, full, LAUNCH_REMAP_ENABLE, true);
	return 0;
}

static int pb_sem(struct nova_pushbuf *pb, uint64_t va, uint64_t payload, uint32_t exec,
		  uint32_t flags)
{
	bool is64 = flags & NOVA_SEM_64BIT;
	int ret;

	if ((va & (is64 ? 7 : 3)) || !range_ok(va, is64 ? 8 : 4, pb->sem_limit) ||
	    (!is64 && payload > UINT32_MAX))
		return pb_fail(pb, -EINVAL);
	ret = pb_reserve(pb, 6);
	if (ret)
		return ret;
	if (is64)
		exec |= SEM_EXECUTE_PAYLOAD_SIZE_64BIT;
	pb_emit(pb, pb_header(HOST_SUBC, HOST_SEM_ADDR_LO, 5));
	pb_emit(pb, (uint32_t)va);
	pb_emit(pb, va >> 32);
	pb_emit(pb, (uint32_t)payload);
	pb_emit(pb, payload >> 32);
	pb_emit(pb, exec);
	return 0;
}

NOVA_EXPORT int nova_push_sem_release(struct nova_pushbuf *pb, uint64_t va, uint64_t payload,
				      uint32_t flags)
{
	if (!pb)
		return -EINVAL;
	if (pb->error)
		return pb->error;
	if (flags & ~(NOVA_SEM_64BIT | NOVA_SEM_RELEASE_NO_WFI))
		return pb_fail(pb, -EINVAL);
	return pb_sem(pb, va, payload, SEM_EXECUTE_RELEASE |
		      (flags & NOVA_SEM_RELEASE_NO_WFI ? 0 : SEM_EXECUTE_RELEASE_WFI), flags);
}

NOVA_EXPORT int nova_push_sem_acquire(struct nova_pushbuf *pb, uint64_t va, uint64_t value,
				      uint32_t flags)
{
	if (!pb)
		return -EINVAL;
	if (pb->error)
		return pb->error;
	if (flags & ~(NOVA_SEM_64BIT | NOVA_SEM_ACQUIRE_GEQ))
		return pb_fail(pb, -EINVAL);
	return pb_sem(pb, va, value, flags & NOVA_SEM_ACQUIRE_GEQ ?
		      SEM_EXECUTE_ACQ_STRICT_GEQ : SEM_EXECUTE_ACQUIRE, flags);
}
