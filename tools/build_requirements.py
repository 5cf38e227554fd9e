"""Write ``reconnect_signals/cues/requirements.json``: the prefilter's word requirements of every shipped pattern.

Usage: ``python tools/build_requirements.py`` (after changing a rule, a language file or the way
``read_requirements`` reads a pattern; tests/test_prefilter.py fails while the file is stale).

:func:`reconnect_signals.cues._tokens.requirements` reads which words every match of a stream pattern
needs with CPython's ``re._parser``: ~2-4 CPU-s for all the rules' patterns, paid by every process on its
first cue call. The table holds the result per pattern (keyed by ``requirement_key``), so the shipped
rules are looked up instead; a pattern missing from it is still read, with the same result.
"""

import json
from pathlib import Path

import reconnect_signals
from reconnect_signals.cues._api import shipped_stream_patterns
from reconnect_signals.cues._tokens import REQUIREMENTS_FILE, read_requirements, requirement_key


def table() -> dict[str, object]:
    """The file's content: per pattern key, its clauses (each a sorted word list), in the order read."""
    entries = {
        requirement_key(p): [sorted(clause) for clause in read_requirements(p)] for p in shipped_stream_patterns()
    }
    return {"about": "tools/build_requirements.py writes this file; see its docstring", "requirements": entries}


def main() -> None:
    path = Path(reconnect_signals.__file__).parent / "cues" / REQUIREMENTS_FILE
    content = table()
    path.write_text(json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size:,} bytes, {len(content['requirements'])} patterns)")


if __name__ == "__main__":
    main()
