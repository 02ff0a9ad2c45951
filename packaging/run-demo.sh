#!/bin/sh
# `make run`: starts the demo server (our emulators of every preset's server)
# on 127.0.0.1, adds one demo profile per preset in a throwaway config and
# keyring, logs each in through the command line, prints its header, then
# opens the desktop window on them (tokenkeeper-desktop-demo, the app with the
# screenshot hooks; with a display; else a shell inside the demo session). Closing the window stops the demo.
#   packaging/run-demo.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
TOKENKEEPER_KEEP_DISPLAY=1 exec sh tests/run-in-keyring.sh sh packaging/demo-session.sh "$build"
