package com.customervalue.report;

import static com.customervalue.warehouse.Tables.field;

import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.InvoiceFeatures;
import com.customervalue.score.CustomerScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code segment_insights} table: the questions of the two studies the product generalises,
 * answered per run. Outcome rows describe the newest labelled snapshot of customer_features: what
 * the accounts in each segment actually did in the horizon after it (return rate, revenue, support
 * cost, adjusted revenue). Score rows describe the newest score date of customer_scores.
 */
public final class SegmentInsights {
  public static final String NAME = "segment_insights";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      field("run_id", DataTypes.StringType, "Run id of the report job that wrote the row"),
      field("as_of", DataTypes.DateType, "Snapshot the row describes: the newest labelled as_of for outcome"
          + " questions, the newest score date for score questions"),
      field("question", DataTypes.StringType, "What is compared: license_tier, process, industry, distance_band,"
          + " first_purchase_month, press_release_exposure, purchase_pattern_support, support_burden (outcomes);"
          + " risk_band, top_at_risk (scores)"),
      field("segment", DataTypes.StringType, "The segment (an account's company or domain for top_at_risk)"),
      field("segment_order", DataTypes.IntegerType, "Order to show the segments in (rank for top_at_risk)"),
      field("accounts", DataTypes.LongType, "Accounts in the segment"),
      field("return_rate", DataTypes.DoubleType, "Share of the accounts that bought again within the horizon"),
      field("top_tier_rate", DataTypes.DoubleType, "Share of the accounts that bought the top license tier within"
          + " the horizon"),
      field("revenue_per_account", DataTypes.DoubleType, "Mean revenue within the horizon (outcomes) or expected"
          + " revenue (scores)"),
      field("support_cost_per_account", DataTypes.DoubleType, "Mean support cost within the horizon (open days x"
          + " cost per day); the trailing 12 months for score questions"),
      field("adjusted_revenue_per_account", DataTypes.DoubleType, "revenue_per_account - support_cost_per_account"
          + " for outcomes; trailing 12-month adjusted revenue for score questions"),
      field("revenue_total", DataTypes.DoubleType, "Revenue of the segment within the horizon, or expected"),
      field("adjusted_revenue_total", DataTypes.DoubleType, "Adjusted revenue of the segment (as above)"),
      field("mean_p_churn", DataTypes.DoubleType, "Mean churn probability (score questions)"),
      field("revenue_at_risk", DataTypes.DoubleType, "Sum of p_churn x expected revenue (score questions)"),
      field("created_at", DataTypes.TimestampType, "When the report run that wrote the row started")});

  private SegmentInsights() {}

  /**
   * The insight rows; {@code features} must hold one labelled snapshot and {@code scores} one score
   * date (either may be null when absent).
   */
  static Dataset<Row> compute(SparkSession spark, Dataset<Row> features, Dataset<Row> scores, List<String> processes,
      int topAtRisk, String runId, java.sql.Timestamp createdAt) {
    List<String> parts = new ArrayList<>();
    if (features != null) {
      features.createOrReplaceTempView("_insight_features");
      for (String[] d : dimensions(processes)) {
        parts.add(String.format(Locale.ROOT, "SELECT '%s' AS question, %s AS segment, %s AS segment_order,"
            + " count(*) AS accounts, avg(returned) AS return_rate, avg(bought_top_tier) AS top_tier_rate,"
            + " avg(revenue_next) AS revenue_per_account, avg(support_cost_next) AS support_cost_per_account,"
            + " avg(adjusted_revenue) AS adjusted_revenue_per_account, sum(revenue_next) AS revenue_total,"
            + " sum(adjusted_revenue) AS adjusted_revenue_total, CAST(NULL AS DOUBLE) AS mean_p_churn,"
            + " CAST(NULL AS DOUBLE) AS revenue_at_risk, as_of"
            + " FROM (SELECT *, %s AS _segment, %s AS _order FROM _insight_features)"
            + " GROUP BY as_of, _segment", d[0], "_segment", "min(_order)", d[1], d[2]));
      }
    }
    if (scores != null) {
      scores.createOrReplaceTempView("_insight_scores");
      String metrics = " avg(expected_revenue) AS revenue_per_account, avg(support_cost_12m) AS"
          + " support_cost_per_account, avg(adjusted_revenue_12m) AS adjusted_revenue_per_account,"
          + " sum(expected_revenue) AS revenue_total, sum(adjusted_revenue_12m) AS adjusted_revenue_total,"
          + " avg(p_churn) AS mean_p_churn, sum(revenue_at_risk) AS revenue_at_risk, score_date AS as_of";
      parts.add("SELECT 'risk_band' AS question, risk_band AS segment, min(CASE risk_band WHEN 'high' THEN 1"
          + " WHEN 'medium' THEN 2 ELSE 3 END) AS segment_order, count(*) AS accounts, avg(p_return) AS return_rate,"
          + " avg(p_top_tier) AS top_tier_rate," + metrics + " FROM _insight_scores GROUP BY score_date, risk_band");
      parts.add("SELECT 'top_at_risk' AS question, segment, CAST(segment_order AS INT) AS segment_order,"
          + " 1L AS accounts, p_return AS return_rate, p_top_tier AS top_tier_rate, expected_revenue AS"
          + " revenue_per_account, support_cost_12m AS support_cost_per_account, adjusted_revenue_12m AS"
          + " adjusted_revenue_per_account, expected_revenue AS revenue_total, adjusted_revenue_12m AS"
          + " adjusted_revenue_total, p_churn AS mean_p_churn, revenue_at_risk, score_date AS as_of FROM ("
          + " SELECT *, coalesce(company_name, company_domain, 'account ' || substr(" + CustomerScores.ACCOUNT
          + ", 1, 12)) AS segment, row_number() OVER (PARTITION BY score_date ORDER BY revenue_at_risk DESC NULLS LAST, "
          + CustomerScores.ACCOUNT + ") AS segment_order FROM _insight_scores) WHERE segment_order <= " + topAtRisk);
    }
    if (parts.isEmpty()) {
      throw new CustomerValueException("report: there is neither a labelled snapshot in customer_features nor a"
          + " customer_scores table to describe; run features, train and score first");
    }
    Dataset<Row> rows = spark.sql(String.join(" UNION ALL ", parts));
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (StructField f : SCHEMA.fields()) {
      org.apache.spark.sql.Column c = switch (f.name()) {
        case "run_id" -> org.apache.spark.sql.functions.lit(runId);
        case "created_at" -> org.apache.spark.sql.functions.lit(createdAt);
        default -> rows.col(f.name());
      };
      select.add(c.cast(f.dataType()).as(f.name(), f.metadata()));
    }
    return rows.select(select.toArray(org.apache.spark.sql.Column[]::new));
  }

  /** question, segment expression, order expression, over the columns of customer_features. */
  private static List<String[]> dimensions(List<String> processes) {
    String few = "frequency < (SELECT percentile_approx(frequency, 0.5) FROM _insight_features)";
    String large = "avg_order_value >= (SELECT percentile_approx(avg_order_value, 0.5) FROM _insight_features)";
    String muchSupport = "tickets_365d > (SELECT percentile_approx(tickets_365d, 0.5) FROM _insight_features)";
    String pattern = "CASE WHEN NOT (" + few + ") AND NOT (" + large + ") THEN 'many small purchases'"
        + " WHEN (" + few + ") AND (" + large + ") THEN 'few large purchases' ELSE 'mixed' END"
        + " || CASE WHEN " + muchSupport + " THEN ', much support' ELSE ', little support' END";
    return List.of(
        new String[] {"license_tier", "CASE WHEN current_tier IS NULL THEN 'no license' ELSE 'tier ' || current_tier"
            + " END", "coalesce(current_tier, 0)"},
        new String[] {"process", mainProcess(processes), "0"},
        new String[] {"industry", "coalesce(industry, 'unknown')", "0"},
        bands("distance_band", "distance_km", new double[] {50, 200, 500, 1000},
            new String[] {"0-50 km", "50-200 km", "200-500 km", "500-1000 km", "1000+ km"}),
        new String[] {"first_purchase_month", "coalesce(date_format(make_date(2000, first_purchase_month, 1),"
            + " 'MM MMM'), 'unknown')", "coalesce(first_purchase_month, 13)"},
        bands("press_release_exposure", "releases_since_last_purchase", new double[] {1, 3, 6},
            new String[] {"0 releases since the last purchase", "1-2 releases", "3-5 releases", "6+ releases"}),
        new String[] {"purchase_pattern_support", pattern, "0"},
        bands("support_burden", "tickets_365d", new double[] {1, 2, 4},
            new String[] {"no tickets in the prior year", "1 ticket", "2-3 tickets", "4+ tickets"}));
  }

  /** The process with the largest share of an account's spend; "none" when it bought none of them. */
  private static String mainProcess(List<String> processes) {
    if (processes.isEmpty()) {
      return "'none'";
    }
    List<String> shares = processes.stream().map(p -> "coalesce(" + InvoiceFeatures.processColumn(p) + ", 0)")
        .toList();
    String greatest = shares.size() == 1 ? shares.get(0) : "greatest(" + String.join(", ", shares) + ")";
    StringBuilder sb = new StringBuilder("CASE WHEN ").append(greatest).append(" <= 0 THEN 'none'");
    for (int i = 0; i < processes.size(); i++) {
      sb.append(" WHEN ").append(shares.get(i)).append(" = ").append(greatest).append(" THEN '")
          .append(processes.get(i).replace("'", "")).append('\'');
    }
    return sb.append(" END").toString();
  }

  /** A question that cuts a numeric column at {@code bounds}: {@code labels} has one more entry than bounds. */
  private static String[] bands(String question, String column, double[] bounds, String[] labels) {
    StringBuilder segment = new StringBuilder("CASE WHEN ").append(column).append(" IS NULL THEN 'unknown'");
    StringBuilder order = new StringBuilder("CASE WHEN ").append(column).append(" IS NULL THEN ")
        .append(bounds.length + 1);
    for (int i = 0; i < bounds.length; i++) {
      segment.append(" WHEN ").append(column).append(" < ").append(bounds[i]).append(" THEN '").append(labels[i])
          .append('\'');
      order.append(" WHEN ").append(column).append(" < ").append(bounds[i]).append(" THEN ").append(i);
    }
    segment.append(" ELSE '").append(labels[bounds.length]).append("' END");
    order.append(" ELSE ").append(bounds.length).append(" END");
    return new String[] {question, segment.toString(), order.toString()};
  }
}
