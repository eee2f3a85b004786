# SPDX-License-Identifier: GPL-2.0
#
# zblock / drm_gem_zswap: build and test pipeline over Debian's Linux 6.12.
# Run "make help" for the targets.  Everything built lands under out/.

SHELL := /bin/bash
TOP := $(abspath .)
OUT := $(TOP)/out
TREE := $(OUT)/linux
IGT_OUT := $(OUT)/igt

# DEBUG=1: a second guest kernel and a second UML kernel with KASAN,
# lockdep, DEBUG_VM, kmemleak, DEBUG_OBJECTS, fault injection and the
# hung-task detector (build/debug.config, build/debug-kunit.config), in
# their own build directories; the same tests run on them.
empty :=
comma := ,
ifeq ($(DEBUG),1)
GUEST_BUILD := $(OUT)/build/guest-debug
KUNIT_BUILD := $(OUT)/kunit-debug
GUEST_CONFIG := $(OUT)/build/guest-debug.config
KUNIT_CONFIGS := --kunitconfig=$(TOP)/.kunitconfig --kunitconfig=$(TOP)/build/debug-kunit.config
export GUEST_KERNEL := $(GUEST_BUILD)/arch/x86/boot/bzImage
export GUEST_TIMEOUT ?= 1800
# The 3D guest boots the same kernel as the 2D one, so under the debug
# kernel, whose tests take most of CI's time, it runs only what virgl
# changes: the virtio-gpu and Mesa tests, and with FULL=1 the fuzzer
# (which the debug 2D guest runs on vgem and virtio-gpu 2D, and the
# normal kernel on virgl).  vgem, zswap and the boot-time KUnit cases run
# once, in the 2D guest.
GUEST_3D_ENV := GUEST_KUNIT=$${GUEST_KUNIT-} \
	GUEST_TESTS=$${GUEST_TESTS:-$(if $(filter 1,$(FULL)),gem_zswap_fuzz$(comma))virtgpu_bo,virtgpu_mesa,virtio_gpu_zswap,virtio_gpu_zswap_gl}
# The 2D guest runs every test program but the virgl ones (which skip
# there) and, of zswap's, zblock's run without zsmalloc's beside it for
# comparison: a new program in tests/igt needs a place here.
GUEST_2D_ENV := GUEST_TESTS=$${GUEST_TESTS:-gem_zswap_fuzz,vgem_bo,vgem_zswap,virtgpu_bo,virtio_gpu_zswap,virtio_gpu_zswap_unplug,zswap_zpool:zblock}
# The DMA-API boot (build/guest-run.sh, GUEST_DMA) with the virtio-gpu
# tests, where KASAN makes every bounce slow, only in make test-full: the
# normal kernel runs it on a loaded host in make test.
GUEST_DMA_RUNS := $(if $(filter 1,$(FULL)),2d)
GUEST_NOKMEM_RUNS :=
GUEST_DMA_TESTS_DEFAULT := virtio_gpu_zswap
GUEST_DMA_LOAD := 0
# piglit's conformance under eviction is a question about the data, which
# the normal kernel answers: not again under KASAN, for CI's time.
GUEST_PIGLIT_RUNS :=
# The demo as a test, loaded: not under KASAN, whose slowness is not a
# desktop's.
DEMO_TEST_RUNS :=
# The arm64 run is the same with or without the debug kernels: once, below.
ARM64_TEST_RUNS :=
# So are the documents, which no kernel config changes.
DOCS_TEST :=
else
GUEST_BUILD := $(OUT)/build/guest
KUNIT_BUILD := $(OUT)/kunit
GUEST_CONFIG := $(TOP)/build/guest.config
KUNIT_CONFIGS := --kunitconfig=$(TOP)/.kunitconfig
GUEST_2D_ENV :=
# The normal kernel boots each guest once more as the DMA-API guest
# (build/guest-run.sh, GUEST_DMA), with the tests of virtio-gpu and the
# fuzzer only, on a slow host: two busy loops beside QEMU.
GUEST_DMA_RUNS := 2d 3d
# And once with cgroup.memory=nokmem, the tests whose behaviour it changes.
GUEST_NOKMEM_RUNS := 2d
GUEST_DMA_TESTS_DEFAULT := virtio_gpu_zswap,gem_zswap_fuzz
GUEST_DMA_LOAD := 2
# The virgl guest boots once more for a piglit subset, calm and under
# eviction (build/guest-piglit.sh): make test runs PIGLIT_SHORT, the tests
# of build/piglit.list with the most evictions and one of each kind, for
# CI's time; make test-full (FULL=1) the whole list.
GUEST_PIGLIT_RUNS := 3d
# The demo's desktop, 60 s, with a CPU hog of two workers beside QEMU.
DEMO_TEST_RUNS := loaded
# zblock's KUnit suite and zswap over zblock on an arm64 kernel with 16K
# pages, the page size zblock was designed for (build/arm64.sh).
ARM64_TEST_RUNS := 16K
DOCS_TEST := 1
endif
PIGLIT_SHORT := texsubimage-pbo getteximage-formats teximage-colors-rgba8 gl-2.1-pbo \
	s3tc-texsubimage vbo-subdata-many-drawarrays ubo-rendering fbo-pbo-readpixels-small \
	copyteximage-2d fbo-blit-stretch
ifeq ($(FULL),1)
PIGLIT_TESTS :=
else
PIGLIT_TESTS := $(subst $(empty) $(empty),$(comma),$(strip $(PIGLIT_SHORT)))
endif
GUEST_DMA_ENV := GUEST_DMA=1 GUEST_KUNIT= GUEST_HOST_LOAD=$${GUEST_HOST_LOAD:-$(GUEST_DMA_LOAD)} \
	GUEST_TESTS=$${GUEST_DMA_TESTS:-$(GUEST_DMA_TESTS_DEFAULT)}
# The nokmem run also boots with tunables on the command line, bad ones
# among them, which vgem_zswap:boot-parameters checks.
GUEST_BOOT_PARAMS := zb.boot_params=1 drm_shmem_helper.zswap_zpool=bogus \
	drm_shmem_helper.zswap_compressor=lz5 drm_shmem_helper.zswap_enabled=maybe \
	drm_shmem_helper.zswap_max_pool_percent=25
GUEST_NOKMEM_ENV := GUEST_NOKMEM=1 GUEST_KUNIT= GUEST_APPEND="$(GUEST_BOOT_PARAMS)" \
	GUEST_TESTS=$${GUEST_NOKMEM_TESTS:-vgem_zswap:boot-parameters,vgem_zswap:cgroup-charge,vgem_zswap:memory-pressure,vgem_zswap:global-reclaim-kswapd}
JOBS ?= $(shell nproc)

# Debian's tools first, whatever else a user's PATH holds.
export PATH := /usr/sbin:/usr/bin:/sbin:/bin:$(PATH)

# ccache, when present, with its cache outside the repo so that it outlives
# out/ and fresh clones; BASEDIR makes hits independent of the clone's path.
ifneq ($(shell command -v ccache),)
KCC := ccache gcc
export CCACHE_DIR ?= $(HOME)/.cache/zblock-ccache
export CCACHE_BASEDIR := $(TOP)
export CCACHE_MAXSIZE ?= 5G
endif
KCC ?= gcc
# A fixed build timestamp lets ccache reuse init/version.o and friends.
KMAKE_ARGS := KBUILD_BUILD_TIMESTAMP=@0 KBUILD_BUILD_USER=zblock KBUILD_BUILD_HOST=build
KMAKE := $(MAKE) -C $(TREE) O=$(GUEST_BUILD) ARCH=x86_64 CC="$(KCC)" $(KMAKE_ARGS)

# KUnit suites that make kunit runs: the project's and the upstream GEM shmem
# helper's (the helper that drm_gem_zswap extends).  One glob per UML boot.
KUNIT_SUITES ?= drm_gem_* zblock

IGT_TESTS := $(patsubst tests/igt/%.c,%,$(wildcard tests/igt/*.c))
IGT_LIB_SRC := $(wildcard tests/igt/lib/*.c)
IGT_LIB_HDR := $(wildcard tests/igt/lib/*.h)
# -Wno-clobbered as in IGT's own build: its subtest macros are built on sigsetjmp.
IGT_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-clobbered -Werror -std=gnu11 \
	-D_GNU_SOURCE -Itests/igt/lib -I$(GUEST_BUILD)/usr/include \
	$(shell pkg-config --cflags libdrm 2>/dev/null)
IGT_LIBS := $(shell pkg-config --libs libdrm 2>/dev/null)

# A compiler warning in a project file, new or patched, fails the build.
no_warnings = build/warnings.sh $(1)

.PHONY: help deps tree kernel headers kunit igt guest guest-test guest-test-2d \
	guest-test-3d guest-test-piglit demo-test test test-arm64 check lint export export-check docs docs-ours bench bench-guest demo \
	shell clean

help:
	@echo "make deps        install the Debian packages needed (as root)"
	@echo "make kernel      base tree + overlay + patches in out/linux, guest bzImage"
	@echo "make kunit       the project's KUnit suites on UML"
	@echo "make guest       guest initramfs with the IGT-style tests"
	@echo "make guest-test  boot the guest twice (2D, virgl 3D) and run the tests"
	@echo "make guest-test-piglit  a piglit subset in the virgl guest, calm and under eviction"
	@echo "make test        deps + kunit + guest-test; ends with 'N passed, N failed'"
	@echo "make test-full   make test with piglit's whole list (make test runs 10 of its 38),"
	@echo "                 the whole gpu and mm books, and DEBUG=1's DMA-API boot"
	@echo "                 (DEBUG=1: on debug kernels: KASAN, lockdep, kmemleak, ...)"
	@echo "make test-arm64  zblock's KUnit suite and zswap over zblock on an arm64 kernel,"
	@echo "                 PAGE_SIZE=16K (or 4K, 64K), under QEMU; make test runs 16K"
	@echo "make check       checkpatch --strict and kernel-doc on project files and patches"
	@echo "make lint        W=1 and sparse (C=2) on the project's objects; new warnings fail"
	@echo "make export      out/patches: the series for submission, with a cover letter"
	@echo "make export-check  the same, then build each patch on its own and checkpatch it"
	@echo "make docs        render the gpu and mm books; fail on warnings of ours"
	@echo "make docs-ours   the same check on a book of the project's documents only"
	@echo "make bench       zblock against zsmalloc, zbud and z3fold on UML; out/bench/zpool.json;"
	@echo "                 then bench-guest"
	@echo "                 (ARCH=arm64 [PAGE_SIZE=4K|16K|64K]: the zpool benchmark on arm64"
	@echo "                 kernels of each page size; out/bench/arm64.json)"
	@echo "make bench-guest drm_gem_zswap against shmem swap into zswap in the guest; out/bench/guest.json"
	@echo "make demo        a weston desktop under memory pressure in the virgl guest"
	@echo "                 (ZSWAP=0: the same with drm_gem_zswap disabled;"
	@echo "                 LOAD=N: with stress-ng --cpu N beside QEMU)"
	@echo "make demo-test   the demo as make test runs it: 60 s, LOAD=2"
	@echo "make shell       boot the 2D guest with a shell on this terminal"

deps:
	@build/deps.sh

tree:
	@build/tree.sh

# The config is regenerated only when the fragment changes, so that an
# incremental build after a source change recompiles only what changed.
$(GUEST_BUILD)/.config: $(GUEST_CONFIG) build/kconfig-check.sh | tree
	@mkdir -p $(GUEST_BUILD)
	$(KMAKE) -s KCONFIG_ALLCONFIG=$(GUEST_CONFIG) allnoconfig
	@build/kconfig-check.sh $(GUEST_CONFIG) $@

$(OUT)/build/guest-debug.config: build/guest.config build/debug.config
	@mkdir -p $(dir $@)
	cat $^ > $@

kernel: tree $(GUEST_BUILD)/.config
	@echo "kernel: building bzImage ($(KCC), -j$(JOBS))"
	@start=$$(date +%s); \
	$(KMAKE) -s -j$(JOBS) bzImage 2>&1 | tee $(GUEST_BUILD)/build.log; \
	[ $${PIPESTATUS[0]} = 0 ] || exit 1; \
	$(call no_warnings,$(GUEST_BUILD)/build.log); \
	echo "kernel: $(GUEST_BUILD)/arch/x86/boot/bzImage ($$(cat $(GUEST_BUILD)/include/config/kernel.release)) in $$(( $$(date +%s) - start ))s"

headers: tree $(GUEST_BUILD)/.config
	@$(KMAKE) -s headers

KUNIT_REPORTS := BUG: KASAN|possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|BUG: sleeping function|ODEBUG:|INFO: task .* blocked|general protection|BUG: unable to handle|list_(add|del) corruption|Kernel panic

kunit: tree
	@mkdir -p $(KUNIT_BUILD) $(OUT)/results
	@rm -f $(OUT)/results/kunit.txt
	@cd $(TREE) && python3 tools/testing/kunit/kunit.py build \
		$(KUNIT_CONFIGS) --build_dir=$(KUNIT_BUILD) \
		--jobs=$(JOBS) --make_options="CC=$(KCC)" $(foreach a,$(KMAKE_ARGS),--make_options=$(a)) \
		2>&1 | tee $(KUNIT_BUILD)/build.log; [ $${PIPESTATUS[0]} = 0 ]
	@$(call no_warnings,$(KUNIT_BUILD)/build.log)
	@rm -f $(KUNIT_BUILD)/console.log
	@set -e; for glob in $(KUNIT_SUITES); do \
		(cd $(TREE) && python3 tools/testing/kunit/kunit.py exec \
			--build_dir=$(KUNIT_BUILD) --timeout=600 \
			--json=$(KUNIT_BUILD)/results.json "$$glob") || true; \
		python3 build/results.py kunit $(KUNIT_BUILD)/results.json >> $(OUT)/results/kunit.txt; \
		cat $(KUNIT_BUILD)/test.log >> $(KUNIT_BUILD)/console.log; \
	done
	@# What the debug options report, whatever the tests said.  Not every
	@# WARNING: zblock's bad-free tests make one on purpose.
	@if grep -nE "$(KUNIT_REPORTS)" $(KUNIT_BUILD)/console.log > $(KUNIT_BUILD)/reports.txt; then \
		echo "kunit: kernel reports in $(KUNIT_BUILD)/console.log:"; head -20 $(KUNIT_BUILD)/reports.txt; \
		echo "FAIL kunit:kernel-reports" >> $(OUT)/results/kunit.txt; fi
	@echo "kunit: $$(grep -c ^PASS $(OUT)/results/kunit.txt) passed, $$(grep -cE '^(FAIL|CRASH)' $(OUT)/results/kunit.txt) failed, $$(grep -c ^SKIP $(OUT)/results/kunit.txt) skipped"
	@! grep -qE '^(FAIL|CRASH)' $(OUT)/results/kunit.txt
	@grep -q '^PASS' $(OUT)/results/kunit.txt || { echo "kunit: no test ran"; exit 1; }

# The GL programs share an offscreen scene (tests/lib) and link Mesa's EGL,
# GLES and GBM, as kmscube does.
GL_SRC := tests/lib/gl_scene.c
GL_LIBS := -lEGL -lGLESv2 -lgbm -lm $(IGT_LIBS)
$(IGT_OUT)/virtio_gpu_zswap_gl: IGT_LIB_SRC += $(GL_SRC)
$(IGT_OUT)/virtio_gpu_zswap_gl: IGT_LIBS += $(GL_LIBS)
$(IGT_OUT)/virtio_gpu_zswap_gl: IGT_CFLAGS += -Itests/lib
$(IGT_OUT)/virtio_gpu_zswap_gl: $(GL_SRC) tests/lib/gl_scene.h

# The demo's desktop: windows (GL programs that mostly sit idle) and a
# memory user, as one program.
DEMO_OUT := $(OUT)/demo-bin
# Under weston its frames are shown in a window through wl_shm, with
# xdg-shell's client code generated from Debian's wayland-protocols.
XDG_SHELL_XML := /usr/share/wayland-protocols/stable/xdg-shell/xdg-shell.xml
$(DEMO_OUT)/xdg-shell-client-protocol.h: $(XDG_SHELL_XML)
	@mkdir -p $(DEMO_OUT)
	wayland-scanner client-header $< $@
$(DEMO_OUT)/xdg-shell-protocol.c: $(XDG_SHELL_XML)
	@mkdir -p $(DEMO_OUT)
	wayland-scanner private-code $< $@
DEMO_SRC := tests/demo/desktop_window.c tests/demo/wl_window.c $(GL_SRC) \
	$(DEMO_OUT)/xdg-shell-protocol.c
$(DEMO_OUT)/desktop_window: $(DEMO_SRC) tests/demo/wl_window.h tests/lib/gl_scene.h \
		$(DEMO_OUT)/xdg-shell-client-protocol.h
	gcc $(filter-out -Itests/igt/lib,$(IGT_CFLAGS)) -Itests/lib -I$(DEMO_OUT) -o $@ \
		$(DEMO_SRC) $(GL_LIBS) -lwayland-client

$(IGT_OUT)/%: tests/igt/%.c $(IGT_LIB_SRC) $(IGT_LIB_HDR) | headers
	@mkdir -p $(IGT_OUT)
	gcc $(IGT_CFLAGS) -o $@ $< $(IGT_LIB_SRC) $(IGT_LIBS)

igt: headers $(addprefix $(IGT_OUT)/,$(IGT_TESTS))

guest: igt $(DEMO_OUT)/desktop_window
	@build/guest.sh $(IGT_OUT) $(DEMO_OUT)

guest-test-2d: kernel guest
	@$(GUEST_2D_ENV) build/guest-run.sh 2d

guest-test-3d: kernel guest
	@$(GUEST_3D_ENV) build/guest-run.sh 3d

# A piglit subset, twice: calm, then with every idle BO evicted every 30 ms
# and each test squeezed in its memory cgroup, with swap through zswap.
guest-test-piglit: kernel guest
	@build/guest-run.sh 3d --piglit

# Every guest runs even when one fails, so one run shows everything.
guest-test: kernel guest
	@rc=0; $(GUEST_2D_ENV) build/guest-run.sh 2d || rc=1; \
	$(GUEST_3D_ENV) build/guest-run.sh 3d || rc=1; \
	for m in $(GUEST_DMA_RUNS); do $(GUEST_DMA_ENV) build/guest-run.sh $$m || rc=1; done; \
	for m in $(GUEST_NOKMEM_RUNS); do $(GUEST_NOKMEM_ENV) build/guest-run.sh $$m || rc=1; done; \
	for m in $(GUEST_PIGLIT_RUNS); do GUEST_PIGLIT_TESTS=$${GUEST_PIGLIT_TESTS-$(PIGLIT_TESTS)} \
		build/guest-run.sh $$m --piglit || rc=1; done; \
	exit $$rc

# Each stage's time, builds included, goes to out/results/timing.log and
# is printed at the end: the figures a CI budget is planned with.
test: deps
	@mkdir -p $(OUT)/results; rm -f $(OUT)/results/*.txt $(OUT)/results/*.why $(OUT)/results/timing.log; rc=0; \
	start=$$(date +%s); \
	timed() { local t=$$(date +%s) r; "$$@"; r=$$?; \
		echo "$${*: -1}: $$(( $$(date +%s) - t ))s" >> $(OUT)/results/timing.log; return $$r; }; \
	timed $(MAKE) --no-print-directory kunit || { rc=1; echo "CRASH kunit (make kunit failed)" >> $(OUT)/results/kunit.txt; }; \
	timed $(MAKE) --no-print-directory guest-test || rc=1; \
	$(if $(ARM64_TEST_RUNS),timed $(MAKE) --no-print-directory PAGE_SIZE="$(ARM64_TEST_RUNS)" test-arm64 || rc=1;) \
	$(if $(DEMO_TEST_RUNS),timed $(MAKE) --no-print-directory demo-test || rc=1;) \
	$(if $(DOCS_TEST),if timed $(MAKE) --no-print-directory $(if $(filter 1,$(FULL)),docs,docs-ours); then echo "PASS docs:sphinx" > $(OUT)/results/docs.txt; \
	else echo "FAIL docs:sphinx" > $(OUT)/results/docs.txt; rc=1; fi;) \
	for f in guest-2d guest-3d $(addprefix guest-,$(addsuffix -dma,$(GUEST_DMA_RUNS))) \
		$(addprefix guest-,$(addsuffix -nokmem,$(GUEST_NOKMEM_RUNS))) \
		$(addprefix guest-,$(addsuffix -piglit,$(GUEST_PIGLIT_RUNS))) \
		$(addprefix arm64-,$(ARM64_TEST_RUNS)) $(addprefix demo-,$(DEMO_TEST_RUNS)); do \
		[ -s $(OUT)/results/$$f.txt ] || \
		echo "CRASH $$f (did not run)" >> $(OUT)/results/$$f.txt; done; \
	echo "test: done in $$(( $$(date +%s) - start ))s ($$(paste -sd, $(OUT)/results/timing.log | sed 's/,/, /g'))"; \
	python3 build/results.py summary $(OUT)/results/*.txt || rc=1; \
	for w in $(OUT)/results/*.why; do [ -s $$w ] && { echo "==== why: $$w ===="; head -n 120 $$w; }; done; \
	exit $$rc

# make test with what CI's 75 minutes leave out: piglit's whole list, the
# whole gpu and mm books (make docs), and the debug kernel's DMA-API boot.
test-full:
	@$(MAKE) --no-print-directory test FULL=1

check:
	@build/check.sh

# The project as a format-patch series against the base, in out/patches;
# export-check also builds every patch on its own and runs checkpatch.
export: tree
	@build/export.sh

export-check: tree
	@KCC="$(KCC)" JOBS=$(JOBS) build/export.sh --check

# W=1 and sparse on the project's objects in the guest build.
lint: deps kernel
	@GUEST_BUILD=$(GUEST_BUILD) KCC="$(KCC)" JOBS=$(JOBS) build/lint.sh

# The benchmark needs the guest kernel's object files for its corpus.
docs: tree
	@build/docs.sh

# make test's form: the project's documents in a book of their own.
docs-ours: tree
	@build/docs.sh --ours

# zblock on arm64's page sizes: one cross-built kernel per page size under
# QEMU (build/arm64.sh).  make test runs the 16K one; PAGE_SIZE picks others.
test-arm64: deps tree
	@KCC="$(KCC)" JOBS=$(JOBS) build/arm64.sh test $(or $(PAGE_SIZE),16K)

# Only an ARCH given to this make: a cross-compiling user's environment may
# hold ARCH=arm64 for other builds.  The x86 guest kernel's object files are
# one kind of the corpus, so make kernel comes first here too.
ifeq ($(origin ARCH) $(ARCH),command line arm64)
bench: deps kernel
	@KCC="$(KCC)" JOBS=$(JOBS) build/arm64.sh bench $(or $(PAGE_SIZE),4K 16K 64K)
else
bench: deps kernel
	@KCC="$(KCC)" build/bench.sh
	@$(MAKE) --no-print-directory bench-guest
endif

# The guest benchmark: a program of its own, not a test, in its own initramfs.
BENCH_BIN := $(OUT)/bench-bin/gem_zswap_bench
$(BENCH_BIN): bench/gem_zswap_bench.c $(IGT_LIB_SRC) $(IGT_LIB_HDR) | headers
	@mkdir -p $(dir $@)
	gcc $(IGT_CFLAGS) -o $@ $< $(IGT_LIB_SRC) $(IGT_LIBS)

bench-guest: deps kernel guest $(BENCH_BIN)
	@build/bench-guest.sh $(BENCH_BIN)

shell: deps kernel guest
	@build/guest-run.sh 2d --shell

# LOAD=N: with stress-ng's N CPU workers beside QEMU.
demo: deps kernel guest
	@GUEST_HOST_LOAD=$(or $(LOAD),0) build/guest-run.sh 3d --demo

# The demo as make test runs it: shorter, and loaded.
demo-test: deps kernel guest
	@mkdir -p $(OUT)/results
	@if GUEST_HOST_LOAD=2 GUEST_APPEND="zb.demo_seconds=60 $${GUEST_APPEND:-}" \
		build/guest-run.sh 3d --demo; then \
		echo "PASS demo:desktop-loaded" > $(OUT)/results/demo-loaded.txt; \
	else echo "FAIL demo:desktop-loaded" > $(OUT)/results/demo-loaded.txt; exit 1; fi

clean:
	rm -rf $(OUT)
