#!/bin/sh
# `make run`: starts the demo server (our emulators of every preset's server)
# on 127.0.0.1, adds one demo profile per preset in a throwaway config and
# keyring, logs each in through the command line and prints its token.
# Until the desktop window exists, this is the demo. Ctrl+C stops it.
#   packaging/run-demo.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
exec sh tests/run-in-keyring.sh sh packaging/demo-session.sh "$build"
