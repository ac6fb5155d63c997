package com.customervalue.config;

import java.util.Map;

/**
 * How the SparkSession is built.
 *
 * @param appName application name in the Spark UI
 * @param defaultMaster master used only when spark-submit did not set one
 * @param properties Spark properties applied unless already set by spark-submit
 */
public record SparkSettings(String appName, String defaultMaster, Map<String, String> properties) {
  public SparkSettings {
    properties = Map.copyOf(properties);
  }
}
