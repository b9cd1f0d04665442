#!/bin/sh
# Builds cliq in place: installs the Debian packages it needs when run as
# root (and they are missing), then autoreconf, configure and make.
# Extra arguments go to ./configure (only when it runs for the first time or
# when arguments are given).
set -e
cd "$(dirname "$0")"

DEPS="build-essential autoconf automake libtool pkg-config flex bison \
libjemalloc-dev libmp3lame-dev libvorbis-dev libogg-dev libopus-dev \
libavformat-dev libavcodec-dev libavutil-dev libswresample-dev \
libshout3-dev libpcre2-dev"

missing=""
for p in $DEPS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build.sh: installing$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
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
