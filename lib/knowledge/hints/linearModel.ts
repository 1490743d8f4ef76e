/**
 * A shallow linear item-to-item model (EASE, Steck 2019): with X the profiles x techniques matrix (rows weighted by
 * profile kind), P = (XᵀX + λI)⁻¹ and B = -P / diag(P) with a zero diagonal, the score of technique j for an
 * observed set S is Σ_{o∈S} B[o][j]. Unlike a co-occurrence count it discounts what is explained by the other
 * observed techniques. Pure; the dense inverse (n³, a few hundred ms for ATT&CK Enterprise) is computed at import
 * time and only each row's strongest positive weights are kept in the model.
 */

/** XᵀX + λI for the given profiles (technique indices) and their weights. Row-major n x n. */
export function regularisedGram(
  n: number,
  profiles: readonly ArrayLike<number>[],
  weights: ArrayLike<number>,
  lambda: number,
): Float64Array {
  const g = new Float64Array(n * n);
  profiles.forEach((ts, p) => {
    const w = weights[p]!;
    for (let a = 0; a < ts.length; a++) {
      const row = ts[a]! * n;
      for (let b = 0; b < ts.length; b++) g[row + ts[b]!]! += w;
    }
  });
  for (let i = 0; i < n; i++) g[i * n + i]! += lambda;
  return g;
}

/** In-place Gauss-Jordan inverse of a symmetric positive definite matrix (no pivoting needed). */
export function invertInPlace(a: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    const pivot = a[rowK + k]!;
    a[rowK + k] = 1;
    for (let j = 0; j < n; j++) a[rowK + j]! /= pivot;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const rowI = i * n;
      const f = a[rowI + k]!;
      if (f === 0) continue;
      a[rowI + k] = 0;
      for (let j = 0; j < n; j++) a[rowI + j]! -= f * a[rowK + j]!;
    }
  }
  return a;
}

/**
 * Removes one profile (weight w) from an inverse Gram matrix in place (Sherman-Morrison):
 * (G - w x xᵀ)⁻¹ = P + w (Px)(Px)ᵀ / (1 - w xᵀPx). O(n²): used by the evaluation to hold profiles out cheaply.
 */
export function downdateInverse(p: Float64Array, n: number, techniques: ArrayLike<number>, w: number): void {
  const px = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = 0;
    for (let a = 0; a < techniques.length; a++) s += p[row + techniques[a]!]!;
    px[i] = s;
  }
  let xpx = 0;
  for (let a = 0; a < techniques.length; a++) xpx += px[techniques[a]!]!;
  const scale = w / (1 - w * xpx);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const f = scale * px[i]!;
    if (f === 0) continue;
    for (let j = 0; j < n; j++) p[row + j]! += f * px[j]!;
  }
}

/**
 * The strongest `keep` positive weights of each row of B = -P / diag(P) (diagonal excluded), as
 * [targets, weights] per row, weights rounded to 4 significant digits to keep the stored model small.
 */
export function sparseWeights(p: Float64Array, n: number, keep: number): [number[], number[]][] {
  const out: [number[], number[]][] = [];
  const entries: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    entries.length = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const b = -p[row + j]! / p[j * n + j]!;
      if (b > 0) entries.push([j, b]);
    }
    entries.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const top = entries.slice(0, keep);
    out.push([top.map((e) => e[0]), top.map((e) => Number(e[1].toPrecision(4)))]);
  }
  return out;
}
