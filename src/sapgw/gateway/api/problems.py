"""Bad requests in words a person can act on: the field, what came, what was expected.

FastAPI's own wording ("body.38: JSON decode error", 422) names neither the field nor the
fix; `validation_message` says "the request body is not valid JSON (Expecting value at
character 38)" or "query parameter limit: 'abc' is not a whole number". Every route also
refuses query parameters it does not know (`reject_unknown_query`), listing those it does,
so `/api/bdocs?sate=E06` is an error and not every BDoc.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant

from sapgw.gateway.inputs import InvalidInput

# Read by every monitor page's frame, not declared per route.
PAGE_PARAMETERS = frozenset({"refresh", "msg"})
_WHERE = {"body": "field", "query": "query parameter", "path": "path parameter",
          "header": "header", "cookie": "cookie"}


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One sentence per problem, joined with "; "."""
    return "; ".join(_problem(error) for error in errors)


def _problem(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    kind, message = error.get("type", ""), error.get("msg", "")
    if kind == "json_invalid":
        detail = (error.get("ctx") or {}).get("error", "")
        at = loc[1] if len(loc) > 1 else "?"
        return (f"the request body is not valid JSON ({detail or 'decode error'} at character "
                f"{at}); send a JSON object with content-type application/json")
    where = _WHERE.get(loc[0], loc[0]) if loc else "request"
    name = ".".join(loc[1:])
    if kind == "missing":
        return f"{where} {name} is missing" if name else "the request body is missing"
    got = error.get("input")
    shown = f" (got {got!r})" if got is not None and not isinstance(got, dict | list) else ""
    return f"{where} {name}: {message}{shown}".replace(" :", ":")


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """A query parameter the route does not declare is an error naming the ones it does."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant) | PAGE_PARAMETERS
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        declared = sorted(known - PAGE_PARAMETERS)
        raise InvalidInput(f"query parameter {unknown[0]}", request.query_params[unknown[0]],
                           "this route knows " + (", ".join(declared) or "no query parameters"))
