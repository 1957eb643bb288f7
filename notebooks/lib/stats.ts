/**
 * Small-sample statistics for the notebooks: Student's t distribution and ordinary least squares.
 * Weekly series are short (8 to 30 points), so intervals use the t distribution with the model's
 * residual degrees of freedom, never the normal 1.96.
 */

/** `values[index]`, which must exist (the index comes from the array's own bounds). */
export function at<T>(values: readonly T[], index: number): T {
  const value = values[index];
  if (value === undefined) throw new RangeError(`index ${index} outside 0..${values.length - 1}`);
  return value;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const g = 7;
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531,
    -176.61503916999186, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0] ?? 0;
  for (let i = 1; i < g + 2; i++) sum += (c[i] ?? 0) / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // The continued fraction converges fast only on this side of the mean; use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The t value below which a share `p` of Student's t distribution lies (0 < p < 1). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  // Bisection: 200 halvings reach the limit of double precision for any bracket found above.
  for (let i = 0; i < 200 && high - low > 1e-12 * Math.max(1, high); i++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Two-sided p-value of a t statistic. */
export function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * (1 - studentTCdf(Math.abs(t), df)));
}

export interface Coefficient {
  readonly estimate: number;
  readonly standardError: number;
  /** Lower end of the confidence interval. */
  readonly low: number;
  /** Upper end of the confidence interval. */
  readonly high: number;
  readonly t: number;
  readonly p: number;
}

export interface OlsFit {
  readonly coefficients: readonly Coefficient[];
  readonly fitted: readonly number[];
  readonly residuals: readonly number[];
  /** Residual degrees of freedom: observations minus coefficients. */
  readonly df: number;
  readonly residualStandardError: number;
  /** The t critical value used for the intervals. */
  readonly tCritical: number;
}

/** Inverse of a small symmetric positive-definite matrix (Gauss-Jordan with partial pivoting). */
function invert(matrix: readonly (readonly number[])[]): number[][] {
  const n = matrix.length;
  // Augmented [matrix | identity] in one flat array: a(row, col) is a[row * width + col].
  const width = 2 * n;
  const a = new Float64Array(n * width);
  matrix.forEach((row, i) => {
    row.forEach((value, j) => (a[i * width + j] = value));
    a[i * width + n + i] = 1;
  });
  const get = (row: number, col: number): number => a[row * width + col] ?? 0;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let scale = 1;
    for (let row = 0; row < n; row++) {
      scale = Math.max(scale, Math.abs(get(row, col)));
      if (row > col && Math.abs(get(row, col)) > Math.abs(get(pivot, col))) pivot = row;
    }
    if (Math.abs(get(pivot, col)) < 1e-12 * scale) {
      throw new RangeError(
        'the design matrix is singular: the model cannot be estimated from these weeks',
      );
    }
    for (let j = 0; j < width; j++) {
      const swap = get(col, j);
      a[col * width + j] = get(pivot, j);
      a[pivot * width + j] = swap;
    }
    const divisor = get(col, col);
    for (let j = 0; j < width; j++) a[col * width + j] = get(col, j) / divisor;
    for (let row = 0; row < n; row++) {
      const factor = get(row, col);
      if (row === col || factor === 0) continue;
      for (let j = 0; j < width; j++) a[row * width + j] = get(row, j) - factor * get(col, j);
    }
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => get(i, n + j)));
}

/**
 * Ordinary least squares of `y` on the columns of `x` (each row one observation, include the
 * constant yourself), with classical standard errors and t intervals at `confidence`.
 */
export function ols(
  x: readonly (readonly number[])[],
  y: readonly number[],
  confidence = 0.95,
): OlsFit {
  const n = y.length;
  const k = x[0]?.length ?? 0;
  if (x.length !== n) throw new RangeError(`${x.length} rows of predictors for ${n} observations`);
  if (n <= k) throw new RangeError(`${n} observations cannot estimate ${k} coefficients`);
  const xtx = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => x.reduce((sum, row) => sum + at(row, i) * at(row, j), 0)),
  );
  const xty = Array.from({ length: k }, (_, i) =>
    x.reduce((sum, row, r) => sum + at(row, i) * at(y, r), 0),
  );
  const inverse = invert(xtx);
  const beta = inverse.map((row) => row.reduce((sum, value, j) => sum + value * at(xty, j), 0));
  const fitted = x.map((row) => row.reduce((sum, value, j) => sum + value * at(beta, j), 0));
  const residuals = y.map((value, i) => value - at(fitted, i));
  const df = n - k;
  const sigma2 = residuals.reduce((sum, e) => sum + e * e, 0) / df;
  const tCritical = studentTQuantile(1 - (1 - confidence) / 2, df);
  const coefficients = beta.map((estimate, j) => {
    const standardError = Math.sqrt(sigma2 * at(at(inverse, j), j));
    const t =
      standardError > 0
        ? estimate / standardError
        : estimate === 0
          ? 0
          : Infinity * Math.sign(estimate);
    return {
      estimate,
      standardError,
      low: estimate - tCritical * standardError,
      high: estimate + tCritical * standardError,
      t,
      p: twoSidedP(t, df),
    };
  });
  return {
    coefficients,
    fitted,
    residuals,
    df,
    residualStandardError: Math.sqrt(sigma2),
    tCritical,
  };
}
