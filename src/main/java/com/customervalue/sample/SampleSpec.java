package com.customervalue.sample;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to generate: where, how many accounts, how many years from which start date, the seed, and
 * the truth dates and horizon of the return-probability oracle.
 *
 * @param outputDir   folder the files are written to (created if missing; files overwritten)
 * @param customers   number of accounts (companies or free-mail individuals), at least 10
 * @param years       length of the simulated period {@code [startDate, startDate + years)}, 1..10
 * @param seed        seed of every random draw; the same spec gives byte-identical files
 * @param startDate   first day of the period
 * @param horizonDays oracle horizon: return means a paid invoice in {@code [as_of, as_of + horizonDays)}, 1..730
 * @param truthAsOf   oracle dates; empty means one date, the period's last day minus {@code horizonDays}.
 *                    Every date must be after {@code startDate} and its horizon must end inside the period.
 * @param parts       1 writes each source as one file; N > 1 simulates the accounts in N slices, one at a
 *                    time, and writes each source as a folder of N part files, so that the generator's memory
 *                    is that of one slice (see {@link SampleGenerator#generate})
 */
public record SampleSpec(Path outputDir, int customers, int years, long seed, LocalDate startDate, int horizonDays,
                         List<LocalDate> truthAsOf, int parts) {

  /** Most part files per source; a part numbers its invoices and tickets in a range of its own. */
  public static final int MAX_PARTS = 1000;

  /** A spec written as single files. */
  public SampleSpec(Path outputDir, int customers, int years, long seed, LocalDate startDate, int horizonDays,
                    List<LocalDate> truthAsOf) {
    this(outputDir, customers, years, seed, startDate, horizonDays, truthAsOf, 1);
  }

  public SampleSpec {
    if (outputDir == null) {
      throw invalid("outputDir must not be null");
    }
    if (startDate == null) {
      throw invalid("startDate must not be null");
    }
    if (truthAsOf == null) {
      throw invalid("truthAsOf must not be null (use an empty list for the default date)");
    }
    if (customers < 10) {
      throw invalid("customers must be at least 10, got " + customers);
    }
    if (years < 1 || years > 10) {
      throw invalid("years must be between 1 and 10, got " + years);
    }
    if (parts < 1 || parts > MAX_PARTS || parts > customers / 10) {
      throw invalid("parts must be between 1 and " + MAX_PARTS + " with at least 10 accounts per part, got " + parts
          + " for " + customers + " accounts");
    }
    if (horizonDays < 1 || horizonDays > 730) {
      throw invalid("horizonDays must be between 1 and 730, got " + horizonDays);
    }
    Set<LocalDate> seen = new HashSet<>();
    for (LocalDate d : truthAsOf) {
      if (d == null) {
        throw invalid("truthAsOf must not contain null, got " + truthAsOf);
      }
      if (!seen.add(d)) {
        throw invalid("truthAsOf must not repeat a date, got " + d + " twice");
      }
    }
    truthAsOf = List.copyOf(truthAsOf);
    LocalDate end = startDate.plusYears(years);
    if (truthAsOf.isEmpty()) {
      LocalDate d = end.minusDays(1).minusDays(horizonDays);
      if (!d.isAfter(startDate)) {
        throw invalid("horizonDays=" + horizonDays + " leaves no default truth date in the " + years
            + "-year period [" + startDate + ", " + end + "): the last day minus the horizon is " + d);
      }
    }
    for (LocalDate d : truthAsOf) {
      if (!d.isAfter(startDate) || d.plusDays(horizonDays).isAfter(end)) {
        throw invalid("truthAsOf date " + d + " with horizonDays=" + horizonDays
            + " must be after startDate and end within the period [" + startDate + ", " + end + ")");
      }
    }
  }

  /** First day after the period. */
  public LocalDate endDate() {
    return startDate.plusYears(years);
  }

  /** The oracle dates actually used: {@link #truthAsOf()}, or the default date when it is empty. */
  public List<LocalDate> effectiveTruthAsOf() {
    return truthAsOf.isEmpty() ? List.of(endDate().minusDays(1).minusDays(horizonDays)) : truthAsOf;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("Invalid sample spec: " + why);
  }
}
