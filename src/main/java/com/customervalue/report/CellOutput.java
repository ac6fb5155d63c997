package com.customervalue.report;

import java.util.Objects;
import java.util.Optional;

/**
 * A cell and, for a SQL cell that ran, what it returned.
 *
 * @param cell the notebook cell
 * @param result the query result; empty for markdown cells and for SQL cells that were not run
 */
public record CellOutput(Cell cell, Optional<CellResult> result) {

  public CellOutput {
    Objects.requireNonNull(cell, "cell");
    Objects.requireNonNull(result, "result");
    if (!cell.isSql() && result.isPresent()) {
      throw new IllegalArgumentException("markdown cell " + cell.number() + " cannot have a result");
    }
  }

  /** A markdown cell, or a SQL cell that was not run. */
  public static CellOutput of(Cell cell) {
    return new CellOutput(cell, Optional.empty());
  }

  /** A SQL cell and its result. */
  public static CellOutput of(Cell cell, CellResult result) {
    return new CellOutput(cell, Optional.of(result));
  }
}
