# Bad media: a missing, an empty, a garbage, a truncated file, a directory
# and (unless we are root) an unreadable file inside a playlist. Each bad one is logged once
# with its path and the reason and skipped; the truncated one plays what it
# has; the stream goes on with the good files, so the render is their total
# length. A playlist of only bad files (loop=true) is unavailable: the
# fallback plays its sine for 2 s of real time, and the player does not
# spin (under 0.5 s of CPU) nor log a bad file more than once.
. "$(dirname "$0")/lib.sh"
make_tone "$D/good1.wav" 1
make_tone "$D/good2.flac" 1
make_tone "$D/full.mp3" 2 -c:a libmp3lame
head -c $(($(wc -c < "$D/full.mp3") / 2)) "$D/full.mp3" > "$D/trunc.mp3"
head -c 200000 /dev/urandom > "$D/garbage.mp3"
: > "$D/empty.mp3"
make_tone "$D/unreadable.ogg" 1 -c:a libvorbis
chmod 000 "$D/unreadable.ogg"
ffmpeg -nostdin -loglevel quiet -y -i "$D/trunc.mp3" -c:a pcm_s16le "$D/trunc_ff.wav"
tl=$(samples "$D/trunc_ff.wav")
[ "$tl" -gt 30000 ] || die "the truncated fixture decodes to $tl samples"
expected=$((88200 + tl))
mkdir "$D/dir.mp3"
bad="missing.mp3 empty.mp3 garbage.mp3 dir.mp3"
if [ "$(id -u)" = 0 ]; then
  expected=$((expected + 44100)) # root reads it anyway
else
  bad="$bad unreadable.ogg"
fi
printf 'missing.mp3\ngood1.wav\nempty.mp3\ngarbage.mp3\ntrunc.mp3\nunreadable.ogg\ndir.mp3\ngood2.flac\n' > "$D/l.m3u"
{ preamble
  echo 's = playlist(mode="normal", loop=false, "l.m3u")'
  echo 'clock.assign_new(sync="none", [s])'
  echo 'output.file(%wav, "bad.wav", fallible=true, on_stop=shutdown, s)'
} > "$D/bad.liq"
render bad
len=$(samples "$D/bad.wav")
near "$len" "$expected" 2048 || die "$len samples, expected $expected"
for f in $bad; do
  n=$(grep -c "Could not play $D/$f: " "$D/bad.log")
  [ "$n" = 1 ] || { cat "$D/bad.log"; die "$f logged $n times"; }
done
grep -q "missing.mp3: No such file or directory" "$D/bad.log" || die "no reason for missing.mp3"
grep -q "empty.mp3: empty file" "$D/bad.log" || die "no reason for empty.mp3"
grep -q "dir.mp3: not a regular file" "$D/bad.log" || die "no reason for dir.mp3"

printf 'missing.mp3\nempty.mp3\ngarbage.mp3\n' > "$D/allbad.m3u"
{ preamble
  echo 'p = playlist("allbad.m3u")'
  echo 'print(p.fallible)'
  echo 's = fallback(track_sensitive=false, [p, sine()])'
  echo 'output.file(%wav, "allbad.wav", s)'
  echo 'thread.run(delay=2., shutdown)'
} > "$D/allbad.liq"
(cd "$D" && "$CLIQ" allbad.liq > allbad.out 2> allbad.log; echo "rc=$?" > allbad.rc; times > allbad.times)
grep -q "rc=0" "$D/allbad.rc" || { cat "$D/allbad.log"; die "all-bad script failed"; }
[ "$(cat "$D/allbad.out")" = true ] || die "playlist is not fallible"
len=$(samples "$D/allbad.wav")
[ "$len" -gt 44100 ] || die "all-bad: only $len samples of fallback"
cpu=$(sed -n 2p "$D/allbad.times" | awk '{ split($1, u, "m"); split($2, s, "m"); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
near "$cpu" 0 0.5 || die "all-bad playlist used ${cpu}s of CPU in 2 s: spinning"
for f in missing.mp3 empty.mp3 garbage.mp3; do
  n=$(grep -c "Could not play $D/$f: " "$D/allbad.log")
  [ "$n" = 1 ] || die "all-bad: $f logged $n times"
done
exit 0
