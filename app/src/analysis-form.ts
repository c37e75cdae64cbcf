/**
 * The analysis form: the four role selects and the option fields, read as
 * command-line option values, with each option's error shown under its field.
 */
import type { OptionValues } from "../../src/cli/command.ts";
import { ANALYZE_FIELDS, optionErrors, ROLES, type Role } from "./analysis-options.ts";
import { field, inputText, setChoices, type FieldControl } from "./dom.ts";
import type { ColumnInfo, Guess } from "./protocol.ts";

const ROLE_LABELS: Readonly<Record<Role, readonly [string, string]>> = {
  cluster: ["Cluster", "cluster identifier column"],
  treatment: ["Treatment", "cluster-level treatment column (0/1)"],
  modifier: ["Effect modifier", "partly missing modifier column: binary 0/1 or continuous (constant within clusters: imputed per cluster)"],
  outcome: ["Outcome", "outcome column (continuous, or 0/1 with the binomial family)"],
};

export class AnalysisForm {
  private readonly controls = new Map<string, FieldControl>();

  constructor(roleHost: HTMLElement, optionHost: HTMLElement, onChange: () => void) {
    for (const role of ROLES) {
      const [label, help] = ROLE_LABELS[role];
      const f = field({ id: `role-${role}`, testId: `role-${role}`, label, help, value: "", kind: "select", choices: [] });
      roleHost.append(f.root);
      this.controls.set(role, f);
    }
    const groups = new Map<string, HTMLElement>();
    for (const spec of ANALYZE_FIELDS) {
      let host = groups.get(spec.group);
      if (!host) {
        const set = document.createElement("fieldset");
        const legend = document.createElement("legend");
        legend.textContent = spec.group;
        host = document.createElement("div");
        host.className = "fields";
        set.append(legend, host);
        optionHost.append(set);
        groups.set(spec.group, host);
      }
      const f = field({ id: `option-${spec.name}`, testId: spec.name, label: spec.label, help: spec.help, value: spec.fallback, kind: spec.input, choices: spec.choices, wide: spec.wide });
      host.append(f.root);
      this.controls.set(spec.name, f);
    }
    for (const f of this.controls.values()) f.control.addEventListener(f.control instanceof HTMLSelectElement ? "change" : "input", onChange);
    for (const role of ROLES) this.controls.get(role)!.control.addEventListener("change", () => this.showDefaultModel());
  }

  /** The outcome model the command uses when none is typed, in the chosen columns. */
  private showDefaultModel(): void {
    const [y, a, m] = [this.role("outcome"), this.role("treatment"), this.role("modifier")];
    (this.controls.get("outcome-model")!.control as HTMLInputElement).placeholder = y && a && m ? `${y} ~ ${a}*${m}` : "";
  }

  /** New columns to choose from, with the guessed roles and imputation model selected. */
  setColumns(columns: readonly ColumnInfo[], guess: Guess): void {
    const names = columns.map((c) => c.name);
    for (const role of ROLES) setChoices(this.controls.get(role)!.control as HTMLSelectElement, names, guess[role], "(choose a column)");
    this.controls.get("imputation")!.control.value = guess.imputation;
    this.showDefaultModel();
  }

  role(role: Role): string {
    return this.controls.get(role)!.control.value;
  }

  /**
   * The options as the command line would get them: every field, an empty
   * one at its default; no imputation model when none is typed. A number
   * field the browser cannot read is listed in `unreadable`.
   */
  read(): { values: OptionValues; unreadable: string[] } {
    const values: Record<string, string> = {};
    const unreadable: string[] = [];
    for (const role of ROLES) if (this.role(role) !== "") values[role] = this.role(role);
    for (const spec of ANALYZE_FIELDS) {
      const text = inputText(this.controls.get(spec.name)!.control);
      if (text === null) unreadable.push(spec.name);
      const value = text === null || text.trim() === "" ? spec.fallback : text.trim();
      if (value !== "") values[spec.name] = value;
    }
    return { values, unreadable };
  }

  /** Shows the command's message for every option it would refuse; true when all are fine. */
  validate(): boolean {
    const { values, unreadable } = this.read();
    const errors = optionErrors(values);
    for (const name of unreadable) errors.set(name, `--${name}: not a number`);
    for (const [name, f] of this.controls) f.setError(errors.get(name) ?? "");
    return errors.size === 0;
  }

  /** Shows `message` under the field it concerns; false when it concerns none. */
  showError(message: string): boolean {
    const name = fieldOfMessage(message, this.read().values);
    if (name === null) return false;
    this.controls.get(name)!.setError(message);
    this.controls.get(name)!.control.focus();
    return true;
  }

  clearErrors(): void {
    for (const f of this.controls.values()) f.setError("");
  }
}

/**
 * The field a message concerns: the option it names (--seed …), the
 * imputation model it quotes, or the role whose column it quotes.
 */
export function fieldOfMessage(message: string, values: OptionValues): string | null {
  const known = new Set<string>([...ROLES, ...ANALYZE_FIELDS.map((f) => f.name)]);
  const flag = /--([a-z][a-z-]*)/.exec(message);
  if (flag && known.has(flag[1])) return flag[1];
  const models = String(values.imputation ?? "").split(";").map((s) => s.trim()).filter(Boolean);
  if (models.some((m) => message.includes(m)) || /imputation/i.test(message)) return "imputation";
  if (/\bmethod\b/.test(message)) return "methods";
  const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  for (const q of quoted) {
    const role = ROLES.find((r) => values[r] === q);
    if (role) return role;
  }
  if (quoted.some((q) => models.some((m) => m.includes(q)))) return "imputation";
  return null;
}
