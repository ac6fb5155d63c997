package com.customervalue.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Determinism, spec validation, and the manifest's mess counts against an independent re-parse. */
class SampleGeneratorTest {
  private static final LocalDate START = LocalDate.of(2014, 1, 1);

  @TempDir
  static Path shared;
  private static Path dir;
  private static SampleSummary summary;
  private static Map<String, Object> manifest;

  @BeforeAll
  static void generateDefaultSample() throws IOException {
    dir = shared.resolve("seed42");
    summary = SampleGenerator.generate(spec(dir, 1500, 42L));
    manifest = asMap(SampleFiles.json(Files.readString(dir.resolve("truth/manifest.json"))));
  }

  static SampleSpec spec(Path out, int customers, long seed) {
    return new SampleSpec(out, customers, 3, seed, START, 365, List.of());
  }

  // ---- determinism ------------------------------------------------------------------------

  @Test
  void sameSeedGivesByteIdenticalFilesAndAnotherSeedDiffers(@TempDir Path a, @TempDir Path b, @TempDir Path c)
      throws IOException {
    SampleGenerator.generate(spec(a, 300, 7L));
    SampleGenerator.generate(spec(b, 300, 7L));
    SampleGenerator.generate(spec(c, 300, 8L));

    Map<String, byte[]> first = contents(a);
    Map<String, byte[]> second = contents(b);
    assertThat(first.keySet()).containsExactlyElementsOf(second.keySet()).hasSize(10);
    for (String name : first.keySet()) {
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
    Map<String, byte[]> other = contents(c);
    assertThat(other.get("invoices.csv")).isNotEqualTo(first.get("invoices.csv"));
    assertThat(other.get("truth/return_probability.csv")).isNotEqualTo(first.get("truth/return_probability.csv"));
  }

  @Test
  void rerunningIntoTheSameFolderOverwrites(@TempDir Path a) throws IOException {
    SampleGenerator.generate(spec(a, 300, 7L));
    Map<String, byte[]> first = contents(a);
    SampleGenerator.generate(spec(a, 300, 7L));
    Map<String, byte[]> second = contents(a);
    for (String name : first.keySet()) {
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
  }

  private static Map<String, byte[]> contents(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }

  // ---- file shapes -------------------------------------------------------------------------

  @Test
  void summaryListsEveryDataFileInOrderWithItsDataLineCount() throws IOException {
    assertThat(summary.outputDir()).isEqualTo(dir);
    assertThat(summary.rowsPerFile().keySet()).containsExactly("invoices.csv", "customers.csv",
        "support_tickets.json", "web_analytics.csv", "marketing_events.csv", "press_releases.csv",
        "site_categories.csv", "truth/return_probability.csv", "truth/identities.csv");
    for (Map.Entry<String, Long> e : summary.rowsPerFile().entrySet()) {
      long lines = Files.readAllLines(dir.resolve(e.getKey()), StandardCharsets.UTF_8).size();
      long header = e.getKey().endsWith(".json") ? 0 : 1;
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(lines - header).isEqualTo(fileEntry(e.getKey()).get("rows")
          instanceof BigDecimal n ? n.longValue() : -1);
    }
  }

  @Test
  void headersAreExactAndLinesEndWithLf() throws IOException {
    assertThat(firstLine("invoices.csv")).isEqualTo("Invoice Number,Invoice Date,Customer ID,Customer Name,Company,"
        + "Email,Product,Process,License Tier,Quantity,Unit Price,Amount,Currency,Status");
    assertThat(firstLine("customers.csv")).isEqualTo("Customer ID,Company,Contact Name,Email,Website,Industry,City,"
        + "State,Postcode,Latitude,Longitude,UTC Offset");
    assertThat(firstLine("web_analytics.csv")).isEqualTo("Date,Hostname,Source / Medium,Sessions,Pageviews");
    assertThat(firstLine("marketing_events.csv")).isEqualTo("Email Address,Event,Campaign,Timestamp");
    assertThat(firstLine("press_releases.csv")).isEqualTo("Date,Title,Topic");
    assertThat(firstLine("site_categories.csv")).isEqualTo("domain,category,votes");
    assertThat(firstLine("truth/return_probability.csv"))
        .isEqualTo("account_id,account_key,as_of,horizon_days,p_return,returned");
    assertThat(firstLine("truth/identities.csv")).isEqualTo("kind,value,account_key");
    for (String name : summary.rowsPerFile().keySet()) {
      String text = Files.readString(dir.resolve(name));
      assertThat(text).as(name).doesNotContain("\r").endsWith("\n");
    }
    assertThat(Files.readString(dir.resolve("truth/manifest.json"))).contains("\"seed\": 42");
  }

  private static String firstLine(String name) throws IOException {
    return Files.readAllLines(dir.resolve(name)).get(0);
  }

  // ---- invoices ---------------------------------------------------------------------------

  @Test
  void invoiceMessMatchesTheManifestAndTheDocumentedRates() throws IOException {
    List<List<String>> records = SampleFiles.csv(dir.resolve("invoices.csv"));
    SampleFiles.Layout layout = new SampleFiles.Layout(records.get(0), new int[] {0, 1, 6, 9, 10}, new int[] {1},
        SampleFiles.DATE_TIME, new int[] {9, 10, 11});
    Map<String, Long> found = new HashMap<>();
    Set<String> paidInvoices = new HashSet<>();
    Set<String> refundedOriginals = new HashSet<>();
    long paidLines = 0;
    Set<String> customerIds = customerIds();
    for (List<String> r : records.subList(1, records.size())) {
      String problem = SampleFiles.problem(layout, r);
      if (problem != null) {
        add(found, problem);
        continue;
      }
      String email = r.get(5);
      String status = r.get(13);
      assertThat(status).isIn("paid", "refunded", "test");
      assertThat(r.get(12)).isEqualTo("USD");
      assertThat(new BigDecimal(r.get(9)).multiply(new BigDecimal(r.get(10))))
          .isEqualByComparingTo(new BigDecimal(r.get(11)));
      assertThat(r.get(2).isEmpty() && email.isEmpty()).as("a line keeps an id or an email").isFalse();
      if (!r.get(2).isEmpty()) {
        assertThat(customerIds).contains(r.get(2));
      }
      switch (status) {
        case "test" -> {
          add(found, "test_lines");
          String e = email.strip().toLowerCase(Locale.ROOT);
          if (e.endsWith("@customervalue-internal.com")) {
            add(found, "test_internal_domain");
          }
          if (e.startsWith("test")) {
            add(found, "test_style_email");
          }
          assertThat(e.endsWith("@customervalue-internal.com") || e.startsWith("test")).as(e).isTrue();
          if (r.get(11).equals("0.00")) {
            add(found, "test_zero_amount");
          }
        }
        case "refunded" -> {
          add(found, "refund_lines");
          assertThat(r.get(0)).startsWith("R-");
          assertThat(Integer.parseInt(r.get(9))).isNegative();
          refundedOriginals.add(r.get(0).substring(2));
        }
        default -> {
          assertThat(r.get(0)).doesNotStartWith("R-");
          assertThat(Integer.parseInt(r.get(9))).isPositive();
          paidInvoices.add(r.get(0));
          paidLines++;
        }
      }
      if (r.get(2).isEmpty()) {
        add(found, "missing_customer_id");
      }
      if (email.isEmpty()) {
        add(found, "missing_email");
      } else {
        countEmail(found, email);
      }
    }
    found.put("duplicates", duplicateLines("invoices.csv"));
    assertThat(paidInvoices).containsAll(refundedOriginals);

    Map<String, Long> mess = mess("invoices.csv");
    for (String key : List.of("wrong_field_count", "bad_date", "bad_number", "missing_required", "duplicates",
        "test_lines", "test_internal_domain", "test_style_email", "test_zero_amount", "refund_lines",
        "missing_customer_id", "missing_email", "email_mixed_case", "email_padded", "email_plus_tag",
        "email_googlemail", "email_subdomain_alias")) {
      assertThat(found.getOrDefault(key, 0L)).as(key).isEqualTo(mess.get(key));
    }
    long rows = records.size() - 1;
    assertMalformedBand(mess, rows, List.of("wrong_field_count", "bad_date", "bad_number", "missing_required"));
    assertThat(ratio(mess.get("duplicates"), rows)).isBetween(0.007, 0.013);
    assertThat(ratio(mess.get("test_lines"), paidLines)).isBetween(0.003, 0.008);
    assertThat(ratio(mess.get("test_zero_amount"), mess.get("test_lines"))).isBetween(0.2, 0.6);
    assertThat(ratio(refundedOriginals.size(), paidInvoices.size())).isBetween(0.02, 0.04);
    assertThat(ratio(mess.get("missing_customer_id"), rows)).isBetween(0.04, 0.07);
    assertThat(ratio(mess.get("missing_email"), rows)).isBetween(0.02, 0.045);
    assertThat(ratio(mess.get("email_mixed_case"), rows)).isBetween(0.03, 0.09);
    assertThat(ratio(mess.get("email_padded"), rows)).isBetween(0.015, 0.05);
    assertThat(ratio(mess.get("email_plus_tag"), rows)).isBetween(0.02, 0.06);
    assertThat(mess.get("email_googlemail")).isPositive();
    assertThat(mess.get("email_gmail_dots")).isPositive();
    assertThat(mess.get("email_subdomain_alias")).isPositive();
  }

  // ---- customers and site categories ----------------------------------------------------------------

  @Test
  void customerMessMatchesTheManifest() throws IOException {
    List<List<String>> records = SampleFiles.csv(dir.resolve("customers.csv"));
    SampleFiles.Layout layout = new SampleFiles.Layout(records.get(0), new int[] {0}, new int[0], null,
        new int[] {9, 10, 11});
    Map<String, Long> found = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (List<String> r : records.subList(1, records.size())) {
      String problem = SampleFiles.problem(layout, r);
      if (problem != null) {
        add(found, problem);
        continue;
      }
      ids.add(r.get(0));
      assertThat(r.get(0)).matches("C\\d{5}");
      assertThat(r.get(9)).matches("-?\\d+\\.\\d{4}");
      assertThat(r.get(10)).matches("-?\\d+\\.\\d{4}");
      assertThat(r.get(11)).isIn("0", "-5", "-6", "-7", "-8", "-9", "-10");
      if (r.get(5).isEmpty()) {
        add(found, "missing_industry");
      } else {
        assertThat(r.get(5)).isIn("aerospace", "automotive", "medical", "consumer-goods", "education",
            "architecture", "energy", "retail", "consulting", "events");
      }
      String w = r.get(4);
      if (w.isEmpty()) {
        add(found, "website_empty");
      } else {
        String rest = w.replaceFirst("^https?://", "");
        if (!rest.equals(w)) {
          add(found, "website_with_scheme");
        }
        String host = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        String path = rest.substring(host.length());
        if (host.startsWith("www.")) {
          add(found, "website_with_www");
        }
        if (!path.isEmpty() && !path.equals("/")) {
          add(found, "website_with_path");
        }
        if (host.contains(":")) {
          add(found, "website_with_port");
        }
        assertThat(SampleFiles.registrable(host.replaceFirst(":\\d+$", "")))
            .isEqualTo(SampleFiles.accountKey(r.get(3)));
      }
      String e = r.get(3);
      if (!e.equals(e.toLowerCase(Locale.ROOT))) {
        add(found, "email_mixed_case");
      }
      if (!e.equals(e.strip())) {
        add(found, "email_padded");
      }
    }
    Map<String, Long> mess = mess("customers.csv");
    for (String key : List.of("wrong_field_count", "bad_number", "missing_required", "missing_industry",
        "website_empty", "website_with_scheme", "website_with_www", "website_with_path", "website_with_port",
        "email_mixed_case", "email_padded")) {
      assertThat(found.getOrDefault(key, 0L)).as(key).isEqualTo(mess.get(key));
    }
    assertThat(ratio(mess.get("missing_industry"), ids.size())).isBetween(0.025, 0.06);
    assertThat(mess.get("website_with_port")).isPositive();
    assertMalformedBand(mess, records.size() - 1, List.of("wrong_field_count", "bad_number", "missing_required"));
  }

  @Test
  void pressAndSiteCategoryMessMatchesTheManifest() throws IOException {
    List<List<String>> press = SampleFiles.csv(dir.resolve("press_releases.csv"));
    SampleFiles.Layout pressLayout = new SampleFiles.Layout(press.get(0), new int[] {0, 1}, new int[] {0},
        SampleFiles.DATE, new int[0]);
    Map<String, Long> found = new HashMap<>();
    long releases = 0;
    for (List<String> r : press.subList(1, press.size())) {
      String problem = SampleFiles.problem(pressLayout, r);
      if (problem != null) {
        add(found, problem);
      } else {
        releases++;
        assertThat(r.get(2)).isIn("new-process", "customer-story", "award", "event", "product-update");
      }
    }
    assertThat(releases).as("about 1-2 releases a month over 36 months").isBetween(40L, 70L);
    long pressMalformed = 0;
    for (String key : List.of("wrong_field_count", "bad_date", "missing_required")) {
      assertThat(found.getOrDefault(key, 0L)).as(key).isEqualTo(mess("press_releases.csv").get(key));
      pressMalformed += found.getOrDefault(key, 0L);
    }
    assertThat(pressMalformed).as("a small file gets the minimum in all").isEqualTo(MessRates.MALFORMED_MIN_PER_FILE);

    List<List<String>> sites = SampleFiles.csv(dir.resolve("site_categories.csv"));
    SampleFiles.Layout siteLayout = new SampleFiles.Layout(sites.get(0), new int[] {0, 1}, new int[0], null,
        new int[] {2});
    Map<String, Long> siteFound = new HashMap<>();
    for (List<String> r : sites.subList(1, sites.size())) {
      String problem = SampleFiles.problem(siteLayout, r);
      if (problem != null) {
        add(siteFound, problem);
        continue;
      }
      if (r.get(0).startsWith("www.")) {
        add(siteFound, "www_prefix");
      }
      if (SampleFiles.FREE_MAIL.contains(r.get(0))) {
        add(siteFound, "free_mail_domains");
      }
    }
    for (String key : List.of("wrong_field_count", "bad_number", "missing_required", "www_prefix",
        "free_mail_domains")) {
      assertThat(siteFound.getOrDefault(key, 0L)).as(key).isEqualTo(mess("site_categories.csv").get(key));
    }
  }

  // ---- tickets, web, marketing --------------------------------------------------------------

  @Test
  void ticketMessMatchesTheManifest() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("support_tickets.json"));
    Map<String, Long> found = new HashMap<>();
    long closed = 0;
    for (String line : lines) {
      Map<String, Object> t;
      try {
        t = asMap(SampleFiles.json(line));
      } catch (RuntimeException e) {
        add(found, "bad_json");
        continue;
      }
      Object customer = t.get("customer");
      Object email = customer instanceof Map<?, ?> m ? m.get("email") : null;
      if (!t.containsKey("id") || !t.containsKey("createdAt") || !(email instanceof String s) || s.isEmpty()) {
        add(found, "missing_required");
        continue;
      }
      if (!SampleFiles.isInstant(t.get("createdAt"))) {
        add(found, "bad_date");
        continue;
      }
      assertThat(t.keySet()).containsExactly("id", "number", "customer", "createdAt", "closedAt", "status", "tags",
          "subject");
      Object closedAt = t.get("closedAt");
      if (closedAt == null) {
        assertThat(t.get("status")).isIn("active", "pending");
        add(found, "open_tickets");
      } else {
        assertThat(SampleFiles.isInstant(closedAt)).isTrue();
        assertThat(t.get("status")).isEqualTo("closed");
        closed++;
        if (((String) closedAt).compareTo((String) t.get("createdAt")) < 0) {
          add(found, "closed_before_created");
        }
      }
      countEmail(found, (String) email);
    }
    Map<String, Long> mess = mess("support_tickets.json");
    for (String key : List.of("bad_json", "bad_date", "missing_required", "closed_before_created", "open_tickets",
        "email_mixed_case", "email_padded", "email_plus_tag", "email_googlemail", "email_subdomain_alias")) {
      assertThat(found.getOrDefault(key, 0L)).as(key).isEqualTo(mess.get(key));
    }
    assertThat(ratio(mess.get("closed_before_created"), closed)).isBetween(0.003, 0.02);
    assertThat(mess.get("open_tickets")).isPositive();
    assertMalformedBand(mess, lines.size(), List.of("bad_json", "bad_date", "missing_required"));
  }

  @Test
  void webAnalyticsMessMatchesTheManifest() throws IOException {
    List<List<String>> records = SampleFiles.csv(dir.resolve("web_analytics.csv"));
    SampleFiles.Layout layout = new SampleFiles.Layout(records.get(0), new int[] {0, 1, 3}, new int[] {0},
        SampleFiles.COMPACT, new int[] {3, 4});
    Map<String, Long> found = new HashMap<>();
    for (List<String> r : records.subList(1, records.size())) {
      String problem = SampleFiles.problem(layout, r);
      if (problem != null) {
        add(found, problem);
        continue;
      }
      assertThat(Integer.parseInt(r.get(3))).isPositive();
      assertThat(r.get(1)).contains(".").doesNotContain("/");
    }
    found.put("duplicates", duplicateLines("web_analytics.csv"));
    Map<String, Long> mess = mess("web_analytics.csv");
    for (String key : List.of("wrong_field_count", "bad_date", "bad_number", "missing_required", "duplicates")) {
      assertThat(found.getOrDefault(key, 0L)).as(key).isEqualTo(mess.get(key));
    }
    long rows = records.size() - 1;
    assertThat(ratio(mess.get("duplicates"), rows)).isBetween(0.007, 0.013);
    assertMalformedBand(mess, rows, List.of("wrong_field_count", "bad_date", "bad_number", "missing_required"));
  }

  @Test
  void marketingMessMatchesTheManifest() throws IOException {
    List<List<String>> records = SampleFiles.csv(dir.resolve("marketing_events.csv"));
    SampleFiles.Layout layout = new SampleFiles.Layout(records.get(0), new int[] {0, 1, 3}, new int[] {3},
        SampleFiles.DATE_TIME, new int[0]);
    Map<String, Long> found = new HashMap<>();
    Set<String> customerKeys = new HashSet<>();
    for (List<String> r : SampleFiles.csv(dir.resolve("customers.csv"))) {
      if (r.size() == 12 && r.get(3).contains("@")) {
        customerKeys.add(SampleFiles.accountKey(r.get(3)));
      }
    }
    for (List<String> r : records.subList(1, records.size())) {
      String problem = SampleFiles.problem(layout, r);
      if (problem != null) {
        add(found, problem);
        continue;
      }
      assertThat(r.get(1)).isIn("sent", "open", "click", "unsubscribe", "chat");
      if (!customerKeys.contains(SampleFiles.accountKey(r.get(0)))) {
        add(found, "non_customer_rows");
      }
      countEmail(found, r.get(0));
    }
    found.put("duplicates", duplicateLines("marketing_events.csv"));
    Map<String, Long> mess = mess("marketing_events.csv");
    for (String key : List.of("wrong_field_count", "bad_date", "missing_required", "duplicates", "non_customer_rows",
        "email_mixed_case", "email_padded", "email_plus_tag", "email_googlemail")) {
      assertThat(found.getOrDefault(key, 0L)).as(key).isEqualTo(mess.get(key));
    }
    long rows = records.size() - 1;
    assertThat(ratio(mess.get("duplicates"), rows)).isBetween(0.007, 0.013);
    assertMalformedBand(mess, rows, List.of("wrong_field_count", "bad_date", "missing_required"));
  }

  @Test
  void truthHasOneRowPerPastCustomerAndMatchesTheManifest() throws IOException {
    List<List<String>> records = SampleFiles.csv(dir.resolve("truth/return_probability.csv"));
    Set<String> keys = new HashSet<>();
    List<double[]> scored = new ArrayList<>();
    for (List<String> r : records.subList(1, records.size())) {
      assertThat(r).hasSize(6);
      assertThat(r.get(0)).matches("A\\d{5}");
      assertThat(r.get(2)).isEqualTo("2016-01-01");
      assertThat(r.get(3)).isEqualTo("365");
      assertThat(r.get(4)).matches("[01]\\.\\d{6}");
      assertThat(r.get(5)).isIn("0", "1");
      assertThat(keys.add(r.get(1))).as("account keys are unique: " + r.get(1)).isTrue();
      assertThat(r.get(1)).isEqualTo(r.get(1).toLowerCase(Locale.ROOT)).doesNotStartWith("www.");
      scored.add(new double[] {Double.parseDouble(r.get(4)), Double.parseDouble(r.get(5))});
    }
    Map<String, Object> truth = asMap(((List<?>) manifest.get("truth")).get(0));
    assertThat(((BigDecimal) truth.get("accounts")).longValue()).isEqualTo(records.size() - 1);
    assertThat(((BigDecimal) truth.get("oracle_roc_auc")).doubleValue())
        .isCloseTo(SampleFiles.auc(scored), org.assertj.core.data.Offset.offset(1e-6));
  }

  // ---- spec validation -----------------------------------------------------------------------

  @Test
  void specRejectsOutOfRangeValuesNamingFieldAndValue() {
    Path out = Path.of("unused");
    assertThatThrownBy(() -> new SampleSpec(out, 9, 3, 1, START, 365, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customers").hasMessageContaining("9");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 0, 1, START, 365, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("years").hasMessageContaining("0");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 11, 1, START, 365, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("years").hasMessageContaining("11");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 3, 1, START, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizonDays").hasMessageContaining("0");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 3, 1, START, 731, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizonDays").hasMessageContaining("731");
  }

  @Test
  void specRejectsNullsAndTruthDatesOutsideThePeriod() {
    Path out = Path.of("unused");
    assertThatThrownBy(() -> new SampleSpec(null, 100, 3, 1, START, 365, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputDir");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 3, 1, null, 365, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startDate");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 3, 1, START, 365, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truthAsOf");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 3, 1, START, 365, List.of(LocalDate.of(2016, 6, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truthAsOf")
        .hasMessageContaining("2016-06-01");
    assertThatThrownBy(() -> new SampleSpec(out, 100, 1, 1, START, 365, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizonDays=365");
  }

  @Test
  void specDefaultsTheTruthDateToTheLastDayMinusTheHorizon() {
    SampleSpec s = spec(Path.of("unused"), 100, 1);
    assertThat(s.truthAsOf()).isEmpty();
    assertThat(s.effectiveTruthAsOf()).containsExactly(LocalDate.of(2016, 1, 1));
    assertThat(new SampleSpec(Path.of("x"), 100, 3, 1, START, 90, List.of(LocalDate.of(2015, 3, 1)))
        .effectiveTruthAsOf()).containsExactly(LocalDate.of(2015, 3, 1));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static void countEmail(Map<String, Long> found, String email) {
    if (!email.equals(email.toLowerCase(Locale.ROOT))) {
      add(found, "email_mixed_case");
    }
    if (!email.equals(email.strip())) {
      add(found, "email_padded");
    }
    String e = email.strip().toLowerCase(Locale.ROOT);
    if (e.substring(0, e.lastIndexOf('@')).contains("+")) {
      add(found, "email_plus_tag");
    }
    String domain = SampleFiles.domainOf(e);
    if (domain.equals("googlemail.com")) {
      add(found, "email_googlemail");
    }
    if (!SampleFiles.FREE_MAIL.contains(domain) && !domain.equals(SampleFiles.registrable(domain))) {
      add(found, "email_subdomain_alias");
    }
  }

  private static void assertMalformedBand(Map<String, Long> mess, long rows, List<String> kinds) {
    long total = 0;
    for (String kind : kinds) {
      if (rows > 5000) {
        assertThat(mess.get(kind)).as(kind).isGreaterThanOrEqualTo(2);
      }
      total += mess.get(kind);
    }
    assertThat(total).as("malformed rows in the file").isGreaterThanOrEqualTo(MessRates.MALFORMED_MIN_PER_FILE);
    assertThat(ratio(total, rows)).as("malformed share stays under the ingest's default limit").isLessThan(0.05);
    if (rows > 5000) {
      assertThat(ratio(total, rows)).as("malformed share").isBetween(0.001, 0.004);
    }
  }

  private static Set<String> customerIds() throws IOException {
    Set<String> ids = new HashSet<>();
    for (List<String> r : SampleFiles.csv(dir.resolve("customers.csv"))) {
      ids.add(r.get(0));
    }
    return ids;
  }

  private static long duplicateLines(String name) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve(name));
    Set<String> seen = new HashSet<>();
    long dups = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (!seen.add(line)) {
        dups++;
      }
    }
    return dups;
  }

  private static void add(Map<String, Long> counts, String key) {
    counts.merge(key, 1L, Long::sum);
  }

  private static double ratio(long a, long b) {
    return (double) a / b;
  }

  private static Map<String, Object> fileEntry(String name) {
    return asMap(asMap(manifest.get("files")).get(name));
  }

  private static Map<String, Long> mess(String name) {
    Map<String, Long> out = new HashMap<>();
    asMap(fileEntry(name).get("mess")).forEach((k, v) -> out.put(k, ((BigDecimal) v).longValue()));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
