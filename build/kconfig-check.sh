#!/bin/bash
# Fail when a symbol of a config fragment did not end up in .config as asked:
# Kconfig silently drops symbols whose dependencies are not met.
set -euo pipefail
frag=$1 config=$2 bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) sym=${line%%=*}
		grep -q "^$sym=" "$config" && { echo "kconfig: $sym is set, wanted n" >&2; bad=1; } ;;
	CONFIG_*=*) grep -qxF "$line" "$config" ||
		{ echo "kconfig: $line did not take effect (got: $(grep "^${line%%=*}=" "$config" || echo unset))" >&2; bad=1; } ;;
	esac
done < "$frag"
[ $bad = 0 ] || { echo "kconfig: $frag does not apply; fix its dependencies" >&2; exit 1; }
