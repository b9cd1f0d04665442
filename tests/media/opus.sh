# %opus and %ogg(%opus(...)): Ogg/Opus at 48 kHz from the 44.1 kHz stream
# (libswresample), checked with ffprobe, decoded back by ffmpeg at 44.1 kHz.
set -e
. "$MEDIA_LIB"
render '%wav' ref.wav
render '%opus' out.opus
expect_probe out.opus codec_name opus
expect_probe out.opus channels 2
expect_probe out.opus sample_rate 48000
decode out.opus dec48.wav
# Pre-skip and the end trim in the last granule position: exactly 5 s.
[ "$(soxi -s dec48.wav)" = 240000 ] || { echo "decoded $(soxi -s dec48.wav) samples at 48 kHz"; exit 1; }
ffmpeg -v error -y -i out.opus -ar 44100 -c:a pcm_s16le dec.wav
[ "$(soxi -s dec.wav)" = 220500 ] || { echo "decoded $(soxi -s dec.wav) samples at 44.1 kHz"; exit 1; }
# Aligned (no offset); a 440 Hz sine at the default (auto) bitrate: 43.7 dB.
expect_snr ref.wav dec.wav 0 38
render '%wav(mono)' refm.wav
render '%ogg(%opus(mono, bitrate=32, complexity=5))' mono.opus
expect_probe mono.opus codec_name opus
expect_probe mono.opus channels 1
ffmpeg -v error -y -i mono.opus -ar 44100 -c:a pcm_s16le decm.wav
# Mono is the channels' average, as %wav(mono): 37.1 dB at 32 kbit/s.
expect_snr refm.wav decm.wav 0 32
# 32 kbit/s for 5 s, Ogg overhead included (within 20 %).
expect_near "opus bytes" "$(stat -c %s mono.opus)" 20000 4000
# voip (SILK: the waveform is not kept, the level is) in 40 ms frames.
render '%opus(application="voip", frame_size=40., bitrate=24, signal="voice")' voip.opus
expect_probe voip.opus codec_name opus
ffmpeg -v error -y -i voip.opus -ar 44100 -c:a pcm_s16le voip.wav
[ "$(soxi -s voip.wav)" = 220500 ] || { echo "voip: $(soxi -s voip.wav) samples"; exit 1; }
expect_near "voip RMS" "$(rms voip.wav)" 0.3535 0.04
