"""Points, boxes and paths: the plane geometry routing and label placement rely on."""

from __future__ import annotations

from itertools import pairwise
from math import hypot

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


def exit_point(polygon: list[Point], origin: Point, toward: Point) -> Point:
    """Where the ray from ``origin`` (inside the convex ``polygon``) to ``toward`` leaves it."""
    ox, oy = origin
    dx, dy = toward[0] - ox, toward[1] - oy
    best: float | None = None
    for (px, py), (qx, qy) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        ex, ey = qx - px, qy - py
        denominator = dx * ey - dy * ex
        if abs(denominator) < 1e-12:
            continue
        wx, wy = px - ox, py - oy
        t = (wx * ey - wy * ex) / denominator
        s = (wx * dy - wy * dx) / denominator
        if t > 1e-9 and -1e-9 <= s <= 1 + 1e-9 and (best is None or t < best):
            best = t
    return origin if best is None else (ox + best * dx, oy + best * dy)


def simplify(points: list[Point]) -> list[Point]:
    """Without repeated points and without the middle one of three on a straight line."""
    result: list[Point] = []
    for point in points:
        if result and hypot(point[0] - result[-1][0], point[1] - result[-1][1]) < 0.05:
            continue
        if len(result) >= 2:
            (ax, ay), (bx, by) = result[-2], result[-1]
            cross = (bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax)
            if abs(cross) < 0.05 * max(1.0, hypot(point[0] - ax, point[1] - ay)):
                result[-1] = point
                continue
        result.append(point)
    return result


def shorten(points: list[Point], by: float) -> list[Point]:
    """The path with its last segment ending ``by`` before the end: where the arrow's tip goes."""
    if len(points) < 2:
        return points
    (ax, ay), (bx, by_) = points[-2], points[-1]
    length = hypot(bx - ax, by_ - ay)
    if length <= by + 1:
        return points
    t = (length - by) / length
    return [*points[:-1], (ax + (bx - ax) * t, ay + (by_ - ay) * t)]


def point_at(points: list[Point], fraction: float) -> Point:
    """The point ``fraction`` of the way along the path."""
    lengths = [hypot(b[0] - a[0], b[1] - a[1]) for a, b in pairwise(points)]
    remaining = sum(lengths) * fraction
    for (a, b), length in zip(pairwise(points), lengths, strict=True):
        if remaining <= length and length > 0:
            t = remaining / length
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        remaining -= length
    return points[-1]


def overlap_area(a: Box, b: Box) -> float:
    """How much of ``a`` and ``b`` is shared (0 where they do not overlap)."""
    if not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]):
        return 0.0
    return (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))


def segment_hits(box: Box, a: Point, b: Point) -> bool:
    """Whether the segment a–b passes through ``box`` (Liang–Barsky)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box[0]),
        (dx, box[2] - a[0]),
        (-dy, a[1] - box[1]),
        (dy, box[3] - a[1]),
    ):
        if abs(p) < 1e-12:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
