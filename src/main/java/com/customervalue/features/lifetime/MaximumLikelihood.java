package com.customervalue.features.lifetime;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over the logarithms of positive parameters with Commons Math's
 * Nelder-Mead simplex, restarted from its own optimum until the log-likelihood stops improving
 * (one Nelder-Mead run can stall on a ridge, which these likelihoods have).
 */
final class MaximumLikelihood {
  /** A log-parameter this far from 0 (a parameter above 1e6 or below 1e-6) means the fit ran off. */
  static final double MAX_ABS_LOG_PARAMETER = Math.log(1e6);
  private static final int MAX_RESTARTS = 20;

  private MaximumLikelihood() {}

  /**
   * The optimum. A parameter allowed to vanish that ran off towards 0 is exactly 0 here: the model's
   * limit at that boundary is the maximum.
   */
  record Result(double[] parameters, double logLikelihood, int evaluations) {}

  /** The fit failed; {@code lastParameters} are the last ones tried (not logs). */
  static final class FitFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final double[] lastParameters;
    final double lastLogLikelihood;

    FitFailure(String why, double[] lastParameters, double lastLogLikelihood) {
      super(why);
      this.lastParameters = lastParameters.clone();
      this.lastLogLikelihood = lastLogLikelihood;
    }
  }

  /**
   * @param logLikelihood of the parameters themselves (not their logs); may return a non-finite value
   * @param start the starting parameters (positive)
   * @param tolerance relative change of the log-likelihood at which a run stops
   * @param maxEvaluations evaluations over all runs
   */
  static Result maximise(ToDoubleFunction<double[]> logLikelihood, double[] start, double tolerance,
      int maxEvaluations) throws FitFailure {
    return maximise(logLikelihood, start, tolerance, maxEvaluations, new boolean[start.length]);
  }

  /**
   * As {@link #maximise(ToDoubleFunction, double[], double, int)}, where {@code mayVanish[i]} marks a
   * parameter whose limit at 0 is itself a model (the caller evaluates it there); running off towards
   * 0 is then an optimum at the boundary, not a failure.
   */
  static Result maximise(ToDoubleFunction<double[]> logLikelihood, double[] start, double tolerance,
      int maxEvaluations, boolean[] mayVanish) throws FitFailure {
    int n = start.length;
    double[] last = start.clone();
    double[] lastValue = {Double.NaN};
    int[] evaluations = {0};
    ObjectiveFunction objective = new ObjectiveFunction(logs -> {
      double[] params = new double[n];
      for (int i = 0; i < n; i++) {
        params[i] = Math.exp(logs[i]);
      }
      double value = logLikelihood.applyAsDouble(params);
      System.arraycopy(params, 0, last, 0, n);
      lastValue[0] = value;
      evaluations[0]++;
      // Nelder-Mead only compares values: an infeasible point must lose every comparison.
      return Double.isFinite(value) ? value : Double.NEGATIVE_INFINITY;
    });
    double[] point = new double[n];
    for (int i = 0; i < n; i++) {
      point[i] = Math.log(start[i]);
    }
    double startValue = logLikelihood.applyAsDouble(start);
    if (!Double.isFinite(startValue)) {
      throw new FitFailure("the log-likelihood is not finite at the starting point (" + startValue + ")", start,
          startValue);
    }
    double best = Double.NEGATIVE_INFINITY;
    try {
      for (int run = 0; run <= MAX_RESTARTS; run++) {
        int left = maxEvaluations - evaluations[0];
        if (left <= 0) {
          throw new TooManyEvaluationsException(maxEvaluations);
        }
        SimplexOptimizer optimizer = new SimplexOptimizer(tolerance, 1e-12);
        PointValuePair optimum = optimizer.optimize(new MaxEval(left), MaxIter.unlimited(), objective,
            GoalType.MAXIMIZE, new InitialGuess(point), new NelderMeadSimplex(n, run == 0 ? 1.0 : 0.1));
        double value = optimum.getValue();
        point = optimum.getPoint();
        boolean settled = value - best <= tolerance * Math.abs(value);
        best = Math.max(best, value);
        if (settled) {
          break;
        }
      }
    } catch (TooManyEvaluationsException e) {
      throw new FitFailure("the optimizer did not converge within " + maxEvaluations + " log-likelihood evaluations",
          last, lastValue[0]);
    }
    double[] params = Arrays.stream(point).map(Math::exp).toArray();
    if (!Double.isFinite(best)) {
      throw new FitFailure("the log-likelihood is not finite at the optimum (" + best + ")", params, best);
    }
    for (int i = 0; i < n; i++) {
      if (mayVanish[i] && point[i] < -MAX_ABS_LOG_PARAMETER) {
        params[i] = 0.0;
      } else if (Math.abs(point[i]) > MAX_ABS_LOG_PARAMETER) {
        throw new FitFailure("a parameter ran off towards 0 or infinity, so the data do not identify the model",
            params, best);
      }
    }
    return new Result(params, best, evaluations[0]);
  }
}
