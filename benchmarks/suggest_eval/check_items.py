"""Check the suggested-links evaluation set against the catalogues.

    python benchmarks/suggest_eval/check_items.py [--items PATH] [--specs DIR]

Every ``expected`` ID must exist, with the item's kind, in the newest catalogue
of the item's operation (``specs/<operation>/<version>.yaml``, newest by the
numeric ``version``). Also refused: missing or empty fields, an unknown kind,
IDs that are not strings (``4.4`` unquoted is a float in YAML), repeated IDs or
items, and a name that is exactly a requirement title. The size rules of
issue 15 are checked too. Prints counts per operation and kind; exits 1 on any
error. Standard library and PyYAML only, so it runs whatever gapcheck's code
looks like.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FORMAT = "suggest/1"
KINDS = ("function", "form")
FIELDS = ("operation", "kind", "name", "description", "expected")
MIN_ITEMS = 80
MIN_OPERATIONS = 3
MIN_JUKI = 25


@dataclass(frozen=True)
class Catalogue:
    operation: str
    version: str
    path: Path
    titles: dict[tuple[str, str], str]  # (kind, id) -> title


def version_key(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        if not part.isdigit():
            raise ValueError(f"version {text!r} is not numeric")
        parts.append(int(part))
    return tuple(parts)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def newest_catalogue(specs: Path, operation: str) -> Catalogue | None:
    found: list[tuple[tuple[int, ...], str, Path, Any]] = []
    for path in sorted((specs / operation).glob("*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, dict) or data.get("operation") != operation:
            continue
        version = str(data.get("version", path.stem))
        found.append((version_key(version), version, path, data))
    if not found:
        return None
    _, version, path, data = max(found, key=lambda entry: entry[0])
    titles: dict[tuple[str, str], str] = {}
    for req in data.get("requirements") or []:
        titles[(str(req["kind"]), str(req["id"]))] = str(req.get("title", ""))
    return Catalogue(operation, version, path, titles)


def check(
    items_path: Path, specs: Path
) -> tuple[list[str], list[dict[str, Any]], dict[str, Catalogue]]:
    errors: list[str] = []
    data = load_yaml(items_path)
    if not isinstance(data, dict) or data.get("gapcheck_eval") != FORMAT:
        return (
            [f"{items_path}: top level must be a mapping with gapcheck_eval: {FORMAT}"],
            [],
            {},
        )
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        return [f"{items_path}: items must be a non-empty list"], [], {}

    catalogues: dict[str, Catalogue] = {}
    good: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for number, item in enumerate(raw, start=1):
        where = f"item {number}"
        if not isinstance(item, dict):
            errors.append(f"{where}: not a mapping")
            continue
        where = f"item {number} ({item.get('name', '?')})"
        before = len(errors)
        extra = sorted(set(item) - set(FIELDS))
        if extra:
            errors.append(f"{where}: unknown field(s) {', '.join(extra)}")
        missing = [
            f
            for f in FIELDS[:4]
            if not isinstance(item.get(f), str) or not item[f].strip()
        ]
        if missing:
            errors.append(f"{where}: missing or empty {', '.join(missing)}")
            continue
        operation, kind, name = item["operation"], item["kind"], item["name"]
        if kind not in KINDS:
            errors.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            continue
        expected = item.get("expected")
        if not isinstance(expected, list) or not expected:
            errors.append(f"{where}: expected must be a non-empty list")
            continue
        if any(not isinstance(rid, str) for rid in expected):
            errors.append(
                f"{where}: expected IDs must be quoted strings, got {expected!r}"
            )
            continue
        if len(set(expected)) != len(expected):
            errors.append(f"{where}: an expected ID is repeated")
        key = (operation, kind, name)
        if key in seen:
            errors.append(f"{where}: the same operation, kind and name appear twice")
        seen.add(key)

        if operation not in catalogues:
            catalogue = newest_catalogue(specs, operation)
            if catalogue is None:
                errors.append(
                    f"{where}: no catalogue for operation {operation!r} under {specs}"
                )
                continue
            catalogues[operation] = catalogue
        catalogue = catalogues[operation]
        for rid in expected:
            if (kind, rid) in catalogue.titles:
                continue
            other = "form" if kind == "function" else "function"
            hint = f" (it is a {other})" if (other, rid) in catalogue.titles else ""
            errors.append(
                f"{where}: {rid} is not a {kind} of {operation} {catalogue.version}{hint}"
            )
        if name in {title for (k, _), title in catalogue.titles.items() if k == kind}:
            errors.append(f"{where}: the name is a requirement title copied verbatim")
        if len(errors) == before:  # only fully valid items are counted
            good.append(item)

    errors.extend(size_rules(good))
    return errors, good, catalogues


def size_rules(items: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    operations = {item["operation"] for item in items}
    kinds = {item["kind"] for item in items}
    juki = sum(1 for item in items if item["operation"] == "juki")
    if len(items) < MIN_ITEMS:
        errors.append(f"only {len(items)} valid items, at least {MIN_ITEMS} wanted")
    if len(operations) < MIN_OPERATIONS:
        errors.append(
            f"only {len(operations)} operations, at least {MIN_OPERATIONS} wanted"
        )
    if juki < MIN_JUKI:
        errors.append(f"only {juki} juki items, at least {MIN_JUKI} wanted")
    if kinds != set(KINDS):
        errors.append("the set must hold both functions and forms")
    return errors


def report(items: list[dict[str, Any]], catalogues: dict[str, Catalogue]) -> None:
    counts = Counter((item["operation"], item["kind"]) for item in items)
    # Informational only, never a target: names that hold their best link's title verbatim.
    verbatim = Counter(
        item["operation"]
        for item in items
        if catalogues[item["operation"]].titles[(item["kind"], item["expected"][0])]
        in item["name"]
    )
    print(
        f"{'operation':<16} {'version':>7} {'function':>8} {'form':>5} {'total':>5} {'title-in-name':>13}"
    )
    for operation in sorted(catalogues):
        function, form = counts[(operation, "function")], counts[(operation, "form")]
        version = catalogues[operation].version
        print(
            f"{operation:<16} {version:>7} {function:>8} {form:>5} {function + form:>5} {verbatim[operation]:>13}"
        )
    function = sum(n for (_, kind), n in counts.items() if kind == "function")
    form = sum(n for (_, kind), n in counts.items() if kind == "form")
    multi = sum(1 for item in items if len(item["expected"]) > 1)
    print(
        f"{'total':<16} {'':>7} {function:>8} {form:>5} {len(items):>5} {sum(verbatim.values()):>13}"
    )
    print(f"items with more than one expected link: {multi}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=Path, default=HERE / "items.yaml")
    parser.add_argument("--specs", type=Path, default=ROOT / "specs")
    args = parser.parse_args(argv)
    try:
        errors, items, catalogues = check(args.items, args.specs)
    except (OSError, yaml.YAMLError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if items:
        report(items, catalogues)
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
