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

The featurizer, pipelines and evaluation live here; the other public names are re-exported from
where they belong: persistence from ``reconnect_signals._persistence``, the session-start model
from ``reconnect_signals._session_model`` (beside ``structure``), the corpus loaders and the
bundled windows from :mod:`reconnect_signals.datasets`.

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

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, validate_data

from ._persistence import TRUSTED_TYPES, load_model, save_model
from ._session_model import SESSION_FEATURES, load_session_model, predict_session_starts, session_features
from .cues import CATALOGUE, CUE_COLUMNS
from .datasets import load_example_windows, read_dailydialog, read_nps_chat

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

#: Cue-table columns :class:`CueFeaturizer` uses at window (or conversation) level by default:
#: the catalogue's cues (not the counts behind them, not the extras).
WINDOW_FEATURES: tuple[str, ...] = tuple(c for c, spec in CATALOGUE.items() if spec.kind == "cue")

#: Per-message cues :class:`CueFeaturizer` computes from text at message level (every cue column
#: of :func:`~reconnect_signals.message_cues`).
MESSAGE_FEATURES: tuple[str, ...] = CUE_COLUMNS

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
    ) -> None:
        self.level = level
        self.columns = columns
        self.text_column = text_column
        self.log_durations = log_durations
        self.sentiment = sentiment

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

    # -- fit -----------------------------------------------------------------------------
    def _resolve_level(self, X: Any) -> str:
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

    def fit(self, X: pd.DataFrame | pd.Series, y: Any = None) -> CueFeaturizer:
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

    def _fit_window(self, X: Any) -> None:
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
            self.columns_: list[Any] = cols
        else:
            arr = validate_data(self, X, ensure_all_finite="allow-nan", dtype="numeric", reset=True)
            if self.columns is not None:
                raise ValueError("columns= needs DataFrame input (column names)")
            self.columns_ = list(range(arr.shape[1]))
        names = [f"x{c}" if isinstance(c, (int, np.integer)) else str(c) for c in self.columns_]
        if self.log_durations:
            names = [f"log1p_{n}" if n.endswith("_s") else n for n in names]
        self.feature_names_out_ = np.asarray(names, dtype=object)

    def _fit_message(self, X: Any) -> None:
        texts, extra = self._message_parts(X, fitting=True)
        if len(texts) == 0:
            raise ValueError("Found array with 0 sample(s) (shape=(0,)); at least 1 is required")
        cues = [c for c in MESSAGE_FEATURES if self.sentiment or c != "sentiment"]
        self.columns_ = [self.text_column, *extra]
        names = [f"log1p_{c}" if c in _LOG_COUNTS else c for c in cues]
        extra_names = [f"log1p_{c}" if self.log_durations and c.endswith("_s") else c for c in extra]
        self.feature_names_out_ = np.asarray(names + extra_names, dtype=object)

    def _message_parts(self, X: Any, *, fitting: bool) -> tuple[pd.Series, list[str]]:
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
    def transform(self, X: pd.DataFrame | pd.Series) -> np.ndarray:
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
                    f"columns {missing} seen at fit are missing; transform a frame with the same cue-table columns"
                )
            values = _window_matrix(X, self.columns_)
        else:
            if hasattr(self, "feature_names_in_"):
                raise ValueError(
                    "this featurizer was fitted on a DataFrame; transform a DataFrame with the same columns"
                )
            values = validate_data(self, X, ensure_all_finite="allow-nan", dtype="numeric", reset=False).astype(
                "float64"
            )
        return self._log(values, [str(c) for c in self.columns_])

    def _log(self, values: np.ndarray, names: list[str]) -> np.ndarray:
        if not self.log_durations:
            return values
        out = values.copy()
        for i, name in enumerate(names):
            if name.endswith("_s"):
                out[:, i] = np.log1p(np.clip(out[:, i], 0, None))
        return out

    def _message_matrix(self, texts: pd.Series, X: Any, extra: list[str]) -> np.ndarray:
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

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output features (``log1p_`` marks log-transformed columns)."""
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()


def _window_matrix(X: pd.DataFrame, cols: list) -> np.ndarray:
    """Numeric matrix of ``cols`` (bools become 0/1); a clear error for non-numeric columns."""
    bad = [c for c in cols if not (pd.api.types.is_numeric_dtype(X[c].dtype) or pd.api.types.is_bool_dtype(X[c].dtype))]
    if bad:
        raise ValueError(f"columns {bad} are not numeric; pick numeric cue-table columns with columns=[...]")
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
) -> Pipeline:
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
    from sklearn.preprocessing import StandardScaler

    if level not in ("message", "window"):
        raise ValueError(f"level must be 'message' or 'window', got {level!r}")
    if calibration not in ("sigmoid", "isotonic", None):
        raise ValueError(f"calibration must be 'sigmoid', 'isotonic' or None, got {calibration!r}")
    clf = estimator if estimator is not None else LogisticRegression(C=C, class_weight=class_weight, max_iter=5000)
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
                CueFeaturizer(level="message", columns=columns, text_column=text_column, sentiment=sentiment),
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
                items = ", ".join(f"{f} ({w:+.2f})" for f, w in zip(part["feature"], part["weight"], strict=True))
                lines.append(f"  towards {label!s}: {items}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def evaluate(
    model: Any, X: pd.DataFrame | pd.Series, y: Any, *, cv: int = 5, top: int = 5, random_state: int = 0
) -> Evaluation:
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
    splitter: Any = (
        StratifiedKFold(n_splits=int(cv), shuffle=True, random_state=random_state)
        if isinstance(cv, (int, np.integer))
        else cv
    )
    splits = list(splitter.split(X, y) if hasattr(splitter, "split") else splitter)
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


def _coefficients(clf: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """(coef, classes) of a fitted linear classifier, averaged over calibration folds."""
    if hasattr(clf, "calibrated_classifiers_"):
        found = [_coefficients(c.estimator) for c in clf.calibrated_classifiers_]
        coefs = [c for c in found if c is not None]
        if len(coefs) < len(found):
            return None
        return np.mean([c[0] for c in coefs], axis=0), clf.classes_
    coef = getattr(clf, "coef_", None)
    if coef is None:
        return None
    return np.asarray(coef.toarray() if hasattr(coef, "toarray") else coef), clf.classes_


def feature_strengths(model: Any, *, top: int = 5) -> pd.DataFrame:
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
    empty = pd.DataFrame({"class": pd.Series([], dtype="str"), "feature": pd.Series([], dtype="str"), "weight": []})
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
