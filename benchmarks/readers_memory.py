"""Peak memory of the Messenger and Discord readers against the Telegram reader, same messages.

Issue 18: Messenger and Discord JSON must read a 1M-message export with peak memory within 1.5x of
the Telegram reader's at 1M. The same seeded synthetic conversation (``generate.generate_frame``)
is written as

- ``telegram_N.json``: Telegram Desktop ``result.json`` (``generate.render_telegram``);
- ``messenger_N/inbox/weekend_crew_1/message_K.json``: a Messenger thread split into files of
  10,000 messages, newest first, strings mojibake-escaped, as Facebook writes it;
- ``messenger_N_one_file.json``: the same thread as one file (the end-to-end encrypted export
  writes one JSON per chat), which the reader streams;
- ``discord_N.json``: a DiscordChatExporter JSON export (author objects, attachments, reactions).

Each file is read by ``rs.read_chat`` in a fresh process; wall time and peak resident memory
(``VmHWM`` of the child) are printed as a Markdown table with the ratios to Telegram::

    python benchmarks/readers_memory.py --size 1M          # writes into benchmarks/_work/data
    python benchmarks/readers_memory.py --size 100k --keep
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import PEOPLE, SEED, SIZES, generate_frame, render_telegram  # noqa: E402

RUNNER = r"""
import sys, time, resource
import reconnect_signals as rs
t0 = time.perf_counter()
df = rs.read_chat(sys.argv[1], format=sys.argv[2], tz="Europe/London", errors="ignore")
sec = time.perf_counter() - t0
r = rs.parse_report(df)
r = r if isinstance(r, list) else [r]
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over execve, so a child of a big driver would
# report the driver's peak; VmHWM belongs to this process's own memory map
hwm = next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM"))
print(len(df), sum(x.messages for x in r), all(x.accounted() for x in r), f"{sec:.2f}",
      hwm // 1024, any(x.decisions.get("streamed") for x in r))
"""


def _moji(text: str) -> str:
    """Meta's escaping: UTF-8 bytes written as Latin-1 characters."""
    return text.encode("utf-8").decode("latin-1")


def write_messenger(frame, folder: Path, one_file: Path, per_file: int = 10_000) -> None:
    ms = (frame["timestamp"].dt.tz_convert("UTC").astype("datetime64[ms, UTC]").astype("int64")).to_numpy()
    kinds, senders, texts = frame["kind"].to_numpy(), frame["sender"].to_numpy(), frame["text"].to_numpy()
    lines = []
    for i in range(len(frame) - 1, -1, -1):  # newest first
        s = senders[i] if isinstance(senders[i], str) else PEOPLE[i % len(PEOPLE)]
        m = {"sender_name": _moji(s), "timestamp_ms": int(ms[i])}
        k, t = kinds[i], texts[i]
        if k == "media":
            m["photos"] = [
                {"uri": f"messages/inbox/weekend_crew_1/photos/{i}.jpg", "creation_timestamp": int(ms[i] // 1000)}
            ]
        elif k == "deleted":
            m["is_unsent"] = True
        elif k == "call":
            m["content"], m["call_duration"] = _moji(f"{s} called the group."), 0
        elif k == "system":
            m["content"], m["type"] = _moji(t or "joined"), "Subscribe"
        if k == "text" and isinstance(t, str):
            m["content"] = _moji(t)
        if i % 13 == 0:
            m["reactions"] = [{"reaction": _moji("❤️"), "actor": _moji(PEOPLE[(i + 1) % len(PEOPLE)])}]
        m["is_geoblocked_for_viewer"] = False
        lines.append(json.dumps(m))
    head = {"participants": [{"name": _moji(p)} for p in PEOPLE]}
    tail = (
        ', "title": "Weekend crew", "is_still_participant": true, "thread_path": "inbox/weekend_crew_1", '
        '"magic_words": []}\n'
    )
    thread = folder / "inbox" / "weekend_crew_1"
    thread.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(lines), per_file):
        part = lines[k : k + per_file]
        (thread / f"message_{k // per_file + 1}.json").write_text(
            json.dumps(head)[:-1] + ', "messages": [\n' + ",\n".join(part) + "\n]" + tail
        )
    with open(one_file, "w") as fh:
        fh.write(json.dumps(head)[:-1] + ', "messages": [\n')
        for j, line in enumerate(lines):
            fh.write((",\n" if j else "") + line)
        fh.write("\n]" + tail)


def write_discord(frame, path: Path) -> None:
    ts = (
        frame["timestamp"]
        .dt.strftime("%Y-%m-%dT%H:%M:%S.000%z")
        .str.replace(r"(\d{2})(\d{2})$", r"\1:\2", regex=True)
        .to_numpy()
    )
    kinds, senders, texts = frame["kind"].to_numpy(), frame["sender"].to_numpy(), frame["text"].to_numpy()
    authors = {
        p: {
            "id": str(10**17 + i),
            "name": p.lower().replace(" ", "_"),
            "discriminator": "0000",
            "nickname": p,
            "color": None,
            "isBot": False,
            "roles": [],
            "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png",
        }
        for i, p in enumerate(PEOPLE)
    }
    with open(path, "w") as fh:
        fh.write(
            json.dumps(
                {
                    "guild": {"id": "0", "name": "Direct Messages", "iconUrl": ""},
                    "channel": {
                        "id": "4200042",
                        "type": "DirectGroupTextChat",
                        "categoryId": "0",
                        "category": "Private",
                        "name": "Weekend crew",
                        "topic": None,
                    },
                    "dateRange": {"after": None, "before": None},
                    "exportedAt": "2026-01-01T00:00:00+00:00",
                }
            )[:-1]
            + ', "messages": [\n'
        )
        for i in range(len(frame)):
            s = senders[i] if isinstance(senders[i], str) else PEOPLE[i % len(PEOPLE)]
            k, t = kinds[i], texts[i]
            m = {
                "id": str(10**18 + i),
                "type": {"call": "Call", "system": "RecipientAdd"}.get(k, "Default"),
                "timestamp": ts[i],
                "timestampEdited": None,
                "callEndedTimestamp": None,
                "isPinned": False,
                "content": t if isinstance(t, str) and k == "text" else "",
                "author": authors[s],
                "attachments": (
                    [
                        {
                            "id": str(i),
                            "url": f"https://cdn.example/{i}.jpg",
                            "fileName": f"{i}.jpg",
                            "fileSizeBytes": 1000,
                        }
                    ]
                    if k == "media"
                    else []
                ),
                "embeds": [],
                "stickers": [],
                "reactions": (
                    [
                        {
                            "emoji": {
                                "id": "",
                                "name": "❤️",
                                "code": "heart",
                                "isAnimated": False,
                                "imageUrl": "https://cdn.example/heart.svg",
                            },
                            "count": 1,
                            "users": [authors[PEOPLE[(i + 1) % len(PEOPLE)]]],
                        }
                    ]
                    if i % 13 == 0
                    else []
                ),
                "mentions": [],
            }
            fh.write((",\n" if i else "") + json.dumps(m, ensure_ascii=False))
        fh.write(f'\n], "messageCount": {len(frame)}}}\n')


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1M", choices=sorted(SIZES))
    ap.add_argument("--out", type=Path, default=HERE / "_work" / "data")
    args = ap.parse_args(argv)
    n = SIZES[args.size]
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "telegram": (out / f"telegram_{args.size}.json", "telegram"),
        "messenger (10k-message files)": (out / f"messenger_{args.size}", "messenger"),
        "messenger (one file, streamed)": (out / f"messenger_{args.size}_one_file.json", "messenger"),
        "discord": (out / f"discord_{args.size}.json", "discord"),
    }
    if not all(p.exists() for p, _ in files.values()):
        t0 = time.perf_counter()
        frame = generate_frame(n, seed=SEED)
        if not files["telegram"][0].exists():
            files["telegram"][0].write_bytes(render_telegram(frame))
        write_messenger(frame, files["messenger (10k-message files)"][0], files["messenger (one file, streamed)"][0])
        write_discord(frame, files["discord"][0])
        del frame
        print(f"inputs written in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    load = os.getloadavg()
    rows = []
    for name, (path, fmt) in files.items():
        size = sum(p.stat().st_size for p in path.rglob("*.json")) if path.is_dir() else path.stat().st_size
        res = subprocess.run([sys.executable, "-c", RUNNER, str(path), fmt], capture_output=True, text=True, check=True)
        rows_, msgs, accounted, sec, mib, streamed = res.stdout.split()
        rows.append((name, size / 2**20, int(msgs), int(rows_), accounted, float(sec), int(mib), streamed))
        print(f"{name}: {res.stdout.strip()}", file=sys.stderr)
    base = rows[0][6]
    print(
        f"\nload average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"max RSS of this driver: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB\n"
    )
    print("| input | file MiB | messages | rows | accounted | streamed | wall s | peak MiB | memory ÷ telegram |")
    print("|---|---:|---:|---:|---|---|---:|---:|---:|")
    for name, mb, msgs, nrows, acc, sec, mib, streamed in rows:
        print(
            f"| {name} | {mb:.0f} | {msgs:,} | {nrows:,} | {acc} | {streamed} | {sec:.1f} | {mib} | {mib / base:.2f}× |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
