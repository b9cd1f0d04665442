#!/bin/sh
# Times `cliq --parse-only` on a generated 10,000-line script: the median over
# RUNS runs of the CPU time (user + system) and of the wall time of the whole
# process, start-up included, and the same for an empty script for scale.
# Needs GNU time (Debian package `time`). Usage: bench/parse.sh [CLIQ] [RUNS]
set -e
here=$(cd "$(dirname "$0")" && pwd)
cliq=${1:-$here/../cliq}
runs=${2:-21}
[ -x /usr/bin/time ] || { echo "bench/parse.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$here/gen_parse_script.sh" 10000 > "$tmp/big.liq"
: > "$tmp/empty.liq"
# Prints "CPU-ms WALL-ms MAXRSS-KB" medians.
measure() {
  for i in $(seq "$runs"); do
    /usr/bin/time -f '%U %S %e %M' -o "$tmp/t" "$cliq" --parse-only "$1" > /dev/null
    awk '{ printf "%.1f %.1f %d\n", ($1 + $2) * 1000, $3 * 1000, $4 }' "$tmp/t"
  done > "$tmp/all"
  for col in 1 2 3; do
    cut -d' ' -f$col "$tmp/all" | sort -n | awk '{ v[NR] = $1 } END { printf "%s ", v[int((NR + 1) / 2)] }'
  done
}
echo "script: $(wc -l < "$tmp/big.liq") lines, $(wc -c < "$tmp/big.liq") bytes; median of $runs runs"
printf '%-16s %10s %10s %10s\n' input cpu-ms wall-ms rss-KB
set -- $(measure "$tmp/big.liq"); printf '%-16s %10s %10s %10s\n' "10k lines" "$1" "$2" "$3"
set -- $(measure "$tmp/empty.liq"); printf '%-16s %10s %10s %10s\n' "empty" "$1" "$2" "$3"
