package com.customervalue.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL notebook in Databricks source format: markdown cells ({@code -- MAGIC %md}) and SQL cells,
 * separated by {@code -- COMMAND ----------} lines. A SQL cell may carry one
 * {@code -- chart: key=value ...} directive (see {@link ChartSpec}).
 *
 * @param name the notebook's name as the report shows it, usually the file name without extension
 * @param cells the non-blank cells in file order
 */
public record Notebook(String name, List<Cell> cells) {

  /** The line a Databricks source export starts with. */
  public static final String HEADER = "-- Databricks notebook source";
  static final String SEPARATOR = "-- COMMAND ----------";
  private static final String MAGIC = "-- MAGIC";
  private static final List<String> MARKDOWN_MAGICS = List.of("%md", "%md-sandbox");
  private static final Pattern CHART = Pattern.compile("^\\s*--\\s*chart:(.*)$");
  private static final Pattern DBTITLE = Pattern.compile("^\\s*--\\s*DBTITLE\\s+\\d+\\s*,(.*)$");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(\\s+#+)?\\s*$");

  public Notebook {
    cells = List.copyOf(cells);
  }

  /** The SQL cells, in order. */
  public List<Cell> sqlCells() {
    return cells.stream().filter(Cell::isSql).toList();
  }

  /**
   * Splits a notebook's source into cells.
   *
   * @throws ReportException if the header is missing or a chart directive is malformed, naming the
   *     notebook, the cell number and the line
   */
  public static Notebook parse(String name, String text) {
    String[] lines = text.replace("\uFEFF", "").split("\\R", -1);
    int header = 0;
    while (header < lines.length && lines[header].isBlank()) {
      header++;
    }
    if (header == lines.length || !lines[header].strip().equals(HEADER)) {
      throw ReportException.notANotebook(name, header == lines.length ? "" : lines[header].strip());
    }

    List<Cell> cells = new ArrayList<>();
    List<Line> chunk = new ArrayList<>();
    int number = 1;
    for (int i = header + 1; i <= lines.length; i++) {
      if (i == lines.length || lines[i].strip().equals(SEPARATOR)) {
        Cell previous = cells.isEmpty() ? null : cells.get(cells.size() - 1);
        toCell(name, number, chunk, previous).ifPresent(cells::add);
        chunk.clear();
        number++;
      } else {
        chunk.add(new Line(i + 1, lines[i]));
      }
    }
    return new Notebook(name, cells);
  }

  /** A source line and its 1-based line number, so errors can point at it. */
  private record Line(int number, String text) {}

  private static Optional<Cell> toCell(String notebook, int number, List<Line> lines, Cell previous) {
    Optional<String> dbTitle = Optional.empty();
    List<Line> body = new ArrayList<>();
    for (Line line : lines) {
      Matcher m = DBTITLE.matcher(line.text());
      if (dbTitle.isEmpty() && m.matches()) {
        dbTitle = Optional.of(m.group(1).strip()).filter(t -> !t.isEmpty());
      } else {
        body.add(line);
      }
    }
    List<String> texts = body.stream().map(Line::text).toList();
    if (texts.stream().allMatch(String::isBlank)) {
      return Optional.empty();
    }
    Optional<String> magic = magic(texts);
    if (magic.isPresent()) {
      if (!MARKDOWN_MAGICS.contains(magic.get())) {
        // Run as SQL it would be all comments and fail inside Spark with a far less useful message.
        throw ReportException.unsupportedMagic(notebook, number, firstContentLine(body), magic.get());
      }
      return Optional.of(Cell.markdown(number, markdownText(texts, magic.get())));
    }

    Optional<ChartSpec> chart = Optional.empty();
    List<String> sql = new ArrayList<>();
    for (Line line : body) {
      Matcher m = CHART.matcher(line.text());
      if (!m.matches()) {
        sql.add(line.text());
        continue;
      }
      if (chart.isPresent()) {
        throw ReportException.badChart(notebook, number, line.number(), "a cell may have only one chart directive");
      }
      try {
        chart = Optional.of(ChartSpec.parse(m.group(1)));
      } catch (IllegalArgumentException e) {
        throw ReportException.badChart(notebook, number, line.number(), e.getMessage());
      }
    }
    String statement = String.join("\n", sql).strip();
    // Spark's sql() takes one statement and rejects the terminator notebooks usually end it with.
    while (statement.endsWith(";")) {
      statement = statement.substring(0, statement.length() - 1).strip();
    }
    if (statement.isEmpty()) {
      throw ReportException.noStatement(notebook, number, firstContentLine(body));
    }
    Optional<String> title = dbTitle.or(() -> previous != null && previous.kind() == Cell.Kind.MARKDOWN
        ? firstHeading(previous.text()) : Optional.empty());
    return Optional.of(Cell.sql(number, statement, chart, title));
  }

  private static int firstContentLine(List<Line> body) {
    return body.stream().filter(l -> !l.text().isBlank()).findFirst().orElseThrow().number();
  }

  /** The magic command ("%md", "%python", ...) of a cell made only of MAGIC lines, else empty. */
  private static Optional<String> magic(List<String> body) {
    List<String> content = body.stream().filter(l -> !l.isBlank()).toList();
    if (!content.stream().allMatch(l -> l.startsWith(MAGIC))) {
      return Optional.empty();
    }
    String first = content.get(0).substring(MAGIC.length()).strip();
    return Optional.of(first.split("\\s+", 2)[0]);
  }

  private static String markdownText(List<String> body, String marker) {
    List<String> out = new ArrayList<>();
    boolean markerSeen = false;
    for (String line : body) {
      String stripped = line.startsWith(MAGIC + " ") ? line.substring(MAGIC.length() + 1)
          : line.startsWith(MAGIC) ? line.substring(MAGIC.length()) : "";
      if (!markerSeen && !stripped.isBlank()) {
        markerSeen = true;
        // The marker may stand alone or start the first line of text ("%md # Title").
        String rest = stripped.strip().substring(marker.length()).strip();
        if (!rest.isEmpty()) {
          out.add(rest);
        }
        continue;
      }
      out.add(stripped);
    }
    // Only blank lines are trimmed: leading spaces on the first line can mean an indented code block.
    while (!out.isEmpty() && out.get(0).isBlank()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    return String.join("\n", out);
  }

  private static Optional<String> firstHeading(String markdown) {
    for (String line : markdown.split("\n")) {
      Matcher m = HEADING.matcher(line);
      if (m.matches() && !m.group(1).isBlank()) {
        return Optional.of(m.group(1).strip());
      }
    }
    return Optional.empty();
  }
}
