// SPDX-License-Identifier: MIT
/*
 * drmtest.c - opening DRM devices the way IGT's lib/drmtest.c does.
 *
 * See igt.h. Device choice, as upstream:
 *  - IGT_FORCE_DRIVER=<name>: with DRIVER_ANY, only devices whose DRM
 *    driver name (drmGetVersion()->name) is <name> are opened;
 *  - a device filter (IGT_DEVICE or --device), here only
 *    "drm:<node path>": the device owning that node is opened, through
 *    its primary or render node as asked;
 *  - otherwise the first of /dev/dri/card0..15 (renderD128..143 for
 *    render nodes) whose driver matches the chipset flags. vgem, vkms and
 *    virtio_gpu are not part of DRIVER_ANY.
 * Unlike upstream, no kernel module is loaded when nothing matches.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_device_scan.h"
#include "ioctl_wrappers.h"

__thread int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

static char forced_driver_name[32];

#define MAX_FILTERS 8
static char *filters[MAX_FILTERS];
static int num_filters;

void __set_forced_driver(const char *name)
{
	if (!name) {
		igt_warn("No driver specified, keep default behaviour\n");
		return;
	}

	strncpy(forced_driver_name, name, sizeof(forced_driver_name) - 1);
}

static const char *forced_driver(void)
{
	return forced_driver_name[0] ? forced_driver_name : NULL;
}

int igt_device_filter_add(const char *f)
{
	char *copy = strdup(f), *save = NULL, *tok;
	int added = 0;

	if (!copy)
		return 0;

	/* as upstream, several filters are separated by ';' */
	for (tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		if (num_filters >= MAX_FILTERS)
			break;
		filters[num_filters++] = strdup(tok);
		added++;
	}

	free(copy);
	return added;
}

void igt_device_filter_free_all(void)
{
	for (int i = 0; i < num_filters; i++)
		free(filters[i]);
	num_filters = 0;
}

int igt_device_filter_count(void)
{
	return num_filters;
}

const char *igt_device_filter_get(int num)
{
	return num >= 0 && num < num_filters ? filters[num] : NULL;
}

static const struct module {
	unsigned int bit;
	const char *module;
} modules[] = {
	{ DRIVER_AMDGPU, "amdgpu" },
	{ DRIVER_INTEL, "i915" },
	{ DRIVER_MSM, "msm" },
	{ DRIVER_PANFROST, "panfrost" },
	{ DRIVER_V3D, "v3d" },
	{ DRIVER_VC4, "vc4" },
	{ DRIVER_VGEM, "vgem" },
	{ DRIVER_VIRTIO, "virtio_gpu" },
	{ DRIVER_VKMS, "vkms" },
	{ DRIVER_VMWGFX, "vmwgfx" },
	{ DRIVER_XE, "xe" },
	{ 0, NULL }
};

static unsigned int modulename_to_chipset(const char *name)
{
	for (const struct module *m = modules; m->module; m++)
		if (!strcmp(m->module, name))
			return m->bit;

	return DRIVER_ANY;
}

static const char *chipset_to_str(int chipset)
{
	if (chipset == DRIVER_INTEL)
		return "intel";

	for (const struct module *m = modules; m->module; m++)
		if ((int)m->bit == chipset)
			return m->module;

	return chipset == DRIVER_ANY ? "any" : "other";
}

static int get_drm_device_name(int fd, char *name, size_t size)
{
	drmVersionPtr v = drmGetVersion(fd);

	if (!v)
		return -1;

	snprintf(name, size, "%s", v->name ? v->name : "");
	drmFreeVersion(v);
	return 0;
}

static void log_opened_device_path(const char *path)
{
	static char *opened[16];
	static int num_opened;

	for (int i = 0; i < num_opened; i++) {
		if (!strcmp(opened[i], path)) {
			igt_debug("Opened previously opened device: %s\n", path);
			return;
		}
	}

	if (num_opened < 16)
		opened[num_opened++] = strdup(path);
	igt_info("Opened device: %s\n", path);
}

static int __drm_open_device(const char *name, unsigned int chipset)
{
	const char *forced;
	char dev_name[32] = "";
	unsigned int chip;
	int fd;

	fd = open(name, O_RDWR | O_CLOEXEC);
	if (fd == -1)
		return -1;

	if (get_drm_device_name(fd, dev_name, sizeof(dev_name)) == -1)
		goto err;

	forced = forced_driver();
	if (forced && chipset == (unsigned int)DRIVER_ANY && strcmp(forced, dev_name)) {
		igt_debug("Expected driver \"%s\" but got \"%s\"\n", forced, dev_name);
		goto err;
	}

	chip = modulename_to_chipset(dev_name);
	if ((chipset & chip) == chip) {
		log_opened_device_path(name);
		return fd;
	}

err:
	close(fd);
	return -1;
}

static int search_and_open(const char *base, int offset, unsigned int chipset)
{
	if (forced_driver())
		igt_debug("Force option used: Using driver %s\n", forced_driver());

	for (int i = 0; i < 16; i++) {
		char name[80];
		int fd;

		snprintf(name, sizeof(name), "%s%u", base, i + offset);
		fd = __drm_open_device(name, chipset);
		if (fd != -1)
			return fd;
	}

	return -1;
}

/*
 * The node of @type ("card" or "renderD") of the device that owns @path,
 * found through sysfs: libdrm's drmGetDevice2() only knows some buses
 * (nova's DRM devices are children of PCI devices, which it knows; this
 * is the fallback for a device on another bus).
 */
static int sibling_node(const char *path, int type, char *node, size_t size)
{
	const char *prefix = type == DRM_NODE_RENDER ? "renderD" : "card";
	char dir[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ret = -1;

	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return -1;
	snprintf(dir, sizeof(dir), "/sys/dev/char/%u:%u/device/drm",
		 major(st.st_rdev), minor(st.st_rdev));
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, prefix, strlen(prefix)) &&
		    isdigit((unsigned char)de->d_name[strlen(prefix)])) {
			snprintf(node, size, "/dev/dri/%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

/* The node of @type of the device the first filter names, or -1. */
static int open_filtered(int type, unsigned int chipset)
{
	const char *filter = igt_device_filter_get(0);
	char node[PATH_MAX];
	drmDevicePtr dev = NULL;
	int fd;

	igt_debug("Looking for devices to open using filter 0: %s\n", filter);
	if (strncmp(filter, "drm:", 4)) {
		igt_warn("Unsupported device filter (only drm:<path> is): %s\n", filter);
		return -1;
	}

	fd = open(filter + 4, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		/* as upstream, only the primary-node lookup warns */
		if (type == DRM_NODE_PRIMARY)
			igt_warn("No card matches the filter! [%s]\n", filter);
		return -1;
	}
	if (drmGetDevice2(fd, 0, &dev) == 0) {
		close(fd);
		if (!(dev->available_nodes & (1 << type))) {
			drmFreeDevice(&dev);
			return -1;
		}
		snprintf(node, sizeof(node), "%s", dev->nodes[type]);
		drmFreeDevice(&dev);
	} else {
		close(fd);
		if (sibling_node(filter + 4, type, node, sizeof(node)))
			return -1;
	}

	return __drm_open_device(node, chipset);
}

int __drm_open_driver(int chipset)
{
	if (chipset != DRIVER_VGEM && igt_device_filter_count() > 0)
		return open_filtered(DRM_NODE_PRIMARY, chipset);

	return search_and_open("/dev/dri/card", 0, chipset);
}

int __drm_open_driver_render(int chipset)
{
	if (chipset != DRIVER_VGEM && igt_device_filter_count() > 0)
		return open_filtered(DRM_NODE_RENDER, chipset);

	return search_and_open("/dev/dri/renderD", 128, chipset);
}

int drm_open_driver(int chipset)
{
	int fd = __drm_open_driver(chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%u (%s)\n",
		      chipset, chipset_to_str(chipset));

	return fd;
}

int drm_open_driver_render(int chipset)
{
	int fd = __drm_open_driver_render(chipset);

	/* no render nodes, fall back to drm_open_driver() */
	if (fd == -1)
		return drm_open_driver(chipset);

	return fd;
}

int drm_reopen_driver(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_fd(fd);

	return fd;
}

static bool is_valid_fd(int fd)
{
	char path[32], buf[PATH_MAX];
	ssize_t len;

	if (fd < 0)
		return false;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = readlink(path, buf, sizeof(buf) - 1);
	if (len <= 0)
		return false;
	buf[len] = '\0';

	return strstr(buf, "/dev/dri/card") == buf ||
	       strstr(buf, "/dev/dri/renderD") == buf;
}

int __drm_close_driver(int fd)
{
	if (!is_valid_fd(fd))
		return -1;

	return close(fd);
}

int drm_close_driver(int fd)
{
	if (!is_valid_fd(fd)) {
		igt_warn("Don't attempt to close standard/invalid file "
			 "descriptor: %d\n", fd);
		return -1;
	}

	return __drm_close_driver(fd);
}
