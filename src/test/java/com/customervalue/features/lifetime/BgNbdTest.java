package com.customervalue.features.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.errors.ModelFitException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.special.Beta;
import org.junit.jupiter.api.Test;

/**
 * The BG/NBD and Gamma-Gamma formulas on small, hand-checkable cases, the 2F1 series against closed
 * forms, and the failures of a fit that has no answer.
 */
class BgNbdTest {
  /** The published CDNOW-sample parameters (Fader, Hardie and Lee 2005), time in weeks. */
  private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);

  @Test
  void theSeriesMatchesClosedForms() {
    for (double z : new double[] {-0.9, -0.5, 0.0, 0.1, 0.5, 0.9, 0.99, 0.999}) {
      double expected = z == 0.0 ? 1.0 : -Math.log1p(-z) / z;
      assertThat(Hypergeometric.f21(1, 1, 2, z)).as("2F1(1,1;2;%s) = -ln(1-z)/z", z)
          .isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
      assertThat(Hypergeometric.f21(2.5, 3.7, 3.7, z)).as("2F1(a,b;b;z) = (1-z)^-a at %s", z)
          .isCloseTo(Math.pow(1 - z, -2.5), within(1e-10 * Math.pow(1 - z, -2.5)));
    }
    assertThat(Hypergeometric.f21(0.5, 1, 1.5, -0.25)).as("2F1(1/2,1;3/2;-x^2) = atan(x)/x at x = 1/2")
        .isCloseTo(Math.atan(0.5) / 0.5, within(1e-14));
    assertThat(Hypergeometric.f21(-2, 3, 4, 0.5)).as("a = -2 ends the series: 1 - 3/4 + 3/20")
        .isCloseTo(1 - 0.75 + 0.15, within(1e-15));
  }

  @Test
  void theSeriesRefusesWhatItCannotSum() {
    assertThatThrownBy(() -> Hypergeometric.f21(1, 1, 2, 1.0)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("|z| < 1");
    assertThatThrownBy(() -> Hypergeometric.f21(1, 1, -3, 0.5)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("negative integer");
    assertThatThrownBy(() -> Hypergeometric.f21(400, 400, 1, 0.9999)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("did not converge within " + Hypergeometric.MAX_TERMS + " terms");
  }

  @Test
  void aCustomerWithoutARepeatPurchaseIsAliveForSure() {
    assertThat(CDNOW.probabilityAlive(0, 0, 38.86)).isEqualTo(1.0);
    assertThat(CDNOW.probabilityAlive(0, 0, 0)).isEqualTo(1.0);
  }

  @Test
  void probabilityAliveMatchesTheFormulaWorkedByHand() {
    // 1 / (1 + a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)) with x = 2, t_x = 30.43, T = 38.86:
    // a/(b+1) = 0.793/3.426 = 0.231465; ((4.414+38.86)/(4.414+30.43))^2.243 = 1.241947^2.243 = 1.62626;
    // 1 / (1 + 0.376425) = 0.72653 (and 0.726578570 from SciPy in double precision).
    assertThat(CDNOW.probabilityAlive(2, 30.43, 38.86)).isCloseTo(0.726578570080673, within(1e-12));
    assertThat(CDNOW.probabilityAlive(1, 5, 30)).isCloseTo(0.3791677569698188, within(1e-12));
    assertThat(CDNOW.probabilityAlive(10, 38, 38)).as("bought on the last day: only the dropout after it counts")
        .isCloseTo(1 / (1 + 0.793 / (2.426 + 9)), within(1e-12));
  }

  /**
   * E[Y(t) | x, t_x, T] by a route that shares nothing with the closed form: given the history, a
   * customer alive at T has purchase rate Gamma(r+x, alpha+T) and dropout probability Beta(a, b+x),
   * and expects (1/p)(1 - E[exp(-lambda p t)]) purchases in t. So E[Y(t)] = P(alive) times the
   * integral over p of (1/p)(1 - ((alpha+T)/(alpha+T+p t))^(r+x)) against Beta(a, b+x), integrated
   * numerically after p = u^(1/a) (which removes the density's singularity at 0).
   */
  private static double byIntegration(BgNbd m, double t, int x, double tx, double bigT) {
    double shape = m.r() + x;
    IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(32, 1e-13, 1e-15);
    double integral = integrator.integrate(1_000_000, u -> {
      double p = Math.pow(u, 1 / m.a());
      double g = -Math.expm1(-shape * Math.log1p(p * t / (m.alpha() + bigT))) / p;
      return g * Math.pow(1 - p, m.b() + x - 1) / m.a();
    }, 0, 1);
    return m.probabilityAlive(x, tx, bigT) * integral / Math.exp(Beta.logBeta(m.a(), m.b() + x));
  }

  @Test
  void expectedPurchasesMatchAnIndependentNumericIntegration() {
    double[][] cases = {{0, 0, 0}, {0, 0, 38.86}, {2, 30.43, 38.86}, {10, 35, 38}, {1, 5, 30}, {40, 300, 310}};
    for (double[] c : cases) {
      for (double t : new double[] {1, 39, 52, 520}) {
        double expected = byIntegration(CDNOW, t, (int) c[0], c[1], c[2]);
        assertThat(CDNOW.expectedPurchases(t, (int) c[0], c[1], c[2]))
            .as("E[Y(%s) | x=%s, t_x=%s, T=%s]", t, c[0], c[1], c[2])
            .isCloseTo(expected, within(1e-8 * Math.max(1, expected)));
      }
    }
    // The same figures from SciPy's hyp2f1 on the untransformed formula (x = 2, t_x = 30.43, T = 38.86):
    assertThat(CDNOW.expectedPurchases(39, 2, 30.43, 38.86)).isCloseTo(1.226028174767135, within(1e-10));
    assertThat(CDNOW.expectedPurchases(52, 0, 0, 0)).isCloseTo(1.446050595396398, within(1e-10));
    assertThat(CDNOW.expectedPurchases(0, 3, 10, 20)).isZero();
  }

  @Test
  void aNewCustomersExpectationIsTheUnconditionalOneOfThePaper() {
    // x = 0, T = 0 is a customer who just made a first purchase: E[Y(t)] is equation 9 of the paper,
    // ((a+b-1)/(a-1)) (1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))), here summed directly.
    double t = 26;
    double direct = (CDNOW.a() + CDNOW.b() - 1) / (CDNOW.a() - 1) * (1 - Math.pow(CDNOW.alpha() / (CDNOW.alpha() + t),
        CDNOW.r()) * Hypergeometric.f21(CDNOW.r(), CDNOW.b(), CDNOW.a() + CDNOW.b() - 1, t / (CDNOW.alpha() + t)));
    assertThat(CDNOW.expectedPurchases(t, 0, 0, 0)).isCloseTo(direct, within(1e-12));
  }

  @Test
  void theLogLikelihoodIsStableForHeavyBuyers() {
    assertThat(Math.exp(org.apache.commons.math3.special.Gamma.logGamma(CDNOW.r() + 5_000)))
        .as("the likelihood's own terms overflow").isInfinite();
    // A density in t_x, so it may exceed 1; what matters is that it is a number.
    assertThat(CDNOW.logLikelihood(5_000, 1_000, 1_000)).isFinite();
    assertThat(CDNOW.logLikelihood(5_000, 10, 1_000)).isFinite();
  }

  @Test
  void aSingleCustomerIsRefusedWithTheCountsNamed() {
    List<BgNbd.Group> one = List.of(new BgNbd.Group(3, 20, 39, 1));
    assertThatThrownBy(() -> BgNbd.fit(one, "as_of 2015-04-01", 30, 10, 1e-10, 20_000))
        .isInstanceOf(ModelFitException.class)
        .hasMessage("Cannot fit the BG/NBD model for as_of 2015-04-01: 1 customers, 1 with a repeat purchase; the"
            + " fit needs at least 30 customers and 10 repeat customers (customer-value.lifetime.min-customers,"
            + " min-repeat-customers)");
  }

  @Test
  void customersWhoNeverCameBackLeaveTheModelUnidentifiedAndSayWhere() {
    List<BgNbd.Group> none = new ArrayList<>();
    for (int d = 1; d <= 50; d++) {
      none.add(new BgNbd.Group(0, 0, d, 2));
    }
    assertThatThrownBy(() -> BgNbd.fit(none, "as_of 2015-04-01", 2, 0, 1e-10, 20_000))
        .isInstanceOf(ModelFitException.class)
        .hasMessageStartingWith("Cannot fit the BG/NBD model for as_of 2015-04-01: ")
        .hasMessageContaining("last parameters r=");
  }

  @Test
  void aFitThatRunsOutOfEvaluationsSaysSo() {
    List<BgNbd.Group> groups = simulated(new Random(7), 200);
    assertThatThrownBy(() -> BgNbd.fit(groups, "as_of 2015-04-01", 2, 2, 1e-10, 100))
        .isInstanceOf(ModelFitException.class)
        .hasMessageContaining("did not converge within 100 log-likelihood evaluations")
        .hasMessageContaining("last parameters r=");
  }

  @Test
  void aFitOnSimulatedCustomersIsAMaximum() {
    List<BgNbd.Group> groups = simulated(new Random(42), 2_000);
    Fit<BgNbd> fit = BgNbd.fit(groups, "simulated", 2, 2, 1e-12, 50_000);
    BgNbd m = fit.model();
    assertThat(fit.logLikelihood()).isCloseTo(m.logLikelihood(groups), within(1e-9));
    double[] p = {m.r(), m.alpha(), m.a(), m.b()};
    for (int i = 0; i < p.length; i++) {
      for (double step : new double[] {1.01, 0.99}) {
        double[] q = p.clone();
        q[i] *= step;
        assertThat(new BgNbd(q[0], q[1], q[2], q[3]).logLikelihood(groups)).as("parameter %s x %s", i, step)
            .isLessThanOrEqualTo(fit.logLikelihood());
      }
    }
  }

  @Test
  void aFittedDropOutProbabilityOfNextToNothingIsTheNoDropOutLimit() {
    // The Online Retail fit for as_of 2011-03-01: a mean drop-out probability of 5e-9 per purchase.
    assertThat(BgNbd.fitted(new double[] {0.697, 7.17, 4.53e-6, 848.3}).noDropout()).isTrue();
    assertThat(BgNbd.fitted(new double[] {0.697, 7.17, 0.0, 72.4}).noDropout()).isTrue();
    BgNbd cdnow = BgNbd.fitted(new double[] {0.243, 4.414, 0.793, 2.426});
    assertThat(cdnow.noDropout()).isFalse();
    assertThat(cdnow.a()).isEqualTo(0.793);
  }

  @Test
  void theNoDropOutLimitIsWhereTheModelTendsAsAGoesToZero() {
    BgNbd limit = new BgNbd(0.7, 8.0, 0.0, 50.0);
    BgNbd near = new BgNbd(0.7, 8.0, 1e-9, 50.0);
    for (int x : new int[] {0, 1, 5}) {
      assertThat(near.expectedPurchases(90, x, x * 20.0, 150)).as("x = %s", x)
          .isCloseTo(limit.expectedPurchases(90, x, x * 20.0, 150), within(1e-6));
      assertThat(near.probabilityAlive(x, x * 20.0, 150)).isCloseTo(1.0, within(1e-6));
    }
  }

  /** Customers drawn from a BG/NBD with r = 0.5, alpha = 5, a = 1, b = 3 over 40 time units. */
  static List<BgNbd.Group> simulated(Random random, int customers) {
    List<BgNbd.Group> groups = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      double lambda = gamma(random, 0.5) / 5.0;
      double y1 = gamma(random, 1.0);
      double p = y1 / (y1 + gamma(random, 3.0));
      double bigT = 40 * random.nextDouble();
      double now = 0;
      double last = 0;
      int x = 0;
      while (true) {
        now += -Math.log(1 - random.nextDouble()) / lambda;
        if (now > bigT) {
          break;
        }
        x++;
        last = now;
        if (random.nextDouble() < p) {
          break;
        }
      }
      groups.add(new BgNbd.Group(x, last, bigT, 1));
    }
    return groups;
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (with the shape-boost for shape below 1). */
  static double gamma(Random random, double shape) {
    if (shape < 1) {
      return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = random.nextGaussian();
      double v = Math.pow(1 + c * z, 3);
      if (v > 0 && Math.log(random.nextDouble()) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
