package com.customervalue.report;

import com.customervalue.errors.CustomerValueException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs one SQL cell of a notebook with Spark and keeps the first rows of its result. */
public final class NotebookRunner {
  private NotebookRunner() {}

  /**
   * Runs the cell's statement and returns at most {@code maxRows} rows of it.
   *
   * @throws CustomerValueException naming the notebook and cell when Spark rejects or fails the statement
   */
  public static CellResult run(SparkSession spark, String notebook, Cell cell, int maxRows) {
    long start = System.nanoTime();
    List<Row> rows;
    String[] columns;
    try {
      Dataset<Row> result = spark.sql(cell.text());
      columns = result.columns();
      rows = result.limit(maxRows + 1).collectAsList();
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception the Scala API does not declare.
      throw new CustomerValueException("report: notebook " + notebook + ", cell " + cell.number() + " failed: "
          + com.customervalue.errors.Errors.firstLine(e), e);
    }
    List<List<Object>> values = new ArrayList<>();
    for (Row r : rows.subList(0, Math.min(rows.size(), maxRows))) {
      List<Object> line = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) {
        line.add(plain(r.get(i)));
      }
      values.add(line);
    }
    return new CellResult(List.of(columns), values, rows.size() > maxRows, (System.nanoTime() - start) / 1_000_000);
  }

  /** Arrays and structs as readable text ("[a, b]", "{x, 1.5}"); other values as Spark returns them. */
  static Object plain(Object value) {
    return isNested(value) ? nested(value, v -> String.valueOf(plain(v))) : value;
  }

  /** Whether Spark returned the value for an array or a struct column. */
  public static boolean isNested(Object value) {
    return value instanceof scala.collection.Seq<?> || value instanceof Row;
  }

  /** An array as "[a, b]" or a struct as "{x, 1.5}", each element written by {@code element}. */
  public static String nested(Object value, java.util.function.Function<Object, String> element) {
    List<String> parts = new ArrayList<>();
    if (value instanceof Row row) {
      for (int i = 0; i < row.size(); i++) {
        parts.add(element.apply(row.get(i)));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value)
        .forEach(v -> parts.add(element.apply(v)));
    return "[" + String.join(", ", parts) + "]";
  }
}
