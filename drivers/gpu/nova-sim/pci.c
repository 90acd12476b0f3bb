// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim: the simulated GPUs as PCI devices.
 *
 * DOC: nova-sim PCI host bridge
 *
 * The simulated GPUs sit on a PCI root bus of their own: nova-sim creates
 * a host bridge in a free PCI domain (the first above every domain in
 * use), below a root device named "nova-sim" (so sysfs paths say which
 * GPUs are simulated: /sys/devices/nova-sim/pci0001:00/0001:00:00.0),
 * whose config-space accessors read and write an emulated 256-byte
 * type 0 header per GPU, instance N at device N, function 0. The header
 * carries NVIDIA's vendor id, the chip's real device id and class 0x0302
 * (3D controller), so that lspci, libdrm and the DRM core (drm-pdev in
 * fdinfo) see a PCI GPU.
 *
 * Nothing on that bus reaches hardware: the bridge has no I/O or memory
 * window, every BAR and the expansion ROM BAR are unimplemented (they read
 * 0 and ignore writes, so the PCI core sizes them as absent and neither
 * assigns nor maps anything), the header has no capability list (no MSI,
 * MSI-X, power management or PCIe capability: the PCI core never enables
 * MSI on it) and no interrupt pin (no INTx routing). The GPU is reached
 * through &struct nova_hw only: nova-sim attaches its instance's
 * &struct nova_hw as the PCI device's platform data when the PCI core
 * adds the device (at the first scan and at any later rescan), where
 * nova_hw_from_pci() finds it.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/nova/hw.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "sim.h"

/* Writable bits of the command register; they change nothing. */
#define NSIM_PCI_COMMAND_WMASK	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY |	\
				 PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
				 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE)
/* Invented: the revision id of every simulated chip. */
#define NSIM_PCI_REVISION	0xa1

/**
 * struct nsim_pci_fn - the emulated config space of one GPU
 * @sim: the instance, NULL for an empty slot
 * @cfg: the header's bytes (little endian, as on the bus)
 * @wmask: the writable bits of @cfg
 */
struct nsim_pci_fn {
	struct nsim *sim;
	u8 cfg[PCI_CFG_SPACE_SIZE];
	u8 wmask[PCI_CFG_SPACE_SIZE];
};

/*
 * The host bridge. @fn[].sim is written before the bus exists and cleared
 * after it is gone; @lock protects the config bytes, accessed from any
 * context (x86 has lockless PCI config access, sysfs config reads hold the
 * raw pci_lock).
 */
static struct {
	struct pci_sysdata sysdata;
	struct resource busn;
	struct device *parent;
	struct pci_bus *bus;
	raw_spinlock_t lock;	/* fn[].cfg */
	struct nsim_pci_fn fn[NSIM_MAX_GPUS];
} nsim_pci = {
	.busn = DEFINE_RES_NAMED(0, 1, "nova-sim bus", IORESOURCE_BUS),
	.lock = __RAW_SPIN_LOCK_UNLOCKED(nsim_pci.lock),
};

static struct nsim_pci_fn *nsim_pci_fn(unsigned int devfn)
{
	if (PCI_FUNC(devfn) || PCI_SLOT(devfn) >= NSIM_MAX_GPUS ||
	    !nsim_pci.fn[PCI_SLOT(devfn)].sim)
		return NULL;
	return &nsim_pci.fn[PCI_SLOT(devfn)];
}

static int nsim_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
			 int size, u32 *val)
{
	struct nsim_pci_fn *fn = nsim_pci_fn(devfn);
	unsigned long flags;
	u32 v = 0;
	int i;

	if (!fn) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	/* No extended config space: the PCI core sizes it as absent. */
	if (where < 0 || where + size > PCI_CFG_SPACE_SIZE) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_BAD_REGISTER_NUMBER;
	}
	raw_spin_lock_irqsave(&nsim_pci.lock, flags);
	for (i = 0; i < size; i++)
		v |= (u32)fn->cfg[where + i] << (8 * i);
	raw_spin_unlock_irqrestore(&nsim_pci.lock, flags);
	*val = v;

	return PCIBIOS_SUCCESSFUL;
}

static int nsim_pci_write(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 val)
{
	struct nsim_pci_fn *fn = nsim_pci_fn(devfn);
	unsigned long flags;
	int i;

	if (!fn)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (where < 0 || where + size > PCI_CFG_SPACE_SIZE)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	raw_spin_lock_irqsave(&nsim_pci.lock, flags);
	for (i = 0; i < size; i++) {
		u8 m = fn->wmask[where + i], b = val >> (8 * i);

		fn->cfg[where + i] = (fn->cfg[where + i] & ~m) | (b & m);
	}
	raw_spin_unlock_irqrestore(&nsim_pci.lock, flags);

	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops nsim_pci_ops = {
	.read = nsim_pci_read,
	.write = nsim_pci_write,
};

static void nsim_pci_put16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

/* A type 0 header without BARs, capabilities or interrupt pin. */
static void nsim_pci_fn_init(struct nsim_pci_fn *fn, struct nsim *sim)
{
	memset(fn, 0, sizeof(*fn));
	fn->sim = sim;
	nsim_pci_put16(&fn->cfg[PCI_VENDOR_ID], PCI_VENDOR_ID_NVIDIA);
	nsim_pci_put16(&fn->cfg[PCI_DEVICE_ID], sim->chip->pci_device);
	nsim_pci_put16(&fn->wmask[PCI_COMMAND], NSIM_PCI_COMMAND_WMASK);
	fn->cfg[PCI_REVISION_ID] = NSIM_PCI_REVISION;
	/* Class 0x030200: display controller, 3D controller, no prog-if. */
	fn->cfg[PCI_CLASS_PROG] = 0;
	nsim_pci_put16(&fn->cfg[PCI_CLASS_DEVICE], PCI_CLASS_DISPLAY_3D);
	fn->cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	fn->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	fn->wmask[PCI_LATENCY_TIMER] = 0xff;
	/* Written by firmware and the PCI core; no interrupt is wired. */
	fn->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

/* Hands each GPU's &struct nova_hw to its PCI device, before any driver binds. */
static int nsim_pci_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct nsim_pci_fn *fn;

	if (action != BUS_NOTIFY_ADD_DEVICE || pdev->bus->ops != &nsim_pci_ops)
		return NOTIFY_DONE;
	fn = nsim_pci_fn(pdev->devfn);
	if (fn)
		pdev->dev.platform_data = &fn->sim->hw;

	return NOTIFY_OK;
}

static struct notifier_block nsim_pci_nb = {
	.notifier_call = nsim_pci_notify,
};

/* The first PCI domain above every domain in use; -ENOSPC past 0xffff. */
static int nsim_pci_find_domain(void)
{
	struct pci_bus *bus = NULL;
	int domain = 0;

	while ((bus = pci_find_next_bus(bus)))
		domain = max(domain, pci_domain_nr(bus) + 1);

	/* libdrm and pciutils' sysfs names hold a 16-bit domain. */
	return domain > 0xffff ? -ENOSPC : domain;
}

/**
 * nsim_pci_add() - put the simulated GPUs on a PCI bus of their own
 * @sims: the instances; instance @sims[i] becomes device i
 * @n: how many, at most NSIM_MAX_GPUS
 *
 * Creates the host bridge and its root bus, scans it and adds the devices:
 * drivers (nova-core) may bind before this returns. Context: process,
 * may sleep.
 *
 * Return: 0, -ENOSPC when no PCI domain is free, -ENOMEM or -ENODEV.
 */
int nsim_pci_add(struct nsim **sims, unsigned int n)
{
	LIST_HEAD(resources);
	struct pci_bus *bus;
	unsigned int i;
	int domain, ret;

	domain = nsim_pci_find_domain();
	if (domain < 0)
		return domain;
	nsim_pci.sysdata.domain = domain;
	nsim_pci.sysdata.node = NUMA_NO_NODE;
	for (i = 0; i < n; i++)
		nsim_pci_fn_init(&nsim_pci.fn[i], sims[i]);

	nsim_pci.parent = root_device_register("nova-sim");
	if (IS_ERR(nsim_pci.parent)) {
		ret = PTR_ERR(nsim_pci.parent);
		goto err_fns;
	}
	ret = bus_register_notifier(&pci_bus_type, &nsim_pci_nb);
	if (ret)
		goto err_parent;

	pci_add_resource(&resources, &nsim_pci.busn);
	bus = pci_create_root_bus(nsim_pci.parent, 0, &nsim_pci_ops,
				  &nsim_pci.sysdata, &resources);
	if (!bus) {
		pci_free_resource_list(&resources);
		ret = -ENODEV;
		goto err_notifier;
	}
	nsim_pci.bus = bus;

	pci_lock_rescan_remove();
	pci_scan_child_bus(bus);
	pci_bus_add_devices(bus);
	pci_unlock_rescan_remove();

	return 0;

err_notifier:
	bus_unregister_notifier(&pci_bus_type, &nsim_pci_nb);
err_parent:
	root_device_unregister(nsim_pci.parent);
err_fns:
	memset(nsim_pci.fn, 0, sizeof(nsim_pci.fn));
	return ret;
}

/**
 * nsim_pci_remove() - remove the PCI bus of the simulated GPUs
 *
 * Unbinds the drivers (nova-core) of every device still on the bus and
 * removes the devices, the bus and the host bridge. Context: process, may
 * sleep.
 */
void nsim_pci_remove(void)
{
	if (!nsim_pci.bus)
		return;
	pci_lock_rescan_remove();
	pci_stop_root_bus(nsim_pci.bus);
	pci_remove_root_bus(nsim_pci.bus);
	pci_unlock_rescan_remove();
	nsim_pci.bus = NULL;
	bus_unregister_notifier(&pci_bus_type, &nsim_pci_nb);
	root_device_unregister(nsim_pci.parent);
	memset(nsim_pci.fn, 0, sizeof(nsim_pci.fn));
}
