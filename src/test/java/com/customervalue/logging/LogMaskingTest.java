package com.customervalue.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped log configuration (and the tests' copy of it) masks e-mail addresses in messages and
 * in stack traces, whoever logs them: a JVM of its own logs through it, as a run does.
 */
class LogMaskingTest {
  /** Logs what a failing job could: a raw value in a message, and in an exception's message. */
  public static final class Probe {
    private static final Logger log = LoggerFactory.getLogger("com.customervalue.Probe");

    public static void main(String[] args) {
      log.info("ingest: customers: value 'Jane.Doe+vip@mail.example.com' in column email");
      log.warn("clean failed", new IllegalStateException("bad row: bob@example.org,ACME"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"conf/log4j2.properties", "src/test/resources/log4j2-test.properties"})
  void emailsAreMaskedInMessagesAndStackTraces(String configuration, @TempDir Path dir) throws Exception {
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dlog4j.configurationFile=" + Path.of(configuration).toAbsolutePath(), "-cp",
        System.getProperty("java.class.path"), Probe.class.getName()))
        .redirectErrorStream(true).redirectOutput(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String logged = Files.readString(err);

    assertThat(logged).contains("value '<e-mail>' in column email", "IllegalStateException: bad row: <e-mail>,ACME",
        "at " + Probe.class.getName() + ".main");
    assertThat(logged).doesNotContain("Jane.Doe", "bob@example.org", "@example");
    assertThat(logged.split("IllegalStateException", -1)).as("the stack trace once, not twice").hasSize(2);
  }
}
