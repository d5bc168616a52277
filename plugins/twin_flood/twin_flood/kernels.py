"""Numba kernels of the local-inertial scheme (serial, compiled once per dtype, cached).

The state lives in float32 or float64 arrays; every kernel is generic over the two and numba
compiles (and caches on disk) one version per dtype on first use.  One fused pass per step
computes the x and y faces of a row and, one row behind, the depth update with rain, the
max-depth / arrival / duration statistics and the reductions the next time step and the
instability checks need; it vectorises in float32.  Grid conventions: see :mod:`twin_flood.grid`.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["fix_negative_depths", "impose_structure_fluxes", "step_fields", "structure_fluxes"]

Array = np.ndarray

# fast-math without "nnan"/"ninf": the instability checks must still see NaN and inf.
FAST = True
JIT = {"cache": True, "nogil": True, "error_model": "numpy", "boundscheck": False}


@nb.njit(fastmath=FAST, inline="always", **JIT)
def _cbrt(x: float) -> float:
    """Cube root of a positive number to ~1e-7 (bit-level guess + two Halley steps).

    libm's cbrt does not vectorise and was 5x slower than the whole face update.
    """
    xf = np.float32(x)
    y = np.int32(xf.view(np.int32) // 3 + 709921077).view(np.float32)
    y3 = y * y * y
    y = y * (y3 + xf + xf) / (y3 + y3 + xf)
    y3 = y * y * y
    return y * (y3 + xf + xf) / (y3 + y3 + xf)


@nb.njit(fastmath=FAST, inline="always", **JIT)
def _depth_row(hk: Array, qxr: Array, qn: Array, qs: Array, mr: Array, ar: Array, dr: Array,
               pr: Array, c: float, r: float, w: float, st: float, tn: float, big: int,
               signs: int) -> tuple[int, int]:
    """Update one row of depths and flood statistics; carry the hmax and sign reductions."""
    for j in range(hk.size):
        hn = hk[j] + c * (qxr[j] - qxr[j + 1] + qn[j] - qs[j]) + r * pr[j]
        mr[j] = max(mr[j], hn)
        is_wet = hn >= w
        dr[j] = dr[j] + st if is_wet else dr[j]
        ar[j] = tn if (is_wet and ar[j] < 0) else ar[j]
        bits = np.float32(hn).view(np.int32)
        big = bits if bits > big else big
        signs = signs | bits
        hk[j] = hn
    return big, signs


@nb.njit(fastmath=FAST, **JIT)
def step_fields(z: Array, h: Array, qx0: Array, qy0: Array, qx1: Array, qy1: Array, n2: Array,
                dt: float, dx: float, g: float, theta: float, hth: float, vmax: float,
                froude: float, rain_depth: float, pattern: Array, use_pattern: bool,
                maxd: Array, arr: Array, dur: Array, t_new: float,
                wet_depth: float) -> tuple[int, int, int, int, int]:
    """Advance fluxes and depths by one step in a single fused pass over the rows.

    Fluxes: each face follows de Almeida et al. (2012), eq. 23: the old flux weighted by
    ``theta`` against its two collinear neighbours, the surface slope term with the Bates face
    depth ``h_f = max(eta) - max(z)``, and semi-implicit Manning friction with ``|q|`` of the
    old face; a weighted flux against the surface slope falls back to Bates (2010)
    (LISFLOOD-FP's guard); ``|q|`` is capped at ``froude * h_f * sqrt(g h_f)`` (a Froude
    limiter, as Landlab's ``steep_slopes`` and Wflow, that keeps thin films on slopes stable);
    faces with ``h_f <= hth`` are dry.  Outer-edge faces stay 0 (closed); for the weighting
    their missing neighbour is the face itself (ghost values are written into the old edge
    faces and zeroed again at the end).

    Depths: row ``i - 1`` is updated from its fluxes, plus ``rain_depth`` (times
    ``pattern[i, j]`` if ``use_pattern``, else ``pattern[0, j]``: pass a row of ones), right
    after the y-faces below it are computed, so each row is read once per step.  The flood
    statistics (``maxd``, ``arr`` = first time >= ``wet_depth`` or -1, ``dur``) follow.

    Returns
    -------
    tuple of int
        ``worst``: bits (float32 as int32, so reductions vectorise) of
        ``max(|q| - vmax * max(h_left, h_right))``, > 0 for a velocity above ``vmax`` or NaN;
        ``flips``: faces whose flux changed sign and grew (the two-step oscillation of too long
        a step); ``wet``: faces with flow; ``hmax``: bits of the largest new depth; ``signs``:
        OR of the new depths' bits, negative if a depth is negative (then
        :func:`fix_negative_depths` must run).
    """
    ny, nx = h.shape
    t = h.dtype.type
    gdt = t(g * dt)
    gdtdx = t(g * dt / dx)
    th = t(theta)
    half = t(0.5 * (1.0 - theta))
    hc0 = t(hth)
    vm = t(vmax)
    one = t(1.0)
    zero = t(0.0)
    mid = t(0.5)
    fr = t(froude * np.sqrt(g))
    c = t(dt / dx)
    tn = t(t_new)
    st = t(dt)
    w = t(wet_depth)
    r = t(rain_depth)
    worst = np.int32(-2147483647)
    big = np.int32(0)
    signs = np.int32(0)
    flips = zero
    wet = zero
    for i in range(ny):
        qx0[i, 0] = qx0[i, 1]
        qx0[i, nx] = qx0[i, nx - 1]
    for j in range(nx):
        qy0[0, j] = qy0[1, j]
        qy0[ny, j] = qy0[ny - 1, j]
    for i in range(ny):
        zr = z[i]
        hr = h[i]
        nr = n2[i]
        q0 = qx0[i]
        q1 = qx1[i]
        for j in range(1, nx):
            el = zr[j - 1] + hr[j - 1]
            er = zr[j] + hr[j]
            hf = max(el, er) - max(zr[j - 1], zr[j])
            hc = max(hf, hc0)
            q = q0[j]
            den = one + gdt * mid * (nr[j - 1] + nr[j]) * abs(q) / (hc * hc * _cbrt(hc))
            push = gdtdx * hc * (er - el)
            qn = (th * q + half * (q0[j - 1] + q0[j + 1]) - push) / den
            qb = (q - push) / den
            qn = qb if qn * (el - er) < 0 else qn
            cap = fr * hc * np.sqrt(hc)
            qn = min(max(qn, -cap), cap)
            qn = qn if hf > hc0 else q - q
            bits = np.float32(abs(qn) - vm * max(max(hr[j - 1], hr[j]), hc)).view(np.int32)
            worst = bits if bits > worst else worst
            flips += one if q * (qn + q) < 0 else zero
            wet += one if hf > hc0 else zero
            q1[j] = qn  # stored last: a load after a store to a maybe-aliased row stops SIMD
        if i > 0:
            zu = z[i - 1]
            hu = h[i - 1]
            nu = n2[i - 1]
            qm = qy0[i - 1]
            qc = qy0[i]
            qp = qy0[i + 1]
            q1 = qy1[i]
            for j in range(nx):
                el = zu[j] + hu[j]
                er = zr[j] + hr[j]
                hf = max(el, er) - max(zu[j], zr[j])
                hc = max(hf, hc0)
                q = qc[j]
                den = one + gdt * mid * (nu[j] + nr[j]) * abs(q) / (hc * hc * _cbrt(hc))
                push = gdtdx * hc * (er - el)
                qn = (th * q + half * (qm[j] + qp[j]) - push) / den
                qb = (q - push) / den
                qn = qb if qn * (el - er) < 0 else qn
                cap = fr * hc * np.sqrt(hc)
                qn = min(max(qn, -cap), cap)
                qn = qn if hf > hc0 else q - q
                bits = np.float32(abs(qn) - vm * max(max(hu[j], hr[j]), hc)).view(np.int32)
                worst = bits if bits > worst else worst
                flips += one if q * (qn + q) < 0 else zero
                wet += one if hf > hc0 else zero
                q1[j] = qn
            big, signs = _depth_row(h[i - 1], qx1[i - 1], qy1[i - 1], qy1[i], maxd[i - 1],
                                    arr[i - 1], dur[i - 1], pattern[i - 1 if use_pattern else 0],
                                    c, r, w, st, tn, big, signs)
    big, signs = _depth_row(h[ny - 1], qx1[ny - 1], qy1[ny - 1], qy1[ny], maxd[ny - 1],
                            arr[ny - 1], dur[ny - 1], pattern[ny - 1 if use_pattern else 0],
                            c, r, w, st, tn, big, signs)
    for i in range(ny):
        qx0[i, 0] = 0
        qx0[i, nx] = 0
    for j in range(nx):
        qy0[0, j] = 0
        qy0[ny, j] = 0
    return worst, int(flips), int(wet), big, signs


@nb.njit(**JIT)
def fix_negative_depths(h: Array, qx: Array, qy: Array, dtdx: float) -> float:
    """Remove negative depths exactly, by scaling down the outflows of the cells that ran dry.

    A cell that gave away more water than it had gets its outgoing face fluxes reduced so its
    depth is 0; the receiving neighbours get correspondingly less.  Sweeps repeat until no
    depth is negative (at most 50).  Mass is conserved to round-off.

    Returns
    -------
    float
        Depth [m] summed over cells that could not be fixed and were clipped to 0 (should be 0).
    """
    ny, nx = h.shape
    clipped = 0.0
    for _sweep in range(50):
        found = False
        for i in range(ny):
            for j in range(nx):
                if h[i, j] >= 0.0:
                    continue
                found = True
                ow = max(-qx[i, j], 0.0)
                oe = max(qx[i, j + 1], 0.0)
                on = max(-qy[i, j], 0.0)
                os_ = max(qy[i + 1, j], 0.0)
                out = (ow + oe + on + os_) * dtdx
                deficit = -h[i, j]
                if out <= 0.0:
                    clipped += deficit
                    h[i, j] = 0.0
                    continue
                f = min(deficit / out, 1.0)
                if ow > 0.0:
                    qx[i, j] *= 1.0 - f
                    h[i, j - 1] -= f * ow * dtdx
                if oe > 0.0:
                    qx[i, j + 1] *= 1.0 - f
                    h[i, j + 1] -= f * oe * dtdx
                if on > 0.0:
                    qy[i, j] *= 1.0 - f
                    h[i - 1, j] -= f * on * dtdx
                if os_ > 0.0:
                    qy[i + 1, j] *= 1.0 - f
                    h[i + 1, j] -= f * os_ * dtdx
                rest = h[i, j] + f * out
                if rest < 0.0:
                    clipped -= rest
                h[i, j] = 0.0
        if not found:
            break
    return clipped


@nb.njit(inline="always", **JIT)
def _weir(eu: float, ed: float, crest: float, cw: float) -> float:
    """Broad-crested weir discharge per metre [m2/s] with Villemonte's drowned-flow factor."""
    head = eu - crest
    if head <= 0.0:
        return 0.0
    q = cw * head ** 1.5
    down = ed - crest
    if down > 0.0:
        q *= (1.0 - (down / head) ** 1.5) ** 0.385
    return q


@nb.njit(**JIT)
def structure_fluxes(z: Array, h: Array, axis: Array, row: Array, col: Array, kind: Array,
                     level: Array, opening: Array, top: Array, cw: Array, cd: Array, g: float,
                     out: Array) -> None:
    """Compute the unit discharges of structure faces (walls: kind 0, gates: 1) from the levels.

    ``level`` is the crest (wall) or sill (gate) level, ``opening`` the gate opening height,
    ``top`` the level of a gate's leaf top, ``cw`` the weir coefficient [m^0.5/s], ``cd`` the
    orifice coefficient.  Results (positive east/south, as ``qx``/``qy``) go to ``out``.
    """
    for k in range(axis.size):
        r = row[k]
        c = col[k]
        if axis[k] == 0:
            ra, ca = r, c - 1
        else:
            ra, ca = r - 1, c
        za = z[ra, ca]
        zb = z[r, c]
        ea = za + h[ra, ca]
        eb = zb + h[r, c]
        sign = 1.0
        eu, ed = ea, eb
        if eb > ea:
            sign = -1.0
            eu, ed = eb, ea
        base = max(level[k], za, zb)
        if kind[k] == 0:
            q = _weir(eu, ed, base, cw[k])
        else:
            a = opening[k]
            head = eu - base
            if a <= 0.0 or head <= 0.0:
                q = 0.0
            elif head <= a:
                q = _weir(eu, ed, base, cw[k])
            else:
                drop = eu - max(ed, base + 0.5 * a)
                q = cd[k] * a * np.sqrt(2.0 * g * max(drop, 0.0))
            if eu > top[k]:
                q += _weir(eu, ed, top[k], cw[k])
        out[k] = sign * q


@nb.njit(**JIT)
def impose_structure_fluxes(h: Array, qx: Array, qy: Array, axis: Array, row: Array,
                            col: Array, qs: Array, dtdx: float) -> float:
    """Replace the generic flux of each structure face by ``qs`` after the depth update.

    The two cells of the face get the difference, exactly as if the structure flux had been
    used in the update (the caller redoes their flood statistics).

    Returns
    -------
    float
        The smallest depth of the cells touched (negative: run :func:`fix_negative_depths`).
    """
    lowest = np.inf
    for k in range(axis.size):
        r = row[k]
        c = col[k]
        if axis[k] == 0:
            ra, ca = r, c - 1
            delta = qs[k] - qx[r, c]
            qx[r, c] = qs[k]
        else:
            ra, ca = r - 1, c
            delta = qs[k] - qy[r, c]
            qy[r, c] = qs[k]
        h[ra, ca] -= delta * dtdx
        h[r, c] += delta * dtdx
        lowest = min(lowest, h[ra, ca], h[r, c])
    return lowest
