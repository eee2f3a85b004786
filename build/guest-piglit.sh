#!/bin/sh
# A piglit subset inside the virgl guest (/piglit/run, zb.piglit=1): every
# test of /piglit/list three times, each in a memory cgroup of its own:
#
# - calm: nothing else happens;
# - loop: every idle BO of the device is evicted every $evict_ms ms;
# - evicting: the same loop, and the cgroup squeezed: memory.max three
#   quarters of what the test took in the loop run, with swap through
#   zswap allowed, so that reclaim runs all along.  What it takes is
#   mostly the test's heap, to zswap: the loop leaves the shrinker few
#   idle BOs between two of its turns.  An ENOMEM from the kernel shows
#   in the line as Mesa's "got error from kernel" count;
# - squeeze: the same limit without the loop, so that every eviction is
#   the shrinker's, in the test's own reclaim.
#
# The loop run measures the limit.  Without swap, below what a test takes
# there only BOs in use are left to reclaim, so a restore fails with ENOMEM
# (Mesa says "got error from kernel - expect bad rendering 12") or the test
# is killed, which shows that the limit was wrong, not that a BO came back
# wrong: so the squeeze comes with swap.  A
# conformance test whose result changes under eviction has seen a BO come
# back wrong (or not at all).
#
# One line per test and run, "ZB-PIGLIT <run> <name> result=... ", with
# the evictions and restores of the device during the test (only piglit
# uses it then), which build/results.py piglit compares; the test's own
# output after a result that is not a pass.
set -u

evict_ms=30
test_timeout=240
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	zb.piglit_evict_ms=*) evict_ms=${arg#zb.piglit_evict_ms=} ;;
	zb.piglit_tests=*) only=$(echo "${arg#zb.piglit_tests=}" | tr ',' ' ') ;;
	esac
done

card=
for c in /sys/class/drm/card[0-9]*; do
	grep -q virtio_gpu "/sys/kernel/debug/dri/${c##*card}/name" 2>/dev/null && card=${c##*card}
done
[ -n "$card" ] || { echo "ZB-PIGLIT-ERROR no virtio-gpu device"; exit 1; }
stats=/sys/kernel/debug/dri/$card/drm_gem_zswap
evict=/sys/kernel/debug/dri/$card/drm_gem_zswap_evict
# waffle's GBM platform takes the first DRM device it finds, which may be
# vgem's: name virtio-gpu's render node.
render=
for r in "/sys/class/drm/card$card/device/drm/"renderD*; do
	[ -e "$r" ] && render=/dev/dri/${r##*/}
done
[ -n "$render" ] || { echo "ZB-PIGLIT-ERROR no render node for card$card"; exit 1; }
export PIGLIT_PLATFORM=gbm WAFFLE_GBM_DEVICE="$render"
bin=$(cat /piglit/bindir)

# Swap on the guest's disk, behind zswap, for the squeezed run.
mkswap /dev/vda > /dev/null && swapon /dev/vda ||
	{ echo "ZB-PIGLIT-ERROR no swap on /dev/vda"; exit 1; }
echo "+memory" > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /tmp/piglit
uptime_ms() { awk '{printf "%d", $1 * 1000}' /proc/uptime; }
memstat() { awk -v k="$2" '$1 == k {print $2}' "$1/memory.stat"; }
event() { awk -v k="$2" '$1 == k {print $2}' "$1/memory.events"; }

# The largest "shmem" of a cgroup (the BOs' pages) and the largest rest of
# its memory.current, sampled until /tmp/piglit/stop appears: memory.peak
# says what the test took, these what of it were BOs.  Builtins only but
# sleep, not to take the CPUs from the test.
sample_shmem() {
	max=0
	rest=0
	while [ ! -e /tmp/piglit/stop ]; do
		read -r cur < "$1/memory.current"
		while read -r k v; do
			[ "$k" = shmem ] && break
		done < "$1/memory.stat"
		[ "$v" -gt "$max" ] && max=$v
		[ $((cur - v)) -gt "$rest" ] && rest=$((cur - v))
		sleep 0.02
	done
	echo "$max $rest" > "$2"
}

# run_test RUN NAME COMMAND...: one test in a fresh memory cgroup; in the
# evicting run with the limit the calm and loop runs measured for it.
run_test() {
	run=$1 name=$2
	shift 2
	cg=/sys/fs/cgroup/piglit-$run-$name
	log=/tmp/piglit/$run-$name.log
	rmdir "$cg" 2>/dev/null
	mkdir "$cg" || { echo "ZB-PIGLIT $run $name result=crash rc=- (no cgroup)"; return; }
	# Calm and in the loop, no swap: the peaks say what the test takes.
	# Squeezed, its heap may go to zswap, so that the limit can be below
	# what its BOs and heap take together.
	limit=max
	if [ "$run" = evicting ] || [ "$run" = squeeze ]; then
		limit=$(cat "/tmp/piglit/limit-$name" 2>/dev/null || echo max)
		echo "$limit" > "$cg/memory.max"
	else
		echo 0 > "$cg/memory.swap.max" 2>/dev/null
	fi
	rm -f /tmp/piglit/stop
	sample_shmem "$cg" /tmp/piglit/shmem &
	sampler=$!
	ev0=$(cat "$stats/evictions") re0=$(cat "$stats/restores")
	t0=$(uptime_ms)
	# The test joins the cgroup before it starts: every page it takes is
	# charged there.
	prog=$1
	shift
	sh -c "echo \$\$ > $cg/cgroup.procs && exec timeout $test_timeout \"\$@\" -auto -fbo" \
		sh "$bin/$prog" "$@" < /dev/null > "$log" 2>&1
	rc=$?
	t1=$(uptime_ms)
	ev1=$(cat "$stats/evictions") re1=$(cat "$stats/restores")
	touch /tmp/piglit/stop
	wait "$sampler"
	# piglit's verdict is its last "result" line; none is a crash.
	result=$(sed -n 's/^PIGLIT: {"result": "\([a-z]*\)" }.*/\1/p' "$log" | tail -n 1)
	case "$rc:$result" in
	124:*|143:*) result=timeout ;;
	*:) result=crash ;;
	esac
	peak=$(cat "$cg/memory.peak")
	read -r shmem rest < /tmp/piglit/shmem
	[ "$limit" = max ] || limit=$((limit >> 10))
	echo "ZB-PIGLIT $run $name result=$result rc=$rc ms=$((t1 - t0))" \
	     "evictions=$((ev1 - ev0)) restores=$((re1 - re0))" \
	     "peak_kib=$((peak >> 10)) shmem_kib=$((shmem >> 10)) rest_kib=$((rest >> 10)) limit_kib=$limit" \
	     "max_hits=$(event "$cg" max) oom_kills=$(event "$cg" oom_kill)" \
	     "zswpout=$(memstat "$cg" zswpout)" \
	     "kernel_errors=$(grep -c 'got error from kernel' "$log")"
	if [ "$result" != pass ]; then
		grep -v '^PIGLIT: {"subtest".*"pass"' "$log" | tail -n 15 | cut -c1-200 |
			sed "s/^/ZB-PIGLIT-LOG $run $name: /"
	fi
	# The evicting run's limit: three quarters of the loop run's peak.
	[ "$run" = loop ] && echo $((peak / 4 * 3)) > "/tmp/piglit/limit-$name"

	rmdir "$cg" 2>/dev/null
}

# run_all RUN: every test of the list (or of zb.piglit_tests).
run_all() {
	grep -v '^;' /piglit/list | while read -r name cmd; do
		[ -n "$name" ] || continue
		case " ${only:-$name} " in *" $name "*) ;; *) continue ;; esac
		# shellcheck disable=SC2086 # the command's words
		run_test "$1" "$name" $cmd
	done
}

echo "ZB-PIGLIT-BEGIN $(grep -vc '^;' /piglit/list) tests, render node $render, evicting every ${evict_ms} ms"
t0=$(uptime_ms)
run_all calm
t1=$(uptime_ms)

# The eviction loop: every idle BO of the device, every $evict_ms ms, for
# the loop and evicting runs.
rm -f /tmp/piglit/evict-stop
(
	s=$(awk -v ms="$evict_ms" 'BEGIN {printf "%.3f", ms / 1000}')
	while [ ! -e /tmp/piglit/evict-stop ]; do
		echo all > "$evict"
		sleep "$s"
	done
) &
evictor=$!
run_all loop
t2=$(uptime_ms)
run_all evicting
touch /tmp/piglit/evict-stop
wait "$evictor"
t3=$(uptime_ms)
run_all squeeze
t4=$(uptime_ms)
echo "ZB-PIGLIT-END calm_ms=$((t1 - t0)) loop_ms=$((t2 - t1)) evicting_ms=$((t3 - t2))" \
     "squeeze_ms=$((t4 - t3))" \
     "restore_failures=$(cat "$stats/restore_failures")"
