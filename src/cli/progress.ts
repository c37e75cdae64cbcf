/** A progress bar on stderr, drawn only when stderr is a terminal and --quiet is off. */
export function progressBar(stream: NodeJS.WriteStream, enabled: boolean): (fraction: number, label?: string) => void {
  if (!enabled || !stream.isTTY) return () => {};
  const start = Date.now();
  let last = -1;
  return (fraction, label = "") => {
    const f = Math.min(1, Math.max(0, fraction));
    const pct = Math.floor(f * 100);
    if (pct === last && f < 1) return;
    last = pct;
    const width = 30;
    const filled = Math.round(f * width);
    const elapsed = (Date.now() - start) / 1000;
    const eta = f > 0 && f < 1 ? ` ETA ${Math.ceil((elapsed * (1 - f)) / f)}s` : "";
    stream.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${String(pct).padStart(3)}%${eta} ${label}\x1b[K`);
    if (f >= 1) stream.write("\n");
  };
}
