package com.customervalue.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.clean.CleanJob;
import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.features.FeaturesJob;
import com.customervalue.identity.IdentityJob;
import com.customervalue.identity.KeyHasher;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.testing.SharedData;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Tables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UCI Online Retail export (../shared/data) through ingest, clean and identity with
 * conf/examples/online-retail.conf alone. Expected figures come from data/README.md and from a
 * plain-Java pass over the raw file, not from Spark.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineRetailIngestTest {
  private static final Path FILE = SharedData.path("online-retail/online_retail_2010-2011.csv.gz");
  @TempDir static Path warehouse;

  private JobResult ingest;
  private RawCounts raw;

  /** Counts taken straight from the gzipped CSV. */
  private record RawCounts(long lines, long cancellations, long duplicateLines, long distinctCancellations,
      long blankCustomerLines) {}

  private static RawCounts rawCounts() throws IOException {
    long lines = 0;
    long cancellations = 0;
    long blank = 0;
    Set<String> seen = new HashSet<>();
    Set<String> cancellationLines = new HashSet<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(FILE)), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines++;
        seen.add(line);
        if (line.startsWith("C")) {
          cancellations++;
          cancellationLines.add(line);
        }
        String[] fields = line.split(",");
        if (fields[fields.length - 2].isEmpty()) {
          blank++;
        }
      }
    }
    return new RawCounts(lines, cancellations, lines - seen.size(), cancellationLines.size(), blank);
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  private Map<String, Long> cleanChecks(SparkSession spark) {
    Map<String, Long> out = new TreeMap<>();
    table(spark, Tables.DATA_QUALITY).where("stage = 'clean' and source = 'invoices'").collectAsList()
        .forEach(r -> out.put(r.getAs("check_name"), r.getAs("row_count")));
    return out;
  }

  @BeforeAll
  void runThePipeline(SparkSession spark) throws IOException {
    AppConfig config = ConfigLoader.load(Optional.of(Path.of("conf/examples/online-retail.conf")),
        "customer-value { input-root = \"" + FILE.getParent() + "\", warehouse.root = \"" + warehouse + "\" }");
    RunContext context = new RunContext("or-1", Optional.empty(), Instant.parse("2024-01-01T00:00:00Z"));
    ingest = new IngestJob().run(spark, config, context);
    new CleanJob().run(spark, config, context);
    new IdentityJob(KeyHasher.of("test", "online-retail-test-key")).run(spark, config, context);
    new FeaturesJob().run(spark, config, context);
    raw = rawCounts();
  }

  @Test
  void ingestsThroughColumnMappingAlone(SparkSession spark) {
    assertThat(raw.lines()).isEqualTo(541_909L);
    Dataset<Row> bronze = table(spark, "bronze_invoices");
    long quarantined = ingest.rowsWritten().get(Tables.QUARANTINE);
    assertThat(ingest.rowsWritten().get("bronze_invoices") + quarantined).isEqualTo(541_909L);
    assertThat(quarantined).as("every line of the export parses").isZero();

    Row figures = bronze.agg(
        countDistinct(col("invoice_id")).as("invoices"),
        countDistinct(col("customer_id")).as("customers"),
        countDistinct(col("country")).as("countries")).first();
    assertThat(figures.<Long>getAs("invoices")).isEqualTo(25_900L);
    assertThat(figures.<Long>getAs("customers")).isEqualTo(4_372L);
    assertThat(figures.<Long>getAs("countries")).isEqualTo(38L);
    assertThat(bronze.where(col("customer_id").isNull()).count()).isEqualTo(135_080L).isEqualTo(raw.blankCustomerLines());
    assertThat(bronze.where(col("customer_id").contains(".")).count()).as("float ids read as integers").isZero();
    assertThat(bronze.where(col("status").equalTo("cancelled")).count()).isEqualTo(raw.cancellations());
    assertThat(bronze.where(col("status").equalTo("cancelled").and(col("quantity").gt(0))).count())
        .as("cancellations carry negative quantities").isZero();
    assertThat(bronze.where(col("invoice_date").isNull()).count()).isZero();

    Row unkeyed = table(spark, Tables.DATA_QUALITY).where("check_name = 'unkeyed_invoice_lines'").first();
    assertThat(unkeyed.<Long>getAs("row_count")).isEqualTo(135_080L);
    assertThat(unkeyed.<String>getAs("level")).isEqualTo("warning");
  }

  @Test
  void cleaningReportsDuplicatesAndCancellationsAndNothingVanishes(SparkSession spark) {
    Map<String, Long> checks = cleanChecks(spark);
    assertThat(checks.get("removed_duplicate_lines")).isEqualTo(raw.duplicateLines());
    long netted = checks.get("removed_return_lines_netted");
    long unmatched = table(spark, Tables.QUARANTINE)
        .where("stage = 'clean' and reason_code = 'unmatched_return'").count();
    assertThat(netted + unmatched).as("every distinct cancellation line is netted or quarantined")
        .isEqualTo(raw.distinctCancellations());
    assertThat(checks.get("rows_in")).isEqualTo(541_909L);
    long removed = checks.entrySet().stream().filter(e -> e.getKey().startsWith("removed_"))
        .mapToLong(Map.Entry::getValue).sum();
    assertThat(checks.get("rows_out") + removed + checks.get("quarantined")).isEqualTo(541_909L);
    assertThat(table(spark, "silver_invoices").where(col("net_quantity").lt(0)).count()).isZero();
  }

  @Test
  void identityKeysBuyersByTheirCustomerIdAndReportsTheBlankOnes(SparkSession spark) {
    Row matches = table(spark, Tables.IDENTITY_MATCHES).where("source = 'invoices'").first();
    long blankInSilver = table(spark, "silver_invoices").where(col("customer_id").isNull()).count();
    assertThat(matches.<Long>getAs("unkeyed")).isEqualTo(blankInSilver).isPositive();
    assertThat(matches.<Long>getAs("matched_by_customer_id") + blankInSilver).isEqualTo(matches.<Long>getAs("rows"));
    assertThat(table(spark, "keyed_invoices").where(col("account_key").isNotNull())
        .select("account_key").distinct().count()).isBetween(4_300L, 4_372L);
  }

  @Test
  void theOutOfTimeSnapshotMatchesThePublishedProtocol(SparkSession spark) {
    Dataset<Row> features = table(spark, "customer_features");
    Row test = features.where("as_of = DATE'2011-09-01'")
        .agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
            org.apache.spark.sql.functions.avg(col("returned")))
        .first();
    assertThat(test.getLong(0)).as("customers with a purchase before 2011-09-01").isEqualTo(3_317L);
    assertThat(test.getDouble(1)).as("share returning within 90 days").isCloseTo(0.562,
        org.assertj.core.api.Assertions.within(0.0005));
    assertThat(features.select("as_of").distinct().count()).isEqualTo(5);
    assertThat(features.where("not labelled").count()).isZero();
  }

  @Test
  void trainingFollowsTheProtocolAndComesCloseToThePublishedFigures(SparkSession spark) {
    AppConfig config = ConfigLoader.load(Optional.of(Path.of("conf/examples/online-retail.conf")),
        "customer-value { input-root = \"" + FILE.getParent() + "\", warehouse.root = \"" + warehouse + "\","
            + " train { targets = [\"returned\"], classifiers = [\"logistic\"] } }");
    new com.customervalue.train.TrainJob().run(spark, config,
        new RunContext("or-train", Optional.empty(), Instant.parse("2024-01-01T00:00:00Z")));

    Dataset<Row> oot = table(spark, "model_metrics").where("evaluation = 'out_of_time' and selected");
    Row auc = oot.where("metric = 'roc_auc'").first();
    assertThat(auc.<java.sql.Date>getAs("as_of").toString()).isEqualTo("2011-09-01");
    assertThat(auc.<Long>getAs("rows")).isEqualTo(3_317L);
    // The unweighted variant is compared with the class-weighted one and wins on log loss.
    assertThat(auc.<String>getAs("model")).isEqualTo("logistic/none");
    // Measured (train --config conf/examples/online-retail.conf, 2026-11-24): ROC-AUC 0.7510, log loss
    // 0.5787. The bar is the pandas + scikit-learn pipeline of data/README.md: 0.750 and 0.580.
    assertThat(auc.<Double>getAs("value")).isGreaterThan(0.750);
    assertThat(oot.where("metric = 'log_loss'").first().<Double>getAs("value")).isLessThan(0.580);
  }
}
