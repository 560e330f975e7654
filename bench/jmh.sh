#!/usr/bin/env bash
# NLU micro-benchmarks: JMH parse latency and the NLU's heap footprint. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/cp.txt)"
java -Xmx1g -cp "$CP" org.welcomeline.bench.Footprint
java -cp "$CP" org.openjdk.jmh.Main ParseBenchmark -rf json -rff target/jmh-parse.json "$@"
