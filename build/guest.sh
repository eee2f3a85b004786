#!/bin/bash
# Build the guest initramfs (an uncompressed newc cpio) from host binaries:
# busybox-static, the IGT-style tests built here, kmscube, Mesa's virtio_gpu
# DRI driver and EGL/GBM, and every library ldd finds for them, at the same
# paths as on the host so that the dynamic loader and Mesa's loaders find them.
#
#   guest.sh TESTS_DIR [DEMO_DIR]
#
# DEMO_DIR's programs go to /demo with build/guest-demo.sh and the demo's
# data (build/demo-data.py).  The piglit tests of build/piglit.list go to
# their host paths, with build/guest-piglit.sh as /piglit/run: only those
# binaries and what ldd finds for them, not piglit's 2 GB.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/guest
root=$out/root
tests_dir=$1
demo_dir=${2:-}
multiarch=$(gcc -print-multiarch)
dri=/usr/lib/$multiarch/dri

die() { echo "guest: error: $*" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,tests,usr/bin,root}
mkdir -p "$root/sys/kernel/debug" "$root/sys/fs/cgroup" "$root/usr/lib" "$root/usr/lib64"
# Merged /usr, as on the host: ldd's /lib paths and Mesa's /usr/lib paths
# must reach the same files.
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

[ -x /bin/busybox ] || die "busybox-static is not installed (make deps)"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$top/build/guest-init.sh" "$root/init"

elves=()
for t in "$tests_dir"/*; do
	[ -x "$t" ] || continue
	install -m 0755 "$t" "$root/tests/"
	elves+=("$t")
done
[ ${#elves[@]} -gt 0 ] || die "no test programs in $tests_dir"

if [ -n "$demo_dir" ]; then
	mkdir -p "$root/demo"
	for t in "$demo_dir"/*; do
		[ -x "$t" ] || continue
		install -m 0755 "$t" "$root/demo/"
		elves+=("$t")
	done
	install -m 0755 "$top/build/guest-demo.sh" "$root/demo/run"
	install -m 0755 "$top/build/demo/top" "$root/demo/top"
	install -D -m 0644 "$top/build/demo/weston.ini" "$root/demo/config/weston.ini"
	# Made once: glmark2's data does not change between builds.
	if [ ! -f "$out/demo-data/model-00.vbo" ]; then
		python3 "$top/build/demo-data.py" "$out/demo-data"
	fi
	cp -r "$out/demo-data" "$root/demo/data"
fi

piglit_bin=/usr/lib/$multiarch/piglit/bin
mkdir -p "$root/piglit"
install -m 0755 "$top/build/guest-piglit.sh" "$root/piglit/run"
cp "$top/build/piglit.list" "$root/piglit/list"
echo "$piglit_bin" > "$root/piglit/bindir"
mkdir -p "$root$piglit_bin"
for t in $(grep -v '^;' "$top/build/piglit.list" | awk '{print $2}' | sort -u); do
	[ -x "$piglit_bin/$t" ] || die "$piglit_bin/$t is missing (make deps: piglit)"
	install -m 0755 "$piglit_bin/$t" "$root$piglit_bin/"
	elves+=("$piglit_bin/$t")
done

copy() {
	local f=$1
	[ -e "$root$f" ] && return 0
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
}

for f in /usr/bin/kmscube $dri/virtio_gpu_dri.so \
	 /usr/lib/$multiarch/libEGL_mesa.so.0 /usr/lib/$multiarch/libgbm.so.1 \
	 /usr/share/glvnd/egl_vendor.d/50_mesa.json; do
	[ -e "$f" ] || die "$f is missing (make deps)"
	copy "$f"
	case "$f" in *.json) ;; *) elves+=("$f") ;; esac
done

# The demo's desktop: weston on virtio-gpu's KMS (the DRM backend and the
# GL renderer), its desktop shell, and real
# Wayland clients from Debian's packages, with the data they read: the
# keymaps weston compiles even with no keyboard, fonts for the panel and
# the terminal, glmark2's models, shaders and textures.
if [ -n "$demo_dir" ]; then
	wlib=/usr/lib/$multiarch
	for f in /usr/bin/weston \
		 $wlib/libweston-10/drm-backend.so $wlib/libweston-10/gl-renderer.so \
		 $wlib/weston/desktop-shell.so $wlib/weston-desktop-shell \
		 /usr/bin/weston-simple-egl /usr/bin/weston-terminal \
		 /usr/bin/glmark2-es2-wayland $wlib/libwayland-egl.so.1; do
		[ -e "$f" ] || die "$f is missing (make deps)"
		copy "$f"
		elves+=("$f")
	done
	for d in /usr/share/X11/xkb /usr/share/weston /usr/share/libinput /etc/fonts \
		 /usr/share/fonts/truetype/dejavu /usr/share/glmark2; do
		[ -d "$d" ] || die "$d is missing (make deps)"
		mkdir -p "$root$(dirname "$d")"
		cp -rL "$d" "$root$d"
	done
fi

for e in "${elves[@]}"; do
	ldd "$e" | awk '/=> \// {print $3} /^\t\// {print $1}' | while read -r lib; do
		copy "$lib"
	done
done
copy /lib64/ld-linux-x86-64.so.2

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible --quiet) > "$out/initramfs.cpio.tmp"
mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
echo "guest: $out/initramfs.cpio ($(du -m "$out/initramfs.cpio" | cut -f1) MiB," \
     "$(ls "$root/tests" | wc -l) test programs, $(ls "$root$piglit_bin" | wc -l) of piglit's)"
