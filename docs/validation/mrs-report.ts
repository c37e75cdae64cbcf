/**
 * Turns docs/validation/mrs-summary.json (written by `mrs-run.ts summarize`)
 * into the row tables of docs/validation/mrs-table1.md and mrs-table5.md
 * (written to mrs-table1-rows.md and mrs-table5-rows.md, to paste under
 * "Rows"): crtkit's performance next to the values published in Li et al. (2025)
 * (Tables 1 and 5).
 *
 *   node --conditions=source --import tsx docs/validation/mrs-report.ts
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Row {
  scenario: string;
  clusters: number;
  outcome?: string;
  delta?: number;
  method: string;
  estimand: string;
  truth: number;
  nReps: number;
  nFailed: number;
  bias: number | null;
  biasMcse: number | null;
  empSe: number | null;
  empSeMcse: number | null;
  modelSe: number | null;
  modelSeMcse: number | null;
  coverage: number | null;
  coverageMcse: number | null;
  rejection: number | null;
  rejectionMcse: number | null;
}

/** Li et al. (2025) Table 1: [percent bias, MCSD, AESE, coverage %] for Δ_C, then for Δ_I (null where the table has none). */
type Published = { c: [number, number, number, number]; i: [number, number, number, number] | null } | null;
const TABLE1: Record<string, Published> = {
  // m = 30, unadjusted. The extracted text of the table lost one row: the LMM "Coef" row.
  "30/lm-unadj-coef": { c: [-0.6, 1.72, 1.63, 93.2], i: null },
  "30/lm-unadj-mrs": { c: [-0.6, 1.72, 1.73, 94.7], i: [-0.3, 1.84, 1.9, 93.8] },
  "30/lmm-unadj-coef": null,
  "30/lmm-unadj-mrs": { c: [-0.6, 1.72, 1.73, 94.7], i: [-0.3, 1.84, 1.9, 93.8] },
  "30/gee-exch-unadj-coef": { c: [-0.6, 1.72, 1.76, 95.1], i: null },
  "30/gee-exch-unadj-mrs": { c: [-0.6, 1.72, 1.73, 94.7], i: [-0.3, 1.84, 1.9, 93.8] },
  "30/gee-ind-unadj-coef": { c: [-0.1, 1.85, 1.95, 94.4], i: null },
  "30/gee-ind-unadj-mrs": { c: [-0.4, 1.74, 1.74, 94.7], i: [-0.1, 1.85, 1.92, 93.9] },
  "30/lm-adj-coef": { c: [0.2, 0.3, 0.25, 90.7], i: null },
  "30/lm-adj-mrs": { c: [0.2, 0.3, 0.38, 98.3], i: [0.2, 0.32, 0.4, 97.6] },
  "30/lmm-adj-coef": { c: [0.2, 0.3, 0.25, 90.8], i: null },
  "30/lmm-adj-mrs": { c: [0.2, 0.3, 0.35, 97.2], i: [0.2, 0.32, 0.36, 96.7] },
  "30/gee-exch-adj-coef": { c: [0.2, 0.3, 0.35, 97.6], i: null },
  "30/gee-exch-adj-mrs": { c: [0.2, 0.3, 0.35, 97.2], i: [0.2, 0.32, 0.36, 96.7] },
  "30/gee-ind-adj-coef": { c: [0.2, 0.32, 0.38, 96.7], i: null },
  "30/gee-ind-adj-mrs": { c: [0.0, 0.3, 0.36, 97.0], i: [0.2, 0.32, 0.37, 96.6] },
  "100/lm-unadj-coef": { c: [-0.2, 0.49, 0.47, 94.8], i: null },
  "100/lm-unadj-mrs": { c: [-0.2, 0.49, 0.48, 95.3], i: [0.0, 0.54, 0.53, 94.2] },
  "100/lmm-unadj-coef": null,
  "100/lmm-unadj-mrs": { c: [-0.2, 0.49, 0.48, 95.3], i: [0.0, 0.54, 0.53, 94.2] },
  "100/gee-exch-unadj-coef": { c: [-0.2, 0.49, 0.48, 95.5], i: null },
  "100/gee-exch-unadj-mrs": { c: [-0.2, 0.49, 0.48, 95.3], i: [0.0, 0.54, 0.53, 94.2] },
  "100/gee-ind-unadj-coef": { c: [0.0, 0.54, 0.54, 94.6], i: null },
  "100/gee-ind-unadj-mrs": { c: [-0.2, 0.49, 0.48, 95.5], i: [0.0, 0.54, 0.53, 94.3] },
  "100/lm-adj-coef": { c: [0.0, 0.17, 0.16, 94.2], i: null },
  "100/lm-adj-mrs": { c: [0.0, 0.17, 0.18, 96.9], i: [0.0, 0.18, 0.19, 96.1] },
  "100/lmm-adj-coef": { c: [0.0, 0.17, 0.16, 93.9], i: null },
  "100/lmm-adj-mrs": { c: [0.0, 0.17, 0.18, 96.5], i: [0.0, 0.18, 0.19, 95.8] },
  "100/gee-exch-adj-coef": { c: [0.0, 0.17, 0.18, 96.6], i: null },
  "100/gee-exch-adj-mrs": { c: [0.0, 0.17, 0.18, 96.4], i: [0.0, 0.18, 0.19, 95.8] },
  "100/gee-ind-adj-coef": { c: [0.0, 0.18, 0.19, 96.2], i: null },
  "100/gee-ind-adj-mrs": { c: [0.0, 0.17, 0.18, 96.3], i: [0.0, 0.18, 0.19, 96.2] },
};

/** Li et al. (2025) Table 5, δ = 0: rejection rates (%) of the ICS test. */
const TABLE5: Record<string, number> = {
  "continuous/30/lm-adj-mrs": 1.6,
  "continuous/30/lmm-adj-mrs": 1.6,
  "continuous/30/gee-exch-adj-mrs": 1.1,
  "continuous/30/gee-ind-adj-mrs": 1.1,
  "continuous/100/lm-adj-mrs": 5.6,
  "continuous/100/lmm-adj-mrs": 5.6,
  "continuous/100/gee-exch-adj-mrs": 4.9,
  "continuous/100/gee-ind-adj-mrs": 4.9,
  "binary/30/lm-adj-mrs": 1.5,
  "binary/30/lmm-adj-mrs": 1.7,
  "binary/30/gee-exch-adj-mrs": 1.7,
  "binary/30/gee-ind-adj-mrs": 1.0,
  "binary/100/lm-adj-mrs": 3.8,
  "binary/100/lmm-adj-mrs": 4.0,
  "binary/100/gee-exch-adj-mrs": 4.1,
  "binary/100/gee-ind-adj-mrs": 3.6,
};

const here = (f: string) => new URL(f, import.meta.url).pathname;
const data = JSON.parse(readFileSync(here("./mrs-summary.json"), "utf8")) as { studies: unknown[]; summary: Row[] };
const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? "–" : v.toFixed(d));

function ours(r: Row | undefined): [string, string, string, string] {
  if (!r || r.bias === null) return ["–", "–", "–", "–"];
  const pb = (100 * r.bias) / r.truth;
  const pbSe = (100 * (r.biasMcse ?? 0)) / Math.abs(r.truth);
  return [
    `${f(pb, 1)} (${f(pbSe, 1)})`,
    `${f(r.empSe)} (${f(r.empSeMcse, 3)})`,
    `${f(r.modelSe)} (${f(r.modelSeMcse, 3)})`,
    `${f(100 * (r.coverage ?? NaN), 1)} (${f(100 * (r.coverageMcse ?? NaN), 1)})`,
  ];
}

function pub(v: [number, number, number, number] | null | undefined): [string, string, string, string] {
  if (!v) return ["–", "–", "–", "–"];
  return [f(v[0], 1), f(v[1]), f(v[2]), f(v[3], 1)];
}

// ---------------------------------------------------------------- Table 1
const t1 = data.summary.filter((r) => r.scenario === "mrs-continuous");
const lines: string[] = [];
const methods = ["lm", "lmm", "gee-exch", "gee-ind"];
const reps = new Set(t1.map((r) => r.nReps + r.nFailed));
lines.push(
  "| m | adj. | model | method | estimand | BIAS % crtkit (MCSE) | BIAS % seed | MCSD crtkit (MCSE) | MCSD seed | AESE crtkit (MCSE) | AESE seed | COV % crtkit (MCSE) | COV % seed | failed |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
);
for (const m of [30, 100]) {
  for (const adj of ["unadj", "adj"]) {
    for (const w of methods) {
      for (const kind of ["coef", "mrs"]) {
        const key = `${w}-${adj}-${kind}`;
        const published = TABLE1[`${m}/${key}`];
        for (const est of ["clusterAte", "individualAte"] as const) {
          if (kind === "coef" && est === "individualAte") continue; // Δ_C = Δ_I here: the seed reports Coef once
          const r = t1.find((x) => x.clusters === m && x.method === key && x.estimand === est);
          const o = ours(r);
          const p = pub(published ? (est === "clusterAte" ? published.c : published.i) : null);
          lines.push(
            `| ${m} | ${adj === "adj" ? "✓" : "×"} | ${w} | ${kind.toUpperCase()} | ${est === "clusterAte" ? "Δ_C" : "Δ_I"} | ${o[0]} | ${p[0]} | ${o[1]} | ${p[1]} | ${o[2]} | ${p[2]} | ${o[3]} | ${p[3]} | ${r?.nFailed ?? "–"} |`,
          );
        }
      }
    }
  }
}
writeFileSync(here("./mrs-table1-rows.md"), lines.join("\n") + "\n");

// ---------------------------------------------------------------- Table 5
const t5 = data.summary.filter((r) => r.scenario === "mrs-ics-test" && r.estimand === "ics");
const l5: string[] = [
  "| outcome | m | model (continuous / binary) | replicates | rejection % crtkit (MCSE) | rejection % seed | difference (pp) / MCSE |",
  "|---|---|---|---|---|---|---|",
];
const names: Record<string, string> = { "lm-adj-mrs": "LM / GLM", "lmm-adj-mrs": "LMM / GLMM", "gee-exch-adj-mrs": "GEE-exch", "gee-ind-adj-mrs": "GEE-ind" };
for (const outcome of ["continuous", "binary"]) {
  for (const m of [30, 100]) {
    for (const method of Object.keys(names)) {
      const r = t5.find((x) => x.outcome === outcome && x.clusters === m && x.method === method);
      const seed = TABLE5[`${outcome}/${m}/${method}`];
      const rej = r?.rejection ?? null;
      const se = r?.rejectionMcse ?? null;
      const z = rej !== null && se !== null && se > 0 ? ((100 * rej - seed) / (100 * se)).toFixed(1) : "–";
      l5.push(
        `| ${outcome} | ${m} | ${names[method]} | ${r ? r.nReps : "–"}${r && r.nFailed ? ` (+${r.nFailed} failed)` : ""} | ${rej === null ? "–" : `${f(100 * rej, 1)} (${f(100 * (se ?? NaN), 1)})`} | ${f(seed, 1)} | ${z} |`,
      );
    }
  }
}
writeFileSync(here("./mrs-table5-rows.md"), l5.join("\n") + "\n");
console.log(`Table 1: ${t1.length} rows, replicates per condition ${[...reps].join(", ")}; Table 5: ${t5.length} rows`);
