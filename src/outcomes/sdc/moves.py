"""Moves: feasible points reached by changing one block and letting others take the other side.

From a point ``x`` that satisfies everything published (the true counts, or
a point inside found by the solver), a block is moved towards a vertex of its
own polytope (:mod:`outcomes.sdc.blocks`) where a cell is largest or
smallest, and *partners* absorb the change: a block whose own facts do not
see it and whose ties to the rest are the same (another department of the
year) takes the opposite change; one whose ties are the opposite (all
departments) takes the same change. Each partner takes what its people
allow without going below zero; together they may carry the whole move or
part of it. Every point so reached satisfies every fact, so the cell's value
there is *evidence* in the sense of :func:`outcomes.sdc.system.cell_ranges`.
For the few cells a straight move does not settle, people are moved between
two statuses at a time (a block's facts often cannot tell some statuses
apart), with the partners' counts updated after each step.
"""

from __future__ import annotations

import numpy as np

from .blocks import _EPS_WHOLE, _TOL, BlockView, by_kind, local_extremes


def _stock(view: BlockView, x: np.ndarray) -> np.ndarray:
    """People per block and slot at ``x`` (never below zero)."""
    return np.maximum(np.where(view.var >= 0, x[np.maximum(view.var, 0)], 0.0), 0.0)


def _partner_groups(view: BlockView, own: np.ndarray) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """``(sign, moving, members)``: for the changes of blocks ``own`` in ``moving``, the blocks that may take them.

    Same ties as the block: the partner takes the opposite change (sign -1);
    opposite ties (all departments for a department): the same change (+1).
    """
    out = []
    for sign, wanted in ((-1.0, view.tie[own]), (1.0, view.anti[own])):
        for cls in np.unique(wanted).tolist():
            members = np.flatnonzero((view.kind[:-1] >= 0) & (view.tie == cls))
            moving = np.flatnonzero(wanted == cls)
            if members.size and moving.size:
                out.append((sign, moving, members))
    return out


def _shares(
    view: BlockView, stock: np.ndarray, members: np.ndarray, own: np.ndarray, moves: np.ndarray, total: bool
) -> np.ndarray:
    """The share (0 to 1) of each move (a partner's own change per unit) each of ``members`` can take.

    A partner sees none of the move through its own facts and has the
    people to give what the move takes from it. With ``total``, the sum
    over the members for each move; else moves x members.
    """
    scale = _TOL * (1.0 + np.abs(moves).max(axis=1, initial=0.0))
    out = np.zeros(len(moves)) if total else np.zeros((len(moves), len(members)))
    member_kind = view.kind[members]
    need = np.maximum(-moves, 0.0)
    for k in np.unique(member_kind).tolist():
        matrix = view.kinds[k][0]
        quiet = (np.abs(moves @ matrix.T) <= scale[:, None]).all(axis=1) if matrix.size else np.ones(len(moves), bool)
        rows, cols = np.flatnonzero(quiet), np.flatnonzero(member_kind == k)
        if not rows.size:
            continue
        share = np.ones((rows.size, cols.size))
        for slot in np.flatnonzero((need[rows] > 0).any(axis=0)).tolist():
            giving = need[rows, slot] > 0
            share[giving] = np.minimum(
                share[giving], stock[members[cols], slot][None, :] / need[rows[giving], slot][:, None]
            )
        share[members[cols][None, :] == own[rows][:, None]] = 0.0
        if total:
            out[rows] += share.sum(axis=1)
        else:
            out[np.ix_(rows, cols)] = share
    return out


def reach(view: BlockView, x: np.ndarray, own: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """How much (0 to 1) of each change ``delta`` of block ``own`` other blocks can take the other side of.

    A partner must be movable, see none of the change through its own facts,
    and have the same ties as ``own`` (it takes ``-t * delta``) or the
    opposite ones (it takes ``+t * delta``); ``t`` is as much as its people at
    ``x`` allow without going below zero. The partners' shares add up.
    """
    return _reach(view, _stock(view, x), own, delta)


def _reach(view: BlockView, stock: np.ndarray, own: np.ndarray, delta: np.ndarray) -> np.ndarray:
    total = np.zeros(len(own))
    for sign, moving, members in _partner_groups(view, own):
        total[moving] += _shares(view, stock, members, own[moving], sign * delta[moving], total=True)
    return np.minimum(total, 1.0)


def move_evidence(
    view: BlockView,
    block: np.ndarray,
    coef: np.ndarray,
    x: np.ndarray,
    threshold: int,
    stage: int = 0,
    seen: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, ...]:
    """Outer range of each cell over its block, and the values moves from ``x`` reach towards both ends.

    Stage 0 moves each block straight to the vertices where a cell is
    largest and smallest; stage 1 (for the cells left) to every vertex of the
    block; stage 2 (for the few left after that) moves people from one status
    to another, one pair at a time, as long as that helps, and only towards
    an end that the values ``seen`` so far have not reached. Cells narrower
    than ``threshold`` over their block are not tried (no evidence can show
    them safe). Returns ``(outer low, outer high, reached low, reached
    high)``, NaN where the block reasoning does not apply or was not tried.
    ``x`` must satisfy every fact.
    """
    low, high, at_low, at_high = local_extremes(view, block, coef)
    reached_low, reached_high = np.full(len(block), np.nan), np.full(len(block), np.nan)
    with np.errstate(invalid="ignore"):
        hopeless = (np.floor(high + _EPS_WHOLE) - np.ceil(low - _EPS_WHOLE) < threshold) & (
            high < 2 * threshold - 1 - _EPS_WHOLE
        )
    cells = np.flatnonzero(~np.isnan(high) & ~hopeless)
    if not cells.size:
        return low, high, reached_low, reached_high
    own = block[cells]
    here = np.where(view.var[own] >= 0, x[np.maximum(view.var[own], 0)], 0.0)
    now = np.einsum("ck,ck->c", here, coef[cells])
    if stage == 1:
        tried = np.where(np.isin(np.arange(len(block)), cells), block, -1)
        for group, members in by_kind(view, tried):
            reached_low[group], reached_high[group] = _every_vertex(view, group, members, block, coef, x)
    elif stage == 2:
        stock = _stock(view, x)
        seen_low, seen_high = seen if seen is not None else (now, now)
        for i, cell in enumerate(cells.tolist()):
            reached_high[cell] = reached_low[cell] = now[i]
            # Enough: 2T - 1 or more, or T above the lowest value seen (T below the highest, going down).
            up = min(2 * threshold - 1, np.ceil(seen_low[cell] - _EPS_WHOLE) + threshold) - now[i]
            down = now[i] - (np.floor(seen_high[cell] + _EPS_WHOLE) - threshold)
            if np.floor(seen_high[cell] + _EPS_WHOLE) < np.floor(high[cell] + _EPS_WHOLE):
                reached_high[cell] += _transfers(view, stock, int(own[i]), coef[cell], 1.0, up)
            if np.ceil(seen_low[cell] - _EPS_WHOLE) > np.ceil(low[cell] - _EPS_WHOLE):
                reached_low[cell] -= _transfers(view, stock, int(own[i]), coef[cell], -1.0, down)
    else:
        for target, out in ((at_high, reached_high), (at_low, reached_low)):
            delta = target[cells] - here
            out[cells] = now + reach(view, x, own, delta) * np.einsum("ck,ck->c", delta, coef[cells])
    return low, high, reached_low, reached_high


def _transfers(
    view: BlockView,
    stock: np.ndarray,
    block: int,
    coef: np.ndarray,
    direction: float,
    enough: float = np.inf,
    steps: int = 6,
) -> float:
    """How far moving people between two statuses of ``block`` at a time takes a cell (up or down), partners absorbing.

    A move from status ``b`` to ``a`` must be unseen by the block's own facts
    (their columns for ``a`` and ``b`` are equal); each step takes the move
    that gains most, as far as partners allow, and updates everyone's counts,
    until the gain is ``enough``.
    """
    stock = stock.copy()
    matrix = view.kinds[int(view.kind[block])][0]
    k = stock.shape[1]
    same = (
        (np.abs(matrix[:, :, None] - matrix[:, None, :]) <= _TOL).all(axis=0) if matrix.size else np.ones((k, k), bool)
    )
    to, frm = np.nonzero(same & (direction * (coef[:, None] - coef[None, :]) > _TOL))
    gained = 0.0
    for _ in range(steps):
        if gained >= enough - _TOL:
            break
        amount = stock[block, frm]
        useful = amount > _TOL
        if not useful.any():
            break
        a, b, amount = to[useful], frm[useful], amount[useful]
        delta = np.zeros((a.size, k))
        delta[np.arange(a.size), a] += amount
        delta[np.arange(a.size), b] -= amount
        t = _reach(view, stock, np.full(a.size, block), delta)
        gain = t * amount * np.abs(coef[a] - coef[b])
        best = int(np.argmax(gain))
        if gain[best] <= _TOL:
            break
        gained += float(gain[best])
        stock[block] += t[best] * delta[best]
        _allocate(view, stock, block, t[best] * delta[best])
    return gained


def _allocate(view: BlockView, stock: np.ndarray, block: int, change: np.ndarray) -> None:
    """Let partners take the other side of ``change`` of ``block`` in ``stock``, in turn, as far as each can."""
    left = 1.0
    for sign, _, members in _partner_groups(view, np.array([block])):
        share = _shares(view, stock, members, np.array([block]), sign * change[None, :], total=False)[0]
        for j in np.flatnonzero(share > 0).tolist():
            take = min(float(share[j]), left)
            stock[members[j]] = np.maximum(stock[members[j]] + sign * take * change, 0.0)
            left -= take
            if left <= _TOL:
                return


def _every_vertex(
    view: BlockView, cells: np.ndarray, members: np.ndarray, block: np.ndarray, coef: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest value each cell reaches by a move towards any feasible vertex of its block."""
    verts, ok = view.vertices(members)
    which = np.searchsorted(members, block[cells])
    own = block[cells]
    here = np.where(view.var[own] >= 0, x[np.maximum(view.var[own], 0)], 0.0)
    now = np.einsum("ck,ck->c", here, coef[cells])
    cell_idx, vert_idx = np.nonzero(ok[which])
    delta = verts[which[cell_idx], vert_idx] - here[cell_idx]
    t = reach(view, x, own[cell_idx], delta)
    value = now[cell_idx] + t * np.einsum("ck,ck->c", delta, coef[cells[cell_idx]])
    low, high = now.copy(), now.copy()
    np.minimum.at(low, cell_idx, value)
    np.maximum.at(high, cell_idx, value)
    return low, high


def surely_disclosed(
    view: BlockView, block: np.ndarray, coef: np.ndarray, truth: np.ndarray, x: np.ndarray, threshold: int
) -> np.ndarray:
    """Cells that their block's own facts disclose, whatever the rest publishes.

    Over everything published a cell's range lies inside its range over its
    block and contains its true value. So when the block's range is
    disclosed (narrower than ``threshold``, reaching below it) and the true
    value is between 1 and ``threshold - 1``, the cell is disclosed; with a
    true value of 0 it is when a move from ``x`` (the true counts) reaches 1
    or more (else it might be a known zero).
    """
    low, high, _, at_high = local_extremes(view, block, coef)
    with np.errstate(invalid="ignore"):
        lo, hi = np.ceil(low - _EPS_WHOLE), np.floor(high + _EPS_WHOLE)
        narrow = (hi >= 1) & (lo < threshold) & (hi - lo < threshold)
        small = (truth >= 1 - _EPS_WHOLE) & (truth < threshold - _EPS_WHOLE)
        zero = narrow & (np.abs(truth) <= _EPS_WHOLE)
    out = narrow & small
    if zero.any():
        cells = np.flatnonzero(zero)
        own = block[cells]
        here = np.where(view.var[own] >= 0, x[np.maximum(view.var[own], 0)], 0.0)
        delta = at_high[cells] - here
        t = reach(view, x, own, delta)
        out[cells] = t * np.einsum("ck,ck->c", delta, coef[cells]) >= 1 - _EPS_WHOLE
    return out
