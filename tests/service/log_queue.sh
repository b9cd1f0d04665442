# Logging from a clock thread does not wait for the console: while stderr
# is a pipe nobody reads (the writer thread blocks on it), a burst of 20000
# lines fills the bounded queue; the rest are dropped and counted, and the
# count is logged once the queue drains. The stream keeps its real-time
# pace meanwhile (the WAV grows), and shuts down cleanly. When nobody ever
# reads the pipe, the exit waits for the writer LIQ_LOG_STOP_SECONDS (5 s),
# not forever.
. "$SERVICE_LIB"

cat > burst.liq <<'LIQ'
def burst() =
  for i = 1 to 20000 do log.severe("line #{i} of the burst") end
  print("burst done")
end
thread.run(delay=0.5, burst)
output.file(%wav, "out.wav", sine())
LIQ
mkfifo pipe
# Held open read-write so that cliq's `2> pipe` does not wait for a reader;
# nothing reads it for 3 s.
exec 3<> pipe
( exec 3<&-; sleep 3; cat pipe > err ) &
reader=$!
timeout --foreground -s KILL 20 "$CLIQ" burst.liq > out 2> pipe 3<&- &
pid=$!
sleep 2
# 1.5 s after the burst: it finished although nobody has read stderr.
grep -qx 'burst done' out || die "the burst did not finish while stderr was blocked"
kill -TERM "$pid"
wait "$pid"
rc=$?
exec 3<&-
wait "$reader"
[ "$rc" = 0 ] || { tail -5 err; die "exit status $rc"; }
grep -q '\[log:2\] [0-9]* log lines were dropped: the log queue (512 lines) was full\.$' err ||
  { tail -5 err; die "no dropped-lines report"; }
wav_final out.wav
[ "$(wc -c < out.wav)" -gt 176400 ] || die "the stream stalled: $(wc -c < out.wav) bytes"

cat > stuck.liq <<'LIQ'
thread.run(delay=0.5, fun () -> for i = 1 to 20000 do log.severe("line #{i}") end)
output.dummy(sine())
thread.run(delay=1., shutdown)
LIQ
exec 3<> pipe
start=$(date +%s)
timeout --foreground -s KILL 30 "$CLIQ" stuck.liq > out 2> pipe 3<&-
rc=$?
exec 3<&-
[ "$rc" = 0 ] || die "blocked stderr: exit status $rc"
[ $(($(date +%s) - start)) -le 9 ] || die "blocked stderr: the exit took $(($(date +%s) - start)) s"
exit 0
