// SPDX-License-Identifier: GPL-2.0
/*
 * PRAMIN: CPU access to any VRAM address through the 1 MiB window at
 * BAR0 0x700000. The window register (NV_PBUS_BAR0_WINDOW before Hopper,
 * NV_XAL_EP_ZB_BAR0_WINDOW on Hopper) selects the 64 KiB-aligned VRAM
 * address the aperture starts at. There is one window per GPU, so every
 * user holds the PRAMIN lock while it positions and uses the window.
 *
 * The PRAMIN lock is taken in the DMA-fence signalling path (page-table
 * writes of a bind's execute phase): it is never held across a memory
 * allocation or a fence wait.
 */
#include <linux/bitops.h>
#include <linux/lockdep.h>
#include <linux/nova/regs.h>
#include <linux/sizes.h>

#include "../nova_core.h"

/**
 * nova_pramin_init() - set up the PRAMIN window of a GPU
 * @core: the GPU
 */
void nova_pramin_init(struct nova_core *core)
{
	struct nova_pramin *p = &core->pramin;

	mutex_init(&p->lock);
	p->reg = core->chip->pramin_window_reg;
	p->mask = core->chip->pramin_window_mask;
	p->base = (u64)((nova_rd32(core, p->reg) & p->mask) >> __ffs(p->mask)) <<
		  NV_PRAMIN_WINDOW_SHIFT;
}

/**
 * nova_pramin_lock() - take the PRAMIN window
 * @core: the GPU
 */
void nova_pramin_lock(struct nova_core *core)
{
	mutex_lock(&core->pramin.lock);
}

/**
 * nova_pramin_unlock() - release the PRAMIN window
 * @core: the GPU
 */
void nova_pramin_unlock(struct nova_core *core)
{
	mutex_unlock(&core->pramin.lock);
}

/* Position the window so that [addr, addr + 4) is inside it. */
static u32 nova_pramin_offset(struct nova_core *core, u64 addr)
{
	struct nova_pramin *p = &core->pramin;
	u64 base;

	lockdep_assert_held(&p->lock);
	if (addr >= p->base && addr + 4 <= p->base + NV_PRAMIN_SIZE)
		return NV_PRAMIN + (u32)(addr - p->base);

	base = round_down(addr, SZ_64K);
	/* TARGET (bits above BASE) 0: VRAM. */
	nova_wr32(core, p->reg,
		  ((u32)(base >> NV_PRAMIN_WINDOW_SHIFT) << __ffs(p->mask)) & p->mask);
	p->base = base;
	return NV_PRAMIN + (u32)(addr - base);
}

/**
 * nova_pramin_rd32() - read 32 bits of VRAM
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 4-byte aligned VRAM address
 *
 * Return: the value.
 */
u32 nova_pramin_rd32(struct nova_core *core, u64 addr)
{
	return nova_rd32(core, nova_pramin_offset(core, addr));
}

/**
 * nova_pramin_wr32() - write 32 bits of VRAM
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 4-byte aligned VRAM address
 * @val: the value
 */
void nova_pramin_wr32(struct nova_core *core, u64 addr, u32 val)
{
	nova_wr32(core, nova_pramin_offset(core, addr), val);
}

/**
 * nova_pramin_rd64() - read 64 bits of VRAM, low word first
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 8-byte aligned VRAM address
 *
 * Return: the value.
 */
u64 nova_pramin_rd64(struct nova_core *core, u64 addr)
{
	u64 lo = nova_pramin_rd32(core, addr);

	return lo | (u64)nova_pramin_rd32(core, addr + 4) << 32;
}

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_pramin_wr64() - write 64 bits of VRAM
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 8-byte aligned VRAM address
 * @val: the value
 *
 * The high word is written first so that the GPU never sees a valid low
 * word (the VALID bit of a PTE) with a stale high word.
 */
void nova_pramin_wr64(struct nova_core *core, u64 addr, u64 val)
{
	nova_pramin_wr32(core, addr + 4, upper_32_bits(val));
	nova_pramin_wr32(core, addr, lower_32_bits(val));
}
#endif /* CONFIG_NOVA_CORE_KUNIT_TEST */

/**
 * nova_pramin_fill() - fill VRAM with a 32-bit pattern
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 4-byte aligned VRAM address
 * @val: the pattern
 * @len: bytes, a multiple of 4
 */
void nova_pramin_fill(struct nova_core *core, u64 addr, u32 val, u64 len)
{
	u64 end = addr + len;

	for (; addr < end; addr += 4)
		nova_pramin_wr32(core, addr, val);
}

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_pramin_write() - copy a buffer to VRAM
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 4-byte aligned VRAM address
 * @buf: the data
 * @len: bytes, a multiple of 4
 */
void nova_pramin_write(struct nova_core *core, u64 addr, const void *buf,
		       size_t len)
{
	const u32 *p = buf;
	size_t i;

	for (i = 0; i < len / 4; i++)
		nova_pramin_wr32(core, addr + i * 4, p[i]);
}

/**
 * nova_pramin_read() - copy VRAM to a buffer
 * @core: the GPU, with the PRAMIN lock held
 * @addr: 4-byte aligned VRAM address
 * @buf: the destination
 * @len: bytes, a multiple of 4
 */
void nova_pramin_read(struct nova_core *core, u64 addr, void *buf, size_t len)
{
	u32 *p = buf;
	size_t i;

	for (i = 0; i < len / 4; i++)
		p[i] = nova_pramin_rd32(core, addr + i * 4);
}
#endif /* CONFIG_NOVA_CORE_KUNIT_TEST */
