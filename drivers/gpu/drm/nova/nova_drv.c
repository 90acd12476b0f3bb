// SPDX-License-Identifier: GPL-2.0
/*
 * nova: DRM driver for NVIDIA GPUs, built on nova-core.
 */
#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/nova_drm.h>
#include <linux/auxiliary_bus.h>
#include <linux/debugfs.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "nova_drv.h"

static int nova_ioctl_getparam(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct nova_device *ndev = to_nova_device(drm);
	const struct nova_core_info *info = ndev->info;
	struct drm_nova_getparam *args = data;
	struct nova_core_usage usage;

	nova_core_usage(ndev->core, &usage);
	switch (args->param) {
	case NOVA_GETPARAM_VRAM_BAR_SIZE:
		args->value = info->bar1_size;
		break;
	case NOVA_GETPARAM_VRAM_TOTAL:
		args->value = info->vram_total;
		break;
	case NOVA_GETPARAM_VRAM_USABLE:
		args->value = info->vram_usable;
		break;
	case NOVA_GETPARAM_VRAM_USED:
		args->value = usage.vram_used;
		break;
	case NOVA_GETPARAM_CHIPSET:
		args->value = info->chipset;
		break;
	case NOVA_GETPARAM_MMU_VERSION:
		args->value = info->mmu_version;
		break;
	case NOVA_GETPARAM_VA_BITS:
		args->value = info->va_bits;
		break;
	case NOVA_GETPARAM_PAGE_SIZES:
		args->value = info->page_sizes;
		break;
	case NOVA_GETPARAM_VA_START:
		args->value = NOVA_VA_START;
		break;
	case NOVA_GETPARAM_VA_END:
		args->value = nova_va_end(ndev);
		break;
	case NOVA_GETPARAM_BAR1_USED:
		args->value = usage.bar1_used;
		break;
	case NOVA_GETPARAM_MAX_BIND_OPS:
		args->value = NOVA_MAX_BIND_OPS;
		break;
	case NOVA_GETPARAM_MAX_BO_SIZE:
		args->value = nova_max_bo_size(ndev);
		break;
	case NOVA_GETPARAM_MAX_VMS:
		args->value = NOVA_MAX_VMS;
		break;
	case NOVA_GETPARAM_COPY_CLASS:
		args->value = info->copy_class;
		break;
	case NOVA_GETPARAM_MAX_PUSHES:
		args->value = NOVA_MAX_PUSHES;
		break;
	case NOVA_GETPARAM_MAX_CHANNELS:
		args->value = NOVA_MAX_CHANNELS;
		break;
	case NOVA_GETPARAM_EXEC_TIMEOUT_MS:
		args->value = max(nova_exec_timeout_ms, 1U);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/**
 * nova_usage_get() - take a reference on a file's usage counters
 * @usage: the counters
 *
 * Return: @usage.
 */
struct nova_usage *nova_usage_get(struct nova_usage *usage)
{
	kref_get(&usage->ref);
	return usage;
}

static void nova_usage_release(struct kref *ref)
{
	kfree(container_of(ref, struct nova_usage, ref));
}

/**
 * nova_usage_put() - drop a reference on a file's usage counters
 * @usage: the counters
 */
void nova_usage_put(struct nova_usage *usage)
{
	kref_put(&usage->ref, nova_usage_release);
}

static int nova_open(struct drm_device *drm, struct drm_file *file)
{
	struct nova_file *nfile = kzalloc(sizeof(*nfile), GFP_KERNEL);

	if (!nfile)
		return -ENOMEM;
	nfile->usage = kzalloc(sizeof(*nfile->usage), GFP_KERNEL);
	if (!nfile->usage) {
		kfree(nfile);
		return -ENOMEM;
	}
	kref_init(&nfile->usage->ref);
	xa_init_flags(&nfile->vms, XA_FLAGS_ALLOC1);
	xa_init_flags(&nfile->channels, XA_FLAGS_ALLOC1);
	file->driver_priv = nfile;
	return 0;
}

static void nova_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;

	/*
	 * VMs first: destroying a VM stops its channels at once (their jobs
	 * fail with -ESRCH) before its mappings go; then the channels, dead,
	 * are let go of without waiting.
	 */
	nova_file_vms_fini(nfile);
	nova_file_channels_fini(nfile);
	nova_usage_put(nfile->usage);
	kfree(nfile);
}

/*
 * fdinfo: the file's objects, all resident in VRAM; active are those with
 * unsignalled fences in their reservation (a bind of them still queued).
 * Engine "bind": the time the file's binds spent executing; "copy": the
 * time the copy engine spent on the file's EXECs.
 */
static void nova_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_memory_stats stats = {};
	struct drm_gem_object *obj;
	int id;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		stats.private += obj->handle_count > 1 ? 0 : obj->size;
		stats.shared += obj->handle_count > 1 ? obj->size : 0;
		stats.resident += obj->size;
		if (!dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP))
			stats.active += obj->size;
	}
	spin_unlock(&file->table_lock);
	drm_print_memory_stats(p, &stats, DRM_GEM_OBJECT_RESIDENT, "vram");
	drm_printf(p, "drm-engine-bind:\t%llu ns\n",
		   (u64)atomic64_read(&nfile->usage->bind_ns));
	drm_printf(p, "drm-engine-copy:\t%llu ns\n",
		   (u64)atomic64_read(&nfile->usage->copy_ns));
}

/*
 * Every ioctl runs inside drm_dev_enter()/drm_dev_exit(): once the device
 * is unplugged, new calls fail with -ENODEV and nova_remove() waits for
 * the calls in flight. VM_BIND enters by itself, to wait for a
 * synchronous bind outside the section (see nova_ioctl_vm_bind()).
 */
#define NOVA_IOCTL_ENTERED(name)						\
static int name##_entered(struct drm_device *drm, void *data,			\
			  struct drm_file *file)				\
{										\
	int idx, ret;								\
										\
	if (!drm_dev_enter(drm, &idx))						\
		return -ENODEV;							\
	ret = name(drm, data, file);						\
	drm_dev_exit(idx);							\
	return ret;								\
}

NOVA_IOCTL_ENTERED(nova_ioctl_getparam)
NOVA_IOCTL_ENTERED(nova_ioctl_gem_create)
NOVA_IOCTL_ENTERED(nova_ioctl_gem_info)
NOVA_IOCTL_ENTERED(nova_ioctl_vm_create)
NOVA_IOCTL_ENTERED(nova_ioctl_vm_destroy)
NOVA_IOCTL_ENTERED(nova_ioctl_vm_get_state)
NOVA_IOCTL_ENTERED(nova_ioctl_channel_create)
NOVA_IOCTL_ENTERED(nova_ioctl_channel_destroy)
NOVA_IOCTL_ENTERED(nova_ioctl_exec)
NOVA_IOCTL_ENTERED(nova_ioctl_channel_get_state)

static const struct drm_ioctl_desc nova_ioctls[] = {
	DRM_IOCTL_DEF_DRV(NOVA_GETPARAM, nova_ioctl_getparam_entered, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_GEM_CREATE, nova_ioctl_gem_create_entered, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_GEM_INFO, nova_ioctl_gem_info_entered, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_VM_CREATE, nova_ioctl_vm_create_entered, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_VM_DESTROY, nova_ioctl_vm_destroy_entered, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_VM_BIND, nova_ioctl_vm_bind, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_VM_GET_STATE, nova_ioctl_vm_get_state_entered,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_CHANNEL_CREATE, nova_ioctl_channel_create_entered,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_CHANNEL_DESTROY, nova_ioctl_channel_destroy_entered,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_EXEC, nova_ioctl_exec_entered, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_CHANNEL_GET_STATE,
			  nova_ioctl_channel_get_state_entered, DRM_RENDER_ALLOW),
};

/*
 * Place mappings of 2 MiB and more at 2 MiB-aligned addresses, so that the
 * fault handler can insert 2 MiB PFN mappings without userspace having to
 * align them. A BO mapping always starts at the BO's offset 0.
 */
static unsigned long nova_get_unmapped_area(struct file *filp,
					    unsigned long uaddr,
					    unsigned long len,
					    unsigned long pgoff,
					    unsigned long flags)
{
	unsigned long addr, inflated;

	addr = mm_get_unmapped_area(current->mm, filp, uaddr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr) || (flags & MAP_FIXED) || len < SZ_2M ||
	    IS_ALIGNED(addr, SZ_2M) || (uaddr && addr == uaddr))
		return addr;
	if (len + SZ_2M - PAGE_SIZE < len)
		return addr;
	inflated = mm_get_unmapped_area(current->mm, filp, 0,
					len + SZ_2M - PAGE_SIZE, pgoff, flags);
	if (IS_ERR_VALUE(inflated))
		return addr;
	return ALIGN(inflated, SZ_2M);
}

static const struct file_operations nova_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.get_unmapped_area = nova_get_unmapped_area,
	.show_fdinfo = drm_show_fdinfo,
};

static int nova_debugfs_usage(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct nova_device *ndev = to_nova_device(entry->dev);
	struct nova_core_usage usage;

	nova_core_usage(ndev->core, &usage);
	seq_printf(m, "chip: %s\n", ndev->info->chip_name);
	seq_printf(m, "vram_total: %llu\n", ndev->info->vram_total);
	seq_printf(m, "vram_usable: %llu\n", ndev->info->vram_usable);
	seq_printf(m, "vram_used: %llu\n", usage.vram_used);
	seq_printf(m, "pt_bytes: %llu\n", usage.pt_bytes);
	seq_printf(m, "bar1_size: %llu\n", ndev->info->bar1_size);
	seq_printf(m, "bar1_used: %llu\n", usage.bar1_used);
	seq_printf(m, "bar1_evictions: %llu\n", ndev->bar1_evictions);
	seq_printf(m, "cpu_faults: %llu\n", ndev->cpu_faults);
	seq_printf(m, "binds_inline: %lld\n", atomic64_read(&ndev->binds_inline));
	seq_printf(m, "binds_queued: %lld\n", atomic64_read(&ndev->binds_queued));
	seq_printf(m, "tlb_flushes: %llu\n", usage.tlb_flushes);
	return 0;
}

static int nova_debugfs_vms_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;

	nova_debugfs_vms(m, to_nova_device(entry->dev));
	return 0;
}

static const struct drm_debugfs_info nova_debugfs_list[] = {
	{ "nova_usage", nova_debugfs_usage, 0 },
	{ "nova_vms", nova_debugfs_vms_show, 0 },
};

static const struct drm_driver nova_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.open = nova_open,
	.postclose = nova_postclose,
	.show_fdinfo = nova_show_fdinfo,
	.ioctls = nova_ioctls,
	.num_ioctls = ARRAY_SIZE(nova_ioctls),
	.fops = &nova_fops,
	.name = "nova",
	.desc = "NVIDIA GPUs (nova)",
	.major = 0,
	.minor = 1,
	.patchlevel = 0,
};

/* The device's last reference is gone: no job can be freed any more. */
static void nova_cleanup_wq_fini(struct drm_device *drm, void *wq)
{
	destroy_workqueue(wq);
}

static void nova_drm_put(void *drm)
{
	drm_dev_put(drm);
}

static void nova_adev_put(struct drm_device *drm, void *adev)
{
	put_device(adev);
}

static int nova_probe(struct auxiliary_device *adev,
		      const struct auxiliary_device_id *id)
{
	struct nova_device *ndev;
	struct drm_device *drm;
	int ret;

	/*
	 * The DRM device's parent is the GPU's PCI device (what libdrm,
	 * /sys/class/drm/cardN/device and fdinfo's drm-pdev show), while nova
	 * is bound to @adev: the probe's reference on the DRM device is
	 * dropped when @adev unbinds, not through the parent's devres.
	 */
	drm = drm_dev_alloc(&nova_drm_driver, adev->dev.parent);
	if (IS_ERR(drm))
		return PTR_ERR(drm);
	ret = devm_add_action_or_reset(&adev->dev, nova_drm_put, drm);
	if (ret)
		return ret;
	/* The GPU's memory management outlives every object of the device. */
	get_device(&adev->dev);
	ret = drmm_add_action_or_reset(drm, nova_adev_put, &adev->dev);
	if (ret)
		return ret;
	ndev = drmm_kzalloc(drm, sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		return -ENOMEM;
	ndev->drm = drm;
	drm->dev_private = ndev;
	ndev->core = nova_core_from_aux(adev);
	ndev->info = nova_core_info(ndev->core);
	ret = drmm_mutex_init(ndev->drm, &ndev->bar1_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&ndev->bar1_lru);
	ret = drmm_mutex_init(ndev->drm, &ndev->chan_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&ndev->channels);
	ndev->cleanup_wq = alloc_workqueue("nova-cleanup", WQ_UNBOUND, 0);
	if (!ndev->cleanup_wq)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(ndev->drm, nova_cleanup_wq_fini,
				       ndev->cleanup_wq);
	if (ret)
		return ret;
	auxiliary_set_drvdata(adev, ndev);
	drm_debugfs_add_files(ndev->drm, nova_debugfs_list,
			      ARRAY_SIZE(nova_debugfs_list));
	/* Forcing small pages on new VMs: what the huge-page benchmark needs. */
	debugfs_create_x64("nova_vm_page_sizes", 0600, ndev->drm->debugfs_root,
			   &ndev->vm_page_sizes);

	ret = drm_dev_register(ndev->drm, 0);
	if (ret)
		return ret;
	drm_info(ndev->drm, "nova on %s, render node %d\n",
		 ndev->info->chip_name, ndev->drm->render->index);
	return 0;
}

/*
 * The GPU goes away while clients may still hold files, objects, VMs,
 * mmaps and dma-bufs: drm_dev_unplug() makes new ioctls fail with
 * -ENODEV, waits for those in flight and zaps every CPU mapping (a new
 * fault gets SIGBUS); queued binds fail with -ENODEV when they run.
 * Every channel is then stopped with -ENODEV: its jobs fail, and
 * nova-core, unbinding next, finds no channel of ours on the GPU.
 * What the clients hold is freed when they let go of it; the DRM device,
 * holding a reference on nova-core's auxiliary device, keeps the GPU's
 * memory management alive until then.
 */
static void nova_remove(struct auxiliary_device *adev)
{
	struct nova_device *ndev = auxiliary_get_drvdata(adev);

	drm_dev_unplug(ndev->drm);
	/* The GPU stops running clients' work before nova-core goes. */
	nova_exec_unplug(ndev);
}

static const struct auxiliary_device_id nova_id_table[] = {
	{ .name = "nova_core." NOVA_CORE_AUX_DEV_NAME },
	{}
};
MODULE_DEVICE_TABLE(auxiliary, nova_id_table);

static struct auxiliary_driver nova_driver = {
	.name = "nova-drm",
	.probe = nova_probe,
	.remove = nova_remove,
	.id_table = nova_id_table,
};

static int __init nova_init(void)
{
	int ret;

	ret = nova_vm_module_init();
	if (ret)
		return ret;
	ret = auxiliary_driver_register(&nova_driver);
	if (ret)
		nova_vm_module_exit();
	return ret;
}
module_init(nova_init);

/* Unbinding every device frees every bind job and mapping: caches last. */
static void __exit nova_exit(void)
{
	auxiliary_driver_unregister(&nova_driver);
	nova_vm_module_exit();
}
module_exit(nova_exit);

MODULE_DESCRIPTION("nova DRM driver for NVIDIA GPUs");
MODULE_LICENSE("GPL");
