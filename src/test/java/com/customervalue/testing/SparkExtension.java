package com.customervalue.testing;

import com.customervalue.config.SparkSettings;
import com.customervalue.spark.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one SparkSession of the whole test run: local[2], UI off, few shuffle
 * partitions, Delta on, loopback driver. Built through the product's own {@link SparkSessions},
 * stopped when the run ends. Use with {@code @ExtendWith(SparkExtension.class)} and a
 * {@code SparkSession} parameter.
 */
public final class SparkExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SparkExtension.class);

  /** Test-run session settings. */
  public static final SparkSettings SETTINGS = new SparkSettings("customer-value-tests", "local[2]", Map.ofEntries(
      Map.entry("spark.ui.enabled", "false"),
      Map.entry("spark.sql.shuffle.partitions", "2"),
      Map.entry("spark.default.parallelism", "2"),
      Map.entry("spark.sql.adaptive.coalescePartitions.parallelismFirst", "false"),
      Map.entry("spark.driver.host", "127.0.0.1"),
      Map.entry("spark.driver.bindAddress", "127.0.0.1"),
      Map.entry("spark.ui.showConsoleProgress", "false"),
      Map.entry("spark.databricks.delta.snapshotPartitions", "2"),
      Map.entry("spark.sql.codegen.cache.maxEntries", "1000"),
      // Kryo here, Spark's default Java serializer in the tests that run the product's config (the CLI
      // and cluster tests): both must work, and many clusters set Kryo in spark-defaults.
      Map.entry("spark.serializer", "org.apache.spark.serializer.KryoSerializer"),
      Map.entry("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/customer-value-test-catalog")));

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return session(extension);
  }

  static SparkSession session(ExtensionContext extension) {
    return extension.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("spark", k -> new Holder(SparkSessions.create(SETTINGS)), Holder.class)
        .spark;
  }

  /** Stops Spark when the root context closes, i.e. after the last test. */
  private record Holder(SparkSession spark) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      spark.stop();
    }
  }
}
