#!/bin/sh
# The demo inside the private keyring session (see run-demo.sh).
set -eu
build="$1"
cli="$build/app/cli/tokenkeeper"
server="$build/app/demo-server/tokenkeeper-demo-server"
work="$XDG_RUNTIME_DIR/demo"
mkdir -p "$work" "$XDG_CONFIG_HOME/tokenkeeper/presets"
cp resources/examples/acme-preset.json "$XDG_CONFIG_HOME/tokenkeeper/presets/acme.json"

"$server" --port 0 --port-file "$work/port" --demo-profiles "$work/profiles.tsv" >/dev/null &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT INT TERM
tries=0
while [ ! -s "$work/port" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then echo "the demo server did not start" >&2; exit 1; fi
  sleep 0.1
done
url="http://127.0.0.1:$(cat "$work/port")"
echo "Demo server: $url"
echo

tab=$(printf '\t')
status=0
while IFS="$tab" read -r name preset secret rest; do
  # shellcheck disable=SC2086 # the options are tab-separated words without spaces
  set -- $(printf '%s' "$rest" | tr '\t' ' ')
  "$cli" profile add "$name" --preset "$preset" --url "$url" "$@" >/dev/null
  printf '%s\n' "$secret" | "$cli" login "$name" >/dev/null || status=1
  printf '%-40s ' "$name:"
  "$cli" header "$name" | cut -c1-90 || status=1
done < "$work/profiles.tsv"

echo
"$cli" profile list
echo
if [ -n "${TOKENKEEPER_SCREENSHOT:-}" ]; then
  # packaging/screenshots.sh: the window on the demo profiles, photographed.
  "$build/app/desktop/tokenkeeper-desktop-demo" &
  app=$!
  sleep 4
  import -window root "$TOKENKEEPER_SCREENSHOT"
  kill "$app"
  wait "$app" 2>/dev/null || true
elif [ -z "${CI:-}" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } \
   && [ -x "$build/app/desktop/tokenkeeper-desktop-demo" ]; then
  # The window, on the demo's profiles; the demo server stops when it closes.
  echo "Opening Tokenkeeper on the demo profiles (close the window to stop the demo)."
  "$build/app/desktop/tokenkeeper-desktop-demo" || status=1
elif [ -t 0 ] && [ -z "${CI:-}" ]; then
  # A shell inside the demo session: its keyring, its profiles, its server.
  echo "A shell inside the demo follows; try: tokenkeeper token 'Sensu demo'"
  echo "(type exit to stop the demo server)."
  PATH="$build/app/cli:$PATH" PS1='tokenkeeper-demo$ ' "${SHELL:-/bin/sh}" -i || true
fi
exit "$status"
