# playlist reloading: reload_mode="rounds" picks up a rewritten playlist
# after a round and calls on_reload; .reload(uri=...) switches playlists;
# prefix annotates every entry; reload_mode="watch" on a directory picks up
# a file added while streaming (real time, about 7 s).
. "$(dirname "$0")/lib.sh"
mkdir -p "$D/dir"
make_tone "$D/a.wav" 1
make_tone "$D/b.ogg" 1 -c:a libvorbis
printf 'a.wav\n' > "$D/l.m3u"
printf 'b.ogg\n' > "$D/l2.m3u"
{ preamble
  cat << 'LIQ'
n = ref(0)
reloads = ref(0)
s = playlist(mode="normal", reload=1, reload_mode="rounds", prefix="annotate:foo=\"bar\":",
             on_reload=fun (_) -> reloads := !reloads + 1, "l.m3u")
# The playlist was loaded at creation: rewrite it now, for the next round.
file.write(data="b.ogg\n", "l.m3u")
s.on_track(fun (m) -> begin
  n := !n + 1
  print("#{m['initial_uri']}")
  if !n == 3 then
    print(!reloads > 0)
    shutdown()
  end
end)
t = playlist(mode="normal", "l.m3u")
t.reload(uri="l2.m3u")
print(t.remaining_files())
clock.assign_new(sync="none", [s])
output.file(%wav, "rounds.wav", fallible=true, s)
LIQ
} > "$D/rounds.liq"
render rounds
cat > "$D/exp" << EOF2
["$D/b.ogg"]
annotate:foo="bar":$D/a.wav
annotate:foo="bar":$D/b.ogg
annotate:foo="bar":$D/b.ogg
true
EOF2
diff -u "$D/exp" "$D/rounds.out" || die "rounds reload differs"

cp "$D/a.wav" "$D/dir/a.wav"
{ preamble
  echo 's = playlist(mode="normal", reload_mode="watch", "dir")'
  echo 's.on_track(fun (m) -> print(m["filename"]))'
  echo 'output.file(%wav, "watch.wav", fallible=true, s)'
  echo 'thread.run(delay=7., shutdown)'
} > "$D/watch.liq"
(cd "$D" && "$CLIQ" watch.liq > watch.out 2> watch.log) &
pid=$!
sleep 1
cp "$D/b.ogg" "$D/tmp.ogg" && mv "$D/tmp.ogg" "$D/dir/b.ogg"
wait $pid || { cat "$D/watch.log"; die "watch script failed"; }
grep -q "^$D/dir/b.ogg\$" "$D/watch.out" || { cat "$D/watch.out"; die "the new file was not played"; }
exit 0
