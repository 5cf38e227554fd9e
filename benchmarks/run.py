"""Time whole processes: reconnect_signals vs whatstk 0.9.1 and chat-miner 0.6.0, same run, same files.

Usage::

    python benchmarks/run.py                       # 10k, 100k, 1M; peers installed on first run
    python benchmarks/run.py --sizes 10k,100k --repeat 3
    python benchmarks/run.py --no-peers            # reconnect_signals only
    python benchmarks/run.py --cues                # issue 15: parse + every cue at 10k and 1M, sentiment

Each measurement is a fresh ``python -c ...`` process (interpreter start and imports
included), launched by a small wrapper process that reports the child's wall time and peak
resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``; the wrapper's own memory
is not counted). The peers live in their own virtualenv, ``benchmarks/_work/peers``, created
with ``pip install whatstk==0.9.1 chat-miner==0.6.0`` on the first run. Input files come from
``benchmarks/generate.py`` (written to ``benchmarks/_work/data`` when missing).

Results: ``benchmarks/_work/results.json`` (every run) and a Markdown table on stdout and in
``benchmarks/_work/results.md`` with the median of ``--repeat`` runs and the ratios to
reconnect_signals.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import venv
from pathlib import Path

__all__ = ["TASKS", "measure", "main"]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
PEERS = WORK / "peers"
PEER_PINS = ["whatstk==0.9.1", "chat-miner==0.6.0"]
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}

_WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "sys_s": ru.ru_stime,
                  "peak_mib": ru.ru_maxrss / 1024, "stderr": p.stderr.decode(errors="replace")[-2000:]}))
"""

# name: (interpreter, file kind, code); ``P`` is the input path, ``N`` the expected message count
TASKS: dict[str, tuple[str, str, str]] = {
    "rs import": ("rs", "none", "import reconnect_signals"),
    "rs parse": (
        "rs",
        "whatsapp",
        "import reconnect_signals as rs\nm = rs.read_chat(P, tz='Europe/London')\nassert len(m) == N, len(m)",
    ),
    "rs parse + cue_table": (
        "rs",
        "whatsapp",
        "import reconnect_signals as rs\nm = rs.read_chat(P, tz='Europe/London')\n"
        "t = rs.cue_table(m)\nassert len(t) == N and t['sentiment'].notna().any()",
    ),
    "whatstk parse": (
        "peer",
        "whatsapp",
        "from whatstk import df_from_whatsapp\ndf = df_from_whatsapp(P, max_size=None)\n"
        "assert len(df) >= 0.9 * N, len(df)",
    ),
    "chat-miner parse": (
        "peer",
        "whatsapp",
        "import logging\nlogging.disable(logging.CRITICAL)\n"
        "from chatminer.chatparsers import WhatsAppParser\np = WhatsAppParser(P)\n"
        "p.parse_file()\ndf = p.parsed_messages.get_df()\nassert len(df) >= 0.9 * N, len(df)",
    ),
    "rs telegram": (
        "rs",
        "telegram",
        "import reconnect_signals as rs\nm = rs.read_chat(P)\nassert len(m) == N, len(m)",
    ),
    "chat-miner telegram": (
        "peer",
        "telegram",
        "import logging\nlogging.disable(logging.CRITICAL)\n"
        "from chatminer.chatparsers import TelegramJsonParser\np = TelegramJsonParser(P)\n"
        "p.parse_file()\ndf = p.parsed_messages.get_df()\nassert len(df) >= 0.9 * N, len(df)",
    ),
    "json.load (reference)": (
        "rs",
        "telegram",
        "import json\nwith open(P, 'rb') as fh:\n    d = json.load(fh)\nassert len(d['messages']) == N",
    ),
}


# Sentiment throughput: the vectorised VADER against the vaderSentiment package on the same distinct
# texts (the parsed export's text messages, capped like every cue), in one process, one core.
_SENTIMENT = r"""
import json, os, time
import pyarrow as pa, pyarrow.compute as pc
pa.set_cpu_count(1); pa.set_io_thread_count(1)
import numpy as np
import reconnect_signals as rs
from reconnect_signals.cues import _vader
from reconnect_signals.cues._tokens import _cap
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
m = rs.read_chat(P, tz="Europe/London")
texts = m.loc[m["kind"] == "text", "text"].dropna()
uniq = pc.unique(_cap(pa.array(texts.array)))
t = time.process_time(); _vader._tables(); _vader._arrow_splits_like_python(); load = time.process_time() - t
u = os.times(); t = time.process_time(); fast = _vader.compound_scores(uniq); tf = time.process_time() - t
uf = os.times().user - u.user
analyzer = SentimentIntensityAnalyzer()
u = os.times(); t = time.process_time()
ref = np.array([analyzer.polarity_scores(x)["compound"] for x in uniq.to_pylist()])
tr = time.process_time() - t; ur = os.times().user - u.user
print(json.dumps({"texts": len(uniq), "fast_s": tf, "tables_s": load, "reference_s": tr,
                  "fast_user_s": uf, "reference_user_s": ur, "equal": int((np.abs(fast - ref) <= 1e-9).sum())}))
"""


def sentiment_throughput(path: Path) -> dict:
    """Vectorised VADER vs vaderSentiment on the distinct texts of ``path`` (CPU seconds, one core)."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    out = subprocess.run(
        [sys.executable, "-c", f"P = {str(path)!r}\n" + _SENTIMENT], capture_output=True, text=True, check=True, env=env
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["speedup"] = res["reference_s"] / res["fast_s"]
    # user time alone: the vectorised run's system time is mostly the kernel mapping its fresh arrays, which on a
    # VM with lazily backed memory varies from run to run (benchmarks/RESULTS.md, session 9)
    res["speedup_user"] = res["reference_user_s"] / res["fast_user_s"] if res["fast_user_s"] > 0 else float("nan")
    res["load"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return res


def _peer_python() -> Path:
    return PEERS / ("Scripts" if os.name == "nt" else "bin") / "python"


def ensure_peers() -> Path:
    """Create the peers' virtualenv (once) and return its interpreter."""
    py = _peer_python()
    if not py.exists():
        log.info("creating %s and installing %s", PEERS, " ".join(PEER_PINS))
        venv.EnvBuilder(with_pip=True, clear=True).create(PEERS)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *PEER_PINS], check=True)
    return py


def compile_package() -> None:
    """Byte-compile reconnect_signals, as ``pip install`` does for the peers' (and pandas') packages.

    An editable checkout has no ``__pycache__`` until an import writes one, and none is ever written
    under ``PYTHONDONTWRITEBYTECODE``; without this every measured process would compile our modules
    from source while the peers load theirs compiled.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("reconnect_signals")
    if spec is not None and spec.origin:
        compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)


def ensure_data(sizes: list[str]) -> Path:
    data = WORK / "data"
    missing = [s for s in sizes if not (data / f"telegram_{s}.json").exists()]
    if missing:
        log.info("generating %s", ", ".join(missing))
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--sizes", ",".join(missing), "--out", str(data)], check=True
        )
    return data


def prefault(gib: float) -> None:
    """Write ``gib`` GiB in a short-lived process, so that the next process finds that much memory backed.

    On a virtual machine whose host backs guest memory lazily and takes back what the guest frees (free
    page reporting, a balloon), the first write to such a page costs ~100 µs instead of ~0.5 µs: on the
    2-core benchmark VM a fresh process writing 800 MB took 12.4 s cold and 0.14-0.27 s right after
    another process had used and freed as much, and the 1M WhatsApp parse 4.8 s wall (4.1 s system) after a
    pause against 1.4-2.1 s (0.5 s system) right after this prefault. How much of a measured process's memory
    is cold then depends on what ran in the seconds before it. ``--prefault`` makes every measured process start
    alike (each tool's, peers included); runs without it show the cold cost.
    """
    if gib > 0:
        # numpy's large arrays are what the measured processes allocate most (and are madvised for huge pages);
        # writing one bytes object of the same size did not help (measured: parse sys 2.2-2.7 s after it, 0.5 s
        # after these arrays, 1.2-4.1 s after nothing)
        code = f"import numpy as np\nheld = [np.ones(2**24) for _ in range({max(1, round(gib * 8))})]"
        subprocess.run([sys.executable, "-c", code], check=True)


def measure(python: str, code: str, env: dict | None = None, warm_gib: float = 0.0) -> dict:
    """Run ``code`` in a fresh ``python`` process; return wall time, CPU time and peak RSS.

    ``warm_gib``: :func:`prefault` that much memory just before."""
    prefault(warm_gib)
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, python, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        raise RuntimeError(f"benchmark process failed:\n{code}\n{res['stderr']}")
    res.pop("stderr")
    return res


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        mem = float("nan")
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def _versions(python: str, mods: list[str]) -> str:
    code = f"import importlib.metadata as m\nfor d in {mods!r}:\n    print(d, m.version(d))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark reconnect_signals against whatstk and chat-miner.")
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement below 1M (1M runs once)")
    ap.add_argument("--layouts", default="android,ios")
    ap.add_argument("--tasks", default=",".join(TASKS), help="comma-separated subset of: " + ", ".join(TASKS))
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument(
        "--sentiment",
        default="",
        metavar="SIZES",
        help="also measure sentiment throughput (vectorised VADER vs vaderSentiment, same "
        "distinct texts, one core) at these sizes, e.g. 100k",
    )
    ap.add_argument(
        "--cues",
        action="store_true",
        help="issue 15's rows in one command: rs parse and rs parse + cue_table at 10k and 1M "
        "(both layouts, import included), sentiment throughput at 1M; no peers",
    )
    ap.add_argument(
        "--prefault",
        type=float,
        default=0.0,
        metavar="GIB",
        help="write this many GiB in a short process before each measured one (see prefault(); "
        "for virtual machines whose host backs guest memory lazily); default 0: off",
    )
    args = ap.parse_args(argv)
    if args.cues:
        args.no_peers, args.sizes, args.tasks, args.sentiment = True, "10k,1M", "rs parse,rs parse + cue_table", "1M"
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    if args.no_peers:
        tasks = [t for t in tasks if TASKS[t][0] != "peer"]
    data = ensure_data(sizes)
    compile_package()
    interp = {"rs": sys.executable}
    if any(TASKS[t][0] == "peer" for t in tasks):
        interp["peer"] = str(ensure_peers())
    env = dict(os.environ, PYTHONHASHSEED="0", TQDM_DISABLE="1")
    machine = _machine()
    versions = _versions(sys.executable, ["reconnect_signals", "pandas", "pyarrow", "numpy"])
    if "peer" in interp:
        versions += "\n" + _versions(interp["peer"], ["whatstk", "chat-miner", "pandas", "polars"])
    log.info("%s\n%s", machine, versions)
    rows = []
    for size in sizes:
        n = SIZES[size]
        reps = 1 if n >= 1_000_000 else args.repeat
        for task in tasks:
            who, kind, code = TASKS[task]
            if kind == "none":
                inputs = [("-", None)] if size == sizes[0] else []
            elif kind == "telegram":
                inputs = [("telegram", data / f"telegram_{size}.json")]
            else:
                inputs = [(lay, data / f"whatsapp_{lay}_{size}.txt") for lay in args.layouts.split(",")]
            for label, path in inputs:
                src = f"P = {str(path)!r}\nN = {n}\n" if path else ""
                runs = [measure(interp[who], src + code, env, args.prefault) for _ in range(reps)]
                row = {
                    "size": size if path else "-",
                    "task": task,
                    "input": label,
                    "runs": runs,
                    "wall_s": statistics.median(r["wall_s"] for r in runs),
                    "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                    "peak_mib": statistics.median(r["peak_mib"] for r in runs),
                    "sys_s": statistics.median(r["sys_s"] for r in runs),
                    "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
                    "prefault_gib": args.prefault,
                }
                rows.append(row)
                log.info(
                    "%-5s %-22s %-9s %8.2f s wall %8.2f s cpu (%.2f sys) %8.0f MiB  (load %.1f)",
                    row["size"],
                    task,
                    label,
                    row["wall_s"],
                    row["cpu_s"],
                    row["sys_s"],
                    row["peak_mib"],
                    row["load"],
                )
                _save(machine, versions, rows)
    for size in [s.strip() for s in args.sentiment.split(",") if s.strip()]:
        ensure_data([size])
        res = sentiment_throughput(data / f"whatsapp_android_{size}.txt")
        log.info(
            "%-5s sentiment: %d distinct texts, vectorised %.2f s (+%.2f s tables), vaderSentiment "
            "%.2f s CPU: %.1f× faster (user time alone %.2f s vs %.2f s: %.1f×); %d equal  (load %.1f)",
            size,
            res["texts"],
            res["fast_s"],
            res["tables_s"],
            res["reference_s"],
            res["speedup"],
            res["fast_user_s"],
            res["reference_user_s"],
            res["speedup_user"],
            res["equal"],
            res["load"],
        )
        rows.append({"size": size, "task": "sentiment throughput", "input": "android", **res})
    print(_save(machine, versions, rows))
    return 0


def _save(machine: str, versions: str, rows: list[dict]) -> str:
    """Write results.json and results.md (after every measurement, so a long run keeps its rows)."""
    WORK.mkdir(exist_ok=True)
    (WORK / "results.json").write_text(json.dumps({"machine": machine, "versions": versions, "rows": rows}, indent=1))
    table = _table(rows)
    (WORK / "results.md").write_text(f"{machine}\n\n```\n{versions}\n```\n\n{table}\n")
    return table


def _table(rows: list[dict]) -> str:
    """Markdown: one line per measurement, with the ratio of each peer to reconnect_signals."""
    base = {(r["size"], r["input"]): r for r in rows if r["task"] in ("rs parse", "rs telegram")}
    out = [
        "| size | input | task | wall s | CPU s | peak MiB | msgs/s (CPU) | wall ÷ rs | CPU ÷ rs | "
        "memory ÷ rs | load |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["task"] == "sentiment throughput":
            out.append(
                f"| {r['size']} | {r['input']} | sentiment, {r['texts']:,} distinct texts: vectorised "
                f"{r['fast_s']:.2f} s vs vaderSentiment {r['reference_s']:.2f} s CPU (one core), "
                f"**{r['speedup']:.1f}×** (user time {r.get('speedup_user', float('nan')):.1f}×), "
                f"{r['equal']:,} equal | | | | | | | | {r['load']:.1f} |"
            )
            continue
        b = base.get((r["size"], r["input"]))
        n = SIZES.get(r["size"])
        cpu = r.get("cpu_s", float("nan"))
        rate = f"{n / cpu:,.0f}" if n else ""
        rt = f"{r['wall_s'] / b['wall_s']:.1f}×" if b else ""
        rc = f"{cpu / b.get('cpu_s', float('nan')):.1f}×" if b else ""
        rm = f"{r['peak_mib'] / b['peak_mib']:.1f}×" if b else ""
        out.append(
            f"| {r['size']} | {r['input']} | {r['task']} | {r['wall_s']:.2f} | {cpu:.2f} | "
            f"{r['peak_mib']:.0f} | {rate} | {rt} | {rc} | {rm} | {r.get('load', float('nan')):.1f} |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
