# Seeking in file sources through cue_cut: liq_cue_in / liq_cue_out
# annotations on a 10 s flac whose level steps (0.5 until 2 s, 0.25 until
# 6 s, 0.1 after). Cue 2 -> 6 lies in the decoded-ahead buffer; cue 7 -> 9
# lies beyond it (the reader's worker seeks the decoder). Each render must
# have the cut's length and only the level of its segment, from its first
# to its last 50 ms.
. "$(dirname "$0")/lib.sh"
e='sin(2*PI*440*t)*(0.5*lt(t\,2)+0.25*between(t\,2\,6)+0.1*gte(t\,6))'
ffmpeg -nostdin -loglevel error -y -f lavfi -i "aevalsrc=$e|$e:s=44100:d=10" "$D/steps.flac" ||
  die "ffmpeg failed"
cue_case() { # NAME IN OUT SECONDS PEAK
  { preamble
    echo "s = cue_cut(once(single(\"annotate:liq_cue_in=\\\"$2\\\",liq_cue_out=\\\"$3\\\":steps.flac\")))"
    echo 'clock.assign_new(sync="none", [s])'
    echo "output.file(%wav, \"$1.wav\", fallible=true, on_stop=shutdown, s)"
  } > "$D/$1.liq"
  render "$1"
  len=$(samples "$D/$1.wav")
  near "$len" $(($4 * 44100)) 1764 || die "$1: $len samples, expected $(($4 * 44100))"
  for part in "0 0.05" "$(($4 - 1)).95 0.05"; do
    p=$(sox "$D/$1.wav" -n trim $part stat 2>&1 | sed -n 's/^Maximum amplitude: *//p')
    near "$p" "$5" 0.01 || die "$1: peak $p at $part, expected $5"
  done
}
cue_case buffered 2. 6. 4 0.25
cue_case beyond 7. 9. 2 0.1
exit 0
