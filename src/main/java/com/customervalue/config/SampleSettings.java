package com.customervalue.config;

import java.time.LocalDate;
import java.util.List;

/**
 * Defaults of the {@code generate-sample} command.
 *
 * @param outputDir folder the sample files are written to
 * @param customers number of accounts to simulate
 * @param years years of history
 * @param startDate first simulated day
 * @param seed random seed
 * @param truthAsOf as_of dates of the oracle return probabilities; empty = one default date
 */
public record SampleSettings(
    String outputDir, int customers, int years, LocalDate startDate, long seed, List<LocalDate> truthAsOf) {
  public SampleSettings {
    truthAsOf = List.copyOf(truthAsOf);
  }
}
