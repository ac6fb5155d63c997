package com.customervalue.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample written in parts ({@code SampleSpec.parts > 1}): the same accounts with the same histories as
 * the single-file sample, every source a folder of part files, nothing repeated across parts, numbers
 * that stay distinct, and a manifest that sums the parts.
 */
class SampleGeneratorPartsTest {
  private static final int PARTS = 3;
  private static final List<String> SOURCES = List.of("invoices.csv", "customers.csv", "support_tickets.json",
      "web_analytics.csv", "marketing_events.csv", "site_categories.csv", "truth/return_probability.csv",
      "truth/identities.csv");

  @TempDir
  static Path shared;
  private static Path single;
  private static Path parted;
  private static SampleSummary partedSummary;

  @BeforeAll
  static void generateBoth() throws IOException {
    single = shared.resolve("single");
    parted = shared.resolve("parted");
    SampleGenerator.generate(spec(single, 1));
    partedSummary = SampleGenerator.generate(spec(parted, PARTS));
  }

  private static SampleSpec spec(Path out, int parts) {
    return new SampleSpec(out, 450, 2, 11L, LocalDate.of(2014, 1, 1), 180,
        List.of(LocalDate.of(2015, 1, 1), LocalDate.of(2015, 6, 1)), parts);
  }

  @Test
  void everySourceIsAFolderOfPartFilesAndThePressReleasesAreWrittenOnce() throws IOException {
    for (String name : SOURCES) {
      String extension = name.substring(name.lastIndexOf('.'));
      assertThat(parted.resolve(name)).as(name).isDirectory();
      assertThat(partFiles(parted.resolve(name))).as(name).extracting(p -> p.getFileName().toString())
          .containsExactly("part-00000" + extension, "part-00001" + extension, "part-00002" + extension);
    }
    assertThat(partFiles(parted.resolve("press_releases.csv"))).hasSize(1);
    assertThat(Files.readString(parted.resolve("press_releases.csv/part-00000.csv")))
        .isEqualTo(Files.readString(single.resolve("press_releases.csv")));
    for (Map.Entry<String, Long> e : partedSummary.rowsPerFile().entrySet()) {
      long lines = 0;
      for (Path part : partFiles(parted.resolve(e.getKey()))) {
        lines += Files.readAllLines(part, StandardCharsets.UTF_8).size() - (e.getKey().endsWith(".json") ? 0 : 1);
      }
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(lines);
    }
  }

  @Test
  void theAccountsTheirHistoriesAndTheOracleAreThoseOfTheSingleFileSample() throws IOException {
    assertThat(sortedLines(parted.resolve("truth/return_probability.csv")))
        .isEqualTo(sortedLines(single.resolve("truth/return_probability.csv")));
    Map<?, ?> one = manifest(single);
    Map<?, ?> many = manifest(parted);
    assertThat(many.get("truth")).isEqualTo(one.get("truth"));
    assertThat(many.get("latent")).isEqualTo(one.get("latent"));
    assertThat(((Map<?, ?>) many.get("spec")).get("parts")).hasToString(Integer.toString(PARTS));
    assertThat(((Map<?, ?>) one.get("spec")).containsKey("parts")).isFalse();
  }

  @Test
  void theManifestSumsTheRowsOfTheParts() throws IOException {
    Map<?, ?> files = (Map<?, ?>) manifest(parted).get("files");
    for (Map.Entry<String, Long> e : partedSummary.rowsPerFile().entrySet()) {
      assertThat(((Map<?, ?>) files.get(e.getKey())).get("rows")).as(e.getKey()).hasToString(e.getValue().toString());
    }
  }

  @Test
  void noDataLineAppearsInTwoParts() throws IOException {
    for (String name : SOURCES) {
      Map<String, Integer> partOf = new HashMap<>();
      List<Path> parts = partFiles(parted.resolve(name));
      for (int k = 0; k < parts.size(); k++) {
        List<String> lines = Files.readAllLines(parts.get(k), StandardCharsets.UTF_8);
        for (String line : lines.subList(name.endsWith(".json") ? 0 : 1, lines.size())) {
          Integer before = partOf.putIfAbsent(line, k);
          assertThat(before == null || before == k).as("%s: line in parts %s and %d: %s", name, before, k, line)
              .isTrue();
        }
      }
    }
  }

  @Test
  void invoiceNumbersAndTicketIdsOfEachPartStayInTheirOwnRange() throws IOException {
    assertNumbersInRange("invoices.csv", Pattern.compile("^(?:R-)?(\\d+),"), InvoiceFile.FIRST_INVOICE_NUMBER);
    assertNumbersInRange("support_tickets.json", Pattern.compile("\"id\":(\\d+),"), TicketFile.FIRST_ID);
  }

  private static void assertNumbersInRange(String name, Pattern number, long first) throws IOException {
    List<Path> parts = partFiles(parted.resolve(name));
    for (int k = 0; k < parts.size(); k++) {
      long from = first + k * InvoiceFile.PART_NUMBER_STRIDE;
      int seen = 0;
      for (String line : Files.readAllLines(parts.get(k), StandardCharsets.UTF_8)) {
        Matcher m = number.matcher(line);
        if (m.find()) {
          assertThat(Long.parseLong(m.group(1))).as("%s part %d: %s", name, k, line)
              .isBetween(from, from + InvoiceFile.PART_NUMBER_STRIDE - 1);
          seen++;
        }
      }
      assertThat(seen).as("%s part %d", name, k).isPositive();
    }
  }

  @Test
  void noIdentityBelongsToTwoAccountsAcrossParts() throws IOException {
    Map<String, String> accountOf = new HashMap<>();
    long identities = 0;
    for (Path part : partFiles(parted.resolve("truth/identities.csv"))) {
      List<List<String>> records = SampleFiles.csv(part);
      for (List<String> r : records.subList(1, records.size())) {
        String before = accountOf.putIfAbsent(r.get(0) + ":" + r.get(1), r.get(2));
        assertThat(before == null || before.equals(r.get(2))).as("%s", r).isTrue();
        identities++;
      }
    }
    assertThat(identities).isPositive();
    // The values as written differ (render choices are drawn per part), the accounts they reach do not.
    List<List<String>> one = SampleFiles.csv(single.resolve("truth/identities.csv"));
    assertThat(new TreeSet<>(accountOf.values()))
        .isEqualTo(new TreeSet<>(one.subList(1, one.size()).stream().map(r -> r.get(2)).toList()));
  }

  @Test
  void aSingleFileRunReplacesAPartedOneAndBack(@TempDir Path out) throws IOException {
    SampleGenerator.generate(spec(out, 2));
    assertThat(out.resolve("invoices.csv")).isDirectory();
    SampleGenerator.generate(spec(out, 1));
    assertThat(out.resolve("invoices.csv")).isRegularFile();
    assertThat(Files.readString(out.resolve("invoices.csv"))).isEqualTo(Files.readString(single.resolve("invoices.csv")));
    SampleGenerator.generate(spec(out, 2));
    assertThat(partFiles(out.resolve("invoices.csv"))).hasSize(2);
  }

  @Test
  void aFolderHoldingOtherFilesIsNotReplaced(@TempDir Path out) throws IOException {
    Files.createDirectories(out.resolve("invoices.csv"));
    Files.writeString(out.resolve("invoices.csv/mine.txt"), "keep me");
    assertThatThrownBy(() -> SampleGenerator.generate(spec(out, 2))).isInstanceOf(IOException.class)
        .hasMessageContaining("mine.txt");
    assertThat(out.resolve("invoices.csv/mine.txt")).hasContent("keep me");
  }

  @Test
  void partsNeedTenAccountsEach() {
    assertThatThrownBy(() -> new SampleSpec(Path.of("x"), 100, 3, 1, LocalDate.of(2014, 1, 1), 365, List.of(), 11))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parts");
    assertThatThrownBy(() -> new SampleSpec(Path.of("x"), 100, 3, 1, LocalDate.of(2014, 1, 1), 365, List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parts");
    assertThat(new SampleSpec(Path.of("x"), 100, 3, 1, LocalDate.of(2014, 1, 1), 365, List.of(), 10).parts())
        .isEqualTo(10);
  }

  private static List<Path> partFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }

  private static List<String> sortedLines(Path fileOrFolder) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path f : Files.isDirectory(fileOrFolder) ? partFiles(fileOrFolder) : List.of(fileOrFolder)) {
      List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
      lines.addAll(all.subList(1, all.size()));
    }
    lines.sort(null);
    return lines;
  }

  private static Map<?, ?> manifest(Path dir) throws IOException {
    return (Map<?, ?>) SampleFiles.json(Files.readString(dir.resolve("truth/manifest.json")));
  }
}
