package com.customervalue.features.families;

import static com.customervalue.features.families.PointInTime.sumIf;
import static com.customervalue.features.families.PointInTime.withinDays;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSettings;
import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import com.customervalue.sources.Source.WebAnalytics;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Website engagement per account. Analytics rows are daily totals, so a day is seen by a
 * snapshot only when the whole day lies before it (date &lt; as_of): the day's visits are taken
 * to happen at the start of that UTC day and windows are counted in whole days.
 */
public final class WebFeatures implements FeatureFamily {
  public static final String SESSIONS_30D = "sessions_30d";
  public static final String SESSIONS_90D = "sessions_90d";
  public static final String PAGE_VIEWS_30D = "page_views_30d";
  public static final String PAGE_VIEWS_90D = "page_views_90d";
  public static final String SESSIONS_TREND = "sessions_trend";
  public static final String DAYS_SINCE_LAST_VISIT = "days_since_last_visit";

  private static final String SOURCE = Source.WEB_ANALYTICS.id();

  public static final List<FeatureSpec> SPECS = List.of(
      new FeatureSpec(SESSIONS_30D, SOURCE, "Sessions on the 30 days before as_of (date in [as_of - 30, as_of)).",
          DataTypes.LongType, 0L),
      new FeatureSpec(SESSIONS_90D, SOURCE, "Sessions on the 90 days before as_of (date in [as_of - 90, as_of)).",
          DataTypes.LongType, 0L),
      new FeatureSpec(PAGE_VIEWS_30D, SOURCE, "Page views on the 30 days before as_of; missing counts as 0.",
          DataTypes.LongType, 0L),
      new FeatureSpec(PAGE_VIEWS_90D, SOURCE, "Page views on the 90 days before as_of; missing counts as 0.",
          DataTypes.LongType, 0L),
      new FeatureSpec(SESSIONS_TREND, SOURCE, "Sessions on the 90 days before as_of minus sessions on the 90 days"
          + " before those (date in [as_of - 180, as_of - 90)).", DataTypes.LongType, 0L),
      new FeatureSpec(DAYS_SINCE_LAST_VISIT, SOURCE, "Whole days from the last date before as_of with at least one"
          + " session to as_of (1 = the day before).", DataTypes.IntegerType, null));

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public List<FeatureSpec> specs() {
    return SPECS;
  }

  @Override
  public Dataset<Row> compute(Dataset<Row> rows, Dataset<Row> snapshots, Dataset<Row> accounts,
      FeatureSettings settings) {
    Column sessions = col(WebAnalytics.SESSIONS);
    Column pageViews = col(WebAnalytics.PAGE_VIEWS);
    Column last90 = withinDays(90);
    Dataset<Row> aggregated = PointInTime.eventsBefore(
            PointInTime.keyed(rows), snapshots, PointInTime.startOfDay(col(WebAnalytics.DATE)))
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF))
        .agg(
            sumIf(withinDays(30), sessions).as(SESSIONS_30D),
            sumIf(last90, sessions).as(SESSIONS_90D),
            sumIf(withinDays(30), pageViews).as(PAGE_VIEWS_30D),
            sumIf(last90, pageViews).as(PAGE_VIEWS_90D),
            sumIf(last90, sessions).minus(sumIf(withinDays(90, 180), sessions)).as(SESSIONS_TREND),
            max(when(sessions.gt(0), col(WebAnalytics.DATE))).as(DAYS_SINCE_LAST_VISIT))
        .withColumn(DAYS_SINCE_LAST_VISIT, datediff(col(Snapshots.AS_OF), col(DAYS_SINCE_LAST_VISIT)));
    return PointInTime.output(aggregated, SPECS);
  }
}
