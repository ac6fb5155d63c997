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

  /**
   * Settings every session of this product needs. Timestamps are UTC inside Spark; source time
   * zones are applied explicitly by the stages. The CORRECTED parser policy makes unparseable
   * dates null (and so quarantined) instead of failing the job with an upgrade warning.
   */
  public static final Map<String, String> REQUIRED = Map.of(
      "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
      "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
      "spark.sql.session.timeZone", "UTC",
      "spark.sql.legacy.timeParserPolicy", "CORRECTED");

  private SparkSessions() {}

  /**
   * Builds the session. Properties set by spark-submit (already in the JVM's {@link SparkConf})
   * win over the configured ones; the master falls back to the configured default only when
   * spark-submit gave none.
   */
  public static SparkSession create(SparkSettings settings) {
    SparkConf submitted = new SparkConf(true);
    SparkSession.Builder builder = SparkSession.builder().appName(settings.appName());
    if (!submitted.contains("spark.master")) {
      builder.master(settings.defaultMaster());
    }
    settings.properties().forEach((key, value) -> {
      if (!submitted.contains(key)) {
        builder.config(key, value);
      }
    });
    REQUIRED.forEach(builder::config);
    long start = System.nanoTime();
    SparkSession spark = builder.getOrCreate();
    log.info("Spark {} session started in {} ms (master {}, app id {})", spark.version(),
        (System.nanoTime() - start) / 1_000_000, spark.sparkContext().master(), spark.sparkContext().applicationId());
    return spark;
  }
}
