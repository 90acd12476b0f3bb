/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __NOVA_DRV_H__
#define __NOVA_DRV_H__

#include <drm/drm_device.h>
#include <linux/nova/core.h>

/**
 * struct nova_device - the nova DRM device of one GPU
 * @drm: the DRM device
 * @core: the GPU, from nova-core
 * @info: the GPU's facts
 */
struct nova_device {
	struct drm_device drm;
	struct nova_core *core;
	const struct nova_core_info *info;
};

static inline struct nova_device *to_nova_device(struct drm_device *drm)
{
	return container_of(drm, struct nova_device, drm);
}

#endif /* __NOVA_DRV_H__ */
