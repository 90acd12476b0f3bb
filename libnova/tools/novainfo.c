// SPDX-License-Identifier: MIT
/*
 * novainfo - print what every nova device reports.
 *
 *   novainfo          human-readable
 *   novainfo --json   a JSON array, one object per device
 *
 * Exit status: 0, 1 when there is no nova device or a query fails,
 * 2 for a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnova.h"

#define MAX_DEVICES 64

static void print_size(const char *label, uint64_t bytes)
{
	if (bytes >= (1ull << 30) && !(bytes & ((1ull << 20) - 1)))
		printf("  %-18s %" PRIu64 " bytes (%.2f GiB)\n", label, bytes,
		       bytes / (double)(1ull << 30));
	else
		printf("  %-18s %" PRIu64 " bytes (%.2f MiB)\n", label, bytes,
		       bytes / (double)(1ull << 20));
}

static void page_sizes_str(uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int bit = 0; bit < 64 && off < len; bit++) {
		uint64_t sz = 1ull << bit;
		const char *sep = off ? " " : "";

		if (!(mask & sz))
			continue;
		if (sz >= (1ull << 30))
			off += snprintf(buf + off, len - off, "%s%" PRIu64 "G", sep, sz >> 30);
		else if (sz >= (1ull << 20))
			off += snprintf(buf + off, len - off, "%s%" PRIu64 "M", sep, sz >> 20);
		else if (sz >= (1ull << 10))
			off += snprintf(buf + off, len - off, "%s%" PRIu64 "K", sep, sz >> 10);
		else
			off += snprintf(buf + off, len - off, "%s%" PRIu64, sep, sz);
	}
}

static void print_text(const struct nova_device_desc *d, const struct nova_info *i, int idx)
{
	char ps[256];

	page_sizes_str(i->page_sizes, ps, sizeof(ps));

	printf("nova device %d: %s%s%s%s\n", idx, d->render_node,
	       d->primary_node[0] ? " (" : "", d->primary_node,
	       d->primary_node[0] ? ")" : "");
	if (d->bus_id[0])
		printf("  %-18s %s\n", "PCI address:", d->bus_id);
	printf("  %-18s %s (0x%03x)\n", "chipset:", nova_chipset_name(i->chipset), i->chipset);
	printf("  %-18s %u\n", "MMU version:", i->mmu_version);
	print_size("VRAM total:", i->vram_total);
	print_size("VRAM usable:", i->vram_usable);
	print_size("VRAM used:", i->vram_used);
	print_size("BAR1 size:", i->bar1_size);
	print_size("BAR1 used:", i->bar1_used);
	printf("  %-18s %s (mask 0x%" PRIx64 ")\n", "page sizes:", ps, i->page_sizes);
	printf("  %-18s %u\n", "VA bits:", i->va_bits);
	printf("  %-18s [0x%" PRIx64 ", 0x%" PRIx64 ")\n", "VA range:", i->va_start, i->va_end);
	print_size("max BO size:", i->max_bo_size);
	printf("  %-18s %" PRIu64 "\n", "max bind ops:", i->max_bind_ops);
	printf("  %-18s %" PRIu64 "\n", "max VMs:", i->max_vms);
}

static void print_json(const struct nova_device_desc *d, const struct nova_info *i,
		       bool first)
{
	printf("%s\n  {\n", first ? "" : ",");
	printf("    \"render_node\": \"%s\",\n", d->render_node);
	printf("    \"primary_node\": \"%s\",\n", d->primary_node);
	printf("    \"bus_id\": \"%s\",\n", d->bus_id);
	printf("    \"chipset\": %u,\n", i->chipset);
	printf("    \"chipset_hex\": \"0x%03x\",\n", i->chipset);
	printf("    \"chipset_name\": \"%s\",\n", nova_chipset_name(i->chipset));
	printf("    \"mmu_version\": %u,\n", i->mmu_version);
	printf("    \"vram_total\": %" PRIu64 ",\n", i->vram_total);
	printf("    \"vram_usable\": %" PRIu64 ",\n", i->vram_usable);
	printf("    \"vram_used\": %" PRIu64 ",\n", i->vram_used);
	printf("    \"bar1_size\": %" PRIu64 ",\n", i->bar1_size);
	printf("    \"bar1_used\": %" PRIu64 ",\n", i->bar1_used);
	printf("    \"page_sizes\": [");
	for (int bit = 0, n = 0; bit < 64; bit++)
		if (i->page_sizes & (1ull << bit))
			printf("%s%" PRIu64, n++ ? ", " : "", (uint64_t)1 << bit);
	printf("],\n");
	printf("    \"va_bits\": %u,\n", i->va_bits);
	printf("    \"va_start\": %" PRIu64 ",\n", i->va_start);
	printf("    \"va_end\": %" PRIu64 ",\n", i->va_end);
	printf("    \"max_bo_size\": %" PRIu64 ",\n", i->max_bo_size);
	printf("    \"max_bind_ops\": %" PRIu64 ",\n", i->max_bind_ops);
	printf("    \"max_vms\": %" PRIu64 "\n", i->max_vms);
	printf("  }");
}

int main(int argc, char **argv)
{
	struct nova_device_desc descs[MAX_DEVICES];
	bool json = false;
	int n, printed = 0, ret = 0;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
		} else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			printf("Usage: %s [--json]\n"
			       "Print the parameters of every nova device.\n", argv[0]);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown argument '%s'\nUsage: %s [--json]\n",
				argv[0], argv[a], argv[0]);
			return 2;
		}
	}

	n = nova_enumerate(descs, MAX_DEVICES);
	if (n < 0) {
		fprintf(stderr, "novainfo: cannot list DRM devices: %s\n", nova_strerror(n));
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "novainfo: no nova device found "
			"(is the nova driver loaded? no /dev/dri/renderD* node is driven by nova)\n");
		return 1;
	}
	if (n > MAX_DEVICES)
		n = MAX_DEVICES;

	if (json)
		printf("[");

	for (int idx = 0; idx < n; idx++) {
		struct nova_device *dev;
		struct nova_info info;
		int err;

		err = nova_device_open(descs[idx].render_node, &dev);
		if (!err) {
			err = nova_query_info(dev, &info);
			nova_device_close(dev);
		}
		if (err) {
			fprintf(stderr, "novainfo: %s: %s\n", descs[idx].render_node,
				nova_strerror(err));
			ret = 1;
			continue;
		}

		if (json) {
			print_json(&descs[idx], &info, printed == 0);
		} else {
			if (printed)
				printf("\n");
			print_text(&descs[idx], &info, idx);
		}
		printed++;
	}

	if (json)
		printf("\n]\n");

	return ret;
}
