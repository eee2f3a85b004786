#!/bin/bash
# The files the bench corpus is cut from, as "category path" lines, in a
# fixed order: executables and libraries as installed, text (C headers and
# copyright files), images (PNG icons, mostly incompressible, and SVG), and
# zero-rich data (the guest kernel's object files, full of padding).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
multiarch=$(gcc -print-multiarch)

elf() {
	while read -r f; do
		if [ "$(head -c4 "$f" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; then
			echo "$f"
		fi
	done
}

find /usr/bin -maxdepth 1 -type f | LC_ALL=C sort | elf | sed 's/^/executable /'
find "/usr/lib/$multiarch" -maxdepth 1 -type f -name '*.so*' | LC_ALL=C sort | sed 's/^/library /'
{ find /usr/include -type f -name '*.h'; find /usr/share/doc -name copyright; } |
	LC_ALL=C sort | sed 's/^/text /'
find /usr/share/icons /usr/share/pixmaps -type f \( -name '*.png' -o -name '*.svg' \) 2>/dev/null |
	LC_ALL=C sort | sed 's/^/image /'
# Only once make kernel has built them: make test-arm64 needs no x86 kernel.
if [ -d "$top/out/build/guest" ]; then
	find "$top/out/build/guest" -name '*.o' | LC_ALL=C sort | sed 's/^/zero-rich /'
fi
