#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring
# Secret Service and fresh XDG directories, so tests (and the demo) use a real
# keychain without touching the user's own.
#   tests/run-in-keyring.sh COMMAND [ARGS...]
set -eu

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tokenkeeper-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
export XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
# A display would let a locked keyring wait on a password prompt. This one is
# unlocked, but tests never need a display; the demo keeps it to show the window.
if [ "${TOKENKEEPER_KEEP_DISPLAY:-0}" != 1 ]; then
  unset DISPLAY WAYLAND_DISPLAY
fi

# The keyring password only unlocks this throwaway keyring; it must be non-empty.
exec dbus-run-session -- sh -c '
  echo -n tokenkeeper-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  gdbus wait --session --timeout 10 org.freedesktop.secrets
  exec "$@"' sh "$@"
