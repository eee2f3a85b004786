#!/bin/bash
# Boot the test guest under QEMU (TCG) and collect its results.
#
#   guest-run.sh 2d|3d [--demo|--shell|--bench|--piglit]
#
# --demo runs the demo (build/guest-demo.sh) instead of the tests, with its
# status lines shown as they come and a screenshot in out/demo; ZSWAP=0
# runs it with drm_gem_zswap disabled.
# --shell boots the guest with a shell on this terminal instead of the tests
# (leave it with "exit" or Ctrl-A X).
# --bench runs the guest benchmark (build/bench-guest.sh makes its
# initramfs) and writes its result lines to $BENCH_LOG; GUEST_ICOUNT=1
# runs the guest on QEMU's instruction counter, where the guest's clock
# counts instructions and a run repeats its timings exactly.
# --piglit (3d only) runs the piglit subset (build/guest-piglit.sh) calm,
# then under eviction, instead of the tests; results in
# out/results/guest-3d-piglit.txt, one line per test: PASS when both runs
# agree (build/results.py piglit).
# 2d: -device virtio-gpu-pci, no display.  3d: -device virtio-gpu-gl-pci with
# virgl through GTK's GL context on an Xvfb server, Mesa's llvmpipe on the
# host.  The guest is killed after $GUEST_TIMEOUT seconds; a guest that hangs,
# panics, oopses or WARNs fails the run with the last console lines shown.
# Results go to out/results/guest-<mode>.txt, one "PASS|FAIL|SKIP name" line
# per subtest.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
gpu_mode=$1
demo=${2:-}
# GUEST_DMA=1: virtio-gpu goes through the DMA API, as in SEV and TDX
# guests: the device offers VIRTIO_F_ACCESS_PLATFORM (iommu_platform=on;
# without it virtio_has_dma_quirk() bypasses the DMA API) and every
# mapping bounces through swiotlb, 128 MiB of it (65536 slabs of 2 KiB),
# room for the tests' largest BOs.  Results are those of mode 2d-dma or
# 3d-dma.
dma=${GUEST_DMA:-0}
mode=$gpu_mode
[ "$dma" = 1 ] && mode=$gpu_mode-dma
# GUEST_NOKMEM=1: boot with cgroup.memory=nokmem, where memory cgroups
# have no obj_cgroups and list_lru is not per cgroup (mode 2d-nokmem).
[ "${GUEST_NOKMEM:-0}" = 1 ] && mode=$mode-nokmem
kernel=${GUEST_KERNEL:-$top/out/build/guest/arch/x86/boot/bzImage}
initrd=$top/out/guest/initramfs.cpio
timeout=${GUEST_TIMEOUT:-300}
[ "$demo" = --demo ] && timeout=${GUEST_TIMEOUT:-600}
bench=
if [ "$demo" = --bench ]; then
	bench=1
	demo=
	initrd=$top/out/guest/initramfs-bench.cpio
	timeout=${GUEST_TIMEOUT:-2400}
	GUEST_KUNIT=
	mode=$mode-bench
	[ "${GUEST_ICOUNT:-0}" = 1 ] && mode=$mode-icount
fi
piglit=
if [ "$demo" = --piglit ]; then
	[ "$gpu_mode" = 3d ] || die "--piglit needs the virgl guest (3d)"
	piglit=1
	demo=
	timeout=${GUEST_TIMEOUT:-1200}
	GUEST_KUNIT=
	mode=$mode-piglit
fi
run=$top/out/guest/$mode${demo:+-${demo#--}}
console=$run/console.log
results=$top/out/results/guest-$mode.txt
# Why a run failed, repeated at the end of make test: CI shows only the
# end of the output, and a guest's own lines scroll away behind later runs.
why=$top/out/results/guest-$mode${demo:+-${demo#--}}.why

die() { echo "guest-$mode: error: $*" >&2; exit 1; }
[ -f "$kernel" ] || die "$kernel missing (make kernel)"
[ -f "$initrd" ] || die "$initrd missing (make guest)"
mkdir -p "$run" "$top/out/results"
rm -f "$console"
[ "$demo" = --shell ] || rm -f "$why"

append="console=ttyS0 panic=-1 oops=panic softlockup_panic=1"
append="$append zswap.enabled=1 zswap.compressor=lz4"
# KUnit at boot: only what needs the guest's two CPUs.  GUEST_KUNIT= (empty)
# turns it off; unset, it is the two-thread tests of zblock and drm_gem_zswap.
kunit_glob=${GUEST_KUNIT-*.*two_threads}
[ -n "$kunit_glob" ] && append="$append kunit.enable=1 kunit.filter_glob=$kunit_glob"
append="$append ${GUEST_APPEND:-}"
[ "${GUEST_NOKMEM:-0}" = 1 ] && append="$append cgroup.memory=nokmem"
[ "$demo" = --demo ] && append="$append zb.demo=1 zb.zswap=${ZSWAP:-1}"
[ "$demo" = --shell ] && append="$append zb.shell=1"
# tsc=reliable: plain TCG's TSC fails the clocksource watchdog under load,
# and the jiffies clock that follows ticks every 4 ms.  slab_nomerge: zswap's
# entries in a cache of their own, which the benchmark reads.
[ -n "$bench" ] && append="$append tsc=reliable slab_nomerge zb.bench=1 zb.bench_reps=${BENCH_REPS:-3} zb.bench_lat=${BENCH_LAT:-10}"
[ -n "$piglit" ] && append="$append zb.piglit=1 ${GUEST_PIGLIT_TESTS:+zb.piglit_tests=$GUEST_PIGLIT_TESTS}"
[ -n "${GUEST_TESTS:-}" ] && append="$append zb.tests=$GUEST_TESTS"
gpu_opts=
if [ "$dma" = 1 ]; then
	append="$append swiotlb=65536,force zb.dma=1"
	gpu_opts=,iommu_platform=on
fi
# The 2D guest gets the host channel (see below); its tests look for this.
[ "$gpu_mode" = 2d ] && append="$append zb.host=1"
# A fresh sparse disk for swap (/dev/vda in the guest), made per boot.
rm -f "$run/swap.img"
truncate -s 1G "$run/swap.img"
qemu=(qemu-system-x86_64 -M pc -accel tcg -cpu max -smp 2 -m 2048
      -kernel "$kernel" -initrd "$initrd" -append "$append"
      -drive "file=$run/swap.img,if=virtio,format=raw,cache=unsafe"
      -no-reboot -monitor none -serial "file:$console" -nodefaults)
# One instruction a nanosecond of guest time, the guest's clock kept off the
# host's: no sleeping, no catching up.
[ -n "$bench" ] && [ "${GUEST_ICOUNT:-0}" = 1 ] && qemu+=(-icount shift=0,align=off,sleep=off)

case "$gpu_mode" in
2d)	qemu+=(-device "virtio-gpu-pci$gpu_opts" -display none)
	# The host channel: the guest's /dev/ttyS1, served by guest-host.py,
	# which answers with screendumps taken through QMP.
	host=1
	rm -f "$run/qmp.sock" "$run/host.sock"
	qemu+=(-qmp "unix:$run/qmp.sock,server=on,wait=off"
	       -chardev "socket,id=zbhost,path=$run/host.sock,server=on,wait=off"
	       -device isa-serial,chardev=zbhost)
	wrap=() ;;
3d)	# The demo's desktop at 1280x960; the tests' scanouts are their own.
	qemu+=(-device "virtio-gpu-gl-pci$gpu_opts${demo:+,xres=1280,yres=960}" -display gtk,gl=on)
	# Room for QEMU's window, menu bar and all, for the demo's screenshot.
	wrap=(xvfb-run -a -s "-screen 0 1280x1024x24 +extension GLX") ;;
*)	die "unknown mode $mode (2d or 3d)" ;;
esac

bg_pids=()
trap 'kill "${bg_pids[@]}" 2>/dev/null' EXIT
if [ "${host:-0}" = 1 ]; then
	python3 "$top/build/guest-host.py" "$run/host.sock" "$run/qmp.sock" "$run" \
		> "$run/host.log" 2>&1 &
	bg_pids+=($!)
fi
# GUEST_HOST_LOAD=N: a CPU hog on the host beside QEMU, stress-ng's N CPU
# workers, a slow host on which the device answers late (virtio-gpu's
# detaches complete after reclaim has moved on), as on a loaded desktop or
# a crowded VM host.
if [ "${GUEST_HOST_LOAD:-0}" -gt 0 ]; then
	command -v stress-ng > /dev/null || die "stress-ng is not installed (make deps)"
	stress-ng --cpu "$GUEST_HOST_LOAD" --quiet > /dev/null 2>&1 &
	bg_pids+=($!)
	echo "guest-$mode: stress-ng --cpu ${GUEST_HOST_LOAD} on the host"
fi

if [ "$demo" = --shell ]; then
	qemu=("${qemu[@]/file:$console/mon:stdio}")
	exec "${wrap[@]}" "${qemu[@]}"
fi

echo "guest-$mode: booting ($(basename "$kernel"), timeout ${timeout}s)"
start=$(date +%s)
if [ "$demo" = --demo ]; then
	mkdir -p "$top/out/demo"
	png=$top/out/demo/screen.png
	[ "${ZSWAP:-1}" = 0 ] && png=$top/out/demo/screen-zswap0.png
	rm -f "$png"
	timeout -k 10 "$timeout" "${wrap[@]}" "$top/build/demo-session.sh" "$console" "$png" \
		"${qemu[@]}" 2> "$run/qemu.log"
	rc=$?
else
	timeout -k 10 "$timeout" "${wrap[@]}" "${qemu[@]}" > "$run/qemu.log" 2>&1
	rc=$?
fi
secs=$(( $(date +%s) - start ))

show_tail() {
	echo "---- last console lines ($console) ----"
	tail -n "${1:-40}" "$console" 2>/dev/null
	echo "---- qemu ----"
	tail -n 10 "$run/qemu.log"
	echo "----"
}

fail=0
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "guest-$mode: FAIL: guest killed after ${timeout}s (hung)" | tee -a "$why"
	fail=1
elif ! grep -q '^ZB-GUEST-DONE' "$console" 2>/dev/null; then
	echo "guest-$mode: FAIL: guest ended (qemu exit $rc) before finishing its tests" | tee -a "$why"
	fail=1
fi
# Any kernel report anywhere fails the run, even if every test passed.  The
# OOM killer's report is not one: a test that OOMs fails by itself, and the
# demo without drm_gem_zswap is there to show it.  The report ends with the
# kill, or with "no killable processes" when there was nobody to kill.  A
# fault that returned VM_FAULT_OOM without a kill is one: it is taken again
# and again.  Except inside vgem_zswap's fault-injection subtest: there
# fail_page_alloc makes any page fault of its child fail at random (its own
# stack and heap too), and the kernel's answer to that, a warning and a
# retry of the fault, is what should happen; a fault retried forever would
# hang the subtest, which its timeout catches.
if awk '/invoked oom-killer/ {oom = 1}
	/Starting subtest: fault-injection/ {fi = 1}
	!oom && !(fi && /VM_FAULT_OOM leaked out/) {print NR ": " $0}
	/Subtest fault-injection:/ {fi = 0}
	/Out of memory.*Killed process|out of memory: Killed process|no killable processes/ {oom = 0}' "$console" 2>/dev/null |
	grep -E 'Kernel panic|BUG:|WARNING:|Oops|general protection|Call Trace:|INFO: task .* blocked|UBSAN:|KASAN:|unreferenced object|ODEBUG:|VM_FAULT_OOM leaked out' \
	> "$run/reports.txt"; then
	{
		echo "guest-$mode: FAIL: kernel reports in the console:"
		head -20 "$run/reports.txt"
	} | tee -a "$why"
	fail=1
fi

if [ -n "$demo" ]; then
	summary=$top/out/demo/summary${ZSWAP:+-zswap$ZSWAP}.txt
	tr -d '\r' < "$console" | sed -n '/^ZB-DEMO-SUMMARY/,/^ZB-DEMO-RESULT/p' | tee "$summary"
	echo "demo: ${secs}s; the summary is in $summary"
	[ $fail = 0 ] || { show_tail 40; exit 1; }
	result=$(tr -d '\r' < "$console" | grep '^ZB-DEMO-RESULT') ||
		{ echo "demo: FAIL: no result"; show_tail 40; exit 1; }
	# With the helper every window must finish right, with evictions and
	# restores; without it the run shows what happens, whatever it is.
	case "${ZSWAP:-1}:$result" in
	0:*|*verdict=pass*) ;;
	*) echo "demo: FAIL: $result"; exit 1 ;;
	esac
	exit 0
fi
if [ -n "$bench" ]; then
	log=${BENCH_LOG:-$run/bench.log}
	tr -d '\r' < "$console" | grep '^ZB-BENCH' > "$log"
	echo "bench-guest: ${secs}s; $(grep -c '^ZB-BENCH ' "$log") results in $log"
	[ $fail = 0 ] || { show_tail 40; exit 1; }
	if grep -q '^ZB-BENCH-FAILED' "$log" || ! grep -q '^ZB-BENCH-DONE' "$log"; then
		echo "bench-guest: FAIL: the benchmark did not finish"
		tr -d '\r' < "$console" | grep -B5 '^ZB-BENCH-FAILED'
		show_tail 20
		exit 1
	fi
	exit 0
fi
parser=igt
[ -n "$piglit" ] && parser=piglit
python3 "$top/build/results.py" "$parser" "$console" "$mode" > "$results"
[ $fail = 0 ] || echo "CRASH guest-$mode" >> "$results"
# The KUnit tests asked for at boot must have run, not vanished.
if [ -n "$kunit_glob" ] && ! grep -q ":kunit\." "$results"; then
	echo "FAIL $mode:kunit (no KUnit result at boot for $kunit_glob)" >> "$results"
fi
grep -E '^(PASS|FAIL|SKIP|CRASH|piglit calm:)' "$results" | sed "s/^/guest-$mode: /"
echo "guest-$mode: $(grep -c ^PASS "$results") passed, $(grep -cE '^(FAIL|CRASH)' "$results") failed, $(grep -c ^SKIP "$results") skipped in ${secs}s"
# Each boot's time, for make test's timing line.
echo "  guest-$mode: ${secs}s" >> "$top/out/results/timing.log"
# The output of each failed subtest, from its start to its result; of a
# piglit test, the end of its output in the runs where it did not pass.
failed_subtests() {
	if [ -n "$piglit" ]; then
		grep -E '^(FAIL|CRASH) ' "$results" | awk '{print $2}' | sed 's/^[^:]*://' |
		while read -r name; do
			echo "---- $name ----"
			tr -d '\r' < "$console" | grep -E "^ZB-PIGLIT(-LOG)? [a-z]+ ${name}[: ]" | cut -c1-300
		done
		return
	fi
	grep -E '^(FAIL|CRASH) [^ ]*\.' "$results" | grep -v ':kunit\.' | sed 's/^[A-Z]* [^:]*:\([^ ]*\).*/\1/' |
	while read -r name; do
		sub=${name#*.}
		echo "---- $name ----"
		awk -v s="$sub" '{sub(/\r$/, "")} $0 ~ "Starting subtest: " s "$" {p=1} p {print} \
			p && $0 ~ "Subtest " s ": " {p=0}' "$console" | cut -c1-300 | tail -40
	done
}
if [ $fail != 0 ]; then
	show_tail 40
	{
		# The fuzzer's seeds replay its runs.
		[ -f "$console" ] && tr -d '\r' < "$console" | grep 'IGT_FUZZ_SEED='
		# The first report with its context, the likeliest cause.
		first=$(head -1 "$run/reports.txt" 2>/dev/null | cut -d: -f1)
		if [ -n "$first" ]; then
			echo "---- console lines $((first > 5 ? first - 5 : 1)) to $((first + 40)) ----"
			sed -n "$((first > 5 ? first - 5 : 1)),$((first + 40))p" "$console" |
				tr -d '\r' | cut -c1-200
		else
			show_tail 30
		fi
		failed_subtests
	} >> "$why"
	exit 1
fi
if grep -qE '^(FAIL|CRASH)' "$results"; then
	failed_subtests | tee -a "$why"
	exit 1
fi
exit 0
