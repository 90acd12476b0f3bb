// SPDX-License-Identifier: MIT
/*
 * igt_device_scan.h - device filters (IGT_DEVICE, --device), the subset
 * of IGT's lib/igt_device_scan.h used here. See igt.h.
 *
 * Only filters of the form "drm:/dev/dri/cardN" or
 * "drm:/dev/dri/renderDN" are understood; upstream's sys:, pci: and
 * other selectors are not, and match no device.
 */
#ifndef IGT_DEVICE_SCAN_H
#define IGT_DEVICE_SCAN_H

int igt_device_filter_add(const char *filters);
void igt_device_filter_free_all(void);
int igt_device_filter_count(void);
const char *igt_device_filter_get(int num);

#endif /* IGT_DEVICE_SCAN_H */
