// SPDX-License-Identifier: GPL-2.0
/*
 * nova: the user arrays and syncs that VM_BIND and EXEC share.
 */
#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>
#include <drm/nova_drm.h>
#include <linux/dma-fence-chain.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "nova_drv.h"

/**
 * nova_copy_array() - copy a strided array of user structures in
 * @arr: the array as userspace described it
 * @size: size of the kernel's structure
 * @max: most elements accepted
 *
 * User elements shorter than @size are zero-extended, longer ones must be
 * zero past @size.
 *
 * Context: process context; may sleep.
 * Return: the kernel copy (kvfree() it), NULL for an empty array, or an
 * ERR_PTR: -EINVAL for a count past @max, a zero stride or non-zero bytes
 * past what the kernel knows, -EFAULT, -ENOMEM.
 */
void *nova_copy_array(const struct drm_nova_obj_array *arr, size_t size,
		      u32 max)
{
	void __user *uptr = u64_to_user_ptr(arr->array);
	u8 *out;
	u32 i;
	int ret;

	if (!arr->count)
		return NULL;
	if (arr->count > max || !arr->stride)
		return ERR_PTR(-EINVAL);
	out = kvcalloc(arr->count, size, GFP_KERNEL);
	if (!out)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < arr->count; i++) {
		ret = copy_struct_from_user(out + i * size, size,
					    uptr + (size_t)i * arr->stride,
					    arr->stride);
		if (ret) {
			kvfree(out);
			return ERR_PTR(ret == -E2BIG ? -EINVAL : ret);
		}
	}
	return out;
}

/**
 * nova_sync_check() - check one sync's fields
 * @sync: the sync, copied in
 *
 * Context: any.
 * Return: 0, or -EINVAL for an unknown type or flag, or a point on a
 * binary syncobj.
 */
int nova_sync_check(const struct drm_nova_sync *sync)
{
	u32 type = sync->flags & NOVA_SYNC_TYPE_MASK;

	if (sync->flags & ~(NOVA_SYNC_TYPE_MASK | NOVA_SYNC_SIGNAL))
		return -EINVAL;
	if (type != NOVA_SYNC_SYNCOBJ && type != NOVA_SYNC_TIMELINE_SYNCOBJ)
		return -EINVAL;
	if (type == NOVA_SYNC_SYNCOBJ && sync->timeline_value)
		return -EINVAL;
	return 0;
}

/**
 * nova_syncs_parse() - check and look up the syncs of a call
 * @file: the caller, whose handles name the syncobjs
 * @usyncs: the syncs, copied in
 * @count: how many
 * @s: zeroed; gets the wait fences and the signal operations
 *
 * Every sync is checked before anything is allocated or looked up. What
 * was taken stays in @s on failure too: nova_syncs_fini() releases it.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a malformed sync, -ENOENT for an unknown syncobj
 * (or a wait on a point with no fence), -ENOMEM.
 */
int nova_syncs_parse(struct drm_file *file, const struct drm_nova_sync *usyncs,
		     u32 count, struct nova_syncs *s)
{
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < count; i++) {
		ret = nova_sync_check(&usyncs[i]);
		if (ret)
			return ret;
		if (usyncs[i].flags & NOVA_SYNC_SIGNAL)
			n++;
	}
	s->signals = kcalloc(n, sizeof(*s->signals), GFP_KERNEL);
	if (n && !s->signals)
		return -ENOMEM;
	s->waits = kcalloc(count - n, sizeof(*s->waits), GFP_KERNEL);
	if (count - n && !s->waits)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const struct drm_nova_sync *u = &usyncs[i];
		struct nova_sync_signal *sig;

		if (!(u->flags & NOVA_SYNC_SIGNAL)) {
			ret = drm_syncobj_find_fence(file, u->handle,
						     u->timeline_value, 0,
						     &s->waits[s->nr_waits]);
			if (ret)
				return ret;
			s->nr_waits++;
			continue;
		}
		sig = &s->signals[s->nr_signals++];
		sig->syncobj = drm_syncobj_find(file, u->handle);
		if (!sig->syncobj)
			return -ENOENT;
		if ((u->flags & NOVA_SYNC_TYPE_MASK) == NOVA_SYNC_TIMELINE_SYNCOBJ) {
			sig->chain = dma_fence_chain_alloc();
			if (!sig->chain)
				return -ENOMEM;
			sig->point = u->timeline_value;
		}
	}
	return 0;
}

/**
 * nova_syncs_install() - install a fence in the signal syncs
 * @s: the parsed syncs
 * @fence: the fence; each syncobj takes a reference of its own
 *
 * Context: process context; does not fail.
 */
void nova_syncs_install(struct nova_syncs *s, struct dma_fence *fence)
{
	unsigned int i;

	for (i = 0; i < s->nr_signals; i++) {
		struct nova_sync_signal *sig = &s->signals[i];

		if (sig->chain) {
			drm_syncobj_add_point(sig->syncobj, sig->chain, fence,
					      sig->point);
			sig->chain = NULL;
		} else {
			drm_syncobj_replace_fence(sig->syncobj, fence);
		}
	}
}

/**
 * nova_syncs_fini() - release what parsed syncs hold
 * @s: the syncs; the wait fences left in it are put
 *
 * Context: process context.
 */
void nova_syncs_fini(struct nova_syncs *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_signals; i++) {
		if (s->signals[i].syncobj)
			drm_syncobj_put(s->signals[i].syncobj);
		dma_fence_chain_free(s->signals[i].chain);
	}
	kfree(s->signals);
	for (i = 0; i < s->nr_waits; i++)
		dma_fence_put(s->waits[i]);
	kfree(s->waits);
	memset(s, 0, sizeof(*s));
}
