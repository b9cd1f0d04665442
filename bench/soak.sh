#!/bin/sh
# Runs bench/soak.liq (or the script given) and samples the interpreter's resident set size
# (VmRSS in /proc/PID/status) once a second, with the stream time the
# script last printed. Prints the RSS at the first sample past 60 s of
# stream time, the maximum and final RSS after it, and the growth.
# Target for cliq: growth under 1 MB over 24 h of stream time.
#
# Usage: bench/soak.sh [cliq|liquidsoap] [SCRIPT]   (default: cliq,
# bench/soak.liq; bench/soak_dynamic.liq creates sources at every track)
# Environment: CLIQ, LIQUIDSOAP (binaries), SOAK_SECONDS (stream time,
# default 86400), SOAK_LOG (keep the "wall_s stream_s rss_kB" samples).
set -u
here=$(cd "$(dirname "$0")" && pwd)
impl=${1:-cliq}
script=${2:-$here/soak.liq}
case "$impl" in
  cliq) bin=${CLIQ:-$here/../cliq} ;;
  liquidsoap) bin=${LIQUIDSOAP:-liquidsoap} ;;
  *) echo "usage: $0 [cliq|liquidsoap]" >&2; exit 2 ;;
esac
export SOAK_SECONDS=${SOAK_SECONDS:-86400}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cliq-soak.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
log=${SOAK_LOG:-$tmp/samples}
: > "$log"

start=$(date +%s)
"$bin" "$script" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null &
pid=$!
while kill -0 "$pid" 2> /dev/null; do
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2> /dev/null)
  t=$(tail -n 1 "$tmp/stdout" | sed -n 's/^t=//p')
  [ -n "$rss" ] && echo "$(($(date +%s) - start)) ${t:-0} $rss" >> "$log"
  sleep 1
done
wait "$pid"
st=$?
wall=$(($(date +%s) - start))
last=$(tail -n 1 "$tmp/stdout" | sed -n 's/^t=//p')
echo "$impl: exit status $st, $wall s of wall time, stream time reached ${last:-?} s (of $SOAK_SECONDS)"
[ "$st" = 0 ] || tail -n 5 "$tmp/stderr"
awk '$2 >= 60 && !base { base = $3; bw = $1 }
     base { if ($3 > max) max = $3; final = $3 }
     END {
       if (!base) { print "no sample past 60 s of stream time"; exit 1 }
       printf "RSS after 60 s of stream time (wall %d s): %d kB\n", bw, base
       printf "max afterwards: %d kB, final: %d kB, growth: %+d kB (max), %+d kB (final)\n",
              max, final, max - base, final - base
     }' "$log"
