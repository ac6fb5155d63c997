package com.customervalue.job;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What identifies one execution of a job.
 *
 * @param runId the run's id; re-running with the same id replaces that run's rows
 * @param asOf the as_of date for jobs that take one
 * @param startedAt when the run started; stamped on every row it writes
 */
public record RunContext(String runId, Optional<LocalDate> asOf, Instant startedAt) {
  /** Run ids end up in table conditions and paths, so they are kept to a safe alphabet. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:\\-]{0,99}");

  public RunContext {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id '" + runId
          + "' must be 1-100 letters, digits, '_', '.', ':' or '-', starting with a letter or digit");
    }
  }

  public Timestamp startedAtTimestamp() {
    return Timestamp.from(startedAt);
  }
}
