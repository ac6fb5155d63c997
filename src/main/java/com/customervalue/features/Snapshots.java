package com.customervalue.features;

import com.customervalue.errors.CustomerValueException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The snapshot grid: one row per as_of. A snapshot's features use events strictly before
 * {@link #AS_OF_TS} (the start of the as_of day, UTC); its labels use events in
 * [{@link #AS_OF_TS}, {@link #HORIZON_END_TS}).
 */
public final class Snapshots {
  /** The snapshot date (a column of customer_features). */
  public static final String AS_OF = "as_of";
  /** Start of the as_of day, UTC: the first instant a snapshot's features may not see. */
  public static final String AS_OF_TS = "_as_of_ts";
  /** End (exclusive) of the label window. */
  public static final String HORIZON_END_TS = "_horizon_end_ts";

  public static final StructType SCHEMA = new StructType()
      .add(AS_OF, DataTypes.DateType, false)
      .add(AS_OF_TS, DataTypes.TimestampType, false)
      .add(HORIZON_END_TS, DataTypes.TimestampType, false);

  private Snapshots() {}

  public static Dataset<Row> of(SparkSession spark, List<LocalDate> dates, int horizonDays) {
    if (dates.isEmpty()) {
      throw new CustomerValueException("features: no as_of dates; set customer-value.snapshots.as-of or pass --as-of");
    }
    List<Row> rows = dates.stream().distinct().sorted()
        .map(d -> RowFactory.create(Date.valueOf(d), start(d), start(d.plusDays(horizonDays))))
        .toList();
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The start of a day, UTC, as the timestamp Spark compares event times with. */
  static Timestamp start(LocalDate day) {
    return Timestamp.from(day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
  }
}
