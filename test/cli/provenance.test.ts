/**
 * Provenance in every JSON result (docs/cli.md, "Conventions"): the crtkit
 * version, the SHA-256 of the input bytes (null without input) and the seed
 * (null for deterministic commands); nothing that depends on time, host or
 * --workers.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { toJson } from "../../src/report/json.ts";
import { EXAMPLE, run } from "./run.ts";

const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version as string;
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const provenance = (stdout: string) => JSON.parse(stdout).provenance as { crtkitVersion: string; inputSha256: string | null; seed: number | null };

const TOY = ["simulate", "--scenario", "toy", "--reps", "6", "--param", "bootstrapReps=5", "--seed", "3", "--format", "json"];

test("a command reading a file records the file's SHA-256; a deterministic command has seed null", async () => {
  const r = await run(["gee", EXAMPLE, "--formula", "Y ~ A*M", "--cluster", "cluster", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(provenance(r.stdout), { crtkitVersion: VERSION, inputSha256: sha256(readFileSync(EXAMPLE)), seed: null });
  // The last field, after diagnostics.
  assert.deepEqual(Object.keys(JSON.parse(r.stdout)).slice(-2), ["diagnostics", "provenance"]);
});

test("standard input is hashed as the bytes read", async () => {
  const text = readFileSync(EXAMPLE, "utf8");
  const r = await run(["icc", "-", "--cluster", "cluster", "--outcome", "Y", "--format", "json"], text);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(provenance(r.stdout).inputSha256, sha256(text));
});

test("commands without input have inputSha256 null; stochastic ones record the seed, given or default", async () => {
  const size = await run(["design", "samplesize", "--delta", "0.5", "--sd", "1", "--cluster-size", "10", "--icc", "0.05", "--format", "json"]);
  assert.deepEqual(provenance(size.stdout), { crtkitVersion: VERSION, inputSha256: null, seed: null });
  const toy = await run([...TOY, "--workers", "1"]);
  assert.equal(toy.code, 0, toy.stderr);
  assert.deepEqual(provenance(toy.stdout), { crtkitVersion: VERSION, inputSha256: null, seed: 3 });
  const defaulted = await run(["design", "randomize", EXAMPLE, "--cluster", "cluster", "--covariates", "X1", "--format", "json"]);
  assert.equal(provenance(defaulted.stdout).seed, 1);
  // design power draws random numbers only with --simulate.
  const power = ["design", "power", "--delta", "0.5", "--sd", "1", "--cluster-size", "10", "--clusters-per-arm", "10", "--icc", "0.05", "--format", "json"];
  assert.equal(provenance((await run(power)).stdout).seed, null);
  const simulated = await run([...power, "--simulate", "--reps", "20", "--seed", "9", "--workers", "1"]);
  assert.equal(simulated.code, 0, simulated.stderr);
  assert.equal(provenance(simulated.stdout).seed, 9);
});

test("a stochastic command gives the same bytes whatever --workers is", async () => {
  const one = await run([...TOY, "--workers", "1"]);
  const two = await run([...TOY, "--workers", "2"]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.stdout, one.stdout);
  const power = ["design", "power", "--delta", "0.5", "--sd", "1", "--cluster-size", "10", "--clusters-per-arm", "6", "--icc", "0.05", "--simulate", "--reps", "40", "--format", "json"];
  assert.equal((await run([...power, "--workers", "2"])).stdout, (await run([...power, "--workers", "1"])).stdout);
});

test("JSON text never ends or confuses an HTML script element, and parses back to the same value", () => {
  const tricky = { s: "a</script><!-- b </SCRIPT c \\</script", diagnostics: [] };
  const text = toJson(tricky);
  assert.doesNotMatch(text, /<\/script|<!--/i);
  assert.deepEqual(JSON.parse(text), tricky);
});
