/**
 * Pólya-Gamma PG(1, z) draws: the exact sampler of Polson, Scott & Windle
 * (2013, JASA), a Devroye-type rejection sampler for J*(1, c) with
 * PG(1, z) = J*(1, z/2) / 4.
 *
 * J*(1, c) has density cosh(c)·e^{−c²x/2}·Σₙ (−1)ⁿ aₙ(x), where the
 * coefficients are taken piecewise around the truncation point t = 0.64:
 *
 *   aₙ(x) = π(n+½)·(2/(πx))^{3/2}·exp(−2(n+½)²/x)   for 0 < x ≤ t,
 *   aₙ(x) = π(n+½)·exp(−(n+½)²π²x/2)                  for x > t.
 *
 * The proposal is proportional to cosh(c)·e^{−c²x/2}·a₀(x): an inverse-Gaussian
 * IG(1/c, 1) truncated to (0, t) on the left and an exponential with rate
 * K = π²/8 + c²/2 shifted to start at t on the right, mixed with weights
 * proportional to their masses q(c) and p(c). A proposal x is accepted by the
 * alternating series: with u uniform, the partial sums Sₙ(x) = Σ_{k≤n}(−1)ᵏaₖ(x)
 * bracket the density, so u·a₀(x) ≤ Sₙ for odd n accepts and u·a₀(x) > Sₙ for
 * even n rejects. Divided by a₀(x) the series is 1 − 3r² + 5r⁶ − 7r¹² + …,
 * with r = e^{−2/x} on the left and r = e^{−π²x/2} on the right.
 *
 * Speed without giving up exactness: each shortcut below takes the decision
 * the plain algorithm would take with the same uniform; they only change how
 * many random bits are drawn.
 *  - The mixture weight p/(p+q) (two normal CDFs and three exponentials) is
 *    read from a table with linear interpolation and an error bound ε; it is
 *    computed exactly only when the uniform falls within ε of the
 *    interpolated weight (probability ≈ 2ε ≈ 10⁻⁵).
 *  - Uniforms are drawn 32 bits first and completed to 53 bits only when the
 *    first 32 do not settle the comparison.
 *  - The first series bound u ≤ 1 − 3r² is checked as u ≤ 1 − 3·r_max², with
 *    r_max = e^{−3.125} the largest r over both pieces, so 99.4% of the
 *    acceptances need no exponential at all.
 *  - The truncated 1/χ²₁ behind the left piece (for c < 1/t) comes from a
 *    normal tail drawn by Robert's (1995) optimal exponential proposal (89.5%
 *    acceptance) instead of the paper's Marsaglia proposal (72%), and its
 *    acceptance test is merged with that of the tilt e^{−c²x/2}.
 */
import { InputError } from "../core/errors.ts";
import { pnorm } from "../distributions/index.ts";
import type { Rng } from "./rng.ts";

/** Truncation point of Polson, Scott & Windle (2013). */
const T = 0.64;
/** 1/t: the left piece is drawn from a truncated IG(1/c, 1) when 1/c ≤ t, i.e. c ≥ 1/t. */
const INV_T = 1 / T;
const PI2 = Math.PI * Math.PI;
const PI2_OVER_8 = PI2 / 8;
const HALF_PI2 = PI2 / 2;
/** Largest r over both pieces: min(2/t, π²t/2) = 2/t = 3.125. */
const R_MAX = Math.exp(-Math.min(2 / T, HALF_PI2 * T));
/**
 * u ≤ 1 − 3·r_max² implies u ≤ 1 − 3r², the first (accepting) series bound.
 * @internal exported for the tests.
 */
export const SERIES_SQUEEZE = 1 - 3 * R_MAX * R_MAX;

/**
 * The probability p/(p+q) that the proposal of J*(1, c) comes from the right
 * (exponential) piece, computed from its closed form:
 * p = π/(2K)·e^{−Kt}, K = π²/8 + c²/2, and q = 2e^{−c}·P(IG(1/c, 1) < t)
 *   = 2[e^{−c}Φ((ct − 1)/√t) + e^{c}Φ(−(ct + 1)/√t)]  (c ≥ 0).
 * Stable for every finite c ≥ 0: once p underflows (c > ≈ 48) it is 0.
 * @internal exported for the tests.
 */
export function rightPieceProbability(c: number): number {
  const k = PI2_OVER_8 + 0.5 * c * c;
  const p = (Math.PI / (2 * k)) * Math.exp(-k * T);
  if (p === 0) return 0;
  const s = Math.sqrt(T);
  const q = 2 * (Math.exp(-c) * pnorm((c * T - 1) / s) + Math.exp(c) * pnorm(-(c * T + 1) / s));
  return p / (p + q);
}

/** Table of rightPieceProbability on [0, TABLE_MAX] with step 1/TABLE_SCALE (used for c < TABLE_MAX). */
const TABLE_SCALE = 128;
const TABLE_MAX = 16;
const TABLE_SIZE = TABLE_MAX * TABLE_SCALE + 1;

function buildTable(): { table: Float64Array; bound: number } {
  const table = new Float64Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) table[i] = rightPieceProbability(i / TABLE_SCALE);
  // The linear-interpolation error on [cᵢ, cᵢ₊₁] is (c − cᵢ)(cᵢ₊₁ − c)·|r''(ξ)|/2,
  // largest near the midpoint, where it is measured. r is smooth and r'' varies
  // little over one step (1/128), so twice the largest midpoint error, plus
  // room for rounding in the closed form, bounds the error everywhere.
  let worst = 0;
  for (let i = 0; i + 1 < TABLE_SIZE; i++) {
    const mid = (i + 0.5) / TABLE_SCALE;
    const err = Math.abs(0.5 * (table[i] + table[i + 1]) - rightPieceProbability(mid));
    if (err > worst) worst = err;
  }
  return { table, bound: 2 * worst + 1e-12 };
}

const { table: RIGHT_TABLE, bound: TABLE_BOUND } = buildTable();

/**
 * The bound ε with |interpolated − exact| ≤ ε for the mixture-weight table.
 * @internal exported for the tests.
 */
export const rightPieceTableBound: number = TABLE_BOUND;

/**
 * The interpolated mixture weight for c in [0, 16), within rightPieceTableBound
 * of rightPieceProbability(c).
 * @internal exported for the tests.
 */
export function rightPieceProbabilityTable(c: number): number {
  const s = c * TABLE_SCALE;
  const i = s | 0;
  const a = RIGHT_TABLE[i];
  return a + (s - i) * (RIGHT_TABLE[i + 1] - a);
}

/**
 * Is u·a₀(x) below the density Σ(−1)ⁿaₙ(x)? Decided by the alternating series
 * 1 − 3r² + 5r⁶ − 7r¹² + … (normalised by a₀), whose partial sums alternately
 * bound the ratio from above and below. `right` says which form of aₙ applies.
 * @internal exported for the tests.
 */
export function seriesAccepts(u: number, x: number, right: boolean): boolean {
  const r = Math.exp(right ? -HALF_PI2 * x : -2 / x);
  const r2 = r * r;
  let step = 1; // r^{2n}
  let power = 1; // r^{n(n+1)}
  let s = 1;
  for (let n = 1; ; n++) {
    step *= r2;
    power *= step;
    const term = (2 * n + 1) * power;
    if ((n & 1) === 1) {
      s -= term;
      if (u <= s) return true;
    } else {
      s += term;
      if (u > s) return false;
    }
  }
}

/*
 * Uniforms are drawn 32 bits first: U = (a·2²¹ + b)·2⁻⁵³ lies in
 * [a·2⁻³², (a+1)·2⁻³²), which usually settles a comparison; the other 21 bits
 * are drawn only when it does not. The result is a full 53-bit uniform.
 */
const TWO_M32 = 2.3283064365386963e-10;
const TWO_M53 = 1.1102230246251565e-16;

/** The series test for a proposal x whose uniform starts with the 32 bits `a` (rare path). */
function seriesAcceptsLazy(rng: Rng, a: number, x: number, right: boolean): boolean {
  const u = (a * 2097152 + (rng.uint32() >>> 11)) * TWO_M53;
  return u <= SERIES_SQUEEZE || seriesAccepts(u, x, right);
}

/**
 * The piece choice when the first 32 bits `a` of the uniform were inconclusive
 * (rare path); w is the interpolated weight, NaN when c is beyond the table.
 */
function choosesRight(rng: Rng, a: number, c: number, w: number): boolean {
  const u = (a * 2097152 + (rng.uint32() >>> 11)) * TWO_M53;
  if (!Number.isNaN(w)) {
    if (u < w - TABLE_BOUND) return true;
    if (u >= w + TABLE_BOUND) return false;
  }
  return u < rightPieceProbability(c);
}

/*
 * Left piece for c < 1/t (μ = 1/c > t): density ∝ x^{−3/2}e^{−1/(2x)}e^{−c²x/2}
 * on (0, t). Untilted, x = 1/y² with y a standard normal conditioned on
 * y > a = 1/√t; y is drawn by Robert's (1995) translated-exponential proposal
 * y = a + E/λ with the optimal rate λ = (a + √(a² + 4))/2, accepted with
 * probability e^{−(y−λ)²/2} (89.5%). The tilt e^{−c²x/2} is one more
 * accept/reject step; the two are merged into one test E' ≥ (y−λ)²/2 + c²x/2.
 */
const TAIL_A = 1 / Math.sqrt(T);
const TAIL_RATE = 0.5 * (TAIL_A + Math.sqrt(TAIL_A * TAIL_A + 4));
const INV_TAIL_RATE = 1 / TAIL_RATE;

/**
 * One proposal from the left piece, then the series test; writes x/4 to
 * out[i] and returns true when accepted. It takes (z, i) rather than c because
 * V8 boxes a double passed to a call it does not inline; this function is
 * called for about half of the draws.
 *
 * For c = |z[i]|/2 < 1/t the piece is the tilted truncated 1/χ²₁ described
 * above. For c ≥ 1/t (μ = 1/c ≤ t) it is IG(μ, 1), drawn by Michael, Schucany
 * & Haas and repeated until it falls below t; the smaller root
 * μ(1 + w/2 − √(w + w²/4)), w = μy, is computed as μ/(1 + w/2 + √(w + w²/4))
 * to avoid cancellation.
 */
function tryLeftPiece(rng: Rng, z: ArrayLike<number>, i: number, out: Float64Array): boolean {
  const c = 0.5 * Math.abs(z[i]);
  let x: number;
  if (c < INV_T) {
    const halfC2 = 0.5 * c * c;
    for (;;) {
      const y = TAIL_A + rng.exponential() * INV_TAIL_RATE;
      const d = y - TAIL_RATE;
      x = 1 / (y * y);
      if (rng.exponential() >= 0.5 * d * d + halfC2 * x) break;
    }
  } else {
    const mu = 1 / c;
    do {
      const g = rng.normal();
      const w = mu * g * g;
      x = mu / (1 + 0.5 * w + Math.sqrt(w + 0.25 * w * w));
      if (rng.uniform() * (mu + x) > mu) x = (mu * mu) / x; // keep x with probability μ/(μ + x)
    } while (x >= T);
  }
  const a = rng.uint32();
  if ((a + 1) * TWO_M32 <= SERIES_SQUEEZE || seriesAcceptsLazy(rng, a, x, false)) {
    out[i] = 0.25 * x;
    return true;
  }
  return false;
}

function invalidZ(z: number, where: string): InputError {
  return new InputError(`Pólya-Gamma PG(1, z) needs a finite z, got ${z}${where}`);
}

/**
 * Draws PG(1, z[i]) into out[i] for i < n (default: z.length); the hot path of
 * a Pólya-Gamma Gibbs sampler (ω for all N rows per iteration). Allocates
 * nothing; n calls of polyaGamma give the same draws.
 *
 * The sampler for J*(1, c), c = |z|/2, is written out in this loop rather than
 * in a function returning a number: V8 allocates a box for a double returned
 * from a call it does not inline. The left piece lives in its own function
 * (taking z and i, returning a boolean) so that V8's inlining budget covers
 * the random-number calls of both this loop and that function.
 *
 * @example
 * const omega = polyaGammaFill(rng, eta, new Float64Array(eta.length));
 */
export function polyaGammaFill(
  rng: Rng,
  z: ArrayLike<number>,
  out: Float64Array,
  n: number = z.length,
): Float64Array {
  if (!Number.isInteger(n) || n < 0 || n > z.length || n > out.length) {
    throw new InputError(
      `polyaGammaFill: n must be an integer in [0, min(z.length, out.length)] = [0, ${Math.min(z.length, out.length)}], got ${n}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    if (!Number.isFinite(zi)) throw invalidZ(zi, ` at index ${i}`);
    const c = 0.5 * Math.abs(zi);
    const halfC2 = 0.5 * c * c;
    const k = PI2_OVER_8 + halfC2;
    // Mixture weight p/(p+q) of the right piece: rightPieceProbabilityTable(c),
    // written out because a call that V8 does not inline would box c and w
    // (NaN beyond the table).
    let w = NaN;
    if (c < TABLE_MAX) {
      const s = c * TABLE_SCALE;
      const j = s | 0;
      const t0 = RIGHT_TABLE[j];
      w = t0 + (s - j) * (RIGHT_TABLE[j + 1] - t0);
    }
    for (;;) {
      // The piece: settled by 32 bits unless they fall within ε + 2⁻³² of w.
      const a = rng.uint32();
      const lo = a * TWO_M32;
      let right: boolean;
      if (lo + TWO_M32 <= w - TABLE_BOUND) right = true;
      else if (lo >= w + TABLE_BOUND) right = false;
      else right = choosesRight(rng, a, c, w);
      if (right) {
        // t + Exp(K): the right piece a₀(x)e^{−c²x/2} ∝ e^{−Kx} on (t, ∞).
        const x = T + rng.exponential() / k;
        // Series test; u ≤ 1 − 3r_max² accepts at once (99.4% of proposals).
        const b = rng.uint32();
        if ((b + 1) * TWO_M32 <= SERIES_SQUEEZE || seriesAcceptsLazy(rng, b, x, true)) {
          out[i] = 0.25 * x;
          break;
        }
      } else if (tryLeftPiece(rng, z, i, out)) break;
    }
  }
  return out;
}

const SCRATCH_Z = new Float64Array(1);
const SCRATCH_OUT = new Float64Array(1);

/**
 * One draw of PG(1, z) (any finite z; PG(1, −z) = PG(1, z)).
 *
 * @example
 * const rng = createRng(1);
 * const omega = polyaGamma(rng, 0.7); // mean tanh(0.35)/1.4 ≈ 0.240
 */
export function polyaGamma(rng: Rng, z: number): number {
  if (!Number.isFinite(z)) throw invalidZ(z, "");
  // One-element module buffers: no allocation per call. (An Rng implementation
  // that itself called polyaGamma would clash with them; none does.)
  SCRATCH_Z[0] = z;
  polyaGammaFill(rng, SCRATCH_Z, SCRATCH_OUT, 1);
  return SCRATCH_OUT[0];
}

/**
 * E[PG(1, z)] = tanh(z/2)/(2z), 1/4 at z = 0 (a series for |z| < 1e-4).
 */
export function polyaGammaMean(z: number): number {
  const a = Math.abs(z);
  if (a < 1e-4) {
    // tanh(u)/u = 1 − u²/3 + 2u⁴/15 − …, u = z/2; the u⁴ term is < 1e-17 here.
    return 0.25 * (1 - (a * a) / 12);
  }
  return Math.tanh(0.5 * a) / (2 * a);
}

/**
 * Var[PG(1, z)] = (sinh z − z)/(4z³cosh²(z/2)), 1/24 at z = 0. A Taylor
 * series for |z| ≤ 1 avoids the cancellation in sinh z − z; for larger |z| the
 * form (tanh(z/2) − z/(cosh z + 1))/(2z³) does not overflow.
 */
export function polyaGammaVariance(z: number): number {
  const a = Math.abs(z);
  if (a <= 1) {
    // (sinh z − z)/z³ = Σ_{k≥0} z^{2k}/(2k+3)!, to k = 8 (error < 1/21! ≈ 2e-20).
    const x = a * a;
    let s = 1 / 121645100408832000; // 1/19!
    s = s * x + 1 / 355687428096000; // 1/17!
    s = s * x + 1 / 1307674368000; // 1/15!
    s = s * x + 1 / 6227020800; // 1/13!
    s = s * x + 1 / 39916800; // 1/11!
    s = s * x + 1 / 362880; // 1/9!
    s = s * x + 1 / 5040; // 1/7!
    s = s * x + 1 / 120; // 1/5!
    s = s * x + 1 / 6; // 1/3!
    // cosh²(z/2) = (cosh z + 1)/2
    return s / (2 * (Math.cosh(a) + 1));
  }
  return (Math.tanh(0.5 * a) - a / (Math.cosh(a) + 1)) / (2 * a * a * a);
}
