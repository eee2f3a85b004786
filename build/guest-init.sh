#!/bin/sh
# /init of the test guest.  Runs the tests named on the kernel command line
# (zb.tests=a,b,c; all of /tests when absent) or, with zb.demo=1, the demo
# (/demo/run), or with zb.bench=1 the guest benchmark (/bench/run, only in
# build/bench-guest.sh's initramfs), or with zb.piglit=1 the piglit subset
# (/piglit/run); prints markers that build/guest-run.sh
# reads, then powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/tmp XDG_RUNTIME_DIR=/tmp
export MESA_SHADER_CACHE_DISABLE=true

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup

tests=
demo=0
shell=0
bench=0
piglit=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	zb.tests=*) tests=$(echo "${arg#zb.tests=}" | tr ',' ' ') ;;
	zb.demo=*) demo=${arg#zb.demo=} ;;
	zb.shell=*) shell=${arg#zb.shell=} ;;
	zb.bench=*) bench=${arg#zb.bench=} ;;
	zb.piglit=*) piglit=${arg#zb.piglit=} ;;
	esac
done
[ -n "$tests" ] || tests=$(ls /tests)

echo "ZB-GUEST-UP $(uname -r)"
for c in /sys/class/drm/card[0-9]; do
	[ -e "$c" ] || continue
	n=${c##*card}
	echo "ZB-DRM /dev/dri/card$n: $(cat /sys/kernel/debug/dri/$n/name 2>/dev/null)"
done
dmesg | grep -E '\[drm\] (features|number of cap sets|Initialized)' | sed 's/^/ZB-DRM /'

if [ "$shell" = 1 ]; then
	echo "The tests are in /tests; drm_gem_zswap's tunables are in"
	echo "/sys/module/drm_shmem_helper/parameters/zswap_*, its counters in"
	echo "/sys/kernel/debug/drm_gem_zswap and /sys/kernel/debug/dri/*/drm_gem_zswap,"
	echo "each client's in /proc/PID/fdinfo (drm-evicted-memory)."
	echo "Leave with exit."
	setsid cttyhack sh
elif [ "$demo" = 1 ]; then
	/demo/run
elif [ "$bench" = 1 ]; then
	/bench/run
elif [ "$piglit" = 1 ]; then
	/piglit/run
else
	# "test:glob" runs only the subtests of test that match glob.
	for t in $tests; do
		glob=
		case "$t" in *:*) glob=${t#*:}; t=${t%%:*} ;; esac
		echo "ZB-TEST-BEGIN $t"
		"/tests/$t" ${glob:+--run-subtest "$glob"}
		echo "ZB-TEST-END $t rc=$?"
	done
fi
# Debug kernels (make test DEBUG=1): leaks the tests left behind.  Two scans,
# as kmemleak's documentation advises; any "unreferenced object" fails the
# run in guest-run.sh.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	echo "ZB-KMEMLEAK scanned"
fi
echo "ZB-GUEST-DONE"
sync
reboot -f
