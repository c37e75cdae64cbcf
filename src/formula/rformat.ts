/**
 * Numbers written the way R writes them with `as.character()` and
 * `deparse()`: at most 15 significant digits, fixed notation unless
 * scientific notation is shorter (R's default `scipen = 0`), exponents with
 * at least two digits. Factor levels of numeric columns are labelled this way
 * (`factor(site)10`), and so are constants in variable names (`log(X2 + 10)`).
 *
 * @example
 * formatRNumber(100000) // "1e+05"
 * formatRNumber(0.1 + 0.2) // "0.3"
 * formatRNumber(123456) // "123456"
 */
export function formatRNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return "0";
  // The value rounded to 15 significant digits, then the fewest digits that
  // still show it exactly.
  const exp15 = x.toExponential(14);
  const eAt = exp15.indexOf("e");
  const exponent = Number(exp15.slice(eAt + 1));
  const digits = exp15.slice(0, eAt).replace("-", "").replace(".", "").replace(/0+$/, "");
  const nsig = Math.max(1, digits.length);
  const negative = x < 0 ? 1 : 0;

  const sciWidth = negative + (nsig > 1 ? nsig + 1 : 1) + (Math.abs(exponent) >= 100 ? 5 : 4);
  const decimals = Math.max(0, nsig - 1 - exponent);
  const fixedWidth = negative + (exponent >= 0 ? exponent + 1 : 1) + (decimals > 0 ? decimals + 1 : 0);
  if (fixedWidth <= sciWidth && decimals <= 100) return x.toFixed(decimals);

  const sci = x.toExponential(nsig - 1);
  const at = sci.indexOf("e");
  const sign = sci[at + 1];
  const expDigits = sci.slice(at + 2);
  return `${sci.slice(0, at)}e${sign}${expDigits.length < 2 ? "0" + expDigits : expDigits}`;
}
