# %wav through the encoder interface: bit-exact s16 (trunc(x * 32767)).
set -e
. "$MEDIA_LIB"
render '%wav(samplesize=16)' out.wav
expect_probe out.wav codec_name pcm_s16le
expect_probe out.wav channels 2
expect_probe out.wav sample_rate 44100
[ "$(soxi -s out.wav)" = 220500 ] || { echo "samples: $(soxi -s out.wav)"; exit 1; }
render '%wav(mono, samplesize=24)' mono.wav
expect_probe mono.wav codec_name pcm_s24le
expect_probe mono.wav channels 1
expect_near "RMS" "$(rms mono.wav)" 0.353553 0.0001
# Sample 1 of a 440 Hz sine at 0.5: trunc(0.5 sin(2 pi 440 / 44100) * 32767).
s1=$(sox out.wav -t s16 - trim 1s 1s | od -An -td2 | awk '{ print $1 }')
[ "$s1" = 1026 ] || { echo "sample 1 is $s1, expected 1026"; exit 1; }
