/**
 * The report of `crtkit sensitivity`: one row per analysis (kind, setting,
 * method, imputation model, estimand) with broom's columns, the mean imputed
 * modifier and the clusters analysed, and the tipping points.
 */
import type { SensitivityResult } from "../missing/sensitivity.ts";
import type { Report } from "./summary.ts";
import { estimatesTable, levelFact } from "./tables.ts";

export function sensitivityReport(result: SensitivityResult): Report {
  const { analyses, tippingPoint, reference } = result;
  const table = estimatesTable(
    ["kind", "setting", "method", "imputationModel", "estimand"],
    analyses.flatMap((a) => (["hte", "ate"] as const).map((k) => [[a.kind, a.setting, a.method, a.imputationModel ?? "", k], a[k]] as const)),
  );
  const extra = analyses.flatMap((a) => [a, a]);
  return {
    json: {
      analyses: analyses.map((a) => ({ ...a })),
      tippingPoint: tippingPoint.map((t) => ({ ...t })),
      seed: reference.seed,
      diagnostics: result.diagnostics,
    },
    summary: {
      title: "Sensitivity of the missing-modifier analysis",
      facts: [
        ["Rows analysed", reference.data.nObs],
        ["Clusters", reference.data.nClusters],
        ["Modifier missing", reference.data.nMissing],
        ["Seed", reference.seed],
        levelFact(reference.settings.level),
      ],
      tables: [
        {
          ...table,
          columns: [...table.columns, "meanImputed", "clusters"],
          rows: table.rows.map((cells, i) => [...cells, extra[i].meanImputed, extra[i].nClusters]),
        },
        {
          title: "Tipping points (smallest |δ| at which the interval's verdict on the null changes)",
          columns: ["method", "imputationModel", "estimand", "delta"],
          rows: tippingPoint.map((t) => [t.method, t.imputationModel ?? "", t.estimand, t.delta]),
        },
      ],
      diagnostics: result.diagnostics,
    },
  };
}
