// SPDX-License-Identifier: MIT
/*
 * nova_pci - the GPU as the PCI ecosystem sees it.
 *
 * nova's DRM device is a child of the GPU's PCI device (on real hardware
 * the GPU's PCI function; with nova-sim a device of the simulator's own
 * PCI host bridge). libdrm's drmGetDevices2() must list it as a PCI device
 * with NVIDIA's vendor id and the chip's device id, sysfs must say class
 * 0x030200 (3D controller), and the DRM core must print its PCI address as
 * drm-pdev in fdinfo.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "igt.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check that libdrm, sysfs and fdinfo see nova's GPU as "
		     "an NVIDIA PCI device.");

#define NVIDIA_VENDOR	0x10de

/*
 * The PCI device id nova-sim gives each chip: one real board with the chip
 * (PCI ID Repository, pci.ids). Real hardware has many ids per chip.
 */
static int sim_device_id(uint64_t chipset)
{
	switch (chipset) {
	case 0x162:	/* TU102 [TITAN RTX] */
		return 0x1e02;
	case 0x172:	/* GA102 [GeForce RTX 3090] */
		return 0x2204;
	case 0x192:	/* AD102 [GeForce RTX 4090] */
		return 0x2684;
	case 0x180:	/* GH100 [H100 SXM5 80GB] */
		return 0x2330;
	}
	return -1;
}

/* @fd's PCI device: its sysfs path @path and its address "dddd:bb:dd.f". */
static void gpu_pci_device(int fd, char *path, char *addr, size_t size)
{
	char link[PATH_MAX];
	const char *base;

	__nova_sysfs_device(fd, link, sizeof(link));
	igt_assert_f(realpath(link, path), "%s: %m\n", link);
	base = strrchr(path, '/') + 1;
	snprintf(addr, size, "%s", base);
}

static unsigned long sysfs_hex(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], buf[32] = "";
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(f >= 0, "%s: %m\n", path);
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	igt_assert_f(n > 0, "%s: empty\n", path);
	buf[n] = '\0';
	return strtoul(buf, NULL, 16);
}

/* The drmDevice among @devs[@n] that owns the node of @fd, or NULL. */
static drmDevicePtr find_device(drmDevicePtr *devs, int n, int fd)
{
	struct stat st, node;
	int i, t;

	igt_assert_eq(fstat(fd, &st), 0);
	for (i = 0; i < n; i++)
		for (t = 0; t < DRM_NODE_MAX; t++)
			if ((devs[i]->available_nodes & (1 << t)) &&
			    !stat(devs[i]->nodes[t], &node) &&
			    node.st_rdev == st.st_rdev)
				return devs[i];
	return NULL;
}

static void test_drm_devices(int fd)
{
	char path[PATH_MAX], addr[64], got[64];
	int expected = sim_device_id(nova_get_param(fd, NOVA_GETPARAM_CHIPSET));
	drmDevicePtr devs[64], dev;
	drmPciBusInfoPtr bus;
	int n;

	gpu_pci_device(fd, path, addr, sizeof(addr));
	igt_info("GPU at %s\n", path);

	/* sysfs: the PCI core's view of the emulated config space. */
	igt_assert_eq_u32(sysfs_hex(path, "vendor"), NVIDIA_VENDOR);
	igt_assert_eq_u32(sysfs_hex(path, "class"), 0x030200);
	if (nova_sim_index(fd) >= 0)
		igt_assert_eq(sysfs_hex(path, "device"), expected);

	/* libdrm: a PCI device with its ids, owning this node. */
	n = drmGetDevices2(0, devs, ARRAY_SIZE(devs));
	igt_assert_f(n > 0, "drmGetDevices2: %d\n", n);
	dev = find_device(devs, n, fd);
	igt_assert_f(dev, "drmGetDevices2 does not list the device\n");
	igt_assert_eq(dev->bustype, DRM_BUS_PCI);
	igt_assert(dev->available_nodes & (1 << DRM_NODE_RENDER));
	igt_assert(dev->available_nodes & (1 << DRM_NODE_PRIMARY));
	bus = dev->businfo.pci;
	snprintf(got, sizeof(got), "%04x:%02x:%02x.%u", bus->domain, bus->bus,
		 bus->dev, bus->func);
	igt_assert_f(!strcmp(got, addr), "libdrm says %s, sysfs %s\n", got, addr);
	igt_assert_eq_u32(dev->deviceinfo.pci->vendor_id, NVIDIA_VENDOR);
	igt_assert_eq_u32(dev->deviceinfo.pci->device_id, sysfs_hex(path, "device"));
	if (nova_sim_index(fd) >= 0)
		igt_assert_eq(dev->deviceinfo.pci->device_id, expected);
	igt_info("libdrm: %s %04x:%04x\n", got, dev->deviceinfo.pci->vendor_id,
		 dev->deviceinfo.pci->device_id);
	drmFreeDevices(devs, n);
}

/* Every nova device of the system is among drmGetDevices2()'s PCI devices. */
static void test_all_devices(void)
{
	drmDevicePtr devs[64];
	int n, i, nova = 0, pci_nova = 0;
	struct dirent *de;
	DIR *d;

	/* nova's render nodes, from sysfs */
	d = opendir("/sys/class/drm");
	igt_assert(d);
	while ((de = readdir(d))) {
		char link[PATH_MAX], drv[PATH_MAX];
		ssize_t len;

		if (strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(link, sizeof(link), "/sys/class/drm/%s/device/driver",
			 de->d_name);
		len = readlink(link, drv, sizeof(drv) - 1);
		if (len <= 0)
			continue;
		drv[len] = '\0';
		if (strstr(strrchr(drv, '/') ?: drv, "nova"))
			nova++;
	}
	closedir(d);

	n = drmGetDevices2(0, devs, ARRAY_SIZE(devs));
	igt_assert_lte(0, n);
	for (i = 0; i < n; i++) {
		int fd;

		if (devs[i]->bustype != DRM_BUS_PCI ||
		    devs[i]->deviceinfo.pci->vendor_id != NVIDIA_VENDOR ||
		    !(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		fd = open(devs[i]->nodes[DRM_NODE_RENDER], O_RDWR | O_CLOEXEC);
		igt_assert_f(fd >= 0, "%s: %m\n", devs[i]->nodes[DRM_NODE_RENDER]);
		if (is_nova_device(fd))
			pci_nova++;
		close(fd);
	}
	drmFreeDevices(devs, n);
	igt_info("%d nova render nodes, %d listed by libdrm as NVIDIA PCI devices\n",
		 nova, pci_nova);
	igt_assert_lt(0, nova);
	igt_assert_eq(pci_nova, nova);
}

static void test_fdinfo_pdev(int fd)
{
	char path[PATH_MAX], addr[64], fdinfo[64], line[256];
	bool found = false;
	FILE *f;

	gpu_pci_device(fd, path, addr, sizeof(addr));
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	f = fopen(fdinfo, "re");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		char val[64];

		if (sscanf(line, "drm-pdev: %63s", val) != 1)
			continue;
		igt_info("drm-pdev: %s\n", val);
		igt_assert_f(!strcmp(val, addr), "drm-pdev %s, GPU at %s\n", val, addr);
		found = true;
	}
	fclose(f);
	igt_assert_f(found, "no drm-pdev in %s\n", fdinfo);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("drmGetDevices2() lists the GPU as a PCI device with "
		     "NVIDIA's vendor id and the chip's device id.");
	igt_subtest("drm-devices")
		test_drm_devices(fd);

	igt_describe("drmGetDevices2() lists every nova device as an NVIDIA "
		     "PCI device.");
	igt_subtest("drm-devices-all")
		test_all_devices();

	igt_describe("fdinfo names the GPU's PCI address as drm-pdev.");
	igt_subtest("fdinfo-pdev")
		test_fdinfo_pdev(fd);

	igt_fixture
		close(fd);
}
