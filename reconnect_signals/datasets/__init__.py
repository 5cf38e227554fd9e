"""Bundled demo data: a synthetic two-person WhatsApp chat and :func:`load_example`.

The example is a clearly synthetic, seeded chat between "Alex" and "Sam" over 2025
(about 3,000 messages): a warm start, a strained summer, a breakup and weeks of silence,
then a careful reconnection. It ships as an Android WhatsApp export, so loading it runs
the real reader (:func:`reconnect_signals.read_chat`). The datasheet is
``reconnect_signals/datasets/README.md``; the generator is
``python tools/_generate_example.py`` (in a source checkout). Licence: CC0 1.0.

Examples
--------
>>> import reconnect_signals as rs
>>> msgs = rs.load_example()
>>> sorted(msgs["sender"].dropna().unique())
['Alex', 'Sam']
>>> msgs["timestamp"].min().strftime("%Y-%m-%d"), msgs["timestamp"].max().year
('2025-01-03', 2025)
"""

from __future__ import annotations

import pathlib
from importlib import resources
from typing import Any

import pandas as pd

from ._corpora import read_dailydialog, read_nps_chat

__all__ = ["load_example", "example_path", "load_example_windows", "read_nps_chat", "read_dailydialog"]

_PACKAGE = "reconnect_signals.datasets"
_FILE = "example_chat.txt"


def example_path() -> pathlib.Path:
    """Path of the bundled example export (an Android WhatsApp ``.txt``).

    Use it to try a reader or the command line on a real file.

    Returns
    -------
    pathlib.Path
        The installed ``example_chat.txt``.

    Raises
    ------
    FileNotFoundError
        When the installation lacks the data file (reinstall the package; the file is
        package data).

    Examples
    --------
    >>> from reconnect_signals.datasets import example_path
    >>> path = example_path()
    >>> path.name
    'example_chat.txt'
    >>> path.read_text(encoding="utf-8").splitlines()[0][:20]
    '03/01/2025, 19:02 - '
    """
    ref = resources.files(_PACKAGE).joinpath(_FILE)
    path = pathlib.Path(str(ref))
    if not path.is_file():
        raise FileNotFoundError(
            f"the bundled example {_FILE!r} is missing from {path.parent}; reinstall "
            "reconnect-signals (pip install --force-reinstall reconnect-signals), or regenerate it "
            "with python tools/_generate_example.py in a source checkout"
        )
    return path


def load_example(*, tz: str = "Europe/London", **read_kwargs: Any) -> pd.DataFrame:
    """Load the bundled synthetic chat between "Alex" and "Sam" as a message frame.

    The chat is invented from start to end (a seeded generator, see the datasheet
    ``reconnect_signals/datasets/README.md``): about 3,000 messages from January to
    December 2025 in four phases -- together (warm), strain, breakup and silence, careful
    reconnection -- with the cues of the library varying across them. It is read from
    the shipped WhatsApp export with :func:`reconnect_signals.read_chat`, so the frame
    carries a parse report (:func:`reconnect_signals.parse_report`).

    Parameters
    ----------
    tz : str, default "Europe/London"
        The time zone the export's wall clock is read in (the chat was written in
        Europe/London and crosses both daylight-saving changes of 2025).
    **read_kwargs
        Passed on to :func:`reconnect_signals.read_chat` (for example ``errors="raise"``).

    Returns
    -------
    DataFrame
        The message frame: one row per message, including the encryption notice and a
        security-code notice (``kind == "system"``), media, one deleted message, a missed
        call and one edited message.

    See Also
    --------
    example_path : the file itself.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> msgs = rs.load_example()
    >>> len(msgs) > 2500
    True
    >>> msgs["kind"].value_counts()[["text", "system", "deleted"]].tolist()  # doctest: +ELLIPSIS
    [..., 2, 1]
    >>> str(msgs["timestamp"].dt.tz)
    'Europe/London'
    """
    from ..io import read_chat

    return read_chat(example_path(), tz=tz, **read_kwargs)


def load_example_windows() -> pd.DataFrame:
    """A clearly synthetic labelled window dataset, so the classifier can be tried offline.

    Invented by a seeded generator (``python tools/_generate_windows.py`` in a source checkout;
    nothing in it comes from a real chat): 16 made-up pairs, two senders each, 12 monthly
    windows; each (sender, month) row has the columns of a ``cue_table(by="sender",
    freq="MS")`` and a ``label``, ``"warm"`` or ``"cool"``, drawn by the generator *before*
    the cues, which are then sampled from overlapping distributions (warm windows reply more
    and faster, ask more questions, use more "we" and score higher on sentiment; some cues
    carry no signal). The labels are the generator's, not anyone's feelings.

    Returns
    -------
    DataFrame
        ``conversation_id``, ``sender`` (str), ``window`` (datetime64[us, UTC], month start),
        ``messages``, ``words`` (int64), the :data:`reconnect_signals.ml.WINDOW_FEATURES` (float64) and ``label`` (str).

    Examples
    --------
    >>> from reconnect_signals.ml import load_example_windows
    >>> w = load_example_windows()
    >>> w.shape
    (384, 21)
    >>> w["label"].value_counts().sort_index().to_dict()
    {'cool': 188, 'warm': 196}
    """
    from importlib import resources

    ref = resources.files("reconnect_signals.datasets").joinpath("example_windows.csv")
    with ref.open("rb") as fh:
        raw = pd.read_csv(fh, dtype={"conversation_id": "str", "sender": "str", "label": "str"})
    raw["window"] = pd.to_datetime(raw["window"], utc=True).astype("datetime64[us, UTC]")
    return raw
