"""Access: login, sessions, logout, where a login goes on to, CSRF and origin checks, request size, security headers,
single sign-on, `serve`. Throttled logins: test_login_throttle.py; ending sessions: test_sessions.py."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard import auth
from lagesbild.accounts import add_user, recent_audit
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from tests.dashboard.closed_app import ORIGIN, closed_app, csrf_token, last_audit, login
from tests.dashboard.login import SECRET_ENV, add_account, log_in, serve_env
from tests.test_serve import free_port, wait_for

PASSWORD = "correct horse battery 9"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
DASH_UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def accounts(sample_engine):
    for name, role in (("auth-admin", "admin"), ("auth-sso", "partner")):
        add_user(sample_engine, name, PASSWORD, role)
    return sample_engine


@pytest.fixture
def closed(dash_app, accounts):
    """The session's app, closed for this test (login required), with single sign-on from 10.0.0.9."""
    with closed_app(dash_app, trusted_user_header="X-Remote-User", trusted_proxy="10.0.0.9") as server:
        yield server


def test_security_headers_on_pages(dash_app):
    response = dash_app.server.test_client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_map_document_allows_only_its_own_inline_scripts():
    page = "<html><script src='/assets/x.js'></script><script>var a = 1;</script><script>b()</script></html>"
    policy = auth.frame_policy(page)
    assert policy.count("'sha256-") == 2 and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_no_debug_and_no_propagated_exceptions(dash_app):
    assert dash_app.server.debug is False
    assert dash_app.server.config["PROPAGATE_EXCEPTIONS"] is False


def test_a_callback_post_from_another_origin_is_refused(dash_app):
    client = dash_app.server.test_client()
    foreign = client.post(DASH_UPDATE, json={}, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert client.post(DASH_UPDATE, json={}).status_code == 403  # neither Origin nor Referer
    assert client.post(DASH_UPDATE, json={}, headers={"Referer": "https://evil.example/x"}).status_code == 403
    own = client.post(DASH_UPDATE, json={}, headers=ORIGIN)
    assert own.status_code != 403


def test_closed_app_sends_pages_to_login_and_refuses_callbacks(closed):
    client = closed.test_client()
    page = client.get("/handelser?place=x")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/handelser")
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/export/caption?path=/data").status_code == 401
    assert client.get("/assets/vendor/leaflet/leaflet.js").status_code == 401
    assert client.get(auth.LOGIN_CSS).status_code == 200
    assert client.get("/login").status_code == 200


def test_session_cookie_flags(closed):
    client = closed.test_client()
    response = login(client, "auth-admin", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/handelser"
    cookies = {value.split("=")[0]: value for value in response.headers.getlist("Set-Cookie")}
    assert "HttpOnly" in cookies["session"] and "SameSite=Lax" in cookies["session"]
    device = cookies[auth.DEVICE_COOKIE]  # the known-device cookie: read only by the login form's POST
    assert "HttpOnly" in device and "SameSite=Strict" in device and "Path=/login" in device
    assert auth.cookie_secure(load_settings({}), "0.0.0.0") is True
    assert auth.cookie_secure(load_settings({}), "127.0.0.1") is False
    assert auth.cookie_secure(load_settings({"LAGESBILD_COOKIE_SECURE": "1"}), "localhost") is True
    assert auth.cookie_secure(load_settings({"LAGESBILD_COOKIE_SECURE": "off"}), "0.0.0.0") is False


def test_login_then_logout(closed, accounts):
    client = closed.test_client()
    login(client, "auth-admin", PASSWORD)
    assert client.get("/handelser").status_code == 200
    assert last_audit(accounts, "auth-admin")["action"] == "login"
    token = csrf_token(client)
    assert client.post("/logout", headers={"Origin": "http://localhost"}).status_code == 400  # no CSRF token
    out = client.post("/logout", data={"csrf_token": token}, headers={"Origin": "http://localhost"})
    assert out.status_code == 302 and out.headers["Location"].startswith("/login")
    assert client.get("/handelser").status_code == 302
    assert last_audit(accounts, "auth-admin")["action"] == "logout"


def test_the_logout_token_survives_parallel_requests_after_login(closed, accounts):
    """Dash fetches its layout (which renders the logout form's token) and its dependencies at the same time, and
    every response re-sends the session cookie; whichever arrives last, the token in the page must be accepted."""
    client = closed.test_client()
    login(client, "auth-admin", PASSWORD)
    after_login = client.get_cookie("session").value
    layout = client.get("/_dash-layout").get_data(as_text=True)
    token = re.search(r'"value":"([^"]+)","type":"hidden","name":"csrf_token"', layout).group(1)
    client.set_cookie("session", after_login)  # the dependencies request left with the cookie from the login
    assert client.get("/_dash-dependencies").status_code == 200
    out = client.post("/logout", data={"csrf_token": token}, headers={"Origin": "http://localhost"})
    assert out.status_code == 302 and out.headers["Location"] == "/login?out=1"


def test_login_without_csrf_token_is_refused(closed):
    client = closed.test_client()
    response = client.post("/login", data={"username": "auth-admin", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/handelser").status_code == 302


def test_a_wrong_password_fails_and_is_audited(closed, accounts):
    client = closed.test_client()
    response = login(client, "auth-admin", "wrong password here")
    assert response.status_code == 401 and "Fel användarnamn eller lösenord" in response.get_data(as_text=True)
    entry = last_audit(accounts, "auth-admin")
    assert (entry["action"], entry["detail"]) == ("login_failed", "wrong password")
    assert client.get("/handelser").status_code == 302


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(closed):
    def alert(response) -> str:
        return re.search(r'<div class="alert[^>]*>(.*?)</div>', response.get_data(as_text=True)).group(1)

    wrong = login(closed.test_client(), "auth-admin", "wrong password here", address="10.20.0.1")
    unknown = login(closed.test_client(), "auth-nobody", "wrong password here", address="10.20.0.2")
    assert wrong.status_code == unknown.status_code == 401
    assert alert(wrong) == alert(unknown) == auth.MESSAGES["failed"]


# Where a login goes on to (`next`): a page of the app and its query, else the overview. Issue 10: '/%09/example.com'
# ended in 'Location: //example.com', and CR/LF in `next` gave a 500 after the session had been made.
NEXT_VALUES = [
    ("/%09/example.com", "/"), ("/\t/example.com", "/"), ("/\t/\t/example.com", "/"), ("//example.com", "/"),
    ("///example.com", "/"), ("/\\example.com", "/"), ("\\\\example.com", "/"), ("/\\/example.com", "/"),
    ("/%2F%2Fexample.com", "/"), ("/%2f/example.com", "/"), ("/%5Cexample.com", "/"), ("/%5C%5Cexample.com", "/"),
    ("https://example.com/", "/"), ("http:example.com", "/"), ("//example.com/handelser", "/"),
    ("https://localhost/handelser", "/"), ("javascript:alert(1)", "/"), ("JaVaScRiPt:alert(1)", "/"),
    ("data:text/html,<script>alert(1)</script>", "/"), ("/handelser\r\nSet-Cookie: a=b", "/"),
    ("/handelser\nLocation: //example.com", "/"), ("\r\n/handelser", "/"), ("/%0d%0aSet-Cookie:a=b", "/"),
    ("/login", "/"), ("/login?next=//example.com", "/"), ("/logout", "/"), ("/_dash-layout", "/"),
    ("/export/page.pdf?path=/data", "/"), ("/assets/vendor/leaflet/leaflet.js", "/"), ("/_map/x", "/"),
    ("", "/"), (" /handelser", "/"), ("/handelser/", "/"), ("/HANDELSER", "/"), ("/%68andelser", "/"),
    ("/handelser#//example.com", "/"), ("/handelser/..//example.com", "/"), ("/./handelser", "/"),
    ("/karta?place=tantolunden&from=2024-01", "/karta?place=tantolunden&from=2024-01"),
    ("/handelser?category=sprutfynd&category=tillgrepp", "/handelser?category=sprutfynd&category=tillgrepp"),
    ("/?lang=en", "/?lang=en"), ("/data", "/data"),
    ("/handelser?place=%2F%2Fexample.com", "/handelser?place=%2F%2Fexample.com"),
    ("/handelser?place=x\r\nSet-Cookie: a=b", "/handelser?place=x%0D%0ASet-Cookie%3A+a%3Db"),
    ("/handelser?next=https://example.com", "/handelser?next=https%3A%2F%2Fexample.com"),
]


@pytest.mark.parametrize("next_path, location", NEXT_VALUES)
def test_a_login_goes_on_only_to_a_page_of_the_app(closed, next_path, location):
    response = login(closed.test_client(), "auth-admin", PASSWORD, next_path=next_path)
    assert response.status_code == 302
    assert response.headers["Location"] == location
    assert not urlsplit(location).netloc and not urlsplit(location).scheme


def test_the_login_form_carries_only_a_safe_next(closed):
    page = closed.test_client().get("/login", query_string={"next": "/%09/example.com"}).get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/">' in page
    page = closed.test_client().get("/login", query_string={"next": "/karta?place=x"}).get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/karta?place=x">' in page


def test_request_bodies_over_the_limit_are_refused(dash_app, closed):
    """Issue 10: a 30 MB body was read. The limit is LAGESBILD_MAX_REQUEST_MB (2 by default)."""
    limit = dash_app.server.config["MAX_CONTENT_LENGTH"]
    assert limit == load_settings({}).max_request_bytes == 2 * 1024 * 1024
    assert load_settings({"LAGESBILD_MAX_REQUEST_MB": "0.5"}).max_request_bytes == 512 * 1024
    too_big = b'{"output": "' + b"x" * limit + b'"}'
    client = closed.test_client()
    assert client.post("/login", data={"username": "x" * limit}).status_code == 413
    login(client, "auth-admin", PASSWORD)
    assert client.post(DASH_UPDATE, data=too_big, content_type="application/json", headers=ORIGIN).status_code == 413
    small = client.post(DASH_UPDATE, data=b'{"output": "' + b"x" * (limit // 2) + b'"}',
                        content_type="application/json", headers=ORIGIN)
    assert small.status_code not in (413, 401)


def test_single_sign_on_header_only_from_the_trusted_proxy(closed, accounts):
    header = {"X-Remote-User": "auth-sso"}
    untrusted = closed.test_client()
    assert untrusted.get("/handelser", headers=header, environ_base={"REMOTE_ADDR": "10.0.0.8"}).status_code == 302
    trusted = closed.test_client()
    assert trusted.get("/handelser", headers=header, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    entry = last_audit(accounts, "auth-sso")
    assert (entry["action"], entry["detail"]) == ("login", "single sign-on")
    unknown = closed.test_client().get("/handelser", headers={"X-Remote-User": "nobody-here"},
                                       environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert unknown.status_code == 302


def test_current_role(closed, dash_app):
    client = closed.test_client()
    login(client, "auth-admin", PASSWORD)
    with closed.test_request_context("/"):
        assert auth.current_role() is None  # nobody logged in in this request
    closed.config[auth.OPEN_KEY] = True
    with closed.test_request_context("/"):
        assert auth.current_role() == auth.DEMO_ROLE


def test_exports_are_audited(dash_app, sample_engine):
    response = dash_app.server.test_client().get("/export/caption?path=/handelser&place=tantolunden")
    assert response.status_code == 200
    entry = recent_audit(sample_engine)[0]
    assert entry["action"] == "export" and entry["detail"] == "page PNG /handelser?place=tantolunden"
    assert entry["username"] == "demo (anonym)"


def test_open_demo_pages_say_so(dash_app):
    from dashboard import shell

    with dash_app.server.test_request_context("/"):
        banner = shell.demo_banner()
    assert banner and banner[0].children == "Demoläge: öppen för alla, exempeldata"


# ---- a real process ----

def run_serve(url: str, port: int, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", url, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


@pytest.mark.slow
def test_serve_refuses_without_an_account_or_a_secret_key(tmp_path):
    url = sqlite_url(tmp_path / "store.sqlite")
    upgrade(url)
    refused = run_serve(url, free_port(), serve_env())
    output = refused.communicate(timeout=60)[0]
    assert refused.returncode == 2 and "lagesbild user add" in output and "Traceback" not in output
    add_account(url)
    env = {key: value for key, value in serve_env().items() if key not in SECRET_ENV}
    refused = run_serve(url, free_port(), env)
    output = refused.communicate(timeout=60)[0]
    assert refused.returncode == 2 and "LAGESBILD_SECRET_KEY" in output


@pytest.mark.slow
@pytest.mark.browser
def test_serve_with_an_account_logs_in_to_oversikt(tmp_path, chromium):
    url = sqlite_url(tmp_path / "store.sqlite")
    upgrade(url)
    add_account(url)
    subprocess.run([sys.executable, "-m", "lagesbild", "load", str(SAMPLE / "est_rapporter_2021-2025.csv"),
                    "--db", url], check=True, capture_output=True)
    port = free_port()
    server = run_serve(url, port, serve_env())
    try:
        assert wait_for(f"http://127.0.0.1:{port}/login") == 200
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 302 and response.getheader("Location").startswith("/login")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        # a body announced over the largest any route takes (an uploaded file, 50 MB): waitress refuses it unread
        connection.putrequest("POST", "/login")
        connection.putheader("Content-Length", str(60 * 1024 * 1024))
        connection.endheaders()
        assert connection.getresponse().status == 413
        connection.close()
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, f"http://127.0.0.1:{port}")
        page.wait_for_selector(".page-title")
        assert "Översikt" in page.inner_text(".page-title")
        assert page.locator("#demo-banner").count() == 0 and page.locator("#logout-button").count() == 1
        pdf = page.request.get(f"http://127.0.0.1:{port}/export/page.pdf?path=/data")  # the renderer logs in as us
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        page.goto(f"http://127.0.0.1:{port}/data", wait_until="networkidle")
        audit_table = page.wait_for_selector("#data-audit-table")
        assert "login" in audit_table.inner_text() and "page PDF /data" in audit_table.inner_text()
        assert "cli:" in audit_table.inner_text()  # the load below, by the OS user through the CLI
        page.click("#logout-button")
        page.wait_for_url(re.compile(r"/login\?out=1$"))
        assert errors == []
        context.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output
    assert [r["action"] for r in recent_audit(make_engine(url))][0] == "logout"
