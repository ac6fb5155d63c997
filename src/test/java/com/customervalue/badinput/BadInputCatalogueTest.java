package com.customervalue.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.sources.Source;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bad-input catalogue (issue 8): every named case of {@link Catalogue} is run on the shared
 * SparkSession and must end in its expected outcome — a clear error before any write, or
 * quarantine with a reason while the run goes on (see {@link Harness} for what is checked).
 * {@code -Dbadinput.only=text1,text2} runs the cases whose "source: name" contains one of the texts.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest {
  private static final Logger log = LoggerFactory.getLogger(BadInputCatalogueTest.class);
  /**
   * Session settings for inputs of a few rows, set while the catalogue runs and restored after it:
   * compiling generated code for every query costs more than interpreting it on three rows.
   */
  private static final Map<String, String> TINY = Map.of(
      "spark.sql.codegen.wholeStage", "false",
      "spark.sql.codegen.factoryMode", "NO_CODEGEN",
      "spark.sql.adaptive.enabled", "false");

  private SparkSession spark;
  private Harness harness;
  private final Map<String, String> restore = new TreeMap<>();
  private final List<String> timings = new ArrayList<>();
  private long started;

  @BeforeAll
  void start(SparkSession spark, @TempDir Path root) {
    started = System.nanoTime();
    this.spark = spark;
    this.harness = new Harness(spark, root);
    TINY.forEach((key, value) -> {
      restore.put(key, spark.conf().get(key, null));
      spark.conf().set(key, value);
    });
  }

  @AfterAll
  void stop() {
    harness.close();
    restore.forEach((key, value) -> {
      if (value == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, value);
      }
    });
    log.info("bad-input catalogue: {} cases in {} s; seconds per case:\n  {}", timings.size(),
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9), String.join("\n  ", timings));
  }

  static Stream<BadInputCase> cases() {
    String only = System.getProperty("badinput.only", "").trim();
    List<String> wanted = only.isEmpty() ? List.of() : Arrays.stream(only.split(",")).map(String::trim).toList();
    return Catalogue.cases().stream().filter(c -> wanted.isEmpty() || wanted.stream().anyMatch(key(c)::contains));
  }

  private static String key(BadInputCase c) {
    return c.source + ": " + c.name;
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void endsAsCatalogued(BadInputCase c) throws Exception {
    long start = System.nanoTime();
    try {
      harness.run(c);
    } finally {
      timings.add(String.format(Locale.ROOT, "%5.1f  %s", (System.nanoTime() - start) / 1e9, c));
    }
  }

  @Test
  void coversEverySourceWithFortyNamedCasesEachStatingItsInputAndOutcome() {
    List<BadInputCase> all = Catalogue.cases();
    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
    assertThat(all).allSatisfy(c -> {
      assertThat(c.input).as("%s states its input", c).isNotBlank();
      assertThat(c.outcome).as("%s states its outcome", c).isNotNull();
    });
    assertThat(all.stream().map(BadInputCatalogueTest::key)).doesNotHaveDuplicates();
    Set<String> sources = all.stream().map(c -> c.source).collect(Collectors.toSet());
    assertThat(sources).containsAll(Arrays.stream(Source.values()).map(Source::id).toList());
  }
}
