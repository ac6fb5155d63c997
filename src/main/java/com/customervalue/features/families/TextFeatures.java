package com.customervalue.features.families;

import static com.customervalue.features.families.PointInTime.EVENT_TS;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSettings;
import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import com.customervalue.sources.Source.SupportTickets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The words an account used with support before as_of, as one document for the text model.
 * Subjects are kept in the order the tickets were opened (ticket id breaks ties) so the same
 * history always gives the same text.
 */
public final class TextFeatures implements FeatureFamily {
  public static final String TICKET_TEXT = "ticket_text";

  private static final String SOURCE = Source.SUPPORT_TICKETS.id();
  private static final String SUBJECT_KEY = "subject";

  public static final List<FeatureSpec> SPECS = List.of(
      new FeatureSpec(TICKET_TEXT, SOURCE, "Subjects of the tickets created before as_of, lower-cased, joined with"
          + " a space in created_at order; empty subjects are skipped.", DataTypes.StringType, ""));

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
    // Field order makes array_sort order by creation time, then ticket id.
    Dataset<Row> aggregated = PointInTime.eventsBefore(
            PointInTime.keyed(rows), snapshots, col(SupportTickets.CREATED_AT))
        .where(trim(col(SupportTickets.SUBJECT)).notEqual(""))
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF))
        .agg(array_sort(collect_list(struct(col(EVENT_TS), col(SupportTickets.TICKET_ID),
            lower(trim(col(SupportTickets.SUBJECT))).as(SUBJECT_KEY)))).as(TICKET_TEXT))
        .withColumn(TICKET_TEXT, array_join(transform(col(TICKET_TEXT), t -> t.getField(SUBJECT_KEY)), " "));
    return PointInTime.output(aggregated, SPECS);
  }
}
