#!/usr/bin/env bash
# Times the train stage: builds what it needs, makes sure customer_features exists for the config
# (running ingest, clean, identity and features once when it does not), then runs `train` and
# prints, per target and model, the rows evaluated and the seconds each model's cross-validation and
# final fit took, and the stage's wall time. A benchmark, not a test: nothing is asserted.
#
#   jobs/benchmark-train.sh                                      # the embedded sample, conf/local.conf
#   CONFIG=conf/examples/online-retail.conf jobs/benchmark-train.sh
#   CONFIG=conf/examples/telco-churn.conf jobs/benchmark-train.sh   # a prepared table: train only
#
# Environment: CONFIG (default conf/local.conf), DRIVER_MEMORY (default 4g), RUN_ID (default bench),
# CUSTOMER_VALUE_HASH_KEY (a development key when unset).
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIG="${CONFIG:-conf/local.conf}"
RUN_ID="${RUN_ID:-bench}"

say() { printf '[benchmark-train] %s\n' "$*" >&2; }

# shellcheck source=jobs/local-env.sh
. jobs/local-env.sh

warehouse=$(sed -n 's/^ *warehouse.root *= *"\(.*\)".*/\1/p; s/^ *root *= *"\(.*\)".*/\1/p' "$CONFIG" | head -1)
warehouse="${warehouse:-warehouse}"
if ! grep -q 'prepared' "$CONFIG" && [ ! -d "$warehouse/customer_features" ]; then
  if [ "$CONFIG" = conf/local.conf ] && [ ! -f sample-data/invoices.csv ]; then
    say "generating the sample"
    run_cli generate-sample --config "$CONFIG"
  fi
  say "no customer_features under $warehouse: running ingest, clean, identity and features first (not timed)"
  for stage in ingest clean identity features; do
    run_cli "$stage" --config "$CONFIG" --run-id "$RUN_ID" >/dev/null
  done
fi

say "timing train on $CONFIG"
start=$(date +%s)
run_cli train --config "$CONFIG" --run-id "$RUN_ID" 2>/dev/null | sed -n '/^Target /,$p'
say "train wall time: $(( $(date +%s) - start )) s (including Spark start-up) on $(nproc) cores"
