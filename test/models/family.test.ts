/**
 * One property suite over every Link and every Family: round trips,
 * analytic against numeric derivatives, deviance and log-likelihood
 * identities. Closed forms, so tolerances are tight (1e-12) except for the
 * central-difference derivatives (~1e-7 relative: O(h²) truncation plus
 * rounding of order ε/h).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { FAMILIES, getFamily, getLink, LINKS, resolveFamily, type Family, type Link } from "../../src/models/family/index.ts";

/** Means inside each link's natural range, away from the clamps. */
function meansFor(link: Link): number[] {
  switch (link.name) {
    case "logit":
    case "probit":
    case "cloglog":
      return [1e-6, 0.01, 0.2, 0.5, 0.73, 0.99, 1 - 1e-6];
    case "log":
    case "inverse":
      return [1e-4, 0.3, 1, 2.5, 40, 1e4];
    default:
      return [-1e3, -2.5, -1e-3, 0, 0.7, 3, 1e5];
  }
}

/** Central difference with a step relative to |x| (absolute near 0). */
function centralDiff(f: (x: number) => number, x: number, relStep = 1e-5): number {
  const h = relStep * (x !== 0 ? Math.abs(x) : 1);
  return (f(x + h) - f(x - h)) / (2 * h);
}

for (const link of Object.values(LINKS)) {
  test(`link ${link.name}: linkinv(linkfun(mu)) = mu and valideta holds`, () => {
    for (const mu of meansFor(link)) {
      const eta = link.linkfun(mu);
      assert.ok(Number.isFinite(eta), `linkfun(${mu}) = ${eta}`);
      assert.ok(link.valideta(eta));
      const back = link.linkinv(eta);
      assert.ok(Math.abs(back - mu) <= 1e-12 * Math.max(1, Math.abs(mu)) + 1e-15, `linkinv(linkfun(${mu})) = ${back}`);
    }
  });

  test(`link ${link.name}: analytic dmu/deta equals the numeric derivative`, () => {
    for (const mu of meansFor(link)) {
      const eta = link.linkfun(mu);
      if (link.name === "probit" && Math.abs(eta) > 4) continue; // density clamped at ε far out
      const numeric = centralDiff((e) => link.linkinv(e), eta);
      const analytic = link.muEta(eta);
      assert.ok(Math.abs(analytic - numeric) <= 1e-6 * Math.abs(analytic) + 1e-12, `${link.name} at eta=${eta}: ${analytic} vs ${numeric}`);
    }
  });

  test(`link ${link.name}: linkinv is monotone and dmu/deta has the sign of its slope`, () => {
    const etas = meansFor(link).map((m) => link.linkfun(m)).sort((a, b) => a - b);
    const sign = Math.sign(link.muEta(etas[Math.floor(etas.length / 2)]));
    for (let i = 1; i < etas.length; i++) {
      const d = link.linkinv(etas[i]) - link.linkinv(etas[i - 1]);
      assert.ok(d * sign >= 0, `${link.name} not monotone between ${etas[i - 1]} and ${etas[i]}`);
      assert.equal(Math.sign(link.muEta(etas[i])), sign);
    }
  });
}

test("links keep means inside (0, 1) or (0, ∞) far out, as R's make.link does", () => {
  for (const name of ["logit", "probit", "cloglog"]) {
    const l = getLink(name);
    for (const eta of [-1e3, -40, 40, 1e3]) {
      const mu = l.linkinv(eta);
      assert.ok(mu > 0 && mu < 1, `${name}(${eta}) = ${mu}`);
      assert.ok(l.muEta(eta) > 0);
    }
  }
  assert.ok(getLink("log").linkinv(-1e4) > 0);
  assert.equal(getLink("inverse").valideta(0), false);
});

/** Valid responses and means for each family. */
function casesFor(f: Family): { y: number[]; mu: number[] } {
  switch (f.name) {
    case "binomial":
      return { y: [0, 1, 0.25, 1, 0], mu: [0.1, 0.9, 0.3, 0.5, 0.999] };
    case "poisson":
      return { y: [0, 1, 3, 10, 2], mu: [0.5, 1.2, 3, 7.5, 0.01] };
    default:
      return { y: [-2, 0, 1.5, 3, 10], mu: [-1, 0.5, 1.5, 2, 12] };
  }
}

for (const family of Object.values(FAMILIES)) {
  test(`family ${family.name}: deviance is ≥ 0, zero at mu = y, and scales with the weight`, () => {
    const { y, mu } = casesFor(family);
    y.forEach((yi, i) => {
      const d = family.deviance(yi, mu[i], 1);
      assert.ok(d >= 0, `deviance(${yi}, ${mu[i]}) = ${d}`);
      assert.ok(Math.abs(family.deviance(yi, mu[i], 2.5) - 2.5 * d) <= 1e-12 * (1 + d));
      if (family.validmu(yi)) assert.ok(Math.abs(family.deviance(yi, yi, 1)) <= 1e-12);
    });
  });

  test(`family ${family.name}: d deviance / d mu = -2 (y - mu) / V(mu) (the quasi-score)`, () => {
    const { y, mu } = casesFor(family);
    y.forEach((yi, i) => {
      const numeric = centralDiff((m) => family.deviance(yi, m, 1), mu[i], 1e-7);
      const analytic = (-2 * (yi - mu[i])) / family.variance(mu[i]);
      assert.ok(Math.abs(numeric - analytic) <= 1e-6 * Math.abs(analytic) + 1e-8, `${family.name} y=${yi} mu=${mu[i]}: ${numeric} vs ${analytic}`);
    });
  });

  test(`family ${family.name}: varianceDerivative equals the numeric derivative of V`, () => {
    for (const m of casesFor(family).mu) {
      const numeric = centralDiff((u) => family.variance(u), m);
      assert.ok(Math.abs(numeric - family.varianceDerivative(m)) <= 1e-7 * (1 + Math.abs(numeric)));
    }
  });

  test(`family ${family.name}: starting means are valid for every allowed link`, () => {
    const { y } = casesFor(family);
    for (const linkName of family.links) {
      const link = getLink(linkName);
      for (const yi of y) {
        if (family.name === "gaussian" && linkName !== "identity" && yi <= 0) continue; // no valid start (R refuses too)
        const mu0 = family.startingMu(yi, 1);
        assert.ok(family.validmu(mu0), `${family.name} start ${mu0}`);
        assert.ok(Number.isFinite(link.linkfun(mu0)));
      }
    }
    assert.equal(resolveFamily(family.name).link.name, family.defaultLink);
  });

  test(`family ${family.name}: the deviance is twice the log-likelihood gap to the saturated model`, () => {
    const { y, mu } = casesFor(family);
    const yi = family.name === "binomial" ? y.map((v) => Math.round(v)) : y; // saturated model needs 0/1 for binomial
    const dev = yi.reduce((s, v, i) => s + family.deviance(v, mu[i], 1), 0);
    const llFit = family.logLik(yi, mu, undefined, dev);
    if (family.name === "gaussian") {
      // Gaussian logLik uses the ML variance dev/n: ℓ = -n/2 (log(2π dev/n) + 1).
      const n = y.length;
      assert.ok(Math.abs(llFit + (n / 2) * (Math.log((2 * Math.PI * dev) / n) + 1)) <= 1e-12);
      return;
    }
    const llSat = family.logLik(yi, yi.map((v) => (family.validmu(v) ? v : v === 0 ? 1e-300 : 1 - 1e-16)), undefined, 0);
    assert.ok(Math.abs(2 * (llSat - llFit) - dev) <= 1e-9 * (1 + dev), `${2 * (llSat - llFit)} vs ${dev}`);
  });
}

test("binomial log-likelihood of proportions with trial weights is the binomial pmf", () => {
  const b = getFamily("binomial");
  // 3 of 10 successes at p = 0.4: log(choose(10,3) 0.4^3 0.6^7).
  const expected = Math.log(120) + 3 * Math.log(0.4) + 7 * Math.log(0.6);
  assert.ok(Math.abs(b.logLik([0.3], [0.4], [10], 0) - expected) <= 1e-12);
  // Poisson: log(e^-2 2^3 / 3!).
  const expectedPois = -2 + 3 * Math.log(2) - Math.log(6);
  assert.ok(Math.abs(getFamily("poisson").logLik([3], [2], undefined, 0) - expectedPois) <= 1e-12);
});

test("unknown names and disallowed links are InputErrors listing the choices", () => {
  assert.throws(() => getLink("cauchit"), (e: unknown) => e instanceof InputError && /unknown link 'cauchit'; use one of: identity, logit/.test((e as Error).message));
  assert.throws(() => getFamily("Gamma"), /unknown family 'Gamma'; use one of: gaussian, binomial, poisson/);
  assert.throws(() => resolveFamily("poisson", "logit"), /link 'logit' is not available for family 'poisson'; use one of: log, identity/);
  assert.equal(resolveFamily("binomial", "probit").link.name, "probit");
});
