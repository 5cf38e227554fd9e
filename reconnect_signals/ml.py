"""A small, honest classifier toolkit on top of the cues: featurizer, pipelines, evaluation.

.. important::

   A classifier here learns whatever labels you give it. Its probabilities describe how
   cue patterns resemble your labelled examples; they are **not** a measure of what anyone
   feels or intends, and the cues it uses were never validated as such. Describe, do not
   diagnose.

Public names
------------
:class:`CueFeaturizer`
    A scikit-learn transformer: rows of a cue table (windows or conversations) or messages
    (text plus message cues) to a numeric matrix with named features.
:func:`make_classifier`
    Stock pipelines: featurizer, scaling (and tf-idf for messages), logistic regression with
    calibrated probabilities.
:func:`evaluate`
    Cross-validated accuracy and macro-F1 and a readable account of the strongest features.
:func:`save_model`, :func:`load_model`
    Persistence with skops: only an explicit list of known types is ever loaded, never pickle.
:func:`load_session_model`, :func:`session_features`, :func:`predict_session_starts`
    The shipped model that tells a message starting a new conversation from one continuing
    it (trained on the Ubuntu IRC disentanglement corpus); ``add_structure(msgs, gap="model")``
    uses it.
:func:`read_nps_chat`, :func:`read_dailydialog`
    Loaders for labelled corpora you bring yourself (their licences forbid shipping them).
:func:`load_example_windows`
    A bundled, clearly synthetic labelled window dataset (seeded generator).

Examples
--------
>>> import reconnect_signals as rs
>>> from reconnect_signals.ml import evaluate, load_example_windows, make_classifier
>>> windows = load_example_windows()
>>> X, y = windows.drop(columns="label"), windows["label"]
>>> result = evaluate(make_classifier("window"), X, y, cv=3)
>>> result.accuracy > 0.8
True
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted, validate_data

from .cues import MAX_CHARS
from .errors import ParseError
from .schema import validate
from .table import AGGREGATE_COLUMNS

__all__ = [
    "CueFeaturizer",
    "make_classifier",
    "evaluate",
    "Evaluation",
    "feature_strengths",
    "save_model",
    "load_model",
    "TRUSTED_TYPES",
    "load_session_model",
    "session_features",
    "SESSION_FEATURES",
    "predict_session_starts",
    "read_nps_chat",
    "read_dailydialog",
    "load_example_windows",
    "WINDOW_FEATURES",
    "MESSAGE_FEATURES",
]

logger = logging.getLogger(__name__)

#: Cue-table columns :class:`CueFeaturizer` uses at window (or conversation) level by default.
WINDOW_FEATURES: tuple[str, ...] = tuple(
    c for c in AGGREGATE_COLUMNS if c not in ("messages", "words", "text_messages", "turns", "sessions_opened")
)

#: Per-message cues :class:`CueFeaturizer` computes from text at message level.
MESSAGE_FEATURES: tuple[str, ...] = (
    "words",
    "i_words",
    "we_words",
    "you_words",
    "i_statement",
    "you_criticism",
    "question",
    "apology",
    "laughter",
    "emoji",
    "sentiment",
    "absolutist",
    "gratitude",
    "future_we",
    "affection",
)

_LEVELS = ("auto", "window", "message")
# message-level counts are heavy-tailed: log1p them
_LOG_COUNTS = ("words", "emoji")


class CueFeaturizer(TransformerMixin, BaseEstimator):
    """Turn cue-table rows or messages into a numeric feature matrix with named columns.

    Parameters
    ----------
    level : {"auto", "window", "message"}, default "auto"
        ``"window"``: each row is a window or conversation of a cue table
        (:func:`reconnect_signals.cue_table` with ``by=`` and ``freq=``); the features are
        numeric columns of that table. ``"message"``: each row is a message; the features
        are the per-message cues of :func:`reconnect_signals.cues.text_cues` computed from
        ``text_column`` (plus ``columns``, if given). ``"auto"`` picks ``"message"`` when
        the input has ``text_column`` or is a 1-D array of strings, else ``"window"``.
    columns : list of str, optional
        Window level: the columns to use (default: those of :data:`WINDOW_FEATURES`
        present at fit). Message level: extra numeric columns passed through next to the
        text cues (for example ``latency_s`` from :func:`reconnect_signals.add_structure`).
    text_column : str, default "text"
        The text column at message level.
    log_durations : bool, default True
        Replace columns that end in ``_s`` (seconds, such as ``latency_median_s``) by
        ``log1p`` of the value, named ``log1p_<column>``: latencies are heavy-tailed.
    sentiment : bool, default True
        Message level: include the VADER ``sentiment`` cue (the slowest one).

    Attributes
    ----------
    level_ : str
        The level used ("window" or "message").
    n_features_in_ : int
        Number of input columns seen at fit.
    feature_names_in_ : ndarray of str
        Input column names (DataFrame input only).
    columns_ : list
        The input columns turned into features.
    feature_names_out_ : ndarray of str
        Output feature names (also :meth:`get_feature_names_out`).

    Notes
    -----
    One output row per input row; aggregation belongs to :func:`reconnect_signals.cue_table`.
    Missing values stay missing (NaN; a window without replies has no median latency):
    impute them downstream, as :func:`make_classifier` does. Booleans become 0/1.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.ml import CueFeaturizer
    >>> msgs = pd.DataFrame({"text": ["I miss you", "haha ok", "are you free?"]})
    >>> f = CueFeaturizer(level="message", sentiment=False).set_output(transform="pandas")
    >>> out = f.fit_transform(msgs)
    >>> out[["i_words", "you_words", "laughter", "question"]]
       i_words  you_words  laughter  question
    0      1.0        1.0       0.0       0.0
    1      0.0        0.0       1.0       0.0
    2      0.0        1.0       0.0       1.0
    >>> table = pd.DataFrame({"sender": ["A", "B"], "reply_rate": [0.9, 0.4],
    ...                       "latency_median_s": [60.0, 3600.0]})
    >>> CueFeaturizer().fit(table).get_feature_names_out().tolist()
    ['log1p_latency_median_s', 'reply_rate']
    """

    def __init__(
        self,
        level: str = "auto",
        columns: list[str] | None = None,
        text_column: str = "text",
        log_durations: bool = True,
        sentiment: bool = True,
    ):
        self.level = level
        self.columns = columns
        self.text_column = text_column
        self.log_durations = log_durations
        self.sentiment = sentiment

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

    # -- fit -----------------------------------------------------------------------------
    def _resolve_level(self, X) -> str:
        if self.level not in _LEVELS:
            raise ValueError(f"level must be one of {list(_LEVELS)}, got {self.level!r}")
        if self.level != "auto":
            return self.level
        if isinstance(X, pd.DataFrame):
            return "message" if self.text_column in X.columns else "window"
        if isinstance(X, pd.Series):
            return "message"
        arr = np.asarray(X)
        if arr.ndim == 1 and arr.dtype.kind in "OUS":
            return "message"
        return "window"

    def fit(self, X, y=None):
        """Learn which columns become features (no statistics are fitted).

        Parameters
        ----------
        X : DataFrame or array-like
            A cue table (window level) or messages (message level).
        y : ignored

        Returns
        -------
        self
        """
        level = self._resolve_level(X)
        if level == "window":
            self._fit_window(X)
        else:
            self._fit_message(X)
        self.level_ = level
        return self

    def _fit_window(self, X) -> None:
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
            self.n_features_in_ = X.shape[1]
            if self.columns is not None:
                cols = list(self.columns)
                missing = [c for c in cols if c not in X.columns]
                if missing:
                    raise ValueError(
                        f"columns {missing} are not in the input; pass columns= that the cue "
                        "table has (see rs.cue_table(..., by='sender', freq='W'))"
                    )
            else:
                cols = [c for c in WINDOW_FEATURES if c in X.columns]
                if not cols:
                    raise ValueError(
                        "the input has none of the cue-table columns "
                        f"{list(WINDOW_FEATURES)}; build it with rs.cue_table(msgs, by='sender', "
                        "freq='W') or pass columns=[...]"
                    )
            _window_matrix(X, cols)  # validates the values
            self.columns_ = cols
        else:
            arr = validate_data(self, X, ensure_all_finite="allow-nan", dtype="numeric", reset=True)
            if self.columns is not None:
                raise ValueError("columns= needs DataFrame input (column names)")
            self.columns_ = list(range(arr.shape[1]))
        names = [
            f"x{c}" if isinstance(c, (int, np.integer)) else str(c) for c in self.columns_
        ]
        if self.log_durations:
            names = [f"log1p_{n}" if n.endswith("_s") else n for n in names]
        self.feature_names_out_ = np.asarray(names, dtype=object)

    def _fit_message(self, X) -> None:
        texts, extra = self._message_parts(X, fitting=True)
        if len(texts) == 0:
            raise ValueError("Found array with 0 sample(s) (shape=(0,)); at least 1 is required")
        cues = [c for c in MESSAGE_FEATURES if self.sentiment or c != "sentiment"]
        self.columns_ = [self.text_column, *extra]
        names = [f"log1p_{c}" if c in _LOG_COUNTS else c for c in cues]
        extra_names = [f"log1p_{c}" if self.log_durations and c.endswith("_s") else c for c in extra]
        self.feature_names_out_ = np.asarray(names + extra_names, dtype=object)

    def _message_parts(self, X, *, fitting: bool) -> tuple[pd.Series, list[str]]:
        extra = list(self.columns or [])
        if isinstance(X, pd.DataFrame):
            if fitting:
                self.feature_names_in_ = np.asarray(X.columns, dtype=object)
                self.n_features_in_ = X.shape[1]
            missing = [c for c in [self.text_column, *extra] if c not in X.columns]
            if missing:
                raise ValueError(
                    f"message-level input lacks columns {missing}; pass a frame with a "
                    f"{self.text_column!r} column (or set text_column=)"
                )
            return X[self.text_column], extra
        if extra:
            raise ValueError("columns= needs DataFrame input (column names)")
        arr = np.asarray(X, dtype=object)
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise ValueError(
                "message-level input must be a DataFrame with a text column or a 1-D array of "
                f"texts; got an array of shape {np.shape(X)}"
            )
        if fitting:
            self.n_features_in_ = 1
        return pd.Series(arr, dtype="str"), extra

    # -- transform -------------------------------------------------------------------------
    def transform(self, X):
        """Return the feature matrix (float64, one row per input row).

        Parameters
        ----------
        X : DataFrame or array-like
            Same kind of input as at fit.

        Returns
        -------
        ndarray of shape (n_rows, n_features)
            A DataFrame instead with ``set_output(transform="pandas")``.
        """
        check_is_fitted(self, "feature_names_out_")
        if self.level_ == "message":
            texts, extra = self._message_parts(X, fitting=False)
            return self._message_matrix(texts, X if extra else None, extra)
        if isinstance(X, pd.DataFrame):
            missing = [c for c in self.columns_ if c not in X.columns]
            if missing:
                raise ValueError(
                    f"columns {missing} seen at fit are missing; transform a frame with the "
                    "same cue-table columns"
                )
            values = _window_matrix(X, self.columns_)
        else:
            if hasattr(self, "feature_names_in_"):
                raise ValueError(
                    "this featurizer was fitted on a DataFrame; transform a DataFrame with the "
                    "same columns"
                )
            values = validate_data(
                self, X, ensure_all_finite="allow-nan", dtype="numeric", reset=False
            ).astype("float64")
        return self._log(values, [str(c) for c in self.columns_])

    def _log(self, values: np.ndarray, names: list[str]) -> np.ndarray:
        if not self.log_durations:
            return values
        out = values.copy()
        for i, name in enumerate(names):
            if name.endswith("_s"):
                out[:, i] = np.log1p(np.clip(out[:, i], 0, None))
        return out

    def _message_matrix(self, texts: pd.Series, X, extra: list[str]) -> np.ndarray:
        from .cues import text_cues

        texts = pd.Series(texts.to_numpy(), dtype="str")
        cues = text_cues(texts, sentiment=self.sentiment)
        cols = [c for c in MESSAGE_FEATURES if self.sentiment or c != "sentiment"]
        values = cues[cols].to_numpy(dtype="float64", na_value=np.nan)
        for i, c in enumerate(cols):
            if c in _LOG_COUNTS:
                values[:, i] = np.log1p(values[:, i])
        if "sentiment" in cols:
            j = cols.index("sentiment")
            values[:, j] = np.nan_to_num(values[:, j], nan=0.0)  # no text: neutral
        if extra:
            more = self._log(_window_matrix(X, extra), extra)
            values = np.column_stack([values, more])
        return values

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the output features (``log1p_`` marks log-transformed columns)."""
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()


def _window_matrix(X: pd.DataFrame, cols: list) -> np.ndarray:
    """Numeric matrix of ``cols`` (bools become 0/1); a clear error for non-numeric columns."""
    bad = [
        c
        for c in cols
        if not (pd.api.types.is_numeric_dtype(X[c].dtype) or pd.api.types.is_bool_dtype(X[c].dtype))
    ]
    if bad:
        raise ValueError(
            f"columns {bad} are not numeric; pick numeric cue-table columns with columns=[...]"
        )
    values = X[cols].to_numpy(dtype="float64", na_value=np.nan)
    if np.isinf(values).any():
        raise ValueError("Input contains infinity; replace infinite values with NaN first")
    return values


# --- stock pipelines ---------------------------------------------------------------------------


def make_classifier(
    level: str = "message",
    *,
    estimator: Any = None,
    calibration: str | None = "sigmoid",
    text: bool = True,
    text_column: str = "text",
    columns: list[str] | None = None,
    C: float = 1.0,
    class_weight: str | dict | None = None,
    sentiment: bool = True,
):
    """A stock scikit-learn Pipeline for message- or window-level labels.

    Parameters
    ----------
    level : {"message", "window"}, default "message"
        ``"message"``: the input is a DataFrame with a ``text_column`` (one row per
        message). Features: the per-message cues (standardised) and, with ``text=True``,
        tf-idf of words (1-2 grams) and of characters (2-4 grams within words).
        ``"window"``: the input is a cue table (one row per sender and window, or per
        conversation); features: :data:`WINDOW_FEATURES` (or ``columns``), median-imputed
        and standardised.
    estimator : classifier, optional
        The final classifier; default ``LogisticRegression(C=C, class_weight=class_weight)``.
    calibration : {"sigmoid", "isotonic"} or None, default "sigmoid"
        Wrap the classifier in ``CalibratedClassifierCV(method=calibration, cv=3)`` so that
        ``predict_proba`` is calibrated; ``None`` leaves it as is (then the coefficients are
        the model's, not an average over calibration folds).
    text : bool, default True
        Message level: add the tf-idf features of the text.
    text_column : str, default "text"
    columns : list of str, optional
        Window level: the cue-table columns to use. Message level: extra numeric columns.
    C : float, default 1.0
        Inverse regularisation strength of the default logistic regression.
    class_weight : "balanced", dict or None
        Passed to the default logistic regression.
    sentiment : bool, default True
        Message level: include the VADER sentiment cue.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; steps ``"features"`` and ``"classifier"``.

    Notes
    -----
    Message level: keep text rows only (``msgs[msgs["kind"] == "text"]``) or fill missing
    text with ``""`` first; the tf-idf steps refuse missing values. Aggregate to windows with
    :func:`reconnect_signals.cue_table` before the window level: one row is one example.
    The default classifier's ``max_iter`` is 5000 and its solver lbfgs (multinomial for more
    than two classes).

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.ml import make_classifier
    >>> X = pd.DataFrame({"text": ["hi there", "hello!", "how are you?", "what time is it?",
    ...                            "hey", "where are you?"] * 3})
    >>> y = ["greet", "greet", "question", "question", "greet", "question"] * 3
    >>> model = make_classifier("message", sentiment=False).fit(X, y)
    >>> model.predict(pd.DataFrame({"text": ["why is it late?", "hiya"]})).tolist()
    ['question', 'greet']
    >>> list(model.named_steps)
    ['features', 'classifier']
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if level not in ("message", "window"):
        raise ValueError(f"level must be 'message' or 'window', got {level!r}")
    if calibration not in ("sigmoid", "isotonic", None):
        raise ValueError(f"calibration must be 'sigmoid', 'isotonic' or None, got {calibration!r}")
    clf = estimator if estimator is not None else LogisticRegression(
        C=C, class_weight=class_weight, max_iter=5000
    )
    if calibration is not None:
        clf = CalibratedClassifierCV(clf, method=calibration, cv=3)
    if level == "window":
        features = Pipeline(
            [
                ("cues", CueFeaturizer(level="window", columns=columns)),
                ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                ("scale", StandardScaler()),
            ]
        )
        return Pipeline([("features", features), ("classifier", clf)])
    cue_part = Pipeline(
        [
            (
                "featurize",
                CueFeaturizer(
                    level="message", columns=columns, text_column=text_column, sentiment=sentiment
                ),
            ),
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]
    )
    parts: list = [("cues", cue_part, [text_column, *(columns or [])])]
    if text:
        parts.append(
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b|[?!]",
                ),
                text_column,
            )
        )
        parts.append(
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
                text_column,
            )
        )
    features = ColumnTransformer(parts, sparse_threshold=1.0)
    return Pipeline([("features", features), ("classifier", clf)])


# --- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """What :func:`evaluate` measured. ``str(result)`` is a readable account.

    Attributes
    ----------
    folds : DataFrame
        One row per fold: ``fold``, ``accuracy``, ``f1_macro``.
    accuracy, accuracy_sd, f1_macro, f1_macro_sd : float
        Means and standard deviations over the folds.
    baseline_accuracy : float
        Accuracy of always predicting the most frequent training class (same folds).
    features : DataFrame
        The strongest features of the model refitted on all data (see
        :func:`feature_strengths`); empty when the model has no linear coefficients.
    model : estimator
        The model refitted on all data.
    """

    folds: pd.DataFrame
    accuracy: float
    accuracy_sd: float
    f1_macro: float
    f1_macro_sd: float
    baseline_accuracy: float
    features: pd.DataFrame = field(repr=False)
    model: Any = field(repr=False)

    def summary(self) -> str:
        """The account as text: scores, the baseline and the strongest features per class."""
        n = len(self.folds)
        lines = [
            f"{n}-fold cross-validation: accuracy {self.accuracy:.3f} (sd {self.accuracy_sd:.3f}), "
            f"macro-F1 {self.f1_macro:.3f} (sd {self.f1_macro_sd:.3f}); "
            f"always guessing the most frequent class: accuracy {self.baseline_accuracy:.3f}.",
        ]
        if len(self.features):
            lines.append(
                "Strongest features (log-odds weights of the refitted model, per standard "
                "deviation for scaled cues; they describe this model, not causes):"
            )
            for label, part in self.features.groupby("class", sort=False):
                items = ", ".join(
                    f"{f} ({w:+.2f})" for f, w in zip(part["feature"], part["weight"], strict=True)
                )
                lines.append(f"  towards {label!s}: {items}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def evaluate(model, X, y, *, cv=5, top: int = 5, random_state: int = 0) -> Evaluation:
    """Cross-validated accuracy and macro-F1, and the strongest features of the model.

    Parameters
    ----------
    model : estimator
        Typically from :func:`make_classifier`; it is cloned, never modified.
    X : DataFrame
        Inputs (messages or a cue table).
    y : array-like
        Labels.
    cv : int, splitter or iterable of (train, test) indices, default 5
        An int means stratified k-fold with shuffling (``random_state``).
    top : int, default 5
        Features to report per class.
    random_state : int, default 0

    Returns
    -------
    Evaluation
        Scores per fold and overall, a majority-class baseline, the strongest features and
        the model refitted on all data.

    Examples
    --------
    >>> from reconnect_signals.ml import evaluate, load_example_windows, make_classifier
    >>> windows = load_example_windows()
    >>> result = evaluate(make_classifier("window"), windows.drop(columns="label"),
    ...                   windows["label"], cv=3, top=2)
    >>> print(result)  # doctest: +SKIP
    3-fold cross-validation: accuracy 0.9... macro-F1 0.9...
    >>> result.features.columns.tolist()
    ['class', 'feature', 'weight']
    """
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import StratifiedKFold, cross_validate

    y = np.asarray(y)
    if isinstance(cv, (int, np.integer)):
        cv = StratifiedKFold(n_splits=int(cv), shuffle=True, random_state=random_state)
    splits = list(cv.split(X, y) if hasattr(cv, "split") else cv)
    scoring = ("accuracy", "f1_macro")
    res = cross_validate(clone(model), X, y, cv=splits, scoring=scoring)
    base = cross_validate(DummyClassifier(strategy="most_frequent"), X, y, cv=splits, scoring="accuracy")
    folds = pd.DataFrame(
        {
            "fold": np.arange(len(splits), dtype="int64"),
            "accuracy": res["test_accuracy"],
            "f1_macro": res["test_f1_macro"],
        }
    )
    fitted = clone(model).fit(X, y)

    def sd(values: pd.Series) -> float:
        return float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")

    return Evaluation(
        folds=folds,
        accuracy=float(folds["accuracy"].mean()),
        accuracy_sd=sd(folds["accuracy"]),
        f1_macro=float(folds["f1_macro"].mean()),
        f1_macro_sd=sd(folds["f1_macro"]),
        baseline_accuracy=float(np.mean(base["test_score"])),
        features=feature_strengths(fitted, top=top),
        model=fitted,
    )


def _coefficients(clf) -> tuple[np.ndarray, np.ndarray] | None:
    """(coef, classes) of a fitted linear classifier, averaged over calibration folds."""
    if hasattr(clf, "calibrated_classifiers_"):
        coefs = [_coefficients(c.estimator) for c in clf.calibrated_classifiers_]
        if any(c is None for c in coefs):
            return None
        return np.mean([c[0] for c in coefs], axis=0), clf.classes_
    coef = getattr(clf, "coef_", None)
    if coef is None:
        return None
    return np.asarray(coef.toarray() if hasattr(coef, "toarray") else coef), clf.classes_


def feature_strengths(model, *, top: int = 5) -> pd.DataFrame:
    """The features with the largest weights of a fitted pipeline, per class.

    Parameters
    ----------
    model : fitted Pipeline
        Its last step a linear classifier (``coef_``), possibly calibrated; the steps before
        it must provide ``get_feature_names_out``.
    top : int, default 5
        Features per class.

    Returns
    -------
    DataFrame
        ``class`` (the class a positive weight pushes towards), ``feature``, ``weight``
        (log-odds per unit of the feature as the classifier sees it: per standard deviation
        for scaled cues, per tf-idf unit for text). For two classes, the largest positive
        weights are listed under the second class and the largest negative ones (sign kept)
        under the first. Empty when there are no coefficients.

    Examples
    --------
    >>> from reconnect_signals.ml import feature_strengths, load_example_windows, make_classifier
    >>> w = load_example_windows()
    >>> model = make_classifier("window", calibration=None).fit(w.drop(columns="label"), w["label"])
    >>> feature_strengths(model, top=1)["feature"].str.len().gt(0).all()
    np.True_
    """
    empty = pd.DataFrame(
        {"class": pd.Series([], dtype="str"), "feature": pd.Series([], dtype="str"), "weight": []}
    )
    steps = getattr(model, "steps", None)
    if not steps:
        return empty
    found = _coefficients(steps[-1][1])
    if found is None:
        return empty
    coef, classes = found
    try:
        names = np.asarray(model[:-1].get_feature_names_out(), dtype=object)
    except (AttributeError, ValueError):
        names = np.asarray([f"x{i}" for i in range(coef.shape[1])], dtype=object)
    rows = []
    if coef.shape[0] == 1:
        w = coef[0]
        for label, order in ((classes[1], np.argsort(-w)), (classes[0], np.argsort(w))):
            picked = [i for i in order[:top] if (w[i] > 0 if label == classes[1] else w[i] < 0)]
            rows += [(str(label), str(names[i]), float(w[i])) for i in picked]
    else:
        for k, label in enumerate(classes):
            w = coef[k]
            rows += [(str(label), str(names[i]), float(w[i])) for i in np.argsort(-w)[:top] if w[i] > 0]
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=["class", "feature", "weight"])
    return out.astype({"class": "str", "feature": "str", "weight": "float64"})


# --- persistence (skops, never pickle) ----------------------------------------------------------

#: Types beyond skops' defaults that :func:`load_model` accepts: the ones the stock pipelines
#: and the session model are made of. Checked with ``skops.io.get_untrusted_types`` before
#: loading; anything else is refused unless you name it in ``trusted=``.
TRUSTED_TYPES: tuple[str, ...] = (
    "numpy.dtype",
    "reconnect_signals.ml.CueFeaturizer",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.isotonic.IsotonicRegression",
)

_MAX_MODEL_BYTES = 200 * 1024 * 1024


def save_model(model, path: str | os.PathLike) -> Path:
    """Save a fitted model with skops (a zip of JSON and arrays; no pickle).

    Parameters
    ----------
    model : estimator
    path : str or path
        Target file; ``.skops`` is the usual suffix.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from reconnect_signals.ml import load_example_windows, load_model, make_classifier, save_model
    >>> w = load_example_windows()
    >>> model = make_classifier("window").fit(w.drop(columns="label"), w["label"])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = save_model(model, pathlib.Path(d) / "windows.skops")
    ...     again = load_model(path)
    >>> (again.predict(w.drop(columns="label")) == model.predict(w.drop(columns="label"))).all()
    np.True_
    """
    import skops.io as sio

    path = Path(path)
    sio.dump(model, path)
    logger.debug("saved %s to %s", type(model).__name__, path)
    return path


def load_model(path: str | os.PathLike, *, trusted: list[str] | tuple[str, ...] = ()):
    """Load a model saved with :func:`save_model`, refusing unknown types.

    Only skops' default types, :data:`TRUSTED_TYPES` and the type names you list in
    ``trusted`` may be instantiated. A file is never unpickled.

    Parameters
    ----------
    path : str or path
        A ``.skops`` file (at most 200 MB).
    trusted : list of str, optional
        Extra fully qualified type names you have reviewed (see
        ``skops.io.get_untrusted_types(file=path)``). ``True`` is not accepted.

    Returns
    -------
    estimator

    Raises
    ------
    ValueError
        When the file holds types outside the trusted list (the message lists them and the fix).
    """
    import skops.io as sio

    if trusted is True or isinstance(trusted, str):
        raise TypeError(
            "trusted= must be a list of type names you have reviewed (e.g. ['mypkg.MyStep']), "
            "never True; see skops.io.get_untrusted_types(file=path)"
        )
    path = Path(path)
    size = path.stat().st_size
    if size > _MAX_MODEL_BYTES:
        raise ValueError(f"{path} is {size} bytes, more than the 200 MB a model may have")
    allowed = set(TRUSTED_TYPES) | set(trusted)
    unknown = sorted(set(sio.get_untrusted_types(file=path)) - allowed)
    if unknown:
        raise ValueError(
            f"{path} contains types that are not trusted: {unknown}; if you know where the file "
            "comes from and have reviewed them, pass load_model(path, trusted=[...those names...])"
        )
    return sio.load(path, trusted=sorted(allowed))


# --- the session-start model (Ubuntu IRC disentanglement) ---------------------------------------

#: Columns of :func:`session_features`, in the order the shipped session model takes them.
SESSION_FEATURES: tuple[str, ...] = (
    "log_gap",
    "log_gap_sender",
    "sender_new",
    "same_sender_as_prev",
    "mentions_recent_nick",
    "addresses_recent_nick",
    "was_addressed",
    "log_gap_addressed",
    "question",
    "log_words",
    "has_url",
    "greeting",
    "anyone",
    "thanks",
)

_SESSION_MODEL = "session_model.skops"
_GAP_CAP_S = 7 * 86400.0  # a first message (no previous one) counts as a week's silence
_RECENT_S = 3600.0  # a nick is "recent" when its owner wrote within the last hour
_EXCLUDED_KINDS = ("system", "reaction")  # as in reconnect_signals.structure
# linear-time patterns: character classes and fixed alternations only
_SEPARATORS = r"[\s,:;!?\"'()<>]+"
_URL = r"https?://|www\."
_GREETING = r"^\W*(?:hi|hello|hey|hiya|yo|howdy|morning|evening|good (?:morning|evening|afternoon))\b"
_ANYONE = r"\b(?:any ?one|anybody|someone|somebody|help)\b"
_THANKS = r"\b(?:thanks|thank you|thx|ty|cheers)\b"


def _person_order(msgs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of person rows sorted by (conversation, instant), their conversation codes and seconds."""
    n = len(msgs)
    ts = msgs["timestamp"].dt.tz_convert("UTC")
    has_time = ts.notna().to_numpy()
    person = (
        ~msgs["kind"].astype("str").isin(_EXCLUDED_KINDS).to_numpy()
        & msgs["sender"].notna().to_numpy()
        & has_time
    )
    conv_codes = pd.factorize(msgs["conversation_id"], use_na_sentinel=False)[0]
    t_us = ts.astype("datetime64[us, UTC]").to_numpy(dtype="datetime64[us]").astype("int64")
    t_sort = np.where(has_time, t_us, np.iinfo(np.int64).max)
    order = np.lexsort((np.arange(n), t_sort, conv_codes))
    p = order[person[order]]
    return p, conv_codes[p], t_us[p].astype("float64") / 1e6


def session_features(msgs: pd.DataFrame) -> pd.DataFrame:
    """Timing and lexical features that tell a message starting a conversation from one continuing it.

    Computed per ``conversation_id`` on person rows in time order (rows of kind ``system`` or
    ``reaction``, without sender or without time get NaN), vectorised.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (not modified).

    Returns
    -------
    DataFrame
        Same index as ``msgs``, float64 columns :data:`SESSION_FEATURES`:

        - ``log_gap``: ``log1p`` of the seconds since the previous person message (a week
          for the first message);
        - ``log_gap_sender``: ``log1p`` of the seconds since the same sender's previous
          message (a week when there is none); ``sender_new`` (0/1) when there is none;
        - ``same_sender_as_prev`` (0/1);
        - ``mentions_recent_nick``: a word of the text is the (case-insensitive) name of
          someone else who wrote in the last hour; ``addresses_recent_nick``: that word is
          the first one ("bob: try this");
        - ``was_addressed``: someone else named this sender in the last hour;
          ``log_gap_addressed``: ``log1p`` of the seconds since then (a week when never);
        - in a conversation with at most two senders every message is addressed to the other
          person, so there the other person's last message counts as naming this sender (and
          this message as naming them, when they wrote within the hour);
        - lexical: ``question`` (a ``?``), ``log_words``, ``has_url``, ``greeting`` (opens
          with hi/hello/hey/...), ``anyone`` (anyone/anybody/someone/help), ``thanks``.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.ml import session_features
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-01 12:00"],
    ...     "sender": ["ann", "bob", "cat"],
    ...     "text": ["anyone know grub?", "ann: reinstall it", "hi all"]}))
    >>> f = session_features(msgs)
    >>> f[["addresses_recent_nick", "was_addressed", "greeting", "sender_new"]].values.tolist()
    [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]]
    >>> f["log_gap"].round(2).tolist()
    [13.31, 4.11, 8.86]
    """
    validate(msgs, columns=["conversation_id", "timestamp", "sender", "text", "kind"])
    n = len(msgs)
    p, conv, t = _person_order(msgs)
    m = len(p)
    if m == 0:
        return pd.DataFrame(np.nan, index=msgs.index, columns=list(SESSION_FEATURES))
    who = msgs["sender"].astype("str").str.lower().to_numpy(dtype=object)[p]
    pos = np.arange(m)
    first = np.ones(m, dtype=bool)
    first[1:] = conv[1:] != conv[:-1]
    gap = np.full(m, np.nan)
    gap[1:] = t[1:] - t[:-1]
    gap[first] = np.nan
    same_prev = np.zeros(m, dtype=bool)
    same_prev[1:] = who[1:] == who[:-1]
    same_prev &= ~first

    rows = pd.DataFrame({"conv": conv, "who": pd.Series(who, dtype="str"), "pos": pos, "t": t})
    by_sender = rows.groupby(["conv", "who"], sort=False)
    prev_pos = by_sender["pos"].shift().to_numpy(dtype="float64")
    prev_t = by_sender["t"].shift().to_numpy(dtype="float64")

    # words of the text that name someone who wrote in this conversation within the last hour;
    # bounded work per message (the first MAX_CHARS characters, as for the cues), RE2 kernels
    text = pa.array(msgs["text"].to_numpy(dtype=object)[p], type=pa.large_string(), from_pandas=True)
    text = pc.utf8_lower(pc.utf8_slice_codeunits(pc.fill_null(text, ""), 0, MAX_CHARS))
    parts = pc.split_pattern_regex(text, _SEPARATORS)
    token = pc.utf8_rtrim(pc.list_flatten(parts), characters=".")
    parent = pc.list_parent_indices(parts).to_numpy(zero_copy_only=False).astype("int64")
    length = pc.utf8_length(token).to_numpy(zero_copy_only=False)
    nonempty = length > 0
    first_token = np.zeros(len(parent), dtype=bool)
    idx = np.flatnonzero(nonempty)
    first_token[idx] = ~pd.Series(parent[idx]).duplicated().to_numpy()
    keep = length >= 2
    tok = pd.DataFrame(
        {
            "pos": parent[keep],
            "token": pd.Series(token.filter(pa.array(keep)).to_numpy(zero_copy_only=False), dtype="str"),
            "first_token": first_token[keep],
        }
    )
    tok["conv"] = conv[tok["pos"].to_numpy()]
    spoke = rows.rename(columns={"who": "token", "pos": "spoke_pos", "t": "spoke_t"})
    hit = pd.merge_asof(
        tok.sort_values("pos", kind="stable"),
        spoke,
        left_on="pos",
        right_on="spoke_pos",
        by=["conv", "token"],
        allow_exact_matches=False,
        direction="backward",
    )
    hit_pos = hit["pos"].to_numpy(dtype="int64")
    recent = (
        hit["spoke_pos"].notna().to_numpy()
        & (t[hit_pos] - hit["spoke_t"].to_numpy(dtype="float64") <= _RECENT_S)
        & (hit["token"].to_numpy(dtype=object) != who[hit_pos])
    )
    mentions = np.zeros(m, dtype=bool)
    mentions[hit_pos[recent]] = True
    addresses = np.zeros(m, dtype=bool)
    addresses[hit_pos[recent & hit["first_token"].to_numpy(dtype=bool)]] = True

    # the last time someone else named this sender
    named = pd.DataFrame(
        {
            "named_pos": hit_pos[recent],
            "conv": conv[hit_pos[recent]],
            "who": pd.Series(hit["token"].to_numpy(dtype=object)[recent], dtype="str"),
        }
    ).drop_duplicates()
    back = pd.merge_asof(
        rows[["pos", "conv", "who"]],
        named.sort_values("named_pos", kind="stable"),
        left_on="pos",
        right_on="named_pos",
        by=["conv", "who"],
        allow_exact_matches=False,
        direction="backward",
    )
    named_pos = back["named_pos"].to_numpy(dtype="float64")
    named_t = np.where(np.isnan(named_pos), np.nan, t[np.nan_to_num(named_pos).astype("int64")])

    # two people: every message is addressed to the other one, named or not
    senders = rows.groupby("conv")["who"].transform("nunique").to_numpy()
    dyad = senders <= 2
    other_t = _last_other_time(conv, who, t, first)
    with np.errstate(invalid="ignore"):
        other_recent = dyad & ((t - other_t) <= _RECENT_S)
        mentions |= other_recent
        addresses |= other_recent
        named_t = np.where(dyad, np.fmax(named_t, other_t), named_t)
        was_addressed = (t - named_t) <= _RECENT_S

    def matches(pattern: str) -> np.ndarray:
        return pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False).astype(bool)

    words = pc.count_substring_regex(text, r"\S+").to_numpy(zero_copy_only=False).astype("float64")
    feats = {
        "log_gap": np.log1p(np.nan_to_num(gap, nan=_GAP_CAP_S).clip(0, _GAP_CAP_S)),
        "log_gap_sender": np.log1p(np.nan_to_num(t - prev_t, nan=_GAP_CAP_S).clip(0, _GAP_CAP_S)),
        "sender_new": np.isnan(prev_pos),
        "same_sender_as_prev": same_prev,
        "mentions_recent_nick": mentions,
        "addresses_recent_nick": addresses,
        "was_addressed": was_addressed,
        "log_gap_addressed": np.log1p(np.nan_to_num(t - named_t, nan=_GAP_CAP_S).clip(0, _GAP_CAP_S)),
        "question": pc.match_substring(text, "?").to_numpy(zero_copy_only=False).astype(bool),
        "log_words": np.log1p(words),
        "has_url": matches(_URL),
        "greeting": matches(_GREETING),
        "anyone": matches(_ANYONE),
        "thanks": matches(_THANKS),
    }
    full = np.full((n, len(SESSION_FEATURES)), np.nan)
    full[p] = np.column_stack([np.asarray(feats[c], dtype="float64") for c in SESSION_FEATURES])
    return pd.DataFrame(full, index=msgs.index, columns=list(SESSION_FEATURES))


def _last_other_time(conv: np.ndarray, who: np.ndarray, t: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Time of the latest earlier message by someone else in the conversation (NaN if none)."""
    m = len(t)
    change = np.zeros(m, dtype=bool)
    change[1:] = (who[1:] != who[:-1]) & ~first[1:]
    # the previous message's time where the sender changed; carried forward through a turn
    marks = np.full(m, np.nan)
    marks[1:] = np.where(change[1:], t[:-1], np.nan)
    marks[first] = -np.inf  # reset at each conversation
    filled = pd.Series(marks).ffill().to_numpy()
    return np.where(np.isneginf(filled), np.nan, filled)


def load_session_model(path: str | os.PathLike | None = None):
    """The shipped session-start model (or one retrained with the training script).

    A ``Pipeline(StandardScaler, LogisticRegression)`` over :data:`SESSION_FEATURES`, trained on
    the Ubuntu IRC disentanglement train split (Kummerfeld et al. 2019, ACL; data CC BY 4.0) to
    tell a message that starts a new conversation (class ``True``) from one that continues
    one. ``predict`` uses the threshold that maximised F1 on the dev split (folded into the
    intercept), so ``predict_proba`` is a score, not a calibrated probability. Test-split
    numbers against fixed gaps are in ``docs/classifier.md``; retrain with
    ``python -m reconnect_signals.datasets._train_session_model TRAIN_DIR``.

    Parameters
    ----------
    path : str or path, optional
        A model file; default: the one shipped in ``reconnect_signals/datasets``.

    Examples
    --------
    >>> from reconnect_signals.ml import SESSION_FEATURES, load_session_model
    >>> model = load_session_model()
    >>> list(model.feature_names_in_) == list(SESSION_FEATURES)
    True
    >>> model.classes_.tolist()
    [False, True]
    """
    if path is None:
        return _shipped_session_model()
    return load_model(path)


@functools.lru_cache(maxsize=1)
def _shipped_session_model():
    from importlib import resources

    ref = resources.files("reconnect_signals.datasets").joinpath(_SESSION_MODEL)
    path = Path(str(ref))
    if not path.is_file():
        raise FileNotFoundError(
            f"the shipped {_SESSION_MODEL} is missing from {path.parent}; reinstall "
            "reconnect-signals or retrain it with python -m "
            "reconnect_signals.datasets._train_session_model TRAIN_DIR"
        )
    return load_model(path)


def predict_session_starts(msgs: pd.DataFrame, *, model=None) -> pd.Series:
    """Which messages start a new conversation, according to the session model.

    Parameters
    ----------
    msgs : DataFrame
        A message frame.
    model : estimator, optional
        Default: :func:`load_session_model`.

    Returns
    -------
    Series of bool
        Same index as ``msgs``; ``True`` on predicted starts (always on the first person
        message of a conversation), ``False`` on other rows and on excluded rows (system,
        reactions, no sender or no time).

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.ml import predict_session_starts
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-02 18:00"],
    ...     "sender": ["A", "B", "A"], "text": ["hey", "A: hi!", "hi, free tonight?"]}))
    >>> predict_session_starts(msgs).tolist()
    [True, False, True]
    """
    model = load_session_model() if model is None else model
    feats = session_features(msgs)
    person = feats[SESSION_FEATURES[0]].notna().to_numpy()
    out = np.zeros(len(msgs), dtype=bool)
    if person.any():
        out[person] = np.asarray(model.predict(feats.loc[person, list(SESSION_FEATURES)]), dtype=bool)
        p, conv, _ = _person_order(msgs)
        first = np.ones(len(p), dtype=bool)
        first[1:] = conv[1:] != conv[:-1]
        out[p[first]] = True
    return pd.Series(out, index=msgs.index, name="is_session_start")


# --- labelled corpora you bring yourself ---------------------------------------------------------


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

    from .io import Source

    if path is None:
        return _nps_chat_from_nltk()
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p for p in path.glob("*.xml") if not p.name.startswith((".", "README"))
        )
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
            raise ParseError(
                f"{f.name}: no <Session><Posts><Post> elements; is this an NPS Chat file?"
            )
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
    from .io import Source

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


# --- the bundled synthetic window dataset ---------------------------------------------------------


def load_example_windows() -> pd.DataFrame:
    """A clearly synthetic labelled window dataset, so the classifier can be tried offline.

    Invented by a seeded generator (``python -m reconnect_signals.datasets._generate_windows``;
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
        ``messages``, ``words`` (int64), the :data:`WINDOW_FEATURES` (float64) and ``label`` (str).

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
