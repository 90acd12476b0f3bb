// SPDX-License-Identifier: GPL-2.0
/*
 * BAR1 user interface: CPU access to VRAM through the GPU MMU. The BAR1
 * address space's root directory is made by firmware (GSP reports it in
 * its static info); nova-core maps VRAM allocations into it with a VMM
 * and hands out BAR1 offsets. The HUB TLB alone caches BAR1
 * translations, so flushes are HUB-only.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "../nova_core.h"

/**
 * struct nova_bar1_map - VRAM mapped into BAR1
 * @core: the GPU; set by nova_bar1_map(), never changes
 * @offset: BAR1 offset of the first byte; set by nova_bar1_map(), never
 *	changes
 * @size: bytes; set by nova_bar1_map(), never changes
 *
 * Owned by the caller of nova_bar1_map() until nova_bar1_unmap(): no lock
 * of nova-core protects it (the DRM driver serialises map, unmap and use
 * of a BO's mapping with its nova_device.bar1_lock).
 */
struct nova_bar1_map {
	struct nova_core *core;
	u64 offset;
	u64 size;
};

/**
 * nova_bar1_init() - set up the BAR1 address space
 * @core: the GPU, with its static info read
 *
 * Return: 0 or a negative errno.
 */
int nova_bar1_init(struct nova_core *core)
{
	struct nova_vmm *vmm;

	mutex_init(&core->bar1.lock);
	vmm = nova_vmm_create_at(core, core->sinfo.bar1_pdb,
				 core->sinfo.bar1_size, NOVA_TLB_HUB_ONLY);
	if (IS_ERR(vmm))
		return PTR_ERR(vmm);
	core->bar1.vmm = vmm;
	return 0;
}

/**
 * nova_bar1_fini() - tear down the BAR1 address space
 * @core: the GPU; nothing may be mapped any more
 */
void nova_bar1_fini(struct nova_core *core)
{
	WARN(core->bar1.used, "nova: %llu bytes still mapped in BAR1\n",
	     core->bar1.used);
	nova_vmm_destroy(core->bar1.vmm);
	core->bar1.vmm = NULL;
}

/**
 * nova_bar1_map() - map a VRAM allocation into BAR1
 * @core: the GPU
 * @vram: the allocation; it stays mapped until nova_bar1_unmap()
 *
 * Allocations of 2 MiB and more get a 2 MiB-aligned BAR1 range so that
 * both the GPU and the CPU can map them with 2 MiB pages. May sleep.
 *
 * Return: the mapping, ERR_PTR(-ENOSPC) when BAR1 is full, ERR_PTR(-ENOMEM)
 * when memory (also VRAM for BAR1's page tables) cannot be had, or another
 * ERR_PTR.
 */
struct nova_bar1_map *nova_bar1_map(struct nova_core *core,
				    struct nova_vram *vram)
{
	struct nova_vmm *vmm = core->bar1.vmm;
	u64 size = nova_vram_size(vram);
	struct nova_bar1_map *map;
	int ret;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->core = core;
	map->size = size;
	ret = nova_vmm_va_alloc(vmm, size, size >= SZ_2M ? SZ_2M : SZ_4K,
				&map->offset);
	if (ret)
		goto err_free;
	ret = nova_vmm_map(vmm, map->offset, size, vram, 0, 0);
	/*
	 * BAR1's page tables live in VRAM: failing to allocate one is not
	 * BAR1 being full (the buddy allocator reports any failure as
	 * -ENOSPC), and evicting other objects from BAR1 would not help.
	 */
	if (ret == -ENOSPC)
		ret = -ENOMEM;
	if (ret)
		goto err_va;
	mutex_lock(&core->bar1.lock);
	core->bar1.used += size;
	mutex_unlock(&core->bar1.lock);
	return map;

err_va:
	nova_vmm_va_free(vmm, map->offset);
err_free:
	kfree(map);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(nova_bar1_map);

/**
 * nova_bar1_unmap() - unmap from BAR1
 * @map: the mapping; CPU mappings of its pages must be gone
 */
void nova_bar1_unmap(struct nova_bar1_map *map)
{
	struct nova_core *core;
	int ret;

	if (!map)
		return;
	core = map->core;
	ret = nova_vmm_unmap(core->bar1.vmm, map->offset, map->size);
	/* A GPU that is gone translates nothing through BAR1 any more. */
	WARN_ON(ret && ret != -ENODEV);
	nova_vmm_va_free(core->bar1.vmm, map->offset);
	mutex_lock(&core->bar1.lock);
	core->bar1.used -= map->size;
	mutex_unlock(&core->bar1.lock);
	kfree(map);
}
EXPORT_SYMBOL_GPL(nova_bar1_unmap);

/**
 * nova_bar1_offset() - BAR1 offset of a mapping
 * @map: the mapping
 *
 * Return: the offset of its first byte.
 */
u64 nova_bar1_offset(const struct nova_bar1_map *map)
{
	return map->offset;
}
EXPORT_SYMBOL_GPL(nova_bar1_offset);

/**
 * nova_bar1_pfn() - the CPU page behind a BAR1 offset
 * @core: the GPU
 * @offset: BAR1 offset
 * @write: for a write access
 * @pfn: the page frame to map into a CPU page table
 *
 * Return: 0, -EFAULT when the GPU MMU faults on @offset, -ENOMEM when the
 * backend cannot back the page (a simulated GPU allocates VRAM backing on
 * first use), -ENODEV when the GPU is gone.
 */
int nova_bar1_pfn(struct nova_core *core, u64 offset, bool write,
		  unsigned long *pfn)
{
	int ret, idx;

	if (offset >= core->sinfo.bar1_size)
		return -EFAULT;
	if (!nova_hw_enter(core, &idx))
		return -ENODEV;
	ret = core->hw->ops->bar1_pfn(core->hw, offset, write, pfn);
	nova_hw_exit(core, idx);
	return ret;
}
EXPORT_SYMBOL_GPL(nova_bar1_pfn);

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_bar1_rw() - CPU read or write through BAR1
 * @core: the GPU
 * @offset: BAR1 offset
 * @buf: data
 * @len: bytes
 * @write: write @buf to BAR1, else read into it
 *
 * Return: 0, or -EFAULT when the GPU MMU faults.
 */
int nova_bar1_rw(struct nova_core *core, u64 offset, void *buf, size_t len,
		 bool write)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(offset));
		unsigned long pfn;
		void *p;
		int ret;

		ret = nova_bar1_pfn(core, offset, write, &pfn);
		if (ret)
			return ret;
		p = kmap_local_pfn(pfn) + offset_in_page(offset);
		if (write)
			memcpy(p, buf, n);
		else
			memcpy(buf, p, n);
		kunmap_local(p);
		offset += n;
		buf += n;
		len -= n;
	}
	return 0;
}
#endif /* CONFIG_NOVA_CORE_KUNIT_TEST */
