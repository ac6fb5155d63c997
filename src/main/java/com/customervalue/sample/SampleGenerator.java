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
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
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
   * <p>With {@code spec.parts()} above 1 the accounts are simulated in that many consecutive slices,
   * one at a time, and each source becomes a folder of part files ({@code invoices.csv/part-00000.csv},
   * ...), which Spark reads as one source under the same path. Each account's history is the one a
   * single-file run draws; what is drawn per file (render choices, test orders, prospects, mess) is
   * drawn per part from a seed of its own, invoice numbers and ticket ids of part k start at k x
   * 100,000,000 above part 0's, and the press releases are written once, in part 0. The
   * manifest sums the counts of the parts (its {@code duplicates} count lines repeated within a part)
   * and the oracle's figures are computed over every account.
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

    Path dir = spec.outputDir();
    Files.createDirectories(dir.resolve("truth"));
    int parts = spec.parts();
    Map<String, Manifest.FileTotal> totals = new LinkedHashMap<>();
    Map<String, Identities.Counts> counts = new LinkedHashMap<>();
    List<List<double[]>> scored = new ArrayList<>();
    for (int k = 0; k < truthDates.size(); k++) {
      scored.add(new ArrayList<>());
    }
    Manifest.Latent latent = new Manifest.Latent();
    for (int part = 0; part < parts; part++) {
      List<Population.Account> slice = accounts.subList((int) ((long) accounts.size() * part / parts),
          (int) ((long) accounts.size() * (part + 1) / parts));
      List<History> histories = new ArrayList<>(slice.size());
      for (Population.Account a : slice) {
        histories.add(simulation.run(a));
      }
      long fileSeed = part == 0 ? seed : Streams.mix(seed ^ Streams.mix(part));
      List<SourceFile> files = new ArrayList<>();
      files.add(InvoiceFile.build(fileSeed, cal, histories, part));
      files.add(CustomerFile.build(fileSeed, slice));
      files.add(TicketFile.build(fileSeed, cal, histories, part));
      files.add(ActivityFiles.web(fileSeed, cal, histories));
      files.add(ActivityFiles.marketing(fileSeed, cal, histories));
      if (part == 0) {
        files.add(SmallFiles.press(seed, cal, releases));
      }
      files.add(SmallFiles.siteCategories(fileSeed, slice));
      files.add(truth(spec, truthDates, histories, scored));
      Identities.Result identities = Identities.build(files);
      files.add(identities.file());
      identities.counts().forEach((name, c) -> counts.merge(name, c,
          (a, b) -> new Identities.Counts(a.eligible() + b.eligible(), a.matchable() + b.matchable())));

      for (SourceFile f : files) {
        write(target(dir, f.name(), part, parts), f.header(), f.lines());
        totals.computeIfAbsent(f.name(), Manifest.FileTotal::new).add(f);
      }
      latent.add(spec, histories);
      if (parts > 1) {
        log.info("part {} of {}: {} accounts, {} data rows in {} files", part + 1, parts, slice.size(),
            files.stream().mapToLong(SourceFile::rows).sum(), files.size());
      }
    }
    List<Oracle> oracles = new ArrayList<>();
    for (int k = 0; k < truthDates.size(); k++) {
      oracles.add(oracle(truthDates.get(k), scored.get(k)));
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    totals.forEach((name, t) -> {
      rows.put(name, t.rows);
      log.info("wrote {} data rows to {}{}", t.rows, name,
          parts == 1 ? "" : name.equals(SmallFiles.PRESS_NAME) ? " in one part" : " in " + parts + " parts");
    });
    String manifest = Manifest.json(spec, truthDates, List.copyOf(totals.values()), counts, oracles, latent);
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

  /** The truth file of one part's accounts; their (p_return, returned) pairs go to {@code scored}, per date. */
  private static SourceFile truth(SampleSpec spec, List<LocalDate> dates, List<History> histories,
                                  List<List<double[]>> scored) {
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < dates.size(); k++) {
      String asOf = Text.DATE.format(dates.get(k));
      for (History h : histories) {
        if (Double.isNaN(h.pReturn[k])) {
          continue;
        }
        String p = Text.fixed(h.pReturn[k], 6);
        lines.add(Text.csv(h.account.accountId(), h.account.accountKey(), asOf, Integer.toString(spec.horizonDays()), p,
            h.returned[k] ? "1" : "0"));
        scored.get(k).add(new double[] {Double.parseDouble(p), h.returned[k] ? 1 : 0});
      }
    }
    return new SourceFile(TRUTH_NAME, Text.csv(TRUTH_HEADER), lines, new LinkedHashMap<>());
  }

  private static Oracle oracle(LocalDate asOf, List<double[]> scored) {
    long returned = scored.stream().filter(s -> s[1] == 1).count();
    double meanP = scored.stream().mapToDouble(s -> s[0]).average().orElse(Double.NaN);
    return new Oracle(asOf, scored.size(), returned, meanP, rocAuc(scored));
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

  /**
   * Where a file goes: {@code dir/name} for a single-part sample, else part {@code part} in the folder
   * {@code dir/name}. Whatever an earlier run left at {@code dir/name} (a file, or a folder of part files)
   * is removed before the first part is written.
   */
  static Path target(Path dir, String name, int part, int parts) throws IOException {
    Path path = dir.resolve(name);
    if (part == 0) {
      clear(path);
    }
    if (parts == 1) {
      return path;
    }
    Files.createDirectories(path);
    String extension = name.substring(name.lastIndexOf('.'));
    return path.resolve(String.format(Locale.ROOT, "part-%05d%s", part, extension));
  }

  private static void clear(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      try (Stream<Path> children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          String file = child.getFileName().toString();
          if (!file.startsWith("part-") && !file.startsWith(".part-")) {
            throw new IOException("Refusing to replace " + path + ": it is a folder holding " + file
                + ", which is not a part file this generator writes");
          }
          Files.delete(child);
        }
      }
      Files.delete(path);
    } else {
      Files.deleteIfExists(path);
    }
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
