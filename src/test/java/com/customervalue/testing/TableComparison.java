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
 */
public final class TableComparison {
  private static final int DECIMALS = 9;

  private TableComparison() {}

  /** {@code rows} without timestamp columns, doubles (also inside arrays of structs) rounded to 9 decimals. */
  public static Dataset<Row> comparable(Dataset<Row> rows) {
    return rows.select(Arrays.stream(rows.schema().fields()).filter(f -> !(f.dataType() instanceof TimestampType))
        .map(f -> rounded(f.name(), f.dataType()).as(f.name())).toArray(Column[]::new));
  }

  private static Column rounded(String name, DataType type) {
    String quoted = "`" + name + "`";
    if (type instanceof DoubleType) {
      return functions.expr("round(" + quoted + ", " + DECIMALS + ")");
    }
    if (type instanceof ArrayType array && array.elementType() instanceof StructType element
        && Arrays.stream(element.fields()).anyMatch(f -> f.dataType() instanceof DoubleType)) {
      String fields = Arrays.stream(element.fields()).map(f -> "'" + f.name() + "', "
          + (f.dataType() instanceof DoubleType ? "round(e.`" + f.name() + "`, " + DECIMALS + ")" : "e.`" + f.name() + "`"))
          .collect(Collectors.joining(", "));
      return functions.expr("transform(" + quoted + ", e -> named_struct(" + fields + "))");
    }
    return functions.col(quoted);
  }
}
