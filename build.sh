#!/bin/sh
# Builds cliq in place: installs the Debian packages it needs when run as
# root (and they are missing), then autoreconf, configure and make.
#
# Usage: ./build.sh [--test-deps] [CONFIGURE-ARGS]
#   --test-deps  also install the tools `make check` uses: sox (checks the
#                rendered audio), groff (renders the man page), systemd
#                (systemd-analyze verifies the unit example; procps has the
#                /bin/kill its ExecReload runs), the reference
#                liquidsoap (its standard library must parse; optional: the
#                suite is skipped without it), and clang for tests/fuzz/run.sh.
#                README's quick start and .ci/run install through this only.
# Other arguments go to ./configure (it runs when there is no Makefile yet or
# when arguments are given).
set -e
cd "$(dirname "$0")"

DEPS="build-essential autoconf automake libtool pkg-config flex bison \
libjemalloc-dev libmp3lame-dev libvorbis-dev libogg-dev libopus-dev \
libavformat-dev libavcodec-dev libavutil-dev libswresample-dev \
libshout3-dev libpcre2-dev"
TEST_DEPS="sox groff-base systemd procps liquidsoap clang"
if [ "${1:-}" = --test-deps ]; then
  shift
  DEPS="$DEPS $TEST_DEPS"
fi

missing=""
for p in $DEPS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build.sh: installing$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "build.sh: missing Debian packages:$missing (run as root or install them)" >&2
    exit 1
  fi
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] || autoreconf -fi
if [ ! -f Makefile ] || [ $# -gt 0 ]; then
  ./configure "$@"
fi
make -j2
