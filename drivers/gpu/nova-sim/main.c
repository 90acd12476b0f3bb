// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim: a simulated NVIDIA GPU memory subsystem for nova.
 *
 * Each instance listed in the "gpus" module parameter becomes a PCI
 * device on a PCI host bridge of nova-sim's own (pci.c), whose platform
 * data is a &struct nova_hw. See Documentation/gpu/nova/sim.rst.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nova/regs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

static char *gpus = "ga102:512M:256M,gh100:4G:256M";
module_param(gpus, charp, 0444);
MODULE_PARM_DESC(gpus, "Simulated GPUs: chip:vram:bar1[,...] (chips tu102, ga102, ad102, gh100)");

unsigned int nsim_tlb_delay_us = 5;
module_param_named(tlb_delay_us, nsim_tlb_delay_us, uint, 0644);
MODULE_PARM_DESC(tlb_delay_us, "TLB invalidation latency in microseconds (default 5)");

/* Turing, Ampere and Ada: MMU v2, PRAMIN window in NV_PBUS_BAR0_WINDOW. */
#define NSIM_CHIP_V2(_name, _chipset, _pci, _chan, _ce) {		\
	.name = _name,							\
	.chipset = _chipset,						\
	.pci_device = _pci,						\
	.chan_class = _chan,						\
	.ce_class = _ce,						\
	.mmu_ver = 2,							\
	.window_reg = NV_PBUS_BAR0_WINDOW,				\
	.window_mask = NV_PBUS_BAR0_WINDOW_BASE |			\
		       NV_PBUS_BAR0_WINDOW_TARGET,			\
	.window_base_mask = NV_PBUS_BAR0_WINDOW_BASE,			\
	.window_target_mask = NV_PBUS_BAR0_WINDOW_TARGET,		\
	.fault_eng_ce0 = NV_PFAULT_MMU_ENG_ID_CE0_TU102,		\
	.fault_eng_bar1 = NV_PFAULT_MMU_ENG_ID_BAR1_TU102,		\
}

/*
 * PCI device ids: one real board of each chip, from the PCI ID Repository
 * (pci.ids, https://pci-ids.ucw.cz, vendor 10de): 1e02 "TU102 [TITAN
 * RTX]", 2204 "GA102 [GeForce RTX 3090]", 2684 "AD102 [GeForce RTX 4090]",
 * 2330 "GH100 [H100 SXM5 80GB]".
 */
static const struct nsim_chip nsim_chips[] = {
	/* Turing's channel and copy classes are not modelled. */
	NSIM_CHIP_V2("tu102", NV_CHIPSET_TU102, 0x1e02, 0, 0),
	NSIM_CHIP_V2("ga102", NV_CHIPSET_GA102, 0x2204,
		     AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B),
	NSIM_CHIP_V2("ad102", NV_CHIPSET_AD102, 0x2684,
		     AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B),
	{
		.name = "gh100",
		.chipset = NV_CHIPSET_GH100,
		.pci_device = 0x2330,
		.mmu_ver = 3,
		.window_reg = NV_XAL_EP_ZB_BAR0_WINDOW,
		.window_mask = NV_XAL_EP_ZB_BAR0_WINDOW_BASE,
		.window_base_mask = NV_XAL_EP_ZB_BAR0_WINDOW_BASE,
		.window_target_mask = 0,
		.chan_class = HOPPER_CHANNEL_GPFIFO_A,
		.ce_class = HOPPER_DMA_COPY_A,
		.fault_eng_ce0 = NV_PFAULT_MMU_ENG_ID_CE0_GH100,
		.fault_eng_bar1 = NV_PFAULT_MMU_ENG_ID_BAR1_GH100,
	},
};

static int nsim_get_static_info(struct nova_hw *hw,
				struct nova_hw_static_info *info)
{
	struct nsim *sim = nsim_from_hw(hw);

	info->fb_usable_start = NSIM_FB_USABLE_START;
	info->fb_usable_end = sim->reserved_start;
	info->vram_end = sim->vram_size;
	info->bar1_pdb = sim->bar1_pdb;
	info->bar1_size = sim->bar1_size;

	return 0;
}

static const struct nova_hw_ops nsim_ops = {
	.rd32 = nsim_rd32,
	.wr32 = nsim_wr32,
	.get_static_info = nsim_get_static_info,
	.bar1_pfn = nsim_bar1_pfn,
	.channel_alloc = nsim_channel_alloc,
	.set_irq = nsim_set_irq,
	.channel_free = nsim_channel_free,
};

static const struct nova_hw_probe_ops nsim_probe_ops = {
	.translate = nsim_translate,
	.mem_access = nsim_mem_access,
	.counters = nsim_counters,
};

static struct dentry *nsim_debugfs_root;
static struct nsim *nsim_gpus[NSIM_MAX_GPUS];
static unsigned int nsim_ngpus;

/**
 * nsim_chip_find() - look a chip up by name
 * @name: chip name ("ga102")
 *
 * Return: the chip, or NULL when it is not simulated.
 */
const struct nsim_chip *nsim_chip_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nsim_chips); i++)
		if (!strcmp(nsim_chips[i].name, name))
			return &nsim_chips[i];

	return NULL;
}

/**
 * nsim_create() - create a simulated GPU
 * @chip: chip name
 * @vram_size: VRAM bytes, a multiple of 2 MiB, at least 16 MiB
 * @bar1_size: BAR1 bytes, a non-zero multiple of the page size
 * @id: instance number, -1 for a private (test) instance
 *
 * Registers no device. May sleep.
 *
 * Return: the instance or an ERR_PTR().
 */
struct nsim *nsim_create(const char *chip, u64 vram_size, u64 bar1_size,
			 int id)
{
	const struct nsim_chip *c = nsim_chip_find(chip);
	u64 reserved;
	struct nsim *sim;
	int ret;

	if (!c)
		return ERR_PTR(-ENODEV);
	if (vram_size < NSIM_VRAM_MIN || vram_size & (NSIM_CHUNK_SIZE - 1) ||
	    !bar1_size || bar1_size & (PAGE_SIZE - 1) ||
	    bar1_size > BIT_ULL(48))
		return ERR_PTR(-EINVAL);

	sim = kvzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);

	sim->chip = c;
	sim->id = id;
	if (id >= 0)
		snprintf(sim->name, sizeof(sim->name), "gpu%d", id);
	else
		strscpy(sim->name, "private", sizeof(sim->name));
	sim->hw.owner = THIS_MODULE;
	sim->hw.ops = &nsim_ops;
	sim->hw.probe = &nsim_probe_ops;
	sim->hw.priv = sim;
	sim->vram_size = vram_size;
	sim->bar1_size = bar1_size;

	/* The firmware's region: vram/32, at most 16 MiB, at least 2 MiB. */
	reserved = min_t(u64, NSIM_RESERVED_MAX, vram_size / 32);
	reserved = max_t(u64, reserved & ~(NSIM_CHUNK_SIZE - 1),
			 NSIM_CHUNK_SIZE);
	sim->reserved_start = vram_size - reserved;
	sim->bar1_pdb = sim->reserved_start;

	spin_lock_init(&sim->lock);
	sim->tlb_delay_us = -1;
	sim->gpc.name = "gpc";
	sim->hub.name = "hub";
	mutex_init(&sim->dbg_lock);

	ret = nsim_vram_init(sim);
	if (ret) {
		mutex_destroy(&sim->dbg_lock);
		kvfree(sim);
		return ERR_PTR(ret);
	}
	ret = nsim_host_init(sim);
	if (ret) {
		nsim_vram_fini(sim);
		mutex_destroy(&sim->dbg_lock);
		kvfree(sim);
		return ERR_PTR(ret);
	}

	return sim;
}

/**
 * nsim_destroy() - free a simulated GPU
 * @sim: the instance; its device (if any) must be unregistered
 */
void nsim_destroy(struct nsim *sim)
{
	debugfs_remove_recursive(sim->debugfs);
	nsim_host_fini(sim);
	nsim_vram_fini(sim);
	mutex_destroy(&sim->dbg_lock);
	kvfree(sim);
}

static int nsim_add(const char *chip, u64 vram, u64 bar1)
{
	int id = nsim_ngpus;
	struct nsim *sim;

	if (nsim_ngpus == NSIM_MAX_GPUS)
		return -ENOSPC;

	sim = nsim_create(chip, vram, bar1, id);
	if (IS_ERR(sim))
		return PTR_ERR(sim);

	nsim_debugfs_init(nsim_debugfs_root, sim);
	nsim_gpus[nsim_ngpus++] = sim;
	pr_info("nova-sim: %s: %s, %llu MiB VRAM, %llu MiB BAR1, MMU v%u\n",
		sim->name, sim->chip->name, vram >> 20, bar1 >> 20,
		sim->chip->mmu_ver);

	return 0;
}

static void nsim_remove_all(void)
{
	/* Unbinds nova-core: it no longer uses any instance. */
	nsim_pci_remove();
	while (nsim_ngpus) {
		struct nsim *sim = nsim_gpus[--nsim_ngpus];

		nsim_destroy(sim);
		nsim_gpus[nsim_ngpus] = NULL;
	}
}

/* Parse "chip:vram:bar1[,chip:vram:bar1...]" and create the instances. */
static int nsim_add_all(const char *list)
{
	char *buf, *p, *entry;
	int ret = 0;

	buf = kstrdup(list, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	p = buf;
	while ((entry = strsep(&p, ",")) != NULL) {
		char *chip, *vram, *bar1, *end;
		u64 vram_size, bar1_size;

		entry = strim(entry);
		if (!*entry)
			continue;
		chip = strsep(&entry, ":");
		vram = strsep(&entry, ":");
		bar1 = strsep(&entry, ":");
		if (!vram || !bar1 || entry) {
			ret = -EINVAL;
			break;
		}
		vram_size = memparse(vram, &end);
		if (*end) {
			ret = -EINVAL;
			break;
		}
		bar1_size = memparse(bar1, &end);
		if (*end) {
			ret = -EINVAL;
			break;
		}
		ret = nsim_add(chip, vram_size, bar1_size);
		if (ret) {
			pr_err("nova-sim: cannot create %s:%s:%s: %d\n",
			       chip, vram, bar1, ret);
			break;
		}
	}
	if (ret == -EINVAL)
		pr_err("nova-sim: bad gpus= \"%s\" (want chip:vram:bar1,...)\n",
		       list);
	kfree(buf);

	return ret;
}

static int __init nsim_init(void)
{
	int ret;

	nsim_debugfs_root = debugfs_create_dir("nova-sim", NULL);
	ret = nsim_add_all(gpus);
	if (!ret)
		ret = nsim_pci_add(nsim_gpus, nsim_ngpus);
	if (ret) {
		nsim_remove_all();
		debugfs_remove_recursive(nsim_debugfs_root);
	}

	return ret;
}

static void __exit nsim_exit(void)
{
	nsim_remove_all();
	debugfs_remove_recursive(nsim_debugfs_root);
}

module_init(nsim_init);
module_exit(nsim_exit);

MODULE_DESCRIPTION("Simulated NVIDIA GPU memory subsystem for nova");
MODULE_LICENSE("GPL");
