"""住民基本台帳 (juki): the catalogue derived from the real 第1.0版 structure, and the town's side of it.

The catalogue is not fictional: section numbers, titles and classes of
住民記録システム標準仕様書【第1.0版】 chapter 3, read from ``JUKI_CSV`` (kept in
tools/sample/data/ with its source) and attributed with ``JUKI_SOURCE``.  It has no requirement
text.  The town's system, vendor, profile and custom items are fictional.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..model import Catalogue, OperationSample, Profile, Req, custom

JUKI_CSV = Path(__file__).resolve().parents[1] / "data" / "juki-v1.0-structure.csv"
JUKI_SOURCE = "出典：総務省「住民記録システム標準仕様書【第1.0版】」第3章の節番号・節名・実装区分を加工して作成"
JUKI_HEAD = (
    "Derived reference data (サンプル). NOT the current official specification.",
    "住民記録システム標準仕様書【第1.0版】第3章の節番号・節名・実装区分を加工して作成した参照用データです。",
    "要件文は含みません（summary は空）。ID は当時の節番号（同じ節に複数の実装区分があるときは -2, -3）。",
    "現行の公式仕様は【第4.0版】以降で、7桁の機能IDを用いています。実際の分析には公式の Excel を取り込んでください。",
)


def juki_requirements(csv_path: Path) -> list[Req]:
    """住民記録 第1.0版 chapter 3 blocks: legacy section IDs, ``-2``/``-3`` for later blocks."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: dict[str, int] = {}
    reqs: list[Req] = []
    for row in rows:
        section = row["section"].strip()
        seen[section] = seen.get(section, 0) + 1
        rid = section if seen[section] == 1 else f"{section}-{seen[section]}"
        parts = section.split(".")
        category = tuple(".".join(parts[:n]) for n in range(1, min(len(parts), 4)))
        reqs.append(Req(rid, "function", row["class"].strip(), row["title"].strip(), category, section=section))
    return reqs


def catalogues(_name: str) -> list[Catalogue]:
    """The one derived "1.0" catalogue (reads ``JUKI_CSV``)."""
    return [Catalogue("1.0", JUKI_HEAD, "住民記録システム標準仕様書【第1.0版】第3章（構造の加工データ）", JUKI_SOURCE,
                      "参照用の加工データ。公式の標準仕様書そのものではない。", juki_requirements(JUKI_CSV))]


SAMPLE = OperationSample(
    code="juki",
    prefix="001",
    item_prefix="JK",
    department="住民課",
    system="住民情報システム（現行）",
    vendor="架空情報システム株式会社",
    product="さくら住民記録（架空）",
    profile=Profile(partial=0.08, gap=0.05, deferred=3, violations=2, optional_used=0.6, style="symbol"),
    custom=(
        custom("F", "undecided", "窓口受付番号との連動", "窓口の受付番号発券機と異動処理画面を連動させる町独自機能。"),
        custom("F", "abolish", "転入者向け独自チェックリスト出力", "転入者ごとに町独自の手続案内チェックリストを出力する。"),
        custom("R", "euc", "行政区別世帯人員集計表", "行政区（自治会）別の世帯数・人員を毎月集計する独自帳票。"),
        custom("F", "external", "自治会加入状況の管理", "自治会の加入状況を住民データに付けて管理する独自機能。"),
        custom("F", "replace", "郵送請求の独自受付台帳", "郵送による住民票請求を独自画面で台帳管理している。", replace_by="交付履歴の管理"),
        custom("F", None, "住民データの一括手修正ツール", "保守用の一括修正ツールを職員が利用している（用途未整理）。"),
    ),
    catalogues=catalogues,
)
