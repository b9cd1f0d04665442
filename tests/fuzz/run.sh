#!/bin/sh
# Builds the libFuzzer harness (clang, ASan+UBSan, leak checking) in
# build-fuzz/ and fuzzes the parser for SECONDS (default 600), seeded with
# every .liq file of the test suite and the examples. Crashes are written to
# build-fuzz/crashes/; each one found should become a tests/syntax case.
set -e
cd "$(dirname "$0")/../.."
top=$(pwd)
seconds=${1:-600}
mkdir -p build-fuzz/corpus build-fuzz/crashes
find tests examples -name '*.liq' -exec cp {} build-fuzz/corpus/ \;
cd build-fuzz
[ -f Makefile ] || "$top"/configure -q CC=clang --enable-fuzz --enable-sanitizers
make -j2 -s tests/fuzz/fuzz_parse
./tests/fuzz/fuzz_parse -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix=crashes/ -print_final_stats=1 corpus
