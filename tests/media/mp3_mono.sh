# %mp3(mono, bitrate=64) of a stereo stream: one channel, the mix.
set -e
. "$MEDIA_LIB"
render '%wav(mono)' ref.wav
render '%mp3(mono, bitrate=64)' out.mp3
expect_probe out.mp3 codec_name mp3
expect_probe out.mp3 channels 1
expect_probe out.mp3 bit_rate 64000
expect_duration out.mp3 5 0.0512
decode out.mp3 dec.wav
expect_snr ref.wav dec.wav 1105 20
