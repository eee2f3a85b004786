#!/bin/bash
# Install the Debian packages this project needs, only those missing.
set -euo pipefail

pkgs=(
	# kernel build
	linux-source-6.12 build-essential bc flex bison libelf-dev libssl-dev
	cpio dwarves ccache python3 python3-ply python3-git xz-utils
	# make lint
	sparse
	# guest, 2D and virgl 3D
	qemu-system-x86 qemu-system-gui xvfb xauth busybox-static
	libgl1-mesa-dri libgl1 libglx-mesa0 libegl1 libegl-mesa0 libgbm1 kmscube
	# GL conformance: a piglit subset in the virgl guest (make guest-test-piglit)
	piglit
	# test programs
	libdrm-dev pkg-config liblz4-dev libegl-dev libgles-dev libgbm-dev
	# zblock on arm64 pages (make test-arm64, make bench ARCH=arm64)
	qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	# make demo: weston and real Wayland clients; the demo's window program
	weston glmark2-es2-wayland fonts-dejavu-core libwayland-dev
	wayland-protocols libwayland-bin
	# a CPU hog beside QEMU (GUEST_HOST_LOAD, make demo LOAD=N)
	stress-ng
	# make bench: the BO corpus (glmark2's data, frames it renders)
	glmark2-data glmark2-x11 python3-pil x11-apps
	# documentation
	python3-sphinx python3-sphinx-rtd-theme
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "deps: missing: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "deps: error: run 'make deps' as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
