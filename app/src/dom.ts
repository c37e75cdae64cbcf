/** Small DOM helpers: labelled fields with a help line and an error line, and element lookup. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

export interface FieldSpec {
  /** Unique id of the control in the page. */
  readonly id: string;
  readonly testId: string;
  readonly label: string;
  readonly help?: string;
  readonly value: string;
  readonly kind: "text" | "number" | "select";
  readonly choices?: readonly string[];
  readonly wide?: boolean;
}

export interface FieldControl {
  readonly root: HTMLElement;
  readonly control: HTMLInputElement | HTMLSelectElement;
  /** Shows `message` under the field (empty clears it) and marks the control invalid. */
  readonly setError: (message: string) => void;
}

export function field(spec: FieldSpec): FieldControl {
  const root = document.createElement("div");
  root.className = spec.wide ? "field wide" : "field";
  const label = document.createElement("label");
  label.htmlFor = spec.id;
  label.textContent = spec.label;
  let control: HTMLInputElement | HTMLSelectElement;
  if (spec.kind === "select") {
    const select = document.createElement("select");
    setChoices(select, spec.choices ?? [], spec.value);
    control = select;
  } else {
    const input = document.createElement("input");
    input.type = spec.kind === "number" ? "number" : "text";
    if (spec.kind === "number") input.step = "any";
    input.spellcheck = false;
    input.autocomplete = "off";
    input.value = spec.value;
    control = input;
  }
  control.id = spec.id;
  control.name = spec.id;
  control.dataset.testid = spec.testId;
  const described: string[] = [];
  root.append(label, control);
  if (spec.help) {
    const help = document.createElement("p");
    help.className = "help";
    help.id = `${spec.id}-help`;
    help.textContent = spec.help;
    root.append(help);
    described.push(help.id);
  }
  const error = document.createElement("p");
  error.className = "field-error";
  error.id = `${spec.id}-error`;
  error.dataset.testid = `error-${spec.testId}`;
  root.append(error);
  described.push(error.id);
  control.setAttribute("aria-describedby", described.join(" "));
  const setError = (message: string): void => {
    error.textContent = message;
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  };
  return { root, control, setError };
}

/** Replaces a select's options, keeping `value` selected when it is one of them. */
export function setChoices(select: HTMLSelectElement, choices: readonly string[], value: string, empty?: string): void {
  select.replaceChildren();
  if (empty !== undefined) select.append(new Option(empty, ""));
  for (const c of choices) select.append(new Option(c === "" ? "(default)" : c, c));
  select.value = choices.includes(value) ? value : (empty !== undefined ? "" : (choices[0] ?? ""));
}

/** A number input's text, or null when the browser holds something it cannot read as a number. */
export function inputText(control: HTMLInputElement | HTMLSelectElement): string | null {
  if (control instanceof HTMLInputElement && control.type === "number" && control.validity.badInput) return null;
  return control.value;
}

/** Starts a download of `text` as a file named `name`, from a blob: URL (nothing leaves the machine). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The width to draw a chart at: the space its container has, within the range charts read well at. */
export function chartWidth(container: HTMLElement): number {
  return Math.round(Math.min(720, Math.max(280, container.clientWidth)));
}
