#!/bin/bash
# The demo's host side, inside xvfb-run: start QEMU, show the guest's demo
# lines as they come, and when the guest asks, take a screenshot of the X
# screen, where QEMU's GTK window shows the guest display.
#
#   demo-session.sh CONSOLE SCREENSHOT.png QEMU ARGS...
set -uo pipefail

console=$1
png=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)

: > "$console"
"$@" &
qemu=$!
tail -n +1 -F --pid=$qemu "$console" 2>/dev/null | while IFS= read -r line; do
	line=${line%$'\r'}
	case "$line" in
	ZB-DEMO-SCREENSHOT*)
		if xwd -root -silent -out "$png.xwd" &&
		   python3 "$top/build/xwd2png.py" "$png.xwd" "$png"; then
			echo "demo: screenshot $png"
		else
			echo "demo: no screenshot (xwd failed)"
		fi
		rm -f "$png.xwd" ;;
	"ZB-DEMO t="*|ZB-DEMO:*)
		echo "$line" ;;
	esac
done
wait $qemu
