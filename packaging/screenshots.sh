#!/bin/sh
# Photographs the desktop app on the demo server's profiles under Xvfb, for
# the README: docs/screenshots/*.png. Each picture is a fresh demo (see
# run-demo.sh) whose window opens one view by itself (TOKENKEEPER_DEMO_VIEW,
# read by tokenkeeper-desktop-demo: ui/demoview.h); the dark one follows a
# dark KDE colour scheme the way the app follows the desktop's palette on
# Plasma. Needs xvfb, xauth and imagemagick (apt-get install xvfb xauth
# imagemagick).
#   packaging/screenshots.sh [BUILD_DIR [NAME]]   (NAME: that picture only)
set -eu
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
only=${2:-}
for tool in xvfb-run import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing" >&2; exit 2; }
done
out="$(pwd)/docs/screenshots"
mkdir -p "$out"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tokenkeeper-shots.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

# Breeze Dark, as Plasma writes it to ~/.config/kdeglobals.
mkdir -p "$scratch/dark"
cat > "$scratch/dark/kdeglobals" <<'EOF'
[General]
ColorScheme=BreezeDark

[Colors:Button]
BackgroundNormal=49,54,59
ForegroundNormal=239,240,241

[Colors:Selection]
BackgroundNormal=61,174,233
ForegroundNormal=252,252,252

[Colors:Tooltip]
BackgroundNormal=49,54,59
ForegroundNormal=239,240,241

[Colors:View]
BackgroundNormal=35,38,41
BackgroundAlternate=49,54,59
ForegroundNormal=239,240,241
ForegroundLink=41,128,185
ForegroundVisited=127,140,141

[Colors:Window]
BackgroundNormal=49,54,59
ForegroundNormal=239,240,241
EOF

# shoot NAME VIEW PROFILE [dark]: one demo, one picture of the screen, cut
# down to the windows on it (the empty screen around them is black).
shoot() {
  name=$1 view=$2 profile=$3 theme=${4:-}
  [ -z "$only" ] || [ "$only" = "$name" ] || return 0
  raw="$scratch/$name.png"
  # Whatever desktop this runs on, the light pictures show Qt's own defaults.
  set -- env -u QT_QPA_PLATFORMTHEME -u QT_STYLE_OVERRIDE -u XDG_CURRENT_DESKTOP \
    -u KDE_SESSION_VERSION
  if [ "$theme" = dark ]; then
    set -- "$@" XDG_CURRENT_DESKTOP=KDE KDE_SESSION_VERSION=5 \
      XDG_CONFIG_DIRS="$scratch/dark:${XDG_CONFIG_DIRS:-/etc/xdg}"
  fi
  "$@" TOKENKEEPER_SCREENSHOT="$raw" \
    TOKENKEEPER_DEMO_VIEW="$view" TOKENKEEPER_DEMO_PROFILE="$profile" \
    xvfb-run -a -s "-screen 0 960x600x24" sh packaging/run-demo.sh "$build" >/dev/null
  convert "$raw" -bordercolor black -border 1 -trim +repage -strip "$out/$name.png"
  echo "wrote $out/$name.png"
}

shoot main-window "" ""
shoot profile-editor editor "Sensu demo"
shoot login-rejected login-rejected "Sensu demo"
shoot token-inspector inspector "Sensu demo"
shoot settings settings ""
shoot request-tester request "OAuth 2.0 demo (password)"
shoot main-window-dark "" "Sensu demo" dark
