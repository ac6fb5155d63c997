package com.customervalue.report;

import java.util.Objects;
import java.util.Optional;

/**
 * One cell of a {@link Notebook}.
 *
 * @param number 1-based position of the cell in the notebook file, counting blank cells (which are
 *     dropped), so "cell 4" is the fourth {@code -- COMMAND ----------} block a reader counts
 * @param kind markdown or SQL
 * @param text the markdown without its {@code -- MAGIC} prefixes and {@code %md} marker, or the SQL
 *     without its chart directive, title line and trailing semicolon
 * @param chart the chart directive of a SQL cell; always empty for markdown
 * @param title a SQL cell's {@code -- DBTITLE} or else the first heading of the markdown cell just
 *     before it; always empty for markdown
 */
public record Cell(int number, Kind kind, String text, Optional<ChartSpec> chart, Optional<String> title) {

  /** What a cell holds. */
  public enum Kind {
    /** Markdown, rendered as HTML. */
    MARKDOWN,
    /** One SQL statement, run with Spark. */
    SQL
  }

  public Cell {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(title, "title");
    if (kind == Kind.MARKDOWN && (chart.isPresent() || title.isPresent())) {
      throw new IllegalArgumentException("markdown cell " + number + " cannot have a chart or a title");
    }
  }

  /** A markdown cell. */
  public static Cell markdown(int number, String text) {
    return new Cell(number, Kind.MARKDOWN, text, Optional.empty(), Optional.empty());
  }

  /** A SQL cell. */
  public static Cell sql(int number, String text, Optional<ChartSpec> chart, Optional<String> title) {
    return new Cell(number, Kind.SQL, text, chart, title);
  }

  public boolean isSql() {
    return kind == Kind.SQL;
  }
}
