/** The design calculator tab: two forms whose results are recomputed (in the worker) as the user types. */
import { field, type FieldControl } from "./dom.ts";
import { ATE_FIELDS, HTE_FIELDS, type DesignField } from "./design.ts";
import type { DesignRequest } from "./protocol.ts";
import { WorkerFailure, type WorkerClient } from "./worker-client.ts";

function calculator(name: DesignRequest["calculator"], fields: readonly DesignField[], host: HTMLElement, out: HTMLElement, worker: WorkerClient): void {
  const controls = new Map<string, FieldControl>();
  for (const f of fields) {
    const id = `design-${name}-${f.name}`;
    const c = field({ id, testId: id, label: f.label, value: f.fallback, kind: f.choices ? "select" : "number", choices: f.choices });
    host.append(c.root);
    controls.set(f.name, c);
  }
  let latest = 0;
  const update = async (): Promise<void> => {
    const values: Record<string, string> = {};
    for (const f of fields) {
      const c = controls.get(f.name)!;
      c.root.hidden = f.when !== undefined && controls.get(f.when[0])!.control.value !== f.when[1];
      c.setError("");
      values[f.name] = c.control.value;
    }
    const request = ++latest;
    try {
      const answer = await worker.request({ kind: "design", input: { calculator: name, values } });
      if (request !== latest) return;
      out.innerHTML = answer.html;
    } catch (e) {
      if (request !== latest || !(e instanceof WorkerFailure)) throw e;
      // The library names the argument first: "icc must be in [0, 1), got 1.5".
      const target = fields.find((f) => e.message.startsWith(`${f.param} `) || e.message.startsWith(`${f.param}:`));
      if (target) controls.get(target.name)!.setError(e.message);
      out.innerHTML = "";
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = e.message;
      out.append(p);
    }
  };
  for (const c of controls.values()) c.control.addEventListener(c.control instanceof HTMLSelectElement ? "change" : "input", () => void update());
  void update();
}

export function setUpDesignTab(worker: WorkerClient): void {
  calculator("ate", ATE_FIELDS, document.getElementById("design-ate-fields")!, document.getElementById("design-ate")!, worker);
  calculator("hte", HTE_FIELDS, document.getElementById("design-hte-fields")!, document.getElementById("design-hte")!, worker);
}
