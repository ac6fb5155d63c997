package com.customervalue.warehouse;

import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code data_quality} table: one row per check, source, stage and run. */
public final class DataQuality {
  public static final String RUN_ID = "run_id";
  public static final String STAGE = "stage";
  public static final String SOURCE = "source";
  public static final String CHECK = "check_name";
  public static final String LEVEL = "level";
  public static final String PASSED = "passed";
  public static final String ROWS = "row_count";
  public static final String DETAIL = "detail";
  public static final String RECORDED_AT = "recorded_at";

  public static final StructType SCHEMA = new StructType()
      .add(RUN_ID, DataTypes.StringType, false, "Run that recorded the check")
      .add(STAGE, DataTypes.StringType, false, "Job stage, e.g. ingest")
      .add(SOURCE, DataTypes.StringType, false, "Source the check is about")
      .add(CHECK, DataTypes.StringType, false, "Check or count name")
      .add(LEVEL, DataTypes.StringType, false, "info (a count), warning (recorded) or error (stops the run)")
      .add(PASSED, DataTypes.BooleanType, false, "Whether the check held")
      .add(ROWS, DataTypes.LongType, false, "Rows the check counted")
      .add(DETAIL, DataTypes.StringType, true, "What was found, in words")
      .add(RECORDED_AT, DataTypes.TimestampType, false, "When the run started");

  /** Check levels. */
  public enum Level {
    INFO, WARNING, ERROR;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One recorded check. */
  public record Check(String source, String name, Level level, boolean passed, long rows, String detail) {
    public static Check count(String source, String name, long rows) {
      return new Check(source, name, Level.INFO, true, rows, null);
    }
  }

  private DataQuality() {}

  public static Dataset<Row> toRows(SparkSession spark, String runId, String stage, Timestamp at, List<Check> checks) {
    List<Row> rows = checks.stream()
        .map(c -> RowFactory.create(runId, stage, c.source(), c.name(), c.level().label(), c.passed(), c.rows(),
            c.detail(), at))
        .toList();
    return spark.createDataFrame(rows, SCHEMA);
  }
}
