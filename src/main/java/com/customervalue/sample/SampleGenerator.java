package com.customervalue.sample;

import com.customervalue.sample.Simulation.History;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the embedded sample: seven raw sources of an engineering firm selling 3D printing and
 * simulation licenses, plus the oracle truth and a manifest of every planted mess count. See the
 * package documentation for the model, the planted effects and the mess rates.
 */
public final class SampleGenerator {
  private static final Logger log = LoggerFactory.getLogger(SampleGenerator.class);

  static final String TRUTH_NAME = "truth/return_probability.csv";
  static final String MANIFEST_NAME = "truth/manifest.json";
  static final String[] TRUTH_HEADER = {"account_id", "account_key", "as_of", "horizon_days", "p_return", "returned"};

  private SampleGenerator() {}

  /**
   * Generates every file of the sample into {@code spec.outputDir()}, replacing files already there.
   *
   * @return data rows written per file
   * @throws IOException when a file cannot be written
   */
  public static SampleSummary generate(SampleSpec spec) throws IOException {
    long started = System.nanoTime();
    long seed = spec.seed();
    SimCalendar cal = new SimCalendar(spec.startDate(), spec.years());
    List<LocalDate> truthDates = spec.effectiveTruthAsOf();
    List<Integer> truthDays = new ArrayList<>();
    for (LocalDate d : truthDates) {
      truthDays.add(cal.index(d));
    }

    List<Population.Account> accounts = Population.build(seed, spec.customers(), cal);
    List<PressReleases.Release> releases = PressReleases.build(seed, cal, accounts);
    Simulation simulation = new Simulation(seed, cal, PressReleases.rateLog(releases, cal.days), truthDays,
        spec.horizonDays());
    List<History> histories = new ArrayList<>(accounts.size());
    for (Population.Account a : accounts) {
      histories.add(simulation.run(a));
    }

    List<SourceFile> files = new ArrayList<>();
    files.add(InvoiceFile.build(seed, cal, histories));
    files.add(CustomerFile.build(seed, accounts));
    files.add(TicketFile.build(seed, cal, histories));
    files.add(ActivityFiles.web(seed, cal, histories));
    files.add(ActivityFiles.marketing(seed, cal, histories));
    files.add(SmallFiles.press(seed, cal, releases));
    files.add(SmallFiles.siteCategories(seed, accounts));
    List<Oracle> oracles = new ArrayList<>();
    files.add(truth(spec, truthDates, histories, oracles));
    Identities.Result identities = Identities.build(files);
    files.add(identities.file());

    Path dir = spec.outputDir();
    Files.createDirectories(dir.resolve("truth"));
    Map<String, Long> rows = new LinkedHashMap<>();
    for (SourceFile f : files) {
      write(dir.resolve(f.name()), f.header(), f.lines());
      rows.put(f.name(), f.rows());
      log.info("wrote {} data rows to {}", f.rows(), f.name());
    }
    String manifest = Manifest.json(spec, truthDates, files, identities.counts(), oracles, histories);
    Files.writeString(dir.resolve(MANIFEST_NAME), manifest, StandardCharsets.UTF_8);
    for (Oracle o : oracles) {
      log.info("oracle for as_of {}: {} accounts, {} returned, ROC-AUC {}", o.asOf(), o.accounts(), o.returned(),
          Text.fixed(o.rocAuc(), 4));
    }
    log.info("generated sample of {} accounts over {} years (seed {}) in {} ms into {}", spec.customers(),
        spec.years(), seed, (System.nanoTime() - started) / 1_000_000, dir);
    return new SampleSummary(dir, rows);
  }

  /** Oracle summary of one truth date. */
  record Oracle(LocalDate asOf, long accounts, long returned, double meanP, double rocAuc) {}

  private static SourceFile truth(SampleSpec spec, List<LocalDate> dates, List<History> histories, List<Oracle> out) {
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < dates.size(); k++) {
      String asOf = Text.DATE.format(dates.get(k));
      List<double[]> scored = new ArrayList<>();
      for (History h : histories) {
        if (Double.isNaN(h.pReturn[k])) {
          continue;
        }
        String p = Text.fixed(h.pReturn[k], 6);
        lines.add(Text.csv(h.account.accountId(), h.account.accountKey(), asOf, Integer.toString(spec.horizonDays()), p,
            h.returned[k] ? "1" : "0"));
        scored.add(new double[] {Double.parseDouble(p), h.returned[k] ? 1 : 0});
      }
      long returned = scored.stream().filter(s -> s[1] == 1).count();
      double meanP = scored.stream().mapToDouble(s -> s[0]).average().orElse(Double.NaN);
      out.add(new Oracle(dates.get(k), scored.size(), returned, meanP, rocAuc(scored)));
    }
    return new SourceFile(TRUTH_NAME, Text.csv(TRUTH_HEADER), lines, new LinkedHashMap<>());
  }

  /** ROC-AUC of score {@code s[0]} against label {@code s[1]}, ties counted half (Mann-Whitney). */
  static double rocAuc(List<double[]> scored) {
    double[][] a = scored.toArray(new double[0][]);
    Arrays.sort(a, (x, y) -> Double.compare(x[0], y[0]));
    double rankSumPositive = 0;
    long positives = 0;
    int i = 0;
    while (i < a.length) {
      int j = i;
      while (j < a.length && a[j][0] == a[i][0]) {
        j++;
      }
      double midRank = (i + 1 + j) / 2.0;
      for (int t = i; t < j; t++) {
        if (a[t][1] == 1) {
          rankSumPositive += midRank;
          positives++;
        }
      }
      i = j;
    }
    long negatives = a.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  private static void write(Path path, String header, List<String> lines) throws IOException {
    try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      if (header != null) {
        w.write(header);
        w.write('\n');
      }
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
  }
}
