package com.customervalue.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The feature columns of a training table by kind, as the pipeline treats them.
 *
 * @param numeric imputed, then assembled (and standardised for linear models)
 * @param categorical indexed (unseen values get their own index) and one-hot encoded
 * @param text tokenised, stop words removed, hashed and IDF-weighted
 */
public record FeatureColumns(List<String> numeric, List<String> categorical, List<String> text) {
  public FeatureColumns {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
    text = List.copyOf(text);
  }

  /**
   * Sorts the columns of {@code schema} that are not in {@code excluded}: numbers and booleans are
   * numeric, strings named in {@code textColumns} are text, other strings categorical. Other types
   * (dates, arrays) are left out and returned in {@code skipped}.
   */
  static FeatureColumns of(StructType schema, Set<String> excluded, List<String> textColumns, List<String> skipped) {
    List<String> numeric = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    List<String> text = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (excluded.contains(f.name())) {
        continue;
      }
      if (f.dataType() instanceof NumericType || f.dataType() instanceof BooleanType) {
        numeric.add(f.name());
      } else if (f.dataType() instanceof StringType) {
        (textColumns.contains(f.name()) ? text : categorical).add(f.name());
      } else {
        skipped.add(f.name());
      }
    }
    return new FeatureColumns(numeric, categorical, text);
  }

  /** Only the columns in {@code keep} (used after feature selection). */
  FeatureColumns restrictTo(List<String> keep) {
    if (keep.isEmpty()) {
      return this;
    }
    return new FeatureColumns(numeric.stream().filter(keep::contains).toList(),
        categorical.stream().filter(keep::contains).toList(), text.stream().filter(keep::contains).toList());
  }

  /** Without the text columns. */
  FeatureColumns withoutText() {
    return new FeatureColumns(numeric, categorical, List.of());
  }

  /** Every feature column, numeric first. */
  public List<String> all() {
    List<String> all = new ArrayList<>(numeric);
    all.addAll(categorical);
    all.addAll(text);
    return all;
  }
}
