package com.customervalue.features.families;

import static com.customervalue.features.families.PointInTime.EVENT_TS;
import static com.customervalue.features.families.PointInTime.countIf;
import static com.customervalue.features.families.PointInTime.withinDays;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.trim;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSettings;
import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import com.customervalue.sources.Source.PressReleases;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The company's own press calendar as seen from each snapshot. Releases carry no customer key:
 * the calendar is computed once per as_of and attached to every account of that snapshot, and
 * the one account-specific feature relates it to the account's last purchase. The topics are a
 * fixed list because each is a declared column; other topics count only in the totals.
 */
public final class PressReleaseFeatures implements FeatureFamily {
  /** In the {@code accounts} argument: the account's last purchase before as_of. */
  public static final String LAST_PURCHASE_TS = "last_purchase_ts";

  public static final String RELEASES_30D = "releases_30d";
  public static final String RELEASES_90D = "releases_90d";
  public static final String DAYS_SINCE_LAST_RELEASE = "days_since_last_release";
  public static final String RELEASES_SINCE_LAST_PURCHASE = "releases_since_last_purchase";

  /** Topics with their own 365-day count, as they appear in the source. */
  public static final List<String> TOPICS = List.of("new-process", "customer-story", "award", "event",
      "product-update");

  private static final String SOURCE = Source.PRESS_RELEASES.id();
  private static final String RELEASE_AS_OF = "_release_as_of";

  public static final List<FeatureSpec> SPECS = buildSpecs();

  /** The column counting a topic's releases, e.g. {@code releases_365d_new_process}. */
  public static String topicColumn(String topic) {
    return "releases_365d_" + topic.replace('-', '_');
  }

  private static List<FeatureSpec> buildSpecs() {
    List<FeatureSpec> specs = new ArrayList<>(List.of(
        new FeatureSpec(RELEASES_30D, SOURCE, "Company press releases dated in the 30 days before as_of"
            + " (release_date in [as_of - 30, as_of)).", DataTypes.LongType, 0L),
        new FeatureSpec(RELEASES_90D, SOURCE, "Company press releases dated in the 90 days before as_of.",
            DataTypes.LongType, 0L),
        new FeatureSpec(DAYS_SINCE_LAST_RELEASE, SOURCE, "Whole days from the last release dated before as_of to"
            + " as_of (1 = the day before).", DataTypes.IntegerType, null),
        new FeatureSpec(RELEASES_SINCE_LAST_PURCHASE, SOURCE, "Releases whose day starts in [the account's last"
            + " purchase before as_of, as_of); 0 when the account has no purchase.", DataTypes.LongType, 0L)));
    for (String topic : TOPICS) {
      specs.add(new FeatureSpec(topicColumn(topic), SOURCE, "Company press releases with topic '" + topic
          + "' dated in the 365 days before as_of.", DataTypes.LongType, 0L));
    }
    return List.copyOf(specs);
  }

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
    Dataset<Row> released = PointInTime.eventsBefore(
        rows, snapshots, PointInTime.startOfDay(col(PressReleases.RELEASE_DATE)));

    Column topic = lower(trim(col(PressReleases.TOPIC)));
    List<Column> calendarColumns = new ArrayList<>(List.of(
        countIf(withinDays(30)).as(RELEASES_30D),
        countIf(withinDays(90)).as(RELEASES_90D),
        max(col(PressReleases.RELEASE_DATE)).as(DAYS_SINCE_LAST_RELEASE)));
    for (String t : TOPICS) {
      calendarColumns.add(countIf(withinDays(365).and(topic.equalTo(t.toLowerCase(Locale.ROOT)))).as(topicColumn(t)));
    }
    // Only snapshots with releases before them get a row, as for the keyed families; the job's
    // fill gives the others the same values this would (zeros, no days since).
    Dataset<Row> calendar = released.groupBy(col(Snapshots.AS_OF))
        .agg(calendarColumns.get(0), calendarColumns.subList(1, calendarColumns.size()).toArray(Column[]::new))
        .withColumn(DAYS_SINCE_LAST_RELEASE, datediff(col(Snapshots.AS_OF), col(DAYS_SINCE_LAST_RELEASE)));

    Dataset<Row> population = accounts.where(col(Keyed.ACCOUNT_KEY).isNotNull());
    Dataset<Row> releaseTimes = broadcast(released.select(col(Snapshots.AS_OF).as(RELEASE_AS_OF), col(EVENT_TS)));
    Dataset<Row> sincePurchase = population
        .join(releaseTimes, population.col(Snapshots.AS_OF).equalTo(releaseTimes.col(RELEASE_AS_OF))
            .and(releaseTimes.col(EVENT_TS).geq(population.col(LAST_PURCHASE_TS))))
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF))
        .agg(count(lit(1)).as(RELEASES_SINCE_LAST_PURCHASE));

    Dataset<Row> attached = population.select(Keyed.ACCOUNT_KEY, Snapshots.AS_OF)
        .join(calendar, Snapshots.AS_OF)
        .join(sincePurchase, new String[] {Keyed.ACCOUNT_KEY, Snapshots.AS_OF}, "left")
        .withColumn(RELEASES_SINCE_LAST_PURCHASE, coalesce(col(RELEASES_SINCE_LAST_PURCHASE), lit(0L)));
    return PointInTime.output(attached, SPECS);
  }
}
