package com.customervalue.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.SparkExtension;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class SegmentInsightsTest {
  /** Four accounts of one labelled snapshot, figures chosen so every mean is easy to check by hand. */
  private static Dataset<Row> features(SparkSession spark) {
    return spark.sql("SELECT DATE'2024-01-01' AS as_of, * FROM VALUES"
        // returned, top, revenue, support, adjusted, tier, sls, fdm, industry, km, month, releases, freq, aov, tickets
        + " (1, 0, 100.0, 10.0, 90.0, 1, 0.8, 0.2, 'retail', 10.0, 8, 0, 5, 10.0, 0),"
        + " (0, 0, 0.0, 30.0, -30.0, 1, 0.0, 1.0, 'retail', 120.0, 8, 2, 1, 500.0, 3),"
        + " (1, 1, 300.0, 0.0, 300.0, 3, 1.0, 0.0, 'events', 2000.0, 1, 7, 6, 20.0, 0),"
        + " (1, 0, 50.0, 50.0, 0.0, CAST(NULL AS INT), 0.0, 0.0, CAST(NULL AS STRING), CAST(NULL AS DOUBLE), 2, 1,"
        + " 1, 900.0, 5)"
        + " AS t(returned, bought_top_tier, revenue_next, support_cost_next, adjusted_revenue, current_tier,"
        + " share_spend_sls, share_spend_fdm, industry, distance_km, first_purchase_month,"
        + " releases_since_last_purchase, frequency, avg_order_value, tickets_365d)");
  }

  private static Map<String, String> question(Dataset<Row> insights, String question) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : insights.where("question = '" + question + "'").collectAsList()) {
      out.put(r.getAs("segment"), r.<Long>getAs("accounts") + " " + r.<Double>getAs("return_rate") + " "
          + r.<Double>getAs("adjusted_revenue_per_account"));
    }
    return out;
  }

  @Test
  void answersEachOutcomeQuestionPerSegment(SparkSession spark) {
    Dataset<Row> insights = SegmentInsights.compute(spark, features(spark), null, List.of("SLS", "FDM"), 5, "r1",
        Timestamp.valueOf("2024-02-01 00:00:00")).cache();

    assertThat(insights.schema().fieldNames()).containsExactly(SegmentInsights.SCHEMA.fieldNames());
    assertThat(question(insights, "license_tier")).containsExactly(
        Map.entry("no license", "1 1.0 0.0"), Map.entry("tier 1", "2 0.5 30.0"), Map.entry("tier 3", "1 1.0 300.0"));
    assertThat(question(insights, "process")).containsOnlyKeys("FDM", "SLS", "none");
    assertThat(question(insights, "process").get("SLS")).isEqualTo("2 1.0 195.0");
    assertThat(question(insights, "industry")).containsOnlyKeys("retail", "events", "unknown");
    assertThat(question(insights, "distance_band")).containsOnlyKeys("0-50 km", "50-200 km", "1000+ km", "unknown");
    assertThat(question(insights, "first_purchase_month")).containsOnlyKeys("01 Jan", "02 Feb", "08 Aug");
    assertThat(question(insights, "press_release_exposure")).containsOnlyKeys(
        "0 releases since the last purchase", "1-2 releases", "6+ releases");
    assertThat(question(insights, "support_burden")).containsOnlyKeys(
        "no tickets in the prior year", "2-3 tickets", "4+ tickets");
    // Medians (percentile_approx picks a value of the data): frequency 1, order value 20, tickets 0. Only the
    // first account orders below the median without buying less often than it.
    assertThat(question(insights, "purchase_pattern_support")).containsExactly(
        Map.entry("many small purchases, little support", "1 1.0 90.0"),
        Map.entry("mixed, little support", "1 1.0 300.0"), Map.entry("mixed, much support", "2 0.5 -15.0"));
    assertThat(insights.select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly("r1");
  }

  @Test
  void scoreQuestionsRankTheAccountsByRevenueAtRisk(SparkSession spark) {
    Dataset<Row> scores = spark.sql("SELECT DATE'2024-03-01' AS score_date, * FROM VALUES"
        + " ('h1', 'Acme', 'acme.com', 0.2, 0.9, 'high', 0.1, 100.0, 90.0, 10.0, 5.0, 5.0),"
        + " ('h2', CAST(NULL AS STRING), 'beta.io', 0.7, 0.3, 'low', 0.0, 1000.0, 300.0, 0.0, 0.0, 0.0),"
        + " ('h3', CAST(NULL AS STRING), CAST(NULL AS STRING), 0.5, 0.5, 'medium', 0.0, 10.0, 5.0, 0.0, 0.0, 0.0)"
        + " AS t(account_key_hash, company_name, company_domain, p_return, p_churn, risk_band, p_top_tier,"
        + " expected_revenue, revenue_at_risk, revenue_12m, support_cost_12m, adjusted_revenue_12m)");
    Dataset<Row> insights = SegmentInsights.compute(spark, null, scores, List.of(), 2, "r1",
        Timestamp.valueOf("2024-03-02 00:00:00"));

    List<String> top = insights.where("question = 'top_at_risk'").orderBy("segment_order")
        .selectExpr("concat(segment_order, ' ', segment, ' ', revenue_at_risk)")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(top).containsExactly("1 beta.io 300.0", "2 Acme 90.0");
    assertThat(insights.where("question = 'risk_band'").orderBy("segment_order").select("segment")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("high", "medium", "low");
  }
}
