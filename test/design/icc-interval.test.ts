import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { anovaIccInterval, profileIccInterval } from "../../src/design/icc-interval.ts";
import { iccFromData } from "../../src/design/icc.ts";
import { modelFrame } from "../../src/formula/frame.ts";
import { near } from "../helpers/frame.ts";

/** R reference intervals written by fixtures/r/icc-interval.R. */
interface IntervalCase {
  name: string;
  cluster: number[];
  y: number[];
  intervals: Record<string, { anova: number[]; searle?: number[]; reml: { theta: number; confLow: number; confHigh: number }; ml: { theta: number; confLow: number; confHigh: number } }>;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/icc-interval.json", import.meta.url), "utf8")) as { cases: IntervalCase[] };

// The F interval is a closed form (1e-10); the profile limits are roots of the
// profiled criterion found by both sides to ~1e-13 in θ, but θ̂ itself comes
// from two optimizers (1e-7).
for (const c of fixture.cases) {
  for (const [key, ref] of Object.entries(c.intervals)) {
    const level = Number(key.replace("level", "")) / 100;
    test(`ICC intervals match R on ${c.name} at level ${level}`, () => {
      const data = datasetFromRecord({ cluster: c.cluster, y: c.y });
      const frame = modelFrame(data, "y ~ 1", { cluster: "cluster" });
      const f = anovaIccInterval(frame.y, frame.clusters!.starts, level);
      near(f.confLow, ref.anova[0], 1e-10, "anova low");
      near(f.confHigh, ref.anova[1], 1e-10, "anova high");
      if (ref.searle) {
        assert.equal(f.intervalMethod, "searle");
        near(f.confLow, ref.searle[0], 1e-10, "Searle low");
        near(f.confHigh, ref.searle[1], 1e-10, "Searle high");
      }
      for (const method of ["reml", "ml"] as const) {
        const fit = iccFromData(data, { outcome: "y", cluster: "cluster", method });
        const theta = Math.sqrt(fit.varianceBetween / fit.varianceWithin);
        const p = profileIccInterval(frame, method, theta, level);
        near(p.confLow, ref[method].confLow, 1e-7, `${method} low`);
        near(p.confHigh, ref[method].confHigh, 1e-7, `${method} high`);
        assert.ok(p.confLow <= fit.icc && fit.icc <= p.confHigh, `${method} interval contains the estimate`);
      }
    });
  }
}

test("ICC intervals refuse a level outside (0, 1) and data without within-cluster variation", () => {
  const data = datasetFromRecord({ cluster: [1, 1, 2, 2, 3, 3], y: [1, 1, 2, 2, 3, 3] });
  const frame = modelFrame(data, "y ~ 1", { cluster: "cluster" });
  assert.throws(() => anovaIccInterval(frame.y, frame.clusters!.starts, 1.2), /level/);
  assert.throws(() => anovaIccInterval(frame.y, frame.clusters!.starts, 0.95), /does not vary within/);
});
