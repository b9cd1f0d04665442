# Helpers of the media suite (tests/media/*.sh, run by tests/run-tests.sh
# with CLIQ set and the working directory a fresh temporary one). A test
# renders real audio with cliq, checks the file with ffprobe and decodes it
# back with ffmpeg; sox measures. Each helper prints why it fails and
# returns non-zero; a test is `set -e`.

# render ENCODER FILE [SOURCE]: SOURCE (default a 5 s 440 Hz sine at
# amplitude 0.5) through output.file into FILE, offline.
render() {
  src=${3:-'sine(amplitude=0.5, duration=5., 440.)'}
  cat > render.liq <<LIQ
s = $src
clock.assign_new(sync="none", [s])
output.file($1, "$2", fallible=true, on_stop=shutdown, s)
LIQ
  if ! "$CLIQ" render.liq > render.log 2>&1; then
    echo "cliq failed on $1:"; cat render.log; return 1
  fi
  [ -s "$2" ] || { echo "$2 is empty"; return 1; }
}

# probe FILE KEY: a stream field of the first audio stream (codec_name,
# channels, sample_rate, duration...).
probe() {
  ffprobe -v error -select_streams a:0 -show_entries "stream=$2" -of default=nw=1:nk=1 "$1"
}

# expect_probe FILE KEY VALUE
expect_probe() {
  v=$(probe "$1" "$2")
  [ "$v" = "$3" ] || { echo "$1: $2 is '$v', expected '$3'"; return 1; }
}

# expect_duration FILE SECONDS TOLERANCE
expect_duration() {
  d=$(probe "$1" duration)
  awk -v d="$d" -v w="$2" -v t="$3" 'BEGIN { e = d - w; if (e < 0) e = -e; exit !(e <= t) }' ||
    { echo "$1: duration $d, expected $2 within $3 s"; return 1; }
}

# decode FILE OUT.wav [CHANNELS]: ffmpeg's decoding as 16-bit WAV.
decode() {
  ffmpeg -v error -y -i "$1" ${3:+-ac "$3"} -c:a pcm_s16le "$2" ||
    { echo "ffmpeg cannot decode $1"; return 1; }
}

# rms FILE: sox's RMS amplitude (all channels).
rms() { sox "$1" -n stat 2>&1 | awk '/^RMS +amplitude/ { print $3 }'; }

# snr REF.wav DEC.wav OFFSET: the signal-to-noise ratio in dB of DEC
# against REF, DEC's first OFFSET samples skipped (codec delay).
snr() {
  n=$(soxi -s "$1")
  sox "$2" aligned.wav trim "${3}s" "${n}s" || return 1
  noise=$(sox -m -v 1 "$1" -v -1 aligned.wav -n stat 2>&1 | awk '/^RMS +amplitude/ { print $3 }')
  awk -v s="$(rms "$1")" -v n="$noise" 'BEGIN { if (n <= 0) n = 1e-9; printf "%.1f\n", 20 * log(s / n) / log(10) }'
}

# expect_snr REF.wav DEC.wav OFFSET MIN_DB
expect_snr() {
  v=$(snr "$1" "$2" "$3")
  awk -v v="$v" -v m="$4" 'BEGIN { exit !(v >= m) }' ||
    { echo "$2: SNR $v dB against $1, expected at least $4 dB"; return 1; }
}

# expect_near NAME VALUE WANTED TOLERANCE
expect_near() {
  awk -v v="$2" -v w="$3" -v t="$4" 'BEGIN { e = v - w; if (e < 0) e = -e; exit !(e <= t) }' ||
    { echo "$1 is $2, expected $3 within $4"; return 1; }
}
