#!/bin/sh
# Regenerates the goldens tests/runtime/NAME.expected by running each
# tests/runtime/NAME.liq under Liquidsoap 2.1.3 (Debian's package). The
# goldens are small text files (see lib.sh for the format); no WAV is kept.
#
# Usage: tests/runtime/make-expected.sh [NAME.liq...]   (default: all)
# Environment: LIQUIDSOAP (default: liquidsoap), JOBS (default 2).
# Scripts whose header has `# rt-golden: cliq` are not in 2.1.3 (or 2.1.3
# cannot run them offline): their golden is kept as committed, written by
# hand from the operator's documented behaviour and reviewed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
LIQUIDSOAP=${LIQUIDSOAP:-liquidsoap}
JOBS=${JOBS:-2}
. "$here/lib.sh"
[ $# -gt 0 ] || set -- "$here"/*.liq
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-expected.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

one() {
  f=$1
  name=$(basename "$f" .liq)
  d=$tmp/$name
  mkdir -p "$d"
  RT_OUT=$d/out.wav timeout -k 5 120 "$LIQUIDSOAP" "$f" > "$d/stdout" 2> "$d/stderr" < /dev/null
  st=$?
  if [ "$st" != 0 ]; then
    echo "$name: liquidsoap exited with status $st" >&2
    tail -n 5 "$d/stderr" "$d/stdout" >&2
    touch "$tmp/failed"; return 1
  fi
  rt_result "$f" "$d/out.wav" "$d/stdout" > "${f%.liq}.expected"
  echo "$name"
}


running=0
for f in "$@"; do
  f=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
  [ "$(rt_directive "$f" golden 2.1.3)" = cliq ] && continue
  one "$f" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait; running=0; fi
done
wait
[ ! -e "$tmp/failed" ]
