// SPDX-License-Identifier: GPL-2.0
/*
 * Chip identification.
 */
#include <linux/kernel.h>
#include <linux/nova/regs.h>

#include "nova_core.h"

static const struct nova_chip nova_chips[] = {
	/* Turing's channel and copy classes are not driven yet. */
	{ "tu102", NV_CHIPSET_TU102, 2, NV_PBUS_BAR0_WINDOW, NV_PBUS_BAR0_WINDOW_BASE,
	  0, 0 },
	{ "ga102", NV_CHIPSET_GA102, 2, NV_PBUS_BAR0_WINDOW, NV_PBUS_BAR0_WINDOW_BASE,
	  AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B },
	{ "ad102", NV_CHIPSET_AD102, 2, NV_PBUS_BAR0_WINDOW, NV_PBUS_BAR0_WINDOW_BASE,
	  AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B },
	{ "gh100", NV_CHIPSET_GH100, 3, NV_XAL_EP_ZB_BAR0_WINDOW,
	  NV_XAL_EP_ZB_BAR0_WINDOW_BASE, HOPPER_CHANNEL_GPFIFO_A, HOPPER_DMA_COPY_A },
};

/**
 * nova_chip_lookup() - facts about a chipset
 * @chipset: chipset id from BOOT_0
 *
 * Return: the chip's entry, or NULL when nova does not support it.
 */
const struct nova_chip *nova_chip_lookup(u32 chipset)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nova_chips); i++)
		if (nova_chips[i].chipset == chipset)
			return &nova_chips[i];
	return NULL;
}
