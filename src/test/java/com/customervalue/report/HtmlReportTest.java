package com.customervalue.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static final Pattern IMG_SRC = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
  private static final Pattern REMOTE_REFERENCE =
      Pattern.compile("(?i)(src|href|srcset|action)\\s*=\\s*[\"']?\\s*(https?:)?//");

  private static Section section(String name, String notebookText, CellResult... results) {
    Notebook nb = Notebook.parse(name, notebookText);
    List<CellOutput> outputs = new ArrayList<>();
    int next = 0;
    for (Cell cell : nb.cells()) {
      outputs.add(cell.isSql() && next < results.length ? CellOutput.of(cell, results[next++]) : CellOutput.of(cell));
    }
    return new Section(name, outputs);
  }

  private static String nb(String... cells) {
    return "-- Databricks notebook source\n" + String.join("\n-- COMMAND ----------\n", cells);
  }

  private static CellResult result(List<String> columns, List<?>... rows) {
    List<List<Object>> list = new ArrayList<>();
    for (List<?> row : rows) {
      list.add(new ArrayList<>(row));
    }
    return new CellResult(columns, list, false, 42);
  }

  @Test
  void isAUtf8PageWithATableOfContentsLinkingToEveryNotebook() {
    String html = HtmlReport.render("Customer value", "run 2024-05-01", List.of(
        section("churn", nb("SELECT 1 AS a"), result(List.of("a"), List.of(1))),
        section("revenue", nb("SELECT 2 AS b"), result(List.of("b"), List.of(2)))));

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">")
        .contains("<title>Customer value</title>", "run 2024-05-01")
        .contains("<a href=\"#nb-1\">churn</a>", "<a href=\"#nb-2\">revenue</a>")
        .contains("<section class=\"notebook\" id=\"nb-1\">", "<section class=\"notebook\" id=\"nb-2\">");
  }

  @Test
  void escapesEveryValueFromNotebooksAndResults() {
    String html = HtmlReport.render("<script>alert('t')</script>", "<b>sub</b>", List.of(
        section("<script>nb</script>",
            nb("-- MAGIC %md\n-- MAGIC # Hello\n-- MAGIC <script>alert('md')</script>",
                "SELECT '<script>alert(1)</script>' AS `<script>col`"),
            result(List.of("<script>col</script>"), List.of("<script>alert(\"v\")</script> & more")))));

    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<b>sub")
        .contains("&lt;script&gt;alert(&quot;v&quot;)&lt;/script&gt; &amp; more")
        .contains("&lt;script&gt;col&lt;/script&gt;")
        .contains("&lt;script&gt;alert('md')&lt;/script&gt;")
        .contains("&lt;script&gt;nb&lt;/script&gt;");
  }

  @Test
  void referencesNothingOverTheNetwork() {
    String html = HtmlReport.render("r", null, List.of(section("n",
        nb("-- MAGIC %md\n-- MAGIC # Logo\n-- MAGIC ![company logo](https://example.com/logo.png) and "
                + "![tracker](//cdn.example.com/t.gif)",
            "-- chart: type=bar x=k y=v\nSELECT k, v FROM t"),
        result(List.of("k", "v"), List.of("a", 1), List.of("b", 2)))));

    assertThat(REMOTE_REFERENCE.matcher(html).find()).as("remote src/href in:\n" + html).isFalse();
    assertThat(html).doesNotContain("http://", "https://", "<link", "<script", "@import", "url(")
        .contains("company logo")
        .contains("Content-Security-Policy");
  }

  @Test
  void showsNoRowsForAnEmptyResultAndNotRunWithoutOne() {
    String html = HtmlReport.render("r", "", List.of(section("n",
        nb("-- chart: type=bar x=k y=v\nSELECT k, v FROM t WHERE false", "SELECT 2"),
        new CellResult(List.of("k", "v"), List.of(), false, 3))));

    assertThat(html).contains("0 rows", "<p class=\"empty\">no rows</p>", "<p class=\"empty\">not run</p>")
        .doesNotContain("<img").doesNotContain("<table>");
  }

  @Test
  void includesTheChartOfAChartCellAsAnInlinePng() throws IOException {
    String html = HtmlReport.render("r", "", List.of(section("n",
        nb("-- chart: type=hbar x=feature y=importance title=\"Importance\"\nSELECT * FROM fi", "SELECT 1 AS one"),
        result(List.of("feature", "importance"), List.of("tenure", 0.4), List.of("tickets", 0.25)),
        result(List.of("one"), List.of(1)))));

    Matcher m = IMG_SRC.matcher(html);
    assertThat(m.find()).as("a data: PNG image").isTrue();
    assertThat(ChartsTest.decode(Base64.getDecoder().decode(m.group(1))).getWidth())
        .isEqualTo(HtmlReport.CHART_WIDTH);
    assertThat(m.find()).as("only the chart cell has an image").isFalse();
    assertThat(html).contains("alt=\"Importance\"");
  }

  @Test
  void showsTheRowCountTruncationNullsAndTheSql() {
    CellResult truncated = new CellResult(List.of("id", "score", "note"),
        List.of(Arrays.asList(1L, 1.0E-7, null), Arrays.asList(2L, 12345678901.5, "x")), true, 1500);

    String html = HtmlReport.render("r", "", List.of(section("n", nb("SELECT id, score, note\nFROM s;"), truncated)));

    assertThat(html).contains("2 rows, truncated", "1.5 s")
        .contains("<details><summary>SQL, cell 1</summary>\n<pre><code>SELECT id, score, note\nFROM s</code></pre>")
        .contains("<td class=\"null\">null</td>")
        .contains("<td class=\"num\">0.0000001</td>", "<td class=\"num\">12345678901.5</td>");
  }

  @Test
  void namesTheNotebookAndCellWhenAChartCannotBeDrawn() {
    List<Section> sections = List.of(section("scores", nb("SELECT 0", "-- chart: type=bar x=k y=missing\nSELECT 1"),
        result(List.of("k"), List.of("a")), result(List.of("k", "v"), List.of("a", 1))));

    assertThatThrownBy(() -> HtmlReport.render("r", "", sections))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("notebook 'scores' cell 2")
        .hasMessageContaining("y column 'missing'")
        .hasMessageContaining("found: k, v");
  }

  @Test
  void shiftsNotebookHeadingsBelowTheReportsAndRendersTables() {
    String html = HtmlReport.markdown("# Top\n\n| a | b |\n|---|---|\n| 1 | 2 |");

    assertThat(html).contains("<h3>Top</h3>").contains("<table>").contains("<td>1</td>");
  }
}
