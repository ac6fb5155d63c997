package com.customervalue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process, for everything that fails or answers before Spark starts. */
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void helpListsTheSubcommandsThatExist() {
    assertThat(run("--help")).isEqualTo(Main.EXIT_OK);
    assertThat(out.toString()).contains("generate-sample", "ingest", "clean", "identity", "features", "train", "score",
        "report", "query", "run");
  }

  @Test
  void eachSubcommandHasHelp() {
    for (String command : new String[] {"generate-sample", "ingest", "clean", "identity", "features", "train",
        "run"}) {
      assertThat(run(command, "--help")).as(command).isEqualTo(Main.EXIT_OK);
    }
    assertThat(out.toString()).contains("--config", "--run-id", "--customers", "Exit codes");
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run("ingest", "--no-such-option")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    assertThat(run("no-such-command")).isEqualTo(Main.EXIT_USAGE);
    assertThat(run()).isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void badConfigExitsWithTwoBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("bad.conf"), "customer-value.sources.invoices.format = xlsx\n");
    assertThat(run("ingest", "--config", conf.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).startsWith("Invalid configuration: 'customer-value.sources.invoices.format' = \"xlsx\"")
        .doesNotContain("at com.");
  }

  @Test
  void badRunIdExitsWithTwo(@TempDir Path dir) {
    assertThat(run("ingest", "--run-id", "x'; drop table")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("--run-id: run id 'x'; drop table' must be");
  }

  @Test
  void generateSampleWritesTheSevenSources(@TempDir Path dir) {
    Path sample = dir.resolve("sample");
    assertThat(run("generate-sample", "--output-dir", sample.toString(), "--customers", "40", "--years", "2"))
        .isEqualTo(Main.EXIT_OK);
    assertThat(out.toString()).contains("invoices.csv", "support_tickets.json", "site_categories.csv");
    assertThat(sample.resolve("invoices.csv")).isRegularFile();
  }

  @Test
  void generateSampleInPartsWritesEachSourceAsAFolderOfParts(@TempDir Path dir) {
    Path sample = dir.resolve("sample");
    assertThat(run("generate-sample", "--output-dir", sample.toString(), "--customers", "40", "--years", "2",
        "--parts", "2")).isEqualTo(Main.EXIT_OK);
    assertThat(sample.resolve("invoices.csv/part-00000.csv")).isRegularFile();
    assertThat(sample.resolve("invoices.csv/part-00001.csv")).isRegularFile();
  }

  @Test
  void generateSampleRejectsBadOptionsWithTwo(@TempDir Path dir) {
    assertThat(run("generate-sample", "--output-dir", dir.toString(), "--customers", "3")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("customers");
    assertThat(run("generate-sample", "--output-dir", dir.toString(), "--customers", "40", "--parts", "5"))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("parts must be between 1 and 1000 with at least 10 accounts per part, got 5");
    assertThat(run("generate-sample", "--start-date", "last year")).isEqualTo(Main.EXIT_USAGE);
  }
}
