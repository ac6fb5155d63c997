# Sourced by the local job scripts (jobs/run-local.sh, jobs/benchmark-train.sh): builds what is
# missing or stale, sets the local environment and defines run_cli. Expects `say` to be defined
# and the working directory to be the project root.

DRIVER_MEMORY="${DRIVER_MEMORY:-4g}"
CLASSPATH_FILE=target/local-classpath.txt

if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  say "needs Java 17 and Maven on the PATH"; exit 2
fi

# Rebuild when anything the product's jar is built from is newer than the last build. Maven leaves
# an unchanged classpath file alone, so it is touched to mark the build.
if [ ! -f "$CLASSPATH_FILE" ] || [ -n "$(find pom.xml src/main conf notebooks-export -newer "$CLASSPATH_FILE" -print -quit)" ]; then
  say "building (mvn package, tests skipped; the first build downloads dependencies)"
  mvn -B -q -DskipTests package
  touch "$CLASSPATH_FILE"
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
  java -Xmx"$DRIVER_MEMORY" @jobs/spark-jvm.args @jobs/local-jvm.args \
    -Dlog4j.configurationFile=conf/log4j2.properties \
    -cp "target/classes:$(cat "$CLASSPATH_FILE")" \
    com.customervalue.Main "$@"
}
