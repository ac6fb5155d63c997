#!/usr/bin/env bash
# The benchmark of issue 9: times stages of the product at several data sizes, each next to a plain scan
# of the same inputs in the same Spark session, and optionally the pandas + scikit-learn peer. Prints one
# line per measurement and appends it to target/benchmark/results.csv. A benchmark, not a test: nothing
# is asserted, and CI never runs it.
#
#   jobs/benchmark.sh --sizes 10000,50000,200000             # the generated sample at these account counts
#   jobs/benchmark.sh --online-retail 5,10,20                # UCI Online Retail replicated 5, 10, 20 times
#   jobs/benchmark.sh --online-retail 20 --peer 20 --stages ingest,clean,identity,features,train
#   jobs/benchmark.sh --sizes 2000 --stages ingest,clean --driver-memory 2g
#   jobs/benchmark.sh --online-retail 5 --stages train-cost --keep-warehouse    # fits vs cross-validation
#
# Options:
#   --sizes LIST          sample sizes in accounts (generate-sample --customers); the sample's events per
#                         account are fixed by the simulation, so events grow in proportion (about 60 per
#                         account over 3 years); above 100,000 accounts it is generated in parts (--parts)
#   --years N             years of simulated history (default: the config's sample.years, 3)
#   --online-retail LIST  copies of the Online Retail file (customer ids offset and invoice numbers made
#                         distinct per copy), run with conf/examples/online-retail.conf
#   --peer LIST           copies of the Online Retail file to run jobs/bench/peer_pipeline.py on
#   --stages LIST         stages to time, in order (default ingest,clean,identity,features; any of
#                         ingest, clean, identity, features, train, score, report; each needs the one before
#                         it in the list or its tables from an earlier run of the same size); and train-cost:
#                         per classifier, one fit on all training rows against the train job's cross-validation
#                         (gradient-boosted trees without and with early stopping), on customer_features
#   --driver-memory SIZE  the JVM's -Xmx (default 4g; local mode: driver and executors share it)
#   --csv FILE            results file (default target/benchmark/results.csv)
#   --keep-warehouse      keep the tables of an earlier run of the same size instead of starting empty
#   --conf FILE           configuration overrides for every run, included after the base config and the
#                         benchmark's paths (e.g. customer-value.lifetime.fit-max-customers)
#   --write-cost          after each stage, count its commits per table and time a plain Parquet write, a first
#                         Delta write and a Delta re-run write of the rows it wrote to each table
#
# Inputs are made once and kept under target/benchmark/work/ (sample-<N>/input, online-retail-x<N>/input);
# each run writes its tables to a fresh warehouse beside them. The JVM's log goes to
# target/benchmark/logs/. Environment: CUSTOMER_VALUE_HASH_KEY (a development key when unset).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[benchmark] %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { say "$*"; exit 2; }

SIZES=""
YEARS=""
RETAIL=""
PEER=""
STAGES="ingest,clean,identity,features"
DRIVER_MEMORY="4g"
CSV="target/benchmark/results.csv"
KEEP_WAREHOUSE=false
EXTRA_CONF=""
WRITE_COST=()

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="${2:?--sizes needs a list}"; shift 2 ;;
    --years) YEARS="${2:?--years needs a number}"; shift 2 ;;
    --online-retail) RETAIL="${2:?--online-retail needs a list}"; shift 2 ;;
    --peer) PEER="${2:?--peer needs a list}"; shift 2 ;;
    --stages) STAGES="${2:?--stages needs a list}"; shift 2 ;;
    --driver-memory) DRIVER_MEMORY="${2:?--driver-memory needs a size}"; shift 2 ;;
    --csv) CSV="${2:?--csv needs a file}"; shift 2 ;;
    --keep-warehouse) KEEP_WAREHOUSE=true; shift ;;
    --conf) EXTRA_CONF="${2:?--conf needs a file}"; shift 2 ;;
    --write-cost) WRITE_COST=(--write-cost); shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
if [ -z "$SIZES$RETAIL$PEER" ]; then
  SIZES="10000,50000,200000"
fi
for list in "$SIZES" "$RETAIL" "$PEER" "$YEARS"; do
  [[ -z "$list" || "$list" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "'$list' is not a comma-separated list of whole numbers"
done
[[ "$STAGES" =~ ^[a-z-]+(,[a-z-]+)*$ ]] || die "--stages: '$STAGES' is not a comma-separated list of stage names"
[[ "$DRIVER_MEMORY" =~ ^[0-9]+[kmgKMG]$ ]] || die "--driver-memory: '$DRIVER_MEMORY' is not a JVM size such as 4g"
if [ -n "$EXTRA_CONF" ]; then
  [ -f "$EXTRA_CONF" ] || die "--conf: no such file: $EXTRA_CONF"
  EXTRA_CONF="$(realpath "$EXTRA_CONF")"
fi

# shellcheck source=jobs/local-env.sh
. jobs/local-env.sh

ROOT="$(pwd)"
WORK="$ROOT/target/benchmark/work"
LOGS="$ROOT/target/benchmark/logs"
mkdir -p "$WORK" "$LOGS" "$(dirname "$CSV")"
RETAIL_FILE="$ROOT/../shared/data/online-retail/online_retail_2010-2011.csv.gz"

COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$COMMIT" != unknown ] && [ -n "$(git status --porcelain 2>/dev/null)" ]; then
  COMMIT="$COMMIT-dirty"
fi
say "commit $COMMIT, $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), driver memory $DRIVER_MEMORY"

run_bench() {
  java -Xmx"$DRIVER_MEMORY" @jobs/spark-jvm.args \
    -Dlog4j.configurationFile=conf/log4j2.properties \
    -cp "target/classes:$(cat "$CLASSPATH_FILE")" \
    com.customervalue.bench.BenchMain "$@"
}

# Runs a command with its log (stderr) in a file; on failure shows the log's end and stops.
logged() {
  local log="$1"; shift
  if ! "$@" 2>"$log"; then
    say "failed; the last lines of $log:"
    tail -n 30 "$log" >&2
    exit 1
  fi
}

# A config that is the product's own for the mode, with the inputs and tables moved under the work dir.
write_config() {
  local file="$1" base="$2" input_root="$3" warehouse="$4" invoices_path="${5:-}"
  {
    printf 'include file("%s")\n' "$ROOT/$base"
    printf 'customer-value {\n'
    printf '  input-root = "%s"\n' "$input_root"
    printf '  warehouse.root = "%s"\n' "$warehouse"
    if [ -n "$invoices_path" ]; then printf '  sources.invoices.path = "%s"\n' "$invoices_path"; fi
    printf '  spark.properties {\n'
    printf '    "spark.sql.warehouse.dir" = "%s/_catalog"\n' "$warehouse"
    printf '    "spark.ui.showConsoleProgress" = "false"\n'
    printf '  }\n}\n'
    if [ -n "$EXTRA_CONF" ]; then printf 'include file("%s")\n' "$EXTRA_CONF"; fi
  } >"$file"
}

fresh_warehouse() {
  if [ "$KEEP_WAREHOUSE" = false ]; then rm -rf "$1"; fi
}

run_stages() {
  local mode="$1" size="$2" config="$3"
  say "$mode $size: timing $STAGES (log: $LOGS/$mode-$size.log)"
  logged "$LOGS/$mode-$size.log" run_bench stages --config "$config" --stages "$STAGES" --mode "$mode" \
    --size "$size" --csv "$CSV" --commit "$COMMIT" --driver-memory "$DRIVER_MEMORY" "${WRITE_COST[@]}"
}

replicate() {
  local copies="$1" dir="$WORK/online-retail-x$1"
  write_config "$dir.conf" conf/examples/online-retail.conf "$dir" "$dir/warehouse" input
  if [ ! -f "$dir/input/_SUCCESS" ]; then
    [ -f "$RETAIL_FILE" ] || die "the Online Retail file is missing: $RETAIL_FILE"
    say "online-retail x$copies: writing the replicated file to $dir/input"
    logged "$LOGS/replicate-x$copies.log" run_bench replicate-online-retail --config "$dir.conf" \
      --input "$RETAIL_FILE" --copies "$copies" --output "$dir/input"
  fi
}

IFS=, read -r -a size_list <<<"$SIZES"
for size in "${size_list[@]}"; do
  dir="$WORK/sample-$size${YEARS:+-y$YEARS}"
  write_config "$dir.conf" conf/local.conf "$dir/input" "$dir/warehouse"
  if [ ! -f "$dir/input/truth/manifest.json" ]; then
    # One part per 100,000 accounts keeps the generator's heap at that of 100,000 accounts.
    parts=$(( (size + 99999) / 100000 ))
    say "sample $size: generating $size accounts in $parts part(s) into $dir/input (not timed)"
    logged "$LOGS/generate-$size.log" run_cli generate-sample --config "$dir.conf" --output-dir "$dir/input" \
      --customers "$size" --parts "$parts" ${YEARS:+--years "$YEARS"} >&2
  fi
  fresh_warehouse "$dir/warehouse"
  run_stages sample "$size${YEARS:+-y$YEARS}" "$dir.conf"
done

IFS=, read -r -a retail_list <<<"$RETAIL"
for copies in "${retail_list[@]}"; do
  replicate "$copies"
  dir="$WORK/online-retail-x$copies"
  fresh_warehouse "$dir/warehouse"
  run_stages online-retail "$copies" "$dir.conf"
done

IFS=, read -r -a peer_list <<<"$PEER"
for copies in "${peer_list[@]}"; do
  replicate "$copies"
  say "peer x$copies: pandas + scikit-learn on $WORK/online-retail-x$copies/input"
  /usr/bin/python3 jobs/bench/peer_pipeline.py --input "$WORK/online-retail-x$copies/input" --copies "$copies" \
    --csv "$CSV" --commit "$COMMIT"
done

say "results appended to $CSV"
