package com.customervalue.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted effects are visible in the generated files: accounts are resolved from the raw
 * files the way the pipeline would (customer id, else normalised email / registrable domain),
 * features are taken strictly before the truth date, and outcomes come from the truth file.
 */
class SampleGeneratorEffectsTest {
  private static final LocalDate AS_OF = LocalDate.of(2016, 1, 1);
  private static final Set<String> NORTH_EAST = Set.of("NY", "MA", "CT", "PA", "NJ", "RI", "NH", "VT", "ME");
  private static final Set<String> TOP_TIER_INDUSTRIES = Set.of("retail", "consulting", "events");

  @TempDir
  static Path dir;
  private static final Map<String, Acct> accounts = new HashMap<>();
  private static final List<LocalDateTime> paidInvoiceTimes = new ArrayList<>();
  private static final List<LocalDate[]> pressWindows = new ArrayList<>();
  private static final List<LocalDate> newProcessDays = new ArrayList<>();

  /** What the test knows about one account. */
  static final class Acct {
    String industry = "";
    String state = "";
    double km = Double.NaN;
    boolean augustBefore;
    boolean slsBefore;
    double amountBefore;
    final Set<String> invoicesBefore = new HashSet<>();
    final Set<String> invoices = new HashSet<>();
    boolean license;
    boolean tier3;
    int tickets;
    boolean eligible;
    double p;
    boolean returned;
  }

  @BeforeAll
  static void generateLargeSample() throws IOException {
    SampleGenerator.generate(new SampleSpec(dir, 3000, 3, 2024L, LocalDate.of(2014, 1, 1), 365, List.of()));
    Map<String, String> idToKey = new HashMap<>();
    for (List<String> r : rows("customers.csv", 12)) {
      if (r.get(0).isEmpty()) {
        continue;
      }
      String key = SampleFiles.accountKey(r.get(3));
      idToKey.put(r.get(0), key);
      Acct a = accounts.computeIfAbsent(key, k -> new Acct());
      if (!r.get(5).isEmpty()) {
        a.industry = r.get(5);
      }
      a.state = r.get(7);
      try {
        a.km = SampleFiles.distanceKm(42.3314, -83.0458, Double.parseDouble(r.get(9)), Double.parseDouble(r.get(10)));
      } catch (NumberFormatException malformed) {
        // a quarantined copy; the well-formed row of the same contact sets the distance
      }
    }
    Set<String> seenInvoices = new HashSet<>();
    for (List<String> r : rows("invoices.csv", 14)) {
      if (!r.get(13).equals("paid") || r.get(0).isEmpty() || r.get(6).isEmpty() || !SampleFiles.isNumber(r.get(11))) {
        continue;
      }
      LocalDateTime time;
      try {
        time = SampleFiles.dateTime(r.get(1));
      } catch (RuntimeException malformed) {
        continue;
      }
      String key = r.get(2).isEmpty() ? SampleFiles.accountKey(r.get(5)) : idToKey.get(r.get(2));
      Acct a = accounts.get(key);
      assertThat(a).as("invoice line resolves to a customer: " + r).isNotNull();
      a.invoices.add(r.get(0));
      a.license |= !r.get(8).isEmpty();
      a.tier3 |= r.get(8).equals("3");
      if (seenInvoices.add(r.get(0))) {
        paidInvoiceTimes.add(time);
      }
      if (time.toLocalDate().isBefore(AS_OF)) {
        a.augustBefore |= time.getMonthValue() == 8;
        a.slsBefore |= r.get(7).equals("SLS");
        a.amountBefore += Double.parseDouble(r.get(11));
        a.invoicesBefore.add(r.get(0));
      }
    }
    for (String line : Files.readAllLines(dir.resolve("support_tickets.json"))) {
      try {
        Object email = SampleGeneratorTest.asMap(SampleGeneratorTest.asMap(SampleFiles.json(line)).get("customer"))
            .get("email");
        Acct a = accounts.get(SampleFiles.accountKey((String) email));
        a.tickets++;
      } catch (RuntimeException malformed) {
        // quarantined rows are copies of well-formed tickets
      }
    }
    for (List<String> r : rows("truth/return_probability.csv", 6)) {
      Acct a = accounts.get(r.get(1));
      assertThat(a).as("truth key resolves: " + r.get(1)).isNotNull();
      a.eligible = true;
      a.p = Double.parseDouble(r.get(4));
      a.returned = r.get(5).equals("1");
    }
    for (List<String> r : rows("press_releases.csv", 3)) {
      try {
        LocalDate d = SampleFiles.date(r.get(0));
        pressWindows.add(new LocalDate[] {d, d.plusDays(30)});
        if (r.get(2).equals("new-process")) {
          newProcessDays.add(d);
        }
      } catch (RuntimeException malformed) {
        // skip
      }
    }
  }

  private static List<List<String>> rows(String name, int fields) throws IOException {
    List<List<String>> all = SampleFiles.csv(dir.resolve(name));
    return all.subList(1, all.size()).stream().filter(r -> r.size() == fields).toList();
  }

  @Test
  void everyPastCustomerIsInTheTruthAndOnlyThose() {
    for (Acct a : accounts.values()) {
      assertThat(a.eligible).isEqualTo(!a.invoicesBefore.isEmpty());
    }
  }

  @Test
  void augustBuyersReturnMoreOften() {
    assertThat(returnRate(a -> a.augustBefore)).isGreaterThan(returnRate(a -> !a.augustBefore) + 0.05);
  }

  @Test
  void slsBuyersReturnMoreOften() {
    assertThat(returnRate(a -> a.slsBefore)).isGreaterThan(returnRate(a -> !a.slsBefore) + 0.05);
  }

  @Test
  void accountsNearTheOfficeReturnMoreOften() {
    assertThat(returnRate(a -> a.km < 300)).isGreaterThan(returnRate(a -> a.km >= 300) + 0.05);
  }

  @Test
  void largerAverageOrdersReturnMoreOften() {
    List<Double> averages = new ArrayList<>();
    for (Acct a : accounts.values()) {
      if (a.eligible) {
        averages.add(a.amountBefore / a.invoicesBefore.size());
      }
    }
    averages.sort(Double::compare);
    double median = averages.get(averages.size() / 2);
    Predicate<Acct> large = a -> a.amountBefore / a.invoicesBefore.size() >= median;
    assertThat(returnRate(large)).isGreaterThan(returnRate(large.negate()) + 0.03);
  }

  @Test
  void aerospaceAndMedicalReturnMoreOftenThanEducation() {
    assertThat(returnRate(a -> a.industry.equals("aerospace") || a.industry.equals("medical")))
        .isGreaterThan(returnRate(a -> a.industry.equals("education")) + 0.1);
  }

  @Test
  void topTierShareIsHigherInRetailConsultingEventsAndInAlaskaOrTheNorthEast() {
    double overall = tier3Share(a -> true);
    assertThat(overall).isBetween(0.18, 0.32);
    assertThat(tier3Share(a -> TOP_TIER_INDUSTRIES.contains(a.industry)))
        .isGreaterThan(2 * tier3Share(a -> !a.industry.isEmpty() && !TOP_TIER_INDUSTRIES.contains(a.industry)));
    Predicate<Acct> region = a -> a.state.equals("AK") || NORTH_EAST.contains(a.state);
    assertThat(tier3Share(region)).isGreaterThan(2 * tier3Share(region.negate()));
  }

  @Test
  void licenseBuyersOpenMoreTicketsPerInvoice() {
    double license = ticketsPerInvoice(a -> a.license);
    double other = ticketsPerInvoice(a -> !a.license);
    assertThat(license).isGreaterThan(1.5 * other);
  }

  @Test
  void ordersArePlacedMoreOftenInTheMonthAfterANewProcessRelease() {
    Map<LocalDate, Integer> perDay = new HashMap<>();
    for (LocalDateTime t : paidInvoiceTimes) {
      perDay.merge(t.toLocalDate(), 1, Integer::sum);
    }
    double after = 0;
    int afterDays = 0;
    double quiet = 0;
    int quietDays = 0;
    // From the second year on, so the growing customer base matters less than the releases.
    for (LocalDate d = LocalDate.of(2015, 1, 1); d.isBefore(LocalDate.of(2017, 1, 1)); d = d.plusDays(1)) {
      if (d.getDayOfWeek().getValue() >= 6) {
        continue;
      }
      LocalDate day = d;
      boolean newProcess = newProcessDays.stream().anyMatch(r -> !day.isBefore(r) && day.isBefore(r.plusDays(30)));
      boolean anyRelease = pressWindows.stream().anyMatch(w -> !day.isBefore(w[0]) && day.isBefore(w[1]));
      if (newProcess) {
        after += perDay.getOrDefault(d, 0);
        afterDays++;
      } else if (!anyRelease) {
        quiet += perDay.getOrDefault(d, 0);
        quietDays++;
      }
    }
    assertThat(afterDays).isPositive();
    assertThat(quietDays).isPositive();
    assertThat(after / afterDays).isGreaterThan(1.2 * quiet / quietDays);
  }

  @Test
  void oracleSeparatesReturnersAndIsCalibrated() {
    List<double[]> scored = new ArrayList<>();
    double sumReturned = 0;
    double sumOther = 0;
    int returned = 0;
    for (Acct a : accounts.values()) {
      if (!a.eligible) {
        continue;
      }
      scored.add(new double[] {a.p, a.returned ? 1 : 0});
      if (a.returned) {
        sumReturned += a.p;
        returned++;
      } else {
        sumOther += a.p;
      }
    }
    int other = scored.size() - returned;
    assertThat(sumReturned / returned).isGreaterThan(sumOther / other + 0.3);
    assertThat(SampleFiles.auc(scored)).isGreaterThan(0.8);
    double meanP = scored.stream().mapToDouble(s -> s[0]).average().orElseThrow();
    assertThat(meanP).as("mean p_return matches the observed return rate").isCloseTo(
        (double) returned / scored.size(), Offset.offset(0.03));
  }

  private static double returnRate(Predicate<Acct> group) {
    int n = 0;
    int returned = 0;
    for (Acct a : accounts.values()) {
      if (a.eligible && group.test(a)) {
        n++;
        returned += a.returned ? 1 : 0;
      }
    }
    assertThat(n).as("group size").isGreaterThan(50);
    return (double) returned / n;
  }

  private static double tier3Share(Predicate<Acct> group) {
    int license = 0;
    int tier3 = 0;
    for (Acct a : accounts.values()) {
      if (a.license && group.test(a)) {
        license++;
        tier3 += a.tier3 ? 1 : 0;
      }
    }
    assertThat(license).as("license buyers in group").isGreaterThan(30);
    return (double) tier3 / license;
  }

  private static double ticketsPerInvoice(Predicate<Acct> group) {
    double tickets = 0;
    double invoices = 0;
    for (Acct a : accounts.values()) {
      if (group.test(a)) {
        tickets += a.tickets;
        invoices += a.invoices.size();
      }
    }
    return tickets / invoices;
  }
}
