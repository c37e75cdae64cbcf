/**
 * The report of a missingness diagnosis (`crtkit missingness`): the JSON
 * result of docs/cli.md and a summary whose primary table is the
 * per-cluster table (largest proportion missing first), followed by the
 * arms, the representation of complete cases, the indicator model and the
 * arm comparison, with the ICC and the test of zero cluster variance as facts.
 */
import type { MissingnessResult } from "../missingness/diagnose.ts";
import type { Cell, Report, Table } from "./summary.ts";
import { coefficientsTable, estimatesTable, levelFact } from "./tables.ts";
import { formatCell } from "./text.ts";

/** "0.0617 (0.0323 to 0.111)": an estimate with its interval, as the facts show it. */
function withInterval(e: { estimate: number; confLow: number; confHigh: number }): string {
  return `${formatCell(e.estimate)} (${formatCell(e.confLow)} to ${formatCell(e.confHigh)})`;
}

const percent = (p: number): string => `${(100 * p).toFixed(1)}%`;

/** "p = 0.87" or "p <1e-4". */
function pText(p: number): string {
  const text = formatCell(p, "p");
  return text.startsWith("<") ? `p ${text}` : `p = ${text}`;
}

function jsonOf(r: MissingnessResult): Report["json"] {
  const icc = r.missingnessIcc;
  const model = r.indicatorModel;
  return {
    variable: r.variable,
    cluster: r.cluster,
    treatment: r.treatment,
    indicator: r.indicator,
    nRows: r.nRows,
    nObs: r.nObs,
    nDropped: r.nDropped,
    nClusters: r.nClusters,
    nMissing: r.nMissing,
    propMissing: r.propMissing,
    byCluster: r.byCluster,
    byArm: r.byArm,
    clustersLosingHalf: r.clustersLosingHalf,
    clustersAllMissing: r.clustersAllMissing,
    missingnessIcc:
      icc === null
        ? null
        : {
            estimate: icc.estimate,
            confLow: icc.confLow,
            confHigh: icc.confHigh,
            randomInterceptSd: icc.randomInterceptSd,
            intercept: icc.intercept,
            scale: "latent",
            interval: "profile likelihood",
          },
    zeroVarianceTest: r.zeroVarianceTest === null ? null : { ...r.zeroVarianceTest, reference: "0.5*chisq(0) + 0.5*chisq(1)" },
    indicatorModel:
      model === null
        ? null
        : {
            formula: model.formula,
            coefficients: model.coefficients,
            oddsRatios: model.oddsRatios,
            randomInterceptSd: model.randomInterceptSd,
            logLik: model.logLik,
            nObs: model.nObs,
            nMissing: model.nMissing,
            nDropped: model.nDropped,
          },
    representation: r.representation,
    armComparison: r.armComparison,
    level: r.level,
    diagnostics: r.diagnostics,
  };
}

function facts(r: MissingnessResult): (readonly [string, Cell])[] {
  const props = r.byCluster.map((c) => c.propMissing);
  const out: (readonly [string, Cell])[] = [
    ["Variable", `${r.variable} (indicator ${r.indicator} = 1 when missing)`],
    ["Rows analysed", r.nObs],
    ["Rows without cluster or treatment", r.nDropped],
    ["Clusters", r.nClusters],
    ["Missing", `${r.nMissing} of ${r.nObs} (${percent(r.propMissing)})`],
    ["Missing by cluster", `${percent(Math.min(...props))} to ${percent(Math.max(...props))}`],
    ["Clusters losing more than half", r.clustersLosingHalf.length],
    ["Clusters with none observed", r.clustersAllMissing.length],
  ];
  if (r.missingnessIcc !== null) {
    out.push(["Missingness ICC (latent scale)", withInterval(r.missingnessIcc)]);
    out.push(["Random-intercept SD of R", withInterval(r.missingnessIcc.randomInterceptSd)]);
  }
  if (r.zeroVarianceTest !== null) {
    const t = r.zeroVarianceTest;
    out.push(["No cluster variation (LRT)", `${formatCell(t.statistic)}, ${pText(t.pValue)} (½χ²₀ + ½χ²₁)`]);
  }
  if (r.armComparison !== null) {
    const { arms, difference } = r.armComparison;
    out.push([`Arm ${arms[1]} − arm ${arms[0]} (cluster means)`, `${withInterval(difference)}, ${pText(difference.pValue)}`]);
  }
  out.push(levelFact(r.level));
  return out;
}

function tables(r: MissingnessResult): Table[] {
  const out: Table[] = [
    {
      title: "Missingness by cluster (largest proportion first)",
      columns: ["cluster", "arm", "n", "nMissing", "propMissing"],
      rows: r.byCluster.map((c) => [c.cluster, c.arm, c.n, c.nMissing, c.propMissing]),
      optional: ["arm"],
    },
    {
      title: "By arm",
      columns: ["arm", "nClusters", "n", "nMissing", "propMissing", "meanClusterPropMissing"],
      rows: r.byArm.map((a) => [a.arm, a.nClusters, a.n, a.nMissing, a.propMissing, a.meanClusterPropMissing]),
      optional: ["arm"],
    },
  ];
  if (r.representation.length > 0) {
    out.push({
      title: "Who the complete cases are: smd = (meanComplete − meanAll) / sdAll",
      columns: ["variable", "nAll", "nComplete", "meanAll", "meanComplete", "sdAll", "smd"],
      rows: r.representation.map((v) => [v.variable, v.nAll, v.nComplete, v.meanAll, v.meanComplete, v.sdAll, v.smd]),
    });
  }
  const model = r.indicatorModel;
  if (model !== null) {
    out.push(coefficientsTable(model.coefficients, `Indicator model (log-odds of missing): ${model.formula}, random-intercept SD ${formatCell(model.randomInterceptSd)}`));
    if (model.oddsRatios.length > 0) {
      out.push({
        title: "Odds ratios of missing",
        columns: ["term", "odds.ratio", "conf.low", "conf.high"],
        rows: model.oddsRatios.map((o) => [o.term, o.oddsRatio, o.confLow, o.confHigh]),
      });
    }
  }
  if (r.armComparison !== null) {
    const { arms, difference, method } = r.armComparison;
    out.push(estimatesTable(["comparison"], [[[`arm ${arms[1]} − arm ${arms[0]}`], difference]], `Proportion missing, difference between arms (${method})`));
  }
  return out;
}

export function missingnessReport(r: MissingnessResult): Report {
  return {
    json: jsonOf(r),
    summary: {
      title: `Missingness of '${r.variable}' by cluster ('${r.cluster}')`,
      facts: facts(r),
      tables: tables(r),
      diagnostics: r.diagnostics,
    },
  };
}
