package com.customervalue.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.config.AppConfig;
import com.customervalue.job.RunContext;
import com.customervalue.testing.Inputs;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.Lineage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Features and labels on a tiny fixture written straight into the keyed tables, with hand-computed values. */
@ExtendWith(SparkExtension.class)
class FeaturesJobTest {
  @TempDir Path input;
  @TempDir Path warehouse;

  private static final StructType INVOICES = new StructType()
      .add("account_key", DataTypes.StringType).add("account_key_hash", DataTypes.StringType)
      .add("line_id", DataTypes.StringType).add("invoice_id", DataTypes.StringType)
      .add("invoice_date", DataTypes.TimestampType).add("status", DataTypes.StringType)
      .add("quantity", DataTypes.IntegerType).add("unit_price", DataTypes.createDecimalType(18, 2))
      .add("amount", DataTypes.createDecimalType(18, 2)).add("product", DataTypes.StringType)
      .add("process", DataTypes.StringType).add("license_tier", DataTypes.IntegerType)
      .add(Lineage.RUN_ID, DataTypes.StringType);
  private static final StructType RETURNS = new StructType()
      .add("line_id", DataTypes.StringType).add("returned_line_id", DataTypes.StringType)
      .add("invoice_date", DataTypes.TimestampType).add("amount", DataTypes.createDecimalType(18, 2))
      .add(Lineage.RUN_ID, DataTypes.StringType);
  private static final StructType TICKETS = new StructType()
      .add("account_key", DataTypes.StringType).add("ticket_id", DataTypes.StringType)
      .add("subject", DataTypes.StringType).add("created_at", DataTypes.TimestampType)
      .add("closed_at", DataTypes.TimestampType).add("open_days_as_of", DataTypes.DateType)
      .add(Lineage.RUN_ID, DataTypes.StringType);

  private static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  private static Row sale(String account, String line, String invoice, String at, int quantity, String unitPrice,
      String process, Integer tier, String product) {
    BigDecimal unit = new BigDecimal(unitPrice);
    return RowFactory.create(account, "h-" + account, line, invoice, ts(at), "paid", quantity, unit,
        unit.multiply(BigDecimal.valueOf(quantity)), product, process, tier, "r1");
  }

  private static Row returned(String line, String ofLine, String at, String amount) {
    return RowFactory.create(line, ofLine, ts(at), new BigDecimal(amount), "r1");
  }

  /** The fixture of the hand computations below. */
  private static List<Row> sales() {
    return new ArrayList<>(List.of(
        sale("acme.com", "L1", "INV-1", "2015-01-10T10:00:00Z", 2, "50.00", "SLS", null, "P1"),
        sale("acme.com", "L2", "INV-2", "2015-03-15T10:00:00Z", 1, "50.00", "FDM", null, "P2"),
        sale("acme.com", "L3", "INV-3", "2015-06-20T10:00:00Z", 1, "1000.00", null, 3, "LIC3"),
        sale("bob@gmail.com", "L4", "INV-4", "2014-12-01T10:00:00Z", 1, "200.00", null, 1, "LIC1")));
  }

  private static List<Row> returns() {
    return new ArrayList<>(List.of(
        returned("R1", "L1", "2015-03-20T09:00:00Z", "-20.00"),
        returned("R2", "L2", "2015-05-01T09:00:00Z", "-30.00")));
  }

  private static List<Row> tickets() {
    return new ArrayList<>(List.of(RowFactory.create("acme.com", "T1", "Print cracked", ts("2015-05-10T00:00:00Z"),
        ts("2015-05-12T12:00:00Z"), java.sql.Date.valueOf("2015-06-21"), "r1")));
  }

  private Dataset<Row> build(SparkSession spark, List<Row> sales, List<Row> returns, List<Row> tickets) {
    write(spark, "keyed_invoices", sales, INVOICES);
    write(spark, "silver_invoice_returns", returns, RETURNS);
    write(spark, "keyed_support_tickets", tickets, TICKETS);
    AppConfig config = Inputs.config(input, warehouse,
        "customer-value.snapshots { horizon-days = 60, lookback-days = 365, as-of = [\"2015-04-01\", \"2015-06-01\"] }\n"
            // Two accounts cannot support a BG/NBD fit; LifetimeFeaturesTest covers those columns.
            + "customer-value.lifetime.enabled = false");
    new FeaturesJob().run(spark, config, new RunContext("r1", Optional.empty(), Instant.parse("2024-01-01T00:00:00Z")));
    return spark.read().format("delta").load(warehouse.resolve("customer_features").toString());
  }

  private void write(SparkSession spark, String table, List<Row> rows, StructType schema) {
    DeltaTables.replace(spark.createDataFrame(rows, schema), warehouse.resolve(table).toString(),
        List.of(Lineage.RUN_ID), Lineage.RUN_ID, "r1");
  }

  private static Row row(Dataset<Row> table, String account, String asOf) {
    return table.where("account_key = '" + account + "' and as_of = DATE'" + asOf + "'").first();
  }

  @Test
  void featuresAndLabelsMatchHandComputedValues(SparkSession spark) {
    spark.conf().unset(FeaturesJob.REQUIRE_ALL_CLUSTER_KEYS);
    Dataset<Row> table = build(spark, sales(), returns(), tickets());
    assertThat(spark.conf().getAll().contains(FeaturesJob.REQUIRE_ALL_CLUSTER_KEYS))
        .as("the job's co-partitioning setting is for the job alone").isFalse();

    Row a = row(table, "acme.com", "2015-04-01");
    assertThat(a.<Double>getAs("recency_days")).isCloseTo(16 + 14 / 24.0, within(1e-9));
    assertThat(a.<Double>getAs("tenure_days")).isCloseTo(80 + 14 / 24.0, within(1e-9));
    assertThat(a.<Long>getAs("frequency")).isEqualTo(2L);
    assertThat(a.<Double>getAs("monetary")).as("150 bought, 20 returned before as_of, 30 after").isEqualTo(130.0);
    assertThat(a.<Double>getAs("avg_order_value")).isEqualTo(75.0);
    assertThat(a.<Double>getAs("largest_order")).isEqualTo(100.0);
    assertThat(a.<Double>getAs("avg_unit_price")).isEqualTo(50.0);
    assertThat(a.<Long>getAs("distinct_products")).isEqualTo(2L);
    assertThat(a.<Long>getAs("months_active")).isEqualTo(2L);
    assertThat(a.<Double>getAs("gap_mean_days")).isEqualTo(64.0);
    assertThat(a.<Double>getAs("gap_std_days")).as("one gap has no spread").isNull();
    assertThat(a.<Double>getAs("purchase_rate_per_year")).isCloseTo(2 * 365 / (80 + 14 / 24.0), within(1e-9));
    assertThat(a.<Double>getAs("recency_gap_ratio")).as("recency over tenure / frequency")
        .isCloseTo((16 + 14 / 24.0) / ((80 + 14 / 24.0) / 2), within(1e-9));
    assertThat(a.<Double>getAs("spend_90d")).isEqualTo(150.0);
    assertThat(a.<Double>getAs("spend_prev_90d")).isEqualTo(0.0);
    assertThat(a.<Long>getAs("returns_count")).isEqualTo(1L);
    assertThat(a.<Double>getAs("share_spend_sls")).isCloseTo(100 / 150.0, within(1e-9));
    assertThat(a.<Double>getAs("share_spend_fdm")).isCloseTo(50 / 150.0, within(1e-9));
    assertThat(a.<Integer>getAs("current_tier")).isNull();
    assertThat(a.<Integer>getAs("first_purchase_month")).isEqualTo(1);
    assertThat(a.<Integer>getAs("bought_in_m01")).isEqualTo(1);
    assertThat(a.<Integer>getAs("bought_in_m03")).isEqualTo(1);
    assertThat(a.<Integer>getAs("bought_in_m02")).isEqualTo(0);
    assertThat(a.<Integer>getAs("free_mail_account")).isEqualTo(0);
    assertThat(a.<String>getAs("industry")).as("no customers source: filled").isEqualTo("unknown");
    assertThat(a.<Boolean>getAs("labelled")).isTrue();
    assertThat(a.<Integer>getAs("returned")).as("L3 is after the 60-day window").isEqualTo(0);
    assertThat(a.<Integer>getAs("bought_top_tier")).isEqualTo(0);
    assertThat(a.<Double>getAs("revenue_next")).as("no purchase, 30 returned in the window").isEqualTo(-30.0);
    assertThat(a.<Double>getAs("support_cost_next")).as("2.5 open days x 10").isEqualTo(25.0);
    assertThat(a.<Double>getAs("adjusted_revenue")).isEqualTo(-55.0);

    assertThat(table.where("account_key = 'bob@gmail.com'").count()).as("no e-mail in a BI table").isZero();
    Row b = row(table, "person:h-bob@gmail.com", "2015-04-01");
    assertThat(b.<Double>getAs("recency_days")).isCloseTo(120 + 14 / 24.0, within(1e-9));
    assertThat(b.<Integer>getAs("current_tier")).isEqualTo(1);
    assertThat(b.<Double>getAs("gap_mean_days")).as("one invoice, no gap").isNull();
    assertThat(b.<Double>getAs("recency_gap_ratio")).as("one invoice: its only interval has passed")
        .isCloseTo(1.0, within(1e-9));
    assertThat(b.<Double>getAs("share_spend_tier_1")).isEqualTo(1.0);
    assertThat(b.<Integer>getAs("free_mail_account")).isEqualTo(1);
    assertThat(b.<String>getAs("account_key_hash")).as("the test's hasher prefixes h-").isEqualTo("h-bob@gmail.com");

    Row later = row(table, "acme.com", "2015-06-01");
    assertThat(later.<Double>getAs("monetary")).as("both returns are before this as_of").isEqualTo(100.0);
    assertThat(later.<Boolean>getAs("labelled")).as("the window runs past 2015-06-21, the end of the data").isFalse();
    assertThat(later.<Integer>getAs("returned")).isNull();
    assertThat(later.<Double>getAs("revenue_next")).isNull();
    assertThat(later.<Long>getAs("tickets_total")).as("the ticket of 2015-05-10").isEqualTo(1L);
    assertThat(later.<String>getAs("ticket_text")).isEqualTo("print cracked");
    assertThat(a.<Long>getAs("tickets_total")).isEqualTo(0L);
    assertThat(a.<String>getAs("ticket_text")).isEqualTo("");
    assertThat(a.<Long>getAs("sessions_90d")).as("no web analytics: filled").isEqualTo(0L);
    assertThat(table.count()).isEqualTo(4);
  }

  @Test
  void invoicesOfSeveralLinesCountOnceAndTheirLinesAfterAsOfCountOnlyInLabels(SparkSession spark) {
    spark.conf().set(FeaturesJob.REQUIRE_ALL_CLUSTER_KEYS, "true");
    List<Row> sales = sales();
    sales.add(sale("multi.com", "M1", "INV-10", "2015-01-05T10:00:00Z", 2, "10.00", "SLS", null, "P1"));
    sales.add(sale("multi.com", "M2", "INV-10", "2015-01-05T10:00:00Z", 1, "30.00", "FDM", 2, "P2"));
    sales.add(sale("multi.com", "M3", "INV-10", "2015-01-05T10:00:00Z", 1, "20.00", "SLS", 1, "P1"));
    sales.add(sale("multi.com", "M4", "INV-11", "2015-02-10T10:00:00Z", 1, "100.00", null, 2, "P3"));
    sales.add(sale("multi.com", "M5", "INV-11", "2015-02-10T10:00:00Z", 1, "10.00", "SLS", null, "P1"));
    // A line of INV-11 dated on as_of: in the label window, never in the features.
    sales.add(sale("multi.com", "M6", "INV-11", "2015-04-01T00:00:00Z", 1, "500.00", null, 3, "P9"));
    Dataset<Row> table;
    try {
      table = build(spark, sales, returns(), tickets());
      assertThat(spark.conf().get(FeaturesJob.REQUIRE_ALL_CLUSTER_KEYS)).as("a setting of the caller's is restored")
          .isEqualTo("true");
    } finally {
      spark.conf().unset(FeaturesJob.REQUIRE_ALL_CLUSTER_KEYS);
    }

    Row m = row(table, "multi.com", "2015-04-01");
    assertThat(m.<Long>getAs("frequency")).isEqualTo(2L);
    assertThat(m.<Double>getAs("monetary")).isEqualTo(180.0);
    assertThat(m.<Double>getAs("avg_order_value")).as("invoice totals 70 and 110").isEqualTo(90.0);
    assertThat(m.<Double>getAs("largest_order")).isEqualTo(110.0);
    assertThat(m.<Double>getAs("avg_unit_price")).as("the mean over the five lines, not the invoices")
        .isCloseTo(170 / 5.0, within(1e-9));
    assertThat(m.<Long>getAs("distinct_products")).as("P1 on three lines counts once; P9 is after as_of")
        .isEqualTo(3L);
    assertThat(m.<Long>getAs("months_active")).isEqualTo(2L);
    assertThat(m.<Double>getAs("share_spend_sls")).isCloseTo(50 / 180.0, within(1e-9));
    assertThat(m.<Double>getAs("share_spend_fdm")).isCloseTo(30 / 180.0, within(1e-9));
    assertThat(m.<Double>getAs("share_spend_tier_1")).isCloseTo(20 / 180.0, within(1e-9));
    assertThat(m.<Double>getAs("share_spend_tier_2")).isCloseTo(130 / 180.0, within(1e-9));
    assertThat(m.<Double>getAs("share_spend_tier_3")).isEqualTo(0.0);
    assertThat(m.<Integer>getAs("current_tier")).as("the tier of the latest line with one").isEqualTo(2);
    assertThat(m.<Double>getAs("gap_mean_days")).isCloseTo(36.0, within(1e-9));
    assertThat(m.<Integer>getAs("returned")).isEqualTo(1);
    assertThat(m.<Integer>getAs("bought_top_tier")).isEqualTo(1);
    assertThat(m.<Double>getAs("revenue_next")).isEqualTo(500.0);

    Row later = row(table, "multi.com", "2015-06-01");
    assertThat(later.<Long>getAs("frequency")).as("INV-11's late line adds no invoice").isEqualTo(2L);
    assertThat(later.<Long>getAs("distinct_products")).isEqualTo(4L);
    assertThat(later.<Double>getAs("largest_order")).isEqualTo(610.0);
    assertThat(later.<Integer>getAs("current_tier")).isEqualTo(3);
    assertThat(later.<Integer>getAs("bought_in_m04")).isEqualTo(1);
  }

  @Test
  void eventsOnOrAfterAsOfNeverChangeFeaturesAndEarlierEventsNeverChangeLabels(SparkSession spark) {
    List<String> featureColumns = new ArrayList<>();
    Dataset<Row> base = build(spark, sales(), returns(), tickets());
    for (String c : base.columns()) {
      if (!List.of("labelled", "returned", "bought_top_tier", "revenue_next", "support_cost_next", "adjusted_revenue",
          "run_id").contains(c)) {
        featureColumns.add(c);
      }
    }
    List<Row> baseFeatures = base.where("as_of = DATE'2015-04-01'")
        .selectExpr(featureColumns.toArray(String[]::new)).orderBy("account_key").collectAsList();
    List<Row> baseLabels = base.where("as_of = DATE'2015-04-01'")
        .select("account_key", "labelled", "returned", "bought_top_tier", "revenue_next", "support_cost_next",
            "adjusted_revenue").orderBy("account_key").collectAsList();

    List<Row> laterChanged = sales();
    laterChanged.add(sale("acme.com", "L5", "INV-5", "2015-04-01T00:00:00Z", 9, "99.00", "SLS", 3, "P9"));
    laterChanged.add(sale("bob@gmail.com", "L6", "INV-6", "2015-04-20T00:00:00Z", 1, "10.00", null, 3, "LIC3"));
    laterChanged.set(2, sale("acme.com", "L3", "INV-3", "2015-06-20T10:00:00Z", 5, "7.00", "MJF", 2, "X"));
    List<Row> fewerReturns = returns();
    fewerReturns.remove(1);
    List<Row> moreTickets = tickets();
    moreTickets.add(RowFactory.create("bob@gmail.com", "T2", "Late", ts("2015-04-01T00:00:00Z"), null, java.sql.Date.valueOf("2015-06-21"), "r1"));
    Dataset<Row> changedAfter = build(spark, laterChanged, fewerReturns, moreTickets);
    assertThat(changedAfter.where("as_of = DATE'2015-04-01'").selectExpr(featureColumns.toArray(String[]::new))
        .orderBy("account_key").collectAsList()).containsExactlyElementsOf(baseFeatures);

    List<Row> earlierChanged = sales();
    earlierChanged.set(0, sale("acme.com", "L1", "INV-1", "2015-01-11T10:00:00Z", 7, "3.00", "MJF", 1, "Q"));
    earlierChanged.add(sale("acme.com", "L7", "INV-7", "2015-03-31T23:59:59Z", 1, "1.00", null, null, "R"));
    List<Row> earlierReturns = returns();
    earlierReturns.add(returned("R3", "L4", "2015-02-01T00:00:00Z", "-5.00"));
    Dataset<Row> changedBefore = build(spark, earlierChanged, earlierReturns, tickets());
    assertThat(changedBefore.where("as_of = DATE'2015-04-01'")
        .select("account_key", "labelled", "returned", "bought_top_tier", "revenue_next", "support_cost_next",
            "adjusted_revenue").orderBy("account_key").collectAsList()).containsExactlyElementsOf(baseLabels);
    assertThat(Arrays.asList(changedBefore.columns())).contains("monetary");
  }
}
