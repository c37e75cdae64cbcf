# The attenuation check of docs/validation/smc-simulation.md, for jomo: R
# replicates of scenario 1 or 2 of Blette et al. (2023) with C clusters and
# interaction beta3; each trial analysed by geeglm (Y ~ A*Mc, exchangeable)
# with every modifier value (complete data) and after jomo::jomo.lmer
# imputation of the missing ones (substantive model: the data-generating
# outcome model, Y ~ A*M*X1 + (1 | cluster) or Y ~ A*M*(X1 + X2 + X3) + (1 | cluster);
# burn-in 1000, 100 between imputations, 15 imputations, the pooled mean).
# Prints the mean difference jomo - complete data with its Monte Carlo SE.
# Run: Rscript docs/validation/smc-jomo-study.R SEED R [SCENARIO C BETA3]
# (defaults: scenario 1, 20 clusters, beta3 = -(1 + exp(-0.5))).
suppressPackageStartupMessages({ library(jomo); library(geepack) })
args <- commandArgs(trailingOnly = TRUE)
set.seed(as.integer(args[1]))
R <- as.integer(args[2])
scenario <- if (length(args) >= 3) as.integer(args[3]) else 1L
C <- if (length(args) >= 4) as.integer(args[4]) else 20L
beta3 <- if (length(args) >= 5) as.numeric(args[5]) else -(1 + exp(-0.5))
hte <- function(cl, A, M, Y) {
  d <- data.frame(cl, A, Mc = M - mean(M), Y)
  unname(coef(geeglm(Y ~ A * Mc, id = cl, data = d, corstr = "exchangeable"))["A:Mc"])
}
sd_latent <- sqrt(pi^2 / 3 * 0.1 / 0.9)
out <- t(replicate(R, {
  n <- pmax(1, rpois(C, 50)); cl <- rep(seq_len(C), n); N <- length(cl)
  A <- rep(sample(rep(0:1, length.out = C)), n)
  M <- rbinom(N, 1, plogis(0.5 + rnorm(C, 0, sd_latent)[cl])); X1 <- rnorm(N)
  Y <- 1 + A + 0.75 * M + beta3 * A * M + 0.8 * X1 * A - 0.4 * X1 * M + 0.7 * X1 * A * M
  if (scenario == 1) {
    Y <- Y + rnorm(C, 0, sqrt(1 / 3))[cl] + rnorm(N, 0, sqrt(3))
    observed <- rbinom(N, 1, plogis(1.2 + 0.5 * X1 - 0.2 * Y)) == 1
    input <- data.frame(Y, A, M = factor(ifelse(observed, M, NA)), X1, cluster = cl)
    formula <- Y ~ A * M * X1 + (1 | cluster)
  } else {
    X2 <- rnorm(N); X3 <- rnorm(N)
    Y <- Y + 0.9 * X2 * A * M - 1.1 * X3 * A * M + rnorm(C, 0, sqrt(1 / 3))[cl] + rnorm(N, 0, sqrt(3))
    observed <- rbinom(N, 1, plogis(1.5 + 0.6 * X1 + 1.2 * X2 - 0.8 * X3 - 0.2 * Y + rnorm(C, 0, sd_latent)[cl])) == 1
    input <- data.frame(Y, A, M = factor(ifelse(observed, M, NA)), X1, X2, X3, cluster = cl)
    formula <- Y ~ A * M * (X1 + X2 + X3) + (1 | cluster)
  }
  imp <- jomo.lmer(formula, input, level = c(1, 2, rep(1, ncol(input) - 2)), nburn = 1000, nbetween = 100, nimp = 15, output = 0)
  pooled <- mean(sapply(1:15, function(k) {
    s <- imp[imp$Imputation == k, ]
    s <- s[order(s$clus), ]
    hte(s$clus, s$A, as.numeric(as.character(s$M)), s$Y)
  }))
  c(complete = hte(cl, A, M, Y), jomo = pooled)
}))
d <- out[, "jomo"] - out[, "complete"]
cat(sprintf("scenario %d, C = %d, beta3 = %.4f, R = %d: complete-data bias %.4f (%.4f); jomo bias %.4f (%.4f); jomo - complete %.4f (%.4f)\n",
            scenario, C, beta3, R, mean(out[, "complete"] - beta3), sd(out[, "complete"]) / sqrt(R), mean(out[, "jomo"] - beta3),
            sd(out[, "jomo"]) / sqrt(R), mean(d), sd(d) / sqrt(R)))
