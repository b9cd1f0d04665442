# %opus: each file opened after metadata (reopen_on_metadata) starts a new
# logical stream whose OpusTags carry it.
set -e
. "$MEDIA_LIB"
render '%opus' out.opus \
  'max_duration(2.5, chop(every=1., metadata=[("title", "Sine Title"), ("artist", "Cliq")], sine(amplitude=0.5)))'
sed -i 's/fallible=true,/fallible=true, reopen_on_metadata=true,/' render.liq
"$CLIQ" render.liq > render.log 2>&1 || { cat render.log; exit 1; }
t=$(ffprobe -v error -select_streams a:0 -show_entries stream_tags=title -of default=nw=1:nk=1 out.opus)
[ "$t" = "Sine Title" ] || { echo "title is '$t'"; exit 1; }
a=$(ffprobe -v error -select_streams a:0 -show_entries stream_tags=artist -of default=nw=1:nk=1 out.opus)
[ "$a" = "Cliq" ] || { echo "artist is '$a'"; exit 1; }
decode out.opus dec.wav
# The last file: the 0.48 s after the cut at 2 s (23040 samples at 48 kHz).
[ "$(soxi -s dec.wav)" = 23040 ] || { echo "decoded $(soxi -s dec.wav) samples"; exit 1; }
