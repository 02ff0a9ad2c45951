#!/bin/sh
# Installs what building and testing Tokenkeeper needs on Debian 12 or Ubuntu,
# and only what is missing. Usage: packaging/install-deps.sh [build|test|run|sanitize]
# (sanitize: clang and its sanitizer and libFuzzer runtimes, for `make fuzz`
# and `make test-sanitize`)
set -eu

want="${1:-build}"

# libgl-dev and libegl-dev: Qt6Gui's CMake package looks for OpenGL and EGL.
# libqt6svg6: the SVG icon engine and image plugin that draw the app and tray icons.
build_pkgs="cmake ninja-build g++ make qt6-base-dev qt6-base-dev-tools qtkeychain-qt6-dev libgl-dev libegl-dev libqt6svg6"
# A private Secret Service for the tests and the demo (never dbus-x11).
keyring_pkgs="dbus-daemon libglib2.0-bin gnome-keyring libsecret-tools"
case "$want" in
  build) pkgs="$build_pkgs" ;;
  run)   pkgs="$build_pkgs $keyring_pkgs" ;;
  test)  pkgs="$build_pkgs $keyring_pkgs curl" ;; # curl: "Copy as curl" is run for real
  sanitize) pkgs="$build_pkgs $keyring_pkgs curl clang" ;;
  *) echo "usage: $0 [build|test|run|sanitize]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
# Node.js and npm run the independent OAuth peer (oidc-provider) in the tests.
# Accept any node/npm on PATH (e.g. NodeSource's); else Debian's packages.
if [ "$want" = test ] || [ "$want" = sanitize ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# libFuzzer and the sanitizers' runtimes: part of clang's own package on some
# releases, libclang-rt-<major>-dev on Debian 12.
if [ "$want" = sanitize ]; then
  lib="libclang_rt.fuzzer-$(uname -m).a"
  if [ ! -f "$(clang -print-file-name="$lib")" ]; then
    major=$(clang -dumpversion | cut -d. -f1)
    echo "Installing: libclang-rt-$major-dev"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "libclang-rt-$major-dev"
  fi
fi
