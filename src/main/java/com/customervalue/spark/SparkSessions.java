package com.customervalue.spark;

import com.customervalue.config.SparkSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place a SparkSession is built. Jobs receive the session; they never create one. */
public final class SparkSessions {
  private static final Logger log = LoggerFactory.getLogger(SparkSessions.class);
  static final String EXTENSIONS = "spark.sql.extensions";
  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";

  /**
   * Settings every session of this product needs. Timestamps are UTC inside Spark; source time
   * zones are applied explicitly by the stages. The CORRECTED parser policy makes unparseable
   * dates null (and so quarantined) instead of failing the job with an upgrade warning.
   */
  public static final Map<String, String> REQUIRED = Map.of(
      "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
      "spark.sql.session.timeZone", "UTC",
      "spark.sql.legacy.timeParserPolicy", "CORRECTED");

  private SparkSessions() {}

  /**
   * What the builder sets on top of {@code submitted} (the properties spark-submit passed): the
   * configured properties it did not set, the master and app name when it gave none, the Delta
   * extension added to any extensions it set, and the {@link #REQUIRED} settings always.
   */
  static Map<String, String> effectiveSettings(SparkConf submitted, SparkSettings settings) {
    Map<String, String> out = new java.util.TreeMap<>();
    if (!submitted.contains("spark.master")) {
      out.put("spark.master", settings.defaultMaster());
    }
    if (!submitted.contains("spark.app.name")) {
      out.put("spark.app.name", settings.appName());
    }
    settings.properties().forEach((key, value) -> {
      if (!submitted.contains(key)) {
        out.put(key, value);
      }
    });
    String extensions = submitted.get(EXTENSIONS, "");
    if (!java.util.Arrays.asList(extensions.split("\\s*,\\s*")).contains(DELTA_EXTENSION)) {
      out.put(EXTENSIONS, extensions.isBlank() ? DELTA_EXTENSION : extensions + "," + DELTA_EXTENSION);
    }
    out.putAll(REQUIRED);
    return out;
  }

  /**
   * Builds the session. Properties set by spark-submit (already in the JVM's {@link SparkConf})
   * win over the configured ones; the master falls back to the configured default only when
   * spark-submit gave none.
   */
  public static SparkSession create(SparkSettings settings) {
    SparkSession.Builder builder = SparkSession.builder();
    effectiveSettings(new SparkConf(true), settings).forEach(builder::config);
    long start = System.nanoTime();
    SparkSession spark = builder.getOrCreate();
    log.info("Spark {} session started in {} ms (master {}, app id {})", spark.version(),
        (System.nanoTime() - start) / 1_000_000, spark.sparkContext().master(), spark.sparkContext().applicationId());
    return spark;
  }
}
