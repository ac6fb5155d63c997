package com.customervalue.warehouse;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Idempotent Delta writes: a run's rows are replaced, never appended twice. */
public final class DeltaTables {
  private static final Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9_.:\\-]*");

  private DeltaTables() {}

  /**
   * Replaces the rows matching {@code column = value AND ...} with {@code rows} in one Delta
   * transaction; creates the table on first use. Readers see either the old or the new rows.
   *
   * @param equalities alternating column, value pairs; values must be plain identifiers
   */
  public static void replace(Dataset<Row> rows, String path, List<String> partitionBy, String... equalities) {
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", condition(equalities))
        .option("mergeSchema", "true")
        .partitionBy(partitionBy.toArray(String[]::new))
        .save(path);
  }

  /** Builds {@code a = 'x' AND b = 'y'}; refuses values that would need quoting. */
  static String condition(String... equalities) {
    if (equalities.length == 0 || equalities.length % 2 != 0) {
      throw new IllegalArgumentException("expected column, value pairs");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < equalities.length; i += 2) {
      String value = equalities[i + 1];
      if (!SAFE_LITERAL.matcher(value).matches()) {
        throw new IllegalArgumentException("value '" + value + "' of " + equalities[i] + " is not a plain identifier");
      }
      if (sb.length() > 0) {
        sb.append(" AND ");
      }
      sb.append('`').append(equalities[i]).append("` = '").append(value).append('\'');
    }
    return sb.toString();
  }
}
