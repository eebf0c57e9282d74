"""The one place that turns messages into bytes and back, with orjson.

Bytes in -> model out (`decode_model`), model in -> bytes out (`encode_model`).
"""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

JSONDecodeError = orjson.JSONDecodeError

# Non-str dict keys can appear in publisher metadata decoded from other formats.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=_OPTIONS)


def dumps_pretty(obj: Any) -> str:
    """Stable, indented JSON text for files people read and diff (schemas)."""
    return orjson.dumps(obj, option=_OPTIONS | orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"


def encode_model(model: BaseModel) -> bytes:
    return dumps(model.model_dump(mode="json", exclude_none=False))


def decode_model(model_type: type[M], data: bytes | str) -> M:
    """Validate JSON bytes into `model_type`; raises pydantic.ValidationError."""
    return model_type.model_validate_json(data)
