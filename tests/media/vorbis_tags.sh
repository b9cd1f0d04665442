# %ogg(%vorbis): each file opened after metadata (reopen_on_metadata)
# starts a new logical stream whose comments are that metadata.
set -e
. "$MEDIA_LIB"
render '%ogg(%vorbis)' out.ogg \
  'max_duration(2.5, chop(every=1., metadata=[("title", "Sine Title"), ("artist", "Cliq")], sine(amplitude=0.5)))'
sed -i 's/fallible=true,/fallible=true, reopen_on_metadata=true,/' render.liq
"$CLIQ" render.liq > render.log 2>&1 || { cat render.log; exit 1; }
t=$(ffprobe -v error -select_streams a:0 -show_entries stream_tags=title -of default=nw=1:nk=1 out.ogg)
[ "$t" = "Sine Title" ] || { echo "title comment is '$t'"; exit 1; }
a=$(ffprobe -v error -select_streams a:0 -show_entries stream_tags=artist -of default=nw=1:nk=1 out.ogg)
[ "$a" = "Cliq" ] || { echo "artist comment is '$a'"; exit 1; }
# The last file holds the last 0.48 s (whole frames after the cut at 2 s).
expect_duration out.ogg 0.48 0.0001
