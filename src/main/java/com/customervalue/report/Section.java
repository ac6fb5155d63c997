package com.customervalue.report;

import java.util.List;
import java.util.Objects;

/**
 * One notebook's part of the report.
 *
 * @param notebook the notebook's name, shown as the section heading and in the table of contents
 * @param cells its cells in order, with the results of the SQL cells
 */
public record Section(String notebook, List<CellOutput> cells) {

  public Section {
    Objects.requireNonNull(notebook, "notebook");
    cells = List.copyOf(cells);
  }
}
