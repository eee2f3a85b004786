#!/bin/bash
# make lint: the project's C files through the compiler with W=1 and through
# sparse (C=2), in the guest kernel's build.  A warning fails it when it is
# in a file the project adds, or on a line its patches add to an upstream
# file; warnings upstream already had are counted, not failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# make export-check lints each patch of the series: its tree, against the
# patch before it.
tree=${LINT_TREE:-$top/out/linux}
base=${LINT_BASE:-base}
build=${GUEST_BUILD:-$top/out/build/guest}
log=$build/lint.log

[ -f "$build/.config" ] || { echo "lint: no guest build in $build (make kernel)" >&2; exit 1; }
command -v sparse >/dev/null || { echo "lint: sparse is not installed (make deps)" >&2; exit 1; }

# Every object built from a file the project adds or patches.
files=$(git -C "$tree" diff --name-only "$base" HEAD -- '*.c')
objs=""
for f in $files; do
	o=${f%.c}.o
	[ -f "$build/$o" ] && objs="$objs $o"
done
if [ -z "$objs" ]; then
	# A patch of the series may touch no C file; the whole project must.
	[ -n "${LINT_BASE:-}" ] && { echo "lint: no C object to check"; exit 0; }
	echo "lint: none of the project's objects is in $build" >&2
	exit 1
fi

echo "lint: W=1 C=2 on$(echo "$objs" | wc -w | sed 's/^/ /') objects"
# shellcheck disable=SC2086
make -s -C "$tree" O="$build" ARCH=x86_64 CC="${KCC:-gcc}" W=1 C=2 CHECK=sparse \
	-j"${JOBS:-2}" $objs > "$log" 2>&1 || { cat "$log"; echo "lint: the build failed"; exit 1; }

git -C "$tree" diff -U0 "$base" HEAD -- '*.c' '*.h' | python3 -c '
import os, re, sys
tree = os.path.realpath(sys.argv[2])
added = {}
path = None
for line in open("/dev/stdin"):
    if line.startswith("+++ "):
        path = line[6:].strip() if line.startswith("+++ b/") else None
    m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
    if m and path:
        start, count = int(m.group(1)), int(m.group(2) or 1)
        added.setdefault(path, set()).update(range(start, start + count))
ours, theirs = [], 0
for line in open(sys.argv[1]):
    m = re.match(r"([^:\s]+):(\d+):(?:\d+:)? (warning|error)", line)
    if not m:
        continue
    f, n = m.group(1), int(m.group(2))
    if f.startswith(tree + "/"):
        f = f[len(tree) + 1:]
    if n in added.get(f, ()):
        ours.append(line.rstrip())
    else:
        theirs += 1
for line in ours:
    print(line)
print("lint: %d warnings on the project'"'"'s lines, %d elsewhere (upstream'"'"'s)"
      % (len(ours), theirs))
sys.exit(1 if ours else 0)
' "$log" "$tree"
