#!/bin/sh
# Encode once, measured side by side in one run: 10 minutes of a 440 Hz
# sine to MP3 at 128 kbit/s by cliq (%mp3(bitrate=128)), by ffmpeg's
# libmp3lame on the same signal (lavfi sine) and by Liquidsoap 2.1.3.
# Prints CPU seconds (user + sys) and peak RSS of each, then the ratios.
#   bench/mp3.sh            (CLIQ, LIQUIDSOAP, DURATION=600 to override)
set -u
here=$(cd "$(dirname "$0")" && pwd)
CLIQ=${CLIQ:-$here/../cliq}
LIQUIDSOAP=${LIQUIDSOAP:-liquidsoap}
DURATION=${DURATION:-600}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/mp3.liq" <<LIQ
settings.init.allow_root.set(true)
s = sine(duration=$DURATION., 440.)
clock.assign_new(sync="none", [s])
output.file(%mp3(bitrate=128), "$tmp/out.mp3", fallible=true, on_stop=shutdown, s)
LIQ
measure() { # NAME CMD...: prints NAME cpu rss
  name=$1; shift
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$@" > /dev/null 2>&1 || echo "$name failed" >&2
  awk -v n="$name" -v b="$(stat -c %s "$tmp/out.mp3" 2>/dev/null || echo 0)" \
    '{ printf "%-10s cpu %6.2f s  rss %7d kB  %d bytes\n", n, $1 + $2, $3, b; print n, $1 + $2 > "/dev/stderr" }' \
    "$tmp/time" 2>> "$tmp/cpu"
  rm -f "$tmp/out.mp3"
}
measure cliq "$CLIQ" "$tmp/mp3.liq"
measure ffmpeg ffmpeg -v error -y -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=$DURATION" \
  -ac 2 -c:a libmp3lame -b:a 128k "$tmp/out.mp3"
# %mp3's internal_quality defaults to 2 (2.1.3's, lame -q 2: slower);
# ffmpeg leaves lame at its own default: the same work is both at -q 3.
sed 's/bitrate=128/bitrate=128, internal_quality=3/' "$tmp/mp3.liq" > "$tmp/mp3q3.liq"
measure cliq_q3 "$CLIQ" "$tmp/mp3q3.liq"
measure ffmpeg_q3 ffmpeg -v error -y -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=$DURATION" \
  -ac 2 -c:a libmp3lame -b:a 128k -compression_level 3 "$tmp/out.mp3"
command -v "$LIQUIDSOAP" > /dev/null && measure liquidsoap "$LIQUIDSOAP" "$tmp/mp3.liq"
awk '{ c[$1] = $2 } END {
  if (c["ffmpeg"] > 0) printf "cliq / ffmpeg     %.2f\n", c["cliq"] / c["ffmpeg"];
  if (c["ffmpeg_q3"] > 0) printf "cliq_q3 / ffmpeg_q3 %.2f\n", c["cliq_q3"] / c["ffmpeg_q3"];
  if (c["liquidsoap"] > 0) printf "cliq / liquidsoap %.2f\n", c["cliq"] / c["liquidsoap"] }' "$tmp/cpu"
