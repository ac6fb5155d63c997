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
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      int nl = message.indexOf('\n');
      throw new CustomerValueException("report: notebook " + notebook + ", cell " + cell.number() + " failed: "
          + (nl < 0 ? message : message.substring(0, nl)), e);
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
    if (value instanceof scala.collection.Seq<?> seq) {
      List<String> parts = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(v -> parts.add(String.valueOf(plain(v))));
      return "[" + String.join(", ", parts) + "]";
    }
    if (value instanceof Row row) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        parts.add(String.valueOf(plain(row.get(i))));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    return value;
  }
}
