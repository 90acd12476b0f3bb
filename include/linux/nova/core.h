/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core: the API the nova DRM driver (and other clients) use.
 *
 * nova-core binds to a GPU (through &struct nova_hw), identifies it, owns
 * its VRAM allocator, page-table formats, VMMs and BAR1, and exposes an
 * auxiliary device "nova_core.nova-drm" per GPU for the DRM driver.
 */
#ifndef __LINUX_NOVA_CORE_H__
#define __LINUX_NOVA_CORE_H__

#include <linux/auxiliary_bus.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct nova_core;

#define NOVA_CORE_AUX_DEV_NAME "nova-drm"

/**
 * struct nova_core_info - what nova-core knows about a GPU
 * @chip_name: lower-case chip name, e.g. "ga102"
 * @chipset: chipset id from BOOT_0, e.g. 0x172
 * @mmu_version: page-table format, 2 or 3
 * @va_bits: width of a GPU virtual address
 * @page_sizes: bit mask of mappable page sizes (bit n: 2^n bytes); 512 MiB
 *	with MMU v3 only
 * @vram_total: physical VRAM in bytes
 * @vram_usable: VRAM managed by the allocator in bytes
 * @bar1_size: BAR1 aperture in bytes
 * @copy_class: copy-engine class of user channels, 0 when the GPU has none
 */
struct nova_core_info {
	const char *chip_name;
	u32 chipset;
	u32 mmu_version;
	u32 va_bits;
	u64 page_sizes;
	u64 vram_total;
	u64 vram_usable;
	u64 bar1_size;
	u32 copy_class;
};

struct nova_core *nova_core_from_aux(struct auxiliary_device *adev);
const struct nova_core_info *nova_core_info(struct nova_core *core);

/**
 * struct nova_core_usage - what is in use on a GPU now
 * @vram_used: bytes of VRAM allocated (objects and page tables)
 * @pt_bytes: bytes of VRAM holding page tables
 * @bar1_used: bytes of BAR1 mapped
 * @tlb_flushes: TLB invalidations issued since probe
 */
struct nova_core_usage {
	u64 vram_used;
	u64 pt_bytes;
	u64 bar1_used;
	u64 tlb_flushes;
};

void nova_core_usage(struct nova_core *core, struct nova_core_usage *usage);

/**
 * struct nova_fault - a GPU MMU fault
 * @va: faulting virtual address: its 4 KiB page, as the MMU reports it
 * @pdb: page directory base of the address space
 * @access: 0 read, 1 write
 * @reason: NOVA_FAULT_REASON_* (<linux/nova/hw.h>)
 * @seq: its sequence number on the GPU, increasing from the first fault
 */
struct nova_fault {
	u64 va;
	u64 pdb;
	u32 access;
	u32 reason;
	u64 seq;
};

u32 nova_core_faults(struct nova_core *core, u64 pdb, struct nova_fault *out,
		     u32 max);
void nova_core_faults_clear(struct nova_core *core, u64 pdb, u64 last_seq);

/* VRAM allocations */
struct nova_vram;

#define NOVA_VRAM_CONTIGUOUS	BIT(0)	/* one physically contiguous range */

struct nova_vram *nova_vram_alloc(struct nova_core *core, u64 size, u32 flags);
void nova_vram_free(struct nova_vram *vram);
u64 nova_vram_size(const struct nova_vram *vram);
int nova_vram_clear(struct nova_vram *vram);
int nova_vram_addr(const struct nova_vram *vram, u64 offset, u64 *addr,
		   u64 *contig);

/* GPU virtual address spaces */
struct nova_vmm;
struct nova_vmm_op;

#define NOVA_MAP_READ_ONLY	BIT(0)

struct nova_vmm *nova_vmm_create(struct nova_core *core, u64 va_start,
				 u64 va_end);
void nova_vmm_destroy(struct nova_vmm *vmm);
u64 nova_vmm_pdb(const struct nova_vmm *vmm);
void nova_vmm_set_page_sizes(struct nova_vmm *vmm, u64 page_sizes);

struct nova_vmm_op *nova_vmm_prepare_map(struct nova_vmm *vmm, u64 va,
					 u64 size, struct nova_vram *vram,
					 u64 offset, u32 flags);
struct nova_vmm_op *nova_vmm_prepare_unmap(struct nova_vmm *vmm, u64 va,
					   u64 size);
struct nova_vmm_op *nova_vmm_prepare_null(struct nova_vmm *vmm, u64 va,
					  u64 size);
int nova_vmm_execute(struct nova_vmm_op **ops, unsigned int count);
void nova_vmm_op_release(struct nova_vmm_op *op);
int nova_vmm_map(struct nova_vmm *vmm, u64 va, u64 size,
		 struct nova_vram *vram, u64 offset, u32 flags);
int nova_vmm_unmap(struct nova_vmm *vmm, u64 va, u64 size);
int nova_vmm_map_null(struct nova_vmm *vmm, u64 va, u64 size);
int nova_vmm_va_alloc(struct nova_vmm *vmm, u64 size, u64 align, u64 *va);
void nova_vmm_va_free(struct nova_vmm *vmm, u64 va);
u64 nova_vmm_mapped(struct nova_vmm *vmm);
u64 nova_vmm_null_bytes(struct nova_vmm *vmm);
u64 nova_vmm_pt_bytes(struct nova_vmm *vmm);

/* BAR1: CPU access to VRAM through the GPU MMU */
struct nova_bar1_map;

struct nova_bar1_map *nova_bar1_map(struct nova_core *core,
				    struct nova_vram *vram);
void nova_bar1_unmap(struct nova_bar1_map *map);
u64 nova_bar1_offset(const struct nova_bar1_map *map);
int nova_bar1_pfn(struct nova_core *core, u64 offset, bool write,
		  unsigned long *pfn);

/* Channels: GPFIFO rings of a copy engine on a VMM (chan.c) */
struct dma_fence;
struct nova_chan;
struct nova_chan_fence;

/*
 * VA a channel's own memory takes in its VMM: a window, aligned to its
 * size, of which the GPFIFO ring and fence segment are mapped read-only.
 * A user channel's caller reserves it (see nova_chan_create_user()).
 */
#define NOVA_CHAN_VA_SIZE	SZ_64K

#define NOVA_CHAN_PUSH_SYNC	BIT(0)	/* GP entry SYNC: wait for the last */
/* A GP entry holds a push's VA in 40 bits: submit rejects larger ones. */
#define NOVA_CHAN_PUSH_VA_BITS	40

/**
 * struct nova_chan_push - a pushbuffer range to submit
 * @va: GPU VA of its first word in the channel's address space, 4-byte
 *	aligned
 * @len: bytes, a non-zero multiple of 4
 * @flags: NOVA_CHAN_PUSH_*
 */
struct nova_chan_push {
	u64 va;
	u32 len;
	u32 flags;
};

struct nova_chan *nova_chan_create(struct nova_core *core,
				   struct nova_vmm *vmm);
struct nova_chan *nova_chan_create_user(struct nova_core *core,
					struct nova_vmm *vmm, u64 va);
void nova_chan_stop(struct nova_chan *chan, int error);
void nova_chan_destroy(struct nova_chan *chan);
int nova_chan_error(struct nova_chan *chan);
u32 nova_chan_space(struct nova_chan *chan);
struct nova_chan_fence *nova_chan_fence_alloc(void);
void nova_chan_fence_free(struct nova_chan_fence *f);
struct dma_fence *nova_chan_submit(struct nova_chan *chan,
				   const struct nova_chan_push *pushes,
				   unsigned int count,
				   struct nova_chan_fence *f);

#endif /* __LINUX_NOVA_CORE_H__ */
