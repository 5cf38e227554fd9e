"""Slack workspace exports (the ``.zip`` an admin downloads, or its extracted folder).

Layout: ``users.json`` (people), ``channels.json`` (public channels) and, when present,
``groups.json`` (private channels), ``dms.json`` (direct messages) and ``mpims.json``
(group direct messages); one folder per conversation holding one ``YYYY-MM-DD.json`` list
of message objects per day. The zip is read in memory (never extracted to disk).

What this reader does:

- ``conversation_id``: the channel id (``C0JGLMMNX``, ``D...``, ``G...``); a folder listed
  nowhere keeps its folder name (reported).
- ``message_id``: the message ``ts`` (unique within a channel); ``reply_to``: the
  ``thread_ts`` of a threaded reply (when it differs from ``ts``).
- ``timestamp``: ``ts`` is epoch seconds with a micro-second fraction, an absolute instant,
  converted exactly (no float rounding).
- ``sender``: the user's ``real_name``, else ``display_name``, else ``name`` from
  ``users.json`` (the user id when unknown); bots use their ``username`` / ``bot_profile.name``,
  else the name their ``bot_id`` has in ``users.json`` (``profile.bot_id`` of bot users), in a
  ``bots.json`` (written by some export tools) or in another message of the same bot; only a bot
  named nowhere keeps its id (listed in a notice).
- ``kind``: ``system`` for join/leave/topic/purpose/name/archive/pin/bot-add subtypes and
  for ``bot_message`` (integrations are not people); ``media`` for file shares without a
  caption (``text`` when the share has a caption); ``deleted`` for tombstones; ``call``
  for Slack calls and huddles (``sh_room_created``, ``huddle_thread``). Users missing from
  ``users.json`` (Slack Connect guests) are named from the message's ``user_profile``.
  Emoji reactions on a message carry no time in the export and do not become rows; their
  count is in the report's ``decisions["reactions"]``.
- ``text``: Slack markup made readable: ``<@U123>`` -> ``@Name``, ``<#C1|general>`` ->
  ``#general``, ``<https://x|label>`` -> ``label``, ``<https://x>`` -> ``https://x``, and
  ``&amp;`` ``&lt;`` ``&gt;`` unescaped. ``edited`` is True when the message was edited.

Examples
--------
>>> import io, json, zipfile
>>> import reconnect_signals as rs
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as zf:
...     zf.writestr("users.json", json.dumps([{"id": "U1", "name": "sam", "real_name": "Sam"}]))
...     zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "general"}]))
...     zf.writestr("general/2024-03-01.json", json.dumps(
...         [{"type": "message", "user": "U1", "text": "hi <@U1> &amp; all", "ts": "1709316000.000200"}]))
>>> msgs = rs.read_chat(buf.getvalue())
>>> msgs[["conversation_id", "message_id", "sender", "text"]].values.tolist()
[['C1', '1709316000.000200', 'Sam', 'hi @Sam & all']]
>>> msgs["timestamp"].iloc[0].isoformat()
'2024-03-01T18:00:00.000200+00:00'
"""

from __future__ import annotations

import logging
import re
from itertools import islice
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from ..errors import LimitExceeded, ParseError
from ._json import WrongType as _WrongType
from ._json import loads as _loads
from ._json import typed as _typed
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source

__all__ = ["read_slack"]

logger = logging.getLogger(__name__)

_PLATFORM = "slack"
_LISTS = ("channels.json", "groups.json", "dms.json", "mpims.json")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_TS_RE = re.compile(r"^\d{1,11}(?:\.\d{1,9})?$")

#: Subtypes that are about the channel rather than said by a person.
SYSTEM_SUBTYPES = frozenset(
    {
        "bot_message",
        "bot_add",
        "bot_remove",
        "bot_enable",
        "bot_disable",
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "channel_convert_to_private",
        "channel_convert_to_public",
        "group_join",
        "group_leave",
        "group_topic",
        "group_purpose",
        "group_name",
        "group_archive",
        "group_unarchive",
        "pinned_item",
        "unpinned_item",
        "reminder_add",
        "reminder_delete",
        "app_conversation_leave",
        "joiner_notification",
    }
)
_CALL_SUBTYPES = frozenset({"sh_room_created", "huddle_thread"})
_DELETED_SUBTYPES = frozenset({"tombstone", "message_deleted"})
_FILE_SUBTYPES = frozenset({"file_share", "file_mention"})


def _count_reactions(value) -> int | None:
    """Emoji reactions on one message (``sum(count)``), or None when the list is malformed."""
    if value is None:
        return 0
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return None
    counts = [r.get("count", 1) for r in value]
    if not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c < 2**31 for c in counts):
        return None
    return sum(counts)


class _Tree:
    """Uniform access to a Slack export given as a zip archive or an extracted folder."""

    def __init__(self, source: Source):
        self.source = source
        if source.is_dir:
            root = source.on_disk
            # symbolic links are not followed: an export folder holds plain files
            self.names = sorted(
                p.relative_to(root).as_posix()
                for p in root.rglob("*.json")
                if p.is_file() and not p.is_symlink() and not p.parent.is_symlink()
            )
            self._prefix = ""
        elif source.is_zip:
            names = [n for n in source.zip_names() if n.lower().endswith(".json")]
            # an archive may wrap everything in one top folder
            self._prefix = _common_prefix(names)
            self.names = sorted(n[len(self._prefix) :] for n in names)
        else:
            raise ParseError(
                f"{source.name} is neither a Slack export .zip nor its extracted folder; pass the "
                "workspace export archive (or the folder with users.json and channels.json)"
            )

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str):
        src = self.source
        if src.is_dir:
            path = src.on_disk / name
            size = path.stat().st_size
            if size > src.limits.max_bytes:
                raise LimitExceeded(
                    f"{name} in {src.name} is {size} bytes, over the {src.limits.max_bytes}-byte "
                    "limit; pass limits=rs.io.Limits(max_bytes=...) if you trust it"
                )
            with open(path, "rb") as fh:
                data = fh.read(src.limits.max_bytes + 1)
        else:
            data = src.read_member(self._prefix + name)
        return _loads(data.decode("utf-8-sig"))


def _common_prefix(names: list[str]) -> str:
    if not names or any("/" not in n for n in names if n.split("/")[-1] in _LISTS + ("users.json",)):
        return ""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all(n.count("/") >= 1 for n in names):
        top = next(iter(tops)) + "/"
        if any(n[len(top) :] in ("users.json", "channels.json") for n in names):
            return top
    return ""


def _bot_names(users, bots=None) -> dict[str, str]:
    """``{bot id: name}``: bot users in ``users.json`` (``profile.bot_id``) and ``bots.json`` when present."""
    out: dict[str, str] = {}
    for b in bots if isinstance(bots, list) else []:
        if isinstance(b, dict) and isinstance(b.get("id"), str) and isinstance(b.get("name"), str):
            out[b["id"]] = b["name"]
    for u in users if isinstance(users, list) else []:
        prof = u.get("profile") if isinstance(u, dict) else None
        if isinstance(prof, dict) and isinstance(prof.get("bot_id"), str):
            name = next(
                (
                    v
                    for v in (u.get("real_name"), prof.get("real_name"), prof.get("display_name"), u.get("name"))
                    if isinstance(v, str) and v
                ),
                None,
            )
            if name:
                out.setdefault(prof["bot_id"], name)
    return out


def _user_names(users, report: ParseReport | None = None) -> dict[str, str]:
    """``{user id: name}`` from ``users.json``; malformed entries are skipped and counted in a notice."""
    out, bad = {}, 0
    for u in users if isinstance(users, list) else []:
        try:
            if not isinstance(u, dict) or not isinstance(u.get("id"), str):
                raise _WrongType("user")
            prof = _typed(u, "profile", dict) or {}
            name = (
                _typed(u, "real_name", str)
                or _typed(prof, "real_name", str)
                or _typed(prof, "display_name", str)
                or _typed(u, "name", str)
                or u["id"]
            )
        except _WrongType:
            bad += 1
            continue
        out[u["id"]] = name
    if bad and report is not None:
        report.notice(f"{bad} malformed entries in users.json were ignored; those senders are shown as user ids")
    return out


def _folder_ids(tree: _Tree, report: ParseReport) -> dict[str, str]:
    """Map conversation folder names to channel ids from the channel lists."""
    folders = {}
    for listing in _LISTS:
        if not tree.has(listing):
            continue
        try:
            items = tree.read(listing)
        except (ValueError, UnicodeDecodeError) as exc:
            report.notice(f"{listing} is not readable JSON ({exc}); its folders keep their names")
            continue
        bad = 0
        for ch in items if isinstance(items, list) else []:
            if not isinstance(ch, dict) or "id" not in ch:
                continue
            cid, name = ch["id"], ch.get("name")
            if not isinstance(cid, str) or not (name is None or isinstance(name, str)):
                bad += 1
                continue
            # dms.json folders are named by id; the others by name
            folders[name or cid] = cid
            folders.setdefault(cid, cid)
        if bad:
            report.notice(
                f"{bad} entries of {listing} have an id or name that is not a string and were ignored; "
                "their folders keep their names"
            )
    return folders


_MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL_RE = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK_RE = re.compile(r"<((?:https?|mailto|tel):[^|>]*)(?:\|([^>]*))?>")
_OLD_UPLOAD_RE = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?> uploaded a file: <[^>]*>(?: and commented: (.*))?\Z", re.S)
_SPECIAL_RE = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")


def _clean_text(text: pd.Series, users: dict[str, str]) -> pd.Series:
    """Turn Slack mark-up into readable text (vectorised string kernels)."""
    has_markup = text.str.contains("<", regex=False).fillna(False).astype(bool)
    if has_markup.any():
        sub = text[has_markup]
        sub = sub.str.replace(
            _MENTION_RE, lambda m: "@" + (m.group(2) or users.get(m.group(1), m.group(1))), regex=True
        )
        sub = sub.str.replace(_CHANNEL_RE, lambda m: "#" + (m.group(2) or m.group(1)), regex=True)
        sub = sub.str.replace(_LINK_RE, lambda m: m.group(2) or m.group(1), regex=True)
        sub = sub.str.replace(_SPECIAL_RE, r"@\1", regex=True)
        text = text.mask(has_markup, sub)
    has_entity = text.str.contains("&", regex=False).fillna(False).astype(bool)
    if has_entity.any():
        sub = text[has_entity].str.replace("&lt;", "<").str.replace("&gt;", ">").str.replace("&amp;", "&")
        text = text.mask(has_entity, sub)
    return text


def _release(source: Source) -> None:
    """Close the archive :class:`Source` opened for a zip file (it keeps it cached)."""
    zf = source.__dict__.pop("_zip", None)
    if zf is not None:
        fp = zf.fp
        zf.close()
        if fp is not None and source.path is not None:
            fp.close()


def read_slack(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read a Slack workspace export (see the module docstring for the mapping).

    Usually called through ``rs.read_chat(path)``; a folder or a ``.zip`` (read in memory).

    Parameters
    ----------
    source : Source
        The input (see :class:`reconnect_signals.io.Source`).
    options : ReadOptions
        ``tz`` converts the instants for display; ``extra`` holds the format options.

    Returns
    -------
    frame : DataFrame
        The message frame (``rs.read_chat`` coerces and validates it).
    reports : list of ParseReport
        What happened to every input unit.

    Examples
    --------
    >>> import io, json, zipfile
    >>> from reconnect_signals.io import ReadOptions, Source
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as zf:
    ...     zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "random"}]))
    ...     zf.writestr("random/2024-01-01.json", json.dumps([{"type": "message", "user": "U1",
    ...                 "subtype": "channel_join", "text": "<@U1> has joined the channel", "ts": "1704067200.0"}]))
    >>> frame, [report] = read_slack(Source(buf.getvalue()), ReadOptions())
    >>> frame["kind"].tolist(), frame["text"].tolist(), report.notices[0][:13]
    (['system'], ['@U1 has joined the channel'], 'no users.json')
    """
    try:
        return _read_slack(source, options)
    finally:
        _release(source)


def _read_slack(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    tree = _Tree(source)
    report = ParseReport(source=source.name, format="slack", units="records")
    users, raw_users, raw_bots = {}, None, None
    if tree.has("users.json"):
        try:
            raw_users = tree.read("users.json")
            users = _user_names(raw_users, report)
        except (ValueError, UnicodeDecodeError) as exc:
            report.notice(f"users.json is not readable JSON ({exc}); senders are shown as user ids")
    if tree.has("bots.json"):  # written by some export tools (slackdump); Slack's own export has none
        try:
            raw_bots = tree.read("bots.json")
        except (ValueError, UnicodeDecodeError) as exc:
            report.notice(f"bots.json is not readable JSON ({exc}); bots are named from their messages")
    bots = _bot_names(raw_users, raw_bots)
    if not users:
        report.notice("no users.json: senders are shown as Slack user ids")
    folders = _folder_ids(tree, report)
    cols: dict[str, list] = {
        k: [] for k in ("conv", "ts", "user", "bot", "bot_id", "text", "subtype", "files", "edited", "thread")
    }
    reactions, bad_reactions = 0, 0
    unknown_folders = set()
    for name in tree.names:
        path = PurePosixPath(name)
        if len(path.parts) != 2 or not _DAY_RE.match(path.name):
            continue
        folder = path.parts[0]
        conv = folders.get(folder)
        if conv is None:
            conv = folder
            unknown_folders.add(folder)
        try:
            items = tree.read(name)
        except (ValueError, UnicodeDecodeError) as exc:
            report.total += 1
            report.add_problem(None, f"not readable JSON ({exc}); re-export the workspace", location=name)
            continue
        if not isinstance(items, list):
            report.total += 1
            report.add_problem(None, "expected a JSON list of messages", str(items)[:80], location=name)
            continue
        for i, m in enumerate(items):
            report.total += 1
            if not isinstance(m, dict) or not _TS_RE.match(str(m.get("ts", ""))):
                report.add_problem(i, "message object without a readable ts", str(m)[:80], location=name)
                continue
            if m.get("type", "message") != "message":
                report.skip(f"{m.get('type')} object (not a message)")
                continue
            try:
                row = _message_fields(m, users)
            except _WrongType as exc:
                report.add_problem(
                    i, f"{exc}; the message was left out (re-export the workspace)", str(m)[:80], location=name
                )
                continue
            cols["conv"].append(conv)
            for key, value in row.items():
                cols[key].append(value)
            if row["bot_id"] and row["bot"]:  # a bot named in one message names its other messages too
                bots.setdefault(row["bot_id"], row["bot"])
            n = _count_reactions(m.get("reactions"))
            if n is None:
                bad_reactions += 1
            else:
                reactions += n
            report.messages += 1
    if unknown_folders:
        report.notice(
            f"folders not listed in channels/groups/dms/mpims.json keep their names as "
            f"conversation ids: {sorted(unknown_folders)[:5]}"
        )
    report.decisions["reactions"] = reactions
    if bad_reactions:
        report.notice(f"{bad_reactions} messages have a malformed 'reactions' list; their reactions were not counted")
    frame = _frame(cols, users, options, bots)
    unnamed = sorted(
        {
            b
            for b, u, n in zip(cols["bot_id"], cols["user"], cols["bot"], strict=True)
            if b and not n and b not in bots and (u is None or u not in users)
        }
    )
    report.decisions["bots_named"] = len(bots)
    if unnamed:
        report.notice(f"{len(unnamed)} bots are named nowhere in the export and keep their ids: {unnamed[:5]}")
    return frame, [report]


def _message_fields(m: dict, users: dict[str, str]) -> dict:
    """The columns of one message object; raises :class:`_WrongType` for a wrong-typed field.

    Adds Slack Connect guests named in ``user_profile`` to ``users``.
    """
    sub = _typed(m, "subtype", str)
    text = _typed(m, "text", str)
    user = _typed(m, "user", str)
    comment = m.get("comment")
    if sub == "file_comment" and isinstance(comment, dict):
        user = _typed(comment, "user", str, "comment.user") or user
        text = _typed(comment, "comment", str, "comment.comment") if "comment" in comment else text
    elif sub == "file_share" and isinstance(text, str):
        old = _OLD_UPLOAD_RE.match(text)  # exports before 2019: "<@U1> uploaded a file: <...>"
        if old:
            text = old.group(1)
    if user is None and isinstance(m.get("file"), dict):
        user = _typed(m["file"], "user", str, "file.user")
    prof = m.get("user_profile")
    if user and user not in users and isinstance(prof, dict):  # e.g. Slack Connect guests
        users[user] = (
            _typed(prof, "real_name", str, "user_profile.real_name")
            or _typed(prof, "display_name", str, "user_profile.display_name")
            or _typed(prof, "name", str, "user_profile.name")
            or user
        )
    profile = _typed(m, "bot_profile", dict) or {}
    bot = _typed(m, "username", str) or _typed(profile, "name", str, "bot_profile.name")
    bot_id = _typed(m, "bot_id", str) or _typed(profile, "id", str, "bot_profile.id")
    thread = _typed(m, "thread_ts", str)
    return {
        "ts": str(m["ts"]),
        "user": user,
        "bot": bot or None,
        "bot_id": bot_id or None,
        "text": text,
        "subtype": sub,
        "files": bool(m.get("files") or m.get("file") or m.get("upload")),
        "edited": bool(m.get("edited")),
        "thread": thread if thread and thread != str(m["ts"]) else None,
    }


def _frame(cols: dict, users: dict[str, str], options: ReadOptions, bots: dict[str, str] | None = None) -> pd.DataFrame:
    tz = options.tz or "UTC"
    if not cols["ts"]:
        from ..schema import empty_frame

        return empty_frame(tz, optional=["reply_to", "edited"])
    ts = pd.Series(cols["ts"], dtype="str")
    parts = ts.str.split(".", n=1, expand=True)
    secs = pd.to_numeric(parts[0], errors="coerce")
    frac = parts[1].fillna("0") if parts.shape[1] > 1 else pd.Series("0", index=ts.index)
    micros = pd.to_numeric(frac.str.slice(0, 6).str.pad(6, side="right", fillchar="0"), errors="coerce")
    us = secs * 1_000_000 + micros
    when = pd.Series(us.to_numpy(dtype="int64").astype("datetime64[us]")).dt.tz_localize("UTC")
    subtype = pd.Series(cols["subtype"], dtype="str")
    user = pd.Series(cols["user"], dtype="str")
    bot_id = pd.Series(cols.get("bot_id") or [None] * len(ts), dtype="str")
    # a bot's name: its message's username / bot_profile, else what users.json, bots.json or its
    # other messages call it; a bot user not in users.json is named like its bot
    bot = pd.Series(cols["bot"], dtype="str").fillna(bot_id.map(bots or {}).astype("str"))
    sender = user.map(users).astype("str").fillna(bot).fillna(user).fillna(bot_id)
    text = _clean_text(pd.Series(cols["text"], dtype="str"), users)
    text = text.where(text.str.len() > 0)
    files = np.asarray(cols["files"], dtype=bool)
    system = subtype.isin(SYSTEM_SUBTYPES).to_numpy()
    deleted = subtype.isin(_DELETED_SUBTYPES).to_numpy()
    media = (files | subtype.isin(_FILE_SUBTYPES).to_numpy()) & text.isna().to_numpy()
    call = subtype.isin(_CALL_SUBTYPES).to_numpy()
    kind = np.select([system, deleted, call, media], ["system", "deleted", "call", "media"], default="text")
    kind = np.where((kind == "text") & text.isna().to_numpy(), "other", kind)
    conv = pd.Series(cols["conv"], dtype="str")
    frame = pd.DataFrame(
        {
            "conversation_id": conv,
            "message_id": ts,
            "timestamp": when.dt.tz_convert(tz),
            "sender": sender,
            "text": text,
            "kind": kind,
            "platform": _PLATFORM,
            "reply_to": pd.Series(cols["thread"], dtype="str"),
            "edited": np.asarray(cols["edited"], dtype=bool),
        }
    )
    frame = frame.sort_values(["conversation_id", "timestamp"], kind="stable", ignore_index=True)
    return frame


def _sniff(source: Source) -> float:
    try:
        if source.is_dir:
            entries = list(islice(source.on_disk.iterdir(), 5000))
            names = {p.name for p in entries}
            subdirs = [p for p in entries if p.is_dir()][:20]
            has_days = any(_DAY_RE.match(c.name) for d in subdirs for c in islice(d.iterdir(), 50))
        elif source.is_zip:
            all_names = source.zip_names()
            names = {n.rsplit("/", 1)[-1] for n in all_names if n.count("/") <= 1}
            has_days = any(_DAY_RE.match(n.rsplit("/", 1)[-1]) for n in all_names)
        else:
            return 0.0
    except (OSError, ParseError):
        return 0.0
    if "users.json" in names and names & set(_LISTS) and has_days:
        return 0.95
    if names & set(_LISTS) and has_days:
        return 0.8
    return 0.0


register(
    ParserSpec(
        name="slack",
        platform=_PLATFORM,
        description="Slack workspace export (.zip or its folder): channels, private channels, DMs",
        patterns=("*.zip", "users.json", "channels.json"),
        where=(
            "Slack: a workspace owner or admin opens Settings & administration > Workspace "
            "settings > Import/Export Data > Export, and downloads the .zip (DMs and private "
            "channels only on plans that allow them). Pass the .zip or its extracted folder."
        ),
        sniff=_sniff,
        read=read_slack,
    )
)
