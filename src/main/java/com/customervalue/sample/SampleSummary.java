package com.customervalue.sample;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link SampleGenerator#generate} wrote.
 *
 * @param outputDir   the folder written to
 * @param rowsPerFile data lines per file (header excluded, malformed and duplicate lines included),
 *                    keyed by path relative to {@code outputDir}, in the order the files were written
 */
public record SampleSummary(Path outputDir, Map<String, Long> rowsPerFile) {

  public SampleSummary {
    rowsPerFile = Collections.unmodifiableMap(new LinkedHashMap<>(rowsPerFile));
  }
}
