#!/usr/bin/env bash
# Runs every Jazzer fuzz target in fuzzing mode (coverage-guided, each for its @FuzzTest maxDuration,
# 10 s). A finding fails the run and is saved by Jazzer under
# src/test/resources/org/welcomeline/fuzz/<Class>Inputs/<method>/crash-* : commit it, fix the code, and it
# stays a regression test (plain `mvn verify` replays every file there).
# Usage: bash bench/fuzz.sh [Class#method ...]   (default: all targets)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(TextFuzzTest#normaliserNeverThrowsAndIsStable
           TextFuzzTest#segmentsAndPagesKeepEveryCharacterWithinBudget
           LoaderFuzzTest#nluYamlGivesDataOrAClearError
           LoaderFuzzTest#servicesYamlGivesContentOrAClearError
           EdgeFuzzTest#webhookBodiesNeverCauseA5xx
           EdgeFuzzTest#everyWebChatFrameGetsAnAnswer)
fi
for t in "${TARGETS[@]}"; do
  echo "fuzzing $t"
  log=$(mktemp)
  rc=0
  JAZZER_FUZZ=1 mvn -B -q -ntp test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || rc=$?
  grep -E 'FuzzTestFinding|#[0-9]+.*DONE' "$log" | head -5 || true
  if [ "$rc" != "0" ]; then
    echo "fuzz finding (or failure) in $t: see $log"; exit 1
  fi
  rm -f "$log"
done
echo "fuzzing: no findings"
