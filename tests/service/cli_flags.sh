# The command line's service flags: -q and -v (console logging), --debug
# (level 5), --list-settings, --help, and --daemon with --pidfile (checks
# first, detaches, writes the pid file, shuts down cleanly on SIGTERM and
# removes the pid file).
. "$SERVICE_LIB"
t() { timeout --foreground -s KILL 20 "$@"; }

t "$CLIQ" 'log.important("loud") print("done")' > out 2> err || die "plain run failed"
grep -q '\[lang:3\] loud$' err || die "no log line without -q"
t "$CLIQ" -q 'log.critical("loud") print("done")' > out 2> err || die "-q run failed"
[ ! -s err ] || { cat err; die "-q: log lines on stderr"; }
grep -qx done out || die "-q: the script did not run"
t "$CLIQ" -q -v 'log.important("again")' > out 2> err || die "-q -v run failed"
grep -q 'again$' err || die "-v after -q: no log line"
t "$CLIQ" --debug 'log.debug("deep")' > out 2> err || die "--debug run failed"
grep -q '\[lang:5\] deep$' err || die "--debug: no debug line"
t "$CLIQ" 'log.debug("deep")' > out 2> err || die "run failed"
[ ! -s err ] || die "debug line without --debug"
# 2.1.3's log.level form, and settings.log.level filtering the engine's lines.
t "$CLIQ" 'log.level.set(4) print(log.level()) log.info("shown")' > out 2> err || die "log.level failed"
grep -qx 4 out && grep -q '\[lang:4\] shown$' err || die "log.level.set(4) did not take effect"

t "$CLIQ" --list-settings > out || die "--list-settings failed"
for s in 'settings.log.level.set(3)' 'settings.log.stdout.set(true)' 'settings.log.file.set(false)' \
         'settings.log.file.path.set("<syslogdir>/<script>.log")' 'settings.log.file.append.set(true)' \
         'settings.frame.duration.set(0.04)'; do
  grep -qxF "$s" out || die "--list-settings lacks $s"
done
t "$CLIQ" --help > out || die "--help failed"
for o in --verbose --quiet --debug --version --list-settings --daemon --pidfile; do
  grep -q -- "$o" out || die "--help does not list $o"
done
t "$CLIQ" --frobnicate x 2> err && die "an unknown option was accepted"

# --daemon: a script with a type error is reported on the terminal.
t "$CLIQ" --daemon 'x = 1 + "a"' > out 2> err && die "--daemon ran a script with a type error"
grep -q 'error' err || die "--daemon: the type error was not reported"
cat > d.liq <<'LIQ'
on_shutdown(fun () -> file.write(data="clean", "shutdown.txt"))
output.file(%wav, "out.wav", sine())
LIQ
t "$CLIQ" --daemon --pidfile "$(pwd)/d.pid" d.liq > out 2> err || { cat err; die "--daemon failed"; }
[ -s d.pid ] || die "--daemon: no pid file"
pid=$(cat d.pid)
kill -0 "$pid" 2> /dev/null || die "--daemon: pid $pid is not running"
sleep 1
kill -TERM "$pid"
n=100
while kill -0 "$pid" 2> /dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
kill -0 "$pid" 2> /dev/null && { kill -KILL "$pid"; die "--daemon: still running 10 s after SIGTERM"; }
[ ! -e d.pid ] || die "--daemon: the pid file was not removed"
[ "$(cat shutdown.txt 2> /dev/null)" = clean ] || die "--daemon: on_shutdown did not run"
wav_final out.wav
exit 0
