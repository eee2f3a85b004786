#!/bin/bash
# Prepare out/linux: the pristine Debian linux-source-6.12 tree as the first
# commit, the project's new files laid over it as the second, and every patch
# of patches/series as a commit of its own.
#
# The commits are built in a temporary index, never in the work tree, and the
# work tree is then moved to the result with one "git reset --hard": only files
# whose content changed get a new mtime, so an incremental kernel build after a
# one-file change recompiles one file, not the whole overlay.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
tree=$top/out/linux
# Directories of the repo that are laid over the kernel tree as they are.
overlay_dirs="mm include drivers lib Documentation tools/testing"

die() { echo "tree: error: $*" >&2; exit 1; }

[ -r "$src" ] || die "$src not found (install the Debian package linux-source-6.12: make deps)"

export GIT_AUTHOR_NAME="zblock build" GIT_AUTHOR_EMAIL="build@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="@0 +0000" GIT_COMMITTER_DATE="@0 +0000"
git_t() { git -C "$tree" "$@"; }

# The base is keyed by the tarball's identity so that a Debian security update
# (a new 6.12 sublevel) rebuilds the tree from scratch.
key="$(stat -c '%s %Y' "$src") $src"
if [ ! -f "$tree/.base-key" ] || [ "$(cat "$tree/.base-key")" != "$key" ] ||
   ! git_t rev-parse -q --verify refs/tags/base >/dev/null 2>&1; then
	echo "tree: unpacking $src"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xf "$src" -C "$tree.tmp" --strip-components=1
	git -C "$tree.tmp" init -q
	printf '.base-key\n' > "$tree.tmp/.git/info/exclude"
	git -C "$tree.tmp" add -A -f .
	ver=$(make -s -C "$tree.tmp" kernelversion)
	git -C "$tree.tmp" commit -q -m "Linux $ver (Debian linux-source-6.12, pristine)"
	git -C "$tree.tmp" tag base
	mv "$tree.tmp" "$tree"
	echo "$key" > "$tree/.base-key"
fi
ver=$(git_t show base:Makefile | awk '
	/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
	END {print v "." p "." s}')
echo "tree: base Linux $ver from $src"

idx=$tree/.git/zblock-index
trap 'rm -f "$idx"' EXIT
export GIT_INDEX_FILE=$idx
git_t read-tree base

# Overlay: add the project's files on top of the base; files of the base that
# the project does not have stay as they are.
dirs=""
for d in $overlay_dirs; do [ -d "$top/$d" ] && dirs="$dirs $d"; done
head=$(git_t rev-parse base)
if [ -n "$dirs" ]; then
	# shellcheck disable=SC2086
	(cd "$top" && git --git-dir="$tree/.git" --work-tree="$top" \
		add -f --ignore-removal -- $dirs)
	t=$(git_t write-tree)
	head=$(echo "zblock: lay the project's new files over the base" |
	       git_t commit-tree "$t" -p "$head")
fi

# Patches, in series order, each as a commit named by its subject.
series=$top/patches/series
if [ -f "$series" ]; then
	while read -r p _; do
		case "$p" in ''|'#'*) continue ;; esac
		f=$top/patches/$p
		[ -f "$f" ] || die "patch $p listed in patches/series does not exist"
		if ! out=$(git_t apply --cached --whitespace=nowarn -p1 "$f" 2>&1); then
			echo "$out" >&2
			die "patch $p does not apply to Linux $ver"
		fi
		# The patch's own message and author, as git am would keep them.
		info=$(git mailinfo "$tree/.git/zblock-msg" /dev/null < "$f")
		subj=$(sed -n 's/^Subject: //p' <<< "$info")
		name=$(sed -n 's/^Author: //p' <<< "$info")
		mail=$(sed -n 's/^Email: //p' <<< "$info")
		t=$(git_t write-tree)
		head=$( { printf '%s\n\n' "${subj:-$p}"; cat "$tree/.git/zblock-msg"; } |
		       GIT_AUTHOR_NAME=${name:-$GIT_AUTHOR_NAME} \
		       GIT_AUTHOR_EMAIL=${mail:-$GIT_AUTHOR_EMAIL} \
		       git_t commit-tree "$t" -p "$head")
	done < "$series"
fi

unset GIT_INDEX_FILE
if [ "$(git_t rev-parse -q --verify HEAD 2>/dev/null)" != "$head" ]; then
	git_t reset -q --hard "$head"
fi
git_t update-ref refs/heads/zblock "$head"
echo "tree: out/linux at $(git_t log --oneline -1 "$head") ($(git_t rev-list --count base.."$head") commits over base)"
