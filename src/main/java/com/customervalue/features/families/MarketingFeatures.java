package com.customervalue.features.families;

import static com.customervalue.features.families.PointInTime.EVENT_TS;
import static com.customervalue.features.families.PointInTime.countIf;
import static com.customervalue.features.families.PointInTime.daysBeforeAsOf;
import static com.customervalue.features.families.PointInTime.withinDays;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSettings;
import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import com.customervalue.sources.Source.MarketingEvents;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Response to e-mail marketing and chat per account. Rates are left null when nothing was sent:
 * an account that was never mailed has no open rate, which is different from a rate of 0.
 */
public final class MarketingFeatures implements FeatureFamily {
  public static final String EMAILS_SENT_90D = "emails_sent_90d";
  public static final String EMAILS_OPENED_90D = "emails_opened_90d";
  public static final String EMAILS_CLICKED_90D = "emails_clicked_90d";
  public static final String OPEN_RATE_90D = "open_rate_90d";
  public static final String CLICK_RATE_90D = "click_rate_90d";
  public static final String CHATS_TOTAL = "chats_total";
  public static final String UNSUBSCRIBED = "unsubscribed";
  public static final String DAYS_SINCE_LAST_TOUCH = "days_since_last_touch";
  public static final String CAMPAIGNS_TOUCHED = "campaigns_touched";

  static final String SENT = "sent";
  static final String OPEN = "open";
  static final String CLICK = "click";
  static final String UNSUBSCRIBE = "unsubscribe";
  static final String CHAT = "chat";

  private static final String SOURCE = Source.MARKETING_EVENTS.id();

  public static final List<FeatureSpec> SPECS = List.of(
      new FeatureSpec(EMAILS_SENT_90D, SOURCE, "'sent' events in the 90 days before as_of.", DataTypes.LongType, 0L),
      new FeatureSpec(EMAILS_OPENED_90D, SOURCE, "'open' events in the 90 days before as_of.", DataTypes.LongType,
          0L),
      new FeatureSpec(EMAILS_CLICKED_90D, SOURCE, "'click' events in the 90 days before as_of.", DataTypes.LongType,
          0L),
      new FeatureSpec(OPEN_RATE_90D, SOURCE, "emails_opened_90d / emails_sent_90d (90 days before as_of); null when"
          + " nothing was sent; may exceed 1 when a mail is opened twice.", DataTypes.DoubleType, null),
      new FeatureSpec(CLICK_RATE_90D, SOURCE, "emails_clicked_90d / emails_sent_90d (90 days before as_of); null"
          + " when nothing was sent.", DataTypes.DoubleType, null),
      new FeatureSpec(CHATS_TOTAL, SOURCE, "'chat' events at any time before as_of.", DataTypes.LongType, 0L),
      new FeatureSpec(UNSUBSCRIBED, SOURCE, "1 when any 'unsubscribe' event happened before as_of, else 0.",
          DataTypes.IntegerType, 0),
      new FeatureSpec(DAYS_SINCE_LAST_TOUCH, SOURCE, "Fractional days from the last marketing event of any type"
          + " before as_of to as_of.", DataTypes.DoubleType, null),
      new FeatureSpec(CAMPAIGNS_TOUCHED, SOURCE, "Distinct non-empty campaigns with any event before as_of.",
          DataTypes.LongType, 0L));

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
    Column type = lower(trim(col(MarketingEvents.EVENT_TYPE)));
    Column last90 = withinDays(90);
    Dataset<Row> aggregated = PointInTime.eventsBefore(
            PointInTime.keyed(rows), snapshots, col(MarketingEvents.EVENT_TIME))
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF), col(Snapshots.AS_OF_TS))
        .agg(
            countIf(last90.and(type.equalTo(SENT))).as(EMAILS_SENT_90D),
            countIf(last90.and(type.equalTo(OPEN))).as(EMAILS_OPENED_90D),
            countIf(last90.and(type.equalTo(CLICK))).as(EMAILS_CLICKED_90D),
            countIf(type.equalTo(CHAT)).as(CHATS_TOTAL),
            max(when(type.equalTo(UNSUBSCRIBE), 1).otherwise(0)).as(UNSUBSCRIBED),
            max(col(EVENT_TS)).as(DAYS_SINCE_LAST_TOUCH),
            countDistinct(when(trim(col(MarketingEvents.CAMPAIGN)).notEqual(""), col(MarketingEvents.CAMPAIGN)))
                .as(CAMPAIGNS_TOUCHED))
        .withColumn(OPEN_RATE_90D, rate(EMAILS_OPENED_90D))
        .withColumn(CLICK_RATE_90D, rate(EMAILS_CLICKED_90D))
        .withColumn(DAYS_SINCE_LAST_TOUCH, daysBeforeAsOf(col(DAYS_SINCE_LAST_TOUCH)));
    return PointInTime.output(aggregated, SPECS);
  }

  private static Column rate(String count) {
    Column sent = col(EMAILS_SENT_90D);
    return when(sent.gt(0), col(count).cast(DataTypes.DoubleType).divide(sent)).otherwise(lit(null));
  }
}
