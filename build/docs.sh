#!/bin/bash
# make docs: render the kernel's gpu and mm books with Sphinx, and fail on
# any warning or error from the project's documents, the base documents
# its patches change, or the kernel-doc of any file it adds or changes.
# The base tree's own warnings elsewhere (there are many) are left alone.
#
# docs.sh --ours (make test; make test-full renders the books): the same
# check in a book of those documents only, a few seconds instead of
# minutes.  The book, Documentation/zb-docs in out/linux for as long as it
# renders (a copy stays in out/build/docs/zb-docs), holds the project's
# rst files of the gpu and mm books, the base rst files its patches change
# there, and every kernel-doc directive of those books that names a file
# the project adds or changes, with its options, as the books have it;
# the books' indexes must still list the project's documents.  Its
# references into the rest of the books are left to the full render.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/build/docs
mkdir -p "$out"
cd "$top/out/linux"

# The files the project adds and those its patches change.
files=$( (cd "$top" && git ls-files drivers include mm lib Documentation) ;
	 grep -h '^+++ b/' "$top"/patches/*.patch | sed 's|^+++ b/||')
files=$(echo "$files" | sort -u)
[ -n "$files" ] || { echo "docs: no project files found" >&2; exit 1; }
# What a warning of ours names: one of those files, or the small book;
# and the project's own documents and sources among them.
ours=$(echo "$files" | grep -E '\.(c|h|rst)$' | sed 's/[.]/[.]/g' | paste -sd'|')
ours="($ours|Documentation/zb-docs/)"
own='drm-gem-zswap|drm_gem_zswap|zblock'
# A book rendered alone cannot resolve references into the books left
# out (the base's own, from the gpu book into accel, say).
elsewhere='undefined label|unknown document'

# Fails on the warnings in a build log that name $2, but for those of the
# kinds given in $3.  docutils' worst (a section title out of place, say)
# come as CRITICAL or SEVERE, and Sphinx exits 0 after them.
check_log() {
	if grep -E "(WARNING|ERROR|CRITICAL|SEVERE|error|warning)" "$1" | grep -E "$2" |
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
	# The project's own documents resolve every reference they make.
	check_log "$out/build.log" "$own"
	check_log "$out/build.log" "$ours" "$elsewhere"
	echo "docs: $out/Documentation/output/gpu/drm-gem-zswap.html and" \
		"$out/Documentation/output/mm/zblock.html, no warnings of ours"
	exit 0
fi

book=Documentation/zb-docs
trap 'rm -rf "$top/out/linux/$book"' EXIT
rm -rf "$book" "$out/zb-docs" "$out/Documentation/output/zb-docs" \
	"$out/Documentation/output/.doctrees/zb-docs"
mkdir -p "$book"

copied=
for f in $files; do
	case $f in
	Documentation/gpu/index.rst|Documentation/mm/index.rst) ;;
	Documentation/gpu/*.rst|Documentation/mm/*.rst)
		page=$(echo "${f#Documentation/}" | tr / -)
		page=${page%.rst}
		cp "$f" "$book/$page.rst"
		copied="$copied $f"
		# Listed where a reader of the book looks for it.
		if [ "$(dirname "$f")" = Documentation/gpu ] || [ "$(dirname "$f")" = Documentation/mm ] &&
			! grep -qx "   $(basename "$f" .rst)" "$(dirname "$f")/index.rst"; then
			echo "docs: $f is in no toctree of $(dirname "$f")/index.rst" >&2
			exit 1
		fi ;;
	esac
done

# The books' kernel-doc directives (with their options, however
# indented) on those files, from the base documents the book does not copy.
sources=$(echo "$files" | grep -E '\.(c|h)$' | paste -sd' ')
{
	printf '=====================\nKernel-doc of the API\n=====================\n\n'
	find Documentation/gpu Documentation/mm -name '*.rst' | sort | while read -r doc; do
		case " $copied " in *" $doc "*) continue ;; esac
		awk -v files="$sources" '
			BEGIN { n = split(files, f, " "); for (i = 1; i <= n; i++) want[f[i]] = 1 }
			/^\.\. kernel-doc:: / { if (on) print ""; on = ($3 in want); if (on) print; next }
			on && /^[ \t]+[^ \t]/ { print; next }
			on { print ""; on = 0 }
			END { if (on) print "" }' "$doc"
	done
} > "$book/api.rst"
printf '=====================\nThe project documents\n=====================\n\n.. toctree::\n   :maxdepth: 1\n\n' \
	> "$book/index.rst"
for f in $copied; do
	page=$(echo "${f#Documentation/}" | tr / -)
	echo "   ${page%.rst}" >> "$book/index.rst"
done
echo "   api" >> "$book/index.rst"

echo "docs: rendering the project's documents and their kernel-doc with Sphinx"
rc=0
make -s O="$out" SPHINXDIRS="zb-docs" htmldocs > "$out/build-ours.log" 2>&1 || rc=$?
cp -r "$book" "$out/zb-docs"
if [ "$rc" != 0 ]; then
	tail -20 "$out/build-ours.log"
	echo "docs: the Sphinx build failed" >&2
	exit 1
fi
check_log "$out/build-ours.log" "$ours" "$elsewhere"
echo "docs: $(echo $copied | wc -w) documents and $(grep -c '^\.\. kernel-doc::' "$book/api.rst")" \
	"kernel-doc directives of the books in $out/Documentation/output/zb-docs, no warnings of ours"
