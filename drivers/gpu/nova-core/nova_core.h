/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core internal definitions.
 */
#ifndef __NOVA_CORE_INTERNAL_H__
#define __NOVA_CORE_INTERNAL_H__

#include <linux/auxiliary_bus.h>
#include <linux/list.h>
#include <linux/nova/core.h>
#include <linux/nova/hw.h>

#include "mm/mm.h"

/**
 * struct nova_chip - per-chip facts
 * @name: lower-case name
 * @chipset: chipset id
 * @mmu_version: page-table format version
 * @pramin_window_reg: BAR0 offset of the PRAMIN window register
 * @pramin_window_mask: mask of its BASE field
 */
struct nova_chip {
	const char *name;
	u32 chipset;
	u32 mmu_version;
	u32 pramin_window_reg;
	u32 pramin_window_mask;
};

#define NOVA_FAULT_RING 256

/**
 * struct nova_fault_ring - recent GPU MMU faults
 * @lock: protects the ring
 * @entries: the faults
 * @head: index of the oldest
 * @count: faults held
 * @next_seq: sequence number of the next fault drained
 */
struct nova_fault_ring {
	struct mutex lock; /* protects the ring */
	struct nova_fault entries[NOVA_FAULT_RING];
	u32 head;
	u32 count;
	u64 next_seq;
};

/**
 * struct nova_core - one GPU bound by nova-core
 * @dev: the backend's device
 * @hw: hardware access
 * @chip: chip facts
 * @boot0: BOOT_0 as read at probe
 * @sinfo: the firmware's static info
 * @info: what clients see
 * @adev: auxiliary device for the DRM driver
 * @node: entry in the list of bound GPUs
 * @fmt: the MMU page-table format
 * @pramin: the PRAMIN window
 * @tlb: TLB invalidation
 * @mm: the VRAM allocator
 * @bar1: the BAR1 address space
 * @faults: recent MMU faults
 */
struct nova_core {
	struct device *dev;
	struct nova_hw *hw;
	const struct nova_chip *chip;
	u32 boot0;
	struct nova_hw_static_info sinfo;
	struct nova_core_info info;
	struct auxiliary_device adev;
	struct list_head node;
	const struct nova_mmu_fmt *fmt;
	struct nova_pramin pramin;
	struct nova_tlb tlb;
	struct nova_mm mm;
	struct nova_bar1 bar1;
	struct nova_fault_ring faults;
};

static inline u32 nova_rd32(struct nova_core *core, u32 offset)
{
	return core->hw->ops->rd32(core->hw, offset);
}

static inline void nova_wr32(struct nova_core *core, u32 offset, u32 value)
{
	core->hw->ops->wr32(core->hw, offset, value);
}

const struct nova_chip *nova_chip_lookup(u32 chipset);
struct nova_core *nova_core_get(unsigned int n);
void nova_fault_init(struct nova_core *core);

#endif /* __NOVA_CORE_INTERNAL_H__ */
