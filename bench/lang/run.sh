#!/bin/sh
# Language benchmarks: runs bench/lang/*.liq (or the scripts given) under
# cliq and Liquidsoap 2.1.3 through bench/run.sh, which prints CPU seconds,
# wall seconds and peak RSS side by side with the cliq / Liquidsoap ratios.
# The scripts are pure (no output operator) and end with exit(0) so that
# 2.1.3 exits with status 0; startup.liq is the baseline to subtract.
# Environment: as bench/run.sh (CLIQ, LIQUIDSOAP, TIMEOUT).
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- "$here"/*.liq
exec "$here/../run.sh" "$@"
