package com.customervalue.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The labels of a snapshot, from events in [as_of, as_of + horizon) only. A snapshot whose window
 * runs past the end of the data is unlabelled: its labels are null, never 0.
 */
final class Labels {
  static final String LABELLED = "labelled";
  static final String RETURNED = "returned";
  static final String BOUGHT_TOP_TIER = "bought_top_tier";
  static final String REVENUE_NEXT = "revenue_next";
  static final String SUPPORT_COST_NEXT = "support_cost_next";
  static final String ADJUSTED_REVENUE = "adjusted_revenue";

  private Labels() {}

  static List<FeatureSpec> specs() {
    String s = "labels";
    return List.of(
        new FeatureSpec(LABELLED, s, "whether the label window [as_of, as_of + horizon) ends inside the data",
            DataTypes.BooleanType, null),
        new FeatureSpec(RETURNED, s, "1 when the account made a valid purchase in the label window",
            DataTypes.IntegerType, null),
        new FeatureSpec(BOUGHT_TOP_TIER, s, "1 when an account not yet on the top license tier bought it in the"
            + " label window; null for accounts already on it", DataTypes.IntegerType, null),
        new FeatureSpec(REVENUE_NEXT, s, "spend in the label window minus returns dated in it",
            DataTypes.DoubleType, null),
        new FeatureSpec(SUPPORT_COST_NEXT, s, "days support tickets were open inside the label window x cost per"
            + " day", DataTypes.DoubleType, null),
        new FeatureSpec(ADJUSTED_REVENUE, s, "revenue_next minus support_cost_next", DataTypes.DoubleType, null));
  }

  /**
   * @param population (account_key, as_of) rows to label
   * @param baskets purchases per invoice and time, see {@link InvoiceFeatures#baskets} (their top-tier flag
   *     is for {@link FeatureSettings#topTier()})
   * @param returns (account_key, _ts, _amount) of returns, amounts positive; may be null
   * @param tickets keyed support tickets; may be null
   * @param dataEnd the end of the data (exclusive): windows ending after it are unlabelled
   */
  static Dataset<Row> compute(Dataset<Row> population, Dataset<Row> baskets, Dataset<Row> returns,
      Dataset<Row> tickets, Dataset<Row> snapshots, Timestamp dataEnd, FeatureSettings settings) {
    Column from = col(Snapshots.AS_OF_TS);
    Column to = col(Snapshots.HORIZON_END_TS);
    Column inWindow = col(InvoiceFeatures.TS).geq(from).and(col(InvoiceFeatures.TS).lt(to));
    List<String> keys = List.of(Keyed.ACCOUNT_KEY, Snapshots.AS_OF);
    scala.collection.immutable.Seq<String> on = scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq();

    Dataset<Row> bought = baskets.join(broadcast(snapshots), inWindow)
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF))
        .agg(sum(col(InvoiceFeatures.AMOUNT)).as("_spend_next"),
            max(col(InvoiceFeatures.TOP)).as("_top_next"));
    Dataset<Row> onTop = baskets.where(col(InvoiceFeatures.TOP).equalTo(1))
        .join(broadcast(snapshots), col(InvoiceFeatures.TS).lt(from))
        .select(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF)).distinct().withColumn("_on_top", lit(true));
    Dataset<Row> labelled = population.join(broadcast(snapshots), Snapshots.AS_OF)
        .join(bought, on, "left").join(onTop, on, "left");
    if (returns != null) {
      Dataset<Row> returned = returns.join(broadcast(snapshots), inWindow)
          .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF)).agg(sum(col(InvoiceFeatures.AMOUNT)).as("_returned"));
      labelled = labelled.join(returned, on, "left");
    } else {
      labelled = labelled.withColumn("_returned", lit(0.0));
    }
    if (tickets != null) {
      Column created = col(Source.SupportTickets.CREATED_AT);
      Column closedOrEnd = coalesce(col(Source.SupportTickets.CLOSED_AT), to);
      Column overlap = unix_seconds(least(closedOrEnd, to)).minus(unix_seconds(greatest(created, from)));
      // Only the columns needed, so nothing of the ticket rows can clash with the grid's columns.
      Dataset<Row> cost = tickets.where(col(Keyed.ACCOUNT_KEY).isNotNull())
          .select(col(Keyed.ACCOUNT_KEY), created, col(Source.SupportTickets.CLOSED_AT))
          .join(broadcast(snapshots), created.lt(to).and(closedOrEnd.gt(from)))
          .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF))
          .agg(sum(greatest(overlap, lit(0L)).divide(InvoiceFeatures.SECONDS_PER_DAY)).as("_open_days_next"));
      labelled = labelled.join(cost, on, "left");
    } else {
      labelled = labelled.withColumn("_open_days_next", lit(0.0));
    }
    Column isLabelled = to.leq(lit(dataEnd));
    Column revenue = coalesce(col("_spend_next"), lit(0.0)).minus(coalesce(col("_returned"), lit(0.0)));
    Column supportCost = coalesce(col("_open_days_next"), lit(0.0)).multiply(settings.supportCostPerDay());
    return labelled.select(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF),
        isLabelled.as(LABELLED),
        when(isLabelled, when(col("_spend_next").isNotNull(), 1).otherwise(0)).as(RETURNED),
        when(isLabelled.and(col("_on_top").isNull()), coalesce(col("_top_next"), lit(0))).as(BOUGHT_TOP_TIER),
        when(isLabelled, revenue).as(REVENUE_NEXT),
        when(isLabelled, supportCost).as(SUPPORT_COST_NEXT),
        when(isLabelled, revenue.minus(supportCost)).as(ADJUSTED_REVENUE));
  }
}
