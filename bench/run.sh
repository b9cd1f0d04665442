#!/bin/sh
# Runs each bench script under cliq and under Liquidsoap 2.1.3 and prints,
# per script and implementation, CPU seconds (user + sys), wall seconds and
# peak RSS, then the cliq / Liquidsoap ratios. Benchmarks, not tests.
#
# Usage: bench/run.sh [SCRIPT.liq...]   (default: bench/scripts/*.liq)
# Environment: CLIQ (default: ./cliq next to bench/), LIQUIDSOAP
# (default: liquidsoap), TIMEOUT per run in seconds (default 900).
# Needs GNU time (/usr/bin/time). When run as root, Liquidsoap gets a temp
# copy of the script with settings.init.allow_root.set(true) prepended.
# cliq is considered runnable on a script when it exits with status 0;
# otherwise its column reads "not runnable yet" (no figures are made up).
set -u
here=$(cd "$(dirname "$0")" && pwd)
CLIQ=${CLIQ:-$here/../cliq}
LIQUIDSOAP=${LIQUIDSOAP:-liquidsoap}
TIMEOUT=${TIMEOUT:-900}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/run.sh: needs GNU time ($TIME)" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$here"/scripts/*.liq

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cliq-bench.XXXXXX")
trap 'rm -rf "$tmp"; rm -f /tmp/cliq-bench-*.wav' EXIT INT TERM

# run NAME CMD...: sets st (exit status) and cpu/wall/rss from GNU time.
run() {
  log=$tmp/$1.log; shift
  # timeout inside time, with a KILL after TERM: 2.1.3 sometimes ignores
  # SIGTERM while shutting down.
  "$TIME" -f '%U %S %e %M' -o "$tmp/time" timeout -k 5 "$TIMEOUT" "$@" >"$log" 2>&1 </dev/null
  st=$?
  # GNU time appends "Command exited with non-zero status N" first.
  set -- $(tail -n 1 "$tmp/time" 2>/dev/null) 
  if [ $# -eq 4 ]; then
    cpu=$(echo "$1 $2" | awk '{printf "%.2f", $1 + $2}')
    wall=$3
    rss=$(echo "$4" | awk '{printf "%.1f", $1 / 1024}')
  else
    cpu=?; wall=?; rss=?
  fi
}

ratio() { echo "$1 $2" | awk '{ if ($2 > 0 && $1 != "?" && $2 != "?") printf "%.3f", $1 / $2; else print "-" }'; }

printf '%-16s %-11s %9s %9s %10s\n' script impl "cpu(s)" "wall(s)" "rss(MB)"
for script in "$@"; do
  name=$(basename "$script" .liq)
  # Liquidsoap 2.1.3.
  cp "$script" "$tmp/$name.liq"
  if [ "$(id -u)" = 0 ]; then
    { echo 'settings.init.allow_root.set(true)'; cat "$script"; } > "$tmp/$name.liq"
  fi
  run "$name.liquidsoap" "$LIQUIDSOAP" "$tmp/$name.liq"
  l_st=$st; l_cpu=$cpu; l_wall=$wall; l_rss=$rss
  if [ "$l_st" = 0 ]; then
    printf '%-16s %-11s %9s %9s %10s\n' "$name" liquidsoap "$l_cpu" "$l_wall" "$l_rss"
  else
    printf '%-16s %-11s %s\n' "$name" liquidsoap "failed (status $l_st, log: see below)"
    tail -n 3 "$tmp/$name.liquidsoap.log" | sed 's/^/    /'
  fi
  rm -f /tmp/cliq-bench-*.wav
  # cliq.
  if [ -x "$CLIQ" ]; then
    run "$name.cliq" "$CLIQ" "$script"
  else
    st=127
  fi
  if [ "$st" = 0 ]; then
    printf '%-16s %-11s %9s %9s %10s   cliq/liquidsoap: cpu %s wall %s rss %s\n' "$name" cliq \
      "$cpu" "$wall" "$rss" "$(ratio "$cpu" "$l_cpu")" "$(ratio "$wall" "$l_wall")" \
      "$(ratio "$rss" "$l_rss")"
  else
    printf '%-16s %-11s %s\n' "$name" cliq "not runnable yet (exit status $st)"
  fi
  rm -f /tmp/cliq-bench-*.wav
done
