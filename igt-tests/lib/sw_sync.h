// SPDX-License-Identifier: MIT
/*
 * sw_sync.h - the subset of IGT's lib/sw_sync.h used by nova's tests:
 * CPU-controlled fences from the kernel's sw_sync timelines
 * (CONFIG_SW_SYNC). See igt.h.
 */
#ifndef SW_SYNC_H
#define SW_SYNC_H

#include <stdint.h>

/** igt_require_sw_sync: skip unless a sw_sync timeline can be opened. */
void igt_require_sw_sync(void);

/** sw_sync_timeline_create: a new timeline fd, at 0. */
int sw_sync_timeline_create(void);
/** sw_sync_timeline_inc: advance @timeline by @count, signalling fences. */
void sw_sync_timeline_inc(int timeline, uint32_t count);

/** __sw_sync_timeline_create_fence: a sync_file fd signalled when
 * @timeline reaches @seqno, or -errno. */
int __sw_sync_timeline_create_fence(int timeline, uint32_t seqno);
/** sw_sync_timeline_create_fence: the same, asserting success. */
int sw_sync_timeline_create_fence(int timeline, uint32_t seqno);

#endif /* SW_SYNC_H */
