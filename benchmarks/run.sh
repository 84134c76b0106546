#!/usr/bin/env bash
# Builds what the benchmarks need, runs every variant in one JMH run, measures start-up, and writes
# benchmarks/target/summary.json plus a table with the goals.
#
#   benchmarks/run.sh           full run (about 15 minutes on 2 cores)
#   benchmarks/run.sh --quick   short iterations (about 7 minutes on 2 cores)
#
# Extra arguments after the mode go to JMH, e.g. `benchmarks/run.sh --quick -e Expression` to leave out
# the expression benchmarks (the summary then needs a complete run).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
if [[ "${1:-}" == "--quick" ]]; then
  mode=quick
  shift
fi

./mvnw -q -B -DskipTests package -pl benchmarks,agent/javaagent,sample-apps/plain-java,sample-apps/spring-ai-support -am

out=benchmarks/target
quick=()
startup_runs=15
if [[ $mode == quick ]]; then
  quick=(--quick)
  startup_runs=5
fi

# one JMH run for every variant, one result file (RunAll sets forks, warm-up and -prof gc per group)
java -cp "$out/benchmarks.jar" dev.toolguard.bench.RunAll "${quick[@]}" --out "$out/jmh.json" "$@"

# the floor under each start: the same sample with the floor agent, which weaves a check into each tool method and does
# nothing else, three ways (ASM alone, ByteBuddy's Advice, ByteBuddy's AgentBuilder), in the same interleaved runs
floor_plain=()
floor_spring=()
for kind in asm advice agent-builder; do
  floor_plain+=(--floor "$kind=-javaagent:$out/floor-agent.jar=$kind")
  floor_spring+=(--floor "$kind=-javaagent:$out/floor-agent.jar=$kind:org.springframework.ai.tool.annotation.Tool")
done

# the plain sample app, run as demo.sh runs it: its jar and the API jar on the class path
sample_jar=sample-apps/plain-java/target/sample-plain-java.jar
api_jar=$(ls agent/api/target/toolguard-api-*.jar | grep -v -e sources -e javadoc | head -n 1)
java -cp "$out/benchmarks.jar" dev.toolguard.bench.StartupProbe --runs "$startup_runs" \
  --marker "$(cat benchmarks/config/startup-marker.txt)" \
  --agent "-javaagent:agent/javaagent/target/toolguard-agent.jar=config=sample-apps/plain-java/toolguard.yaml,audit=$out/startup-audit.jsonl" \
  "${floor_plain[@]}" \
  --out "$out/startup.json" \
  -- java -cp "$sample_jar:$api_jar" dev.toolguard.sample.support.SupportAgent

# the Spring AI sample to its first tool call (Spring Boot and Spring AI load thousands of classes, each of which the
# agent looks at): startup_overhead_ratio_spring is its time with the agent over without
java -cp "$out/benchmarks.jar" dev.toolguard.bench.StartupProbe --runs "$startup_runs" \
  --marker "tool ran: issue_refund" \
  --agent "-javaagent:agent/javaagent/target/toolguard-agent.jar=config=sample-apps/spring-ai-support/toolguard.yaml,audit=$out/startup-spring-audit.jsonl" \
  "${floor_spring[@]}" \
  --out "$out/startup-spring.json" \
  -- java -jar sample-apps/spring-ai-support/target/sample-spring-ai-support.jar

java -cp "$out/benchmarks.jar" dev.toolguard.bench.SummaryReport "$out/jmh.json" "$out/startup.json" \
  "$out/startup-spring.json" "$out/summary.json"
echo "wrote $out/summary.json"
