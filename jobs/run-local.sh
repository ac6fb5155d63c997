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
RUN_ID="${RUN_ID:-local}"

say() { printf '[run-local] %s\n' "$*" >&2; }

# shellcheck source=jobs/local-env.sh
. jobs/local-env.sh

if [ ! -f sample-data/invoices.csv ]; then
  say "generating the sample into sample-data/"
  run_cli generate-sample --config "$CONFIG"
fi

say "running every stage on $CONFIG (run id $RUN_ID)"
start=$(date +%s)
run_cli run --config "$CONFIG" --run-id "$RUN_ID" "$@"
say "done in $(( $(date +%s) - start )) s; tables are under warehouse/, the report is warehouse/report/report.html"
say "look at any table: java @jobs/spark-jvm.args -cp \"target/classes:\$(cat $CLASSPATH_FILE)\" com.customervalue.Main query --config $CONFIG \"SELECT * FROM customer_scores LIMIT 10\""
