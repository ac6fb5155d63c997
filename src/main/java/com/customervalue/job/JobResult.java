package com.customervalue.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a job wrote.
 *
 * @param job the job's name
 * @param rowsWritten table -> rows this run wrote to it, in write order
 */
public record JobResult(String job, Map<String, Long> rowsWritten) {
  public JobResult {
    rowsWritten = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rowsWritten));
  }
}
