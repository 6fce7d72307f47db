"""Settings read once from the environment; CLI flags override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

CONFIG_DIR = Path(__file__).parent / "config"
DEFAULT_DB_FILE = "lagesbild.sqlite"


@dataclass(frozen=True)
class Settings:
    db_url: str
    places_file: Path
    vocabulary_file: Path
    area_file: Path
    indicators_file: Path = CONFIG_DIR / "indicators.yaml"
    meeting_file: Path = CONFIG_DIR / "meeting.yaml"  # the steering group's agenda (/mote, lagesbild deck)
    max_file_bytes: int = 100 * 1024 * 1024
    secret_key: str | None = None  # signs the session cookie; `serve` refuses to start without it
    cookie_secure: bool | None = None  # None: Secure unless served on 127.0.0.1/localhost (plain http)
    trusted_user_header: str | None = None  # single sign-on: a user header set by the reverse proxy (off by default)
    trusted_proxy: str | None = None  # ...honoured only from this remote address, as is its X-Forwarded-For
    # Every request body (Flask's MAX_CONTENT_LENGTH). The coming file upload must not raise it for everyone: its route
    # sets its own request.max_content_length from max_upload_bytes, per file.
    max_request_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 50 * 1024 * 1024
    throttle_storage: str = "memory://"  # failed-login counters (the `limits` library's storage URI)
    upload_dir: Path | None = None  # where uploaded files wait for "Läs in" or "Avbryt"; None: the system's temp dir
    police_api_url: str = "https://polisen.se/api/events"  # the police's public events API (lagesbild fetch-police)
    police_contact: str = ""  # who runs this installation, named in the fetch's User-Agent (an e-mail or a URL)
    demo_role: str | None = None  # `demo --as ROLE`: the open demo as that role sees it; None: sees everything

    def with_db(self, db_url: str | None) -> Settings:
        """The same settings with the store URL from a CLI flag, when one was given."""
        return replace(self, db_url=db_url) if db_url else self


def sqlite_url(path: str | os.PathLike) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    return Settings(
        db_url=env.get("LAGESBILD_DB") or sqlite_url(DEFAULT_DB_FILE),
        places_file=Path(env.get("LAGESBILD_PLACES") or CONFIG_DIR / "places.geojson"),
        vocabulary_file=Path(env.get("LAGESBILD_VOCABULARY") or CONFIG_DIR / "vocabulary.yaml"),
        area_file=Path(env.get("LAGESBILD_AREA") or CONFIG_DIR / "area.yaml"),
        indicators_file=Path(env.get("LAGESBILD_INDICATORS") or CONFIG_DIR / "indicators.yaml"),
        meeting_file=Path(env.get("LAGESBILD_MEETING") or CONFIG_DIR / "meeting.yaml"),
        max_file_bytes=int(float(env.get("LAGESBILD_MAX_FILE_MB") or 100) * 1024 * 1024),
        secret_key=env.get("LAGESBILD_SECRET_KEY") or None,
        cookie_secure=_flag(env.get("LAGESBILD_COOKIE_SECURE")),
        trusted_user_header=env.get("LAGESBILD_TRUSTED_USER_HEADER") or None,
        trusted_proxy=env.get("LAGESBILD_TRUSTED_PROXY") or None,
        max_request_bytes=_megabytes(env.get("LAGESBILD_MAX_REQUEST_MB"), 2),
        max_upload_bytes=_megabytes(env.get("LAGESBILD_MAX_UPLOAD_MB"), 50),
        throttle_storage=env.get("LAGESBILD_THROTTLE_STORAGE") or "memory://",
        upload_dir=Path(env["LAGESBILD_UPLOAD_DIR"]) if env.get("LAGESBILD_UPLOAD_DIR") else None,
        police_api_url=env.get("LAGESBILD_POLICE_API_URL") or "https://polisen.se/api/events",
        police_contact=env.get("LAGESBILD_POLICE_CONTACT") or "",
    )


def _megabytes(value: str | None, default: float) -> int:
    return int(float(value or default) * 1024 * 1024)


def _flag(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    return value.strip().lower() not in {"0", "false", "no", "off"}
