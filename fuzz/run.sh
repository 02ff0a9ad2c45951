#!/bin/sh
# Runs every libFuzzer target for a set time, under ASan and UBSan.
#
#   sh fuzz/run.sh BUILD_DIR SECONDS [--readme]
#
# Each target starts from its seed corpus (fuzz/corpus/<target>, read only)
# and grows a working corpus in BUILD_DIR/fuzz-corpus/<target>. Any crash,
# sanitizer report, leak or timeout (10 s for one input) fails the run and
# leaves the input in BUILD_DIR/fuzz-artifacts/. With --readme, the figures
# replace the table between the fuzz markers in README.md.
set -eu
cd "$(dirname "$0")/.."
build="$1"
seconds="$2"
readme="${3:-}"

targets="fuzz_jwt fuzz_token_answer fuzz_preset_file fuzz_profiles_file fuzz_credentials fuzz_agent_line fuzz_http_dates"
mkdir -p "$build/fuzz-artifacts"
table=$(mktemp)
trap 'rm -f "$table"' EXIT
failed=""
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export QT_QPA_PLATFORM=offscreen

for t in $targets; do
  mkdir -p "$build/fuzz-corpus/$t"
  log="$build/fuzz-artifacts/$t.log"
  if "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
       "$build/fuzz-corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
    result="clean"
  else
    result="FAILED (see $log)"
    failed="$failed $t"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
  corpus=$(ls "$build/fuzz-corpus/$t" | wc -l)
  seeds=$(ls "fuzz/corpus/$t" | wc -l)
  printf '| %s | %s s | %s | %s | %s | %s + %s | %s |\n' "$t" "$seconds" "${runs:-?}" \
    "${rate:-?}" "${cov:-?}" "$seeds" "$corpus" "$result" >>"$table"
  echo "$t: ${runs:-?} runs, ${rate:-?}/s, cov ${cov:-?}: $result"
done

if [ "$readme" = "--readme" ]; then
  {
    echo "Measured $(date -u +%Y-%m-%d) with \`make fuzz FUZZ_SECONDS=$seconds\` ($(nproc) cores):"
    echo
    echo "| target | time | inputs run | inputs/s | coverage (edges) | corpus (seeds + found) | result |"
    echo "|---|---|---|---|---|---|---|"
    cat "$table"
  } >"$table.md"
  python3 - "$table.md" <<'PY'
import sys
text = open(sys.argv[1]).read()
readme = open('README.md').read()
start, end = '<!-- fuzz:start -->', '<!-- fuzz:end -->'
a, b = readme.index(start) + len(start), readme.index(end)
open('README.md', 'w').write(readme[:a] + '\n' + text + readme[b:])
PY
  rm -f "$table.md"
fi

if [ -n "$failed" ]; then
  echo "fuzzing found a problem in:$failed" >&2
  exit 1
fi
