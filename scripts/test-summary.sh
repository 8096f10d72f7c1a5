#!/usr/bin/env bash
# Prints one "N passed, N failed, N skipped" line from the TRX files dotnet test wrote, so CI logs end with a
# count any reader can check. Exits non-zero when no test ran or any failed.
set -euo pipefail
folder="${1:?usage: test-summary.sh RESULTS_FOLDER}"
passed=0
failed=0
skipped=0
shopt -s nullglob
for file in "$folder"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$file" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${n:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
if (( passed == 0 || failed > 0 )); then
  exit 1
fi
