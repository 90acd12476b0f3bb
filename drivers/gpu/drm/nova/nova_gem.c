// SPDX-License-Identifier: GPL-2.0
/*
 * nova GEM objects: buffer objects in VRAM, mapped to the CPU through
 * BAR1.
 *
 * A CPU fault on an mmap of an object maps the whole object into BAR1 (if
 * it is not mapped yet) and inserts the CPU page behind the faulting BAR1
 * offset, or a 2 MiB PFN mapping where the object, BAR1 and the page are
 * 2 MiB aligned. BAR1 is smaller than VRAM: when it is full, the least
 * recently faulted objects are evicted from it. Eviction and freeing zap
 * the CPU mappings of an object before its BAR1 range is unmapped, so no
 * CPU access can reach VRAM the object no longer owns.
 */
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>
#include <drm/nova_drm.h>
#include <linux/dma-resv.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>
#include <linux/sizes.h>

#include "nova_drv.h"

static void nova_bo_bar1_unmap_locked(struct nova_bo *bo)
{
	struct nova_device *ndev = to_nova_device(bo->base.dev);

	lockdep_assert_held(&ndev->bar1_lock);
	if (!bo->bar1)
		return;
	/*
	 * CPU mappings go first: nothing may reach the BAR1 range after. This
	 * covers mmaps of the object's dma-buf too: DRM points the dma-buf
	 * file at the device's address space and maps at the fake offset.
	 */
	drm_vma_node_unmap(&bo->base.vma_node, bo->base.dev->anon_inode->i_mapping);
	nova_bar1_unmap(bo->bar1);
	bo->bar1 = NULL;
	list_del_init(&bo->bar1_lru);
}

static int nova_bo_bar1_map_locked(struct nova_bo *bo)
{
	struct nova_device *ndev = to_nova_device(bo->base.dev);
	struct nova_bar1_map *map;
	struct nova_bo *victim;

	lockdep_assert_held(&ndev->bar1_lock);
	if (bo->bar1)
		goto out;
	for (;;) {
		map = nova_bar1_map(ndev->core, bo->vram);
		if (!IS_ERR(map))
			break;
		if (PTR_ERR(map) != -ENOSPC)
			return PTR_ERR(map);
		/* BAR1 is full: evict the least recently used object. */
		victim = list_first_entry_or_null(&ndev->bar1_lru, struct nova_bo,
						  bar1_lru);
		if (!victim)
			return -ENOSPC;
		nova_bo_bar1_unmap_locked(victim);
		ndev->bar1_evictions++;
	}
	bo->bar1 = map;
out:
	list_move_tail(&bo->bar1_lru, &ndev->bar1_lru);
	return 0;
}

/*
 * An allocation failure is VM_FAULT_OOM, which the fault is retried on;
 * anything else (BAR1 full with nothing to evict, a GPU MMU fault) is
 * SIGBUS.
 */
static vm_fault_t nova_gem_fault_err(int err)
{
	return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
}

static vm_fault_t nova_gem_fault_order(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct nova_bo *bo = to_nova_bo(obj);
	struct nova_device *ndev = to_nova_device(obj->dev);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	/* dma-buf mmaps may start at an offset into the object. */
	u64 start = (u64)(vma->vm_pgoff - drm_vma_node_start(&obj->vma_node)) <<
		    PAGE_SHIFT;
	u64 offset = round_down(vmf->address, PAGE_SIZE) - vma->vm_start + start;
	unsigned long pfn, last;
	vm_fault_t ret;
	u64 bar1;
	int err, idx;

	if (order) {
		unsigned long addr = vmf->address & ~((PAGE_SIZE << order) - 1);

		/* The whole block must lie in the VMA and start a block of the BO. */
		if (addr < vma->vm_start || addr + (PAGE_SIZE << order) > vma->vm_end)
			return VM_FAULT_FALLBACK;
		offset = addr - vma->vm_start + start;
		if (!IS_ALIGNED(offset, PAGE_SIZE << order))
			return VM_FAULT_FALLBACK;
	}
	if (offset + (PAGE_SIZE << order) > obj->size)
		return order ? VM_FAULT_FALLBACK : VM_FAULT_SIGBUS;

	/* No CPU access once the device is unplugged. */
	if (!drm_dev_enter(obj->dev, &idx))
		return VM_FAULT_SIGBUS;
	mutex_lock(&ndev->bar1_lock);
	err = nova_bo_bar1_map_locked(bo);
	if (err) {
		ret = nova_gem_fault_err(err);
		goto out;
	}
	bar1 = nova_bar1_offset(bo->bar1) + offset;
	/* A simulated GPU may have to back the VRAM page: -ENOMEM too. */
	err = nova_bar1_pfn(ndev->core, bar1, write, &pfn);
	if (err) {
		ret = nova_gem_fault_err(err);
		goto out;
	}
	if (!order) {
		ret = vmf_insert_pfn(vma, vmf->address, pfn);
		ndev->cpu_faults++;
		goto out;
	}
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	/* One 2 MiB PFN mapping when the backing pages are contiguous. */
	ret = VM_FAULT_FALLBACK;
	if (!IS_ALIGNED(bar1, SZ_2M) || !IS_ALIGNED(pfn, 1 << order) ||
	    nova_bar1_pfn(ndev->core, bar1 + SZ_2M - PAGE_SIZE, write, &last) ||
	    last != pfn + (1 << order) - 1)
		goto out;
	ret = vmf_insert_pfn_pmd(vmf, pfn_to_pfn_t(pfn), write);
	ndev->cpu_faults++;
#else
	ret = VM_FAULT_FALLBACK;
#endif
out:
	mutex_unlock(&ndev->bar1_lock);
	drm_dev_exit(idx);
	return ret;
}

static vm_fault_t nova_gem_fault(struct vm_fault *vmf)
{
	return nova_gem_fault_order(vmf, 0);
}

static vm_fault_t nova_gem_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	if (order != PMD_ORDER)
		return VM_FAULT_FALLBACK;
	return nova_gem_fault_order(vmf, order);
}

static const struct vm_operations_struct nova_gem_vm_ops = {
	.fault = nova_gem_fault,
	.huge_fault = nova_gem_huge_fault,
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static int nova_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	/*
	 * BAR1 pages cannot be copied on write: a private writable mapping
	 * would reach vmf_insert_pfn() on a COW mapping, which the core mm
	 * does not allow.
	 */
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	/*
	 * BAR1 pages are inserted as PFNs on fault. The simulated GPU's BAR1
	 * is host memory, mapped cached; a PCI backend maps write-combined.
	 */
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_private_data = obj;
	return 0;
}

/* The object's GPU work is over: its VRAM goes back to the allocator. */
static void nova_gem_release(struct nova_bo *bo)
{
	nova_vram_free(bo->vram);
	drm_gem_free_mmap_offset(&bo->base);
	drm_gem_object_release(&bo->base);
	mutex_destroy(&bo->gpuva_lock);
	kfree(bo);
}

static void nova_gem_free_when_idle(struct nova_bo *bo);

static void nova_gem_idle_work(struct work_struct *work)
{
	struct nova_bo *bo = container_of(work, struct nova_bo, free_work);

	dma_fence_put(bo->free_fence);
	bo->free_fence = NULL;
	nova_gem_free_when_idle(bo);
}

static void nova_gem_idle_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct nova_bo *bo = container_of(cb, struct nova_bo, free_cb);
	struct nova_device *ndev = to_nova_device(bo->base.dev);

	queue_work(ndev->cleanup_wq, &bo->free_work);
}

/*
 * Free the object once every fence of its reservation has signalled (the
 * EXECs that may still touch its VRAM): one fence at a time, from a fence
 * callback and nova's cleanup workqueue, so that no drm_sched worker or
 * signalling path ever waits here.
 */
static void nova_gem_free_when_idle(struct nova_bo *bo)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence, *busy;

	for (;;) {
		busy = NULL;
		dma_resv_iter_begin(&cursor, bo->base.resv,
				    DMA_RESV_USAGE_BOOKKEEP);
		dma_resv_for_each_fence_unlocked(&cursor, fence) {
			if (!dma_fence_is_signaled(fence)) {
				busy = dma_fence_get(fence);
				break;
			}
		}
		dma_resv_iter_end(&cursor);
		if (!busy)
			break;
		bo->free_fence = busy;
		if (!dma_fence_add_callback(busy, &bo->free_cb, nova_gem_idle_cb))
			return;
		/* Signalled meanwhile: look again. */
		bo->free_fence = NULL;
		dma_fence_put(busy);
	}
	nova_gem_release(bo);
}

static void nova_gem_free(struct drm_gem_object *obj)
{
	struct nova_bo *bo = to_nova_bo(obj);
	struct nova_device *ndev = to_nova_device(obj->dev);

	mutex_lock(&ndev->bar1_lock);
	nova_bo_bar1_unmap_locked(bo);
	mutex_unlock(&ndev->bar1_lock);
	INIT_WORK(&bo->free_work, nova_gem_idle_work);
	nova_gem_free_when_idle(bo);
}

static enum drm_gem_object_status nova_gem_status(struct drm_gem_object *obj)
{
	return DRM_GEM_OBJECT_RESIDENT;
}

static const struct drm_gem_object_funcs nova_gem_funcs = {
	.free = nova_gem_free,
	.mmap = nova_gem_mmap,
	.status = nova_gem_status,
	.vm_ops = &nova_gem_vm_ops,
};

/**
 * nova_bo_create() - create a zeroed buffer object in VRAM
 * @ndev: the device
 * @size: bytes, a non-zero multiple of 4 KiB
 *
 * Return: the object with one reference, or an ERR_PTR.
 */
struct nova_bo *nova_bo_create(struct nova_device *ndev, u64 size)
{
	struct nova_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.funcs = &nova_gem_funcs;
	INIT_LIST_HEAD(&bo->bar1_lru);
	mutex_init(&bo->gpuva_lock);
	drm_gem_private_object_init(ndev->drm, &bo->base, size);
	drm_gem_gpuva_set_lock(&bo->base, &bo->gpuva_lock);

	bo->vram = nova_vram_alloc(ndev->core, size, 0);
	if (IS_ERR(bo->vram)) {
		ret = PTR_ERR(bo->vram);
		bo->vram = NULL;
		goto err;
	}
	/* No data may leak between clients. */
	ret = nova_vram_clear(bo->vram);
	if (ret)
		goto err;
	ret = drm_gem_create_mmap_offset(&bo->base);
	if (ret)
		goto err;
	return bo;
err:
	drm_gem_object_put(&bo->base);
	return ERR_PTR(ret);
}

/**
 * nova_ioctl_gem_create() - DRM_IOCTL_NOVA_GEM_CREATE
 * @drm: the device
 * @data: &struct drm_nova_gem_create
 * @file: the caller
 *
 * Return: 0, -EINVAL for bad flags or size, -ENOSPC when VRAM is full.
 */
int nova_ioctl_gem_create(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct nova_device *ndev = to_nova_device(drm);
	struct drm_nova_gem_create *args = data;
	struct nova_bo *bo;
	u32 handle;
	int ret;

	if (args->flags)
		return -EINVAL;
	if (!args->size || !IS_ALIGNED(args->size, SZ_4K) ||
	    args->size > nova_max_bo_size(ndev))
		return -EINVAL;
	bo = nova_bo_create(ndev, args->size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base, &handle);
	drm_gem_object_put(&bo->base);
	if (ret)
		return ret;
	args->handle = handle;
	return 0;
}

/**
 * nova_ioctl_gem_info() - DRM_IOCTL_NOVA_GEM_INFO
 * @drm: the device
 * @data: &struct drm_nova_gem_info
 * @file: the caller
 *
 * Return: 0, -EINVAL for non-zero padding, -ENOENT for a bad handle.
 */
int nova_ioctl_gem_info(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct drm_nova_gem_info *args = data;
	struct drm_gem_object *obj;

	if (args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->size = obj->size;
	args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}
