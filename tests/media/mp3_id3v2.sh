# %mp3(id3v2=true): a file opened after metadata starts with an ID3v2 tag
# of it (reopen_on_metadata opens one per packet).
set -e
. "$MEDIA_LIB"
render '%mp3(id3v2=true)' out.mp3 \
  'max_duration(2.5, chop(every=1., metadata=[("title", "Sine Title"), ("artist", "Cliq")], sine(amplitude=0.5)))'
sed -i 's/fallible=true,/fallible=true, reopen_on_metadata=true,/' render.liq
"$CLIQ" render.liq > render.log 2>&1 || { cat render.log; exit 1; }
head -c 3 out.mp3 | grep -q ID3 || { echo "no ID3v2 tag"; exit 1; }
t=$(ffprobe -v error -show_entries format_tags=title -of default=nw=1:nk=1 out.mp3)
[ "$t" = "Sine Title" ] || { echo "title tag is '$t'"; exit 1; }
a=$(ffprobe -v error -show_entries format_tags=artist -of default=nw=1:nk=1 out.mp3)
[ "$a" = "Cliq" ] || { echo "artist tag is '$a'"; exit 1; }
expect_probe out.mp3 codec_name mp3
# Without id3v2 no tag.
render '%mp3' plain.mp3
if head -c 3 plain.mp3 | grep -q ID3; then echo "unexpected ID3 tag"; exit 1; fi
