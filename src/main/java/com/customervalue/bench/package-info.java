/**
 * The benchmark harness of {@code jobs/benchmark.sh}: runs stages in one SparkSession and measures each
 * (wall time, input rows, peak heap, shuffle bytes) next to a plain scan of the same inputs. Not a
 * product path: the CLI ({@code com.customervalue.Main}) does not reach it, and no test is timed.
 */
package com.customervalue.bench;
