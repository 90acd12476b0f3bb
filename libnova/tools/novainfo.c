// SPDX-License-Identifier: MIT
/*
 * novainfo - print what nova devices report. See man/novainfo.1.
 *
 *   novainfo [-d N] [--json]
 *
 * Exit status: 0 when every device listed was queried, including when
 * there is none in --json mode (the output is then "[]"); 1 when there is
 * no nova device (text mode), device N does not exist, a device could
 * not be opened or queried, or writing the output failed; 2 for a usage
 * error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "libnova.h"

#define MAX_DEVICES 64

static const char *prog = "novainfo";

/* What novainfo reports of one device beyond struct nova_info. */
struct extra {
	int drv_major, drv_minor, drv_patch;
	uint64_t prime, syncobj, syncobj_timeline;
	bool have_prime, have_syncobj, have_syncobj_timeline;
};

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

static const char *yes_no(bool known, uint64_t v)
{
	return !known ? "unknown" : v ? "yes" : "no";
}

static void caps_str(const struct extra *x, char *buf, size_t len)
{
	bool imp = x->prime & DRM_PRIME_CAP_IMPORT, exp = x->prime & DRM_PRIME_CAP_EXPORT;
	const char *prime = !x->have_prime ? "unknown" : (imp && exp) ? "import+export" :
			    imp ? "import" : exp ? "export" : "no";

	snprintf(buf, len, "PRIME %s, SYNCOBJ %s, SYNCOBJ_TIMELINE %s", prime,
		 yes_no(x->have_syncobj, x->syncobj),
		 yes_no(x->have_syncobj_timeline, x->syncobj_timeline));
}

static void print_text(const struct nova_device_desc *d, const struct nova_info *i,
		       const struct extra *x, int idx)
{
	char ps[256], caps[128];

	page_sizes_str(i->page_sizes, ps, sizeof(ps));
	caps_str(x, caps, sizeof(caps));

	printf("nova device %d: %s%s%s%s\n", idx, d->render_node,
	       d->primary_node[0] ? " (" : "", d->primary_node,
	       d->primary_node[0] ? ")" : "");
	printf("  %-18s nova %d.%d.%d\n", "driver:", x->drv_major, x->drv_minor,
	       x->drv_patch);
	printf("  %-18s %s\n", "simulated:", d->simulated ? "yes (nova-sim)" : "no");
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
	if (i->copy_class)
		printf("  %-18s 0x%04x, %" PRIu64 " channels per VM, %" PRIu64
		       " pushes per EXEC, %u ms timeout\n", "user channels:", i->copy_class,
		       i->max_channels, i->max_pushes, i->exec_timeout_ms);
	else
		printf("  %-18s none\n", "user channels:");
	printf("  %-18s %s\n", "DRM caps:", caps);
}

/* @s as a JSON string. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key_str(const char *key, const char *val, bool last)
{
	printf("    \"%s\": ", key);
	json_str(val);
	printf("%s\n", last ? "" : ",");
}

/* The fields known from enumeration alone. */
static void print_json_desc(const struct nova_device_desc *d, int idx)
{
	printf("    \"index\": %d,\n", idx);
	json_key_str("render_node", d->render_node, false);
	json_key_str("primary_node", d->primary_node, false);
	json_key_str("bus_id", d->bus_id, false);
	printf("    \"simulated\": %s,\n", d->simulated ? "true" : "false");
}

static void print_json(const struct nova_device_desc *d, const struct nova_info *i,
		       const struct extra *x, int idx, bool first)
{
	char ver[48];

	snprintf(ver, sizeof(ver), "%d.%d.%d", x->drv_major, x->drv_minor, x->drv_patch);
	printf("%s\n  {\n", first ? "" : ",");
	print_json_desc(d, idx);
	json_key_str("driver", "nova", false);
	json_key_str("driver_version", ver, false);
	printf("    \"chipset\": %u,\n", i->chipset);
	printf("    \"chipset_hex\": \"0x%03x\",\n", i->chipset);
	json_key_str("chipset_name", nova_chipset_name(i->chipset), false);
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
	printf("    \"max_vms\": %" PRIu64 ",\n", i->max_vms);
	printf("    \"copy_class\": %u,\n", i->copy_class);
	printf("    \"max_channels\": %" PRIu64 ",\n", i->max_channels);
	printf("    \"max_pushes\": %" PRIu64 ",\n", i->max_pushes);
	printf("    \"exec_timeout_ms\": %u,\n", i->exec_timeout_ms);
	printf("    \"caps\": {\n");
	if (x->have_prime)
		printf("      \"prime_import\": %s,\n      \"prime_export\": %s,\n",
		       (x->prime & DRM_PRIME_CAP_IMPORT) ? "true" : "false",
		       (x->prime & DRM_PRIME_CAP_EXPORT) ? "true" : "false");
	else
		printf("      \"prime_import\": null,\n      \"prime_export\": null,\n");
	printf("      \"syncobj\": %s,\n", !x->have_syncobj ? "null" :
	       x->syncobj ? "true" : "false");
	printf("      \"syncobj_timeline\": %s\n", !x->have_syncobj_timeline ? "null" :
	       x->syncobj_timeline ? "true" : "false");
	printf("    }\n");
	printf("  }");
}

/* A device that could not be opened or queried: what is known, and why. */
static void print_json_error(const struct nova_device_desc *d, int idx, int err,
			     const char *what, bool first)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what, nova_strerror(err));
	printf("%s\n  {\n", first ? "" : ",");
	print_json_desc(d, idx);
	printf("    \"errno\": %d,\n", err < 0 ? -err : err);
	json_key_str("error", msg, true);
	printf("  }");
}

/* Why @node cannot be used, in words a user can act on. */
static void report_error(const char *node, int err, const char *what)
{
	if (err == -EACCES || err == -EPERM)
		fprintf(stderr, "%s: %s: %s: permission denied (the node is driven by nova, "
			"but this user may not open it: check its mode and group, "
			"e.g. 'render', or run as root)\n", prog, node, what);
	else
		fprintf(stderr, "%s: %s: %s: %s\n", prog, node, what, nova_strerror(err));
}

static int query(const struct nova_device_desc *d, struct nova_info *info,
		 struct extra *x, const char **what)
{
	struct nova_device *dev;
	int fd, err;

	memset(x, 0, sizeof(*x));
	*what = "open";
	if (d->open_error)
		return d->open_error;
	err = nova_device_open(d->render_node, &dev);
	if (err)
		return err;
	*what = "query";
	err = nova_query_info(dev, info);
	if (!err) {
		*what = "driver version";
		err = nova_device_driver_version(dev, &x->drv_major, &x->drv_minor,
						 &x->drv_patch);
	}
	if (!err) {
		fd = nova_device_fd(dev);
		x->have_prime = !drmGetCap(fd, DRM_CAP_PRIME, &x->prime);
		x->have_syncobj = !drmGetCap(fd, DRM_CAP_SYNCOBJ, &x->syncobj);
		x->have_syncobj_timeline = !drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE,
						      &x->syncobj_timeline);
	}
	nova_device_close(dev);
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-d N] [--json]\n"
		"Print what nova devices (NVIDIA GPUs driven by nova) report.\n"
		"\n"
		"  -d, --device N  only device N (0-based, in the order listed)\n"
		"  -j, --json      a JSON array, one object per device ([] if none)\n"
		"  -h, --help      this help\n"
		"  -V, --version   novainfo's and libnova's versions\n"
		"\n"
		"Exit status: 0 ok (also no device with --json); 1 no device, no\n"
		"device N, a device could not be opened or queried, or writing\n"
		"the output failed; 2 usage.\n"
		"See novainfo(1).\n", prog);
}

/* @ret, or 1 when writing stdout failed (e.g. a full disk). */
static int out_status(int ret)
{
	int err = 0;

	if (fflush(stdout) == EOF)
		err = errno;
	else if (ferror(stdout))
		err = EIO;
	if (!err)
		return ret;
	fprintf(stderr, "%s: writing the output failed: %s\n", prog, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct nova_device_desc descs[MAX_DEVICES];
	int n, printed = 0, ret = 0, only = -1;
	bool json = false;

	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (!strcmp(arg, "--json") || !strcmp(arg, "-j")) {
			json = true;
		} else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			usage(stdout);
			return out_status(0);
		} else if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
			printf("novainfo (libnova) %s\n", nova_get_version_string());
			return out_status(0);
		} else if (!strcmp(arg, "-d") || !strcmp(arg, "--device") ||
			   !strncmp(arg, "--device=", 9) ||
			   (!strncmp(arg, "-d", 2) && arg[2])) {
			const char *val;
			char *end;
			long v;

			if (!strncmp(arg, "--device=", 9))
				val = arg + 9;
			else if (arg[1] == 'd' && arg[2])
				val = arg + 2;
			else if (a + 1 < argc)
				val = argv[++a];
			else
				val = "";
			errno = 0;
			v = strtol(val, &end, 10);
			if (!*val || *end || errno || v < 0 || v >= MAX_DEVICES) {
				fprintf(stderr, "%s: bad device index '%s'\n", prog, val);
				usage(stderr);
				return 2;
			}
			only = (int)v;
		} else {
			fprintf(stderr, "%s: unknown argument '%s'\n", prog, arg);
			usage(stderr);
			return 2;
		}
	}

	n = nova_enumerate(descs, MAX_DEVICES);
	if (n < 0) {
		fprintf(stderr, "%s: cannot list DRM devices: %s\n", prog, nova_strerror(n));
		if (json)
			printf("[]\n");
		return 1;
	}
	if (n > MAX_DEVICES)
		n = MAX_DEVICES;
	if (n == 0 && only < 0) {
		if (json) {
			printf("[]\n");
			return out_status(0);
		}
		fprintf(stderr, "%s: no nova device found: no DRM render node is driven by "
			"nova (is the nova module loaded? lsmod | grep nova)\n", prog);
		return 1;
	}
	if (only >= n) {
		fprintf(stderr, "%s: no nova device %d (%d found)\n", prog, only, n);
		if (json)
			printf("[]\n");
		return 1;
	}

	if (json)
		printf("[");

	for (int idx = 0; idx < n; idx++) {
		struct nova_info info;
		struct extra x;
		const char *what;
		int err;

		if (only >= 0 && idx != only)
			continue;
		err = query(&descs[idx], &info, &x, &what);
		if (err) {
			report_error(descs[idx].render_node, err, what);
			if (json)
				print_json_error(&descs[idx], idx, err, what, printed == 0);
			printed++;
			ret = 1;
			continue;
		}

		if (json) {
			print_json(&descs[idx], &info, &x, idx, printed == 0);
		} else {
			if (printed)
				printf("\n");
			print_text(&descs[idx], &info, &x, idx);
		}
		printed++;
	}

	if (json)
		printf("\n]\n");

	return out_status(ret);
}
