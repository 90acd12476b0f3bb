# SPDX-License-Identifier: GPL-2.0
#
# nova: top-level developer targets. See README.md.
#   make run        boot the guest on the simulated GPU, show what nova reports
#   make check      build everything, lint, run every test in the guest
#   make vm-run CMD='...' [SHARE=dir]    run CMD in the guest
#   make vm-shell   interactive guest with the modules loaded
#   make lint       checkpatch --strict, kernel-doc, W=1 + sparse
#   make stock      build the modules against Debian's stock 6.12 headers
#   make bench      benchmarks on the plain kernel flavour
#   make install [PREFIX=/usr/local] [DESTDIR=]    libnova, its headers and
#                   pkg-config file, novainfo, man pages (libnova/Makefile)
#   make uninstall [PREFIX=/usr/local] [DESTDIR=]  remove what install put

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
export NOVA_BUILD := $(BUILD)
T := $(TOP)/tools

.PHONY: all deps kernel kernel-plain rootfs modules userspace stage lint \
	stock check run vm-run vm-shell bench install uninstall clean

all: modules userspace

deps:
	@$(T)/deps.sh

kernel: deps
	@$(T)/progress.sh kernel debug

kernel-plain: deps
	@$(T)/progress.sh kernel plain

rootfs: deps
	@$(T)/rootfs.sh >/dev/null

modules: kernel
	@$(T)/modules.sh debug

userspace: deps
	@$(T)/userspace.sh

lint: kernel
	@$(T)/lint.sh

stock: deps
	@$(T)/modules.sh stock

check: deps
	@$(T)/check.sh

run: modules userspace rootfs
	@$(T)/vm.sh -r $(BUILD)/run -t 600 sh /mnt/nova/tools/guest/run.sh; \
	  rc=$$?; cat $(BUILD)/run/out.txt 2>/dev/null; \
	  $(T)/splats.sh $(BUILD)/run || rc=1; exit $$rc

vm-run: modules userspace rootfs
	@$(T)/vm.sh -r $(BUILD)/vm $(if $(SHARE),-s $(SHARE)) '$(CMD)'; \
	  rc=$$?; cat $(BUILD)/vm/out.txt 2>/dev/null; \
	  $(T)/splats.sh $(BUILD)/vm || rc=1; exit $$rc

vm-shell: modules userspace rootfs
	@$(T)/vm.sh -i -r $(BUILD)/vm-shell $(if $(SHARE),-s $(SHARE))

bench: kernel-plain userspace rootfs
	@$(T)/bench.sh

# No deps step: install needs only a compiler, pkg-config and libdrm's
# development files. PREFIX, DESTDIR, CFLAGS, LDFLAGS... reach
# libnova/Makefile through the environment and the command line; a
# relative DESTDIR is relative to this directory, not libnova/.
INSTALL_DESTDIR = $(if $(DESTDIR),DESTDIR=$(abspath $(DESTDIR)))

install:
	$(MAKE) -C libnova O=$(BUILD)/install/libnova $(INSTALL_DESTDIR) install

uninstall:
	$(MAKE) -C libnova O=$(BUILD)/install/libnova $(INSTALL_DESTDIR) uninstall

clean:
	rm -rf $(BUILD)
