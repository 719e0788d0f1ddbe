#!/usr/bin/env bash
# The benchmark harness: builds the gateway, fetches Kafka's own tools, starts a Kafka broker and the gateway as
# processes, drives them with a Vert.x WebSocket client and prints a results table (also written, with PNG charts,
# to target/bench/). See docs/benchmarks.md.
#
#   ./bench/run.sh            the full run (about 10 minutes)
#   ./bench/run.sh --smoke    every scenario for a few seconds
set -euo pipefail
cd "$(dirname "$0")/.."

ulimit -n 20000 2>/dev/null || true
./mvnw -q -B -DskipTests package
# The schema registry of the Avro scenario (Apicurio Registry's own build; it runs on Java 21 or newer).
[ -f target/schema-registry/quarkus-run.jar ] || ./mvnw -q -B dependency:unpack@schema-registry
if [ ! -d target/dev-kafka/lib ]; then
  ./mvnw -q -B -f dev/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/target/dev-kafka/lib"
fi
./mvnw -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.passerelle.bench.Benchmarks \
  -Dexec.args="${*:-}"
