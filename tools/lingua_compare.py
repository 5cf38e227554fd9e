"""Measure lingua-language-detector on the project's multilingual chat sets (issue 19).

Not a dependency of the package: install it by hand (``pip install lingua-language-detector``,
a ~96 MB wheel) and run ``python tools/lingua_compare.py``. Prints, per language, the share of
the 150 labelled messages lingua assigns to the right language (restricted to the seven
languages; low- and high-accuracy mode) and the time per message, next to the share our
function-word evidence gets for the same messages (argmax, no per-sender pooling).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from reconnect_signals.cues._detect import language_codes, language_scores
from reconnect_signals.cues._tokens import _as_arrow, _normalize_arrow, _stream_arrow

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "cues" / "lang"
LANGS = ("de", "es", "fr", "pt", "it", "nl")


def main() -> None:
    from lingua import Language, LanguageDetectorBuilder

    seven = [
        Language.ENGLISH,
        Language.GERMAN,
        Language.SPANISH,
        Language.FRENCH,
        Language.PORTUGUESE,
        Language.ITALIAN,
        Language.DUTCH,
    ]
    texts, truth = [], []
    for lang in LANGS:
        for line in (DATA / f"{lang}_messages.jsonl").open(encoding="utf-8"):
            texts.append(json.loads(line)["text"])
            truth.append(lang)
    truth = np.asarray(truth)
    stream = _stream_arrow(_normalize_arrow(_as_arrow(pd.Series(texts))))
    ours = np.asarray(language_codes(), dtype=object)[language_scores(stream).argmax(axis=1)]
    for mode in ("low", "high"):
        builder = LanguageDetectorBuilder.from_languages(*seven)
        detector = (builder.with_low_accuracy_mode() if mode == "low" else builder).build()
        detector.detect_language_of("warm up")
        start = time.perf_counter()
        found = detector.detect_languages_in_parallel_of(texts)
        per_msg = (time.perf_counter() - start) / len(texts) * 1e3
        got = np.asarray([f.iso_code_639_1.name.lower() if f is not None else "" for f in found])
        shares = {lang: round(float((got[truth == lang] == lang).mean()), 3) for lang in LANGS}
        print(f"lingua {mode}-accuracy: {per_msg:.2f} ms/message; right language: {shares}")
    shares = {lang: round(float((ours[truth == lang] == lang).mean()), 3) for lang in LANGS}
    print(f"function-word evidence (per message, no pooling): right language: {shares}")


if __name__ == "__main__":
    main()
