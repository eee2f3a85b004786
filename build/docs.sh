#!/bin/bash
# make docs: render the kernel's gpu and mm books with Sphinx, and fail on
# any warning or error from the project's documents or the kernel-doc they
# pull in.  The base tree's own warnings (there are many) are left alone.
#
# docs.sh --ours (make test; make test-full renders the books): the same
# check in a book of the project's documents only, a few seconds instead
# of minutes.  The book, Documentation/zb-docs in out/linux for as long as
# it renders, holds the project's rst files of the gpu and mm books, the
# base rst files its patches change there, and every kernel-doc directive
# of those books that names a file the project adds or changes, as the
# books have it; the books' indexes must still list the project's
# documents.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/build/docs
ours='drm-gem-zswap|drm_gem_zswap|zblock|drm_gem_shmem_helper'
mkdir -p "$out"
cd "$top/out/linux"

# Fails on the project's warnings in a build log, but for those of the
# kinds given in $3.
check_log() {
	if grep -E "(WARNING|ERROR|error|warning)" "$1" | grep -E "${2:-$ours}" |
		grep -vE "${3:-^$}"; then
		echo "docs: warnings in the project's documentation (above)" >&2
		exit 1
	fi
}

if [ "${1:-}" != --ours ]; then
	# Sphinx re-reads only what changed: start clean, so that every warning shows.
	rm -rf "$out/Documentation/output/gpu" "$out/Documentation/output/mm" \
		"$out/Documentation/output/.doctrees"
	echo "docs: rendering Documentation/gpu and Documentation/mm with Sphinx"
	make -s O="$out" SPHINXDIRS="gpu mm" htmldocs > "$out/build.log" 2>&1 || {
		tail -20 "$out/build.log"
		echo "docs: the Sphinx build failed" >&2
		exit 1
	}
	check_log "$out/build.log"
	echo "docs: $out/Documentation/output/gpu/drm-gem-zswap.html and" \
		"$out/Documentation/output/mm/zblock.html, no warnings of ours"
	exit 0
fi

book=Documentation/zb-docs
trap 'rm -rf "$top/out/linux/$book"' EXIT
rm -rf "$book" "$out/Documentation/output/zb-docs" "$out/Documentation/output/.doctrees/zb-docs"
mkdir -p "$book"

# The files the project adds and those its patches change.
files=$( (cd "$top" && git ls-files drivers include mm lib Documentation) ;
	 grep -h '^+++ b/' "$top"/patches/*.patch | sed 's|^+++ b/||')
files=$(echo "$files" | sort -u)

pages=
for f in $files; do
	case $f in
	Documentation/gpu/index.rst|Documentation/mm/index.rst) ;;
	Documentation/gpu/*.rst|Documentation/mm/*.rst)
		page=$(basename "$f" .rst)
		cp "$f" "$book/$page.rst"
		pages="$pages $page"
		# Listed where a reader of the book looks for it.
		if ! grep -qx "   $page" "$(dirname "$f")/index.rst"; then
			echo "docs: $f is in no toctree of $(dirname "$f")/index.rst" >&2
			exit 1
		fi ;;
	esac
done

# The books' kernel-doc directives (with their options) on those files,
# from the base documents that the book does not copy.
{
	printf '=====================\nKernel-doc of the API\n=====================\n\n'
	for doc in Documentation/gpu/*.rst Documentation/mm/*.rst; do
		case " $pages " in *" $(basename "$doc" .rst) "*) continue ;; esac
		for f in $files; do
			case $f in *.c|*.h) ;; *) continue ;; esac
			awk -v f="$f" '
				$0 == ".. kernel-doc:: " f { on = 1; print; next }
				on && /^   :/ { print; next }
				on { print ""; on = 0 }' "$doc"
		done
	done
} > "$book/api.rst"
printf '=====================\nThe project documents\n=====================\n\n.. toctree::\n   :maxdepth: 1\n\n' \
	> "$book/index.rst"
for page in $pages api; do
	echo "   $page" >> "$book/index.rst"
done

echo "docs: rendering the project's documents and their kernel-doc with Sphinx"
make -s O="$out" SPHINXDIRS="zb-docs" htmldocs > "$out/build-ours.log" 2>&1 || {
	tail -20 "$out/build-ours.log"
	echo "docs: the Sphinx build failed" >&2
	exit 1
}
# Everything in this book is the project's or pulled in for it; its
# references to the rest of the books are left to the full render.
check_log "$out/build-ours.log" "$ours|zb-docs" "undefined label|unknown document"
echo "docs: $(echo $pages | wc -w) documents and $(grep -c '^\.\. kernel-doc::' "$book/api.rst")" \
	"kernel-doc directives in $out/Documentation/output/zb-docs, no warnings of ours"
