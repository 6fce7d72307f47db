"""Access: login with the accounts in the store, session cookies, logout, CSRF, security headers and roles.

- Every route needs a logged-in user, except the login page and its stylesheet (or everything in open demo mode).
- State-changing requests: the HTML forms (login, logout) carry a flask-wtf CSRF token; every other non-GET
  request (Dash callbacks, exports) must come with an Origin (or Referer) of this very server (OWASP: verifying
  origin with standard headers), and the session cookie is SameSite=Lax.
- Single sign-on (off by default): with LAGESBILD_TRUSTED_USER_HEADER and LAGESBILD_TRUSTED_PROXY set, a request
  from exactly that proxy address naming an existing user in that header is logged in as that user.
- Failed logins are throttled by account and by client address (lagesbild.accounts.LoginThrottle): a 429 with
  Retry-After, never a sleeping thread nor a lock-out; a browser that logged in to the account before carries a signed
  known-device cookie and is counted on its own, so strangers guessing elsewhere do not lock its user out.
- A session names its user's session generation; logout, a new password or role bump it in the store, which ends
  every session of that user at its next request.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

import dash
import flask
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer

from lagesbild import accounts
from lagesbild.settings import Settings
from lagesbild.store.db import cached_engine

OPEN_KEY = "LAGESBILD_OPEN_DEMO"
DEMO_ROLE_KEY = "LAGESBILD_DEMO_ROLE"  # the role the open demo is shown as, or None
THROTTLE_KEY = "lagesbild_login_throttle"  # in app.extensions
GENERATION_KEY = "lagesbild_generation"  # in the session: the user's session generation when it started
DEVICE_COOKIE = "lagesbild_device"
DEVICE_MAX_AGE = 180 * 24 * 3600  # a browser unused for half a year is a stranger again
SETTINGS_KEY = "LAGESBILD_AUTH_SETTINGS"
LOGIN_CSS = "/assets/vendor/bootstrap/bootstrap.min.css"
PUBLIC_PATHS = {"/login", LOGIN_CSS}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEMO_ROLE = "demo"  # open demo mode: sees everything, like an admin, but nothing can be changed through it
SEE_ALL = {"admin", "styrgrupp", DEMO_ROLE}
CSP = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",  # React and Plotly set inline styles
    "img-src": "'self' data: blob:",  # html-to-image and Plotly's downloads draw to data:/blob: URLs
    "font-src": "'self' data:",
    "connect-src": "'self' data: blob:",
    "frame-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
ACTIVE_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}  # get a CSP
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class User:
    username: str
    role: str
    generation: int = 0  # the store's session generation when the session started
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return self.username


class AccessRefused(SystemExit):
    """`serve` cannot start: no account or no secret key. Exit code 2."""

    def __init__(self, message: str):
        super().__init__(2)
        self.message = message


def check_ready(settings: Settings) -> None:
    """Raise AccessRefused unless the store has an account and a secret key is set (a real, closed server)."""
    if not accounts.has_accounts(cached_engine(settings.db_url)):
        raise AccessRefused("The store has no account: add one first with "
                            "`lagesbild user add NAME --role admin`, then start the server again.")
    if not settings.secret_key:
        raise AccessRefused("LAGESBILD_SECRET_KEY is not set: set it to a long random value (e.g. "
                            "`python -c 'import secrets; print(secrets.token_hex(32))'`) in the environment.")


def cookie_secure(settings: Settings, host: str | None) -> bool:
    if settings.cookie_secure is not None:
        return settings.cookie_secure
    return (host or "127.0.0.1") not in LOCAL_HOSTS


def install_auth(app: dash.Dash, settings: Settings, open_demo: bool, host: str | None = None) -> None:
    if settings.demo_role not in (None, *accounts.ROLES):
        raise ValueError(f"the demo can be shown as one of {', '.join(accounts.ROLES)}, not {settings.demo_role!r}")
    server = app.server
    server.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),  # demo without a key: one per process
        SESSION_COOKIE_SECURE=cookie_secure(settings, host),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=cookie_secure(settings, host),
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=settings.max_request_bytes,  # 413 beyond it; an upload route sets its own, per request
        WTF_CSRF_CHECK_DEFAULT=False,  # only the HTML forms carry tokens; the rest is checked by origin
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
    )
    server.debug = False
    server.config[OPEN_KEY] = open_demo
    server.config[DEMO_ROLE_KEY] = settings.demo_role
    server.config[SETTINGS_KEY] = settings
    server.extensions[THROTTLE_KEY] = accounts.LoginThrottle(settings.throttle_storage)
    manager = LoginManager(server)
    manager.user_loader(lambda username: _load_user(settings, username))
    csrf = CSRFProtect(server)
    server.add_url_rule("/login", "login", lambda: login_view(csrf), methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", lambda: logout_view(csrf), methods=["POST"])
    server.before_request(_guard)
    server.after_request(lambda response: _headers(app, response))
    server.register_error_handler(CSRFError, lambda exc: (login_page("", error=_msg("csrf")), 400))


def _load_user(settings: Settings, username: str) -> User | None:
    """The user a session names, while the session's generation is still the store's (asked on every request)."""
    user = _find_user(settings, username)
    return user if user is not None and flask.session.get(GENERATION_KEY) == user.generation else None


def _find_user(settings: Settings, name: str) -> User | None:
    found = accounts.find_user(cached_engine(settings.db_url), name)
    return User(found["username"], found["role"], found["session_generation"]) if found else None


# ---- who is asking ----

def is_open() -> bool:
    return bool(flask.has_request_context() and flask.current_app.config.get(OPEN_KEY))


def demo_role() -> str | None:
    """The role the open demo is shown as (`lagesbild demo --as partner`); None: it sees everything, or not open."""
    return flask.current_app.config.get(DEMO_ROLE_KEY) if is_open() else None


def current_role() -> str | None:
    """'admin', 'styrgrupp', 'partner', 'demo' (open demo mode, unless shown as a role) or None (nobody logged in;
    outside a request)."""
    if not flask.has_request_context():
        return None
    if is_open():
        return demo_role() or DEMO_ROLE
    return current_user.role if current_user.is_authenticated else None


def current_username() -> str | None:
    if not flask.has_request_context():
        return None
    if current_user.is_authenticated:
        return current_user.username
    return "demo (anonym)" if is_open() else None


def requester_key() -> str:
    """Whom a renderer's place is held for (lagesbild.render.gate): the account, or in the open demo, where
    everyone is anonymous, the client's address."""
    if current_user.is_authenticated:
        return f"user:{current_user.username}"
    return f"addr:{client_address(flask.current_app.config[SETTINGS_KEY], flask.request)}"


def sees_audit() -> bool:
    return current_role() in {"admin", DEMO_ROLE}


def audit(action: str, detail: str | None = None) -> None:
    """Record `action` by the user of this request in the store's audit log."""
    settings = flask.current_app.config[SETTINGS_KEY]
    accounts.audit(cached_engine(settings.db_url), action, current_username(), detail)


# ---- every request ----

def _guard():
    request = flask.request
    if request.method not in SAFE_METHODS and request.endpoint != "login" and not same_origin(request):
        return flask.Response("Cross-origin request refused.", 403, mimetype="text/plain")
    settings: Settings = flask.current_app.config[SETTINGS_KEY]
    _single_sign_on(settings, request)
    if is_open() or current_user.is_authenticated or request.path in PUBLIC_PATHS:
        return None
    if request.method == "GET" and not request.path.startswith(("/_dash-", "/_reload", "/export/", "/assets/",
                                                                  "/_dash", "/_map/")):
        return flask.redirect(flask.url_for("login", next=request.full_path.rstrip("?")))
    return flask.Response("Login required.", 401, mimetype="text/plain")


def same_origin(request: flask.Request) -> bool:
    """The Origin header (or, without one, the Referer) names this server: scheme-less host:port comparison.

    The scheme is left out on purpose: behind a TLS-terminating proxy the app sees http while the browser says https.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == request.host.lower()


def _single_sign_on(settings: Settings, request: flask.Request) -> None:
    header, proxy = settings.trusted_user_header, settings.trusted_proxy
    if not (header and proxy) or request.remote_addr != proxy:
        return
    name = (request.headers.get(header) or "").strip().lower()
    if not name or (current_user.is_authenticated and current_user.username == name):
        return
    user = _find_user(settings, name)
    if user is None:
        accounts.audit(cached_engine(settings.db_url), "login_failed", name[:64], "single sign-on: unknown user")
        return
    start_session(user)
    accounts.audit(cached_engine(settings.db_url), "login", user.username, "single sign-on")


def _headers(app: dash.Dash, response: flask.Response) -> flask.Response:
    headers = response.headers
    if "Content-Security-Policy" not in headers and response.mimetype in ACTIVE_TYPES:
        csp = dict(CSP, **{"script-src": " ".join(["'self'", *app.csp_hashes()])})
        headers["Content-Security-Policy"] = policy(csp)
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if flask.current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def frame_policy(html_text: str) -> str:
    """The CSP of a generated document (the folium map): its own inline scripts by hash, nothing else inline."""
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
              for s in INLINE_SCRIPT.findall(html_text)]
    return policy(dict(CSP, **{"script-src": " ".join(["'self'", *dict.fromkeys(hashes)])}))


# ---- the login page ----

MESSAGES = {
    "failed": "Fel användarnamn eller lösenord. / Wrong user name or password.",
    "throttled": "För många misslyckade inloggningar: försök igen om {seconds} s. / "
                 "Too many failed logins: try again in {seconds} s.",
    "csrf": "Formuläret hade gått ut; försök igen. / The form had expired; please try again.",
    "out": "Du är utloggad. / You are logged out.",
}


def _msg(key: str) -> str:
    return MESSAGES[key]


def login_page(next_path: str, error: str | None = None, note: str | None = None) -> str:
    alert = (f'<div class="alert alert-danger" role="alert">{escape(error)}</div>' if error else "") + (
        f'<div class="alert alert-info" role="status">{escape(note)}</div>' if note else "")
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in · Lägesbild</title><link rel="stylesheet" href="{LOGIN_CSS}"></head>
<body class="bg-light"><main class="container" style="max-width: 28rem; margin-top: 10vh">
<h1 class="h3 mb-3">Lägesbild</h1><p class="text-muted">Logga in / Log in</p>{alert}
<form method="post" action="/login" class="card card-body" id="login-form">
<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label class="form-label" for="username">Användarnamn / User name</label>
<input class="form-control mb-3" id="username" name="username" autocomplete="username" required autofocus>
<label class="form-label" for="password">Lösenord / Password</label>
<input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password"
 required>
<button class="btn btn-primary" type="submit" id="login-submit">Logga in / Log in</button>
</form></main></body></html>"""


def safe_next(value: str | None) -> str:
    """Where a login goes on to: a page of this app (a path in Dash's page registry, exactly) with its query string
    decoded and encoded again, else '/'. An allow-list, so no host, scheme, control character or other route of the
    server ever reaches the Location header (OWASP: unvalidated redirects)."""
    path, _, query = (value or "/").partition("?")
    if path not in {page["relative_path"] for page in dash.page_registry.values()}:
        return "/"
    query = urlencode(parse_qsl(query[:2000], keep_blank_values=True))
    return f"{path}?{query}" if query else path


def login_view(csrf: CSRFProtect):
    request = flask.request
    if request.method == "GET":
        note = _msg("out") if request.args.get("out") else None
        if is_open():
            return flask.redirect("/")
        return _html(login_page(safe_next(request.args.get("next")), note=note))
    csrf.protect()
    settings: Settings = flask.current_app.config[SETTINGS_KEY]
    target, username = safe_next(request.form.get("next")), request.form.get("username", "")
    attempt = accounts.authenticate(cached_engine(settings.db_url), username, request.form.get("password", ""),
                                    throttle=flask.current_app.extensions[THROTTLE_KEY],
                                    address=client_address(settings, request), device=known_device(username))
    if attempt.retry_after:
        page = login_page(target, error=_msg("throttled").format(seconds=attempt.retry_after))
        return _html(page, 429, {"Retry-After": str(attempt.retry_after)})
    if attempt.user is None:
        return _html(login_page(target, error=_msg("failed")), 401)
    found = attempt.user
    start_session(User(found["username"], found["role"], found["session_generation"]))
    response = flask.redirect(target)
    remember_device(response, found["username"])
    return response


def client_address(settings: Settings, request: flask.Request) -> str:
    """Who is asking, for throttling: the peer's address, or behind the trusted proxy the address that proxy added
    last to X-Forwarded-For (any earlier entries came from the client and prove nothing)."""
    peer = request.remote_addr or ""
    if settings.trusted_proxy and peer == settings.trusted_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        return forwarded or peer
    return peer


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(flask.current_app.secret_key, salt="lagesbild-known-device")


def known_device(username: str) -> str | None:
    """The id in this browser's known-device cookie, when the cookie was issued at a login of this very user."""
    cookie = flask.request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        issued = _device_signer().loads(cookie, max_age=DEVICE_MAX_AGE)
    except BadData:
        return None
    name = (username or "").strip().lower()
    return str(issued["device"]) if isinstance(issued, dict) and issued.get("user") == name else None


def remember_device(response: flask.Response, username: str) -> None:
    """Mark this browser as one that has logged in to `username` (OWASP's device cookie against lock-out)."""
    device = known_device(username) or secrets.token_urlsafe(16)
    response.set_cookie(DEVICE_COOKIE, _device_signer().dumps({"user": username, "device": device}),
                        max_age=DEVICE_MAX_AGE, path="/login", httponly=True, samesite="Strict",
                        secure=flask.current_app.config["SESSION_COOKIE_SECURE"])


def start_session(user: User) -> None:
    """A fresh session, with its CSRF token, for a user who just logged in.

    The token is made here so that it travels in the cookie of this response: Dash then fetches its layout (which
    renders the logout form's token) and its dependencies in parallel, and every response re-sends the session
    cookie; a token first made by the layout request would be lost whenever the other response landed last.
    """
    flask.session.clear()
    flask.session.permanent = True
    login_user(user)
    flask.session[GENERATION_KEY] = user.generation
    generate_csrf()


def logout_view(csrf: CSRFProtect):
    csrf.protect()
    if current_user.is_authenticated:
        audit("logout")
        _end_sessions(current_user.username)
    logout_user()
    flask.session.clear()
    return flask.redirect("/login?out=1")


def _end_sessions(username: str) -> None:
    """Every session of the user ends, not only this browser's: a cookie copied before logout is worth nothing."""
    settings: Settings = flask.current_app.config[SETTINGS_KEY]
    with contextlib.suppress(accounts.AccountError):  # removed meanwhile: its sessions have ended already
        accounts.end_sessions(cached_engine(settings.db_url), username)


def _html(body: str, status: int = 200, headers: dict | None = None) -> flask.Response:
    return flask.Response(body, status, mimetype="text/html", headers={"Cache-Control": "no-store", **(headers or {})})


def logout_form() -> dict:
    """What the shell needs for its logout button: the user's name and a CSRF token, or None (open demo)."""
    if not flask.has_request_context() or not current_user.is_authenticated:
        return {}
    return {"username": current_user.username, "role": current_user.role, "csrf": generate_csrf()}
