#!/bin/sh
# Builds the libFuzzer harnesses (clang, ASan+UBSan, leak checking) in
# build-fuzz/ and fuzzes one of them for SECONDS (default 600), seeded with
# every .liq file of the test suite and the examples. Crashes are written to
# build-fuzz/crashes/; each one found should become a regression test.
# Usage: tests/fuzz/run.sh [SECONDS] [parse|check]
#   parse  the lexer, preprocessor and parser (default)
#   check  parsing + type checking
set -e
cd "$(dirname "$0")/../.."
top=$(pwd)
seconds=${1:-600}
harness=fuzz_${2:-parse}
mkdir -p build-fuzz/corpus-$harness build-fuzz/crashes
find tests examples -name '*.liq' -exec cp {} build-fuzz/corpus-$harness/ \;
cd build-fuzz
[ -f Makefile ] || "$top"/configure -q CC=clang --enable-fuzz --enable-sanitizers
make -j2 -s tests/fuzz/$harness
./tests/fuzz/$harness -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix=crashes/ -print_final_stats=1 corpus-$harness
