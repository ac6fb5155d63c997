package com.customervalue.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job wrote.
 *
 * @param job the job's name
 * @param rowsWritten table -> rows this run wrote to it, in write order
 * @param report lines the CLI prints after the table summary (e.g. the train job's model figures)
 */
public record JobResult(String job, Map<String, Long> rowsWritten, List<String> report) {
  public JobResult {
    rowsWritten = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rowsWritten));
    report = List.copyOf(report);
  }

  public JobResult(String job, Map<String, Long> rowsWritten) {
    this(job, rowsWritten, List.of());
  }
}
