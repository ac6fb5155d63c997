package com.customervalue.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Renders a report with every chart type to {@code target/report-sample.html}, the page
 * {@code jobs/check-report.sh target/report-sample.html} opens in headless Chromium.
 */
class SampleReportTest {

  private static final String CHURN = """
      -- Databricks notebook source
      -- MAGIC %md
      -- MAGIC # Churn model
      -- MAGIC How well the candidates separate churners. Figures are **out-of-time**.
      -- MAGIC
      -- MAGIC | target | models |
      -- MAGIC |---|---|
      -- MAGIC | churn | gbt, logistic |

      -- COMMAND ----------

      -- MAGIC %md
      -- MAGIC ## Revenue per account by tier

      -- COMMAND ----------

      -- chart: type=bar x=tier y=revenue_per_account,adjusted_revenue_per_account series=model title="Revenue by tier" ylabel="EUR per account"
      SELECT model, tier, revenue_per_account, adjusted_revenue_per_account FROM revenue_by_tier ORDER BY tier;

      -- COMMAND ----------

      -- MAGIC %md
      -- MAGIC ## ROC curve

      -- COMMAND ----------

      -- chart: type=line x=fpr y=tpr series=model title="ROC, out-of-time" xlabel="false positive rate" ylabel="true positive rate"
      SELECT model, fpr, tpr FROM roc ORDER BY model, fpr, tpr
      """;

  private static final String FEATURES = """
      -- Databricks notebook source
      -- MAGIC %md
      -- MAGIC ## Feature importance

      -- COMMAND ----------

      -- chart: type=hbar x=feature y=importance title="GBT feature importance"
      SELECT feature, importance FROM feature_importance ORDER BY importance DESC LIMIT 20

      -- COMMAND ----------

      -- MAGIC %md
      -- MAGIC ## Support cost against revenue

      -- COMMAND ----------

      -- chart: type=scatter x=revenue y=support_cost title="Support cost vs revenue"
      SELECT revenue, support_cost FROM customers

      -- COMMAND ----------

      -- MAGIC %md
      -- MAGIC ## Monthly revenue

      -- COMMAND ----------

      -- chart: type=line x=month y=revenue title="Monthly revenue"
      SELECT month, revenue FROM monthly

      -- COMMAND ----------

      -- MAGIC %md
      -- MAGIC ## Quarantined rows

      -- COMMAND ----------

      -- chart: type=bar x=source y=n
      SELECT source, count(*) AS n FROM quarantine GROUP BY source

      -- COMMAND ----------

      SELECT customer_id, note, tags FROM customers LIMIT 3
      """;

  @Test
  void writesASampleReportWithEveryChartType() throws IOException {
    List<CellResult> churn = List.of(
        result(List.of("model", "tier", "revenue_per_account", "adjusted_revenue_per_account"),
            List.of("gbt", "gold", new BigDecimal("1520.40"), new BigDecimal("1210.10")),
            List.of("gbt", "silver", new BigDecimal("830.00"), new BigDecimal("700.55")),
            List.of("gbt", "bronze", new BigDecimal("240.10"), new BigDecimal("150.00")),
            List.of("logistic", "gold", new BigDecimal("1490.00"), new BigDecimal("1250.00")),
            List.of("logistic", "silver", new BigDecimal("860.20"), new BigDecimal("690.00")),
            List.of("logistic", "bronze", new BigDecimal("250.00"), new BigDecimal("170.30"))),
        roc());
    List<CellResult> features = List.of(importance(), scatter(),
        result(List.of("month", "revenue"),
            List.of(Date.valueOf("2024-01-01"), 10200.0), List.of(Date.valueOf("2024-02-01"), 11800.0),
            List.of(Date.valueOf("2024-03-01"), 9900.0), List.of(Date.valueOf("2024-04-01"), 12500.0)),
        result(List.of("source", "n")),
        new CellResult(List.of("customer_id", "note", "tags"), List.of(
            Arrays.asList(1L, "<script>alert('x')</script>", List.of("a", "b")),
            Arrays.asList(2L, null, List.of()),
            Arrays.asList(3L, "Gr\u00fc\u00dfe & \"quotes\"", null)), true, 2300));

    String html = HtmlReport.render("Customer value report", "run local, 2024-05-01",
        List.of(section("churn", CHURN, churn), section("features", FEATURES, features)));
    Path out = Path.of("target", "report-sample.html");
    Files.createDirectories(out.getParent());
    Files.writeString(out, html, StandardCharsets.UTF_8);

    assertThat(Pattern.compile("<img src=\"data:image/png;base64,").matcher(html).results().count())
        .as("one image per chart cell with rows").isEqualTo(5);
  }

  private static Section section(String name, String text, List<CellResult> results) {
    Iterator<CellResult> next = results.iterator();
    List<CellOutput> outputs = new ArrayList<>();
    for (Cell cell : Notebook.parse(name, text).cells()) {
      outputs.add(cell.isSql() ? CellOutput.of(cell, next.next()) : CellOutput.of(cell));
    }
    assertThat(next.hasNext()).as("a result per SQL cell of " + name).isFalse();
    return new Section(name, outputs);
  }

  private static CellResult result(List<String> columns, List<?>... rows) {
    List<List<Object>> list = new ArrayList<>();
    for (List<?> row : rows) {
      list.add(new ArrayList<>(row));
    }
    return new CellResult(columns, list, false, 120);
  }

  private static CellResult roc() {
    List<List<Object>> rows = new ArrayList<>();
    for (String model : List.of("gbt", "logistic")) {
      double power = model.equals("gbt") ? 0.25 : 0.45;
      for (int i = 0; i <= 20; i++) {
        double fpr = i / 20.0;
        rows.add(List.of(model, fpr, Math.pow(fpr, power)));
      }
    }
    return new CellResult(List.of("model", "fpr", "tpr"), rows, false, 340);
  }

  private static CellResult importance() {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(List.of("feature_number_" + (i + 1) + (i % 3 == 0 ? "_with_a_long_name" : ""), 0.3 / (i + 1)));
    }
    return new CellResult(List.of("feature", "importance"), rows, false, 80);
  }

  private static CellResult scatter() {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // Deterministic spread; no Random so the page is the same on every run.
      double revenue = 100 + (i * 37 % 200) * 25.0;
      rows.add(List.of(revenue, revenue * 0.08 + (i * 53 % 97) * 3.0));
    }
    return new CellResult(List.of("revenue", "support_cost"), rows, false, 50);
  }
}
