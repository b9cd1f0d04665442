# Decoding each container/codec through single(): a 2 s stereo sine of
# amplitude 0.5 in mp3, ogg/vorbis, opus, flac, wav, m4a/aac and a 48 kHz
# mono flac (resampled and remixed to 44.1 kHz stereo) must render as many
# samples as ffmpeg's own decoding (within 2), 2 s within 1024 samples (AAC
# keeps its last frame's padding, as with ffmpeg), at the RMS ffmpeg's own decoding gives
# (within 0.002) and near the signal's 0.3536 (within 0.015: lame's joint
# stereo loses 3 %), with the peak near 0.5 on both channels (mono: 3 dB
# down on each, as 2.1.3 measured).
. "$(dirname "$0")/lib.sh"
make_tone "$D/t.mp3" 2 -c:a libmp3lame -b:a 192k
make_tone "$D/t.ogg" 2 -c:a libvorbis -q:a 6
make_tone "$D/t.opus" 2 -c:a libopus -b:a 128k
make_tone "$D/t.flac" 2
make_tone "$D/t.wav" 2
make_tone "$D/t.m4a" 2 -c:a aac -b:a 192k
make_tone "$D/m48.flac" 2 -ac 1 -ar 48000
for f in t.mp3 t.ogg t.opus t.flac t.wav t.m4a m48.flac; do
  n=$(echo "$f" | tr . _)
  # Mono goes to the center of the stereo pair, 3 dB down (as 2.1.3).
  level=0.5; case $f in m48.*) level=0.3536 ;; esac
  { preamble
    echo "s = once(single(\"$f\"))"
    echo 'clock.assign_new(sync="none", [s])'
    echo "output.file(%wav, \"$n.wav\", fallible=true, on_stop=shutdown, s)"
  } > "$D/$n.liq"
  render "$n"
  ffmpeg -nostdin -loglevel error -y -i "$D/$f" -ar 44100 -ac 2 -c:a pcm_s16le "$D/ff_$n.wav"
  len=$(samples "$D/$n.wav")
  lf=$(samples "$D/ff_$n.wav")
  near "$len" 88200 1024 || die "$f: $len samples, expected 88200"
  near "$len" "$lf" 2 || die "$f: $len samples, ffmpeg decodes $lf"
  r=$(rms "$D/$n.wav")
  want=$(awk -v l="$level" 'BEGIN { print l / sqrt(2) }')
  near "$r" "$want" 0.015 || die "$f: RMS $r, expected $want"
  rf=$(rms "$D/ff_$n.wav")
  near "$r" "$rf" 0.002 || die "$f: RMS $r, ffmpeg decodes $rf"
  for ch in 1 2; do
    p=$(sox "$D/$n.wav" -n remix $ch stat 2>&1 | sed -n 's/^Maximum amplitude: *//p')
    near "$p" "$level" 0.05 || die "$f: channel $ch peak $p, expected $level"
  done
done
exit 0
