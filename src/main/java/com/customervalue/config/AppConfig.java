package com.customervalue.config;

import com.customervalue.sources.Source;
import java.util.Map;

/**
 * The whole validated configuration. Immutable; built only by {@link ConfigLoader}.
 *
 * @param inputRoot folder relative source paths are resolved against
 * @param warehouse output location
 * @param spark session settings
 * @param ingest ingest thresholds
 * @param clean cleaning rules
 * @param identity identity resolution settings
 * @param snapshots point-in-time settings
 * @param features feature settings
 * @param lifetime BG/NBD and Gamma-Gamma lifetime-value feature settings
 * @param train model training settings
 * @param score scoring settings
 * @param report report settings
 * @param sample generate-sample defaults
 * @param sources one entry per source of the contract, in contract order
 */
public record AppConfig(
    String inputRoot,
    WarehouseSettings warehouse,
    SparkSettings spark,
    IngestSettings ingest,
    CleanSettings clean,
    IdentitySettings identity,
    SnapshotSettings snapshots,
    FeatureConfig features,
    LifetimeSettings lifetime,
    TrainSettings train,
    ScoreSettings score,
    ReportSettings report,
    SampleSettings sample,
    Map<Source, SourceConfig> sources) {

  public AppConfig {
    var copy = new java.util.EnumMap<Source, SourceConfig>(Source.class);
    copy.putAll(sources);
    sources = java.util.Collections.unmodifiableMap(copy);
  }

  public SourceConfig source(Source source) {
    return sources.get(source);
  }
}
