"""The JSON Schemas of what dedup writes for other programs, and a check against them.

The scan report, a JSONL pair, a row of the Parquet pairs, a filter record,
a rejects line and the truth file ``dedup eval`` reads are contracts: other
programs parse them. Their schemas ship in the package (``dedup/schemas/``)
so that those programs and dedup's own tests hold to one description. Reading a schema needs nothing;
validating needs jsonschema, which only the dev extra installs, so it is
imported when first needed.

The ``$id`` of each schema is a name under the reserved ``.invalid`` domain:
nothing is ever fetched, the references between the files are resolved here.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

from .errors import DedupError

SCHEMAS: dict[str, str] = {
    "report": "report.schema.json",
    "pair": "pair.schema.json",
    "pair-row": "pair-row.schema.json",
    "filter-record": "filter-record.schema.json",
    "filter-reject": "filter-reject.schema.json",
    "truth": "truth.schema.json",
}
"""Schema names, each with its file in ``dedup/schemas/``."""

MESSAGE = 300
"""Longest error message kept (an instance quoted in full could be a whole article)."""


class ContractError(DedupError):
    """Data that does not match its schema; the message names the JSON path of the first error."""


def schema(name: str) -> dict[str, Any]:
    """The schema ``name`` (a key of :data:`SCHEMAS`), as a fresh dict the caller may change."""
    return copy.deepcopy(_read(name))


@functools.cache
def _read(name: str) -> dict[str, Any]:
    if name not in SCHEMAS:
        raise DedupError(f"no schema named {name!r}; the schemas are {', '.join(SCHEMAS)}")
    text = resources.files("dedup").joinpath("schemas").joinpath(SCHEMAS[name]).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def validate(name: str, data: Any) -> None:
    """Check ``data`` against the schema ``name``; raise :class:`ContractError` at the first error.

    ``name`` may end in a JSON pointer to one definition of the schema, as in
    ``"filter-record#/$defs/dedup"`` (the ``dedup`` field alone). Python data
    is checked as ``json.dumps`` would write it: a tuple is an array.
    """
    validator = _validator(name)
    error = _jsonschema().exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    message = " ".join(error.message.split())
    if len(message) > MESSAGE:
        message = message[: MESSAGE - 3] + "..."
    raise ContractError(f"{name}: {error.json_path}: {message}")


def _jsonschema() -> Any:
    """The jsonschema module, imported only to validate (it is in the dev extra, not the base install)."""
    try:
        import jsonschema  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise DedupError("validating against dedup's schemas needs jsonschema: pip install jsonschema "
                         "(or pip install 'dedup[dev]')") from None
    return jsonschema


@functools.cache
def _validator(name: str) -> Any:
    """A Draft 2020-12 validator of ``name`` that resolves references between dedup's schemas."""
    jsonschema = _jsonschema()
    from referencing import Registry, Resource  # installed with jsonschema

    base, _, pointer = name.partition("#")
    target = _read(base)
    if pointer:
        target = {"$schema": target["$schema"], "$ref": f"{target['$id']}#{pointer}"}
    registry: Registry[Any] = Registry().with_resources(
        (_read(n)["$id"], Resource.from_contents(_read(n))) for n in SCHEMAS)
    draft = jsonschema.Draft202012Validator
    arrays = draft.TYPE_CHECKER.redefine("array", lambda _, instance: isinstance(instance, (list, tuple)))
    return jsonschema.validators.extend(draft, type_checker=arrays)(target, registry=registry)
