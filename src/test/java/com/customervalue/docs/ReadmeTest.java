package com.customervalue.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.sources.FieldSpec;
import com.customervalue.sources.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The README's data contract is the code's data contract. */
class ReadmeTest {
  @Test
  void documentsEveryContractColumnWithItsTypeAndWhetherRequired() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Source source : Source.values()) {
      assertThat(readme).contains("**" + source.id() + "**");
      for (FieldSpec field : source.fields()) {
        assertThat(readme).as(source.id() + "." + field.name()).contains("| `" + field.name() + "` | "
            + field.type().name().toLowerCase(Locale.ROOT) + " | " + (field.required() ? "yes" : "no") + " | "
            + field.doc() + " |");
      }
    }
  }

  @Test
  void quickstartIsTheTwoCommands() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("jobs/run-local.sh", "mvn -B verify");
    assertThat(Files.readString(Path.of(".ci/run"))).contains("mvn -B verify");
  }
}
