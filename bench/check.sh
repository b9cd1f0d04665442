#!/bin/sh
# Times `--check` (parse + type-check, prelude included) of cliq and of
# Liquidsoap 2.1.3 on an empty script and on bench/check_radio.liq (a
# ~330-line radio script both accept; cliq reads bench/check_standins.liq
# first, for the builtins it does not implement yet). cliq's time is below the 10 ms
# resolution of GNU time, so it is measured over a loop of RUNS runs and
# divided; Liquidsoap's over LIQ_RUNS single runs (median).
# Needs GNU time. Usage: bench/check.sh [CLIQ] [RUNS] [LIQ_RUNS]
set -e
here=$(cd "$(dirname "$0")" && pwd)
cliq=${1:-$here/../cliq}
runs=${2:-100}
liq_runs=${3:-3}
liquidsoap=${LIQUIDSOAP:-liquidsoap}
[ -x /usr/bin/time ] || { echo "bench/check.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/empty.liq"
radio=$here/check_radio.liq

# CPU ms per run of `cliq --check FILE...`, over a loop of $runs runs.
cliq_ms() {
  /usr/bin/time -f '%U %S' -o "$tmp/t" sh -c \
    'i=0; while [ $i -lt '"$runs"' ]; do "$0" --check "$@" > /dev/null 2>&1 || exit 1; i=$((i + 1)); done' \
    "$cliq" "$@"
  awk -v n="$runs" '{ printf "%.2f", ($1 + $2) * 1000 / n }' "$tmp/t"
}

# Median CPU ms of `liquidsoap --check FILE`.
liq_ms() {
  for i in $(seq "$liq_runs"); do
    /usr/bin/time -f '%U %S' -o "$tmp/t" "$liquidsoap" --check "$1" > /dev/null 2>&1
    awk '{ printf "%.0f\n", ($1 + $2) * 1000 }' "$tmp/t"
  done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "cliq: CPU per run over a loop of $runs; liquidsoap: median of $liq_runs runs"
printf '%-22s %12s %16s %8s\n' script cliq-ms liquidsoap-ms ratio
for f in "$tmp/empty.liq" "$radio"; do
  name=$(basename "$f")
  [ "$f" = "$radio" ] && name="$name ($(wc -l < "$f") l.)"
  # The builtins cliq lacks yet are stand-ins written in the language
  # (bench/check_standins.liq), checked before the script.
  if [ "$f" = "$radio" ]; then c=$(cliq_ms "$here/check_standins.liq" "$f"); else c=$(cliq_ms "$f"); fi
  if command -v "$liquidsoap" > /dev/null; then l=$(liq_ms "$f"); else l=-; fi
  printf '%-22s %12s %16s %8s\n' "$name" "$c" "$l" \
    "$(awk -v c="$c" -v l="$l" 'BEGIN { if (l + 0 > 0) printf "1/%.0f", l / c; else print "-" }')"
done
