package com.customervalue.train;

import java.util.List;

/**
 * One model the train job fits and compares for a target: a family, how it handles class
 * imbalance, whether it reads the text columns, and (after feature selection) the columns it may use.
 *
 * @param family the MLlib estimator family
 * @param imbalance class_weight, smote or none (none for regression)
 * @param text whether the TF-IDF text features are in the pipeline
 * @param columns the feature columns it is restricted to; empty = every feature column
 * @param variant short label of what differs from the family's main candidate ("" for the main one)
 */
public record Candidate(ModelFamily family, String imbalance, boolean text, List<String> columns, String variant) {
  public Candidate {
    columns = List.copyOf(columns);
  }

  /** The name in model_metrics: the family, then the variant, e.g. {@code logistic/smote}. */
  public String name() {
    return variant.isEmpty() ? family.modelName() : family.modelName() + "/" + variant;
  }
}
