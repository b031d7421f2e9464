"""Who may do what: HTTP Basic users from `[auth]`, the display/admin/rfc roles, CSRF tokens.

One ASGI middleware guards every route except `/healthz`. The monitor and `/api`: reading
(GET, HEAD) needs the display role, anything else admin. The RFC services under `/sap/`
(JSON RFC, SOAP RFC, IDoc-XML) need the rfc or admin role, as SAP's ICF wants a user with
S_RFC there; an rfc user may use nothing else. Refusals of `/sap/` come in the protocol's own
shape (a pyrfc-shaped JSON error, a SOAP fault, plain text), so partners' clients can read
them. Without users the server runs on loopback only (`sapgw serve` refuses other addresses)
and every caller is `anonymous@loopback` with the admin role.

HTML forms carry a CSRF token, an HMAC of the user name under a server secret, that
`csrf_protect` checks: a browser sends a remembered login (or reaches loopback) with any
form another site posts, so the form must prove it came from our page. JSON clients send
their credentials explicitly and need no token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sapgw.gateway.config import AuthSettings, PasswordHash
from sapgw.rfc.errors import ExternalAuthorizationError, LogonError, RFCLibError
from sapgw.rfc.jsonrfc_server import error_answer
from sapgw.rfc.jsonvalues import RFC_PATH
from sapgw.rfc.soap_server import CONTENT_TYPE as SOAP_CONTENT_TYPE
from sapgw.rfc.soap_server import SOAP_PATH, refusal_fault

READ_METHODS = frozenset({"GET", "HEAD"})
RFC_PREFIX = "/sap/"  # the ICF's services: JSON RFC, SOAP RFC, WSDL, IDoc-XML
RFC_ROLES = frozenset({"rfc", "admin"})
CSRF_FIELD = "csrf_token"
REALM = 'Basic realm="sapgw"'
KNOWN_HEADERS = 1000  # Authorization headers remembered as they are (see Authenticator)
CHECKED_HEADERS = frozenset({b"authorization", b"origin", b"sec-fetch-site", b"host"})


@dataclass(frozen=True)
class User:
    name: str
    role: str  # display, admin or rfc

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def may_call_rfc(self) -> bool:
        return self.role in RFC_ROLES


ANONYMOUS = User("anonymous@loopback", "admin")


class AccessDenied(Exception):
    """The user may not do this (HTTP 403)."""


class CsrfRefused(AccessDenied):
    """A form was posted without the token of our own page (HTTP 403)."""


# -- passwords ---------------------------------------------------------------------------------
def hash_password(password: str, *, n: int = 2**14, r: int = 8, p: int = 1) -> str:
    """A new `scrypt$n$r$p$salt$hash` for config.ini, with a random salt."""
    salt = secrets.token_bytes(16)
    return str(PasswordHash(n, r, p, salt, _scrypt(password, salt, n, r, p, 32)))


def verify_password(password: str, stored: PasswordHash) -> bool:
    derived = _scrypt(password, stored.salt, stored.n, stored.r, stored.p, len(stored.digest))
    return hmac.compare_digest(derived, stored.digest)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    memory = 128 * r * (n + p + 2) + (1 << 20)
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=memory)


class Authenticator:
    """Checks Basic credentials against `[auth]` and makes and checks CSRF tokens."""

    def __init__(self, settings: AuthSettings) -> None:
        self.users = settings.users
        self._secret = settings.secret.encode() or secrets.token_bytes(32)
        # scrypt is slow on purpose; a password that passed once is remembered as an HMAC,
        # so every request of a page does not pay for it again.
        self._verified: dict[str, bytes] = {}
        # and a header that passed is remembered as it is: the next request with the same
        # header (every RFC call of a partner) costs a dict look-up, no base64 nor HMAC.
        self._known: dict[str, User] = {}

    def __repr__(self) -> str:
        return f"Authenticator(users={sorted(self.users)}, secret=***)"

    @property
    def enabled(self) -> bool:
        return bool(self.users)

    def authenticate(self, authorization: str | None) -> User | None:
        """The user of an `Authorization: Basic ...` header, or None if it does not log in."""
        known = self.remembered(authorization)
        if known is not None:
            return known
        name, password = _credentials(authorization)
        user = self.users.get(name)
        if user is None or not verify_password(password, user.password):
            return None
        self._verified[name] = self._mac("password", name, password)
        return User(user.name, user.role)

    def remembered(self, authorization: str | None) -> User | None:
        """The user, if these credentials passed before: an HMAC, no scrypt, so the event loop
        may check it without a thread hop (every RFC call carries the header)."""
        known = self._known.get(authorization or "")
        if known is not None:
            return known
        name, password = _credentials(authorization)
        user, mark = self.users.get(name), self._verified.get(name)
        if user is None or mark is None or not hmac.compare_digest(
                mark, self._mac("password", name, password)):
            return None
        if len(self._known) >= KNOWN_HEADERS:  # bounded: forget all, they pass again
            self._known.clear()
        known = self._known[authorization or ""] = User(user.name, user.role)
        return known

    def csrf_token(self, user: User) -> str:
        return self._mac("csrf", user.name).hex()

    def csrf_valid(self, user: User, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(user), token)

    def _mac(self, *parts: str) -> bytes:
        return hmac.new(self._secret, "\0".join(parts).encode(), hashlib.sha256).digest()


def _credentials(authorization: str | None) -> tuple[str, str]:
    """Name and password of a Basic header; ("", "") when there are none (no user is "")."""
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        name, colon, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return (name, password) if colon else ("", "")


# -- the middleware and the route helpers ------------------------------------------------------
class AuthMiddleware:
    """Puts the `User` into `scope["user"]`, or answers 401/403 before any route runs."""

    def __init__(self, app: ASGIApp, authenticator: Authenticator) -> None:
        self.app = app
        self.authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/healthz":
            await self.app(scope, receive, send)
            return
        path, method, headers = scope["path"], scope["method"], _headers(scope)
        # Also for /sap/: a browser sends a remembered Basic login with another site's POST.
        if method not in READ_METHODS and _cross_site(headers):
            await _refusal(path, 403, "CROSS_SITE", "a request from another site may "
                           "not change anything here")(scope, receive, send)
            return
        user: User | None = ANONYMOUS
        header = headers.get(b"authorization")
        if self.authenticator.enabled:
            user = self.authenticator.remembered(header) or await run_in_threadpool(
                self.authenticator.authenticate, header)
        refused = (_logon_refused(path, header) if user is None
                   else _forbidden(user, path, method))
        if refused is None:
            scope["user"] = user
            await self.app(scope, receive, send)
        else:
            await refused(scope, receive, send)


def _logon_refused(path: str, header: str | None) -> Response:
    if not path.startswith(RFC_PREFIX):
        message = "log in with a user of [auth] (HTTP Basic)"
    elif header:
        message = "Name or password is incorrect (repeat logon)"  # SAP's words
    else:
        message = ("No logon data: send HTTP Basic credentials of a user of [auth] with the rfc "
                   "or admin role")
    response = _refusal(path, 401, "UNAUTHORIZED", message)
    response.headers["WWW-Authenticate"] = REALM
    return response


def _forbidden(user: User, path: str, method: str) -> Response | None:
    """The 403 for what this user's role may not do, or None when it may."""
    if path.startswith(RFC_PREFIX):
        if user.may_call_rfc:
            return None
        why = (f"User {user.name} has no RFC authorization (role {user.role}; the RFC "
               "services need the rfc or admin role)")
    elif user.role == "rfc":
        why = f"user {user.name} has the rfc role, which may only call the RFC services (/sap/)"
    elif method not in READ_METHODS and not user.is_admin:
        why = f"user {user.name} has the {user.role} role; actions need admin"
    else:
        return None
    return _refusal(path, 403, "FORBIDDEN", why)


def _headers(scope: Scope) -> dict[bytes, str]:
    """The request headers the middleware reads, in one pass over the raw list (the first of
    a repeated header, as Starlette's `Headers.get`): building a `Request` and looking each
    up in its `Headers` cost more than the rest of the middleware (issue 15)."""
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in CHECKED_HEADERS and name not in found:
            found[name] = value.decode("latin-1")
    return found


def _cross_site(headers: dict[bytes, str]) -> bool:
    """Did a browser send this from another site? (CSRF defence for REST actions, which carry
    no form token: browsers name the origin of a cross-site POST, other clients send none.)"""
    if headers.get(b"sec-fetch-site") == "cross-site":
        return True
    origin = headers.get(b"origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc != headers.get(b"host", "")


def _refusal(path: str, status: int, error: str, message: str) -> Response:
    """The refusal in the shape the route's clients read: JSON RFC and SOAP clients get the
    error their protocol defines (pyrfc's LogonError on 401), REST JSON, people a page."""
    if path.startswith(RFC_PREFIX):
        rfc_error: RFCLibError = (LogonError(message) if status == 401 else
                                  ExternalAuthorizationError(message, 29,
                                                             "RFC_AUTHORIZATION_FAILURE"))
        if path.startswith(RFC_PATH):  # also /sap/bc/rfc_unit
            return Response(error_answer(rfc_error, status)[1], status,
                            media_type="application/json")
        if path == SOAP_PATH:
            return Response(refusal_fault(rfc_error), status, media_type=SOAP_CONTENT_TYPE)
        return PlainTextResponse(f"{message}\n", status)  # the WSDL, IDoc-XML
    if path.startswith("/api/") or path == "/api":
        return JSONResponse({"error": error, "message": message}, status_code=status)
    return refusal_page(status, message)


def refusal_page(status: int, message: str) -> HTMLResponse:
    """A bare page for a refused request (no navigation: the user may not read the rest)."""
    title = {401: "Login required", 403: "Not allowed"}.get(status, "Refused")
    return HTMLResponse(f'<!doctype html><html><head><meta charset="utf-8"><title>{title}'
                        f'</title></head><body><h1>{title}</h1><p class="msg err">'
                        f"{escape(message)}</p></body></html>", status_code=status)


def current_user(request: Request) -> User:
    user = request.scope.get("user")
    return user if isinstance(user, User) else ANONYMOUS


def authenticator(request: Request) -> Authenticator:
    return request.app.state.auth


def csrf_token(request: Request) -> str:
    """The token the current user's forms carry in the hidden field `csrf_token`."""
    return authenticator(request).csrf_token(current_user(request))


def require_admin(request: Request) -> User:
    """Route dependency for reads only admins may make (the audit log)."""
    user = current_user(request)
    if not user.is_admin:
        raise AccessDenied(f"user {user.name} has the {user.role} role; this needs admin")
    return user


async def csrf_protect(request: Request) -> User:
    """Route dependency of every form POST: the form's token must be the user's."""
    user = current_user(request)
    # Parsed here rather than with request.form(), which needs python-multipart.
    body = (await request.body()).decode("utf-8", "replace")
    token = parse_qs(body).get(CSRF_FIELD, [""])[0]
    if not token or not authenticator(request).csrf_valid(user, token):
        raise CsrfRefused("the form's CSRF token is missing or wrong: reload the page and "
                          "try again")
    return user

