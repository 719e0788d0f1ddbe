#!/usr/bin/env bash
# Builds Passerelle as a native executable (target/passerelle-0.1.0-SNAPSHOT-runner) and runs the integration
# tests against it.
#
#   ./native-build.sh            local GraalVM/Mandrel if found, else a container build if docker or podman answers
#   ./native-build.sh --no-tests build only
#
# Needs one of: `native-image` on PATH, GRAALVM_HOME pointing at a GraalVM or Mandrel for JDK 25, or a working
# docker or podman (the build then runs in the Mandrel builder image).
set -euo pipefail
cd "$(dirname "$0")"

TESTS=true
[ "${1:-}" = "--no-tests" ] && TESTS=false
BUILDER_IMAGE=${PASSERELLE_NATIVE_BUILDER:-quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25}
MAVEN_ARGS=(-B -Dnative)
$TESTS || MAVEN_ARGS+=(-DskipTests)

if [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  echo "[native-build] Using GraalVM/Mandrel at GRAALVM_HOME=$GRAALVM_HOME"
  exec ./mvnw "${MAVEN_ARGS[@]}" verify
fi
if command -v native-image >/dev/null 2>&1; then
  echo "[native-build] Using native-image from PATH: $(command -v native-image)"
  exec ./mvnw "${MAVEN_ARGS[@]}" verify
fi
for runtime in docker podman; do
  if command -v "$runtime" >/dev/null 2>&1 && "$runtime" info >/dev/null 2>&1; then
    echo "[native-build] No local native-image; building in $BUILDER_IMAGE with $runtime"
    exec ./mvnw "${MAVEN_ARGS[@]}" verify -Dquarkus.native.container-build=true \
      -Dquarkus.native.container-runtime="$runtime" -Dquarkus.native.builder-image="$BUILDER_IMAGE"
  fi
done

cat >&2 <<MSG
[native-build] Cannot build a native executable on this machine:
  - no native-image on PATH and GRAALVM_HOME is not set to a GraalVM/Mandrel installation, and
  - neither docker nor podman answers.
Install one of:
  - Mandrel for JDK 25 or GraalVM for JDK 25, then
    export GRAALVM_HOME=/path/to/it and run this script again;
  - or Docker or Podman, so the build can run in $BUILDER_IMAGE.
The JVM build needs none of this: ./mvnw package
MSG
exit 1
