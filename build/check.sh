#!/bin/bash
# Style gate: checkpatch --strict on every project source file and patch, and
# kernel-doc on every project C file; any warning fails.
set -uo pipefail
# Debian's python3 (with python3-ply for spdxcheck), not a python of a user's.
export PATH=/usr/bin:/bin:$PATH

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/out/linux
"$top/build/tree.sh" > /dev/null || exit 1
cd "$top"

fail=0
files=$(git ls-files -- 'mm/*' 'include/*' 'drivers/*' 'lib/*' 'tests/*.c' 'tests/*.h' 'bench/*.c' |
	grep -E '\.(c|h)$|Kconfig|Makefile$' || true)
kfiles=$(git ls-files -- 'mm/*' 'include/*' 'drivers/*' 'lib/*' | grep -E '\.(c|h)$' || true)
patches=$(git ls-files -- 'patches/*.patch')

# Kernel files are checked in place in out/linux (tree mode), so that
# checkpatch knows the kernel's own identifiers.  The userspace tests are
# checked against the same rules less those that cannot apply outside the
# kernel: its types (u64) and macros (BIT, __printf), libdrm's and
# <inttypes.h>'s names, IGT's API macros (control flow, unused arguments of
# igt_main_args), and IGT's habit of long subtest descriptions.
ignore_user="--ignore MACRO_ARG_REUSE,PREFER_KERNEL_TYPES,CAMELCASE,BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO,MACRO_ARG_UNUSED,MACRO_WITH_FLOW_CONTROL,COMPLEX_MACRO,SPLIT_STRING,ENOSYS"
for f in $files; do
	case "$f" in
	tests/*|bench/*)
		# shellcheck disable=SC2086
		out=$(cd "$tree" && scripts/checkpatch.pl --strict --quiet --no-summary --no-tree \
			--terse --show-types $ignore_user -f "$top/$f" 2>&1) ;;
	*)
		cmp -s "$f" "$tree/$f" || { echo "check: out/linux/$f is stale (make tree)"; fail=1; }
		out=$(cd "$tree" && scripts/checkpatch.pl --strict --quiet --no-summary --terse \
			--show-types -f "$f" 2>&1) ;;
	esac
	[ -z "$out" ] || { echo "$out"; fail=1; }
done
for p in $patches; do
	out=$(cd "$tree" && scripts/checkpatch.pl --strict --quiet --no-summary --terse --show-types \
		"$top/$p" 2>&1)
	[ -z "$out" ] || { echo "$p: $out"; fail=1; }
done
for f in $kfiles; do
	out=$("$tree/scripts/kernel-doc" -none -Wall "$f" 2>&1)
	[ -z "$out" ] || { echo "$out"; fail=1; }
done

n=$(echo $files $patches | wc -w)
if [ $fail = 0 ]; then
	echo "check: $n files and patches clean (checkpatch --strict, kernel-doc)"
else
	echo "check: FAILED" >&2
fi
exit $fail
