# settings.log.level 2, settings.log.file on (its path a template: <script>
# and strftime's %Y), settings.log.stdout off: the file has only lines of
# level <= 2 (the engine's level-3 lines and the script's are filtered),
# stdout and stderr have no log line. Moving the file away and sending SIGHUP
# creates a new one, which gets the next lines. A log file that cannot be
# opened stops the start with exit status 1 and says why.
. "$SERVICE_LIB"

dir=$(pwd)
cat > svc.liq <<LIQ
settings.log.level.set(2)
settings.log.file.set(true)
settings.log.stdout.set(false)
settings.log.file.path.set("$dir/<script>-%Y.log")
log.important("level 3, filtered")
thread.run(every=0.1, fun () -> log.severe("tick"))
thread.run(every=0.1, fun () -> log.important("tock, filtered"))
thread.run(every=0.1, fun () -> log(level=4, label="x", "filtered too"))
output.dummy(sine())
LIQ
log=svc-$(date +%Y).log
timeout --foreground -s KILL 20 "$CLIQ" svc.liq > out 2> err &
pid=$!
wait_for "$log" || die "no log file $log"
sleep 1
mv "$log" moved.log
kill -HUP "$pid"
wait_for "$log" || die "SIGHUP: no new log file"
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || { cat err; die "exit status $rc"; }
[ ! -s out ] || { cat out; die "stdout is not empty"; }
[ ! -s err ] || { cat err; die "stderr is not empty"; }
for f in moved.log "$log"; do
  head -1 "$f" | grep -q '>>> LOG START$' || die "$f: no LOG START line"
  grep -q '\[lang:2\] tick$' "$f" || die "$f: no tick line"
  # Every line but LOG START is "date time [label:level] message", level <= 2.
  bad=$(sed 1d "$f" | grep -v '^[0-9/]* [0-9:]* \[[^]]*:[12]\] ')
  [ -z "$bad" ] || die "$f: lines above level 2 or malformed: $bad"
done

cat > nodir.liq <<LIQ
settings.log.file.set(true)
settings.log.file.path.set("$dir/missing/<script>.log")
output.dummy(sine())
LIQ
timeout --foreground -s KILL 20 "$CLIQ" nodir.liq > out 2> err
rc=$?
[ "$rc" = 1 ] || die "missing log directory: exit status $rc, expected 1"
grep -q "log directory \"$dir/missing\" does not exist" err || { cat err; die "missing log directory: no message"; }
exit 0
