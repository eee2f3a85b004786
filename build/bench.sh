#!/bin/bash
# make bench: the zpool backends side by side in one UML kernel, and
# drm_gem_zswap's stream path against zswap's per-page path in the same run.
#
# The object sizes are the LZ4 sizes of real 4 KiB pages of this machine's
# files (bench/corpus-files.sh lists them, bench/corpus.c compresses them);
# the generated header goes into the UML build directory, where the bench
# module (mm/zpool_bench.c) includes it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/bench
kcc=${KCC:-gcc}
mkdir -p "$out/mm"

gcc -O2 -Wall -Wextra -o "$out/corpus" "$top/bench/corpus.c" -llz4
"$top/bench/corpus-files.sh" | "$out/corpus" "${BENCH_PAGES:-8192}" > "$out/corpus.h.new"
# Only a new corpus rebuilds the module.
if ! cmp -s "$out/corpus.h.new" "$out/mm/zpool_bench_corpus.h"; then
	mv "$out/corpus.h.new" "$out/mm/zpool_bench_corpus.h"
fi

# The buffer-object corpus, given to the UML kernel as its initrd, unpacked
# before the tests run (they run before an asynchronous unpack waits).  The
# frames come from a short glmark2 run, so the corpus is made once and kept.
if [ ! -s "$out/bo-corpus.cpio" ]; then
	rm -rf "$out/bo-corpus"
	/usr/bin/python3 "$top/bench/bo-corpus.py" "$out/bo-corpus"
	(cd "$out" && find bo-corpus | cpio --quiet -o -H newc > bo-corpus.cpio.new)
	mv "$out/bo-corpus.cpio.new" "$out/bo-corpus.cpio"
fi

cd "$top/out/linux"
echo "bench: building and running the UML benchmark kernel"
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$top/build/bench.kunitconfig" --build_dir="$out" \
	--jobs="$(nproc)" --make_options="CC=$kcc" \
	--kernel_args=mem=2G --kernel_args="initrd=$out/bo-corpus.cpio" \
	--kernel_args=initramfs_async=0 \
	--timeout=1800 --raw_output=all '*bench*' > "$out/run.log" 2>&1 || {
	tail -40 "$out/run.log"
	echo "bench: the benchmark kernel failed" >&2
	exit 1
}
python3 "$top/build/bench_report.py" "$out/run.log" "$out/mm/zpool_bench_corpus.h" \
	"$out/zpool.json"
echo
python3 "$top/build/bo_bench_report.py" "$out/run.log" "$out/bo.json"
