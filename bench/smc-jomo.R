# Reference timing for bench/smc.bench.ts: jomo::jomo.lmer, the R implementation
# of substantive-model-compatible multilevel imputation, on a trial of the design
# the benchmark uses (scenario 1 of Blette et al. 2023: 100 clusters of Poisson(50)
# members, ~1/3 of the modifier missing), substantive model Y ~ A*M*X1 + (1 | cluster),
# the paper's schedule (burn-in 1000, 100 iterations between imputations, 15
# imputations). Imputation only: the 15 outcome GEE fits and pooling, which the
# crtkit timing includes, are not timed here. Prints CPU (user + system) and
# elapsed seconds of each of three runs.
# Run from the repository root: Rscript bench/smc-jomo.R
suppressPackageStartupMessages({ library(jomo); library(lme4) })
set.seed(1)
C <- 100
sizes <- pmax(rpois(C, 50), 1)
A <- sample(rep(0:1, length.out = C))
d <- do.call(rbind, lapply(seq_len(C), function(i) {
  n <- sizes[i]
  m <- rbinom(n, 1, plogis(0.5 + rnorm(1, 0, sqrt(pi^2 / 3 * 0.1 / 0.9))))
  x <- rnorm(n)
  y <- 1 + A[i] + 0.75 * m + 0.8 * x * A[i] - 0.4 * x * m + 0.7 * x * A[i] * m + rnorm(1, 0, sqrt(1 / 3)) + rnorm(n, 0, sqrt(3))
  observed <- rbinom(n, 1, plogis(1.2 + 0.5 * x - 0.2 * y)) == 1
  data.frame(Y = y, A = A[i], M = ifelse(observed, m, NA), X1 = x, cluster = i)
}))
d$M <- factor(d$M)
cat(sprintf("rows %d, modifier missing %.3f, jomo %s, %s\n", nrow(d), mean(is.na(d$M)), packageVersion("jomo"), R.version.string))
for (run in 1:3) {
  t <- system.time(jomo.lmer(Y ~ A * M * X1 + (1 | cluster), d, level = c(1, 2, 1, 1, 1),
                             nburn = 1000, nbetween = 100, nimp = 15, output = 0))
  cat(sprintf("run %d: cpu %.2f s, elapsed %.2f s\n", run, t[["user.self"]] + t[["sys.self"]], t[["elapsed"]]))
}
