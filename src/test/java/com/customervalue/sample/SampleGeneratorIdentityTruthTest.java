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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code truth/identities.csv} and the manifest's {@code eligible_rows} / {@code matchable_rows}
 * against an independent re-parse of the source files.
 */
class SampleGeneratorIdentityTruthTest {
  private static final LocalDate AS_OF = LocalDate.of(2016, 1, 1);
  private static final List<String> SOURCES = List.of("invoices.csv", "customers.csv", "support_tickets.json",
      "web_analytics.csv", "marketing_events.csv", "press_releases.csv", "site_categories.csv");

  /** Which identifiers a file carries, by kind, at which field of a re-parsed row; the first present one matches. */
  private static final Map<String, List<Object[]>> IDENTIFIERS = Map.of(
      "invoices.csv", List.of(new Object[] {"customer_id", 2}, new Object[] {"email", 5}),
      "customers.csv", List.of(new Object[] {"customer_id", 0}, new Object[] {"email", 3}),
      "support_tickets.json", List.<Object[]>of(new Object[] {"email", 0}),
      "web_analytics.csv", List.<Object[]>of(new Object[] {"hostname", 1}),
      "marketing_events.csv", List.<Object[]>of(new Object[] {"email", 0}),
      "press_releases.csv", List.of(),
      "site_categories.csv", List.<Object[]>of(new Object[] {"site_domain", 0}));

  @TempDir
  static Path shared;
  private static Path dir;
  private static Map<String, Object> manifest;
  /** kind -> value -> account key, as listed. */
  private static final Map<String, Map<String, String>> listed = new TreeMap<>();
  private static List<List<String>> identityRows;
  /** Account keys of the CRM's well-formed contacts (the customers). */
  private static final Set<String> customerKeys = new HashSet<>();
  /** Customer ID -> account key of the contact's CRM e-mail. */
  private static final Map<String, String> crmKeyOfId = new HashMap<>();

  @BeforeAll
  static void generate() throws IOException {
    dir = shared.resolve("seed42");
    SampleGenerator.generate(SampleGeneratorTest.spec(dir, 1500, 42L));
    manifest = SampleGeneratorTest.asMap(SampleFiles.json(Files.readString(dir.resolve("truth/manifest.json"))));
    identityRows = SampleFiles.csv(dir.resolve("truth/identities.csv"));
    for (List<String> r : identityRows.subList(1, identityRows.size())) {
      listed.computeIfAbsent(r.get(0), k -> new TreeMap<>()).put(r.get(1), r.get(2));
    }
    for (Line l : wellFormed("customers.csv")) {
      String key = SampleFiles.accountKey(l.fields().get(3));
      customerKeys.add(key);
      crmKeyOfId.put(l.fields().get(0), key);
    }
  }

  // ---- the file -------------------------------------------------------------------------------

  @Test
  void identitiesAreSortedByKindThenValueWithOneKeyPerValue() {
    assertThat(identityRows.get(0)).containsExactly("kind", "value", "account_key");
    assertThat(identityRows.size()).isGreaterThan(1000);
    Map<String, String> keyOfValue = new HashMap<>();
    List<String> previous = null;
    for (List<String> r : identityRows.subList(1, identityRows.size())) {
      assertThat(r).hasSize(3);
      assertThat(r.get(0)).isIn("customer_id", "email", "hostname", "site_domain");
      assertThat(r.get(1)).isNotEmpty().isEqualTo(r.get(1).strip());
      assertThat(r.get(2)).isNotEmpty();
      if (previous != null) {
        int byKind = previous.get(0).compareTo(r.get(0));
        assertThat(byKind < 0 || (byKind == 0 && previous.get(1).compareTo(r.get(1)) < 0))
            .as("sorted by kind then value, one row per (kind, value): " + previous + " then " + r).isTrue();
      }
      String before = keyOfValue.putIfAbsent(r.get(1), r.get(2));
      assertThat(before == null || before.equals(r.get(2))).as("one key for " + r.get(1)).isTrue();
      previous = r;
    }
    assertThat(listed.keySet()).containsExactly("customer_id", "email", "hostname", "site_domain");
  }

  @Test
  void everyIdentifierOfAWellFormedCustomerRowIsListedAndNothingElse() throws IOException {
    Set<String> found = new TreeSet<>();
    Set<String> unowned = new TreeSet<>();
    long nonCustomerRows = 0;
    for (String name : SOURCES) {
      for (Line l : wellFormed(name)) {
        for (Object[] id : IDENTIFIERS.get(name)) {
          String kind = (String) id[0];
          String value = l.fields().get((Integer) id[1]).strip();
          if (value.isEmpty()) {
            continue;
          }
          boolean nonCustomer = name.equals("marketing_events.csv")
              && !customerKeys.contains(SampleFiles.accountKey(value));
          boolean freeMailSite = kind.equals("site_domain") && SampleFiles.FREE_MAIL.contains(value);
          if (l.test() || nonCustomer || freeMailSite) {
            unowned.add(kind + " " + value);
            nonCustomerRows += nonCustomer ? 1 : 0;
          } else {
            found.add(kind + " " + value);
          }
        }
      }
    }
    Set<String> all = new TreeSet<>();
    listed.forEach((kind, values) -> values.keySet().forEach(v -> all.add(kind + " " + v)));
    assertThat(all).isEqualTo(found);
    assertThat(nonCustomerRows).isPositive();
    assertThat(unowned).isNotEmpty().allSatisfy(u -> assertThat(all).doesNotContain(u));
    assertThat(unowned).contains("site_domain gmail.com");
    assertThat(unowned).anyMatch(u -> u.endsWith("@customervalue-internal.com"));
  }

  @Test
  void keysFollowTheIdentityRules() {
    for (Map.Entry<String, Map<String, String>> kind : listed.entrySet()) {
      for (Map.Entry<String, String> e : kind.getValue().entrySet()) {
        String value = e.getKey();
        String key = e.getValue();
        String expected = switch (kind.getKey()) {
          case "customer_id" -> crmKeyOfId.get(value);
          case "email" -> SampleFiles.accountKey(value);
          default -> SampleFiles.registrable(value.toLowerCase(java.util.Locale.ROOT));
        };
        assertThat(key).as(kind.getKey() + " " + value).isEqualTo(expected);
        if (key.contains("@")) {
          assertThat(SampleFiles.FREE_MAIL).as(key).contains(SampleFiles.domainOf(key));
          assertThat(SampleFiles.personKey(key)).isEqualTo(key);
        } else {
          assertThat(SampleFiles.registrable(key)).isEqualTo(key);
          assertThat(SampleFiles.FREE_MAIL).doesNotContain(key);
        }
      }
    }
  }

  @Test
  void keysAreTheTruthsAccountsOrAccountsThatHadNotBoughtBeforeTheTruthDate() throws IOException {
    Set<String> truthKeys = new HashSet<>();
    List<List<String>> truth = SampleFiles.csv(dir.resolve("truth/return_probability.csv"));
    for (List<String> r : truth.subList(1, truth.size())) {
      truthKeys.add(r.get(1));
    }
    Set<String> boughtBefore = new HashSet<>();
    for (Line l : wellFormed("invoices.csv")) {
      List<String> f = l.fields();
      if (f.get(13).equals("paid") && SampleFiles.dateTime(f.get(1)).toLocalDate().isBefore(AS_OF)) {
        boughtBefore.add(f.get(2).isEmpty() ? SampleFiles.accountKey(f.get(5)) : crmKeyOfId.get(f.get(2)));
      }
    }
    assertThat(boughtBefore).isEqualTo(truthKeys);
    Set<String> keys = new HashSet<>();
    listed.values().forEach(m -> keys.addAll(m.values()));
    assertThat(keys).containsAll(truthKeys);
    for (String key : keys) {
      assertThat(truthKeys.contains(key) || !boughtBefore.contains(key)).as(key).isTrue();
    }
    assertThat(keys).isEqualTo(customerKeys);
  }

  // ---- the manifest ------------------------------------------------------------------------------

  @Test
  void manifestEligibleAndMatchableRowsEqualARecountFromTheFiles() throws IOException {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (String name : SOURCES) {
      Set<String> seen = new HashSet<>();
      long eligible = 0;
      long matchable = 0;
      for (Line l : wellFormed(name)) {
        if (l.test() || !seen.add(l.text())) {
          continue;
        }
        eligible++;
        for (Object[] id : IDENTIFIERS.get(name)) {
          String value = l.fields().get((Integer) id[1]).strip();
          if (!value.isEmpty()) {
            matchable += listed.getOrDefault((String) id[0], Map.of()).containsKey(value) ? 1 : 0;
            break;
          }
        }
      }
      counts.put(name, new long[] {eligible, matchable});
      Map<String, Object> entry = fileEntry(name);
      assertThat(entry.keySet()).as(name).containsExactly("rows", "eligible_rows", "matchable_rows", "mess");
      assertThat(number(entry, "eligible_rows")).as(name + " eligible").isEqualTo(eligible);
      assertThat(number(entry, "matchable_rows")).as(name + " matchable").isEqualTo(matchable);
      assertThat(eligible).as(name).isPositive().isLessThanOrEqualTo(number(entry, "rows"));
    }
    assertThat(fileEntry("truth/identities.csv").keySet()).containsExactly("rows", "mess");
    assertThat(fileEntry("truth/return_probability.csv").keySet()).containsExactly("rows", "mess");

    for (String name : List.of("invoices.csv", "support_tickets.json", "web_analytics.csv", "customers.csv")) {
      assertThat(ratio(counts.get(name))).as(name).isGreaterThan(0.95);
    }
    assertThat(ratio(counts.get("marketing_events.csv"))).as("non-customer subscribers").isLessThan(1.0)
        .isGreaterThan(0.8);
    assertThat(counts.get("press_releases.csv")[1]).isZero();
    assertThat(counts.get("site_categories.csv")[0] - counts.get("site_categories.csv")[1])
        .as("the free-mail domains").isEqualTo(4);
    long invoiceRows = number(fileEntry("invoices.csv"), "rows");
    Map<String, Object> mess = SampleGeneratorTest.asMap(fileEntry("invoices.csv").get("mess"));
    long malformed = 0;
    for (String kind : List.of("wrong_field_count", "bad_date", "bad_number", "missing_required")) {
      malformed += ((BigDecimal) mess.get(kind)).longValue();
    }
    assertThat(counts.get("invoices.csv")[0]).as("rows - malformed - duplicates - test lines").isEqualTo(invoiceRows
        - malformed - ((BigDecimal) mess.get("duplicates")).longValue() - ((BigDecimal) mess.get("test_lines"))
        .longValue());
  }

  // ---- the builder ---------------------------------------------------------------------------

  @Test
  void aValueOfTwoAccountsFailsGenerationNamingTheValue() {
    SourceFile a = keyed("a.csv", new MessyFile.Row(new String[] {"jane@acme.com"}, 0, "acme.com"));
    SourceFile b = keyed("b.csv", new MessyFile.Row(new String[] {" jane@acme.com "}, 0, "other.com"));
    assertThatThrownBy(() -> Identities.build(List.of(a, b))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("jane@acme.com").hasMessageContaining("acme.com").hasMessageContaining("other.com");

    SourceFile nobody = keyed("c.csv", new MessyFile.Row(new String[] {"jane@acme.com"}, 0, null));
    assertThatThrownBy(() -> Identities.build(List.of(a, nobody))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("jane@acme.com");
  }

  @Test
  void builderStripsValuesSkipsTestRowsAndCountsDistinctLines() {
    SourceFile f = keyed("a.csv",
        new MessyFile.Row(new String[] {" Jane@Acme.com"}, 0, "acme.com"),
        new MessyFile.Row(new String[] {" Jane@Acme.com"}, 0, "acme.com"),
        new MessyFile.Row(new String[] {"jane@acme.com"}, 0, "acme.com"),
        new MessyFile.Row(new String[] {"qa@customervalue-internal.com"}, Emails.FLAG_TEST, null),
        new MessyFile.Row(new String[] {"maker1@gmail.com"}, Emails.FLAG_NON_CUSTOMER, null));
    Identities.Result r = Identities.build(List.of(f));
    assertThat(r.file().lines()).containsExactly("email,Jane@Acme.com,acme.com", "email,jane@acme.com,acme.com");
    assertThat(r.counts().get("a.csv")).isEqualTo(new Identities.Counts(3, 2));
  }

  private static SourceFile keyed(String name, MessyFile.Row... rows) {
    List<String> lines = new ArrayList<>();
    for (MessyFile.Row row : rows) {
      lines.add(Text.csv(row.fields()));
    }
    return new SourceFile(name, "Email", lines, new LinkedHashMap<>(),
        new Identities.Keyed(Identities.Columns.of(Identities.EMAIL, 0), List.of(rows), lines));
  }

  // ---- re-parsing ---------------------------------------------------------------------------

  /** A well-formed data line as written, its fields (tickets: the customer e-mail) and whether it is a test order. */
  record Line(String text, List<String> fields, boolean test) {}

  private static final Map<String, SampleFiles.Layout> LAYOUTS = new HashMap<>();

  private static SampleFiles.Layout layout(String name, List<String> header) {
    return LAYOUTS.computeIfAbsent(name, n -> switch (n) {
      case "invoices.csv" -> new SampleFiles.Layout(header, new int[] {0, 1, 6, 9, 10}, new int[] {1},
          SampleFiles.DATE_TIME, new int[] {9, 10, 11});
      case "customers.csv" -> new SampleFiles.Layout(header, new int[] {0}, new int[0], null, new int[] {9, 10, 11});
      case "web_analytics.csv" -> new SampleFiles.Layout(header, new int[] {0, 1, 3}, new int[] {0},
          SampleFiles.COMPACT, new int[] {3, 4});
      case "marketing_events.csv" -> new SampleFiles.Layout(header, new int[] {0, 1, 3}, new int[] {3},
          SampleFiles.DATE_TIME, new int[0]);
      case "press_releases.csv" -> new SampleFiles.Layout(header, new int[] {0, 1}, new int[] {0}, SampleFiles.DATE,
          new int[0]);
      case "site_categories.csv" -> new SampleFiles.Layout(header, new int[] {0, 1}, new int[0], null,
          new int[] {2});
      default -> throw new IllegalArgumentException(n);
    });
  }

  private static List<Line> wellFormed(String name) throws IOException {
    List<String> raw = Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8);
    List<Line> out = new ArrayList<>(raw.size());
    if (name.endsWith(".json")) {
      for (String line : raw) {
        Map<String, Object> t;
        try {
          t = SampleGeneratorTest.asMap(SampleFiles.json(line));
        } catch (RuntimeException e) {
          continue;
        }
        Object customer = t.get("customer");
        Object email = customer instanceof Map<?, ?> m ? m.get("email") : null;
        if (t.containsKey("id") && SampleFiles.isInstant(t.get("createdAt")) && email instanceof String s
            && !s.isEmpty()) {
          out.add(new Line(line, List.of(s), false));
        }
      }
      return out;
    }
    List<List<String>> records = SampleFiles.csv(dir.resolve(name));
    assertThat(records).as(name + ": one record per line").hasSameSizeAs(raw);
    SampleFiles.Layout layout = layout(name, records.get(0));
    for (int i = 1; i < records.size(); i++) {
      List<String> r = records.get(i);
      if (SampleFiles.problem(layout, r) == null) {
        out.add(new Line(raw.get(i), r, name.equals("invoices.csv") && r.get(13).equals("test")));
      }
    }
    return out;
  }

  private static Map<String, Object> fileEntry(String name) {
    return SampleGeneratorTest.asMap(SampleGeneratorTest.asMap(manifest.get("files")).get(name));
  }

  private static long number(Map<String, Object> entry, String key) {
    return ((BigDecimal) entry.get(key)).longValue();
  }

  private static double ratio(long[] eligibleMatchable) {
    return (double) eligibleMatchable[1] / eligibleMatchable[0];
  }
}
