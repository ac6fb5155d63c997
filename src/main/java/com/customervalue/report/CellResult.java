package com.customervalue.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a SQL cell returned, as collected from Spark: column names and row values as
 * {@code Row.get} gives them (String, Long, Integer, Double, BigDecimal, java.sql.Date, Timestamp,
 * Boolean, null, or nested values that are shown with {@code String.valueOf}).
 *
 * @param columns the result's column names, in order
 * @param rows the collected rows (possibly only the first ones), each with one value per column;
 *     values may be null
 * @param truncated whether the query returned more rows than {@code rows} holds
 * @param millis how long the query took
 */
public record CellResult(List<String> columns, List<List<Object>> rows, boolean truncated, long millis) {

  public CellResult {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<Object> row = rows.get(i);
      if (row == null || row.size() != columns.size()) {
        throw new IllegalArgumentException("row " + (i + 1) + " has " + (row == null ? "no" : row.size())
            + " values for " + columns.size() + " columns " + columns);
      }
      // List.copyOf rejects nulls, and SQL results are full of them.
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /**
   * Index of a column: by exact name, else case-insensitively as Spark SQL resolves names; -1 if
   * neither matches.
   */
  public int indexOf(String column) {
    int exact = columns.indexOf(column);
    if (exact >= 0) {
      return exact;
    }
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(column)) {
        return i;
      }
    }
    return -1;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }
}
