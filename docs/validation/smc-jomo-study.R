# The attenuation check of docs/validation/smc-simulation.md, for jomo: scenario 1
# of Blette et al. (2023) with 20 clusters and beta3 = -(1 + exp(-0.5)), R
# replicates; each trial analysed by geeglm (Y ~ A*Mc, exchangeable) with
# every modifier value (complete data) and after jomo::jomo.lmer imputation of
# the missing ones (substantive model Y ~ A*M*X1 + (1 | cluster), burn-in 1000,
# 100 between imputations, 15 imputations, the pooled mean). Prints the mean
# difference jomo - complete data with its Monte Carlo SE.
# Run: Rscript docs/validation/smc-jomo-study.R SEED R
suppressPackageStartupMessages({ library(jomo); library(geepack) })
args <- commandArgs(trailingOnly = TRUE)
set.seed(as.integer(args[1]))
R <- as.integer(args[2])
beta3 <- -(1 + exp(-0.5))
C <- 20
hte <- function(cl, A, M, Y) {
  d <- data.frame(cl, A, Mc = M - mean(M), Y)
  unname(coef(geeglm(Y ~ A * Mc, id = cl, data = d, corstr = "exchangeable"))["A:Mc"])
}
out <- t(replicate(R, {
  n <- pmax(1, rpois(C, 50)); cl <- rep(seq_len(C), n); N <- length(cl)
  A <- rep(sample(rep(0:1, length.out = C)), n)
  M <- rbinom(N, 1, plogis(0.5 + rnorm(C, 0, sqrt(pi^2 / 3 * 0.1 / 0.9))[cl])); X1 <- rnorm(N)
  Y <- 1 + A + 0.75 * M + beta3 * A * M + 0.8 * X1 * A - 0.4 * X1 * M + 0.7 * X1 * A * M +
    rnorm(C, 0, sqrt(1 / 3))[cl] + rnorm(N, 0, sqrt(3))
  observed <- rbinom(N, 1, plogis(1.2 + 0.5 * X1 - 0.2 * Y)) == 1
  imp <- jomo.lmer(Y ~ A * M * X1 + (1 | cluster), data.frame(Y, A, M = factor(ifelse(observed, M, NA)), X1, cluster = cl),
                   level = c(1, 2, 1, 1, 1), nburn = 1000, nbetween = 100, nimp = 15, output = 0)
  pooled <- mean(sapply(1:15, function(k) {
    s <- imp[imp$Imputation == k, ]
    s <- s[order(s$clus), ]
    hte(s$clus, s$A, as.numeric(as.character(s$M)), s$Y)
  }))
  c(complete = hte(cl, A, M, Y), jomo = pooled)
}))
d <- out[, "jomo"] - out[, "complete"]
cat(sprintf("R = %d: complete-data bias %.4f (%.4f); jomo bias %.4f (%.4f); jomo - complete %.4f (%.4f)\n", R,
            mean(out[, "complete"] - beta3), sd(out[, "complete"]) / sqrt(R), mean(out[, "jomo"] - beta3),
            sd(out[, "jomo"]) / sqrt(R), mean(d), sd(d) / sqrt(R)))
