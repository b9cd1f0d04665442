# SIGTERM, SIGINT, and SIGINT with SIGINT ignored by the parent shell, sent
# to a real-time output.file(%wav) script after 2 s: exit status 0, the
# on_shutdown handler ran, the WAV's RIFF and data sizes are final. Then a
# second signal while an on_shutdown handler hangs exits at once.
. "$SERVICE_LIB"

cat > wav.liq <<'LIQ'
on_shutdown(fun () -> print("on_shutdown ran"))
output.file(%wav, "out.wav", sine())
LIQ

# run NAME SIGNAL COMMAND...: start, signal after 2 s, check.
run() {
  name=$1 sig=$2
  shift 2
  rm -f out.wav
  timeout --foreground -s KILL 20 "$@" > "$name.out" 2> "$name.err" &
  pid=$!
  sleep 2
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  [ "$rc" = 0 ] || { cat "$name.err"; die "$name: exit status $rc, expected 0"; }
  grep -qx 'on_shutdown ran' "$name.out" || die "$name: on_shutdown did not run"
  wav_final out.wav
  # 2 s of 44.1 kHz stereo s16 in real time: at least 1 s of it.
  [ "$(wc -c < out.wav)" -gt 176400 ] || die "$name: only $(wc -c < out.wav) bytes in 2 s"
}

run term TERM "$CLIQ" wav.liq
run int INT "$CLIQ" wav.liq
run int_ignored INT sh -c "trap '' INT; exec \"\$0\" wav.liq" "$CLIQ"

# A second signal does not wait for a hanging on_shutdown handler.
cat > hang.liq <<'LIQ'
on_shutdown(fun () -> begin print("hanging") sleep(30.) end)
output.dummy(sine())
LIQ
timeout --foreground -s KILL 20 "$CLIQ" hang.liq > hang.out 2> hang.err &
pid=$!
sleep 1
kill -TERM "$pid"
n=50
while ! grep -q hanging hang.out 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
kill -TERM "$pid"
start=$(date +%s)
wait "$pid"
rc=$?
[ "$rc" = 143 ] || die "second SIGTERM: exit status $rc, expected 143"
[ $(($(date +%s) - start)) -le 3 ] || die "second SIGTERM: the exit took more than 3 s"
grep -q 'second stop signal' hang.err || die "second SIGTERM: no message"
exit 0
