# tests/runtime/lib.sh: measuring and comparing offline renders, shared by
# make-expected.sh (goldens from Liquidsoap 2.1.3) and tests/run-tests.sh
# (the `runtime` suite, run on cliq). Sourced, not executed; needs sox/soxi.
#
# A test is tests/runtime/NAME.liq. It starts with settings that let 2.1.3
# run as root and keep its log off stdout, writes its audio with
# output.file(%wav, getenv("RT_OUT"), ...) and prints what its callbacks
# see on stdout. Optional header lines:
#   # rt-windows: W   also measure the RMS of every W-second window
#                     (silence, fades and track boundaries)
#   # rt-tol: DB      tolerance for RMS, peak and window levels (default
#                     0.5 dB; noise gets a loose one)
#   # rt-golden: cliq   not comparable with 2.1.3: the golden is written by
#                     hand (make-expected.sh leaves it alone); the header
#                     says why
# The golden NAME.expected holds, in order: `samples N` (per channel, from
# the file size; `samples none` when no WAV was written), `rms DB...` and
# `peak DB...` per channel, `win T DB...` per window, then `--- stdout` and
# the stdout lines. The suite also checks that cliq's WAV header is right.

# rt_directive FILE KEY DEFAULT: the value of a `# rt-KEY: V` header line.
rt_directive() {
  v=$(sed -n "s/^# rt-$2: *//p" "$1" | head -n 1)
  echo "${v:-$3}"
}

# rt_levels WAV [TRIM...]: "RMS... | PEAK..." in dB per channel (sox stats).
rt_levels() {
  f=$1; shift
  sox "$f" -n "$@" stats 2>&1 | awk '
    function chans(   i, r) { if (NF == 4) return " " $4
                                for (i = 5; i <= NF; i++) r = r " " $i; return r }
    /^Pk lev dB/ { pk = chans() }
    /^RMS lev dB/ { rms = chans() }
    END { print rms " |" pk }'
}

# rt_samples WAV: samples per channel, from the file size (16-bit PCM
# after a 44-byte header). 2.1.3 never fixes its header on close (its RIFF
# and data sizes stay near 2^32), so the header cannot be trusted here.
rt_samples() {
  echo $((($(wc -c < "$1") - 44) / ($(soxi -c "$1") * 2)))
}

# rt_header_ok WAV: the header's sizes agree with the data (cliq only).
rt_header_ok() {
  [ "$(soxi -s "$1")" = "$(rt_samples "$1")" ]
}

# rt_measure WAV WINDOW: the golden's measurement lines for WAV.
rt_measure() {
  if [ ! -s "$1" ]; then echo "samples none"; return; fi
  n=$(rt_samples "$1")
  echo "samples $n"
  [ "$n" -gt 0 ] || return 0
  l=$(rt_levels "$1")
  echo "rms ${l%% |*}" | tr -s ' '
  echo "peak ${l##*| }"
  w=${2:-0}
  [ "$w" != 0 ] || return 0
  rate=$(soxi -r "$1")
  awk -v n="$n" -v r="$rate" -v w="$w" 'BEGIN {
    for (t = 0; t * r < n - 0.5; t += w) printf "%g\n", t }' |
  while read -r t; do
    l=$(rt_levels "$1" trim "$t" "$w")
    echo "win $t ${l%% |*}" | tr -s ' '
  done
}

# rt_compare EXPECTED ACTUAL TOL: prints the differences, fails if any.
# samples and win times are exact; dB values within TOL, and levels
# at or below -70 dB (or -inf) all count as silence.
rt_compare() {
  awk -v tol="$3" '
    function db(x) { return (x == "-inf" || x + 0 <= -70) ? -70 : x + 0 }
    NR == FNR { want[FNR] = $0; ne = FNR; next }
    { got[FNR] = $0; na = FNR }
    END {
      bad = 0; out = 0
      for (i = 1; i <= (ne > na ? ne : na); i++) {
        e = want[i]; a = got[i]
        if (e == "--- stdout") out = 1
        if (out || e == a) { if (e != a) { bad++; printf "line %d: expected [%s], got [%s]\n", i, e, a }; continue }
        ne2 = split(e, E, " "); na2 = split(a, A, " ")
        ok = ne2 == na2 && E[1] == A[1] && (E[1] == "rms" || E[1] == "peak" || E[1] == "win")
        first = E[1] == "win" ? 3 : 2
        if (ok && E[1] == "win" && E[2] != A[2]) ok = 0
        for (j = first; ok && j <= ne2; j++) {
          d = db(E[j]) - db(A[j]); if (d < 0) d = -d
          if (d > tol + 1e-9) ok = 0
        }
        if (!ok) { bad++; printf "line %d: expected [%s], got [%s]\n", i, e, a }
      }
      exit bad > 0
    }' "$1" "$2"
}

# rt_result SCRIPT WAV STDOUT: the full result (golden format) of one run.
rt_result() {
  rt_measure "$2" "$(rt_directive "$1" windows 0)"
  echo "--- stdout"
  cat "$3"
}
