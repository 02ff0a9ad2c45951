#!/bin/sh
# Photographs the desktop app on the demo server's profiles under Xvfb, for
# the README: docs/screenshots/main-window.png. Needs xvfb, xauth and
# imagemagick (apt-get install xvfb xauth imagemagick).
#   packaging/screenshots.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
for tool in xvfb-run import; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing" >&2; exit 2; }
done
mkdir -p docs/screenshots
out="$(pwd)/docs/screenshots/main-window.png"
TOKENKEEPER_SCREENSHOT="$out" xvfb-run -a -s "-screen 0 960x600x24" \
  sh packaging/run-demo.sh "$build" >/dev/null
echo "wrote $out"
