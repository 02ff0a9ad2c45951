#!/bin/sh
# The kill test in full (issue 10; `make killtest`): TOKENKEEPER_KILLS (200)
# SIGKILLs per case at random moments of rotating refreshes (Sensu and OAuth
# 2.0; the agent, and the command line working alone), inside a private
# keyring session. Prints the figures and rewrites the part of README.md
# between <!-- killtest:start --> and <!-- killtest:end -->. CTest runs the
# same test with 5 kills per case (tst_killtest).
#   tests/killtest.sh [BUILD_DIR]      build first: cmake --build build
# KILLTEST_NO_README=1 leaves README.md alone.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
kills=${TOKENKEEPER_KILLS:-200}
readme=$root/README.md
for program in tests/tst_killtest app/cli/tokenkeeper app/demo-server/tokenkeeper-demo-server; do
    if [ ! -x "$build/$program" ]; then
        echo "tests/killtest.sh: $build/$program is missing; build first" >&2
        exit 2
    fi
done

report=$(mktemp)
section=$(mktemp)
trap 'rm -f "$report" "$section"' EXIT
load_before=$(cut -d' ' -f1 /proc/loadavg)
started=$(date +%s)
status=0
TOKENKEEPER_KILLS=$kills TOKENKEEPER_KILLTEST_REPORT=$report \
    TOKENKEEPER_CLI=$build/app/cli/tokenkeeper \
    TOKENKEEPER_DEMO_SERVER=$build/app/demo-server/tokenkeeper-demo-server \
    QT_QPA_PLATFORM=offscreen \
    sh "$root/tests/run-in-keyring.sh" "$build/tests/tst_killtest" || status=1
cat "$report"
if [ "${KILLTEST_NO_README:-0}" = 1 ] || [ ! -s "$report" ]; then
    exit $status
fi

cat >"$section" <<SECTION
Measured $(date -u +%Y-%m-%d) by \`make killtest\` ($kills kills per case, $(( $(date +%s) - started )) s)
on $(nproc) cores, load average $load_before before the run, build type
$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")$([ $status = 0 ] || echo ', and the test FAILED').

| preset | killed | kills | rotations at the server | in the window | of those, answered after the kill | in the window, next \`token\` needed a login | outside the window, needed a login | window: answer received to write ended, median / p90 / max (rotations) | window from the server's answer, unkilled: median / max (runs) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
$(cat "$report")

$(awk -F'|' '
    { kills += $4; inside += $6; login += $8; outside += $9
      split($10, w, " "); median = w[1] + 0
      if (low == "" || median < low) low = median; if (median > high) high = median }
    END {
        printf "In all: %d kills, %d in the window, %d of those needed a login, %d outside it did.\n", kills, inside, login, outside
        printf "The window (answer received to write ended) has a median of %s to %s ms; kills\n", low, high
        printf "fall in it uniformly, so the part of it where a kill costs the session is\n"
        printf "about %d %% of it (%d of %d), some %.1f to %.1f ms: the write'"'"'s way to the keychain daemon.\n", (inside ? 100 * login / inside : 0), login, inside, (inside ? low * login / inside : 0), (inside ? high * login / inside : 0)
    }' "$report")
SECTION
awk -v section="$section" '
    /<!-- killtest:start -->/ { print; while ((getline line < section) > 0) print line; skip = 1; next }
    /<!-- killtest:end -->/ { skip = 0 }
    !skip { print }
' "$readme" >"$readme.new" && mv "$readme.new" "$readme"
exit $status
