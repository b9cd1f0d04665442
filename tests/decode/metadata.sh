# Tags become metadata with Liquidsoap's names (title, artist, album,
# tracknumber) in mp3 (ID3v2), ogg/vorbis and flac (Vorbis comments):
# through request.metadata after request.resolve, and at the track start
# of single(). annotate: metadata comes first and wins over the tags.
. "$(dirname "$0")/lib.sh"
for ext in mp3 ogg flac; do
  make_tone "$D/t.$ext" 1 -metadata title="Song $ext" -metadata artist="Band" \
    -metadata album="Record" -metadata track=7
done
{ preamble
  cat << 'LIQ'
def show(m) =
  print("#{m['title']}|#{m['artist']}|#{m['album']}|#{m['tracknumber']}|#{m['foo']}")
end
list.iter(fun (ext) -> begin
  r = request.create("t.#{ext}")
  print(request.resolve(r))
  show(request.metadata(r))
  print(request.filename(r) == "#{getenv("PWD")}/t.#{ext}")
end, ["mp3", "ogg", "flac"])
r = request.create("annotate:title=\"Mine\",foo=\"b\\\"ar\":t.ogg")
show(request.metadata(r))
print(request.filename(r))
ignore(request.resolve(r))
show(request.metadata(r))
request.destroy(r)
s = once(single("annotate:foo=\"x\":t.flac"))
s.on_track(show)
clock.assign_new(sync="none", [s])
output.file(%wav, "meta.wav", fallible=true, on_stop=shutdown, s)
LIQ
} > "$D/meta.liq"
export PWD="$D"
render meta
cat > "$D/expected" << 'EOF2'
true
Song mp3|Band|Record|7|
true
true
Song ogg|Band|Record|7|
true
true
Song flac|Band|Record|7|
true
Mine||||b"ar

Mine|Band|Record|7|b"ar
Song flac|Band|Record|7|x
EOF2
diff -u "$D/expected" "$D/meta.out" || die "metadata differ"
