package com.customervalue.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local run the integration tests compare against, made once per test JVM: the generated
 * sample of 200 accounts over 2 years, and one {@code run} of it through jobs/submit.sh with the
 * -emr jar, master local[2] and conf/local.conf plus {@link #SMALL_SAMPLE}, in a new folder
 * target/it-reference-run-NNN (kept for inspection). StandaloneClusterIT and S3PipelineIT run the
 * same settings elsewhere (a standalone cluster, s3a) and compare their tables with this run's;
 * before they shared it, each made its own local run of about three minutes.
 */
final class LocalReferenceRun {
  static final String HASH_KEY = "integration-test-hash-key";
  static final String RUN_ID = "it";
  /**
   * What every run of the integration tests adds to conf/local.conf for a sample of 200 accounts
   * over 2 years: a handful of planted bad rows is more than 5 % of a small source, two years hold
   * too few snapshots to purge overlapping label windows, bought_top_tier has too few positives to
   * model, and one logistic target keeps each run to minutes. The same for every run, so the runs
   * differ only where they should.
   */
  static final String SMALL_SAMPLE = "  ingest.max-quarantine-fraction = 0.2\n"
      + "  train { targets = [\"returned\"], classifiers = [\"logistic\"], compare-variants = [], folds = 2,"
      + " purge-overlapping-labels = false }\n";
  /**
   * How long one run may take before a test calls it hung. Not a performance bound: on a 2-core
   * machine shared with other builds one local run took 597 s.
   */
  static final long RUN_LIMIT_MINUTES = 25;
  private static final Pattern EMR_JAR = Pattern.compile("customer-value-.*-emr\\.jar");

  private static LocalReferenceRun made;
  private static AssertionError failed;

  /** The -emr jar the runs submit. */
  final Path jar;
  /** The generated exports (truth/ beside them). */
  final Path input;
  /** The warehouse the local run wrote. */
  final Path warehouse;
  /** The local run's config file. */
  final Path config;
  /** Seconds the local run took. */
  final long seconds;

  private LocalReferenceRun(Path jar, Path input, Path warehouse, Path config, long seconds) {
    this.jar = jar;
    this.input = input;
    this.warehouse = warehouse;
    this.config = config;
    this.seconds = seconds;
  }

  /** The run, made by the first caller; a failed run fails every caller with the same message. */
  static synchronized LocalReferenceRun get() throws Exception {
    if (failed != null) {
      throw failed;
    }
    if (made == null) {
      try {
        made = make();
        System.err.printf("LocalReferenceRun: local run took %d s%n", made.seconds);
      } catch (AssertionError e) {
        failed = e;
        throw e;
      }
    }
    return made;
  }

  /** The -emr jar under target/, which {@code package} builds before the integration tests. */
  private static Path emrJar() throws IOException {
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      return jars.filter(p -> EMR_JAR.matcher(p.getFileName().toString()).matches()).findFirst()
          .orElseThrow(() -> new AssertionError("no target/customer-value-*-emr.jar: run mvn verify"))
          .toAbsolutePath();
    }
  }

  /** conf/local.conf with {@code body} (HOCON lines inside {@code customer-value { }}) and SMALL_SAMPLE. */
  static Path config(Path file, String body) throws IOException {
    return Files.writeString(file, "include file(\"" + Path.of("conf/local.conf").toAbsolutePath() + "\")\n"
        + "customer-value {\n" + body + SMALL_SAMPLE + "}\n");
  }

  private static LocalReferenceRun make() throws Exception {
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "it-reference-run-");
    Path input = root.resolve("input");
    Path warehouse = root.resolve("warehouse");
    Path config = config(root.resolve("local.conf"), "  input-root = \"" + input + "\"\n"
        + "  warehouse.root = \"" + warehouse + "\"\n"
        + "  spark.properties { \"spark.sql.warehouse.dir\" = \"" + warehouse.resolve("_catalog") + "\" }\n");
    Path quiet = Files.writeString(root.resolve("quiet.properties"), "spark.ui.enabled false\n");
    Path jar = emrJar();
    submit(root, jar, config, quiet, "generate-sample", "--customers", "200", "--years", "2");
    long start = System.nanoTime();
    submit(root, jar, config, quiet, "run", "--run-id", RUN_ID);
    return new LocalReferenceRun(jar, input, warehouse, config,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  /**
   * Sets the environment of a jobs/submit.sh child as every integration test runs it: no Spark
   * installation (SparkSubmit from the Maven jars), none of this JVM's AWS_* variables, this JVM's
   * java first on the PATH, the tests' hash key, a 1500m driver and a loopback driver address.
   * Returns the environment, for a test to add to.
   */
  static Map<String, String> submitEnvironment(ProcessBuilder builder) {
    Map<String, String> env = builder.environment();
    env.remove("SPARK_HOME");
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("PATH", "/usr/bin:/bin:" + Path.of(System.getProperty("java.home"), "bin"));
    env.put("CUSTOMER_VALUE_HASH_KEY", HASH_KEY);
    env.put("DRIVER_MEMORY", "1500m");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return env;
  }

  private static void submit(Path root, Path jar, Path config, Path properties, String... jobAndArgs)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "jobs/submit.sh", "--master", "local[2]", "--jar",
        jar.toString(), "--config", config.toString(), "--properties-file", properties.toString()));
    command.addAll(List.of(jobAndArgs));
    Path out = root.resolve(jobAndArgs[0] + ".out");
    Path err = root.resolve(jobAndArgs[0] + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    submitEnvironment(builder);
    Process p = builder.start();
    try {
      if (!p.waitFor(RUN_LIMIT_MINUTES, TimeUnit.MINUTES)) {
        throw new AssertionError("the local reference " + jobAndArgs[0] + " did not finish in " + RUN_LIMIT_MINUTES
            + " minutes; its log is " + err);
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(err);
      throw new AssertionError("the local reference " + jobAndArgs[0] + " exited " + p.exitValue() + " (log " + err
          + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }
  }
}
