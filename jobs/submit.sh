#!/usr/bin/env bash
# Submits one customer-value job to any Spark master: local[*], a standalone cluster
# (spark://host:port) or YARN on EMR. The job and its arguments are the local CLI's
# (com.customervalue.Main), unchanged.
#
#   jobs/submit.sh [options] JOB [job arguments...]
#
# Options (before JOB):
#   --master URL            Spark master (default $SPARK_MASTER, else local[*])
#   --deploy-mode MODE      client or cluster (spark-submit's default when not given: client)
#   --config FILE           job configuration (default conf/local.conf); shipped with --files and
#                           passed by its base name on YARN cluster mode
#   --properties-file FILE  Spark properties file handed to spark-submit
#   --spark-home DIR        Spark installation whose bin/spark-submit to use (default $SPARK_HOME)
#   --jar FILE              application jar (default target/customer-value-*-emr.jar, built when
#                           missing or older than the sources)
#   --dry-run               print the command, one shell-quoted argument per line, and exit 0
#
# spark-submit is taken from --spark-home/$SPARK_HOME, else from the PATH (EMR). Without either,
# the Spark jars Maven resolved (target/local-classpath.txt) run SparkSubmit directly, so a
# standalone cluster or local[*] works on a machine with no Spark download.
#
# Environment: CUSTOMER_VALUE_HASH_KEY (read by the identity stage in the driver; never printed),
# DRIVER_MEMORY (driver heap of the no-Spark-download fallback, default 4g),
# SUBMIT_CLASSPATH_FILE (default target/local-classpath.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[submit] %s\n' "$*" >&2; }
usage_error() { say "$*"; say "usage: jobs/submit.sh [--master URL] [--deploy-mode MODE] [--config FILE]" \
  "[--properties-file FILE] [--spark-home DIR] [--jar FILE] [--dry-run] JOB [args...]"; exit 2; }

# The subcommands of com.customervalue.Main; SubmitScriptTest keeps this list equal to picocli's.
JOBS=(generate-sample ingest clean identity features train score report query run)
MAIN_CLASS=com.customervalue.Main

master="${SPARK_MASTER:-local[*]}"
deploy_mode=""
config="conf/local.conf"
properties_file=""
spark_home="${SPARK_HOME:-}"
jar=""
dry_run=false

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || usage_error "option $1 needs a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --master) need_value "$@"; master="$2"; shift 2 ;;
    --deploy-mode) need_value "$@"; deploy_mode="$2"; shift 2 ;;
    --config) need_value "$@"; config="$2"; shift 2 ;;
    --properties-file) need_value "$@"; properties_file="$2"; shift 2 ;;
    --spark-home) need_value "$@"; spark_home="$2"; shift 2 ;;
    --jar) need_value "$@"; jar="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) usage_error "unknown option '$1' (options go before JOB; job options after it)" ;;
    *) break ;;
  esac
done

[ $# -ge 1 ] || usage_error "no JOB given (one of: ${JOBS[*]})"
job="$1"; shift
known=false
for j in "${JOBS[@]}"; do [ "$j" = "$job" ] && known=true; done
$known || usage_error "unknown JOB '$job' (one of: ${JOBS[*]})"

case "$deploy_mode" in
  ""|client|cluster) ;;
  *) usage_error "--deploy-mode must be client or cluster, not '$deploy_mode'" ;;
esac
[ -f "$config" ] || usage_error "config file '$config' does not exist"
[ -z "$properties_file" ] || [ -f "$properties_file" ] || usage_error "properties file '$properties_file' does not exist"

# Rebuild when anything the build reads is newer than the jar (as jobs/local-env.sh does). A dry run
# never builds: it prints what would run.
if [ -z "$jar" ]; then
  jar="$(ls -t target/customer-value-*-emr.jar 2>/dev/null | head -n 1 || true)"
  if [ -z "$jar" ] || [ -n "$(find pom.xml src conf notebooks-export -newer "$jar" -print -quit)" ]; then
    if $dry_run; then
      say "the jar is missing or stale: a real run builds it first (mvn -B -q -DskipTests package)"
    else
      say "building the jar (mvn package, tests skipped)"
      mvn -B -q -DskipTests package
      jar="$(ls -t target/customer-value-*-emr.jar | head -n 1)"
    fi
  fi
  jar="${jar:-target/customer-value-VERSION-emr.jar}"
fi

cluster_mode=false
[ "$deploy_mode" = cluster ] && cluster_mode=true

# Executors (and a driver spark-submit starts) need the Java 17 flags of jobs/spark-jvm.args.
jvm_opts="$(grep -v '^[[:space:]]*\(#\|$\)' jobs/spark-jvm.args | tr '\n' ' ' | sed 's/ *$//')"

if [ -n "$spark_home" ] && [ -x "$spark_home/bin/spark-submit" ]; then
  cmd=("$spark_home/bin/spark-submit")
elif [ -z "$spark_home" ] && command -v spark-submit >/dev/null; then
  cmd=("$(command -v spark-submit)")
else
  # No Spark installation: run SparkSubmit from the jars Maven resolved. Client mode only, since
  # the driver is this very JVM.
  $cluster_mode && usage_error "--deploy-mode cluster needs a Spark installation (--spark-home or spark-submit on the PATH)"
  classpath_file="${SUBMIT_CLASSPATH_FILE:-target/local-classpath.txt}"
  if [ ! -f "$classpath_file" ]; then
    $dry_run || usage_error "no Spark installation and no '$classpath_file' (run mvn -B -q -DskipTests package)"
    classpath="<$classpath_file>"
  else
    classpath="$(cat "$classpath_file")"
  fi
  # shellcheck disable=SC2206 # the flags file holds one flag per line, none with spaces
  # The driver is a JVM on this machine: it also gets the local flags (jobs/local-jvm.args).
  cmd=(java -Xmx"${DRIVER_MEMORY:-4g}" $jvm_opts @jobs/local-jvm.args -Dlog4j.configurationFile=conf/log4j2.properties
    -cp "$classpath:$jar" org.apache.spark.deploy.SparkSubmit)
  export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
fi

cmd+=(--master "$master")
[ -z "$deploy_mode" ] || cmd+=(--deploy-mode "$deploy_mode")
[ -z "$properties_file" ] || cmd+=(--properties-file "$properties_file")
cmd+=(--name "customer-value $job")
cmd+=(--conf "spark.driver.extraJavaOptions=$jvm_opts" --conf "spark.executor.extraJavaOptions=$jvm_opts")

# The job's own --config wins over the wrapper's; otherwise the wrapper's file goes along. In
# cluster mode the driver runs elsewhere: the file travels with --files and is read from the
# container's working directory by its base name.
job_args=("$@")
has_config=false
for a in "${job_args[@]}"; do case "$a" in --config|--config=*) has_config=true ;; esac; done
if ! $has_config; then
  if $cluster_mode; then
    cmd+=(--files "$(cd "$(dirname "$config")" && pwd)/$(basename "$config")")
    job_args+=(--config "$(basename "$config")")
  else
    job_args+=(--config "$config")
  fi
fi

cmd+=(--class "$MAIN_CLASS" "$jar" "$job" "${job_args[@]}")

if $dry_run; then
  secret="${CUSTOMER_VALUE_HASH_KEY:-}"
  for a in "${cmd[@]}"; do
    [ -n "$secret" ] && a="${a//"$secret"/***}"
    printf '%q\n' "$a"
  done
  exit 0
fi

# Local mode stays on loopback; on a cluster the driver must be reachable from the executors.
case "$master" in local*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;; esac
exec "${cmd[@]}"
