package com.customervalue.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What to draw from a SQL cell's result, read from a directive line in the cell such as
 * {@code -- chart: type=bar x=tier y=revenue,adjusted_revenue series=model title="Revenue by tier"}.
 *
 * <p>One series is drawn per distinct value of the {@code series} column and, when {@code y} lists
 * several columns, per y column (both together when both are given).
 *
 * @param type how to draw it
 * @param x the column on the category (bar, hbar) or horizontal (line, scatter) axis
 * @param y one or more numeric value columns
 * @param series a column whose distinct values split the rows into series
 * @param title the chart title
 * @param xLabel the x axis label; the x column name when empty
 * @param yLabel the y axis label; the y column name(s) when empty
 */
public record ChartSpec(Type type, String x, List<String> y, Optional<String> series, Optional<String> title,
    Optional<String> xLabel, Optional<String> yLabel) {

  /** The keys a directive may set. */
  public static final List<String> KEYS = List.of("type", "x", "y", "series", "title", "xlabel", "ylabel");

  /** The chart kinds a directive may ask for. */
  public enum Type {
    /** Vertical bars, one group per x value (x is a category). */
    BAR,
    /** Horizontal bars, e.g. feature importance with long feature names. */
    HBAR,
    /** Lines through numeric (or date) x values, sorted by x, e.g. a ROC curve. */
    LINE,
    /** Points at numeric (or date) x and y. */
    SCATTER;

    static Type fromToken(String token) {
      for (Type t : values()) {
        if (t.name().equalsIgnoreCase(token)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown chart type '" + token + "' (known: "
          + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
          + ")");
    }
  }

  public ChartSpec {
    if (type == null || x == null || x.isBlank() || y == null || y.isEmpty()) {
      throw new IllegalArgumentException("a chart needs a type, an x column and at least one y column");
    }
    y = List.copyOf(y);
  }

  /**
   * Reads the part of a directive after {@code chart:}: whitespace-separated {@code key=value} pairs,
   * values optionally double-quoted (backslash escapes a quote or a backslash inside quotes).
   *
   * @throws IllegalArgumentException naming the bad token; the notebook parser adds where it is
   */
  public static ChartSpec parse(String directive) {
    Map<String, String> values = pairs(directive);
    for (String key : List.of("type", "x", "y")) {
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException("missing required key '" + key + "' in '" + directive.strip() + "'");
      }
    }
    List<String> ys = new ArrayList<>();
    for (String column : values.get("y").split(",", -1)) {
      if (column.isBlank()) {
        throw new IllegalArgumentException("y has an empty column name in 'y=" + values.get("y") + "'");
      }
      ys.add(column.strip());
    }
    return new ChartSpec(Type.fromToken(values.get("type")), values.get("x"), ys,
        Optional.ofNullable(values.get("series")), Optional.ofNullable(values.get("title")),
        Optional.ofNullable(values.get("xlabel")), Optional.ofNullable(values.get("ylabel")));
  }

  private static Map<String, String> pairs(String s) {
    Map<String, String> values = new LinkedHashMap<>();
    int n = s.length();
    int i = 0;
    while (true) {
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return values;
      }
      int start = i;
      while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= n || s.charAt(i) != '=' || i == start) {
        throw new IllegalArgumentException("expected key=value, found '" + tokenAt(s, start) + "'");
      }
      String key = s.substring(start, i).toLowerCase(Locale.ROOT);
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + s.substring(start, i) + "' in '" + tokenAt(s, start)
            + "' (known: " + String.join(", ", KEYS) + ")");
      }
      i++;
      StringBuilder value = new StringBuilder();
      if (i < n && s.charAt(i) == '"') {
        i++;
        while (i < n && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          value.append(s.charAt(i));
          i++;
        }
        if (i >= n) {
          throw new IllegalArgumentException("unterminated quote in '" + s.substring(start).strip() + "'");
        }
        i++;
        if (i < n && !Character.isWhitespace(s.charAt(i))) {
          throw new IllegalArgumentException("expected a space after the closing quote in '"
              + tokenAt(s, start) + "'");
        }
      } else {
        while (i < n && !Character.isWhitespace(s.charAt(i))) {
          value.append(s.charAt(i));
          i++;
        }
      }
      if (value.toString().isBlank()) {
        throw new IllegalArgumentException("key '" + key + "' has no value in '" + tokenAt(s, start) + "'");
      }
      if (values.put(key, value.toString()) != null) {
        throw new IllegalArgumentException("key '" + key + "' is given twice");
      }
    }
  }

  private static String tokenAt(String s, int start) {
    int end = start;
    while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
      end++;
    }
    return s.substring(start, end);
  }
}
