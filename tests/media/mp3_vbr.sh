# %mp3.vbr(quality=2) and %mp3.abr(bitrate=96): the rate modes.
set -e
. "$MEDIA_LIB"
render '%wav' ref.wav
render '%mp3.vbr(quality=2)' vbr.mp3
expect_probe vbr.mp3 codec_name mp3
decode vbr.mp3 dec.wav
# VBR without a Xing tag: ffprobe guesses from the first frame's rate, so
# the decoded length is measured (delays as in mp3_cbr.sh).
expect_duration dec.wav 5 0.0512
expect_snr ref.wav dec.wav 1105 20
render '%mp3.abr(bitrate=96)' abr.mp3
expect_probe abr.mp3 codec_name mp3
decode abr.mp3 abr.wav
expect_snr ref.wav abr.wav 1105 20
# lame's ABR undershoots on a pure sine (ffmpeg's libmp3lame -abr 1
# -b:a 96k: 60 kbit/s; cliq 48): between 40 and 90 kbit/s, so not CBR.
kbps=$(($(stat -c %s abr.mp3) * 8 / 5000))
[ "$kbps" -ge 40 ] && [ "$kbps" -lt 90 ] || { echo "abr.mp3: $kbps kbit/s"; exit 1; }
render '%mp3.abr(bitrate=96, min_bitrate=32, max_bitrate=160, hard_min=true)' abr2.mp3
expect_probe abr2.mp3 codec_name mp3
