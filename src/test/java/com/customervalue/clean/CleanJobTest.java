package com.customervalue.clean;

import static com.customervalue.testing.Inputs.INVOICE_HEADER;
import static com.customervalue.testing.Inputs.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.AppConfig;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.RunContext;
import com.customervalue.testing.Inputs;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Tables;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class CleanJobTest {
  @TempDir Path input;
  @TempDir Path warehouse;

  private static final String ONLY_INVOICES = "customer-value.sources {\n"
      + " customers.enabled = false, support_tickets.enabled = false, web_analytics.enabled = false\n"
      + " marketing_events.enabled = false, press_releases.enabled = false, site_categories.enabled = false }\n";

  private void ingestAndClean(SparkSession spark, AppConfig config, LocalDate asOf) {
    RunContext context = new RunContext("r1", Optional.ofNullable(asOf), Instant.parse("2024-05-01T00:00:00Z"));
    new IngestJob().run(spark, config, context);
    spark.catalog().clearCache();
    new CleanJob().run(spark, config, context);
    assertThat(((org.apache.spark.sql.classic.SparkSession) spark).sharedState().cacheManager().isEmpty())
        .as("the rows the cleaners cached are released once written").isTrue();
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(warehouse.resolve(name).toString());
  }

  private Map<String, Long> checks(SparkSession spark, String source) {
    Map<String, Long> out = new TreeMap<>();
    table(spark, Tables.DATA_QUALITY).where("stage = 'clean' and source = '" + source + "'").collectAsList()
        .forEach(r -> out.put(r.getAs("check_name"), r.getAs("row_count")));
    return out;
  }

  private List<String> silverInvoices(SparkSession spark) {
    return table(spark, "silver_invoices").orderBy("invoice_id", "product").collectAsList().stream()
        .map(r -> r.getAs("invoice_id") + " " + r.getAs("product") + " q=" + r.getAs("quantity") + " net="
            + r.getAs("net_quantity") + " amount=" + r.getAs("amount") + " net_amount=" + r.getAs("net_amount"))
        .toList();
  }

  @Test
  void removesDuplicatesAndTestTransactionsCountingEachRule(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-2", "2015-03-03 10:00:00", "C9", "qa@acme.com", "FDM print", "1", "5.00", "test"),
        invoice("INV-3", "2015-03-04 10:00:00", "", "ops@CustomerValue-Internal.com", "FDM print", "1", "5.00", "paid"),
        invoice("INV-4", "2015-03-05 10:00:00", "", "eu.sub@shop.customervalue-internal.com", "FDM print", "1", "5.00",
            "paid"),
        invoice("INV-5", "2015-03-06 10:00:00", "", "test.order@acme.com", "FDM print", "1", "5.00", "paid"),
        invoice("INV-6", "2015-03-07 10:00:00", "C2", "bob@roe.com", "FDM print", "2", "0.00", "paid"),
        invoice("INV-7", "2015-03-08 10:00:00", "C2", "tester@roe.com", "FDM print", "1", "0.00", "paid"),
        invoice("INV-7", "2015-03-08 10:00:00", "C2", "tester@roe.com", "MJF print", "1", "9.00", "paid"));
    AppConfig config = Inputs.config(input, warehouse, ONLY_INVOICES);

    ingestAndClean(spark, config, null);

    assertThat(silverInvoices(spark)).containsExactly(
        "INV-1 SLS print q=3 net=3 amount=37.50 net_amount=37.50",
        "INV-7 FDM print q=1 net=1 amount=0.00 net_amount=0.00",
        "INV-7 MJF print q=1 net=1 amount=9.00 net_amount=9.00");
    assertThat(checks(spark, "invoices")).containsEntry("rows_in", 9L).containsEntry("rows_out", 3L)
        .containsEntry("removed_duplicate_lines", 1L).containsEntry("removed_test_status", 1L)
        .containsEntry("removed_internal_domain", 2L).containsEntry("removed_test_address", 1L)
        .containsEntry("removed_zero_amount_invoice", 1L)
        .containsEntry("in_equals_out_plus_removed_plus_quarantined", 9L);
    assertThat(table(spark, Tables.DATA_QUALITY)
        .where("check_name = 'in_equals_out_plus_removed_plus_quarantined' and not passed").count()).isZero();
  }

  @Test
  void netsRefundsByReferenceAndCancellationsByCustomerAndProduct(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "12.50", "paid"),
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "FDM print", "1", "4.00", "paid"),
        invoice("R-INV-1", "2015-03-10 10:00:00", "C1", "ann@acme.com", "SLS print", "-1", "12.50", "refunded"),
        invoice("INV-2", "2015-04-01 10:00:00", "C2", "", "MJF print", "4", "10.00", "paid"),
        invoice("INV-3", "2015-05-01 10:00:00", "C2", "", "MJF print", "2", "10.00", "paid"),
        invoice("C900", "2015-05-02 10:00:00", "C2", "", "MJF print", "-2", "10.00", "cancelled"),
        invoice("C901", "2015-05-03 10:00:00", "C3", "", "MJF print", "-1", "10.00", "cancelled"),
        invoice("C902", "2015-03-01 10:00:00", "C1", "", "SLS print", "-5", "12.50", "cancelled"));
    AppConfig config = Inputs.config(input, warehouse, ONLY_INVOICES);

    ingestAndClean(spark, config, null);

    assertThat(silverInvoices(spark)).containsExactly(
        "INV-1 FDM print q=1 net=1 amount=4.00 net_amount=4.00",
        "INV-1 SLS print q=3 net=2 amount=37.50 net_amount=25.00",
        "INV-2 MJF print q=4 net=4 amount=40.00 net_amount=40.00",
        "INV-3 MJF print q=2 net=0 amount=20.00 net_amount=0.00");
    List<String> unmatched = table(spark, Tables.QUARANTINE).where("stage = 'clean'").collectAsList().stream()
        .map(r -> r.<String>getAs("reason_code") + ": " + r.getAs("reason")).sorted().toList();
    assertThat(unmatched).containsExactly(
        "unmatched_return: return line of invoice 'C901' (column 'quantity' -1) matches no earlier sale of product"
            + " 'MJF print' to the same customer",
        "unmatched_return: return line of invoice 'C902' (column 'quantity' -5) matches no earlier sale of product"
            + " 'SLS print' to the same customer");
    assertThat(table(spark, "silver_invoice_returns").orderBy("invoice_id").collectAsList().stream()
        .map(r -> r.getAs("invoice_id") + " " + r.getAs("invoice_date") + " q=" + r.getAs("quantity") + " -> "
            + r.getAs("returned_line_id")).toList())
        .as("each netted return keeps its own date and names the sale line it returned")
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).matches(".* q=-\\d+ -> [0-9a-f]{20}-1"))
        .anySatisfy(line -> assertThat(line).startsWith("C900 2015-05-02"))
        .anySatisfy(line -> assertThat(line).startsWith("R-INV-1 2015-03-10"));
    assertThat(checks(spark, "invoices")).containsEntry("removed_return_lines_netted", 2L)
        .containsEntry("changed_sale_lines_returned", 2L).containsEntry("quarantined", 2L)
        .containsEntry("in_equals_out_plus_removed_plus_quarantined", 8L);
  }

  @Test
  void convertsKnownCurrenciesAndQuarantinesUnknownOnes(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        "INV-1,2015-03-02 10:00:00,C1,Ann,Acme,ann@acme.com,SLS print,SLS,,2,10.00,,EUR,paid",
        "INV-2,2015-03-02 10:00:00,C1,Ann,Acme,ann@acme.com,SLS print,SLS,,2,10.00,,usd,paid",
        "INV-3,2015-03-02 10:00:00,C1,Ann,Acme,ann@acme.com,SLS print,SLS,,2,10.00,,CHF,paid");
    AppConfig config = Inputs.config(input, warehouse,
        ONLY_INVOICES + "customer-value.clean.invoices.exchange-rates { EUR = 1.10 }\n");

    ingestAndClean(spark, config, null);

    assertThat(silverInvoices(spark)).containsExactly(
        "INV-1 SLS print q=2 net=2 amount=22.00 net_amount=22.00",
        "INV-2 SLS print q=2 net=2 amount=20.00 net_amount=20.00");
    Row chf = table(spark, Tables.QUARANTINE).where("stage = 'clean'").first();
    assertThat(chf.<String>getAs("reason_code")).isEqualTo("unknown_currency");
    assertThat(chf.<String>getAs("reason"))
        .isEqualTo("column 'currency': 'CHF' has no rate to USD in customer-value.clean.invoices.exchange-rates");
    assertThat(checks(spark, "invoices")).containsEntry("changed_currency_converted", 1L);
  }

  @Test
  void disabledRulesKeepTheirRows(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "0.00", "paid"),
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "0.00", "paid"));
    AppConfig config = Inputs.config(input, warehouse, ONLY_INVOICES
        + "customer-value.clean.disabled-rules = [invoices.zero_amount_invoice, invoices.duplicate_lines]\n");

    ingestAndClean(spark, config, null);

    assertThat(table(spark, "silver_invoices").select("line_id").distinct().count()).isEqualTo(2);
  }

  @Test
  void ticketsGetOpenDaysAndBackwardTicketsAreQuarantined(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "12.50", "paid"));
    Inputs.write(input, "support_tickets.json",
        "{\"id\":1,\"customer\":{\"email\":\"ann@acme.com\"},\"createdAt\":\"2015-03-01T00:00:00Z\","
            + "\"closedAt\":\"2015-03-03T12:00:00Z\",\"status\":\"closed\"}",
        "{\"id\":2,\"customer\":{\"email\":\"ann@acme.com\"},\"createdAt\":\"2015-03-25T00:00:00Z\","
            + "\"closedAt\":null,\"status\":\"active\"}",
        "{\"id\":3,\"customer\":{\"email\":\"ann@acme.com\"},\"createdAt\":\"2015-03-05T00:00:00Z\","
            + "\"closedAt\":\"2015-03-04T00:00:00Z\",\"status\":\"closed\"}",
        "{\"id\":1,\"customer\":{\"email\":\"ann@acme.com\"},\"createdAt\":\"2015-03-01T00:00:00Z\","
            + "\"closedAt\":\"2015-03-03T12:00:00Z\",\"status\":\"closed\"}");
    AppConfig config = Inputs.config(input, warehouse, "");

    ingestAndClean(spark, config, LocalDate.parse("2015-04-01"));

    Map<String, String> tickets = table(spark, "silver_support_tickets").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("ticket_id"),
            r -> r.getAs("open_days") + " open=" + r.getAs("open_at_as_of") + " as_of=" + r.getAs("open_days_as_of")));
    assertThat(tickets).containsOnly(
        Map.entry("1", "2.5 open=false as_of=2015-04-01"),
        Map.entry("2", "7.0 open=true as_of=2015-04-01"));
    Row backwards = table(spark, Tables.QUARANTINE).where("stage = 'clean'").first();
    assertThat(backwards.<String>getAs("reason_code")).isEqualTo("closed_before_created");
    assertThat(backwards.<String>getAs("reason")).startsWith("ticket '3' was closed at 2015-03-04");
    assertThat(checks(spark, "support_tickets")).containsEntry("rows_in", 4L).containsEntry("rows_out", 2L)
        .containsEntry("removed_duplicate_lines", 1L).containsEntry("quarantined", 1L);
  }

  @Test
  void withoutIngestForTheRunItSaysWhatToRun(SparkSession spark) {
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 10:00:00", "C1", "ann@acme.com", "SLS print", "3", "12.50", "paid"));
    AppConfig config = Inputs.config(input, warehouse, ONLY_INVOICES);
    new IngestJob().run(spark, config, new RunContext("r1", Optional.empty(), Instant.now()));

    assertThatThrownBy(() -> new CleanJob().run(spark, config, new RunContext("r2", Optional.empty(), Instant.now())))
        .isInstanceOf(CustomerValueException.class)
        .hasMessage("clean: bronze_invoices has no rows for run 'r2' (runs there: [r1]); run ingest with --run-id r2"
            + " first");
  }
}
