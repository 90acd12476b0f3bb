// SPDX-License-Identifier: GPL-2.0
/*
 * nova: DRM driver for NVIDIA GPUs, built on nova-core.
 */
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/nova_drm.h>
#include <linux/auxiliary_bus.h>
#include <linux/module.h>

#include "nova_drv.h"

static int nova_ioctl_getparam(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	const struct nova_core_info *info = to_nova_device(drm)->info;
	struct drm_nova_getparam *args = data;

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
	default:
		return -EINVAL;
	}
	return 0;
}

static const struct drm_ioctl_desc nova_ioctls[] = {
	DRM_IOCTL_DEF_DRV(NOVA_GETPARAM, nova_ioctl_getparam, DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(nova_fops);

static const struct drm_driver nova_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER,
	.ioctls = nova_ioctls,
	.num_ioctls = ARRAY_SIZE(nova_ioctls),
	.fops = &nova_fops,
	.name = "nova",
	.desc = "NVIDIA GPUs (nova)",
	.major = 0,
	.minor = 1,
	.patchlevel = 0,
};

static int nova_probe(struct auxiliary_device *adev,
		      const struct auxiliary_device_id *id)
{
	struct nova_device *ndev;
	int ret;

	ndev = devm_drm_dev_alloc(&adev->dev, &nova_drm_driver,
				  struct nova_device, drm);
	if (IS_ERR(ndev))
		return PTR_ERR(ndev);
	ndev->core = nova_core_from_aux(adev);
	ndev->info = nova_core_info(ndev->core);
	auxiliary_set_drvdata(adev, ndev);

	ret = drm_dev_register(&ndev->drm, 0);
	if (ret)
		return ret;
	drm_info(&ndev->drm, "nova on %s, render node %d\n",
		 ndev->info->chip_name, ndev->drm.render->index);
	return 0;
}

static void nova_remove(struct auxiliary_device *adev)
{
	struct nova_device *ndev = auxiliary_get_drvdata(adev);

	drm_dev_unplug(&ndev->drm);
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
module_auxiliary_driver(nova_driver);

MODULE_DESCRIPTION("nova DRM driver for NVIDIA GPUs");
MODULE_LICENSE("GPL");
