"""NPS Chat dialogue acts: the message-level pipeline against the NLTK book's Naive Bayes.

Protocol of the NLTK book, chapter 6, section 2.2 ("Identifying Dialogue Act Types"):
``posts = nltk.corpus.nps_chat.xml_posts()[:10000]``, the first 10 % of the posts are the
test set and the rest the training set; the book's Naive Bayes over ``contains(word)``
features scores an accuracy of 0.67 (https://www.nltk.org/book/ch06.html).

The corpus is not shipped (its licence does not allow it). Bring your own copy, for
instance NLTK's ``nltk_data/corpora/nps_chat`` folder, and run::

    python benchmarks/nps_chat.py /path/to/nps_chat
    # or: RS_NPS_CHAT=/path/to/nps_chat python benchmarks/nps_chat.py

    python benchmarks/nps_chat.py      # NLTK's copy, when nltk_data holds nps_chat

It prints, on the book's split: accuracy and macro-F1 of ``make_classifier("message")`` (cues
and text, calibrated), of the ablations — the same pipeline without calibration, with the
text features only (``features__cues="drop"``) and with the cue features only
(``text=False``) —, of a multinomial Naive Bayes on word presence (our stand-in for the book's
classifier, which needs NLTK's tokenizer models) and of always guessing the most frequent
class, next to the book's published 0.67. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

BOOK_NAIVE_BAYES = 0.67
N_POSTS = 10000


def run(path: str | None, *, n_posts: int = N_POSTS, out=None) -> dict[str, dict[str, float]]:
    """Run the comparison on the corpus at ``path`` (``None``: NLTK's copy in nltk_data);
    write the table to ``out``; return it."""
    import numpy as np
    from sklearn.dummy import DummyClassifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    from reconnect_signals.ml import feature_strengths, make_classifier, read_nps_chat

    out = out or sys.stdout
    posts = read_nps_chat(path).iloc[:n_posts].reset_index(drop=True)
    size = int(len(posts) * 0.1)
    if size < 1:
        raise ValueError(f"{path} holds {len(posts)} posts; the protocol needs at least 10")
    X, y = posts[["text"]], posts["label"].to_numpy()
    train_idx, test_idx = np.arange(size, len(posts)), np.arange(size)
    models = {
        "make_classifier('message')": make_classifier("message"),
        "same, uncalibrated": make_classifier("message", calibration=None),
        "same, text only (no cue features)": make_classifier("message").set_params(features__cues="drop"),
        "same, cues only (text=False)": make_classifier("message", text=False),
        "naive Bayes, word presence": make_pipeline(
            CountVectorizer(binary=True, lowercase=True, token_pattern=r"\S+"),
            MultinomialNB(),
        ),
        "most frequent class": DummyClassifier(strategy="most_frequent"),
    }
    rows: dict[str, dict[str, float]] = {}
    for name, model in models.items():
        start = time.perf_counter()
        data = X["text"] if name in ("naive Bayes, word presence", "most frequent class") else X
        model.fit(data.iloc[train_idx], y[train_idx])
        pred = model.predict(data.iloc[test_idx])
        rows[name] = {
            "accuracy": float(accuracy_score(y[test_idx], pred)),
            "macro_f1": float(f1_score(y[test_idx], pred, average="macro", zero_division=0)),
            "seconds": time.perf_counter() - start,
        }
    out.write(
        f"NPS Chat, NLTK book protocol: {len(posts)} posts, first {size} as test, "
        f"{len(posts) - size} for training, {len(set(y))} dialogue acts\n"
    )
    out.write(f"{'model':<36}{'accuracy':>10}{'macro-F1':>10}{'seconds':>10}\n")
    for name, r in rows.items():
        out.write(f"{name:<36}{r['accuracy']:>10.3f}{r['macro_f1']:>10.3f}{r['seconds']:>10.1f}\n")
    out.write(f"{'NLTK book naive Bayes (published)':<36}{BOOK_NAIVE_BAYES:>10.2f}{'':>10}{'':>10}\n")
    strengths = feature_strengths(models["make_classifier('message')"], top=3)
    out.write("\nstrongest features of the pipeline (log-odds weights, averaged over calibration folds):\n")
    for label, part in strengths.groupby("class", sort=True):
        pairs = zip(part["feature"], part["weight"], strict=True)
        out.write(f"  {label}: " + ", ".join(f"{f!r} ({w:+.2f})" for f, w in pairs) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "path",
        nargs="?",
        default=os.environ.get("RS_NPS_CHAT"),
        help="NPS Chat folder (*.xml); default: $RS_NPS_CHAT, else NLTK's nltk_data",
    )
    parser.add_argument("--posts", type=int, default=N_POSTS, help="posts to use (book: 10000)")
    args = parser.parse_args(argv)
    try:
        run(args.path, n_posts=args.posts)
    except FileNotFoundError as exc:
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
