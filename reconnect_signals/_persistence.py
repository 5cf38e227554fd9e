"""Model persistence with skops: only an explicit list of known types is ever loaded, never pickle.

Re-exported by :mod:`reconnect_signals.ml` (``save_model``, ``load_model``, ``TRUSTED_TYPES``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

__all__ = ["TRUSTED_TYPES", "save_model", "load_model"]

logger = logging.getLogger(__name__)

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


def save_model(model: Any, path: str | os.PathLike) -> Path:
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


def load_model(path: str | os.PathLike, *, trusted: list[str] | tuple[str, ...] = ()) -> Any:
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
