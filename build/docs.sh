#!/bin/bash
# make docs: render the kernel's gpu and mm books with Sphinx, and fail on
# any warning or error from the project's documents or the kernel-doc they
# pull in.  The base tree's own warnings (there are many) are left alone.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/build/docs
mkdir -p "$out"
# Sphinx re-reads only what changed: start clean, so that every warning shows.
rm -rf "$out/Documentation/output/gpu" "$out/Documentation/output/mm" "$out/Documentation/output/.doctrees"
cd "$top/out/linux"
echo "docs: rendering Documentation/gpu and Documentation/mm with Sphinx"
make -s O="$out" SPHINXDIRS="gpu mm" htmldocs > "$out/build.log" 2>&1 || {
	tail -20 "$out/build.log"
	echo "docs: the Sphinx build failed" >&2
	exit 1
}
ours='drm-gem-zswap|drm_gem_zswap|zblock|drm_gem_shmem_helper'
if grep -E "(WARNING|ERROR|error|warning)" "$out/build.log" | grep -E "$ours"; then
	echo "docs: warnings in the project's documentation (above)" >&2
	exit 1
fi
echo "docs: $out/gpu/drm-gem-zswap.html and $out/mm/zblock.html, no warnings of ours"
