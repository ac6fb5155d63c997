package com.customervalue.testing;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Makes two runs' output tables comparable row by row (with {@code exceptAll} both ways, which
 * notices duplicates): drops the columns that record when something ran and rounds doubles, since
 * Spark and MLlib merge partial sums in the order tasks finish, which may move the last bits.
 * Doubles keep 10 significant digits, and those within 1e-9 of zero become zero. Nine decimals, as
 * before, kept the noise of large sums: two identical runs on the 200-account sample wrote
 * segment_insights totals up to 4.7e-10 apart (3.7e-16 of the value; at most 1.7e-14 of the value
 * in any of its columns), and a CI run failed on such a difference.
 */
public final class TableComparison {
  private static final int DIGITS = 10;
  private static final String ZERO = "1e-9";

  private TableComparison() {}

  /** {@code rows} without timestamp columns, doubles (also inside arrays of structs) rounded as the class says. */
  public static Dataset<Row> comparable(Dataset<Row> rows) {
    return rows.select(Arrays.stream(rows.schema().fields()).filter(f -> !(f.dataType() instanceof TimestampType))
        .map(f -> rounded(f.name(), f.dataType()).as(f.name())).toArray(Column[]::new));
  }

  private static Column rounded(String name, DataType type) {
    String quoted = "`" + name + "`";
    if (type instanceof DoubleType) {
      return functions.expr(round(quoted));
    }
    if (type instanceof ArrayType array && array.elementType() instanceof StructType element
        && Arrays.stream(element.fields()).anyMatch(f -> f.dataType() instanceof DoubleType)) {
      String fields = Arrays.stream(element.fields()).map(f -> "'" + f.name() + "', "
          + (f.dataType() instanceof DoubleType ? round("e.`" + f.name() + "`") : "e.`" + f.name() + "`"))
          .collect(Collectors.joining(", "));
      return functions.expr("transform(" + quoted + ", e -> named_struct(" + fields + "))");
    }
    return functions.col(quoted);
  }

  /**
   * SQL that keeps {@link #DIGITS} significant digits of {@code x}. Two values with the same rounded
   * mantissa and decade give the same double, as both are computed from the same two numbers.
   */
  static String round(String x) {
    String decade = "power(10, floor(log10(abs(" + x + "))))";
    return "CASE WHEN " + x + " IS NULL OR isnan(" + x + ") OR abs(" + x + ") = double('infinity') THEN " + x
        + " WHEN abs(" + x + ") < " + ZERO + " THEN 0D"
        + " ELSE round(" + x + " / " + decade + ", " + (DIGITS - 1) + ") * " + decade + " END";
  }
}
