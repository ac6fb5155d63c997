package com.customervalue.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
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
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UCI Online Retail export (../shared/data) ingests as the invoices source through
 * conf/examples/online-retail.conf alone. Expected figures come from data/README.md and from a
 * plain-Java pass over the raw file, not from Spark.
 */
@ExtendWith(SparkExtension.class)
class OnlineRetailIngestTest {
  private static final Path FILE = SharedData.path("online-retail/online_retail_2010-2011.csv.gz");

  /** Counts taken straight from the gzipped CSV: lines, cancellation lines. */
  private static long[] rawCounts() throws IOException {
    long lines = 0;
    long cancellations = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(FILE)), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines++;
        if (line.startsWith("C")) {
          cancellations++;
        }
      }
    }
    return new long[] {lines, cancellations};
  }

  @Test
  void ingestsThroughColumnMappingAlone(SparkSession spark, @TempDir Path warehouse) throws IOException {
    AppConfig config = ConfigLoader.load(Optional.of(Path.of("conf/examples/online-retail.conf")),
        "customer-value { input-root = \"" + FILE.getParent() + "\", warehouse.root = \"" + warehouse + "\" }");

    JobResult result = new IngestJob().run(spark, config,
        new RunContext("or-1", Optional.empty(), Instant.parse("2024-01-01T00:00:00Z")));

    long[] raw = rawCounts();
    assertThat(raw[0]).isEqualTo(541_909L);
    Dataset<Row> bronze = spark.read().format("delta").load(warehouse.resolve("bronze_invoices").toString());
    long quarantined = result.rowsWritten().get(Tables.QUARANTINE);
    assertThat(result.rowsWritten().get("bronze_invoices") + quarantined).isEqualTo(541_909L);
    assertThat(quarantined).as("every line of the export parses").isZero();

    Row figures = bronze.agg(
        countDistinct(col("invoice_id")).as("invoices"),
        countDistinct(col("customer_id")).as("customers"),
        countDistinct(col("country")).as("countries")).first();
    assertThat(figures.<Long>getAs("invoices")).isEqualTo(25_900L);
    assertThat(figures.<Long>getAs("customers")).isEqualTo(4_372L);
    assertThat(figures.<Long>getAs("countries")).isEqualTo(38L);
    assertThat(bronze.where(col("customer_id").isNull()).count()).isEqualTo(135_080L);
    assertThat(bronze.where(col("customer_id").contains(".")).count()).as("float ids read as integers").isZero();
    assertThat(bronze.where(col("status").equalTo("cancelled")).count()).isEqualTo(raw[1]);
    assertThat(bronze.where(col("status").equalTo("cancelled").and(col("quantity").gt(0))).count())
        .as("cancellations carry negative quantities").isZero();
    assertThat(bronze.where(col("invoice_date").isNull()).count()).isZero();

    Row unkeyed = spark.read().format("delta").load(warehouse.resolve(Tables.DATA_QUALITY).toString())
        .where("check_name = 'unkeyed_invoice_lines'").first();
    assertThat(unkeyed.<Long>getAs("row_count")).isEqualTo(135_080L);
    assertThat(unkeyed.<String>getAs("level")).isEqualTo("warning");
  }
}
