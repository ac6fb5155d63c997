package com.customervalue.config;

import java.util.Optional;

/**
 * The report job's settings.
 *
 * @param notebooksDir folder of the exported SQL notebooks; empty = the notebooks built into the jar
 * @param output where the HTML file goes; empty = {@code <warehouse root>/report/report.html}
 * @param maxRows rows of each query result shown in the report
 * @param topAtRisk accounts in the top-accounts-at-risk insight
 */
public record ReportSettings(Optional<String> notebooksDir, Optional<String> output, int maxRows, int topAtRisk) {}
