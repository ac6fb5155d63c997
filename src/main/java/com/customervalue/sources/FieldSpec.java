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
 * @param doc one line for the README and the table comment
 */
public record FieldSpec(String name, FieldType type, boolean required, List<String> allowedValues, String doc) {

  public FieldSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowedValues = List.copyOf(allowedValues);
  }

  static FieldSpec required(String name, FieldType type, String doc) {
    return new FieldSpec(name, type, true, List.of(), doc);
  }

  static FieldSpec optional(String name, FieldType type, String doc) {
    return new FieldSpec(name, type, false, List.of(), doc);
  }

  FieldSpec oneOf(String... values) {
    return new FieldSpec(name, type, required, List.of(values), doc);
  }
}
