#!/bin/sh
# Checks that the built binaries carry cmake/Hardening.cmake's promises:
# PIE, full RELRO (GNU_RELRO and BIND_NOW), a non-executable stack, stack
# protector and fortified libc calls. Usage: tests/hardening.sh BINARY...
set -eu
status=0
for bin in "$@"; do
  name=$(basename "$bin")
  problems=""
  readelf -h "$bin" | grep -q 'Type:.*DYN' || problems="$problems not-PIE"
  readelf -d "$bin" | grep -q 'FLAGS_1.*PIE' || problems="$problems no-PIE-flag"
  readelf -lW "$bin" | grep -q 'GNU_RELRO' || problems="$problems no-RELRO"
  readelf -d "$bin" | grep -Eq 'BIND_NOW|FLAGS.*NOW' || problems="$problems no-BIND_NOW"
  readelf -lW "$bin" | grep 'GNU_STACK' | grep -q 'RWE' && problems="$problems executable-stack"
  symbols=$(readelf --dyn-syms -W "$bin")
  echo "$symbols" | grep -q '__stack_chk_fail' || problems="$problems no-stack-protector"
  fortified=$(echo "$symbols" | grep -Eo '__[a-z_]+_chk@' | sort -u | tr -d '@' | tr '\n' ' ')
  [ -n "$fortified" ] || problems="$problems no-fortified-calls"
  if [ -n "$problems" ]; then
    echo "$name:$problems"
    status=1
  else
    echo "$name: PIE, full RELRO, NX stack, stack protector, fortified: $fortified"
  fi
done
exit $status
