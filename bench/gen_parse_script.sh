#!/bin/sh
# Writes a syntactically rich Liquidsoap script of about N lines (default
# 10000) on stdout: definitions with labelled and optional arguments,
# records, lists, interpolated strings, encoders, if/elsif chains, patterns.
n=${1:-10000}
awk -v n="$n" 'BEGIN {
  lines = 0
  for (i = 0; lines < n; i++) {
    printf "# block %d: a helper, a record, a source chain\n", i
    printf "def helper_%d(~gain=1.0, ~name=\"x%d\", x, y) =\n", i, i
    printf "  let (a, b) = (x * 2 + %d, y / 3.5)\n", i
    printf "  r = {gain = gain, label = \"item #{name}-#{a}\", tags = [\"a\", \"b\", \"c\"]}\n"
    printf "  if a > %d then r.{big = true} elsif a < -%d then r.{big = false} else r end\n", i, i
    printf "end\n"
    printf "let [first_%d, ...rest_%d] = [%d, %d, %d]\n", i, i, i, i + 1, i + 2
    printf "s_%d = amplify(0.5, sine(%d.0 + 10.))\n", i, 100 + i
    printf "s_%d = fallback(track_sensitive=false, [s_%d, blank()])\n", i, i
    printf "output.file(%%mp3(bitrate=128, stereo), \"/tmp/out-%d.mp3\", fallible=true, s_%d)\n", i, i
    lines += 10
  }
}'
