#!/bin/sh
# The test driver behind `make check`. Runs every suite and ends with the
# line "N passed, N failed"; exits 1 when anything failed.
#
# Suites:
#   unit     tests/unit/test_*   C programs built by make check (exit 0 = pass)
#   layers   tests/layers.sh: the includes and the link map follow the
#            layers of doc/architecture.md (cli -> stdlib -> lang -> runtime).
#   install  the generated man page lists every builtin and option; the
#            systemd unit example verifies (see the suite).
#   syntax   tests/syntax/ok/*.liq must parse; their .ast golden is the
#            expected `cliq --parse-only --dump-ast` output.
#            tests/syntax/err/*.liq must fail with exit 1 and print exactly
#            their .err golden on stderr (run from the source root).
#   stdlib   every .liq of the reference Liquidsoap's standard library (when
#            the `liquidsoap` package is installed) must parse.
#   examples every examples/*.liq passes --check and runs for 5 s.
#   types    tests/types/ok/*.liq must pass `cliq --check` silently; with a
#            .types golden, `cliq -i` must print exactly it.
#            tests/types/err/*.liq must fail `cliq --check` with exit 1 and
#            print exactly their .err golden on stderr.
#            tests/types/warn/*.liq must pass `cliq --check` (exit 0) printing
#            exactly their .err golden (warnings), and fail with --strict.
#            Every `def` of stdlib/prelude/ must have a type in `cliq -h`.
#   lang     tests/lang/*.liq run with golden stdout (.out) or stderr (.err).
#   builtins tests/builtins.sh: every listed builtin runs (the stub test).
#   runtime  tests/runtime/*.liq render offline to WAV (RT_OUT) under cliq;
#            the WAV's length, per-channel RMS and peak (and windowed RMS)
#            and the stdout of the script's callbacks must match the golden
#            .expected made with Liquidsoap 2.1.3 (tests/runtime/lib.sh,
#            make-expected.sh); cliq's WAV header must be right. Needs sox.
#            tests/runtime/xfail lists known failures ("NAME reason"): they
#            count as passed while they fail, and fail once they pass.
#   service  tests/service/*.sh (signals, shutdown, logging, CLI flags): each
#            runs in a fresh temporary directory with CLIQ and SERVICE_LIB
#            (tests/service/lib.sh) set, bounded by the timeout; exit 0 = pass.

#   media    tests/media/*.sh encode real audio with cliq and check it with
#            ffprobe, ffmpeg and sox (tests/media/lib.sh); each runs in a
#            fresh directory and passes on exit 0.
#   decode   tests/decode/*.sh: decoding, requests and file sources on
#            fixtures made at test time with ffmpeg/sox (no media committed).
#
# Environment: CLIQ (the binary), BUILDDIR (where unit tests were built),
# TESTS_FILTER (a substring: only run tests whose name contains it).
set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
CLIQ=${CLIQ:-$srcdir/cliq}
BUILDDIR=${BUILDDIR:-$srcdir}
FILTER=${TESTS_FILTER:-}
TIMEOUT=${TEST_TIMEOUT:-120}
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $1"
  if [ -n "${2:-}" ] && [ -s "$2" ]; then head -40 "$2" | sed 's/^/    /'; fi
}
wanted() { [ -z "$FILTER" ] || case "$1" in *"$FILTER"*) return 0 ;; *) return 1 ;; esac; }

cd "$srcdir"

# --- unit -------------------------------------------------------------------
for t in "$BUILDDIR"/tests/unit/test_*; do
  [ -x "$t" ] || continue
  case "$t" in *.c|*.o) continue ;; esac
  name="unit/$(basename "$t")"
  wanted "$name" || continue
  if timeout "$TIMEOUT" "$t" > "$tmp/out" 2>&1; then pass; else fail "$name" "$tmp/out"; fi
done

# --- layers -----------------------------------------------------------------
if wanted "layers"; then
  if sh "$srcdir/tests/layers.sh" "$srcdir" "$BUILDDIR" > "$tmp/out" 2>&1; then pass
  else fail "layers (tests/layers.sh: lang/runtime must not use stdlib/, runtime not lang/, cli/main.c only cliq.h)" "$tmp/out"; fi
fi

# --- syntax -----------------------------------------------------------------
for f in tests/syntax/ok/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  golden="${f%.liq}.ast"
  if ! timeout "$TIMEOUT" "$CLIQ" --parse-only --dump-ast "$f" > "$tmp/out" 2> "$tmp/err"; then
    fail "$f (did not parse)" "$tmp/err"
  elif [ ! -f "$golden" ]; then
    echo "missing golden $golden" > "$tmp/err"; fail "$f" "$tmp/err"
  elif ! diff -u "$golden" "$tmp/out" > "$tmp/diff"; then
    fail "$f (tree differs)" "$tmp/diff"
  else pass; fi
done
for f in tests/syntax/err/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  golden="${f%.liq}.err"
  timeout "$TIMEOUT" "$CLIQ" --parse-only "$f" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" != 1 ]; then
    echo "exit code $rc, expected 1" | cat - "$tmp/err" > "$tmp/msg"; fail "$f" "$tmp/msg"
  elif [ ! -f "$golden" ]; then
    echo "missing golden $golden" > "$tmp/msg"; fail "$f" "$tmp/msg"
  elif ! diff -u "$golden" "$tmp/err" > "$tmp/diff"; then
    fail "$f (diagnostics differ)" "$tmp/diff"
  else pass; fi
done

# --- types ------------------------------------------------------------------
# Each case starts with a comment saying what liquidsoap 2.1.3 does with it,
# and why cliq differs where it does on purpose.
for f in tests/types/ok/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  golden="${f%.liq}.types"
  if ! timeout "$TIMEOUT" "$CLIQ" --check "$f" > /dev/null 2> "$tmp/err" || [ -s "$tmp/err" ]; then
    fail "$f (rejected)" "$tmp/err"
  elif [ -f "$golden" ] && ! { timeout "$TIMEOUT" "$CLIQ" -i "$f" > "$tmp/out" 2>&1 &&
                               diff -u "$golden" "$tmp/out" > "$tmp/diff"; }; then
    fail "$f (types differ)" "$tmp/diff"
  else pass; fi
done
# Every function the prelude defines has a type (`cliq -h NAME`).
for name in $(sed -n 's/^def \(rec \)\{0,1\}\([A-Za-z0-9_.]*\).*/\2/p' stdlib/prelude/*.liq); do
  wanted "tests/types/prelude/$name" || continue
  if timeout "$TIMEOUT" "$CLIQ" -h "$name" 2>&1 | grep -q '^Type: '; then pass
  else fail "tests/types/prelude/$name (cliq -h gives no type)"; fi
done
for f in tests/types/warn/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  if ! timeout "$TIMEOUT" "$CLIQ" --check "$f" > /dev/null 2> "$tmp/err"; then
    fail "$f (rejected)" "$tmp/err"
  elif ! diff -u "${f%.liq}.err" "$tmp/err" > "$tmp/diff"; then
    fail "$f (warnings differ)" "$tmp/diff"
  elif timeout "$TIMEOUT" "$CLIQ" --check --strict "$f" > /dev/null 2>&1; then
    fail "$f (passes --strict)"
  else pass; fi
done
for f in tests/types/err/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  timeout "$TIMEOUT" "$CLIQ" --check "$f" > /dev/null 2> "$tmp/err"
  rc=$?
  if [ "$rc" != 1 ]; then
    echo "exit code $rc, expected 1" | cat - "$tmp/err" > "$tmp/msg"; fail "$f" "$tmp/msg"
  elif ! diff -u "${f%.liq}.err" "$tmp/err" > "$tmp/diff"; then
    fail "$f (diagnostics differ)" "$tmp/diff"
  else pass; fi
done

# --- lang -------------------------------------------------------------------
# tests/lang/NAME.liq runs with `cliq NAME.liq` from the source root: with a
# NAME.out golden it must exit 0 with exactly that stdout; with a NAME.err
# golden it must exit 1 with exactly that stderr; with a NAME.loglines, each
# of its lines must appear in the output (log lines, without their time
# stamps). Expected outputs were
# checked against Liquidsoap 2.1.3 except where a test's header says it is
# cliq-specific. CLIQ_GC_LOOP_SCALE scales gc_loop.liq down (set it for slow
# GC-stress or sanitizer builds: e.g. 10).
for f in tests/lang/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  out="${f%.liq}.out"
  err="${f%.liq}.err"
  # ASan's quarantine holds on to freed memory: the peak-RSS test measures
  # with it off (a no-op in builds without ASan).
  asan_opts=${ASAN_OPTIONS:-}
  case "$f" in *gc_loop.liq) asan_opts="quarantine_size_mb=0${asan_opts:+:$asan_opts}" ;; esac
  # stream_deep_callback recurses 15000 calls deep on a clock thread: above
  # the depth bound of GC-stress builds (2000), so it names its own bound.
  max_depth=${CLIQ_MAX_DEPTH:-}
  case "$f" in *stream_deep_callback.liq) max_depth=20000 ;; esac
  CLIQ_MAX_DEPTH=$max_depth ASAN_OPTIONS=$asan_opts timeout "$TIMEOUT" "$CLIQ" "$f" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ -f "$err" ]; then
    if [ "$rc" != 1 ]; then
      echo "exit code $rc, expected 1" | cat - "$tmp/err" > "$tmp/msg"; fail "$f" "$tmp/msg"
    elif ! diff -u "$err" "$tmp/err" > "$tmp/diff"; then fail "$f (stderr differs)" "$tmp/diff"
    else pass; fi
  elif [ -f "$out" ]; then
    if [ "$rc" != 0 ]; then
      echo "exit code $rc, expected 0" | cat - "$tmp/err" > "$tmp/msg"; fail "$f" "$tmp/msg"
    elif ! diff -u "$out" "$tmp/out" > "$tmp/diff"; then fail "$f (stdout differs)" "$tmp/diff"
    elif [ -f "${f%.liq}.loglines" ] && ! (while IFS= read -r line; do
           cat "$tmp/out" "$tmp/err" | grep -qF -- "$line" || { echo "missing log line: $line"; exit 1; }
         done < "${f%.liq}.loglines") > "$tmp/msg"; then fail "$f (log)" "$tmp/msg"
    else pass; fi
  else
    echo "missing golden $out or $err" > "$tmp/msg"; fail "$f" "$tmp/msg"
  fi
done

# --- runtime ----------------------------------------------------------------
# See tests/runtime/lib.sh for the golden format and the tolerances.
rt_need_sox=1
rt_xfail=0
for f in tests/runtime/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  if [ "$rt_need_sox" = 1 ]; then
    rt_need_sox=0
    . tests/runtime/lib.sh
    if ! command -v sox > /dev/null || ! command -v soxi > /dev/null; then
      echo "sox and soxi are needed by the runtime suite" > "$tmp/msg"
      fail "tests/runtime (sox missing)" "$tmp/msg"
      break
    fi
  fi
  d=$tmp/rt
  rm -rf "$d"; mkdir -p "$d"
  RT_OUT=$d/out.wav timeout "$TIMEOUT" "$CLIQ" "$f" > "$d/stdout" 2> "$d/stderr" < /dev/null
  rc=$?
  : > "$tmp/msg"
  if [ "$rc" != 0 ]; then
    echo "exit code $rc, expected 0" | cat - "$d/stderr" > "$tmp/msg"
  elif [ -s "$d/out.wav" ] && ! rt_header_ok "$d/out.wav"; then
    echo "WAV header sizes do not match the data" > "$tmp/msg"
  elif ! { rt_result "$f" "$d/out.wav" "$d/stdout" > "$d/result" &&
           rt_compare "${f%.liq}.expected" "$d/result" "$(rt_directive "$f" tol 0.5)" \
             > "$tmp/diff"; }; then
    { echo "render differs from the golden"; cat "$tmp/diff"; } > "$tmp/msg"
  fi
  # A known failure (tests/runtime/xfail: "NAME reason") must still fail.
  if grep -q "^$(basename "$f" .liq) " tests/runtime/xfail; then
    if [ -s "$tmp/msg" ]; then rt_xfail=$((rt_xfail + 1)); pass
    else echo "passes now: remove it from tests/runtime/xfail" > "$tmp/msg"; fail "$f" "$tmp/msg"; fi
  elif [ -s "$tmp/msg" ]; then fail "$f" "$tmp/msg"
  else pass; fi
done
[ "$rt_xfail" = 0 ] || echo "runtime: $rt_xfail known failures listed in tests/runtime/xfail"

# --- service ----------------------------------------------------------------
for f in tests/service/*.sh; do
  case "$f" in */lib.sh) continue ;; esac
  wanted "$f" || continue
  d=$tmp/service
  rm -rf "$d"; mkdir -p "$d"
  if (cd "$d" && CLIQ="$CLIQ" SERVICE_LIB="$srcdir/tests/service/lib.sh" \
        timeout "$TIMEOUT" sh "$srcdir/$f") > "$tmp/out" 2>&1; then pass
  else fail "$f" "$tmp/out"; fi
done

# --- builtins ---------------------------------------------------------------
# tests/builtins.sh: every name of `cliq --list-functions` runs (called with
# typed dummy arguments, or at least bound): no type-only stub. One test per
# name. stdlib/liquidsoap_names.txt (the "not implemented yet" hints) must
# stay sorted bytewise: lang/builtins.c searches it by bisection.
if wanted "builtins"; then
  sh tests/builtins.sh "$CLIQ" > "$tmp/builtins" 2>&1
  while read -r word rest; do
    case "$word" in
      ok) pass ;;
      *) echo "$word $rest" > "$tmp/msg"; fail "builtins: ${rest%%:*}" "$tmp/msg" ;;
    esac
  done < "$tmp/builtins"
  [ -s "$tmp/builtins" ] || fail "builtins (tests/builtins.sh printed nothing)"
  if LC_ALL=C sort -c -u stdlib/liquidsoap_names.txt 2> "$tmp/msg"; then pass
  else fail "builtins: stdlib/liquidsoap_names.txt is not sorted (LC_ALL=C sort -u)" "$tmp/msg"; fi
fi


# --- media -------------------------------------------------------------------
for f in tests/media/*.sh; do
  [ -f "$f" ] || continue
  case "$f" in */lib.sh) continue ;; esac
  wanted "$f" || continue
  d=$tmp/media
  rm -rf "$d"; mkdir -p "$d"
  if (cd "$d" && CLIQ=$CLIQ MEDIA_LIB=$srcdir/tests/media/lib.sh timeout "$TIMEOUT" sh "$srcdir/$f") \
       > "$tmp/msg" 2>&1 < /dev/null; then pass
  else fail "$f" "$tmp/msg"; fi
done

# --- decode -----------------------------------------------------------------
# tests/decode/*.sh: each script is one test, run as `sh SCRIPT CLIQ DIR`
# from the source root with a fresh scratch DIR; it makes its fixtures there
# (ffmpeg, sox) and exits 0 when everything it checks holds.
for f in tests/decode/*.sh; do
  [ -f "$f" ] || continue
  case "$f" in */lib.sh) continue ;; esac
  wanted "$f" || continue
  d=$tmp/decode
  rm -rf "$d"; mkdir -p "$d"
  if timeout "$TIMEOUT" sh "$f" "$CLIQ" "$d" > "$tmp/out" 2>&1; then pass
  else fail "$f" "$tmp/out"; fi
done

# --- stdlib of the reference implementation ---------------------------------
for f in /usr/share/liquidsoap/*/libs/*.liq; do
  [ -f "$f" ] || continue
  name="stdlib/$(basename "$f")"
  wanted "$name" || continue
  if timeout "$TIMEOUT" "$CLIQ" --parse-only "$f" > "$tmp/out" 2> "$tmp/err"; then pass
  else fail "$name" "$tmp/err"; fi
done
# Optional: without the liquidsoap package the suite is skipped with a note.
if wanted "stdlib/" && ! ls /usr/share/liquidsoap/*/libs/*.liq > /dev/null 2>&1; then
  echo "stdlib: skipped (the reference liquidsoap is not installed; ./build.sh --test-deps installs it)"
fi

# --- examples ---------------------------------------------------------------
# Every example passes --check silently, then runs for 5 s in an empty
# directory (the files it writes go there): it must end by itself with exit
# 0 or still be running (killed by timeout: 124), with no error on stderr.
for f in examples/*.liq; do
  [ -f "$f" ] || continue
  wanted "$f" || continue
  d=$tmp/example
  rm -rf "$d"; mkdir -p "$d"
  if ! timeout "$TIMEOUT" "$CLIQ" --check "$f" > "$tmp/out" 2> "$tmp/err" || [ -s "$tmp/err" ]; then
    fail "$f (rejected by --check)" "$tmp/err"
    continue
  fi
  (cd "$d" && timeout 5 "$CLIQ" "$srcdir/$f" > "$tmp/out" 2> "$tmp/err" < /dev/null)
  rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then
    echo "exit code $rc, expected 0 (or 124: still running after 5 s)" | cat - "$tmp/err" > "$tmp/msg"
    fail "$f (run)" "$tmp/msg"
  elif grep -qi 'error\|unbound\|undefined' "$tmp/err"; then fail "$f (errors while running)" "$tmp/err"
  else pass; fi
done

# --- install: man page and systemd unit -------------------------------------
# cliq.1 (generated in BUILDDIR by doc/gen-man.sh) renders without groff
# warnings and shows every builtin of --list-functions ("NAME : type") and
# every option of --help; doc/cliq.service passes systemd-analyze verify
# (pointed at the built binary) when systemd is installed.
if wanted "install/"; then
  if ! command -v groff > /dev/null; then
    echo "groff is needed to render the man page (./build.sh --test-deps installs it)" > "$tmp/msg"
    fail "install/cliq.1 (groff missing)" "$tmp/msg"
  elif ! groff -man -Tascii -P-cbou -ww "$BUILDDIR/cliq.1" > "$tmp/man" 2> "$tmp/err" || [ -s "$tmp/err" ]; then
    fail "install/cliq.1 (groff warnings)" "$tmp/err"
  else
    "$CLIQ" --list-functions | sed 's/ : .*//' | while IFS= read -r n; do
      grep -qF -e "       $n : " "$tmp/man" || echo "builtin $n is not in cliq.1"
    done > "$tmp/msg"
    "$CLIQ" --help | sed -n 's/^ \{1,\}\(-[^ ].*\)$/\1/p' | sed 's/  .*//' | while IFS= read -r o; do
      grep -qxF -e "       $o" "$tmp/man" || grep -qF -e "       $o " "$tmp/man" || echo "option $o is not in cliq.1"
    done >> "$tmp/msg"
    if [ -s "$tmp/msg" ]; then fail "install/cliq.1 (incomplete)" "$tmp/msg"; else pass; fi
  fi
  if command -v systemd-analyze > /dev/null; then
    sed -e "s|/usr/local/bin/cliq|$CLIQ|g" -e '/^Documentation=/d' doc/cliq.service > "$tmp/cliq.service"
    if (cd "$tmp" && systemd-analyze verify ./cliq.service) > "$tmp/err" 2>&1 && ! [ -s "$tmp/err" ]; then pass
    else fail "install/cliq.service (systemd-analyze verify)" "$tmp/err"; fi
  else
    echo "install/cliq.service: not verified (systemd-analyze is not installed)"
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
