package com.customervalue.train;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * Schema checks shared by the metrics classes, so a bad column is reported before any Spark job
 * runs and in the same words for classifiers and regressors.
 */
final class ScoredColumns {
  private ScoredColumns() {}

  /** The column, quoted so that names with dots or spaces are taken literally. */
  static Column column(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  /** Fails unless {@code name} is a numeric column of {@code scored}; {@code role} says what it is for. */
  static void requireNumeric(String what, Dataset<Row> scored, String role, String name) {
    requireNumeric(what, scored, role, name, "");
  }

  /** As above; {@code hint} ends the message when the column exists but is not numeric. */
  static void requireNumeric(String what, Dataset<Row> scored, String role, String name, String hint) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + ": the " + role + " column name is empty");
    }
    List<String> found = Arrays.asList(scored.columns());
    if (!found.contains(name)) {
      throw new IllegalArgumentException(what + ": " + role + " column '" + name + "' is missing (found: "
          + String.join(", ", found) + ")");
    }
    DataType type = scored.schema().apply(name).dataType();
    if (!(type instanceof NumericType)) {
      throw new IllegalArgumentException(what + ": " + role + " column '" + name + "' must be numeric (found: "
          + type.simpleString() + ")" + hint);
    }
  }

  /** Fails when the summary row counts no rows at all. */
  static void requireRows(String what, Row summary) {
    if (summary.<Long>getAs("rows") == 0) {
      throw new IllegalArgumentException(what + ": there are no rows");
    }
  }

  /** Fails when the summary row's {@code countField} counts bad values of a column, saying how many and why. */
  static void requireNone(String what, Row summary, String countField, String role, String column, String problem) {
    long bad = summary.getAs(countField);
    if (bad > 0) {
      throw new IllegalArgumentException(what + ": " + role + " column '" + column + "' has " + bad + " of "
          + summary.<Long>getAs("rows") + " rows that are " + problem);
    }
  }
}
