#!/usr/bin/env bash
# Builds ToolGuard, runs the sample support agent under it, then shows what the audit log recorded and
# checks the log's hash chain. One command on a fresh clone; needs only Java 17+.
set -euo pipefail
cd "$(dirname "$0")"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SAMPLE=sample-apps/plain-java
AGENT=agent/javaagent/target/toolguard-agent.jar
AUDIT=$SAMPLE/toolguard-audit.jsonl

echo "== building (./mvnw -q -B -DskipTests package)"
./mvnw -q -B -DskipTests package

API=$(ls agent/api/target/toolguard-api-*.jar | grep -v -e sources -e javadoc | head -n 1)
# the log's chain continues across runs: remember where this run starts
FIRST=$( [ -f "$AUDIT" ] && wc -l < "$AUDIT" || echo 0 )

echo
echo "== running the sample support agent under ToolGuard"
echo "   $JAVA -javaagent:$AGENT=config=$SAMPLE/toolguard.yaml -cp $SAMPLE/target/sample-plain-java.jar:$API dev.toolguard.sample.support.SupportAgent"
"$JAVA" "-javaagent:$AGENT=config=$SAMPLE/toolguard.yaml" \
    -cp "$SAMPLE/target/sample-plain-java.jar:$API" dev.toolguard.sample.support.SupportAgent

echo
echo "== what the audit log recorded in this run ($AUDIT)"
"$JAVA" "$SAMPLE/demo/PrintAudit.java" "$AUDIT" "$FIRST"

echo
echo "== checking the audit log's hash chain"
"$JAVA" -jar "$AGENT" verify-audit "$AUDIT"

# Egress (docs/egress.md): what a tool's body reaches beyond its arguments. The sample starts its own CRM database,
# an outside HTTP collector and an SMTP server; the agent refuses the tool bodies' UPDATE, outside POST and
# non-partner mail where they are made, and the servers show what reached them.
EGRESS=sample-apps/egress-crm
echo
echo "== egress: running the CRM sample whose tool bodies reach a database, an HTTP host and a mail server"
EGRESS_CP="$EGRESS/target/sample-egress-crm.jar:$API$(printf ':%s' "$EGRESS"/target/lib/*.jar)"
"$JAVA" "-javaagent:$AGENT=config=$EGRESS/toolguard.yaml" -cp "$EGRESS_CP" dev.toolguard.sample.egress.EgressDemo \
    2> >(grep -v -e '^SLF4J' >&2)
