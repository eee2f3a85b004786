#!/bin/bash
# Fail when a kernel build log has a compiler warning in one of the
# project's files: a new file of the overlay or a file that a patch touches.
# The base has warnings of its own on some configs (UML's lib/iomap.c), and
# those are not ours to fix here.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
log=$1

ours=$( (cd "$top" && git ls-files -- mm include drivers lib Documentation 'tools/testing';
	 sed -n 's,^+++ b/,,p' "$top"/patches/*.patch 2>/dev/null) | sort -u)
found=0
while IFS= read -r line; do
	file=${line%%:*}
	file=${file#../linux/}
	file=${file#"$top"/out/linux/}
	if grep -qxF -- "$file" <<< "$ours"; then
		[ $found = 0 ] && echo "error: compiler warnings in project files ($log):"
		echo "$line"
		found=1
	fi
done < <(grep -E '^[^ ]+:[0-9]+:[0-9]+: warning:' "$log")
exit $found
