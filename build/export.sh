#!/bin/bash
# make export: out/patches/, the project as a git format-patch series
# against the base tree, with a cover letter.
#
# The series is patches/series in its order, each patch carrying the new
# files it is the first to build (build/export.files says which), so that
# every patch builds on its own.  A patch whose new files deserve their
# own description takes its message from build/export/<patch>.msg.  The
# last patch's tree must be the tree make kernel builds: the export fails
# otherwise, and a file of the project that no patch carries fails it too.
#
# With --check, every patch of the series is then built in turn with the
# guest's config (out/build/export), its objects linted with W=1 and sparse
# (build/lint.sh, on the patch's own lines), and checked with checkpatch
# --strict.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/out/linux
out=$top/out/patches
work=$top/out/export-tree
map=$top/build/export.files
check=0
[ "${1:-}" = --check ] && check=1

die() { echo "export: error: $*" >&2; exit 1; }

# The submitter: author and Signed-off-by of every patch.  The placeholder
# is for them to replace, or to give here: EXPORT_AUTHOR="Name <address>".
author=${EXPORT_AUTHOR:-Submitter Name <submitter@example.org>}
export GIT_AUTHOR_NAME="${author% <*}" GIT_AUTHOR_EMAIL="${author##*<}"
GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="@0 +0000" GIT_COMMITTER_DATE="@0 +0000"

git -C "$tree" rev-parse -q --verify refs/tags/base >/dev/null || die "no base tree (make tree)"
rm -rf "$work" "$out"
git -C "$tree" worktree prune
git -C "$tree" worktree add -q --detach "$work" base

# Every project file must be carried by exactly one patch.
(cd "$top" && git ls-files mm include drivers lib Documentation tools) | sort > "$work.all"
awk '!/^#/ && NF > 1 { for (i = 2; i <= NF; i++) print $i }' "$map" | sort > "$work.mapped"
if ! diff -u "$work.all" "$work.mapped" > "$work.diff"; then
	cat "$work.diff"
	die "build/export.files does not list exactly the project's files"
fi

n=0
while read -r p _; do
	case "$p" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	files=$(awk -v p="$p" '$1 == p { $1 = ""; print }' "$map")
	for f in $files; do
		mkdir -p "$work/$(dirname "$f")"
		cp "$top/$f" "$work/$f"
	done
	git -C "$work" apply --index --whitespace=nowarn -p1 "$top/patches/$p" ||
		die "$p does not apply"
	# -f: the Debian tree's .gitignore ignores everything not yet tracked.
	# shellcheck disable=SC2086
	[ -z "$files" ] || git -C "$work" add -f -- $files
	msg=$top/build/export/${p%.patch}.msg
	{
		if [ -f "$msg" ]; then
			cat "$msg"
		else
			# The patch's own subject and message, as git mailinfo reads them.
			git mailinfo "$work.body" "$work.diff" < "$top/patches/$p" > "$work.info"
			sed -n 's/^Subject: //p' "$work.info"
			echo
			grep -v '^Signed-off-by:' "$work.body" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
			if [ -n "$files" ]; then
				echo
				echo "New files:$(printf ' %s' $files | fold -s -w 70 | sed '2,$s/^/ /')"
			fi
		fi
		echo
		echo "Signed-off-by: $author"
	} > "$work.msg"
	git -C "$work" commit -q -F "$work.msg"
done < "$top/patches/series"

git -C "$work" diff --quiet HEAD "$(git -C "$tree" rev-parse HEAD)" ||
	die "the series' tree differs from out/linux (make tree, then export again)"

git -C "$work" format-patch -q --cover-letter --thread=shallow -o "$out" base..HEAD
cover=$(ls "$out"/0000-*.patch)
python3 - "$cover" "$top/build/export/cover.txt" "$top/out/bench" <<'EOF'
import json, os, sys
cover, text, bench = sys.argv[1:]
body = open(text).read()
lines = []
zp = os.path.join(bench, "zpool.json")
bo = os.path.join(bench, "bo.json")
if os.path.exists(zp):
    lines.append("make bench on UML, 2 cores (medians of paired repetitions):")
    lines.append("")
    lines.append("  backend   density  vs zsmalloc  ns/cycle  speed vs zsmalloc")
    for r in json.load(open(zp))["backends"]:
        if r["backend"] == "memcpy":
            continue
        lines.append("  %-9s %7.3f  %11.3f  %8.0f  %17.2f" % (
            r["backend"], r["density"], r["density_vs_zsmalloc"],
            r["cycle_ns"], r["speed_vs_zsmalloc"]))
if os.path.exists(bo):
    t = json.load(open(bo))["totals"]
    lines.append("")
    lines.append("GPU buffer corpus, against zswap's per-page path (page-lz4-zsmalloc):")
    lines.append("")
    lines.append("  path                 pool MiB  vs page  density  evict vs page  restore vs page")
    for name, r in t.items():
        if name == "memcpy":
            continue
        lines.append("  %-20s %8.1f  %7.3f  %7s  %13.2f  %15.2f" % (
            name, r["pool"] / 2**20, r["pool_vs_page"],
            "%.3f" % r["density"] if r.get("density") else "-",
            r["evict_vs_page"], r["restore_vs_page"]))
gj = os.path.join(bench, "guest.json")
if os.path.exists(gj):
    g = json.load(open(gj))
    def f(x):
        if x is None:
            return "n/a"
        if x["min"] == x["max"]:
            return "%.2f" % x["median"]
        return "%.2f (%.2f-%.2f)" % (x["median"], x["min"], x["max"])
    lines.append("")
    lines.append("make bench-guest: the same corpus in the 2D guest, against the kernel's")
    lines.append("own path (the bytes in shmem, MADV_PAGEOUT into zswap, read back by")
    lines.append("faults), on QEMU's instruction counter; stream over page, all buffers:")
    lines.append("")
    lines.append("  stream             page                memory  evict  restore (fault)")
    for r in g["summary"]:
        lines.append("  %-18s %-18s %7s %6s %8s" % (
            r["stream"], r["page"], f(r["mem"]), f(r["evict"]), f(r["restore1"])))
    lat = g.get("latency_tcg", {})
    if lat:
        lines.append("")
        lines.append("  first access to an evicted 64 MiB BO, plain TCG, ms (p50 / slowest):")
        for k, v in sorted(lat.items()):
            if k.startswith("64MiB/"):
                lines.append("  %-26s %8.2f / %.2f" % (k[6:], v["p50_ms"],
                                                     v.get("p99_ms", v.get("max_ms"))))
if not lines:
    lines.append("(make bench has not been run: no numbers here)")
numbers = "\n".join(lines)
s = open(cover).read()
subject, blurb = body.split("\n", 1)
s = s.replace("*** SUBJECT HERE ***", subject.strip())
s = s.replace("*** BLURB HERE ***", blurb.strip().replace("@NUMBERS@", numbers))
open(cover, "w").write(s)
EOF
rm -f "$work".*
echo "export: $n patches and a cover letter in $out"

[ $check = 1 ] || exit 0

# Every patch builds, and passes checkpatch --strict.
build=$top/out/build/export
mkdir -p "$build"
i=0
for c in $(git -C "$work" rev-list --reverse base..HEAD); do
	i=$((i + 1))
	git -C "$work" checkout -q "$c"
	subject=$(git -C "$work" log -1 --format=%s)
	make -s -C "$work" O="$build" ARCH=x86_64 CC="${KCC:-gcc}" \
		KCONFIG_ALLCONFIG="$top/build/guest.config" allnoconfig >/dev/null
	start=$(date +%s)
	if ! make -s -C "$work" O="$build" ARCH=x86_64 CC="${KCC:-gcc}" \
		KBUILD_BUILD_TIMESTAMP=@0 -j"${JOBS:-2}" bzImage > "$build/build-$i.log" 2>&1; then
		tail -20 "$build/build-$i.log"
		die "patch $i ($subject) does not build"
	fi
	# W=1 and sparse on the objects the patch changes, its lines only.
	if ! LINT_TREE="$work" LINT_BASE=HEAD~1 GUEST_BUILD="$build" "$top/build/lint.sh" \
		> "$build/lint-$i.log" 2>&1; then
		cat "$build/lint-$i.log"
		die "patch $i ($subject) adds W=1 or sparse warnings"
	fi
	lint=$(tail -1 "$build/lint-$i.log" | sed 's/^lint: //')
	patch=$(ls "$out"/"$(printf %04d $i)"-*.patch)
	# New files are listed in MAINTAINERS by the series' last patch.
	if ! (cd "$work" && scripts/checkpatch.pl --strict --quiet --ignore FILE_PATH_CHANGES \
		"$patch") > "$build/checkpatch-$i.log"; then
		cat "$build/checkpatch-$i.log"
		die "patch $i ($subject) fails checkpatch --strict"
	fi
	echo "export: patch $i builds ($(( $(date +%s) - start ))s), checkpatch clean, $lint: $subject"
done
echo "export: every patch builds on its own, with no new W=1, sparse or checkpatch warning"
