"""Responses rendered once by pydantic-core.

A route that returns a model makes FastAPI dump it, validate the dump against the response model
and serialize it again; for a model the route built from trusted domain data that is three passes
where one will do. Routes keep `response_model=` for the OpenAPI document and return this instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Response
from pydantic import BaseModel


class ModelResponse(Response):
    media_type = "application/json"

    def __init__(
        self, model: BaseModel, status_code: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(model.model_dump_json().encode(), status_code, headers)
