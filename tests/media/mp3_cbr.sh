# %mp3(bitrate=128): a 5 s sine, checked with ffprobe and decoded back by
# ffmpeg; compared with the same signal through ffmpeg's own libmp3lame.
set -e
. "$MEDIA_LIB"
render '%wav' ref.wav
render '%mp3(bitrate=128)' out.mp3
expect_probe out.mp3 codec_name mp3
expect_probe out.mp3 channels 2
expect_probe out.mp3 sample_rate 44100
expect_probe out.mp3 bit_rate 128000
# Without a Xing/LAME tag (2.1.3 writes none) a decoder cannot trim the
# delays: encoder 576 + decoder 529 + at most one frame (1152) of padding.
expect_duration out.mp3 5 0.0512
decode out.mp3 dec.wav
# Decoded MP3 lags by 1105 samples (576 encoder + 529 decoder delay).
# A 440 Hz sine at 128 kbit/s joint stereo measures 26.0 dB.
expect_snr ref.wav dec.wav 1105 24
ffmpeg -v error -y -i ref.wav -c:a libmp3lame -b:a 128k -write_xing 0 ff.mp3
decode ff.mp3 ffdec.wav
expect_near "SNR against ffmpeg's libmp3lame" "$(snr ref.wav dec.wav 1105)" "$(snr ref.wav ffdec.wav 1105)" 1
