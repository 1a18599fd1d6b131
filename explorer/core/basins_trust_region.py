"""The trust-region Newton step of core.trust_region on many 2-D starts at once (basins): Steihaug's truncated CG
and the radius rule of N&W Alg. 4.1 written elementwise, each start with its own radius and its own trials."""
from __future__ import annotations

import numpy as np

from explorer.core.trust_region import ETA, MAX_REJECTIONS



def _to_boundary(zx, zy, dx, dy, radius):
    """z + τd with τ >= 0 and |z + τd| = radius (trust_region.to_boundary)."""
    a, b, c = dx * dx + dy * dy, 2.0 * (zx * dx + zy * dy), zx * zx + zy * zy - radius * radius
    tau = (-b + np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))) / (2 * a)
    return zx + tau * dx, zy + tau * dy


def steihaug(gx, gy, hxx, hxy, hyx, hyy, radius):
    """trust_region.steihaug for every start: the same iterations, stopped start by start."""
    px, py = np.zeros_like(gx), np.zeros_like(gy)
    zx, zy, rx, ry = np.zeros_like(gx), np.zeros_like(gy), gx.copy(), gy.copy()
    dx, dy = -rx, -ry
    gnorm = np.sqrt(gx * gx + gy * gy)
    tolerance = np.minimum(0.5, np.sqrt(gnorm)) * gnorm
    done = (gx == 0) & (gy == 0)
    for _ in range(5):   # 2n + 1 iterations at most, as trust_region.steihaug
        hdx, hdy = hxx * dx + hxy * dy, hyx * dx + hyy * dy
        curvature = dx * hdx + dy * hdy
        alpha = (rx * rx + ry * ry) / curvature
        z1x, z1y = zx + alpha * dx, zy + alpha * dy
        boundary = ~done & ((curvature <= 0) | (np.sqrt(z1x * z1x + z1y * z1y) >= radius))
        bx, by = _to_boundary(zx, zy, dx, dy, radius)
        px, py = np.where(boundary, bx, px), np.where(boundary, by, py)
        done = done | boundary
        r1x, r1y = rx + alpha * hdx, ry + alpha * hdy
        small = ~done & (np.sqrt(r1x * r1x + r1y * r1y) <= tolerance)
        px, py = np.where(small, z1x, px), np.where(small, z1y, py)
        done = done | small
        beta = (r1x * r1x + r1y * r1y) / (rx * rx + ry * ry)
        dx, dy = -r1x + beta * dx, -r1y + beta * dy
        zx, zy, rx, ry = z1x, z1y, r1x, r1y
    return np.where(done, px, zx), np.where(done, py, zy)


class TrustRegionStep:
    """The update of basins_methods' trust-region rule (mixed into its _Method there: self.calculus, self.moved,
    the settings radius and max_radius); `trial_step` returns the next arrays and where no trial was accepted."""

    hessian = True

    def memory(self, s):
        return {"delta": np.full_like(s["x"], self.radius)}

    def trial_step(self, s):
        # trials from each start until ρ = actual / predicted > ETA, the radius ×¼ or ×2 per N&W Alg. 4.1
        x, y, f0, gx, gy = s["x"], s["y"], s["z"], s["gx"], s["gy"]
        hxx, hxy, hyx, hyy = s["hxx"], s["hxy"], s["hyx"], s["hyy"]
        radius = s["delta"].copy()
        x_new, y_new, delta = x.copy(), y.copy(), radius.copy()
        pending = np.all(np.isfinite([hxx, hxy, hyx, hyy]), axis=0)
        found = np.zeros(x.shape, dtype=bool)
        for _ in range(MAX_REJECTIONS):
            idx = np.nonzero(pending)[0]
            if idx.size == 0:
                break
            R = radius[idx]
            px, py = steihaug(gx[idx], gy[idx], hxx[idx], hxy[idx], hyx[idx], hyy[idx], R)
            php = (px * hxx[idx] + py * hyx[idx]) * px + (px * hxy[idx] + py * hyy[idx]) * py   # (pᵀH)p
            predicted = -((gx[idx] * px + gy[idx] * py) + 0.5 * php)
            actual = f0[idx] - self.calculus.values(x[idx] + px, y[idx] + py)
            ok = (predicted > 0) & np.isfinite(actual)
            rho = np.where(ok, actual / np.where(ok, predicted, 1.0), -np.inf)
            on_boundary = np.sqrt(px * px + py * py) >= 0.999 * R
            nxt = np.where(rho < 0.25, 0.25 * R,
                           np.where((rho > 0.75) & on_boundary, np.minimum(2.0 * R, self.max_radius), R))
            accept = rho > ETA
            a = idx[accept]
            x_new[a], y_new[a], delta[a], found[a] = x[a] + px[accept], y[a] + py[accept], nxt[accept], True
            radius[idx] = nxt
            pending[a] = False
        new, _ = self.moved(s, x_new, y_new, delta=delta)
        return new, ~found

