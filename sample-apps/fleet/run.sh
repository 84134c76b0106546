#!/usr/bin/env bash
# A fleet on one machine, in one command: three replicas of the plain-java support agent share one Redis
# server and one signed policy bundle served over HTTP. Builds what is missing, then FleetDemo.java makes a key,
# signs the bundle, serves it, starts redis-server and the replicas, drives the calls and stops everything.
# Needs Java 17+ and redis-server on the PATH (e.g. apt-get install redis-server).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v redis-server >/dev/null; then
  echo "redis-server is not on the PATH: install Redis (e.g. apt-get install redis-server) and run again" >&2
  exit 2
fi
if [[ ! -f agent/javaagent/target/toolguard-agent.jar || ! -f sample-apps/plain-java/target/sample-plain-java.jar ]]; then
  echo "== building (./mvnw -q -B -DskipTests package)"
  ./mvnw -q -B -DskipTests package -pl agent/javaagent,sample-apps/plain-java -am
fi
exec "$JAVA" sample-apps/fleet/FleetDemo.java "$@"
