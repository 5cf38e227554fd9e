"""Wall-clock times to instants, with every DST decision reported (shared by the readers)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._report import ParseReport

__all__ = ["localize_wall_clock"]


def localize_wall_clock(naive, tz: str | None, lines: np.ndarray | None, report: ParseReport) -> pd.Series:
    """Turn wall-clock times (in file order) into aware timestamps, reporting every decision.

    Without ``tz`` the wall clock is labelled UTC and ``report.decisions["tz_assumed"]`` set.
    With ``tz``, times in the hour skipped when summer time starts are shifted forward, and
    times in the hour repeated when it ends are placed from file order: within a run of
    such times, those after the wall clock steps back are in the second (standard-time)
    pass; a run that never steps back is taken as the first pass and reported as a guess.
    ``naive`` is a datetime64 array or Series (missing values stay missing); the result has
    the Series' index. ``lines`` gives each row's line (or record) number for the notices
    (default: 1-based row numbers).
    """
    index = naive.index if isinstance(naive, pd.Series) else None
    s = pd.Series(np.asarray(naive, dtype="datetime64[us]"))
    if lines is None:
        lines = np.arange(1, len(s) + 1)
    result = _localize(s, tz, np.asarray(lines), report)
    if index is not None:
        result.index = index
    return result


def _localize(s: pd.Series, tz: str | None, lines: np.ndarray, report: ParseReport) -> pd.Series:
    if tz is None:
        report.decisions["tz_assumed"] = True
        report.notice(
            "no tz= given: the export's wall-clock times are labelled UTC; pass tz='Area/City' "
            "to get true instants (latencies across DST changes depend on it)"
        )
        return s.dt.tz_localize("UTC")
    out = s.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    missing = (out.isna() & s.notna()).to_numpy()
    if not missing.any():
        return out
    # nonexistent wall times (spring forward) are shifted; repeated ones (fall back) need an order
    shifted = s[missing].dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    nonexistent = shifted.notna().to_numpy()
    idx_missing = np.flatnonzero(missing)
    if nonexistent.any():
        idx = idx_missing[nonexistent]
        out.iloc[idx] = shifted[nonexistent].to_numpy()
        report.notice(
            f"{len(idx)} times fall in the skipped hour of a DST change and were shifted forward "
            f"(first on line {lines[idx[0]]})"
        )
    amb = idx_missing[~nonexistent]
    if len(amb):
        first = s.iloc[amb].dt.tz_localize(tz, ambiguous=np.ones(len(amb), bool))
        second = s.iloc[amb].dt.tz_localize(tz, ambiguous=np.zeros(len(amb), bool))
        # runs of consecutive ambiguous rows; within a run, rows after the wall clock steps back are
        # in the second (standard-time) pass
        run = np.cumsum(np.r_[True, np.diff(amb) != 1])
        wall = s.iloc[amb].to_numpy()
        stepped = np.r_[False, (np.diff(wall) < np.timedelta64(0)) & (run[1:] == run[:-1])]
        after = pd.Series(stepped).groupby(run).cummax().to_numpy()
        choice = np.where(after, second.to_numpy(), first.to_numpy())
        out.iloc[amb] = choice
        guessed = ~pd.Series(stepped).groupby(run).transform("any").to_numpy()
        report.notice(
            f"{len(amb)} times fall in the repeated hour when summer time ends; resolved from file order "
            f"({int(after.sum())} in the second pass)"
            + (
                f"; {int(guessed.sum())} could not be told apart and were taken as the first pass "
                f"(first on line {lines[amb[guessed][0]]})"
                if guessed.any()
                else ""
            )
        )
    return out
