package com.customervalue.badinput;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.customervalue.Main;
import com.customervalue.badinput.BadInputCase.Fixture;
import com.customervalue.badinput.BadInputCase.Outcome;
import com.customervalue.badinput.BadInputCase.Quarantined;
import com.customervalue.badinput.BadInputCase.Stage;
import com.customervalue.clean.CleanJob;
import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.FeaturesJob;
import com.customervalue.identity.IdentityJob;
import com.customervalue.identity.KeyHasher;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.Job;
import com.customervalue.job.RunContext;
import com.customervalue.sources.Source;
import com.customervalue.testing.S3ProxyServer;
import com.customervalue.testing.S3aSettings;
import com.customervalue.train.TrainJob;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Tables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs one {@link BadInputCase} on the shared SparkSession and checks its outcome:
 *
 * <ul>
 *   <li>refused: the exception is the expected {@link CustomerValueException} (the CLI prints those
 *       without a stack trace), its message names every expected source, column and value, and the
 *       warehouse holds exactly the files it held before the stage ran;
 *   <li>otherwise: no exception; per source, rows read = rows kept + rows quarantined (ingest) and rows
 *       in = rows out + removed + quarantined (clean), from data_quality and the tables themselves;
 *       the quarantine holds exactly the expected rows, each reason naming its column and value; the
 *       good rows are kept.
 * </ul>
 */
final class Harness implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Harness.class);
  static final String RUN = "bad";
  /** Every run "starts" here, so "in the future" means after 2024-05-01. */
  static final Instant STARTED = Instant.parse("2024-05-01T00:00:00Z");
  static final KeyHasher HASHER = KeyHasher.of("bad-input catalogue", "bad-input-catalogue-key");
  static final String WRONG_SECRET = "not-the-secret-4f1c9e";

  private static final List<String> OPTIONAL = Arrays.stream(Source.values()).filter(s -> !s.isRequired())
      .map(Source::id).toList();
  private static final Map<String, String> KEY_COLUMN = Map.of(
      "invoices", "invoice_id", "customers", "customer_id", "support_tickets", "ticket_id",
      "web_analytics", "domain", "marketing_events", "campaign", "press_releases", "title",
      "site_categories", "domain");

  private final SparkSession spark;
  private final Path root;
  private int counter;
  private Path oneCustomer;
  private S3ProxyServer s3;

  Harness(SparkSession spark, Path root) {
    this.spark = spark;
    this.root = root;
  }

  /** What a case run left behind, for the checks. */
  final class Result {
    final BadInputCase c;
    final Path input;
    final Path warehouse;
    final String inputRoot;
    Throwable thrown;
    private final Map<String, List<Row>> cache = new java.util.HashMap<>();
    String stderr = "";
    int exit = -1;

    Result(BadInputCase c, Path input, Path warehouse, String inputRoot) {
      this.c = c;
      this.input = input;
      this.warehouse = warehouse;
      this.inputRoot = inputRoot;
    }

    boolean exists(String table) {
      return Files.isDirectory(warehouse.resolve(table).resolve("_delta_log"));
    }

    Dataset<Row> table(String table) {
      return spark.read().format("delta").load(warehouse.resolve(table).toString());
    }

    /** The rows of this case's run in {@code table} (bronze, silver and keyed tables carry {@code _run_id}). */
    Dataset<Row> ofRun(String table) {
      Dataset<Row> rows = table(table);
      String runColumn = Arrays.asList(rows.columns()).contains(Lineage.RUN_ID) ? Lineage.RUN_ID : "run_id";
      return rows.where(col(runColumn).equalTo(RUN));
    }

    /** The run's rows of {@code table}, read once per case (each Delta read replays the log: keep them few). */
    List<Row> rows(String table) {
      return cache.computeIfAbsent(table, t -> exists(t) ? ofRun(t).collectAsList() : List.of());
    }

    long count(String table) {
      return rows(table).size();
    }

    /** The key column of every row of the run in a bronze, silver or keyed table. */
    List<String> keys(String table) {
      String column = KEY_COLUMN.get(table.replaceFirst("^(bronze|silver|keyed)_", ""));
      return rows(table).stream().map(row -> row.get(row.fieldIndex(column)))
          .map(v -> v == null ? null : v.toString()).toList();
    }

    /** data_quality of the run: "stage/source/check" -> row_count. */
    Map<String, Long> dataQuality() {
      Map<String, Long> out = new TreeMap<>();
      rows(Tables.DATA_QUALITY).forEach(r -> out.put(r.getAs("stage") + "/" + r.getAs("source") + "/"
          + r.getAs("check_name"), r.getAs("row_count")));
      return out;
    }
  }

  Result run(BadInputCase c) throws IOException {
    Path dir = root.resolve(String.format("%02d", ++counter));
    Path input = dir.resolve("input");
    Path warehouse = dir.resolve("warehouse");
    Files.createDirectories(input);
    String inputRoot = input.toAbsolutePath().toString();
    S3aSettings s3a = null;
    if (c.s3 != null) {
      String bucket = "cv-bad-" + c.s3 + "-" + Long.toHexString(System.nanoTime());
      if (s3 == null) {
        s3 = S3ProxyServer.start();
      }
      if (c.s3.equals("denied")) {
        s3.createBucket(bucket);
        s3a = S3aSettings.apply(spark, s3, bucket, s3.accessKey(), WRONG_SECRET);
      } else {
        s3a = S3aSettings.apply(spark, s3, bucket);
      }
      inputRoot = "s3a://" + bucket + "/input";
    }
    Result result = new Result(c, input, warehouse, inputRoot);
    try {
      if (c.stage == Stage.CONFIG) {
        runCli(c, dir, result);
        return result;
      }
      List<Job> jobs = new ArrayList<>();
      String hocon = prepare(c, input, warehouse, inputRoot, jobs);
      AppConfig config = ConfigLoader.loadFromString(hocon);
      RunContext context = new RunContext(RUN, Optional.ofNullable(c.asOf), STARTED);
      for (int i = 0; i < jobs.size() - 1; i++) {
        jobs.get(i).run(spark, config, context);
      }
      Map<String, Long> before = snapshot(warehouse);
      try {
        jobs.get(jobs.size() - 1).run(spark, config, context);
      } catch (Throwable e) {
        result.thrown = e;
      }
      checkOutcome(result, before);
      return result;
    } finally {
      if (s3a != null) {
        s3a.close();
      }
    }
  }

  /** Writes the case's files and fixture; returns its configuration and fills the jobs to run. */
  private String prepare(BadInputCase c, Path input, Path warehouse, String inputRoot, List<Job> jobs)
      throws IOException {
    StringBuilder hocon = new StringBuilder("customer-value {\n  input-root = \"" + inputRoot + "\"\n"
        + "  warehouse.root = \"" + warehouse.toAbsolutePath() + "\"\n}\n");
    switch (c.fixture) {
      case ONE_CUSTOMER -> {
        copy(oneCustomer(), warehouse);
        hocon.append(ONE_CUSTOMER_CONFIG);
      }
      case LABELS_ALL_ONE_IN_TRAINING, LABELS_ALL_ZERO_OUT_OF_TIME -> {
        writeLabelledFeatures(warehouse, c.fixture);
        hocon.append(LABELS_CONFIG);
      }
      case NONE -> {
        // A few lines per case: one bad line is a large share, which the default limit would stop.
        hocon.append("customer-value.ingest.max-quarantine-fraction = 1.0\n");
        List<String> ingested = new ArrayList<>(c.sources);
        for (String source : OPTIONAL) {
          if (!ingested.contains(source)) {
            hocon.append("customer-value.sources.").append(source).append(".enabled = false\n");
          }
        }
        if (c.defaultInvoices && c.s3 == null) {
          Files.writeString(input.resolve("invoices.csv"), Rows.INVOICES + "\n" + Rows.invoice("INV-1") + "\n"
              + Rows.invoice("INV-2", "Product", "FDM print") + "\n");
        }
      }
    }
    for (Map.Entry<String, byte[]> file : c.files.entrySet()) {
      Path path = input.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
    }
    c.config.forEach(h -> hocon.append(h).append('\n'));
    Stage first = switch (c.fixture) {
      case NONE -> Stage.INGEST;
      case ONE_CUSTOMER -> Stage.FEATURES;
      default -> Stage.TRAIN;
    };
    for (Stage s : Stage.values()) {
      if (s.ordinal() >= first.ordinal() && s.ordinal() <= c.stage.ordinal()) {
        jobs.add(job(s));
      }
    }
    return hocon.toString();
  }

  private static Job job(Stage stage) {
    return switch (stage) {
      case INGEST -> new IngestJob();
      case CLEAN -> new CleanJob();
      case IDENTITY -> new IdentityJob(HASHER);
      case FEATURES -> new FeaturesJob();
      case TRAIN -> new TrainJob();
      case CONFIG -> throw new IllegalArgumentException("config cases run through the command line");
    };
  }

  /** Config cases: the case's HOCON is the user's --config file; the command line must refuse it. */
  private void runCli(BadInputCase c, Path dir, Result result) throws IOException {
    Path file = dir.resolve("user.conf");
    Files.writeString(file, "customer-value {\n  input-root = \"" + result.input.toAbsolutePath() + "\"\n"
        + "  warehouse.root = \"" + result.warehouse.toAbsolutePath() + "\"\n}\n" + String.join("\n", c.config) + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    result.exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "ingest", "--config",
        file.toString(), "--run-id", RUN);
    result.stderr = err.toString();
    log.info("{}: exit {}: {}", c, result.exit, result.stderr.strip());
    assertThat(result.exit).as("exit code; stderr:\n%s", result.stderr).isEqualTo(c.exitCode);
    assertThat(result.stderr).as("stderr names what is wrong").contains(c.mentions).contains(file.toString());
    assertNoStackTrace(result.stderr);
    assertThat(result.warehouse).as("nothing written").doesNotExist();
  }

  private void checkOutcome(Result r, Map<String, Long> before) {
    BadInputCase c = r.c;
    if (c.outcome == Outcome.REFUSED || c.outcome == Outcome.STOPPED) {
      assertThat(r.thrown).as("the run must stop with %s", c.error.getSimpleName()).isNotNull();
      assertThat(r.thrown).as("a user-facing error (printed without a stack trace)")
          .isInstanceOf(CustomerValueException.class).isInstanceOf(c.error);
      String message = r.thrown.getMessage();
      log.info("{}: {}: {}", c, r.thrown.getClass().getSimpleName(), message);
      for (String mention : c.mentions) {
        assertThat(message).as("the message names %s", mention).contains(mention.replace("{input}", r.inputRoot));
      }
      for (String secret : c.mustNotMention) {
        assertThat(message).as("the message must not leak it").doesNotContain(secret);
      }
      assertNoStackTrace(message);
      if (c.outcome == Outcome.REFUSED) {
        assertThat(snapshot(r.warehouse)).as("no table written or changed").isEqualTo(before);
        return;
      }
      for (String source : sourcesOf(c)) {
        String bronze = "bronze_" + source;
        assertThat(r.count(bronze)).as("no %s rows when stopped", bronze).isZero();
      }
    } else if (r.thrown != null) {
      StringWriter trace = new StringWriter();
      r.thrown.printStackTrace(new PrintWriter(trace));
      fail("the run must go on, but it failed:\n" + trace);
    }
    checkAccounting(r);
    checkQuarantine(r);
    for (Map.Entry<String, List<String>> e : c.kept.entrySet()) {
      assertThat(r.keys(e.getKey())).as("rows kept in %s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
    }
    Map<String, Long> dq = r.dataQuality();
    c.removed.forEach((rule, n) -> assertThat(dq.get("clean/" + c.source + "/removed_" + rule))
        .as("removed by %s", rule).isEqualTo(n));
    c.read.forEach((source, n) -> assertThat(dq.get("ingest/" + source + "/rows_read")).as("rows read of %s", source)
        .isEqualTo(n));
    c.checks.forEach(check -> check.accept(r));
  }

  /** Rows read = kept + quarantined per source (ingest), in = out + removed + quarantined (clean), against the tables. */
  private void checkAccounting(Result r) {
    if (!r.exists(Tables.DATA_QUALITY)) {
      return;
    }
    Map<String, Long> dq = r.dataQuality();
    Map<String, Long> quarantined = new TreeMap<>();
    r.rows(Tables.QUARANTINE).forEach(row -> quarantined.merge(row.getAs("stage") + "/" + row.getAs("source"), 1L,
        Long::sum));
    for (String key : dq.keySet().stream().filter(k -> k.startsWith("ingest/") && k.endsWith("/rows_read")).toList()) {
      String source = key.split("/")[1];
      long read = dq.get(key);
      long kept = dq.get("ingest/" + source + "/rows_kept");
      long bad = dq.get("ingest/" + source + "/rows_quarantined");
      assertThat(read).as("%s: rows read = rows kept + rows quarantined", source).isEqualTo(kept + bad);
      assertThat(quarantined.getOrDefault("ingest/" + source, 0L)).as("%s: quarantine table rows", source)
          .isEqualTo(bad);
      String bronze = "bronze_" + source;
      if (r.count(bronze) > 0) {
        assertThat(r.count(bronze)).as("%s: rows kept = bronze rows", source).isEqualTo(kept);
      }
    }
    for (String key : dq.keySet().stream().filter(k -> k.startsWith("clean/") && k.endsWith("/rows_in")).toList()) {
      String source = key.split("/")[1];
      long in = dq.get(key);
      long out = dq.get("clean/" + source + "/rows_out");
      long bad = dq.get("clean/" + source + "/quarantined");
      long removed = dq.entrySet().stream().filter(e -> e.getKey().startsWith("clean/" + source + "/removed_"))
          .mapToLong(Map.Entry::getValue).sum();
      assertThat(in).as("%s: rows in = out + removed + quarantined", source).isEqualTo(out + removed + bad);
      assertThat(in).as("%s: rows in = bronze rows", source).isEqualTo(r.count("bronze_" + source));
      assertThat(out).as("%s: rows out = silver rows", source).isEqualTo(r.count("silver_" + source));
      assertThat(quarantined.getOrDefault("clean/" + source, 0L)).as("%s: clean quarantine rows", source)
          .isEqualTo(bad);
    }
  }

  /** Exactly the expected quarantine rows; each reason names its column and value and stays readable. */
  private void checkQuarantine(Result r) {
    List<Row> rows = r.rows(Tables.QUARANTINE);
    List<Quarantined> actual = rows.stream().map(row -> new Quarantined(row.getAs("stage"), row.getAs("source"),
        row.getAs("reason_code"), row.getAs("column_name"), row.getAs("bad_value"))).toList();
    assertThat(actual).as("quarantine rows; reasons: %s", rows.stream().map(x -> x.<String>getAs("reason"))
        .map(Quarantined::excerpt).collect(Collectors.toList())).containsExactlyInAnyOrderElementsOf(r.c.quarantined);
    for (Row row : rows) {
      String reason = row.getAs("reason");
      String column = row.getAs("column_name");
      String value = row.getAs("bad_value");
      assertThat(reason).as("a reason in words").isNotBlank();
      assertThat(reason.length()).as("a readable reason, even for a huge value: %s", Quarantined.excerpt(reason))
          .isLessThan(600);
      if (column != null) {
        assertThat(reason).as("the reason names the column").contains("'" + column + "'");
      }
      if (value != null) {
        assertThat(reason).as("the reason names the value").contains(value.substring(0, Math.min(40, value.length())));
      }
      if (column == null) {
        assertThat(row.<String>getAs("raw_record")).as("a record with no column at fault is kept whole").isNotEmpty();
      }
      assertThat(row.<String>getAs("source_file")).as("the file it came from").isNotBlank();
    }
  }

  private static void assertNoStackTrace(String text) {
    assertThat(text).as("no stack trace").doesNotContain("\tat ").doesNotContainPattern("Exception\\s*\\n\\s+at ");
  }

  private static List<String> sourcesOf(BadInputCase c) {
    List<String> out = new ArrayList<>(List.of("invoices"));
    out.addAll(c.sources);
    return out;
  }

  /** Every file under the warehouse with its size: equal before and after means nothing was written. */
  static Map<String, Long> snapshot(Path warehouse) {
    Map<String, Long> files = new TreeMap<>();
    if (!Files.exists(warehouse)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(warehouse)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        try {
          files.put(warehouse.relativize(p).toString(), Files.size(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  // ---- fixtures -------------------------------------------------------------------------------

  /** One customer buying every month of 2014-2015; four quarterly snapshots with a 90-day label window. */
  static final String ONE_CUSTOMER_CONFIG = "customer-value.snapshots { horizon-days = 90, lookback-days = 365,"
      + " as-of = [\"2014-10-01\", \"2015-01-01\", \"2015-04-01\", \"2015-07-01\"] }\n"
      // One customer cannot support the lifetime-value fits (the catalogue has a case for that refusal).
      + "customer-value.lifetime.enabled = false\n" + trainConfig();

  static final String LABELS_CONFIG = "customer-value.snapshots.horizon-days = 90\n" + trainConfig();

  private static String trainConfig() {
    return "customer-value.train { targets = [\"returned\"], classifiers = [\"logistic\"], folds = 2,"
        + " compare-variants = [], text.enabled = false, feature-selection.enabled = false,"
        + " grid.logistic { regParam = [0.01], elasticNetParam = [0.0] } }\n";
  }

  /** The one-customer warehouse after ingest, clean and identity; built once, copied by each case. */
  private Path oneCustomer() throws IOException {
    if (oneCustomer != null) {
      return oneCustomer;
    }
    Path dir = root.resolve("fixture-one-customer");
    Path input = dir.resolve("input");
    Path warehouse = dir.resolve("warehouse");
    Files.createDirectories(input);
    List<String> lines = new ArrayList<>(List.of(Rows.INVOICES));
    for (LocalDate d = LocalDate.of(2014, 1, 15); d.isBefore(LocalDate.of(2016, 1, 1)); d = d.plusMonths(1)) {
      lines.add(Rows.invoice("INV-" + d, "Invoice Date", d + " 10:00:00", "Quantity", "1", "Unit Price", "100.00"));
    }
    Files.writeString(input.resolve("invoices.csv"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    StringBuilder hocon = new StringBuilder("customer-value {\n  input-root = \"" + input.toAbsolutePath() + "\"\n"
        + "  warehouse.root = \"" + warehouse.toAbsolutePath() + "\"\n}\n");
    OPTIONAL.forEach(s -> hocon.append("customer-value.sources.").append(s).append(".enabled = false\n"));
    hocon.append(ONE_CUSTOMER_CONFIG);
    AppConfig config = ConfigLoader.loadFromString(hocon.toString());
    RunContext context = new RunContext(RUN, Optional.empty(), STARTED);
    for (Stage s : List.of(Stage.INGEST, Stage.CLEAN, Stage.IDENTITY)) {
      job(s).run(spark, config, context);
    }
    oneCustomer = warehouse;
    return warehouse;
  }

  private static final StructType FEATURES = new StructType()
      .add("account_key", DataTypes.StringType).add("account_key_hash", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("labelled", DataTypes.BooleanType)
      .add("returned", DataTypes.IntegerType).add("bought_top_tier", DataTypes.IntegerType)
      .add("revenue_next", DataTypes.DoubleType).add("support_cost_next", DataTypes.DoubleType)
      .add("adjusted_revenue", DataTypes.DoubleType).add("recency_days", DataTypes.DoubleType)
      .add("frequency", DataTypes.LongType).add("run_id", DataTypes.StringType);

  /** Eight accounts on three labelled snapshots; the labels as the fixture names them. */
  private void writeLabelledFeatures(Path warehouse, Fixture fixture) {
    List<LocalDate> dates = List.of(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 4, 1), LocalDate.of(2020, 7, 1));
    List<Row> rows = new ArrayList<>();
    for (int a = 0; a < 8; a++) {
      for (int s = 0; s < dates.size(); s++) {
        boolean outOfTime = s == dates.size() - 1;
        int label = switch (fixture) {
          case LABELS_ALL_ONE_IN_TRAINING -> outOfTime ? a % 2 : 1;
          default -> outOfTime ? 0 : a % 2;
        };
        rows.add(RowFactory.create("acct" + a + ".com", "hash" + a, Date.valueOf(dates.get(s)), true, label, 0,
            100.0 * label, 0.0, 100.0 * label, 10.0 + 7 * a + s, (long) (a + s), "features-run"));
      }
    }
    spark.createDataFrame(rows, FEATURES).write().format("delta").mode(SaveMode.Overwrite).partitionBy("as_of")
        .save(warehouse.resolve("customer_features").toString());
  }

  @Override
  public void close() {
    if (s3 != null) {
      s3.close();
    }
  }
}
