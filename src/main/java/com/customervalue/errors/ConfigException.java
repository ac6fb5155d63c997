package com.customervalue.errors;

import java.util.List;

/** The configuration or the command line is wrong; found before Spark starts. Exit code 2. */
public final class ConfigException extends CustomerValueException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  ConfigException(List<String> problems) {
    super(problems.size() == 1
        ? "Invalid configuration: " + problems.get(0)
        : "Invalid configuration (" + problems.size() + " problems):\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own, e.g. for tests. */
  public List<String> problems() {
    return problems;
  }
}
