#!/bin/sh
# /bench/run in the benchmark guest (build/bench-guest.sh): the swap disk
# for zswap's page path, then the benchmark, REPS and LATENCY_REPS from the
# command line (zb.bench_reps=, zb.bench_lat=).
reps=3
lat=10
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	zb.bench_reps=*) reps=${arg#zb.bench_reps=} ;;
	zb.bench_lat=*) lat=${arg#zb.bench_lat=} ;;
	esac
done
# Without swap, shmem's writepage keeps every page and the page path
# stores nothing: no result then.
if ! mkswap /dev/vda > /dev/null || ! swapon /dev/vda; then
	echo "ZB-BENCH-FAILED no swap on /dev/vda"
	exit 1
fi
echo "ZB-BENCH-START reps=$reps lat=$lat $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
/bench/gem_zswap_bench /bench/corpus "$reps" "$lat"
echo "ZB-BENCH-END rc=$?"
