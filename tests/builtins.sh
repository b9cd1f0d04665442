#!/bin/sh
# The stub test: every name `cliq --list-functions` lists must run. A name
# is in the builtin registry only when it is bound when a script runs
# (issue 12): a type with no value behind it is a stub, and this walk is
# what keeps one from coming back.
#
# For each name (operators and keywords excluded: the evaluator implements
# them), a script is generated that calls it with typed dummy arguments
# made from its type (int 1, float 1., string "x", [] for lists, null() for
# nullables, sine() for sources, %wav for formats, fun (_) -> ... for
# functions); where no dummy can be typed (records, labelled callbacks...)
# or the call has effects outside the test (exit, shutdown, sleep,
# outputs that would stream), the script only evaluates the name. Errors
# the call raises are caught: bad input may fail, never crash. The name
# fails when the script does not reach its end, exits non-zero, or reports
# an unbound name, a missing method or something not implemented.
#
# Last, `-h` of a name cliq lacks must say so. Prints "ok NAME (called|bound)"
# or "FAIL NAME: why" per name; run by
# tests/run-tests.sh, which counts the lines. Scripts run in a mktemp
# directory (file builtins write there), each under a timeout.
#
# Usage: tests/builtins.sh CLIQ [FILTER]
set -u
CLIQ=$1
FILTER=${2:-}
TIMEOUT=${BUILTINS_TIMEOUT:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# No call, only the value: these end the script, block it or start
# streaming (an output, or buffer, an active source, would run until the
# timeout, as in 2.1.3).
nocall=' exit shutdown sleep output.dummy output.file buffer clock.assign_new '

"$CLIQ" --list-functions > list.txt 2> list.err || { echo "FAIL --list-functions: $(head -1 list.err)"; exit 0; }

# NAME<TAB>CALL (empty CALL: no dummy call can be typed).
awk -v nocall="$nocall" '
function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
# The index of the first top-level occurrence of sep in s, or 0.
function top(s, sep,   i, d, c, n) {
  d = 0; n = length(sep)
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "(" || c == "[" || c == "{") d++
    else if (c == ")" || c == "]" || c == "}") d--
    else if (d == 0 && substr(s, i, n) == sep) return i
  }
  return 0
}
# Whether the bracket opening s closes at its last character.
function wrapped(s, op, cl,   i, d, c) {
  if (substr(s, 1, 1) != op || substr(s, length(s), 1) != cl) return 0
  d = 0
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "(" || c == "[" || c == "{") d++
    else if (c == ")" || c == "]" || c == "}") { d--; if (d == 0 && i < length(s)) return 0 }
  }
  return 1
}
# Splits the top-level comma-separated list s into parts[1..n].
function split_top(s, parts,   n, i) {
  n = 0
  while ((i = top(s, ",")) > 0) { parts[++n] = trim(substr(s, 1, i - 1)); s = substr(s, i + 1) }
  if (trim(s) != "") parts[++n] = trim(s)
  return n
}
# A value of type t written in the language, or "" when none is made.
function dummy(t,   i, ps, n, k, p, args, r, inner, parts) {
  t = trim(t)
  if ((i = top(t, " -> ")) > 0) {
    ps = trim(substr(t, 1, i - 1)); r = dummy(substr(t, i + 4))
    if (r == "") return ""
    if (wrapped(ps, "(", ")")) ps = substr(ps, 2, length(ps) - 2)
    n = split_top(ps, parts); args = ""
    for (k = 1; k <= n; k++) {
      if (parts[k] ~ /^\?/ || parts[k] ~ /^[a-z_]+ :/) return ""
      args = args (k > 1 ? ", " : "") "_"
    }
    return "(fun (" args ") -> " r ")"
  }
  if (substr(t, length(t), 1) == "?") return "null()"
  if (wrapped(t, "(", ")")) {
    inner = substr(t, 2, length(t) - 2)
    if (top(inner, " * ") == 0) return dummy(inner)
    n = 0
    while ((i = top(inner, " * ")) > 0) { parts[++n] = substr(inner, 1, i - 1); inner = substr(inner, i + 3) }
    parts[++n] = inner; args = ""
    for (k = 1; k <= n; k++) { p = dummy(parts[k]); if (p == "") return ""; args = args (k > 1 ? ", " : "") p }
    return "(" args ")"
  }
  if (wrapped(t, "[", "]")) return "[]"
  if (wrapped(t, "{", "}")) {
    inner = trim(substr(t, 2, length(t) - 2))
    if (inner ~ /^[a-z_]+ :/) return ""
    return dummy(inner)
  }
  if (t ~ /^getter\(/ && wrapped(substr(t, 7), "(", ")")) return dummy(substr(t, 8, length(t) - 8))
  if (t ~ /^ref\(/ && wrapped(substr(t, 4), "(", ")")) {
    p = dummy(substr(t, 5, length(t) - 5)); return p == "" ? "" : "ref(" p ")"
  }
  if (t ~ /^source\(/) return "sine()"
  if (t ~ /^format\(/) return "%wav"
  if (t ~ /^error\./) return "error.failure"
  if (t == "int") return "1"
  if (t == "float") return "1."
  if (t == "string") return "\"x\""
  if (t == "bool") return "true"
  if (t == "unit") return "()"
  if (t ~ /^'"'"'[a-z]+$/) return "1"
  return ""
}
# The call of name with dummies for its mandatory parameters, or "".
function call(name, t,   i, ps, n, parts, k, p, d, args) {
  if (index(nocall, " " name " ")) return ""
  if ((i = index(t, " where ")) > 0) t = substr(t, 1, i - 1)
  if ((i = top(t, " -> ")) == 0) return ""
  ps = trim(substr(t, 1, i - 1))
  if (!wrapped(ps, "(", ")")) return ""
  n = split_top(substr(ps, 2, length(ps) - 2), parts); args = ""
  for (k = 1; k <= n; k++) {
    p = parts[k]
    if (p ~ /^\?/) continue
    if (p ~ /^[a-z_0-9]+ : /) {
      d = dummy(substr(p, index(p, " : ") + 3)); if (d == "") return ""
      args = args (args != "" ? ", " : "") substr(p, 1, index(p, " : ") - 1) "=" d
    } else {
      d = dummy(p); if (d == "") return ""
      args = args (args != "" ? ", " : "") d
    }
  }
  return name "(" args ")"
}
{
  i = index($0, " : "); if (i == 0) next
  name = substr($0, 1, i - 1); t = substr($0, i + 3)
  if (name !~ /^[a-z_][A-Za-z0-9_.]*$/) next
  if (name ~ /^(and|or|not|mod|for|while)$/) next
  print name "\t" call(name, t)
}' list.txt > walk.txt

# Runs one script; prints the reason it fails, nothing when it passes.
judge() {
  timeout "$TIMEOUT" "$CLIQ" "$1" > out.txt 2>&1 < /dev/null
  rc=$?
  if grep -q 'unbound variable\|no method\|not_implemented\|not implemented' out.txt; then
    grep -m1 'unbound variable\|no method\|not_implemented\|not implemented' out.txt
  elif [ "$rc" != 0 ]; then
    echo "exit code $rc: $(grep -m1 'error' out.txt)"
  elif ! grep -q '^builtins.sh: ' out.txt; then
    echo "the script did not reach its end"
  fi
}

tab=$(printf '\t')
while IFS="$tab" read -r name callexpr; do
  case "$name" in *"$FILTER"*) ;; *) continue ;; esac
  how=bound
  why=
  if [ -n "$callexpr" ]; then
    printf 'r = try\n  ignore(%s)\n  "called"\ncatch e do\n  "raised #{e.kind}: #{e.message}"\nend\nprint("builtins.sh: #{r}")\n' \
      "$callexpr" > call.liq
    # A dummy the checker rejects (a type variable that must be a source,
    # say): fall back to the value alone.
    if timeout "$TIMEOUT" "$CLIQ" --check call.liq > /dev/null 2>&1; then
      how=called
      why=$(judge call.liq)
    fi
  fi
  if [ "$how" = bound ]; then
    printf 'r = try\n  ignore(%s)\n  "bound"\ncatch e do\n  "raised #{e.kind}: #{e.message}"\nend\nprint("builtins.sh: #{r}")\n' \
      "$name" > ref.liq
    why=$(judge ref.liq)
  fi
  if [ -n "$why" ]; then echo "FAIL $name: $why"; else echo "ok $name ($how)"; fi
done < walk.txt

# A Liquidsoap name cliq lacks: absent from -h too, which says so.
if "$CLIQ" -h input.http 2>&1 | grep -q 'does not implement yet'; then echo "ok -h input.http (not implemented yet)"
else echo "FAIL -h input.http: no \"does not implement yet\" line"; fi
