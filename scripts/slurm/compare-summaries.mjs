// Used by scripts/test-slurm.sh: checks that the summary written by
// `crtkit simulate summarize` over the shard files of a Slurm run equals the
// summary of the same study run unsharded (`crtkit simulate --format json`).
//
//   node scripts/slurm/compare-summaries.mjs SHARDED.json UNSHARDED.json REPS
//
// Exits 0 when every row and field of `summary` agrees exactly (numbers
// compared as the doubles they parse to), every row has nReps = REPS and the
// sharded summary has no warning or error diagnostics; prints what differs
// otherwise and exits 1.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const [shardedPath, directPath, repsText] = process.argv.slice(2);
if (!shardedPath || !directPath || !repsText) {
  console.error("usage: compare-summaries.mjs SHARDED.json UNSHARDED.json REPS");
  process.exit(2);
}
const reps = Number(repsText);
const read = (path) => {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    console.error(`cannot read ${path}: ${e.message}`);
    process.exit(1);
  }
};
const sharded = read(shardedPath);
const direct = read(directPath);
const problems = [];

for (const [name, doc] of [["sharded", sharded], ["unsharded", direct]]) {
  if (!Array.isArray(doc.summary) || doc.summary.length === 0) problems.push(`${name}: no summary rows`);
  for (const d of doc.diagnostics ?? []) {
    if (d.severity !== "info") problems.push(`${name}: diagnostic ${d.severity} ${d.code}: ${d.message}`);
  }
}

const a = sharded.summary ?? [];
const b = direct.summary ?? [];
if (a.length !== b.length) problems.push(`row count: sharded ${a.length}, unsharded ${b.length}`);
let fields = 0;
for (let i = 0; i < Math.min(a.length, b.length); i++) {
  const label = `row ${i} (${b[i].method}${b[i].imputationModel ? ` [${b[i].imputationModel}]` : ""}, ${b[i].estimand})`;
  const keys = new Set([...Object.keys(a[i]), ...Object.keys(b[i])]);
  for (const k of keys) {
    fields++;
    if (!isDeepStrictEqual(a[i][k], b[i][k])) {
      problems.push(`${label} ${k}: sharded ${JSON.stringify(a[i][k])}, unsharded ${JSON.stringify(b[i][k])}`);
    }
  }
  if (b[i].nReps + b[i].nFailed !== reps && b[i].nReps !== reps) {
    problems.push(`${label}: nReps ${b[i].nReps} (nFailed ${b[i].nFailed}), expected ${reps} replicates`);
  }
}

const sameBytes = JSON.stringify(a) === JSON.stringify(b);
if (problems.length > 0) {
  for (const p of problems.slice(0, 40)) console.log(`  differs: ${p}`);
  if (problems.length > 40) console.log(`  … ${problems.length - 40} more`);
  process.exit(1);
}
console.log(
  `  summary: ${a.length} rows, ${fields} fields equal to the unsharded run` +
    `${sameBytes ? " (serialized summary arrays identical byte for byte)" : ""}`,
);
