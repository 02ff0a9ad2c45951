#!/bin/sh
# The shipped desktop app holds no demo or screenshot hook (ui/demoview.h):
# neither the hook's symbol nor the environment variable it reads is in it,
# while the demo build, made from the same main.cpp, has both (so this check
# looks for what is really there).
#   no-demo-hooks.sh SHIPPED_BINARY DEMO_BINARY
set -eu
shipped=$1 demo=$2
status=0
for word in openDemoView TOKENKEEPER_DEMO_VIEW; do
  if LC_ALL=C grep -q -a -F "$word" "$shipped"; then
    echo "FAIL: $shipped contains $word" >&2
    status=1
  fi
  if ! LC_ALL=C grep -q -a -F "$word" "$demo"; then
    echo "FAIL: $demo lacks $word (the check would prove nothing)" >&2
    status=1
  fi
done
[ "$status" -ne 0 ] || echo "PASS: no demo hook in $shipped"
exit "$status"
