"""Loaders for labelled corpora you bring yourself (their licences forbid shipping them).

Re-exported by :mod:`reconnect_signals.ml` and :mod:`reconnect_signals.datasets`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParseError

__all__ = ["read_nps_chat", "read_dailydialog"]

logger = logging.getLogger(__name__)


def read_nps_chat(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the NPS Chat corpus (Forsyth & Martell 2007) with its dialogue-act labels.

    The corpus is not shipped (its licence does not allow it): pass the folder that holds its
    ``*.xml`` session files (for instance NLTK's ``nltk_data/corpora/nps_chat``) or one file.
    Without ``path`` it is read through :mod:`nltk` from the user's ``nltk_data`` (folder or zip,
    wherever ``nltk.data.path`` looks); nothing is downloaded.
    Files are read in name order, like NLTK's ``nps_chat.xml_posts()``, so
    ``read_nps_chat(folder).iloc[:10000]`` is the NLTK book's ``posts[:10000]``.
    XML is parsed with :mod:`defusedxml`; each file is read with the library's size limits.

    Parameters
    ----------
    path : str or path, optional
        A folder of NPS Chat ``*.xml`` files or one such file; ``None`` reads NLTK's copy.

    Returns
    -------
    DataFrame
        One row per post: ``conversation_id`` (file name without ``.xml``), ``message_id``
        (``"{conversation_id}:{n}"``), ``sender`` (the anonymised user), ``text`` (the post,
        as NLTK's ``post.text``), ``label`` (the dialogue act: Statement, System, Greet,
        Emotion, ynQuestion, whQuestion, Accept, Bye, Emphasis, Continuer, Reject, yAnswer,
        nAnswer, Clarify, Other), all ``str``.

    Raises
    ------
    FileNotFoundError
        When there is no ``*.xml`` file at ``path``, or (``path=None``) NLTK has no ``nps_chat``:
        the message names ``nltk.download("nps_chat")``.
    ParseError
        When a file is not NPS Chat XML.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from reconnect_signals.ml import read_nps_chat
    >>> xml = ('<?xml version="1.0"?><Session><Posts>'
    ...        '<Post class="Greet" user="10-19-20sUser7">hi all<terminals/></Post>'
    ...        '<Post class="whQuestion" user="10-19-20sUser2">where u from?<terminals/></Post>'
    ...        '</Posts></Session>')
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = pathlib.Path(d, "10-19-20s_2posts.xml").write_text(xml)
    ...     posts = read_nps_chat(d)
    >>> posts[["sender", "text", "label"]].values.tolist()
    [['10-19-20sUser7', 'hi all', 'Greet'], ['10-19-20sUser2', 'where u from?', 'whQuestion']]
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError as XMLParseError
    from defusedxml.ElementTree import fromstring

    from ..io import Source

    if path is None:
        return _nps_chat_from_nltk()
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.xml") if not p.name.startswith((".", "README")))
    else:
        files = [path] if path.is_file() else []
    if not files:
        raise FileNotFoundError(
            f"no NPS Chat *.xml files at {path}; pass the nps_chat corpus folder (the one with "
            "files such as 10-19-20s_706posts.xml) or one of its files"
        )
    conv, sender, text, label = [], [], [], []
    for f in files:
        try:
            root = fromstring(Source(f).read_bytes())
        except (XMLParseError, DefusedXmlException) as exc:
            raise ParseError(f"{f.name}: not readable NPS Chat XML ({exc})") from None
        posts = root.findall("Posts/Post") if root.tag == "Session" else []
        if not posts:
            raise ParseError(f"{f.name}: no <Session><Posts><Post> elements; is this an NPS Chat file?")
        stem = f.name[: -len(".xml")] if f.name.endswith(".xml") else f.name
        for post in posts:
            conv.append(stem)
            sender.append(post.get("user"))
            text.append(post.text if post.text is not None else "")
            label.append(post.get("class"))
    conv_s = pd.Series(conv, dtype="str")
    seq = pd.Series(conv_s.groupby(conv_s).cumcount().to_numpy(), dtype="str")
    return pd.DataFrame(
        {
            "conversation_id": conv_s,
            "message_id": conv_s + ":" + seq,
            "sender": pd.Series(sender, dtype="str"),
            "text": pd.Series(text, dtype="str"),
            "label": pd.Series(label, dtype="str"),
        }
    )


def _nps_chat_from_nltk() -> pd.DataFrame:
    """NPS Chat through ``nltk.corpus``'s reader, from the user's ``nltk_data`` (no download)."""
    import nltk
    from nltk.corpus.reader import NPSChatCorpusReader

    try:
        root = nltk.data.find("corpora/nps_chat")
    except LookupError:
        raise FileNotFoundError(
            "NLTK's NPS Chat corpus is not installed (searched nltk.data.path: "
            f"{', '.join(map(str, nltk.data.path))}). Install it once with "
            "python -c 'import nltk; nltk.download(\"nps_chat\")' or pass read_nps_chat(path) "
            "the folder of its *.xml files; this library never downloads."
        ) from None
    reader = NPSChatCorpusReader(root, r"(?!README|\.).*\.xml", tagset="wsj")
    rows = [
        (fileid[: -len(".xml")], post.get("user"), post.text or "", post.get("class"))
        for fileid in sorted(reader.fileids())
        for post in reader.xml_posts(fileid)
    ]
    frame = pd.DataFrame(rows, columns=["conversation_id", "sender", "text", "label"], dtype="str")
    seq = frame.groupby("conversation_id").cumcount().astype("str")
    frame.insert(1, "message_id", frame["conversation_id"] + ":" + seq)
    return frame


_DD_ACTS = {"1": "inform", "2": "question", "3": "directive", "4": "commissive"}
_DD_EMOTIONS = {
    "0": "no emotion",
    "1": "anger",
    "2": "disgust",
    "3": "fear",
    "4": "happiness",
    "5": "sadness",
    "6": "surprise",
}


def read_dailydialog(path: str | os.PathLike, *, split: str | None = None) -> pd.DataFrame:
    """Read DailyDialog (Li et al. 2017, IJCNLP) with its dialogue-act and emotion labels.

    The corpus is not shipped (its licence, CC BY-NC-SA 4.0, does not allow it here): pass the
    folder you unpacked. Without ``split`` the folder's ``dialogues_text.txt``,
    ``dialogues_act.txt`` and ``dialogues_emotion.txt`` are read; with ``split="train"``
    (``"validation"``, ``"test"``) the files ``dialogues_train.txt``,
    ``dialogues_act_train.txt``, ``dialogues_emotion_train.txt`` of ``path`` or of
    ``path/train`` are read. One line per dialogue, utterances separated by ``__eou__``.

    Parameters
    ----------
    path : str or path
        The DailyDialog folder.
    split : {"train", "validation", "test"}, optional

    Returns
    -------
    DataFrame
        One row per utterance: ``conversation_id`` (``"{split or 'all'}:{dialogue}"``),
        ``message_id``, ``turn`` (int64, 0-based), ``sender`` (``"A"``/``"B"``, alternating),
        ``text``, ``act`` (inform, question, directive, commissive) and ``emotion`` (no emotion,
        anger, disgust, fear, happiness, sadness, surprise).

    Raises
    ------
    FileNotFoundError
        When the text file is missing (the message names the files looked for).
    ParseError
        When the label files do not have one label per utterance (names the dialogue).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from reconnect_signals.ml import read_dailydialog
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = pathlib.Path(d, "dialogues_text.txt").write_text(
    ...         "Hi , how are you ? __eou__ Fine , thanks ! __eou__\\n")
    ...     _ = pathlib.Path(d, "dialogues_act.txt").write_text("2 1\\n")
    ...     _ = pathlib.Path(d, "dialogues_emotion.txt").write_text("0 4\\n")
    ...     dd = read_dailydialog(d)
    >>> dd[["sender", "text", "act", "emotion"]].values.tolist()
    [['A', 'Hi , how are you ?', 'question', 'no emotion'], ['B', 'Fine , thanks !', 'inform', 'happiness']]
    """
    from ..io import Source

    root = Path(path)
    if split is None:
        names = ("dialogues_text.txt", "dialogues_act.txt", "dialogues_emotion.txt")
        folder = root
    elif split in ("train", "validation", "test"):
        names = (f"dialogues_{split}.txt", f"dialogues_act_{split}.txt", f"dialogues_emotion_{split}.txt")
        folder = root / split if (root / split / names[0]).is_file() else root
    else:
        raise ValueError(f"split must be 'train', 'validation', 'test' or None, got {split!r}")
    text_file = folder / names[0]
    if not text_file.is_file():
        raise FileNotFoundError(
            f"{names[0]} not found in {folder}; pass the unpacked DailyDialog folder "
            "(ijcnlp_dailydialog) and, for a split, split='train' / 'validation' / 'test'"
        )

    def lines(name: str) -> pd.Series:
        raw = Source(folder / name).read_bytes().decode("utf-8", errors="replace")
        s = pd.Series(raw.split("\n"), dtype="str")
        return s[s.str.strip().ne("")].reset_index(drop=True)

    dialogues = lines(names[0])
    utt = dialogues.str.replace(r"\s*__eou__\s*$", "", regex=True).str.split("__eou__").explode()
    utt = utt.str.strip()
    dialogue = utt.index.to_numpy(dtype="int64")
    turn = pd.Series(dialogue).groupby(dialogue).cumcount().to_numpy(dtype="int64")
    out = pd.DataFrame(
        {
            "conversation_id": pd.Series(dialogue, dtype="str").radd(f"{split or 'all'}:"),
            "turn": turn,
        }
    )
    out.insert(1, "message_id", out["conversation_id"] + ":" + pd.Series(turn, dtype="str"))
    out["sender"] = pd.Series(np.where(turn % 2 == 0, "A", "B"), dtype="str")
    out["text"] = pd.Series(utt.to_numpy(), dtype="str")
    for column, name, mapping in (("act", names[1], _DD_ACTS), ("emotion", names[2], _DD_EMOTIONS)):
        if not (folder / name).is_file():
            out[column] = pd.Series(np.nan, index=out.index, dtype="str")
            logger.info("%s not found; the %s column is missing", name, column)
            continue
        labels = lines(name).str.split().explode()
        counts = labels.groupby(level=0).size().reindex(range(len(dialogues)), fill_value=0)
        want = pd.Series(dialogue).value_counts().reindex(range(len(dialogues)), fill_value=0)
        bad = np.flatnonzero(counts.to_numpy() != want.to_numpy())
        if len(bad):
            raise ParseError(
                f"{name}: dialogue {bad[0]} (line {bad[0] + 1}) has {counts.iloc[bad[0]]} labels for "
                f"{want.iloc[bad[0]]} utterances ({len(bad)} such dialogues); use the label files "
                "that came with this text file"
            )
        out[column] = pd.Series(labels.map(mapping).to_numpy(), dtype="str")
    return out
