// SPDX-License-Identifier: MIT
/*
 * igt.h - nova's minimal stand-in for IGT's umbrella header.
 *
 * Why this library exists:
 *
 * The nova tests in igt-tests/ are IGT (igt-gpu-tools) tests: they are
 * written against IGT's public test API only and must build unchanged
 * inside an upstream IGT tree (drop them into tests/nova/). IGT's source
 * and headers cannot be downloaded on our build host and no Debian
 * package ships them, yet the real igt_runner (IGT 2.5, Debian sid) runs
 * inside our guest. So we carry the smallest implementation of the
 * subset of IGT that our tests use, and it speaks IGT's test protocol
 * (--list-subtests, --run-subtest, --describe, the "Starting subtest:" /
 * "Subtest NAME: RESULT (T.TTTs)" lines, the IGT_SENTINEL_ON_STDERR
 * copies on stderr, the "[IGT] ..." markers in /dev/kmsg and IGT's exit
 * codes) so that igt_runner schedules and judges our binaries exactly as
 * it does upstream ones.
 *
 * Rules for this directory:
 *  - Names, signatures and semantics follow upstream IGT (lib/igt_core.h,
 *    lib/drmtest.h, lib/ioctl_wrappers.h, lib/igt_syncobj.h). Never add
 *    an API here that upstream does not have: a test using it would not
 *    build in an IGT tree.
 *  - Only what our tests use is implemented. Not implemented: simple
 *    tests (igt_simple_main), dynamic subtests, hooks, the runner socket
 *    protocol (igt_runner falls back to parsing stdout/stderr, as it does
 *    for any test that sends no packets), .igtrc, device filters other
 *    than "drm:<node path>", module loading.
 *
 * As upstream, this header pulls in the core, drmtest and ioctl
 * wrapper headers; tests using syncobjs include "igt_syncobj.h" too.
 */
#ifndef IGT_H
#define IGT_H

#include "drmtest.h"
#include "igt_core.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */
