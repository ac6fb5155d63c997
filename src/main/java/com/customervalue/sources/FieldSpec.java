package com.customervalue.sources;

import java.util.List;
import java.util.Objects;

/**
 * One column of a source's data contract.
 *
 * @param name the contract (and bronze table) column name
 * @param type the declared type values are parsed into
 * @param required whether a row without a value is quarantined
 * @param allowedValues for enumerated text columns, the accepted values (compared lower-case); empty = any
 * @param min for numeric columns, the smallest value that makes sense (inclusive); null = no bound
 * @param max for numeric columns, the largest value that makes sense (inclusive); null = no bound
 * @param doc one line for the README and the table comment
 */
public record FieldSpec(String name, FieldType type, boolean required, List<String> allowedValues, Double min,
    Double max, String doc) {

  public FieldSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowedValues = List.copyOf(allowedValues);
  }

  static FieldSpec required(String name, FieldType type, String doc) {
    return new FieldSpec(name, type, true, List.of(), null, null, doc);
  }

  static FieldSpec optional(String name, FieldType type, String doc) {
    return new FieldSpec(name, type, false, List.of(), null, null, doc);
  }

  FieldSpec oneOf(String... values) {
    return new FieldSpec(name, type, required, List.of(values), min, max, doc);
  }

  /** Values outside [min, max] are quarantined as out of range. */
  FieldSpec between(double min, double max) {
    return new FieldSpec(name, type, required, allowedValues, min, max, doc);
  }

  /** Negative values are quarantined as out of range (counts). */
  FieldSpec atLeastZero() {
    return new FieldSpec(name, type, required, allowedValues, 0.0, null, doc);
  }
}
