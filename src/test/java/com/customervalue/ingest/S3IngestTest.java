package com.customervalue.ingest;

import static com.customervalue.testing.Inputs.INVOICE_HEADER;
import static com.customervalue.testing.Inputs.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.errors.SourceException;
import com.customervalue.errors.StorageException;
import com.customervalue.job.JobResult;
import com.customervalue.job.JobRunner;
import com.customervalue.job.RunContext;
import com.customervalue.testing.S3ProxyServer;
import com.customervalue.testing.S3aSettings;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Tables;
import com.customervalue.warehouse.WarehouseAccess;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingest against a real S3-protocol server on loopback: sources are read from {@code s3a://} and the
 * Delta tables are written to {@code s3a://}, through hadoop-aws and the AWS SDK as on EMR.
 */
@ExtendWith(SparkExtension.class)
class S3IngestTest {
  /** Unique per run: Hadoop caches one s3a client per bucket name for the whole JVM. */
  private static final String BUCKET = "customer-value-test-" + Long.toHexString(System.nanoTime());
  private static final String INPUT = "s3a://" + BUCKET + "/input";
  private static final String WAREHOUSE = "s3a://" + BUCKET + "/warehouse";
  private static final String MALFORMED = "INV-9,2015-03-04 10:00:00,C3,Cy,Cy Co,cy@cy.com,MJF print";

  private static S3ProxyServer server;
  private static S3aSettings s3a;

  @BeforeAll
  static void startServer(SparkSession spark) {
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
    s3a = S3aSettings.apply(spark, server, BUCKET);
  }

  @AfterAll
  static void stopServer() {
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

  private static void upload(SparkSession spark, String path, boolean gzip, String... lines) throws IOException {
    FileSystem fs = FileSystem.get(URI.create("s3a://" + BUCKET + "/"), spark.sparkContext().hadoopConfiguration());
    try (OutputStream file = fs.create(new Path(path), true);
        OutputStream out = gzip ? new GZIPOutputStream(file) : file) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(WAREHOUSE + "/" + name);
  }

  private static JobResult ingest(SparkSession spark, AppConfig config) {
    return new IngestJob().run(spark, config, new RunContext("s3-1", Optional.empty(), Instant.now()));
  }

  @Test
  void readsSourcesFromS3aAndWritesDeltaTablesToS3a(SparkSession spark) throws IOException {
    upload(spark, INPUT + "/invoices.csv", false, INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "ann@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-2", "2015-03-03 09:30:00", "C2", "bob@roe.com", "FDM print", "-1", "40.00", "refunded"),
        MALFORMED,
        invoice("INV-3", "2015-03-05 16:00:00", "", "cy@cy.com", "Consulting hours", "8", "150.00", "paid"));
    upload(spark, INPUT + "/support_tickets.json.gz", true,
        "{\"id\":1001,\"customer\":{\"email\":\"ann@acme.com\"},\"createdAt\":\"2015-03-02T14:05:00Z\","
            + "\"closedAt\":\"2015-03-03T08:00:00Z\",\"status\":\"closed\",\"tags\":[\"billing\"],\"subject\":\"Invoice\"}",
        "{\"id\":1002,\"customer\":{\"email\":\"bob@roe.com\"},\"createdAt\":\"2015-03-04T10:00:00Z\","
            + "\"closedAt\":null,\"status\":\"active\",\"tags\":[],\"subject\":\"Print quality\"}");
    // The other optional sources are absent from the bucket: skipped with a warning.
    AppConfig config = ConfigLoader.loadFromString("customer-value {\n"
        + "  input-root = \"" + INPUT + "\"\n"
        + "  warehouse.root = \"" + WAREHOUSE + "\"\n"
        + "  ingest.max-quarantine-fraction = 0.5\n"
        + "  sources.support_tickets.path = \"support_tickets.json.gz\"\n"
        + "}\n");

    JobResult first = ingest(spark, config);

    assertThat(first.rowsWritten()).containsEntry("bronze_invoices", 3L).containsEntry("bronze_support_tickets", 2L)
        .containsEntry(Tables.QUARANTINE, 1L).containsKey(Tables.DATA_QUALITY);

    List<Row> invoices = table(spark, "bronze_invoices").orderBy("invoice_id").collectAsList();
    assertThat(invoices).extracting(r -> r.getAs("invoice_id") + "|" + r.getAs("customer_id") + "|"
            + r.getAs("quantity") + "|" + r.getAs("unit_price") + "|" + r.getAs("status") + "|" + r.getAs(Lineage.RUN_ID))
        .containsExactly("INV-1|C1|3|12.50|paid|s3-1", "INV-2|C2|-1|40.00|refunded|s3-1",
            "INV-3|null|8|150.00|paid|s3-1");
    // 14:05 in the invoices' zone (America/Detroit, EST in March) is 19:05 UTC.
    assertThat(invoices.get(0).<Timestamp>getAs("invoice_date").toInstant())
        .isEqualTo(Instant.parse("2015-03-02T19:05:00Z"));
    assertThat(invoices).extracting(r -> r.<String>getAs(Lineage.SOURCE_FILE)).containsOnly(INPUT + "/invoices.csv");

    List<Row> tickets = table(spark, "bronze_support_tickets").orderBy("ticket_id").collectAsList();
    assertThat(tickets).extracting(r -> r.getAs("ticket_id") + "|" + r.getAs("email") + "|" + r.getAs("tags"))
        .containsExactly("1001|ann@acme.com|billing", "1002|bob@roe.com|null");
    assertThat(tickets.get(0).<String>getAs(Lineage.SOURCE_FILE)).isEqualTo(INPUT + "/support_tickets.json.gz");

    List<Row> quarantined = table(spark, Tables.QUARANTINE).collectAsList();
    assertThat(quarantined).hasSize(1);
    Row bad = quarantined.get(0);
    assertThat(bad.<String>getAs("source")).isEqualTo("invoices");
    assertThat(bad.<String>getAs("reason_code")).isEqualTo("malformed_record");
    assertThat(bad.<String>getAs("reason"))
        .isEqualTo("the record could not be split into the file's columns (wrong number of fields or broken csv)");
    assertThat(bad.<String>getAs("raw_record")).isEqualTo(MALFORMED);
    assertThat(bad.<String>getAs("source_file")).isEqualTo(INPUT + "/invoices.csv");

    Dataset<Row> balance = table(spark, Tables.DATA_QUALITY)
        .where("run_id = 's3-1' and check_name = 'read_equals_kept_plus_quarantined'").orderBy("source");
    assertThat(balance.collectAsList()).extracting(r -> r.getAs("source") + "|" + r.getAs("passed") + "|"
            + r.getAs("row_count") + "|" + r.getAs("detail"))
        .containsExactly("invoices|true|4|read 4, bronze 3, quarantine 1",
            "support_tickets|true|2|read 2, bronze 2, quarantine 0");
    long checks = table(spark, Tables.DATA_QUALITY).count();

    // The tables really are objects in the S3 server, read from its store rather than through s3a.
    assertThat(server.objectKeys(BUCKET))
        .contains("warehouse/bronze_invoices/_delta_log/00000000000000000000.json",
            "warehouse/quarantine/_delta_log/00000000000000000000.json",
            "warehouse/data_quality/_delta_log/00000000000000000000.json")
        .anyMatch(k -> k.startsWith("warehouse/bronze_invoices/_run_id=s3-1/") && k.endsWith(".parquet"));

    // Re-running the same run id replaces its rows in a new Delta version: nothing is duplicated.
    JobResult second = ingest(spark, config);

    assertThat(second.rowsWritten()).isEqualTo(first.rowsWritten());
    assertThat(table(spark, "bronze_invoices").count()).isEqualTo(3);
    assertThat(table(spark, "bronze_support_tickets").count()).isEqualTo(2);
    assertThat(table(spark, Tables.QUARANTINE).count()).isEqualTo(1);
    assertThat(table(spark, Tables.DATA_QUALITY).count()).isEqualTo(checks);
    assertThat(DeltaTable.forPath(spark, WAREHOUSE + "/bronze_invoices").history().count()).isEqualTo(2);
  }

  @Test
  void missingRequiredSourceOnS3aStopsBeforeAnythingIsWritten(SparkSession spark) {
    String emptyInput = "s3a://" + BUCKET + "/nothing-here";
    AppConfig config = ConfigLoader.loadFromString("customer-value {\n"
        + "  input-root = \"" + emptyInput + "\"\n"
        + "  warehouse.root = \"s3a://" + BUCKET + "/warehouse-of-missing\"\n"
        + "}\n");

    assertThatThrownBy(() -> ingest(spark, config))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("Cannot read source 'invoices': no file matches the path")
        .hasMessageContaining(emptyInput + "/invoices.csv");
    assertThat(server.objectKeys(BUCKET)).noneMatch(k -> k.startsWith("warehouse-of-missing/"));
  }

  @Test
  void wrongSecretIsOneLineNamingTheBucketAndNeverTheSecret(SparkSession spark) {
    String denied = BUCKET + "-denied";
    String wrongSecret = "not-the-secret-" + Long.toHexString(System.nanoTime());
    server.createBucket(denied);
    AppConfig config = ConfigLoader.loadFromString("customer-value {\n"
        + "  input-root = \"s3a://" + denied + "/input\"\n"
        + "  warehouse.root = \"s3a://" + denied + "/warehouse\"\n"
        + "}\n");
    try (S3aSettings wrong = S3aSettings.apply(spark, server, denied, server.accessKey(), wrongSecret)) {
      // What every command checks before its first job.
      assertThatThrownBy(() -> WarehouseAccess.check(spark, config.warehouse()))
          .isInstanceOf(StorageException.class)
          .hasMessage("Cannot access the warehouse s3a://" + denied + "/warehouse (checked s3a://" + denied
              + "/warehouse/job_runs): access denied by the object store (HTTP 403) for bucket '" + denied
              + "': check the credentials the AWS default credential chain finds (AWS_* environment variables,"
              + " ~/.aws, instance profile) and their permissions on that bucket");
      // Ingest alone (the check passed, the exports are denied) names the source and its path.
      assertThatThrownBy(() -> ingest(spark, config))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("Cannot read source 'invoices': access denied by the object store (HTTP 403)"
              + " for bucket '" + denied + "'")
          .hasMessageEndingWith("(path: s3a://" + denied + "/input/invoices.csv)")
          .message().doesNotContain(wrongSecret, server.secretKey(), "\n");
      // Run as a job, the failure is recorded in job_runs when it can be. Here the store refuses that
      // too, with a checked exception from Delta's Scala code: the original error must still win.
      RunContext context = new RunContext("s3-denied", Optional.empty(), Instant.now());
      assertThatThrownBy(() -> JobRunner.run(new IngestJob(), spark, config, context))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("Cannot read source 'invoices': access denied by the object store (HTTP 403)")
          .satisfies(e -> assertThat(e.getSuppressed()).as("the failure to record it").isNotEmpty());
    }
    assertThat(server.objectKeys(denied)).isEmpty();
  }
}
