# %mp3(samplerate=22050): lame resamples the 44.1 kHz stream.
set -e
. "$MEDIA_LIB"
render '%mp3(samplerate=22050, bitrate=64)' out.mp3
expect_probe out.mp3 codec_name mp3
expect_probe out.mp3 sample_rate 22050
decode out.mp3 dec.wav
# Delays 576 + 529 and at most one MPEG-2 frame (576) at 22050 Hz.
expect_duration dec.wav 5 0.0763
# The RMS is ffmpeg's libmp3lame at the same settings (0.3336: the sine's
# 0.3536 less lame's resampling and the leading delay).
render '%wav' ref.wav
ffmpeg -v error -y -i ref.wav -c:a libmp3lame -b:a 64k -ar 22050 -write_xing 0 ff.mp3
decode ff.mp3 ffdec.wav
expect_near "RMS" "$(rms dec.wav)" "$(rms ffdec.wav)" 0.002
