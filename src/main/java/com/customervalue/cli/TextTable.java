package com.customervalue.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import com.customervalue.report.NotebookRunner;
import org.apache.spark.sql.Row;

/** Prints query results as a plain text table, the way a SQL shell does. */
final class TextTable {
  private static final int MAX_WIDTH = 60;

  private TextTable() {}

  static void print(PrintWriter out, String[] columns, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        line[i] = format(r.get(i));
      }
      cells.add(line);
    }
    int[] width = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      width[i] = columns[i].length();
      for (String[] line : cells) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    String rule = rule(width);
    out.println(rule);
    out.println(line(columns, width));
    out.println(rule);
    for (String[] line : cells) {
      out.println(line(line, width));
    }
    out.println(rule);
  }

  /** Numbers at 4 decimals at most, long values cut, nulls as NULL. */
  static String format(Object value) {
    String s;
    if (value == null) {
      s = "NULL";
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      s = d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
          : String.format(Locale.ROOT, "%.4f", d);
    } else if (NotebookRunner.isNested(value)) {
      s = NotebookRunner.nested(value, TextTable::format);
    } else {
      s = value.toString();
    }
    s = s.replace('\n', ' ');
    return s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 3) + "..." : s;
  }

  private static String rule(int[] width) {
    StringBuilder sb = new StringBuilder("+");
    for (int w : width) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    return sb.toString();
  }

  private static String line(String[] values, int[] width) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < values.length; i++) {
      sb.append(' ').append(values[i]).append(" ".repeat(width[i] - values[i].length())).append(" |");
    }
    return sb.toString();
  }
}
