package com.customervalue.features;

import com.customervalue.identity.Keyed;
import java.util.ArrayList;
import java.util.List;

/** The {@code customer_features} table: one row per (account, as_of); its columns' registry. */
public final class CustomerFeaturesTable {
  public static final String NAME = "customer_features";
  public static final String REGISTRY = "feature_registry";
  public static final String RUN_ID = "run_id";

  private CustomerFeaturesTable() {}

  /** Key columns, before labels and features. */
  static List<FeatureSpec> keys() {
    return List.of(
        new FeatureSpec(Keyed.ACCOUNT_KEY, "identity", "the account: its corporate domain, else 'id:' + its customer id, else 'person:' + the HMAC of"
            + " the person's e-mail (never the e-mail itself)",
            org.apache.spark.sql.types.DataTypes.StringType, null),
        new FeatureSpec(Keyed.ACCOUNT_KEY_HASH, "identity", "HMAC-SHA256 of account_key, for reports",
            org.apache.spark.sql.types.DataTypes.StringType, null),
        new FeatureSpec(Snapshots.AS_OF, "snapshots", "the snapshot date: features use events before it",
            org.apache.spark.sql.types.DataTypes.DateType, null));
  }

  /** Columns that are not features: the keys, the labels and the run id. */
  public static java.util.Set<String> nonFeatureColumns() {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    keys().forEach(s -> names.add(s.name()));
    Labels.specs().forEach(s -> names.add(s.name()));
    names.add(RUN_ID);
    return names;
  }

  /** The 0/1 label columns; the other labels are amounts. */
  public static List<String> classificationLabels() {
    return List.of(Labels.RETURNED, Labels.BOUGHT_TOP_TIER);
  }

  /** The label column that says whether a snapshot's label window ends inside the data. */
  public static String labelledColumn() {
    return Labels.LABELLED;
  }

  /** Every column in table order: keys, labels, features of each family. */
  static List<FeatureSpec> columns(List<List<FeatureSpec>> families) {
    List<FeatureSpec> all = new ArrayList<>(keys());
    all.addAll(Labels.specs());
    families.forEach(all::addAll);
    return all;
  }
}
