# Helpers of the media tests (sourced). $CLIQ is the binary, $D the scratch
# directory. Fixtures are made here with ffmpeg; renders are checked with
# sox. A failing check prints why and exits 1.
CLIQ=$1
D=$2
command -v ffmpeg > /dev/null && command -v sox > /dev/null || { echo "ffmpeg and sox are needed"; exit 1; }

die() { echo "$*"; exit 1; }

# make_tone FILE SECONDS [EXTRA FFMPEG ARGS...]: a stereo 440 Hz sine of
# amplitude 0.5 (RMS 0.3536), 44.1 kHz unless the extra arguments say.
make_tone() {
  f=$1; secs=$2; shift 2
  ffmpeg -nostdin -loglevel error -y -f lavfi \
    -i "aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t):s=44100:d=$secs" "$@" "$f" ||
    die "ffmpeg could not make $f"
}

# render NAME: runs $D/NAME.liq (its output.file writes $D/NAME.wav, sync
# none, shutdown on stop); stderr goes to $D/NAME.log.
render() {
  (cd "$D" && "$CLIQ" "$1.liq" > "$1.out" 2> "$1.log") || { cat "$D/$1.log"; die "$1.liq failed"; }
}

# The preamble of every script: offline, the log on the console (stderr),
# where the tests read it.
preamble() {
  printf 'settings.init.allow_root.set(true)\nsettings.log.file.set(false)\n'
}

samples() { soxi -s "$1"; }
rms() { sox "$1" -n stat 2>&1 | sed -n 's/^RMS *amplitude: *//p'; }
peak() { sox "$1" -n stat 2>&1 | sed -n 's/^Maximum amplitude: *//p'; }

# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
