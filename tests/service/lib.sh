# Helpers of the service tests (tests/service/*.sh, run by tests/run-tests.sh
# with CLIQ set and the current directory a fresh temporary directory).
# Every process a test starts is bounded with timeout; files stay in the
# temporary directory.

die() { echo "$*"; exit 1; }

# le32 FILE OFFSET: the little-endian 32-bit unsigned integer at OFFSET.
le32() {
  od -An -tu1 -j "$2" -N4 "$1" | awk '{ print $1 + 256 * ($2 + 256 * ($3 + 256 * $4)) }'
}

# wav_final FILE: the RIFF size is the file size - 8 and the data chunk
# (found by walking the chunks) reaches exactly the end of the file.
wav_final() {
  size=$(wc -c < "$1")
  [ "$size" -gt 44 ] || die "$1: $size bytes"
  [ "$(dd if="$1" bs=1 count=4 2>/dev/null)" = RIFF ] || die "$1: no RIFF"
  riff=$(le32 "$1" 4)
  [ "$riff" -eq $((size - 8)) ] || die "$1: RIFF size $riff, file size $size"
  off=12
  while [ $((off + 8)) -le "$size" ]; do
    id=$(dd if="$1" bs=1 skip="$off" count=4 2>/dev/null)
    len=$(le32 "$1" $((off + 4)))
    if [ "$id" = data ]; then
      [ $((off + 8 + len)) -eq "$size" ] || die "$1: data size $len at $off, file size $size"
      return 0
    fi
    off=$((off + 8 + len + len % 2))
  done
  die "$1: no data chunk"
}

# wait_for FILE [TENTHS]: until FILE exists (default 5 s).
wait_for() {
  n=${2:-50}
  while [ ! -e "$1" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
  [ -e "$1" ]
}
