/** A fact about a fit that the caller should see: convergence, dropped rows, boundary fits. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: "info" | "warning" | "error";
  readonly message: string;
}

export function info(code: string, message: string): Diagnostic {
  return { code, severity: "info", message };
}

export function warning(code: string, message: string): Diagnostic {
  return { code, severity: "warning", message };
}

export function error(code: string, message: string): Diagnostic {
  return { code, severity: "error", message };
}
