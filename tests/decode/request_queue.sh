# request.queue: an initial queue, push, push.uri, length, queue; a bad
# request is logged with its path and dropped; a push from an on_track
# callback is played after the queue ran dry (the reader wakes at once).
# Total: 1 + 2 + 3 + 1 s.
. "$(dirname "$0")/lib.sh"
make_tone "$D/a.mp3" 1 -c:a libmp3lame
make_tone "$D/b.ogg" 2 -c:a libvorbis
make_tone "$D/c.flac" 3
{ preamble
  cat << 'LIQ'
q = request.queue(queue=[request.create("a.mp3")])
q.push(request.create("annotate:title=\"B\":b.ogg"))
q.push.uri("missing.mp3")
q.push.uri("c.flac")
print(q.length())
print(list.length(q.queue()))
n = ref(0)
q.on_track(fun (m) -> begin
  n := !n + 1
  print("#{m['title']}|#{m['initial_uri']}")
  if !n == 3 then q.push.uri("a.mp3") end
end)
clock.assign_new(sync="none", [q])
output.file(%wav, "q.wav", fallible=true, on_stop=shutdown, q)
q2 = request.queue()
q2.set_queue([request.create("x.mp3"), request.create("y.mp3")])
print(list.map(request.uri, q2.queue()))
LIQ
} > "$D/q.liq"
render q
printf '4\n4\n["x.mp3", "y.mp3"]\n|a.mp3\nB|annotate:title="B":b.ogg\n|c.flac\n|a.mp3\n' > "$D/exp"
diff -u "$D/exp" "$D/q.out" || die "queue tracks differ"
len=$(samples "$D/q.wav")
near "$len" 308700 2048 || die "$len samples, expected 308700 (7 s)"
n=$(grep -c "Could not play $D/missing.mp3: No such file or directory" "$D/q.log")
[ "$n" = 1 ] || { cat "$D/q.log"; die "missing.mp3 logged $n times"; }
exit 0
