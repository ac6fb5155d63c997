package com.customervalue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * Points the shared SparkSession's {@code s3a://BUCKET} at an {@link S3ProxyServer}, and takes it
 * back on {@link #close()}.
 *
 * <p>The settings are written as Hadoop per-bucket options ({@code fs.s3a.bucket.BUCKET.*}), which
 * s3a applies to that bucket only, so even while they are set no other {@code s3a://} bucket (and no
 * other test) is affected. They go into {@code spark.sparkContext().hadoopConfiguration()}, which
 * every {@code sessionState().newHadoopConf()} (the product's source reader, Spark's file sources,
 * Delta) copies. Credentials are test-only values set in code, never in a config file.
 *
 * <p>{@link #close()} restores whatever was there before, then closes every cached Hadoop
 * FileSystem (Hadoop caches one per {@code s3a://bucket} for the whole JVM, whatever the endpoint,
 * so a later server on another port would otherwise be reached through the stale client) and clears
 * Delta's cache of table logs, which holds the s3a tables of this server.
 */
public final class S3aSettings implements AutoCloseable {
  private final Configuration conf;
  private final Map<String, String> previous = new LinkedHashMap<>();

  private S3aSettings(Configuration conf) {
    this.conf = conf;
  }

  /** Sets the s3a options of {@code bucket} so it is served by {@code server}. */
  public static S3aSettings apply(SparkSession spark, S3ProxyServer server, String bucket) {
    return apply(spark, server, bucket, server.accessKey(), server.secretKey());
  }

  /**
   * As {@link #apply(SparkSession, S3ProxyServer, String)}, with the given credentials: a wrong
   * secret makes the server answer 403, as S3 does.
   */
  public static S3aSettings apply(SparkSession spark, S3ProxyServer server, String bucket, String accessKey,
      String secretKey) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    S3aSettings settings = new S3aSettings(conf);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("endpoint", server.endpoint());
    values.put("endpoint.region", "us-east-1");
    values.put("path.style.access", "true");
    values.put("connection.ssl.enabled", "false");
    values.put("access.key", accessKey);
    values.put("secret.key", secretKey);
    values.put("aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    // S3Proxy returns no object version ids.
    values.put("change.detection.version.required", "false");
    // The defaults retry a server error for minutes; a test should fail fast instead.
    values.put("retry.limit", "2");
    values.put("attempts.maximum", "2");
    String prefix = "fs.s3a.bucket." + bucket + ".";
    values.forEach((key, value) -> settings.set(prefix + key, value));
    return settings;
  }

  private void set(String key, String value) {
    if (!previous.containsKey(key)) {
      previous.put(key, conf.getRaw(key));
    }
    conf.set(key, value);
  }

  /** Restores the previous values and drops every cached FileSystem and Delta log. */
  @Override
  public void close() {
    previous.forEach((key, value) -> {
      if (value == null) {
        conf.unset(key);
      } else {
        conf.set(key, value);
      }
    });
    previous.clear();
    DeltaLog.clearCache();
    try {
      FileSystem.closeAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
