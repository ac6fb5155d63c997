package com.customervalue.ingest;

import static com.customervalue.testing.Inputs.INVOICE_HEADER;
import static com.customervalue.testing.Inputs.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.AppConfig;
import com.customervalue.errors.DataQualityException;
import com.customervalue.errors.SourceException;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.sources.Source;
import com.customervalue.testing.Inputs;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Tables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class IngestJobTest {
  @TempDir Path input;
  @TempDir Path warehouse;

  private static final String ALL_OPTIONAL_OFF = "customer-value.sources {\n"
      + " customers.enabled = false, support_tickets.enabled = false, web_analytics.enabled = false\n"
      + " marketing_events.enabled = false, press_releases.enabled = false, site_categories.enabled = false }\n";

  private JobResult ingest(SparkSession spark, AppConfig config, String runId) {
    return new IngestJob().run(spark, config, new RunContext(runId, Optional.empty(), Instant.parse("2024-05-01T00:00:00Z")));
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  private static Map<String, Long> dataQuality(Dataset<Row> dq, String source) {
    Map<String, Long> out = new TreeMap<>();
    dq.where("source = '" + source + "'").collectAsList()
        .forEach(r -> out.put(r.getAs("check_name"), r.getAs("row_count")));
    return out;
  }

  @Test
  void typesValidRowsAndKeepsLineage(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        "INV-1,2015-03-02 14:05:00,C00001,Ann Lee,\"Acme, Inc.\",ann@acme.com,SLS print,SLS,,3,12.50,37.50,USD,paid",
        "INV-2,2015-03-03 09:00:00,,Bob Roe,Roe LLC,bob@roe.com,SimSoft License Tier 2,,2,1,900.00,900.00,USD,PAID");
    AppConfig config = Inputs.config(input, warehouse, ALL_OPTIONAL_OFF);

    JobResult result = ingest(spark, config, "r1");

    assertThat(result.rowsWritten()).containsEntry("bronze_invoices", 2L).containsEntry("quarantine", 0L);
    Dataset<Row> bronze = table(spark, "bronze_invoices");
    assertThat(bronze.schema().fieldNames()).containsExactly("invoice_id", "invoice_date", "customer_id",
        "customer_name", "company", "email", "product", "product_description", "process", "license_tier", "quantity",
        "unit_price", "amount", "currency", "status", "country", Lineage.RUN_ID, Lineage.SOURCE_FILE,
        Lineage.INGESTED_AT);
    StructField date = bronze.schema().apply("invoice_date");
    assertThat(date.dataType()).isEqualTo(DataTypes.TimestampType);
    assertThat(date.getComment().isDefined()).isTrue();
    assertThat(bronze.schema().apply("unit_price").dataType()).isEqualTo(DataTypes.createDecimalType(18, 2));

    List<Row> rows = bronze.orderBy("invoice_id").collectAsList();
    Row first = rows.get(0);
    assertThat(first.<String>getAs("company")).isEqualTo("Acme, Inc.");
    assertThat(first.<Timestamp>getAs("invoice_date").toInstant())
        .as("local time in the source's zone (America/Detroit, EST) stored as the instant")
        .isEqualTo(Instant.parse("2015-03-02T19:05:00Z"));
    assertThat(first.<Integer>getAs("quantity")).isEqualTo(3);
    assertThat(first.<BigDecimal>getAs("unit_price")).isEqualByComparingTo("12.50");
    assertThat(first.<String>getAs(Lineage.RUN_ID)).isEqualTo("r1");
    assertThat(first.<String>getAs(Lineage.SOURCE_FILE)).endsWith("invoices.csv");
    Row second = rows.get(1);
    assertThat(second.<String>getAs("customer_id")).isNull();
    assertThat(second.<Integer>getAs("license_tier")).isEqualTo(2);
    assertThat(second.<String>getAs("status")).as("allowed values are stored lower-case").isEqualTo("paid");
  }

  @Test
  void timestampsBecomeInstantsLocalTimesInTheSourceZoneAndOffsetsAsWritten(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-07-01T10:00:00", "C1", "a@acme.com", "SLS print", "1", "1.00", "paid"),
        invoice("INV-2", "2015-07-01T10:00:00+02:00", "C1", "a@acme.com", "SLS print", "1", "1.00", "paid"));
    AppConfig local = Inputs.config(input, warehouse, ALL_OPTIONAL_OFF
        + "customer-value.sources.invoices { timestamp-format = \"yyyy-MM-dd'T'HH:mm:ss[XXX]\","
        + " time-zone = America/Detroit }\n");

    ingest(spark, local, "r1");

    List<Instant> instants = table(spark, "bronze_invoices").orderBy("invoice_id").collectAsList().stream()
        .map(r -> r.<Timestamp>getAs("invoice_date").toInstant()).toList();
    assertThat(instants).as("local time read in America/Detroit (EDT in July); a written offset is exact")
        .containsExactly(Instant.parse("2015-07-01T14:00:00Z"), Instant.parse("2015-07-01T08:00:00Z"));
  }

  @Test
  void quarantinesEveryKindOfBadRowWithReasonColumnAndValue(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"),
        "INV-2,2015-03-02 14:05:00,C1,Ann,Acme,a@acme.com,SLS print,SLS,,3,12.50",
        invoice("", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-4", "2015-13-45 10:00:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-5", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "two", "12.50", "paid"),
        invoice("INV-6", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "shipped"),
        invoice("INV-7", "2015-03-02 14:05:00", "C1", "a@acme.com", "FDM print", "1", "5.00", "test"));
    AppConfig config = Inputs.config(input, warehouse,
        ALL_OPTIONAL_OFF + "customer-value.ingest.max-quarantine-fraction = 1.0\n");

    ingest(spark, config, "r1");

    Map<String, Row> byReason = table(spark, Tables.QUARANTINE).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("reason_code") + ":" + r.getAs("column_name"), r -> r));
    assertThat(byReason).containsOnlyKeys("malformed_record:null", "missing_required:invoice_id",
        "bad_value:invoice_date", "bad_value:quantity", "not_allowed:status");
    Row malformed = byReason.get("malformed_record:null");
    assertThat(malformed.<String>getAs("raw_record")).isEqualTo("INV-2,2015-03-02 14:05:00,C1,Ann,Acme,a@acme.com,SLS print,SLS,,3,12.50");
    assertThat(malformed.<String>getAs("source")).isEqualTo("invoices");
    assertThat(malformed.<String>getAs("source_file")).endsWith("invoices.csv");
    Row badDate = byReason.get("bad_value:invoice_date");
    assertThat(badDate.<String>getAs("bad_value")).isEqualTo("2015-13-45 10:00:00");
    assertThat(badDate.<String>getAs("reason")).isEqualTo("column 'invoice_date' (file column 'Invoice Date'):"
        + " '2015-13-45 10:00:00' is not a timestamp as yyyy-MM-dd HH:mm:ss");
    assertThat(badDate.<String>getAs("raw_record")).contains("\"Invoice Number\":\"INV-4\"");
    assertThat(byReason.get("bad_value:quantity").<String>getAs("reason"))
        .isEqualTo("column 'quantity' (file column 'Quantity'): 'two' is not an integer");
    assertThat(byReason.get("missing_required:invoice_id").<String>getAs("reason"))
        .isEqualTo("required column 'invoice_id' (file column 'Invoice Number') is empty");
    assertThat(byReason.get("not_allowed:status").<String>getAs("reason"))
        .isEqualTo("column 'status' (file column 'Status'): 'shipped' is not one of paid, refunded, cancelled, test");

    assertThat(table(spark, "bronze_invoices").select("invoice_id").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList()).containsExactlyInAnyOrder("INV-1", "INV-7");
    Map<String, Long> dq = dataQuality(table(spark, Tables.DATA_QUALITY), "invoices");
    assertThat(dq).containsEntry("rows_read", 7L).containsEntry("rows_kept", 2L).containsEntry("rows_quarantined", 5L)
        .containsEntry("quarantined_malformed_record", 1L).containsEntry("quarantined_bad_value", 2L)
        .containsEntry("quarantined_missing_required", 1L).containsEntry("quarantined_not_allowed", 1L)
        .containsEntry("read_equals_kept_plus_quarantined", 7L);
  }

  @Test
  void rerunningARunReplacesItsRowsAndOtherRunsStay(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-2", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "x", "12.50", "paid"));
    AppConfig config = Inputs.config(input, warehouse,
        ALL_OPTIONAL_OFF + "customer-value.ingest.max-quarantine-fraction = 1.0\n");

    ingest(spark, config, "r1");
    ingest(spark, config, "r1");
    ingest(spark, config, "r2");

    assertThat(table(spark, "bronze_invoices").groupBy(Lineage.RUN_ID).count().orderBy(Lineage.RUN_ID)
        .collectAsList().toString()).isEqualTo("[[r1,1], [r2,1]]");
    assertThat(table(spark, Tables.QUARANTINE).groupBy("run_id").count().orderBy("run_id")
        .collectAsList().toString()).isEqualTo("[[r1,1], [r2,1]]");
    assertThat(table(spark, Tables.DATA_QUALITY).where("run_id = 'r1' and check_name = 'rows_read'").count())
        .isEqualTo(1);
  }

  @Test
  void missingRequiredColumnStopsBeforeAnythingIsWritten(SparkSession spark) {
    Inputs.write(input, "invoices.csv", "Invoice Number,Customer ID,Product,Quantity,Unit Price",
        "INV-1,C1,SLS,1,2.00");
    AppConfig config = Inputs.config(input, warehouse, "");

    assertThatThrownBy(() -> ingest(spark, config, "r1"))
        .isInstanceOf(SourceException.class)
        .hasMessage("Cannot read source 'invoices': required column 'invoice_date' (mapped to 'Invoice Date') is"
            + " missing (found: Invoice Number, Customer ID, Product, Quantity, Unit Price)");
    assertThat(warehouse).isEmptyDirectory();
  }

  @Test
  void missingRequiredSourceStopsAndMissingOptionalSourceIsSkipped(SparkSession spark) throws Exception {
    AppConfig config = Inputs.config(input, warehouse, "");
    assertThatThrownBy(() -> ingest(spark, config, "r1"))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("Cannot read source 'invoices': no file matches the path")
        .hasMessageContaining(input.resolve("invoices.csv").toString());
    assertThat(warehouse).isEmptyDirectory();

    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"));
    JobResult result = ingest(spark, config, "r1");
    assertThat(result.rowsWritten()).containsOnlyKeys("bronze_invoices", "quarantine", "data_quality");
    assertThat(Files.exists(warehouse.resolve("bronze_customers"))).isFalse();
  }

  @Test
  void emptyRequiredSourceStops(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER);
    AppConfig config = Inputs.config(input, warehouse, ALL_OPTIONAL_OFF);

    assertThatThrownBy(() -> ingest(spark, config, "r1"))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("Cannot read source 'invoices': it is required but has no data rows");
    assertThat(warehouse).isEmptyDirectory();
  }

  @Test
  void tooManyQuarantinedRowsFailTheRunButKeepTheEvidence(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-2", "yesterday", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"));
    AppConfig config = Inputs.config(input, warehouse, ALL_OPTIONAL_OFF);

    assertThatThrownBy(() -> ingest(spark, config, "r1"))
        .isInstanceOf(DataQualityException.class)
        .hasMessageContaining("'quarantine_fraction' failed for source 'invoices': 1 of 2 rows (50.00%) quarantined;"
            + " limit 5.00%");
    assertThat(Files.exists(warehouse.resolve("bronze_invoices"))).isFalse();
    assertThat(table(spark, Tables.QUARANTINE).count()).isEqualTo(1);
    Row check = table(spark, Tables.DATA_QUALITY).where("check_name = 'quarantine_fraction'").first();
    assertThat(check.<Boolean>getAs("passed")).isFalse();
    assertThat(check.<String>getAs("level")).isEqualTo("error");
  }

  @Test
  void unkeyedInvoiceLinesAreKeptAndCountedAsAWarning(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "", "SLS print", "3", "12.50", "paid"),
        invoice("INV-2", "2015-03-02 14:05:00", "", "b@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-3", "2015-03-02 14:05:00", "", " ", "SLS print", "3", "12.50", "paid"));
    AppConfig config = Inputs.config(input, warehouse, ALL_OPTIONAL_OFF);

    ingest(spark, config, "r1");

    assertThat(table(spark, "bronze_invoices").count()).isEqualTo(3);
    Row check = table(spark, Tables.DATA_QUALITY).where("check_name = 'unkeyed_invoice_lines'").first();
    assertThat(check.<Long>getAs("row_count")).isEqualTo(1L);
    assertThat(check.<String>getAs("level")).isEqualTo("warning");
    assertThat(check.<Boolean>getAs("passed")).isFalse();
  }

  @Test
  void mapsColumnsOfAForeignExportWithCancellationsFloatIdsAndGzip(SparkSession spark) {
    Inputs.writeGzip(input, "retail.csv.gz", "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "536365,85123A,\"WHITE HANGING HEART T-LIGHT HOLDER\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom",
        "536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom");
    AppConfig config = Inputs.config(input, warehouse, ALL_OPTIONAL_OFF + "customer-value.sources.invoices {\n"
        + " path = retail.csv.gz\n"
        + " columns { invoice_id = InvoiceNo, invoice_date = InvoiceDate, customer_id = CustomerID, product = StockCode,"
        + "  product_description = Description, quantity = Quantity, unit_price = UnitPrice, country = Country }\n"
        + " cancellation-prefix = C, float-ids = true, time-zone = Europe/London }\n");

    ingest(spark, config, "r1");

    List<Row> rows = table(spark, "bronze_invoices").orderBy("invoice_id").collectAsList();
    assertThat(rows).hasSize(3);
    assertThat(rows.stream().map(r -> r.getAs("invoice_id") + "|" + r.getAs("customer_id") + "|" + r.getAs("status")
        + "|" + r.getAs("quantity") + "|" + r.getAs("product_description")))
        .containsExactly("536365|17850|paid|6|WHITE HANGING HEART T-LIGHT HOLDER",
            "536414|null|paid|56|null",
            "C536379|14527|cancelled|-1|Discount");
  }

  @Test
  void readsNestedJsonWithBrokenLinesAndArrays(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"));
    Inputs.write(input, "support_tickets.json",
        "{\"id\":1001,\"customer\":{\"email\":\"A@Acme.com\"},\"createdAt\":\"2015-03-02T14:05:00Z\","
            + "\"closedAt\":null,\"status\":\"active\",\"tags\":[\"billing\",\"sls\"],\"subject\":\"Invoice\"}",
        "{\"id\":1002,\"customer\":{\"email\":\"b@acme.com\"},\"createdAt\":\"2015-03-0",
        "{\"id\":1003,\"customer\":{\"email\":\"c@acme.com\"},\"createdAt\":\"last week\",\"tags\":[]}",
        "{\"id\":1004,\"customer\":{},\"createdAt\":\"2015-03-02T14:05:00Z\",\"closedAt\":\"2015-03-04T10:00:00Z\"}");
    AppConfig config = Inputs.config(input, warehouse, "customer-value.ingest.max-quarantine-fraction = 1.0\n");

    ingest(spark, config, "r1");

    List<Row> tickets = table(spark, "bronze_support_tickets").collectAsList();
    assertThat(tickets).hasSize(1);
    Row ticket = tickets.get(0);
    assertThat(ticket.<String>getAs("ticket_id")).isEqualTo("1001");
    assertThat(ticket.<String>getAs("email")).isEqualTo("A@Acme.com");
    assertThat(ticket.<String>getAs("tags")).isEqualTo("billing,sls");
    assertThat(ticket.<Timestamp>getAs("created_at")).isEqualTo(Timestamp.from(Instant.parse("2015-03-02T14:05:00Z")));
    assertThat(ticket.<Timestamp>getAs("closed_at")).isNull();
    List<String> reasons = table(spark, Tables.QUARANTINE).where("source = 'support_tickets'")
        .orderBy("reason_code", "column_name").collectAsList().stream()
        .map(r -> r.getAs("reason_code") + ":" + r.getAs("column_name")).toList();
    assertThat(reasons).containsExactly("bad_value:created_at", "malformed_record:null", "missing_required:email");
  }

  @Test
  void readsTypedParquet(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 14:05:00", "C1", "a@acme.com", "SLS print", "3", "12.50", "paid"));
    spark.sql("SELECT DATE'2015-03-02' AS Date, 'www.acme.com' AS Hostname, 12 AS Sessions, 30L AS Pageviews"
            + " UNION ALL SELECT DATE'2015-03-03', 'acme.com', NULL, 1L")
        .write().parquet(input.resolve("web").toString());
    AppConfig config = Inputs.config(input, warehouse, "customer-value.sources.web_analytics { path = web,"
        + " format = parquet }\ncustomer-value.ingest.max-quarantine-fraction = 1.0\n");

    ingest(spark, config, "r1");

    Row visit = table(spark, "bronze_web_analytics").first();
    assertThat(visit.<java.sql.Date>getAs("date")).isEqualTo(java.sql.Date.valueOf("2015-03-02"));
    assertThat(visit.<Integer>getAs("sessions")).isEqualTo(12);
    assertThat(visit.<Integer>getAs("page_views")).isEqualTo(30);
    assertThat(table(spark, Tables.QUARANTINE).where("source = 'web_analytics'").first().<String>getAs("reason_code"))
        .isEqualTo("missing_required");
  }

  @Test
  void everyContractSourceHasABronzeTableName() {
    assertThat(java.util.Arrays.stream(Source.values()).map(Tables::bronze))
        .containsExactly("bronze_invoices", "bronze_customers", "bronze_support_tickets", "bronze_web_analytics",
            "bronze_marketing_events", "bronze_press_releases", "bronze_site_categories");
  }
}
