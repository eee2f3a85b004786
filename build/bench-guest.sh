#!/bin/bash
# make bench-guest: drm_gem_zswap against the kernel's own per-page path
# (shmem pages pushed into zswap), the same corpus both ways in one guest
# boot (bench/gem_zswap_bench.c says how).
#
#   bench-guest.sh BENCH_BINARY
#
# Two boots of the 2D guest: one on QEMU's instruction counter (-icount),
# whose timings repeat exactly and give the tables' ratios, and one on
# plain TCG, for the latency of a first access, which icount cannot show
# (it counts the instructions of the host's work as none).  The corpus is
# make bench's (bench/bo-corpus.py), appended to the test initramfs as a
# second cpio archive, which the kernel unpacks after the first.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/bench
bin=$1
mkdir -p "$out"

if [ ! -s "$out/bo-corpus/manifest" ]; then
	rm -rf "$out/bo-corpus"
	/usr/bin/python3 "$top/bench/bo-corpus.py" "$out/bo-corpus"
fi

root=$out/guest-root
rm -rf "$root"
mkdir -p "$root/bench"
install -m 0755 "$bin" "$root/bench/gem_zswap_bench"
install -m 0755 "$top/bench/guest-bench-run.sh" "$root/bench/run"
cp -r "$out/bo-corpus" "$root/bench/corpus"
(cd "$root" && find bench | cpio --quiet -o -H newc) > "$out/bench.cpio"
cat "$top/out/guest/initramfs.cpio" "$out/bench.cpio" > "$top/out/guest/initramfs-bench.cpio.new"
mv "$top/out/guest/initramfs-bench.cpio.new" "$top/out/guest/initramfs-bench.cpio"

echo "bench-guest: ${BENCH_REPS:-3} repetitions on the instruction counter"
GUEST_ICOUNT=1 BENCH_LOG=$out/guest-icount.log "$top/build/guest-run.sh" 2d --bench
echo "bench-guest: ${BENCH_LAT:-10} first accesses each way on plain TCG"
BENCH_REPS=${BENCH_TCG_REPS:-1} BENCH_LOG=$out/guest-tcg.log "$top/build/guest-run.sh" 2d --bench
python3 "$top/build/guest_bench_report.py" "$out/guest-icount.log" "$out/guest-tcg.log" \
	"$out/guest.json"
