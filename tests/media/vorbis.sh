# %vorbis (quality VBR), %vorbis.cbr, %vorbis.abr and %ogg(%vorbis(...)):
# Ogg/Vorbis files checked with ffprobe and decoded back by ffmpeg.
set -e
. "$MEDIA_LIB"
render '%wav' ref.wav
render '%vorbis' out.ogg
expect_probe out.ogg codec_name vorbis
expect_probe out.ogg channels 2
expect_probe out.ogg sample_rate 44100
# Ogg's granule positions give the exact length.
expect_duration out.ogg 5 0.0001
decode out.ogg dec.wav
[ "$(soxi -s dec.wav)" = 220500 ] || { echo "decoded $(soxi -s dec.wav) samples"; exit 1; }
# No codec delay after decoding; a 440 Hz sine at quality 0.3: 40.8 dB.
expect_snr ref.wav dec.wav 0 35
render '%vorbis.cbr(bitrate=128)' cbr.ogg
expect_probe cbr.ogg codec_name vorbis
expect_probe cbr.ogg bit_rate 128000
# CBR: 128 kbit/s over 5 s, headers included (within 10 %).
expect_near "cbr bytes" "$(stat -c %s cbr.ogg)" 80000 8000
decode cbr.ogg cbr.wav
expect_snr ref.wav cbr.wav 0 35
render '%vorbis.abr(bitrate=96, max_bitrate=160)' abr.ogg
expect_probe abr.ogg bit_rate 96000
decode abr.ogg abr.wav
expect_snr ref.wav abr.wav 0 30
render '%wav(mono)' refm.wav
render '%ogg(%vorbis(mono, quality=0.1))' mono.ogg
expect_probe mono.ogg codec_name vorbis
expect_probe mono.ogg channels 1
decode mono.ogg mono.wav
expect_snr refm.wav mono.wav 0 30
