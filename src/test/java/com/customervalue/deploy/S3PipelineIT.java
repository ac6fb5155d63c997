package com.customervalue.deploy;

import static com.customervalue.testing.TableComparison.comparable;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.S3ProxyServer;
import com.customervalue.testing.S3aSettings;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Catalog;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over the real S3 protocol: S3Proxy on 127.0.0.1 in this JVM, the product as a
 * child process through jobs/submit.sh with the -emr jar (master local[2]), the exports read from and
 * every table written to {@code s3a://} through hadoop-aws, with conf/examples/s3a.conf. The
 * credentials reach the child only as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in its environment,
 * for the AWS SDK's default chain. The tables must be those of the local run on the same sample
 * ({@link LocalReferenceRun}), with the same features and scores; no credential may appear in what
 * the runs print or log (Spark's dump of its configuration included) or in the one-line error of a
 * run with a wrong secret.
 * Runs in the {@code cluster} Maven profile, after {@code package}.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3PipelineIT {
  /** Unique per run: Hadoop caches one s3a client per bucket name for the whole JVM. */
  private static final String BUCKET = "customer-value-it-" + Long.toHexString(System.nanoTime());
  private static final String INPUT = "s3a://" + BUCKET + "/input";
  private static final String WAREHOUSE = "s3a://" + BUCKET + "/warehouse";
  private static final String WRONG_SECRET = "wrong-secret-" + Long.toHexString(System.nanoTime());
  private static final String RUN_ID = LocalReferenceRun.RUN_ID;
  private static final List<String> COMPARED_TABLES = List.of("customer_features", "customer_scores");
  private static final Pattern STACK_TRACE =
      Pattern.compile("(?m)^\\s+at [\\w$.<>/]+\\(|^Caused by: |^\\s+Suppressed: |^\\s+\\.\\.\\. \\d+ more$");
  private static final long RUN_TIMEOUT_MINUTES = 20;
  @TempDir
  static Path dir;

  private S3ProxyServer server;
  private S3aSettings s3a;
  private LocalReferenceRun local;
  private Path s3aConfig;
  private Path quiet;
  private Path verbose;

  private record Result(int exit, String out, String err, long seconds) {
    String printed() {
      return out + err;
    }
  }

  @BeforeAll
  void startServerAndRunLocally(SparkSession spark) throws Exception {
    local = LocalReferenceRun.get();
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
    // The test's own view of the bucket, to upload the exports and read the tables back.
    s3a = S3aSettings.apply(spark, server, BUCKET);

    s3aConfig = s3aConfig();
    quiet = Files.writeString(dir.resolve("quiet.properties"), "spark.ui.enabled false\n");
    // Spark logs at info, and its whole configuration at start: the leak check reads all of it.
    verbose = Files.writeString(dir.resolve("verbose.properties"),
        "spark.ui.enabled false\nspark.logConf true\nspark.log.level INFO\n");

    List<String> uploaded = upload(spark);
    assertThat(uploaded).contains("invoices.csv", "customers.csv", "support_tickets.json");
  }

  @AfterAll
  void stopServer() {
    // Settings first (closing the cached s3a clients while the server still answers), then the server.
    try {
      if (s3a != null) {
        s3a.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  @Order(1)
  void configDiffersFromLocalOnlyInPathsAndConnection() {
    Map<String, Object> reference = flattened(local.config);
    Map<String, Object> remote = flattened(s3aConfig);
    Set<String> differing = new TreeSet<>(reference.keySet());
    differing.addAll(remote.keySet());
    differing.removeIf(key -> Objects.equals(reference.get(key), remote.get(key)));

    assertThat(differing).allSatisfy(key -> assertThat(key).matches(
        "input-root|warehouse\\.root|sample\\.output-dir|spark\\.properties\\.\"spark\\.sql\\.warehouse\\.dir\"|"
            + "spark\\.properties\\.\"spark\\.hadoop\\.fs\\.s3a\\.[a-z.]+\""));
    assertThat(remote).containsEntry("warehouse.root", WAREHOUSE).containsEntry("input-root", INPUT)
        .containsEntry("spark.properties.\"spark.hadoop.fs.s3a.endpoint\"", server.endpoint());
  }

  @Test
  @Order(2)
  void wholePipelineOnS3aWritesWhatLocalModeWrites(SparkSession spark) throws Exception {
    Result run = submit(s3aConfig, verbose, credentials(server.secretKey()), "run", "--run-id", RUN_ID);
    System.err.printf("S3PipelineIT: s3a run took %d s%n", run.seconds());

    assertThat(run.exit()).as(tail(run.err())).isZero();
    assertThat(run.out()).contains("tables written under " + WAREHOUSE);
    // Spark's dump of every property it was given, the s3a ones included, and not a credential in it
    // or anywhere else in what the run printed or logged at info.
    assertThat(run.err()).contains("Spark configuration:", "spark.hadoop.fs.s3a.endpoint=" + server.endpoint(),
        "spark.hadoop.fs.s3a.aws.credentials.provider=software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
    assertNoCredential(run, server.secretKey());

    // Every Delta table is on s3a, the same set a local run writes, each with the same row count.
    FileSystem fs = FileSystem.get(URI.create(WAREHOUSE), spark.sparkContext().hadoopConfiguration());
    Set<String> localTables = localDeltaTables(local.warehouse);
    Set<String> s3aTables = new TreeSet<>();
    for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(WAREHOUSE))) {
      if (status.isDirectory() && fs.exists(new org.apache.hadoop.fs.Path(status.getPath(), "_delta_log"))) {
        s3aTables.add(status.getPath().getName());
      }
    }
    assertThat(localTables).containsAll(Catalog.BI_TABLES);
    assertThat(s3aTables).isEqualTo(localTables);
    Map<String, Long> localCounts = new TreeMap<>();
    Map<String, Long> s3aCounts = new TreeMap<>();
    for (String table : localTables) {
      // Asked of the server's own store: the tables really went over the S3 protocol.
      assertThat(server.hasObject(BUCKET, "warehouse/" + table + "/_delta_log/00000000000000000000.json"))
          .as("first commit of %s in the S3 server", table).isTrue();
      localCounts.put(table, delta(spark, local.warehouse.resolve(table).toString()).count());
      s3aCounts.put(table, delta(spark, WAREHOUSE + "/" + table).count());
    }
    System.err.printf("S3PipelineIT: %d tables, rows %s%n", s3aCounts.size(), s3aCounts);
    assertThat(s3aCounts).isEqualTo(localCounts);

    // What the BI tool reads is the same, row for row.
    for (String table : COMPARED_TABLES) {
      Dataset<Row> expected = comparable(delta(spark, local.warehouse.resolve(table).toString()));
      Dataset<Row> actual = comparable(delta(spark, WAREHOUSE + "/" + table));
      assertThat(expected.count()).as("%s rows", table).isPositive();
      assertThat(actual.exceptAll(expected).count()).as("%s rows only the s3a run wrote", table).isZero();
      assertThat(expected.exceptAll(actual).count()).as("%s rows only the local run wrote", table).isZero();
    }

    // The writes that are not Delta: the model (MLlib, through a Hadoop output committer), its
    // metadata and the report. A 0-byte _SUCCESS is the classic FileOutputCommitter's (an S3A committer
    // writes a JSON summary): the choice conf/examples/s3a.conf documents. No task output is left behind.
    String model = "warehouse/models/returned/" + RUN_ID;
    assertThat(server.hasObject(BUCKET, model + "/metadata.json")).as("model metadata.json").isTrue();
    assertThat(server.hasObject(BUCKET, model + "/pipeline/metadata/_SUCCESS")).as("pipeline committed").isTrue();
    assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/" + model
        + "/pipeline/metadata/_SUCCESS")).getLen()).isZero();
    assertThat(server.hasObject(BUCKET, "warehouse/report/report.html")).as("HTML report").isTrue();
    assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path(WAREHOUSE + "/report/report.html")).getLen())
        .isPositive();
    List<String> leftovers = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(new org.apache.hadoop.fs.Path(WAREHOUSE), true);
    while (files.hasNext()) {
      String path = files.next().getPath().toString();
      if (path.contains("/_temporary/") || path.contains("/__magic")) {
        leftovers.add(path);
      }
    }
    assertThat(leftovers).as("uncommitted task output").isEmpty();
  }

  @Test
  @Order(3)
  void wrongSecretStopsWithOneLineNamingTheBucketAndNoSecret(SparkSession spark) throws Exception {
    long jobRunsBefore = jobRuns(spark);

    Result run = submit(s3aConfig, quiet, credentials(WRONG_SECRET), "run", "--run-id", "wrong-secret");

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    List<String> failed = run.err().lines().filter(l -> l.startsWith("Failed")).toList();
    assertThat(failed).singleElement().asString()
        .startsWith("Failed: Cannot access the warehouse " + WAREHOUSE + " (checked " + WAREHOUSE + "/job_runs)")
        .contains("access denied by the object store (HTTP 403) for bucket '" + BUCKET + "'");
    assertThat(STACK_TRACE.matcher(run.err()).find()).as("a stack trace on stderr:%n%s", run.err()).isFalse();
    assertNoCredential(run, server.secretKey());
    assertNoCredential(run, WRONG_SECRET);
    assertThat(jobRuns(spark)).as("job_runs rows: nothing is written").isEqualTo(jobRunsBefore);
  }

  @Test
  @Order(4)
  void dryRunPrintsTheCommandWithoutCredentials() throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "jobs/submit.sh", "--master", "local[2]", "--jar",
        local.jar.toString(), "--config", s3aConfig.toString(), "--dry-run", "run", "--run-id", RUN_ID));
    Result dry = run(command, credentials(server.secretKey()), "dry-run");

    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("org.apache.spark.deploy.SparkSubmit", s3aConfig.toString());
    assertNoCredential(dry, server.secretKey());
    assertThat(Files.readString(s3aConfig)).doesNotContain(server.accessKey(), server.secretKey());
  }

  private void assertNoCredential(Result result, String secret) {
    assertThat(result.printed()).as("what the child printed or logged")
        .doesNotContain(secret)
        .doesNotContain(server.accessKey());
  }

  /** The environment that gives the child the credentials, the only way they reach it. */
  private Map<String, String> credentials(String secret) {
    return Map.of("AWS_ACCESS_KEY_ID", server.accessKey(), "AWS_SECRET_ACCESS_KEY", secret);
  }

  /** conf/examples/s3a.conf (conf/local.conf on s3a) with this test's bucket and server. */
  private Path s3aConfig() throws IOException {
    return Files.writeString(dir.resolve("s3a.conf"), "include file(\""
        + Path.of("conf/examples/s3a.conf").toAbsolutePath() + "\")\ncustomer-value {\n"
        + "  input-root = \"" + INPUT + "\"\n"
        + "  warehouse.root = \"" + WAREHOUSE + "\"\n"
        + "  spark.properties { \"spark.sql.warehouse.dir\" = \"" + WAREHOUSE + "/_catalog\","
        + " \"spark.hadoop.fs.s3a.endpoint\" = \"" + server.endpoint() + "\" }\n"
        + LocalReferenceRun.SMALL_SAMPLE
        + "}\n");
  }

  /** Every setting of a config file over the built-in defaults, as path -> value. */
  private static Map<String, Object> flattened(Path file) {
    Config config = ConfigFactory.parseFile(file.toFile())
        .withFallback(ConfigFactory.parseFile(Path.of("conf/application.conf").toFile())).resolve()
        .getConfig("customer-value");
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      out.put(e.getKey(), e.getValue().unwrapped());
    }
    return out;
  }

  /** Copies the generated exports (not the generator's truth/) into the bucket, through s3a. */
  private List<String> upload(SparkSession spark) throws IOException {
    FileSystem fs = FileSystem.get(URI.create(INPUT), spark.sparkContext().hadoopConfiguration());
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(local.input)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()),
            new org.apache.hadoop.fs.Path(INPUT + "/" + name));
        names.add(name);
      }
    }
    return names;
  }

  private static Set<String> localDeltaTables(Path warehouse) throws IOException {
    try (Stream<Path> children = Files.list(warehouse)) {
      return children.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Dataset<Row> delta(SparkSession spark, String path) {
    return spark.read().format("delta").load(path);
  }

  private static long jobRuns(SparkSession spark) {
    String path = WAREHOUSE + "/job_runs";
    return DeltaTable.isDeltaTable(spark, path) ? delta(spark, path).count() : 0;
  }

  private Result submit(Path config, Path properties, Map<String, String> aws, String... jobAndArgs)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "jobs/submit.sh", "--master", "local[2]", "--jar",
        local.jar.toString(), "--config", config.toString(), "--properties-file", properties.toString()));
    command.addAll(List.of(jobAndArgs));
    return run(command, aws, jobAndArgs[0]);
  }

  /**
   * Runs a command as the product's user would, with nothing of this JVM's AWS environment: only
   * {@code aws} is passed on.
   */
  private Result run(List<String> command, Map<String, String> aws, String name) throws Exception {
    Path out = Files.createTempFile(dir, name + "-", ".out");
    Path err = Files.createTempFile(dir, name + "-", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    LocalReferenceRun.submitEnvironment(builder).putAll(aws);
    long start = System.nanoTime();
    Process p = builder.start();
    try {
      if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        throw new AssertionError(name + " did not finish in " + RUN_TIMEOUT_MINUTES + " minutes: "
            + tail(Files.readString(err)));
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
