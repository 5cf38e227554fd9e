"""The report in a real headless browser (Debian's chromium driven by Playwright), at 1280 and 390 px.

For three chats (the bundled example, a two-day two-person chat, a 100k-message group of twelve)
and two widths (desktop 1280 px, phone 390 px) the page must: not scroll sideways at 390 px, log
no console error, request nothing but the file itself, show no ``nan`` (text or hover titles),
keep every legend inside its figure's box, hold at most one thin-data list, and give every plot
axes at least 150 px of height at 1280 px.

The browser comes from the system (``.ci/run`` installs Debian's ``chromium``); where there is
none, or Playwright is not installed, the tests skip and say why. Set
``RS_UPDATE_SCREENSHOTS=1`` to rewrite the reference screenshots in
``tests/data/report_screenshots/`` (they are for people to look at; the tests do not compare
pixels, because fonts differ between machines).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs

HERE = Path(__file__).resolve().parent
SHOTS = HERE / "data" / "report_screenshots"
WIDTHS = (1280, 390)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if Path(path).exists():
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("Playwright is not installed (pip install playwright); the browser tests need it")
    executable = _chromium()
    if executable is None:
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.skip(f"chromium at {executable} does not start headless here: {str(exc).splitlines()[0]}")
        yield b
        b.close()


# --------------------------------------------------------------------------- the three chats


def _two_days() -> pd.DataFrame:
    rng = np.random.default_rng(16)
    start = pd.Timestamp("2025-06-14 09:00")
    minutes = np.sort(rng.choice(np.arange(0, 2 * 24 * 60 - 600), size=40, replace=False))
    lines = [
        "morning! are we still on for lunch?",
        "yes :) I miss you",
        "haha same",
        "where shall we meet?",
        "the usual place, 1pm?",
        "perfect",
        "I feel bad about yesterday, sorry",
        "don't worry, we're fine",
        "you always say that lol",
        "because it's true ❤️",
    ]
    return rs.coerce(
        pd.DataFrame(
            {
                "timestamp": [start + pd.Timedelta(minutes=int(m)) for m in minutes],
                "sender": ["Alex" if i % 3 else "Sam" for i in range(40)],
                "text": [lines[i % len(lines)] for i in range(40)],
            }
        ),
        tz="Europe/London",
    )


def _group() -> pd.DataFrame:
    spec = importlib.util.spec_from_file_location("rs_bench_generate", HERE.parent / "benchmarks" / "generate.py")
    if spec is None or not Path(spec.origin).exists():
        pytest.skip("benchmarks/generate.py (the synthetic group chat) is not in this checkout")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return rs.coerce(module.generate_frame(100_000))


CHATS = {"example": lambda: rs.load_example(), "two_days": _two_days, "group_100k": _group}


@pytest.fixture(scope="module", params=list(CHATS))
def page_file(request, tmp_path_factory):
    name = request.param
    msgs = CHATS[name]()
    path = rs.report(msgs, tmp_path_factory.mktemp("browser") / f"{name}.html", progress=False)
    return name, msgs, path


# --------------------------------------------------------------------------- measuring a page

_MEASURE = """() => {
  const svgs = [...document.querySelectorAll('figure svg')];
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const legends = [];
  for (const svg of svgs) {
    const s = box(svg);
    for (const g of svg.querySelectorAll('[id*="legend"]')) {
      const r = g.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      legends.push({figure: svg.getAttribute('aria-label'), id: g.id, legend: box(g), svg: s});
    }
  }
  const axes = [...document.querySelectorAll('figure svg [id]')]
    .filter(e => /-axes\\d+$/.test(e.id))
    .map(e => ({figure: e.closest('svg').getAttribute('aria-label'), h: e.getBoundingClientRect().height}));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight,
    text: document.body.innerText,
    titles: [...document.querySelectorAll('svg title')].map(t => t.textContent),
    legends, axes, figures: svgs.length,
    thinLists: document.querySelectorAll('#thin-data').length,
    thinHeadings: [...document.querySelectorAll('h3')].filter(h => /thin data/i.test(h.textContent)).length,
  };
}"""


def _visit(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, page.evaluate(_MEASURE), problems, requests


def _save_screenshot(page, name: str, width: int) -> None:
    if os.environ.get("RS_UPDATE_SCREENSHOTS") != "1":
        return
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    for where, section in (("top", "summary"), ("plots", "plots"), ("words", "explore")):
        target = SHOTS / f"{name}_{width}_{where}.png"
        if where == "top":
            page.evaluate("() => window.scrollTo(0, 0)")
        else:
            page.evaluate(f"() => document.getElementById('{section}').scrollIntoView()")
        page.screenshot(path=str(target), full_page=False)
        with Image.open(target) as im:  # palette PNG: tens of KB
            im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(target, optimize=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_report_in_a_browser(browser, page_file, width):
    name, msgs, path = page_file
    page, m, problems, requests = _visit(browser, path, width)
    try:
        assert problems == []
        assert requests == [path.as_uri()], "the page requested something besides itself"
        if width == 390:
            assert m["scrollWidth"] <= m["clientWidth"], "the page scrolls sideways on a phone"
        for text in (m["text"], *m["titles"]):
            found = re.search(r"\bnan\b|<NA>|\bNaT\b", text, flags=re.I)
            assert found is None, f"{found.group(0)!r} in {text[max(found.start() - 80, 0) : found.end() + 40]!r}"
        assert m["figures"] >= 10
        assert m["titles"], "no hover titles in the figures"
        for leg in m["legends"]:
            (l0, t0, r0, b0), (l1, t1, r1, b1) = leg["legend"], leg["svg"]
            assert l0 >= l1 - 1 and t0 >= t1 - 1 and r0 <= r1 + 1 and b0 <= b1 + 1, leg
        assert m["thinLists"] <= 1 and m["thinHeadings"] <= 1
        if width == 1280:
            short = [a for a in m["axes"] if a["h"] < 150]
            assert m["axes"] and not short, f"axes shorter than 150 px: {short[:5]}"
        _save_screenshot(page, name, width)
    finally:
        page.close()


def test_page_weight_is_reasonable(page_file):
    """The file stays small enough to mail or open on a phone (sizes noted in the report's docs)."""
    name, msgs, path = page_file
    size = path.stat().st_size
    assert size < 4_000_000, f"{name}: {size:,} bytes"
