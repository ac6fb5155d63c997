package com.customervalue.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.report.Cell.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotebookTest {

  private static String notebook(String... cells) {
    return "-- Databricks notebook source\n" + String.join("\n\n-- COMMAND ----------\n\n", cells) + "\n";
  }

  @Test
  void splitsMarkdownAndSqlCellsAndDropsBlankOnes() {
    String text = notebook(
        "-- MAGIC %md\n-- MAGIC # Churn by tier\n-- MAGIC\n-- MAGIC Accounts that *left*, by tier.",
        "SELECT tier, count(*) AS n\nFROM churn\nGROUP BY tier;",
        "   ",
        "-- plain comment\nSELECT 1 AS one");

    Notebook nb = Notebook.parse("churn", text);

    assertThat(nb.name()).isEqualTo("churn");
    assertThat(nb.cells()).extracting(Cell::number).containsExactly(1, 2, 4);
    assertThat(nb.cells()).extracting(Cell::kind).containsExactly(Kind.MARKDOWN, Kind.SQL, Kind.SQL);
    assertThat(nb.cells().get(0).text()).isEqualTo("# Churn by tier\n\nAccounts that *left*, by tier.");
    assertThat(nb.cells().get(1).text()).isEqualTo("SELECT tier, count(*) AS n\nFROM churn\nGROUP BY tier");
    assertThat(nb.cells().get(2).text()).isEqualTo("-- plain comment\nSELECT 1 AS one");
    assertThat(nb.cells()).allMatch(c -> c.chart().isEmpty());
    assertThat(nb.sqlCells()).hasSize(2);
  }

  @Test
  void titlesASqlCellWithTheHeadingOfTheMarkdownCellBeforeIt() {
    Notebook nb = Notebook.parse("n", notebook(
        "-- MAGIC %md\n-- MAGIC Intro without a heading\n-- MAGIC ## Revenue ##",
        "SELECT 1",
        "SELECT 2",
        "-- DBTITLE 1,Explicit title\nSELECT 3"));

    assertThat(nb.sqlCells()).extracting(Cell::title)
        .containsExactly(Optional.of("Revenue"), Optional.empty(), Optional.of("Explicit title"));
    assertThat(nb.sqlCells().get(2).text()).isEqualTo("SELECT 3");
  }

  @Test
  void readsTheMarkerOnTheFirstMarkdownLineCrlfAndLeadingBlankLines() {
    String text = "\r\n\r\n-- Databricks notebook source\r\n-- MAGIC %md ### Inline\r\n-- MAGIC text\r\n"
        + "-- COMMAND ----------\r\nSELECT 1;\r\n";

    Notebook nb = Notebook.parse("n", text);

    assertThat(nb.cells()).extracting(Cell::text).containsExactly("### Inline\ntext", "SELECT 1");
  }

  @Test
  void parsesAChartDirectiveWithQuotedValuesAndSeveralYColumns() {
    Notebook nb = Notebook.parse("revenue", notebook(
        "-- chart: type=bar x=tier y=revenue_per_account,adjusted_revenue_per_account series=model "
            + "title=\"Revenue by tier\" xlabel=\"Tier (\\\"gold\\\" first)\" ylabel=EUR\n"
            + "SELECT * FROM revenue;"));

    Cell cell = nb.cells().get(0);
    assertThat(cell.text()).isEqualTo("SELECT * FROM revenue");
    assertThat(cell.chart()).contains(new ChartSpec(ChartSpec.Type.BAR, "tier",
        List.of("revenue_per_account", "adjusted_revenue_per_account"), Optional.of("model"),
        Optional.of("Revenue by tier"), Optional.of("Tier (\"gold\" first)"), Optional.of("EUR")));
  }

  @Test
  void readsEveryChartType() {
    assertThat(List.of("bar", "HBAR", "line", "scatter"))
        .extracting(t -> ChartSpec.parse(" type=" + t + " x=a y=b").type())
        .containsExactly(ChartSpec.Type.BAR, ChartSpec.Type.HBAR, ChartSpec.Type.LINE, ChartSpec.Type.SCATTER);
  }

  @Test
  void rejectsAMissingHeaderNamingTheNotebookAndTheLineFound() {
    assertThatThrownBy(() -> Notebook.parse("scores", "\n# Databricks notebook source\nSELECT 1"))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("'scores'")
        .hasMessageContaining("-- Databricks notebook source")
        .hasMessageContaining("found: '# Databricks notebook source'");
    assertThatThrownBy(() -> Notebook.parse("empty", ""))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("'empty'");
  }

  @Test
  void rejectsAnUnknownChartTypeNamingNotebookCellLineAndToken() {
    String text = notebook("SELECT 1", "SELECT 2\n-- chart: type=pie x=a y=b");

    assertThatThrownBy(() -> Notebook.parse("metrics", text))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("notebook 'metrics'")
        .hasMessageContaining("cell 2 (line 7)")
        .hasMessageContaining("unknown chart type 'pie'");
  }

  @Test
  void rejectsBadDirectiveTokensNamingThem() {
    assertThatThrownBy(() -> Notebook.parse("n", notebook("-- chart: type=bar x=a y=b colour=red\nSELECT 1")))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("cell 1")
        .hasMessageContaining("unknown key 'colour' in 'colour=red'");
    assertThatThrownBy(() -> Notebook.parse("n", notebook("-- chart: type=bar x=a stacked y=b\nSELECT 1")))
        .hasMessageContaining("expected key=value, found 'stacked'");
    assertThatThrownBy(() -> Notebook.parse("n", notebook("-- chart: type=bar x=a y=b title=\"open\nSELECT 1")))
        .hasMessageContaining("unterminated quote in 'title=\"open'");
    assertThatThrownBy(() -> Notebook.parse("n", notebook("-- chart: type=bar x=a\nSELECT 1")))
        .hasMessageContaining("missing required key 'y'");
    assertThatThrownBy(() -> Notebook.parse("n", notebook("-- chart: type=bar x=a y=b,\nSELECT 1")))
        .hasMessageContaining("empty column name in 'y=b,'");
    assertThatThrownBy(() -> Notebook.parse("n", notebook("-- chart: type=bar x=a y=b x=c\nSELECT 1")))
        .hasMessageContaining("key 'x' is given twice");
  }

  @Test
  void rejectsTwoDirectivesInOneCellAndADirectiveWithoutSql() {
    assertThatThrownBy(() -> Notebook.parse("n", notebook(
        "SELECT 0", "-- chart: type=bar x=a y=b\n-- chart: type=line x=a y=b\nSELECT 1")))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("cell 2 (line 7)")
        .hasMessageContaining("only one chart directive");
    assertThatThrownBy(() -> Notebook.parse("n", notebook("\n-- chart: type=bar x=a y=b\n;")))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("cell 1 (line 3) has no SQL statement");
  }

  @Test
  void rejectsMagicCellsOtherThanMarkdown() {
    assertThatThrownBy(() -> Notebook.parse("n", notebook("SELECT 1", "-- MAGIC %python\n-- MAGIC print(1)")))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("cell 2")
        .hasMessageContaining("'%python'");
  }
}
