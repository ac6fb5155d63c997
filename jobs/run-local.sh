#!/usr/bin/env bash
# Runs the whole product on the embedded sample in local mode: builds what it needs, generates the
# sample on first use, then runs every stage in one Spark session and prints what was written.
#
#   jobs/run-local.sh                       # the sample, conf/local.conf, run id "local"
#   jobs/run-local.sh --run-id 2024-05-01   # extra arguments go to the `run` subcommand
#
# Environment: CONFIG (default conf/local.conf), DRIVER_MEMORY (default 4g), RUN_ID (default local),
# CUSTOMER_VALUE_HASH_KEY (HMAC key for e-mail hashes; a development key when unset).
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIG="${CONFIG:-conf/local.conf}"
DRIVER_MEMORY="${DRIVER_MEMORY:-4g}"
RUN_ID="${RUN_ID:-local}"
CLASSPATH_FILE=target/local-classpath.txt

say() { printf '[run-local] %s\n' "$*" >&2; }

if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  say "needs Java 17 and Maven on the PATH"; exit 2
fi

# Rebuild when anything the build reads is newer than the last build.
if [ ! -f "$CLASSPATH_FILE" ] || [ -n "$(find pom.xml src conf -newer "$CLASSPATH_FILE" -print -quit)" ]; then
  say "building (mvn package, tests skipped; the first build downloads dependencies)"
  mvn -B -q -DskipTests package
fi

# The identity stage hashes e-mails with a key from the environment. A local run on the sample gets a
# fixed development key; set your own for real data (the same key every run keeps hashes comparable).
if [ -z "${CUSTOMER_VALUE_HASH_KEY:-}" ]; then
  say "CUSTOMER_VALUE_HASH_KEY is not set: using a development key (fine for the sample, not for real data)"
  export CUSTOMER_VALUE_HASH_KEY="local-development-key-not-secret"
fi

# Local mode stays on loopback (and Spark does not warn that the host name resolves to it).
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

run_cli() {
  java -Xmx"$DRIVER_MEMORY" @jobs/spark-jvm.args \
    -Dlog4j.configurationFile=conf/log4j2.properties \
    -cp "target/classes:$(cat "$CLASSPATH_FILE")" \
    com.customervalue.Main "$@"
}

if [ ! -f sample-data/invoices.csv ]; then
  say "generating the sample into sample-data/"
  run_cli generate-sample --config "$CONFIG"
fi

say "running every stage on $CONFIG (run id $RUN_ID)"
start=$(date +%s)
run_cli run --config "$CONFIG" --run-id "$RUN_ID" "$@"
say "done in $(( $(date +%s) - start )) s; tables are under warehouse/"
