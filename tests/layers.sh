#!/bin/sh
# The layering rule of doc/architecture.md, checked on the includes and on
# the link map: cli -> cliq.h -> stdlib -> lang -> runtime, never back.
#
#   includes  no file under lang/ or runtime/ includes a stdlib/ header, no
#             file under runtime/ a lang/ header; cli/main.c includes only
#             cliq.h and system headers;
#   link map  no object of lang/ or runtime/ uses a symbol defined by an
#             object of stdlib/, no object of runtime/ one defined in lang/,
#             and the CLI's object uses only cliq_* functions of the library.
#
# Usage: tests/layers.sh SRCDIR BUILDDIR. Prints each violation; exits 1 if
# there is one.
set -u
src=$1
build=$2
bad=0
violation() { echo "layers: $*"; bad=1; }

# --- includes ---------------------------------------------------------------
for f in "$src"/lang/*.[chyl] "$src"/runtime/*.[ch] "$src"/runtime/*/*.[ch]; do
  [ -f "$f" ] || continue
  grep -n '#include "stdlib/' "$f" | while IFS= read -r line; do
    echo "layers: ${f#"$src"/}:$line"
  done
done > "$build/layers.inc"
for f in "$src"/runtime/*.[ch] "$src"/runtime/*/*.[ch]; do
  [ -f "$f" ] || continue
  grep -n '#include "lang/' "$f" | while IFS= read -r line; do
    echo "layers: ${f#"$src"/}:$line"
  done
done >> "$build/layers.inc"
grep -n '#include "' "$src/cli/main.c" | grep -v '#include "cliq.h"' |
  sed 's/^/layers: cli\/main.c:/' >> "$build/layers.inc"
if [ -s "$build/layers.inc" ]; then
  cat "$build/layers.inc"
  bad=1
fi
rm -f "$build/layers.inc"

# --- link map ------------------------------------------------------------------
# Objects are named by automake after their source: lang/libcliq_a-eval.o
# for lang/eval.c. Objects whose source is gone (a stale build) are left out.
live() {
  o=$1
  base=$(basename "$o" .o)
  dir=$(dirname "${o#"$build"/}")
  [ -f "$o" ] && { [ -f "$src/$dir/${base#*-}.c" ] || [ -f "$build/$dir/${base#*-}.c" ]; }
}
defined() { for o in "$@"; do live "$o" && nm -g --defined-only "$o" | awk '{print $3}'; done | sort -u; }
used() { for o in "$@"; do live "$o" && nm -u "$o" | awk -v o="${o#"$build"/}" '{print $2, o}'; done | sort; }
set -- "$build"/stdlib/*.o
[ -f "$1" ] || { violation "no objects under $build/stdlib: build first"; exit 1; }
defined "$build"/stdlib/*.o > "$build/layers.stdlib"
defined "$build"/lang/*.o > "$build/layers.lang"
defined "$build"/libcliq.a > "$build/layers.lib" 2>/dev/null
used "$build"/lang/*.o "$build"/runtime/*.o "$build"/runtime/*/*.o |
  join - "$build/layers.stdlib" | while read -r sym obj; do
    echo "layers: $obj uses $sym, defined in stdlib/"
  done > "$build/layers.out"
used "$build"/runtime/*.o "$build"/runtime/*/*.o |
  join - "$build/layers.lang" | while read -r sym obj; do
    echo "layers: $obj uses $sym, defined in lang/"
  done >> "$build/layers.out"
nm -A "$build"/libcliq.a 2>/dev/null | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort -u > "$build/layers.lib"
main_obj=$(ls "$build"/cli/*.o 2>/dev/null | head -1)
if [ -n "$main_obj" ]; then
  used "$main_obj" | join - "$build/layers.lib" | grep -v '^cliq_' | while read -r sym obj; do
    echo "layers: $obj uses $sym, which is not in cliq.h"
  done >> "$build/layers.out"
else
  echo "layers: no object for cli/main.c under $build/cli" >> "$build/layers.out"
fi
if [ -s "$build/layers.out" ]; then
  cat "$build/layers.out"
  bad=1
fi
rm -f "$build/layers.stdlib" "$build/layers.lang" "$build/layers.lib" "$build/layers.out"
exit $bad
