#!/bin/bash
# zblock on arm64 with 4K, 16K or 64K pages, under QEMU (TCG).
#
#   build/arm64.sh test  PAGE_SIZE   zblock's KUnit suite, then zswap over
#                                    zblock and zsmalloc with a swap disk and a
#                                    memcg limit (tests/zswap/zswap_roundtrip.c)
#   build/arm64.sh bench PAGE_SIZE...  the zpool benchmark (mm/zpool_bench.c)
#                                    under -icount, then the same zswap run;
#                                    out/bench/arm64-SIZE/; one table at the end
#
# PAGE_SIZE is 4K, 16K or 64K.  A kernel per page size, cross-built with
# Debian's gcc-aarch64-linux-gnu from build/arm64.config: out/arm64/SIZE for
# the benchmark, and out/arm64/SIZE-test with CONFIG_ZBLOCK_DEBUG (whose
# handle checks the KUnit suite also tests) and CONFIG_DEBUG_VM for the tests.
# Results: out/results/arm64-SIZE.txt, one line per test as make test's.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/arm64
mode=${1:-}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || { echo "arm64: usage: $0 test|bench 4K|16K|64K..." >&2; exit 2; }
kcc=${KCC:-gcc}
[ "$kcc" = "${kcc#ccache}" ] && cross="aarch64-linux-gnu-gcc" || cross="ccache aarch64-linux-gnu-gcc"
jobs=${JOBS:-$(nproc)}
timeout=${ARM64_TIMEOUT:-1800}
reports='BUG: |Oops|possible circular locking|inconsistent lock state|sleeping function|Unable to handle|Internal error|Kernel panic|list_(add|del) corruption|rcu: INFO: .*stall|soft lockup|blocked for more than'
# zblock's KUnit cases that make a WARNING on purpose (bad handles).
expected_warnings='zblock_test_(double_free|foreign_handle|stale_free)'

page_bytes() {
	case $1 in
	4K|4k) echo 4096 ;;
	16K|16k) echo 16384 ;;
	64K|64k) echo 65536 ;;
	*) echo "arm64: page size '$1': want 4K, 16K or 64K" >&2; exit 2 ;;
	esac
}

for ps in "$@"; do page_bytes "$ps" > /dev/null; done
mkdir -p "$out" "$top/out/results"

# The host tools: the corpus generator and the test program, static for arm64.
gcc -O2 -Wall -Wextra -o "$out/corpus" "$top/bench/corpus.c" -llz4
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$out/zswap_roundtrip" \
	"$top/tests/zswap/zswap_roundtrip.c"

# The data the zswap run reads into memory: up to 12 MiB of each category of
# the bench corpus's files but the x86 object files (so that it does not
# depend on make kernel having run), padded to 64 KiB: the same bytes for
# every page size.  Made once.
if [ ! -s "$out/data" ]; then
	"$top/bench/corpus-files.sh" | python3 -c '
import sys
per, taken, out = 12 << 20, {}, open(sys.argv[1], "wb")
for line in sys.stdin:
    cat, path = line.rstrip("\n").split(" ", 1)
    if cat == "zero-rich" or taken.get(cat, 0) >= per:
        continue
    try:
        data = open(path, "rb").read(per - taken.get(cat, 0))
    except OSError:
        continue
    taken[cat] = taken.get(cat, 0) + len(data)
    out.write(data)
out.write(bytes(-out.tell() % 65536))
print("arm64: zswap data:", ", ".join(f"{k} {v >> 20} MiB" for k, v in taken.items()))
' "$out/data.new"
	mv "$out/data.new" "$out/data"
fi
rm -rf "$out/initramfs"
mkdir -p "$out/initramfs"
cp "$out/zswap_roundtrip" "$out/initramfs/init"
ln "$out/data" "$out/initramfs/data" 2>/dev/null || cp "$out/data" "$out/initramfs/data"
(cd "$out/initramfs" && printf '%s\n' init data | cpio --quiet -o -H newc) > "$out/initramfs.cpio"

# Build the kernel of page size $1 in $2, with the config lines after.
# Called as a condition, where set -e does not act: every step says so.
build_kernel() {
	local ps=$1 b=$2 bytes
	shift 2
	bytes=$(page_bytes "$ps")
	mkdir -p "$b/mm"
	{ cat "$top/build/arm64.config"; echo "CONFIG_ARM64_${ps^^}_PAGES=y"
	  [ $# = 0 ] || printf '%s\n' "$@"; } > "$b/frag.new"
	# Configure again only when the fragment changes: incremental builds.
	if ! cmp -s "$b/frag.new" "$b/frag" || [ ! -s "$b/.config" ]; then
		make -s -C "$top/out/linux" O="$b" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
			KCONFIG_ALLCONFIG="$b/frag.new" allnoconfig || return 1
		"$top/build/kconfig-check.sh" "$b/frag.new" "$b/.config" || return 1
		mv "$b/frag.new" "$b/frag"
	fi
	# The benchmark's object sizes: the same files as make bench's, cut into
	# pages of this size, 32 MiB of pages per category.
	"$top/bench/corpus-files.sh" | "$out/corpus" $((8192 * 4096 / bytes)) "$bytes" \
		> "$b/corpus.h.new" 2> "$b/corpus.log" || return 1
	cmp -s "$b/corpus.h.new" "$b/mm/zpool_bench_corpus.h" ||
		mv "$b/corpus.h.new" "$b/mm/zpool_bench_corpus.h"
	echo "arm64: building the ${ps^^} kernel"
	local start=$SECONDS
	if ! make -s -C "$top/out/linux" O="$b" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		CC="$cross" KBUILD_BUILD_TIMESTAMP=@0 KBUILD_BUILD_USER=zblock \
		KBUILD_BUILD_HOST=build -j"$jobs" Image 2>&1 | tee "$b/build.log"; then
		echo "arm64: the ${ps^^} kernel failed to build ($b/build.log)" >&2
		return 1
	fi
	"$top/build/warnings.sh" "$b/build.log" || return 1
	echo "arm64: $b/arch/arm64/boot/Image in $((SECONDS - start))s"
}

# Boot the kernel of page size $1 in $2 with KUnit filter $3 and QEMU
# options after; $REPEAT times the data goes through zswap.
boot() {
	local ps=$1 b=$2 glob=$3 log swap_mb
	shift 3
	log=$b/console-$glob.log
	# Room on the disk for every page, so that none stays in memory for
	# want of a swap slot.
	swap_mb=$(( $(stat -c%s "$out/data") * ${REPEAT:-1} * 5 / 4 / 1048576 + 64 ))
	rm -f "$b/swap.img"
	truncate -s "${swap_mb}M" "$b/swap.img"
	mkswap -q -p "$(page_bytes "$ps")" "$b/swap.img" > /dev/null
	echo "arm64: booting the ${ps^^} kernel: KUnit '$glob', then zswap over zblock and zsmalloc"
	local start=$SECONDS rc=0
	timeout -k 30 "$timeout" qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on \
		-smp 2 -m 3072 -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$b/arch/arm64/boot/Image" -initrd "$out/initramfs.cpio" \
		-drive if=none,format=raw,file="$b/swap.img",id=swap \
		-device virtio-blk-device,drive=swap \
		-append "console=ttyAMA0 panic=-1 kunit.filter_glob=$glob zr.zpools=zblock,zsmalloc zr.repeat=${REPEAT:-1} ${BOOT_ARGS:-}" \
		"$@" < /dev/null > "$log" 2>&1 || rc=$?
	echo "arm64: the ${ps^^} guest ran $((SECONDS - start))s (exit $rc)"
	BOOT_LOG=$log
	BOOT_RC=$rc
}

# One "PASS|FAIL|CRASH name" line per result of a boot, into $2.
results() {
	local log=$1 res=$2 name=$3
	python3 "$top/build/results.py" igt "$log" "$name" > "$res"
	grep -q -E '^(PASS|FAIL|SKIP) ' "$res" ||
		echo "CRASH $name:kunit (no KUnit result in $log)" >> "$res"
	if grep -q 'zswap_roundtrip: PASS' "$log"; then
		echo "PASS $name:zswap-roundtrip" >> "$res"
	else
		echo "FAIL $name:zswap-roundtrip ($(grep -m1 'zswap_roundtrip: FAIL' "$log" | tr -d '\r' || echo 'no result'))" >> "$res"
	fi
	[ "$BOOT_RC" = 0 ] || echo "CRASH $name (qemu exit $BOOT_RC)" >> "$res"
	# Every report, and every WARNING but those of the cases that make one
	# on purpose (a KUnit case's output comes before its result line).
	grep -nE "$reports" "$log" > "$log.reports" || true
	awk -v ok="$expected_warnings" '
		/WARNING:/ { w = w NR ":" $0 "\n" }
		/^ *(not )?ok [0-9]+ / { if ($0 !~ ok) printf "%s", w; w = "" }
		END { printf "%s", w }' "$log" >> "$log.reports"
	if [ -s "$log.reports" ]; then
		echo "CRASH $name:kernel-reports ($(head -1 "$log.reports" | tr -d '\r'))" >> "$res"
	fi
	grep -E '^zswap_roundtrip: [a-z]' "$log" | grep -v '{' || true
	echo "arm64: $name: $(grep -c '^PASS' "$res") passed, $(grep -cE '^(FAIL|CRASH)' "$res") failed"
	! grep -qE '^(FAIL|CRASH)' "$res"
}

rc=0
for ps in "$@"; do
	name=arm64-${ps^^}
	case $mode in
	test)
		if ! build_kernel "$ps" "$out/${ps,,}-test" CONFIG_ZBLOCK_DEBUG=y \
			CONFIG_DEBUG_KERNEL=y CONFIG_DEBUG_VM=y; then
			echo "CRASH $name (the kernel did not build)" > "$top/out/results/$name.txt"
			rc=1
			continue
		fi
		REPEAT=1 boot "$ps" "$out/${ps,,}-test" zblock
		results "$BOOT_LOG" "$top/out/results/$name.txt" "$name" || rc=1
		;;
	bench)
		build_kernel "$ps" "$out/${ps,,}" || { rc=1; continue; }
		# -icount: the guest's clock counts instructions, so that ratios
		# repeat run after run whatever the host does.  As many objects
		# and pages on every page size as on 4K, so that pools of the
		# same number of blocks are compared (ARM64_SCALE=1: the same
		# bytes instead, a pool of fewer blocks on larger pages).
		scale=${ARM64_SCALE:-$(( $(page_bytes "$ps") / 4096 ))}
		REPEAT=$scale BOOT_ARGS="zpool_bench.scale=$scale" \
			boot "$ps" "$out/${ps,,}" zpool_bench -icount shift=0,align=off,sleep=off
		results "$BOOT_LOG" "$out/${ps,,}/bench-results.txt" "$name-bench" || rc=1
		mkdir -p "$top/out/bench/$name"
		python3 "$top/build/bench_report.py" "$BOOT_LOG" \
			"$out/${ps,,}/mm/zpool_bench_corpus.h" "$top/out/bench/$name/zpool.json" || rc=1
		{ grep -o 'zswap_roundtrip: {.*}' "$BOOT_LOG" || true; } |
			sed 's/^zswap_roundtrip: //' > "$top/out/bench/$name/zswap.jsonl"
		;;
	*) echo "arm64: mode '$mode': want test or bench" >&2; exit 2 ;;
	esac
done
if [ "$mode" = bench ]; then
	python3 "$top/build/arm64_report.py" "$top/out/bench" "$top/out/bench/arm64.json" \
		"${@^^}" || rc=1
fi
exit $rc
