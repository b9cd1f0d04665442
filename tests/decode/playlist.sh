# playlist(): m3u with #EXTINF and relative entries, pls, a plain list, a
# directory (recursively); mime_type="audio/x-scpls"; modes normal and randomize; loop=false renders
# exactly the files' total length (mp3 + ogg + flac = 6 s through
# output.file(%wav)); remaining_files; loop=true wraps around.
. "$(dirname "$0")/lib.sh"
mkdir -p "$D/dir/sub"
make_tone "$D/dir/a.mp3" 1 -c:a libmp3lame
make_tone "$D/dir/b.ogg" 2 -c:a libvorbis
make_tone "$D/dir/sub/c.flac" 3
printf '#EXTM3U\n#EXTINF:1,Art - Tit\ndir/a.mp3\n# a comment\n#EXTINF:2,Only\ndir/b.ogg\ndir/sub/c.flac\n' > "$D/l.m3u"
printf '[playlist]\nNumberOfEntries=3\nFile1=dir/a.mp3\nTitle1=x\nFile2=dir/b.ogg\nFile3=dir/sub/c.flac\n' > "$D/l.pls"
printf '# plain\ndir/a.mp3\n\ndir/b.ogg\n%s/dir/sub/c.flac\n' "$D" > "$D/l.txt"

# playlist_case NAME ARGS: renders playlist(ARGS) with loop=false; prints
# each track's artist/title/file name.
playlist_case() {
  { preamble
    echo "s = playlist(loop=false, $2)"
    echo 'print(list.length(s.remaining_files()))'
    echo "s.on_track(fun (m) -> print(\"#{m['artist']}/#{m['title']}|#{m['filename']}\"))"
    echo 'clock.assign_new(sync="none", [s])'
    echo "output.file(%wav, \"$1.wav\", fallible=true, on_stop=shutdown, s)"
  } > "$D/$1.liq"
  render "$1"
  sed 's/|.*\//|/' "$D/$1.out" > "$D/$1.tracks"
  len=$(samples "$D/$1.wav")
  near "$len" 264600 2048 || die "$1: $len samples, expected 264600 (6 s)"
  r=$(rms "$D/$1.wav")
  near "$r" 0.3536 0.015 || die "$1: RMS $r"
}

playlist_case m3u 'mode="normal", "l.m3u"'
printf '3\nArt/Tit|a.mp3\n/Only|b.ogg\n/|c.flac\n' > "$D/exp"
diff -u "$D/exp" "$D/m3u.tracks" || die "m3u tracks differ"
printf '3\n/|a.mp3\n/|b.ogg\n/|c.flac\n' > "$D/exp"
for c in pls txt; do
  playlist_case "$c" "mode=\"normal\", \"l.$c\""
  diff -u "$D/exp" "$D/$c.tracks" || die "$c tracks differ"
done
cp "$D/l.pls" "$D/l_pls.lst"
playlist_case mime 'mode="normal", mime_type="audio/x-scpls", "l_pls.lst"'
diff -u "$D/exp" "$D/mime.tracks" || die "mime_type pls tracks differ"
playlist_case dir 'mode="normal", "dir"'
diff -u "$D/exp" "$D/dir.tracks" || die "directory tracks differ"
playlist_case rnd '"dir"'
sort "$D/rnd.tracks" | sort -n > "$D/rnd.sorted"
LC_ALL=C sort "$D/exp" > "$D/exp.sorted"
diff -u "$D/exp.sorted" "$D/rnd.sorted" || die "randomize did not play each file once"

# loop=true (the default) goes round: five tracks a b c a b.
{ preamble
  cat << 'LIQ'
n = ref(0)
s = playlist(mode="normal", "dir")
print(s.remaining_files() == ["#{getenv("D")}/dir/a.mp3", "#{getenv("D")}/dir/b.ogg", "#{getenv("D")}/dir/sub/c.flac"])
s.on_track(fun (m) -> begin
  n := !n + 1
  print(m["filename"])
  if !n == 5 then shutdown() end
end)
clock.assign_new(sync="none", [s])
output.file(%wav, "loop.wav", fallible=true, s)
LIQ
} > "$D/loop.liq"
export D
render loop
sed 's/.*\///' "$D/loop.out" > "$D/loop.tracks"
printf 'true\na.mp3\nb.ogg\nc.flac\na.mp3\nb.ogg\n' > "$D/exp"
diff -u "$D/exp" "$D/loop.tracks" || die "loop tracks differ"
exit 0
