// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core: a PCI driver for NVIDIA GPUs whose hardware access a backend
 * presents through &struct nova_hw (see nova_hw_from_pci()); it brings up
 * memory management and exposes an auxiliary device per GPU to the nova
 * DRM driver.
 */
#include <linux/bitfield.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nova/regs.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "nova_core.h"

/* Protects nova_core_list (nova_core.node); nests no other lock. */
static DEFINE_MUTEX(nova_core_list_lock);
static LIST_HEAD(nova_core_list);
static DEFINE_IDA(nova_core_ida);

/**
 * nova_core_from_aux() - the GPU behind a "nova-drm" auxiliary device
 * @adev: the auxiliary device nova-core created
 *
 * Return: the GPU; valid while the auxiliary device is bound.
 */
struct nova_core *nova_core_from_aux(struct auxiliary_device *adev)
{
	return container_of(adev, struct nova_core, adev);
}
EXPORT_SYMBOL_GPL(nova_core_from_aux);

/**
 * nova_core_info() - facts about a GPU for clients
 * @core: the GPU
 *
 * Return: the GPU's information, constant while it is bound.
 */
const struct nova_core_info *nova_core_info(struct nova_core *core)
{
	return &core->info;
}
EXPORT_SYMBOL_GPL(nova_core_info);

/* The chip's name, on the GPU's PCI device while nova-core is bound to it. */
static ssize_t nova_chip_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct nova_core *core = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", core->chip->name);
}
static DEVICE_ATTR_RO(nova_chip);

static struct attribute *nova_core_pci_attrs[] = {
	&dev_attr_nova_chip.attr,
	NULL
};
ATTRIBUTE_GROUPS(nova_core_pci);

static void nova_core_fini(struct nova_core *core);

/*
 * The last reference to the GPU is gone: its DRM device (and with it every
 * object, VM and BAR1 mapping) was released, and nova_core_remove() ran.
 */
static void nova_core_adev_release(struct device *dev)
{
	struct nova_core *core = nova_core_from_aux(to_auxiliary_dev(dev));
	struct module *owner = core->hw->owner;

	nova_core_fini(core);
	cleanup_srcu_struct(&core->hw_srcu);
	put_device(core->dev);
	kfree(core);
	module_put(owner);
}

static int nova_core_init(struct nova_core *core)
{
	struct nova_hw *hw = core->hw;
	struct device *dev = core->dev;
	u32 chipset;
	int ret;

	core->boot0 = nova_rd32(core, NV_PMC_BOOT_0);
	chipset = FIELD_GET(NV_PMC_BOOT_0_CHIPSET, core->boot0);
	core->chip = nova_chip_lookup(chipset);
	if (!core->chip)
		return dev_err_probe(dev, -ENODEV,
				     "unsupported chipset 0x%03x (BOOT_0 0x%08x)\n",
				     chipset, core->boot0);

	ret = hw->ops->get_static_info(hw, &core->sinfo);
	if (ret)
		return dev_err_probe(dev, ret, "no static info\n");
	if (core->sinfo.fb_usable_start >= core->sinfo.fb_usable_end ||
	    core->sinfo.fb_usable_end > core->sinfo.vram_end)
		return dev_err_probe(dev, -EINVAL, "bad FB region\n");

	core->fmt = nova_mmu_fmt_get(core->chip->mmu_version);
	if (!core->fmt)
		return dev_err_probe(dev, -ENODEV, "no page-table format for MMU v%u\n",
				     core->chip->mmu_version);
	core->info.chip_name = core->chip->name;
	core->info.chipset = chipset;
	core->info.mmu_version = core->chip->mmu_version;
	core->info.va_bits = core->fmt->va_bits;
	core->info.page_sizes = nova_mmu_page_sizes(core->fmt);
	core->info.vram_total = core->sinfo.vram_end;
	core->info.vram_usable = core->sinfo.fb_usable_end - core->sinfo.fb_usable_start;
	core->info.bar1_size = core->sinfo.bar1_size;
	core->info.copy_class = core->chip->chan_class ? core->chip->ce_class : 0;

	dev_info(dev, "NVIDIA %s (chipset 0x%03x), MMU v%u\n",
		 core->chip->name, chipset, core->chip->mmu_version);
	dev_info(dev, "usable FB region [%#llx, %#llx), VRAM %llu MiB, BAR1 %llu MiB\n",
		 core->sinfo.fb_usable_start, core->sinfo.fb_usable_end,
		 core->sinfo.vram_end >> 20, core->sinfo.bar1_size >> 20);

	nova_pramin_init(core);
	nova_tlb_init(core);
	nova_fault_init(core);
	ret = nova_mm_init(core);
	if (ret)
		return dev_err_probe(dev, ret, "VRAM allocator\n");
	ret = nova_fault_buf_init(core);
	if (ret) {
		nova_fault_fini(core);
		nova_mm_fini(core);
		return dev_err_probe(dev, ret, "fault buffer\n");
	}
	ret = nova_bar1_init(core);
	if (ret) {
		nova_fault_fini(core);
		nova_mm_fini(core);
		return dev_err_probe(dev, ret, "BAR1\n");
	}
	ret = nova_ce_init(core);
	if (ret) {
		nova_bar1_fini(core);
		nova_fault_fini(core);
		nova_mm_fini(core);
		return dev_err_probe(dev, ret, "kernel channel\n");
	}
	return 0;
}

static void nova_core_fini(struct nova_core *core)
{
	nova_ce_fini(core);
	nova_bar1_fini(core);
	nova_fault_fini(core);
	nova_mm_fini(core);
}

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_core_get() - the n-th bound GPU, for tests
 * @n: index in probe order
 *
 * Return: the GPU or NULL. Valid while nova-core is loaded and the GPU
 * bound.
 */
struct nova_core *nova_core_get(unsigned int n)
{
	struct nova_core *core, *found = NULL;

	mutex_lock(&nova_core_list_lock);
	list_for_each_entry(core, &nova_core_list, node) {
		if (!n--) {
			found = core;
			break;
		}
	}
	mutex_unlock(&nova_core_list_lock);
	return found;
}
#endif /* CONFIG_NOVA_CORE_KUNIT_TEST */

/**
 * nova_core_usage() - what is in use on a GPU now
 * @core: the GPU
 * @usage: filled in
 */
void nova_core_usage(struct nova_core *core, struct nova_core_usage *usage)
{
	mutex_lock(&core->mm.lock);
	usage->vram_used = core->mm.used;
	usage->pt_bytes = core->mm.pt_used;
	mutex_unlock(&core->mm.lock);
	mutex_lock(&core->bar1.lock);
	usage->bar1_used = core->bar1.used;
	mutex_unlock(&core->bar1.lock);
	mutex_lock(&core->tlb.lock);
	usage->tlb_flushes = core->tlb.flushes;
	mutex_unlock(&core->tlb.lock);
}
EXPORT_SYMBOL_GPL(nova_core_usage);

static int nova_core_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct nova_hw *hw = nova_hw_from_pci(pdev);
	struct device *dev = &pdev->dev;
	struct nova_core *core;
	int ret, id;

	/* Real GPUs need GSP firmware support nova-core does not have yet. */
	if (!hw || !hw->ops) {
		dev_info(dev, "no hardware-access backend, not binding\n");
		return -ENODEV;
	}
	/* The backend's code and data stay while the core may use them. */
	if (!try_module_get(hw->owner))
		return -ENODEV;

	/* Maps nothing: BAR0 and BAR1 are reached through @hw. */
	ret = pci_enable_device_mem(pdev);
	if (ret)
		goto err_module;

	core = kzalloc(sizeof(*core), GFP_KERNEL);
	if (!core) {
		ret = -ENOMEM;
		goto err_disable;
	}
	ret = init_srcu_struct(&core->hw_srcu);
	if (ret)
		goto err_free;
	core->dev = dev;
	core->hw = hw;
	ret = nova_core_init(core);
	if (ret)
		goto err_srcu;

	id = ida_alloc(&nova_core_ida, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto err_fini;
	}
	core->adev.id = id;
	core->adev.name = NOVA_CORE_AUX_DEV_NAME;
	core->adev.dev.parent = dev;
	core->adev.dev.release = nova_core_adev_release;
	ret = auxiliary_device_init(&core->adev);
	if (ret) {
		ida_free(&nova_core_ida, id);
		goto err_fini;
	}
	/* From here on the release callback cleans up. */
	get_device(dev);
	pci_set_drvdata(pdev, core);

	mutex_lock(&nova_core_list_lock);
	list_add_tail(&core->node, &nova_core_list);
	mutex_unlock(&nova_core_list_lock);

	ret = auxiliary_device_add(&core->adev);
	if (ret) {
		mutex_lock(&nova_core_list_lock);
		list_del(&core->node);
		mutex_unlock(&nova_core_list_lock);
		ida_free(&nova_core_ida, id);
		auxiliary_device_uninit(&core->adev);
		pci_disable_device(pdev);
		return ret;
	}
	return 0;

err_fini:
	nova_core_fini(core);
err_srcu:
	cleanup_srcu_struct(&core->hw_srcu);
err_free:
	kfree(core);
err_disable:
	pci_disable_device(pdev);
err_module:
	module_put(hw->owner);
	return ret;
}

/*
 * The backend's device goes away (sysfs unbind, module unload, unplug).
 * Clients may still hold objects, VMs and mappings of the GPU: they stay
 * valid until released (see nova_core_adev_release()), but the hardware
 * is never touched again once every sequence of accesses in flight has
 * ended.
 */
static void nova_core_remove(struct pci_dev *pdev)
{
	struct nova_core *core = pci_get_drvdata(pdev);
	struct nova_core_usage usage;
	u32 id = core->adev.id;

	/* Unbinds the DRM driver: its ioctls and faults end first. */
	auxiliary_device_delete(&core->adev);
	mutex_lock(&nova_core_list_lock);
	list_del(&core->node);
	mutex_unlock(&nova_core_list_lock);
	/* The kernel channel and the interrupt handler go while the GPU is. */
	nova_ce_fini(core);
	/* BAR1 stops translating: no CPU access reaches VRAM any more. */
	nova_vmm_detach(core->bar1.vmm);
	/* The MMU writes no more fault packets into VRAM. */
	nova_fault_buf_stop(core);
	WRITE_ONCE(core->gone, true);
	synchronize_srcu(&core->hw_srcu);
	nova_core_usage(core, &usage);
	if (usage.vram_used)
		dev_info(core->dev, "removed; %llu bytes of VRAM still allocated\n",
			 usage.vram_used);
	ida_free(&nova_core_ida, id);
	auxiliary_device_uninit(&core->adev);
	pci_disable_device(pdev);
}

#define NOVA_CORE_PCI_CLASS(_class) {				\
	.vendor = PCI_VENDOR_ID_NVIDIA, .device = PCI_ANY_ID,		\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,		\
	.class = (_class) << 8, .class_mask = 0xffff00,			\
}

/* NVIDIA's display controllers (VGA and 3D), as upstream nova-core. */
static const struct pci_device_id nova_core_pci_table[] = {
	NOVA_CORE_PCI_CLASS(PCI_CLASS_DISPLAY_VGA),
	NOVA_CORE_PCI_CLASS(PCI_CLASS_DISPLAY_3D),
	{ }
};
MODULE_DEVICE_TABLE(pci, nova_core_pci_table);

static struct pci_driver nova_core_driver = {
	.name = "nova-core",
	.id_table = nova_core_pci_table,
	.probe = nova_core_probe,
	.remove = nova_core_remove,
	.dev_groups = nova_core_pci_groups,
};
module_pci_driver(nova_core_driver);

MODULE_DESCRIPTION("nova-core: NVIDIA GPU core and memory management");
MODULE_LICENSE("GPL");
