package com.customervalue.features.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class MaximumLikelihoodTest {
  /** Peaks at p0 = 2 and keeps rising as p1 goes to 0. */
  private static final ToDoubleFunction<double[]> RISING_TOWARDS_ZERO =
      p -> -(p[0] - 2) * (p[0] - 2) - p[1];

  @Test
  void anInteriorOptimumIsFound() throws Exception {
    MaximumLikelihood.Result result = MaximumLikelihood.maximise(
        p -> -(p[0] - 2) * (p[0] - 2) - (p[1] - 0.5) * (p[1] - 0.5), new double[] {1, 1}, 1e-14, 20_000);
    assertThat(result.parameters()[0]).isCloseTo(2.0, within(1e-4));
    assertThat(result.parameters()[1]).isCloseTo(0.5, within(1e-4));
  }

  @Test
  void aParameterRunningOffTowardsZeroIsAFailureUnlessItMayVanish() throws Exception {
    assertThatThrownBy(() -> MaximumLikelihood.maximise(RISING_TOWARDS_ZERO, new double[] {1, 1}, 1e-14, 20_000))
        .isInstanceOf(MaximumLikelihood.FitFailure.class)
        .hasMessageContaining("ran off towards 0 or infinity");

    MaximumLikelihood.Result result = MaximumLikelihood.maximise(RISING_TOWARDS_ZERO, new double[] {1, 1}, 1e-14,
        20_000, new boolean[] {false, true});
    assertThat(result.parameters()[1]).as("the boundary is the optimum").isEqualTo(0.0);
    assertThat(result.parameters()[0]).isCloseTo(2.0, within(1e-4));
  }

  @Test
  void aParameterThatMayVanishStillFailsWhenItRunsOffTowardsInfinity() {
    assertThatThrownBy(() -> MaximumLikelihood.maximise(p -> -(p[0] - 2) * (p[0] - 2) + Math.log(p[1]),
        new double[] {1, 1}, 1e-14, 20_000, new boolean[] {false, true}))
        .isInstanceOf(MaximumLikelihood.FitFailure.class)
        .hasMessageContaining("ran off towards 0 or infinity");
  }
}
