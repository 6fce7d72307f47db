"""Configuration problems collected while reading, so every one is reported at once with its file and key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str  # the file's name, e.g. 'indicators.yaml'
    key: str  # where in it, e.g. 'indicators[2] (sprutfynd).target.change'
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message


class ConfigError(ValueError):
    """Every problem found in the configuration files, each naming its file and key."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        by_file: dict[str, list[Problem]] = {}
        for problem in self.problems:
            by_file.setdefault(problem.file, []).append(problem)
        lines = [f"{name}: {len(found)} problem(s):\n" + "\n".join(f"  - {p}" for p in found)
                 for name, found in by_file.items()]
        super().__init__("\n".join(lines))


@dataclass
class Problems:
    """The problems of one file, added as they are found; `raise_if_any` ends the reading of everything."""

    file: str
    found: list[Problem] = field(default_factory=list)

    @classmethod
    def of(cls, path: Path | str) -> Problems:
        return cls(Path(path).name if isinstance(path, Path) else str(path))

    def add(self, key: str, message: str) -> None:
        self.found.append(Problem(self.file, key, message))

    def extend(self, other: Problems) -> None:
        self.found.extend(other.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            raise ConfigError(self.found)
