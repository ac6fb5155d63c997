package com.customervalue.features.lifetime;

/**
 * A fitted model with its maximised log-likelihood.
 *
 * @param model the parameters at the optimum
 * @param logLikelihood the log-likelihood there
 * @param customers customers the fit used
 * @param evaluations log-likelihood evaluations the optimizer spent
 * @param <M> the model
 */
public record Fit<M extends java.io.Serializable>(M model, double logLikelihood, long customers, int evaluations)
    implements java.io.Serializable {}
