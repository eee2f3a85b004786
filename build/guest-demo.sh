#!/bin/sh
# The demo, inside the virgl guest (/demo/run): a desktop under memory
# pressure.  Four windows (GL programs, each with 8 of glmark2's images as
# textures and two copies of its models in vertex buffers, 27 MiB) take
# turns in the foreground and sit idle the rest of the time; kmscube spins on the screen; a memory user beside them rewrites
# its anonymous memory.  All of it runs in one memory cgroup whose limit is
# below what the windows hold, so idle windows' textures must go somewhere.
#
# With drm_gem_zswap (zb.zswap=1, the default) they are compressed; with
# zb.zswap=0 the helper is disabled and nothing can reclaim them.  One
# status line a second, "ZB-DEMO-SCREENSHOT" when the host should take its
# screenshot, and a summary at the end.
set -u

zswap=1
# Each window's Mesa takes about 19 MiB of anonymous memory and kmscube
# about 22 MiB: with the memory user, 114 MiB that nothing can reclaim (no
# swap).  The vertex buffers add 107 MiB (Mesa keeps the textures on the
# host); the limit leaves room for about 80 of them.  Their compressed
# copies are charged to the cgroup too (about 40% of what is evicted): at
# 176 MiB there was no room left for the foreground window's buffers,
# restores failed with ENOMEM and frames came out wrong.
limit_mb=196
windows=4
textures=8
copies=2
seconds=72
slot_ms=4000
hog_mb=16
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	zb.zswap=*) zswap=${arg#zb.zswap=} ;;
	zb.demo_limit=*) limit_mb=${arg#zb.demo_limit=} ;;
	esac
done

cg=/sys/fs/cgroup/desktop
card=
for c in /sys/class/drm/card[0-9]*; do
	grep -q virtio_gpu "/sys/kernel/debug/dri/${c##*card}/name" 2>/dev/null && card=$c
done
[ -n "$card" ] || { echo "ZB-DEMO: error: no virtio-gpu device"; exit 1; }
stats=/sys/kernel/debug/dri/${card##*card}/drm_gem_zswap
stat() { cat "$stats/$1"; }

echo "$zswap" > /sys/module/drm_shmem_helper/parameters/zswap_enabled
echo "+memory" > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $cg
echo $((limit_mb << 20)) > $cg/memory.max
echo 0 > $cg/memory.swap.max 2>/dev/null
echo "ZB-DEMO: drm_gem_zswap $( [ "$zswap" = 1 ] && echo enabled || echo DISABLED )," \
     "$windows GL windows, a $hog_mb MiB memory user and kmscube" \
     "in a ${limit_mb} MiB memory cgroup, ${seconds}s"

# Each program joins the cgroup before it starts, so that every page it
# allocates is charged there.
in_cg() {
	log=$1
	shift
	sh -c "echo \$\$ > $cg/cgroup.procs && exec $*" > "$log" 2>&1 &
}

cd /demo
mkdir -p /tmp/demo
pids=
for i in $(seq 0 $((windows - 1))); do
	in_cg /tmp/demo/window$i.log ./desktop_window window $i $windows $seconds $slot_ms \
		/demo/data $textures $copies
	pids="$pids $!"
	sleep 3
done
in_cg /tmp/demo/hog.log ./desktop_window hog $hog_mb $seconds
hog=$!
# kmscube stops when its standard input becomes readable: give it a FIFO
# that stays empty (held open here for writing, so never at its end).
mkfifo /tmp/demo/stdin
exec 3<> /tmp/demo/stdin
sh -c "echo \$\$ > $cg/cgroup.procs && exec kmscube -c 1000000" <&3 \
	> /tmp/demo/kmscube.log 2>&1 &
cube=$!

start=$(date +%s)
shot=0
peak_orig=0
peak_comp=0
peak_pool=0
peak_bos=0
while :; do
	alive=0
	for p in $pids; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
	[ $alive = 0 ] && break
	t=$(( $(date +%s) - start ))
	orig=$(stat original_bytes); comp=$(stat compressed_bytes)
	if [ "$orig" -gt "$peak_orig" ]; then
		peak_orig=$orig
		peak_comp=$comp
		peak_pool=$(stat pool_bytes)
		peak_bos=$(stat stored_bos)
	fi
	awk -v t="$t" -v bos="$(stat stored_bos)" -v o="$orig" -v c="$comp" \
	    -v ev="$(stat evictions)" -v re="$(stat restores)" \
	    -v cur="$(cat $cg/memory.current)" -v oom="$(grep oom_kill $cg/memory.events | cut -d' ' -f2)" \
	    -v free="$(awk '/^MemFree/ {print $2}' /proc/meminfo)" -v win="$alive" 'BEGIN {
		printf "ZB-DEMO t=%3ds  windows %d  compressed BOs %3d: %6.1f MiB in %5.1f MiB (ratio %s)  evictions %4d  restores %4d  cgroup %5.1f MiB  free %5d MiB  OOM kills %d\n",
			t, win, bos, o / 1048576, c / 1048576, c ? sprintf("%.2f", o / c) : "-",
			ev, re, cur / 1048576, free / 1024, oom
	}'
	if [ $shot = 0 ] && [ "$t" -ge $((seconds / 2)) ]; then
		echo "ZB-DEMO-SCREENSHOT"
		shot=1
	fi
	sleep 1
done

# kmscube runs until stopped here: if it is gone already, it was killed.
if kill -0 "$cube" 2>/dev/null; then
	cube_state="ran to the end"
	kill "$cube"
else
	cube_state="STOPPED EARLY ($(tail -n 1 /tmp/demo/kmscube.log))"
fi
kill "$hog" 2>/dev/null
wait "$cube" "$hog" 2>/dev/null

echo "ZB-DEMO-SUMMARY"
echo "  window  foreground frames  differed  result"
ok=0
i=0
for p in $pids; do
	wait "$p"
	rc=$?
	line=$(grep "frames in the foreground" /tmp/demo/window$i.log)
	frames=$(echo "$line" | awk '{print $3}')
	bad=$(echo "$line" | awk '{print $8}')
	case $rc in
	0) res="ok" ;;
	1) res="FRAME CHANGED" ;;
	137) res="KILLED (OOM)" ;;
	38) res="OUT OF MEMORY: its buffers did not fit" ;;
	*) res="failed ($rc)"; tail -n 3 /tmp/demo/window$i.log | sed 's/^/          /' ;;
	esac
	[ $rc = 0 ] && ok=$((ok + 1))
	printf "  %6d  %17s  %8s  %s\n" $i "${frames:--}" "${bad:--}" "$res"
	grep -E -m4 "vertex buffers|differs" /tmp/demo/window$i.log | sed 's/^/          /' 
	i=$((i + 1))
done
echo "  kmscube: $cube_state"
echo "  windows that finished with every frame right: $ok of $windows"
awk -v ev="$(stat evictions)" -v re="$(stat restores)" -v bos="$peak_bos" \
    -v o="$peak_orig" -v c="$peak_comp" -v pool="$peak_pool" \
    -v busy="$(stat reject_busy)" -v inc="$(stat reject_incompressible)" \
    -v fail="$(stat restore_failures)" -v peak="$(cat $cg/memory.peak 2>/dev/null || echo 0)" \
    -v oom="$(grep oom_kill $cg/memory.events | cut -d' ' -f2)" -v lim="$limit_mb" 'BEGIN {
	printf "  drm_gem_zswap: %d evictions, %d restores, %d restore failures, %d refused busy, %d incompressible\n",
		ev, re, fail, busy, inc
	printf "  most stored at once: %d BOs, %.1f MiB in %.1f MiB (ratio %s), copies hold %.1f MiB (read a moment later)\n",
		bos, o / 1048576, c / 1048576, c ? sprintf("%.2f", o / c) : "-", pool / 1048576
	printf "  memory cgroup: limit %d MiB, peak %.1f MiB, OOM kills %d\n", lim, peak / 1048576, oom
}'
verdict=fail
[ $ok = $windows ] && [ "$(stat evictions)" -gt 0 ] && [ "$(stat restores)" -gt 0 ] &&
	verdict=pass
echo "ZB-DEMO-RESULT verdict=$verdict zswap=$zswap windows_ok=$ok/$windows evictions=$(stat evictions) restores=$(stat restores) oom_kills=$(grep oom_kill $cg/memory.events | cut -d' ' -f2) kmscube=$(echo $cube_state | tr ' ' _)"
