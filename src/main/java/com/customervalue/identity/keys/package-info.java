/**
 * Identity key rules as plain Java, so that the same code backs the Spark UDFs, the sample
 * generator's truth file and unit tests that run in milliseconds.
 *
 * <p>Everything here is stateless or an immutable {@link java.io.Serializable} value: a Spark
 * UDF can capture it and ship it to executors without a session or a broadcast helper. The
 * functions never throw on bad data; a value that cannot become a key comes back with a reject
 * code, so the caller can count it as unmatched instead of dropping it.
 */
package com.customervalue.identity.keys;
