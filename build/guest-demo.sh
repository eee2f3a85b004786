#!/bin/sh
# The demo, inside the virgl guest (/demo/run): a Wayland desktop under
# memory pressure.  weston runs on virtio-gpu's KMS with its GL renderer
# (through virgl, on the host's GPU) and its desktop shell; its windows are
# real clients from Debian's packages (glmark2-es2-wayland, weston-simple-egl,
# weston-terminal running top) and WINDOWS of our own GL window program,
# which checks a hash of every frame it draws and shows that frame.
#
# Everything runs in one memory cgroup, the desktop session's, with swap
# through zswap as a distribution sets it up.  Once every client is up, the
# demo reads what the session holds (the cgroup's memory.current, every
# client's GEM memory from its fdinfo) and sets memory.max to LIMIT_PCT of
# it.  Windows take turns in the foreground: ours by their own schedule,
# glmark2 and simple-egl stopped (SIGSTOP) while in the background, as a
# hidden window that does not draw.  Idle windows' BOs are what the
# shrinker compresses; without drm_gem_zswap (zb.zswap=0) they are pinned
# and only the clients' anonymous memory can go, to zswap.
#
# One status line a second, "ZB-DEMO-SCREENSHOT" when the host should take
# its screenshot, and a summary at the end.
set -u

zswap=1
swap=1
limit_pct=60
windows=3
textures=8
copies=2
seconds=90
slot_ms=5000
# glmark2's buffer scene: a grid mesh whose vertex buffer (columns x rows
# quads) stays in guest memory, updated in part every frame.
glmark_scene=buffer:columns=200:rows=100:update-fraction=0.2:update-method=subdata:interleave=true
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	zb.zswap=*) zswap=${arg#zb.zswap=} ;;
	zb.demo_limit_pct=*) limit_pct=${arg#zb.demo_limit_pct=} ;;
	zb.demo_seconds=*) seconds=${arg#zb.demo_seconds=} ;;
	zb.demo_swap=*) swap=${arg#zb.demo_swap=} ;;
	esac
done

cg=/sys/fs/cgroup/desktop
card=
for c in /sys/class/drm/card[0-9]; do
	grep -q virtio_gpu "/sys/kernel/debug/dri/${c##*card}/name" 2>/dev/null && card=$c
done
[ -n "$card" ] || { echo "ZB-DEMO: error: no virtio-gpu device"; exit 1; }
stats=/sys/kernel/debug/dri/${card##*card}/drm_gem_zswap
stat() { cat "$stats/$1"; }
fail() { echo "ZB-DEMO: error: $*"; echo "ZB-DEMO-RESULT verdict=fail reason=setup"; exit 1; }

echo "$zswap" > /sys/module/drm_shmem_helper/parameters/zswap_enabled
# Swap as a desktop has it: the guest's disk behind zswap.  Without it
# (zb.demo_swap=0) only the BOs can give memory back.
if [ "$swap" = 1 ]; then
	mkswap /dev/vda > /dev/null && swapon /dev/vda || fail "no swap on /dev/vda"
fi
echo "+memory" > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $cg
mkdir -p /tmp/demo /tmp/xdg /dev/pts
# weston-terminal's pseudo-terminal.
mount -t devpts devpts /dev/pts
export XDG_RUNTIME_DIR=/tmp/xdg XDG_CONFIG_HOME=/demo/config HOME=/tmp
chmod 0700 $XDG_RUNTIME_DIR

# Each program joins the cgroup before it starts, so that every page it
# allocates is charged there.
in_cg() {
	log=$1
	shift
	sh -c "echo \$\$ > $cg/cgroup.procs && exec $*" > "$log" 2>&1 &
}

# Debian's weston 10 has no libseat launcher, and the guest no logind:
# root runs it with the direct launcher on the first VT.
in_cg /tmp/demo/weston.log weston --backend=drm-backend.so --tty=1 \
	--continue-without-input --idle-time=0 --socket=wayland-0
weston_pid=$!
i=0
while [ ! -S $XDG_RUNTIME_DIR/wayland-0 ]; do
	i=$((i + 1))
	[ $i -gt 60 ] && { tail -n 20 /tmp/demo/weston.log; fail "weston did not start"; }
	kill -0 $weston_pid 2>/dev/null || { tail -n 20 /tmp/demo/weston.log; fail "weston exited"; }
	sleep 1
done
export WAYLAND_DISPLAY=wayland-0
grep -m1 -E "Output .Virtual-1. enabled|current" /tmp/demo/weston.log | sed 's/^/ZB-DEMO: weston: /'
# The shell draws its panel and background once it is up.
sleep 3

cd /demo
pids=
for i in $(seq 0 $((windows - 1))); do
	in_cg /tmp/demo/window$i.log ./desktop_window window $i $((windows + 1)) \
		$((seconds + 30)) $slot_ms /demo/data $textures $copies
	pids="$pids $!"
done
in_cg /tmp/demo/glmark2-es2-wayland.log glmark2-es2-wayland --run-forever -s 480x360 -b "$glmark_scene"
glmark=$!
in_cg /tmp/demo/weston-simple-egl.log weston-simple-egl
egl=$!
in_cg /tmp/demo/weston-terminal.log weston-terminal --shell=/demo/top
term=$!
clients="$pids $glmark $egl $term"

# Set-up: every window has uploaded its buffers and drawn its first frame.
i=0
for w in $(seq 0 $((windows - 1))); do
	until grep -q "vertex buffers" /tmp/demo/window$w.log 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 120 ] && { cat /tmp/demo/window$w.log; fail "window $w did not start"; }
		sleep 1
	done
done
sleep 5

# What a client holds in GEM memory, from its fdinfo: the sum over its DRM
# files of drm-KEY-memory, in KiB, each file once (Mesa dups the fd it is
# given, and both show the same drm-client-id).
gem_kib() {
	for fd in /proc/$1/fd/*; do
		case "$(readlink "$fd")" in /dev/dri/*) ;; *) continue ;; esac
		awk -v k="drm-$2-memory:" '$1 == "drm-client-id:" {id = $2}
			$1 == k {v = $2; if ($3 == "MiB") v *= 1024; print id, v}' \
			/proc/$1/fdinfo/${fd##*/}
	done | awk '!seen[$1]++ {s += $2} END {print s + 0}'
}
echo "ZB-DEMO: what each process holds once up, in KiB (GEM: drm-total- and drm-resident-memory of its fdinfo; anon: RssAnon):"
name_of() { tr '\0' ' ' < /proc/$1/cmdline | cut -c1-40; }
for p in $(pidof weston) $clients; do
	[ -d /proc/$p ] || continue
	printf "ZB-DEMO:   %-40s GEM %6d, resident %6d  anon %6d\n" "$(name_of $p)" \
		"$(gem_kib $p total)" "$(gem_kib $p resident)" \
		"$(awk '/^RssAnon/ {print $2}' /proc/$p/status)"
done
held=$(cat $cg/memory.current)
limit=$((held / 100 * limit_pct))
echo $limit > $cg/memory.max
echo "ZB-DEMO: drm_gem_zswap $( [ "$zswap" = 1 ] && echo enabled || echo DISABLED )," \
     "the session holds $((held >> 20)) MiB: memory.max set to $((limit >> 20)) MiB" \
     "(${limit_pct}%), ${seconds}s"

start=$(date +%s)
shot=0
peak_orig=0
peak_comp=0
peak_pool=0
peak_bos=0
slot=-1
while :; do
	alive=0
	for p in $pids; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
	t=$(( $(date +%s) - start ))
	[ $alive = 0 ] || [ $t -ge $seconds ] && break
	# The real clients draw in their turn, the last slot of the cycle
	# (ours take the others), and stop in the background.
	s=$(( t * 1000 / slot_ms % (windows + 1) ))
	if [ $s != $slot ]; then
		slot=$s
		if [ $s = $windows ]; then sig=CONT; else sig=STOP; fi
		kill -$sig $glmark $egl 2>/dev/null
	fi
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
	    -v sw="$(cat $cg/memory.swap.current)" -v win="$alive" 'BEGIN {
		printf "ZB-DEMO t=%3ds  windows %d  compressed BOs %3d: %6.1f MiB in %5.1f MiB (ratio %s)  evictions %4d  restores %4d  cgroup %5.1f MiB  swapped %5.1f MiB  OOM kills %d\n",
			t, win, bos, o / 1048576, c / 1048576, c ? sprintf("%.2f", o / c) : "-",
			ev, re, cur / 1048576, sw / 1048576, oom
	}'
	if [ $shot = 0 ] && [ "$t" -ge $((seconds / 2)) ]; then
		echo "ZB-DEMO-SCREENSHOT"
		shot=1
	fi
	sleep 1
done
kill -CONT $glmark $egl 2>/dev/null

# The real clients run until stopped here: one that is gone was killed.
others_ok=0
others=
for p in $glmark $egl $term $weston_pid; do
	case $p in
	$glmark) n=glmark2-es2-wayland ;;
	$egl) n=weston-simple-egl ;;
	$term) n=weston-terminal ;;
	*) n=weston ;;
	esac
	if kill -0 "$p" 2>/dev/null; then
		others="$others $n:ran"
		others_ok=$((others_ok + 1))
	else
		others="$others $n:STOPPED_EARLY"
		tail -n 5 /tmp/demo/$n.log 2>/dev/null | sed "s/^/ZB-DEMO: $n: /"
	fi
done
# Our windows end by themselves: ask them to, and wait.
for p in $pids; do kill -TERM "$p" 2>/dev/null; done

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
	63) res="THE COMPOSITOR WENT AWAY" ;;
	*) res="failed ($rc)"; tail -n 3 /tmp/demo/window$i.log | sed 's/^/          /' ;;
	esac
	[ $rc = 0 ] && ok=$((ok + 1))
	printf "  %6d  %17s  %8s  %s\n" $i "${frames:--}" "${bad:--}" "$res"
	grep -E -m4 "vertex buffers|differs" /tmp/demo/window$i.log | sed 's/^/          /'
	i=$((i + 1))
done
echo "  real clients and the compositor:$others"
echo "  windows that finished with every frame right: $ok of $windows"
oom=$(grep oom_kill $cg/memory.events | cut -d' ' -f2)
awk -v ev="$(stat evictions)" -v re="$(stat restores)" -v bos="$peak_bos" \
    -v o="$peak_orig" -v c="$peak_comp" -v pool="$peak_pool" \
    -v busy="$(stat reject_busy)" -v inc="$(stat reject_incompressible)" \
    -v def="$(stat evict_deferred)" \
    -v fail="$(stat restore_failures)" -v peak="$(cat $cg/memory.peak 2>/dev/null || echo 0)" \
    -v oom="$oom" -v lim="$limit" -v held="$held" \
    -v sw="$(awk '/^zswpout/ {print $2}' $cg/memory.stat)" 'BEGIN {
	printf "  drm_gem_zswap: %d evictions, %d restores, %d restore failures, %d refused busy, %d incompressible, %d left to the driver\n",
		ev, re, fail, busy, inc, def
	printf "  most stored at once: %d BOs, %.1f MiB in %.1f MiB (ratio %s), copies hold %.1f MiB (read a moment later)\n",
		bos, o / 1048576, c / 1048576, c ? sprintf("%.2f", o / c) : "-", pool / 1048576
	printf "  memory cgroup: the clients held %.1f MiB, limit %.1f MiB (%.2f of it), peak %.1f MiB, %d pages to zswap, OOM kills %d\n",
		held / 1048576, lim / 1048576, lim / held, peak / 1048576, sw, oom
}'
verdict=fail
[ $ok = $windows ] && [ $others_ok = 4 ] && [ "$oom" = 0 ] &&
	[ "$(stat evictions)" -gt 0 ] && [ "$(stat restores)" -gt 0 ] && verdict=pass
echo "ZB-DEMO-RESULT verdict=$verdict zswap=$zswap windows_ok=$ok/$windows clients_ok=$others_ok/4 evictions=$(stat evictions) restores=$(stat restores) oom_kills=$oom limit_ratio=$(awk -v l=$limit -v h=$held 'BEGIN {printf "%.2f", l / h}')"
kill $glmark $egl $term 2>/dev/null
kill $weston_pid 2>/dev/null
