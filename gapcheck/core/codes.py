"""The registry of problem codes: every code gapcheck emits, with its severity, titles and room.

A :class:`~gapcheck.core.errors.Problem` carries one of these codes; the code
is stable (machines and CI logs match on it), the titles are what a person
reads in the README's table (generated from this registry by
``tools/problem_table.py``).  Tests check that every emitted code is here,
that every code here is emitted and has a case under
``tests/cases/invalid/`` with its exact expected output, and that the
README's table matches.

To add a check: add its code here (one line), emit it with
``Problem(file, line, column, code, ...)``, add a case folder under
``tests/cases/invalid/``, regenerate the README table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "either"]
"""``either``: the same code is an error in one context and a warning in another (said in the title)."""


@dataclass(frozen=True, slots=True)
class ProblemCode:
    """One kind of problem."""

    code: str
    """Stable kebab-case identifier, e.g. ``duplicate-key``."""
    severity: Severity
    title_ja: str
    """One line in Japanese, for people."""
    title_en: str
    """One line in English."""
    room: str
    """The room of the package that emits it (``loading``, ``validation``, ``readiness``, ``vendor``, …)."""
    group: str
    """The README table's row this code is listed in (its family)."""


_E: Severity = "error"
_W: Severity = "warning"
_B: Severity = "either"

_TABLE: tuple[tuple[str, Severity, str, str, str, str], ...] = (
    # code, severity, Japanese title, English title, room, group
    ("file-missing", _E, "ファイルがない", "the file does not exist", "loading", "file"),
    ("file-unreadable", _E, "ファイルを読めない", "the file cannot be read", "loading", "file"),
    ("file-empty", _E, "ファイルが空", "the file is empty", "loading", "file"),
    ("not-utf8", _E, "UTF-8 ではない", "the file is not UTF-8 text", "loading", "file"),
    ("folder-missing", _W, "データフォルダがない", "a data folder does not exist", "loading", "file"),
    ("not-a-regular-file", _E, "通常のファイルではない", "a device, named pipe or socket, not a regular file", "loading", "file"),
    ("file-too-large", _E, "ファイルが大きすぎる", "an input file over the limit of 200 MB", "loading", "file"),
    ("file-ignored", _W, "読まないファイル", "a file in a data folder that is not an input (not .yaml or .yml)",
     "loading", "file"),
    ("unknown-file-type", _E, "ファイルの種類が分からない", "the kind of gapcheck file cannot be told", "loading", "file"),
    ("yaml-syntax", _E, "YAML の構文誤り", "YAML syntax error", "loading", "yaml"),
    ("yaml-multiple-documents", _E, "YAML 文書が複数ある", "more than one YAML document in a file", "loading", "yaml"),
    ("yaml-tag", _E, "YAML タグは使えない", "YAML tags are refused", "loading", "yaml"),
    ("yaml-complex-key", _E, "キーが文字列でない", "a mapping key that is not plain text", "loading", "yaml"),
    ("yaml-alias", _E, "リスト・マップの別名参照は使えない", "anchors and aliases of lists or mappings are refused",
     "loading", "yaml"),
    ("control-character", _E, "制御文字が含まれる", "a control character in a value", "loading", "yaml"),
    ("duplicate-key", _E, "キーの重複", "a key repeated in one mapping (or one history record)", "loading", "yaml"),
    ("too-deep", _E, "入れ子が深すぎる（64 段まで）", "lists and mappings nested more than 64 levels deep", "loading", "yaml"),
    ("number-too-large", _E, "どの項目にも入らない大きさの数", "a number beyond every field (over 100 digits, or infinity such as 1e999)",
     "loading", "yaml"),
    ("yaml-boolean-word", _W, "yes/no/on/off は文字列として読む", "yes/no/on/off kept as text (YAML 1.1 would read a boolean)",
     "loading", "yaml"),
    ("yaml-leading-zero", _W, "先頭の 0 を保って読む", "an unquoted number with leading zeros kept as text", "loading", "yaml"),
    ("unknown-field", _E, "未知の項目", "a field the schema does not know", "loading", "schema"),
    ("missing-field", _E, "必須項目がない", "a required field is missing", "loading", "schema"),
    ("wrong-type", _E, "型が違う", "a value of the wrong type", "loading", "schema"),
    ("invalid-value", _E, "許されない値", "a value outside the allowed ones", "loading", "schema"),
    ("invalid-format", _E, "書式が違う", "a value of the wrong form", "loading", "schema"),
    ("invalid-date", _E, "日付が正しくない", "not a real calendar date YYYY-MM-DD", "loading", "schema"),
    ("empty-value", _E, "空の値", "an empty value where one is required", "loading", "schema"),
    ("out-of-range", _E, "範囲外の値", "a value out of range", "loading", "schema"),
    ("schema-violation", _E, "スキーマ違反（その他）", "any other schema violation", "loading", "schema"),
    ("invalid-id", _E, "要件IDの形式が違う", "not a requirement ID", "validation", "id"),
    ("id-prefix-mismatch", _E, "要件IDの業務IDが違う", "a requirement ID with another operation's prefix", "validation", "id"),
    ("id-prefix-unverified", _W, "他業務の未確認の業務ID", "a requirement ID with a 業務ID listed (未確認) for another operation",
     "validation", "id"),
    ("id-prefix-unknown", _E, "業務IDが分からない", "a 4-digit serial of an operation with no known prefix",
     "validation", "id"),
    ("id-fullwidth", _W, "全角数字を半角にした", "full-width digits normalised", "validation", "id"),
    ("duplicate-id", _E, "要件IDの重複", "a requirement ID used twice within one kind (a function and a form may share one)",
     "validation", "duplicate"),
    ("duplicate-prefix", _E, "業務IDの重複", "a 業務ID listed twice for one operation in the registry", "validation", "duplicate"),
    ("prefix-and-prefixes", _E, "prefix と prefixes の両方", "a registry entry with both the older 'prefix' and 'prefixes'",
     "validation", "duplicate"),
    ("duplicate-catalogue", _E, "同じ版の仕様書が二つ", "two catalogues of the same operation and version",
     "validation", "duplicate"),
    ("duplicate-item", _E, "現行機能IDの重複", "an inventory item ID used twice", "validation", "duplicate"),
    ("duplicate-operation", _E, "業務コードの重複", "an operation code listed twice", "validation", "duplicate"),
    ("duplicate-custom", _E, "独自機能の処置が二つ", "a custom item decided twice", "validation", "duplicate"),
    ("duplicate-deferral", _E, "経過措置の重複", "a deferral declared twice", "validation", "duplicate"),
    ("unknown-operation", _E, "未知の業務", "an operation the registry does not know", "validation", "reference"),
    ("unknown-spec-version", _E, "読み込まれていない版", "a spec version that is not loaded", "validation", "reference"),
    ("unknown-requirement", _E, "未知の要件ID", "a requirement the catalogue does not have", "validation", "reference"),
    ("unknown-item", _E, "未知の現行機能", "an item the inventory does not have", "validation", "reference"),
    ("requirement-other-operation", _E, "他業務の要件", "a requirement of another operation", "validation", "reference"),
    ("item-other-operation", _E, "他業務の現行機能", "an inventory item of another operation", "validation", "reference"),
    ("requirement-wrong-kind", _E, "機能と帳票の取り違え", "a requirement ID that only the other kind (function/form) has",
     "validation", "reference"),
    ("requirement-kind-ambiguous", _E, "機能か帳票か分からない",
     "an ID both a function and a form have, with nothing to say which is meant", "validation", "reference"),
    ("prefix-mismatch", _E, "業務IDが登録簿と違う", "a catalogue prefix that contradicts the registry",
     "validation", "reference"),
    ("link-conflict", _E, "判定の矛盾", "the same item and requirement judged differently", "validation", "link"),
    ("link-duplicate", _W, "対応付けの重複", "the same link given twice", "validation", "link"),
    ("custom-item-linked", _E, "独自機能に対応付けがある", "a custom item that also has links", "validation", "decision"),
    ("decision-conflict", _E, "決定の矛盾", "decisions that contradict each other", "validation", "decision"),
    ("not-optional", _E, "標準オプションではない", "an unused-option decision on a requirement that is not optional",
     "validation", "decision"),
    ("deferral-not-mandatory", _E, "経過措置は実装必須のみ", "a deferral of a requirement that is not mandatory",
     "validation", "decision"),
    ("duplicate-decision", _E, "決定の重複", "a decision given twice", "validation", "mapping"),
    ("deferral-but-fit", _W, "適合なのに経過措置", "a deferral of a requirement already fit", "validation", "mapping"),
    ("duplicate-mapping", _E, "同じ業務の対応表が二つ", "a second mapping file for one operation", "validation", "mapping"),
    ("not-applicable-has-items", _E, "対象外の業務に現行機能がある", "items listed for an operation marked not applicable",
     "validation", "scope"),
    ("operation-not-applicable", _E, "対象外の業務", "an operation marked not applicable", "validation", "scope"),
    ("municipality-mismatch", _E, "団体が一致しない", "inventory files naming different municipalities",
     "validation", "scope"),
    ("inventory-missing", _E, "現行機能一覧がない", "mappings without an inventory", "validation", "scope"),
    ("catalogue-missing", _B, "仕様書カタログがない（業務ごとは警告、分析対象がひとつもなければ誤り）",
     "no spec catalogue (a warning per operation listed; an error when no operation in scope has one)",
     "validation", "scope"),
    ("no-inputs", _E, "入力がない", "no inventory file at all: nothing to check (a wrong path must not pass)",
     "validation", "scope"),
    ("go-live-before-start", _E, "稼働日が計画開始前", "a go-live date before the plan's start", "validation", "plan"),
    ("extension-too-late", _E, "延長期限が遅すぎる", "an extension past the end of FY2030", "validation", "plan"),
    ("extension-too-early", _E, "延長期限が法定期限以前", "an extension not after the statutory deadline",
     "validation", "plan"),
    ("unknown-step", _E, "未知の手順", "a step not in the plan's step list", "validation", "plan"),
    ("duplicate-step", _E, "手順IDの重複", "a step ID listed twice", "validation", "plan"),
    ("duplicate-plan", _E, "移行計画が二つ", "a second plan file", "validation", "plan"),
    ("municipality-code-check-digit", _B, "団体コードの検査数字が誤り（validate では警告、rollup では誤り）",
     "a 団体コード whose check digit is wrong (a warning in validate, an error in rollup)", "validation", "scope"),
    ("municipality-code-prefecture", _B, "団体コードの都道府県がない（validate では警告、rollup では誤り）",
     "a 団体コード that starts with no prefecture's code (a warning in validate, an error in rollup)", "validation", "scope"),
    ("history-syntax", _E, "履歴の行が JSON でない", "a history line that is not a JSON object", "loading", "history"),
    ("history-duplicate", _E, "履歴の重複", "two records of one date and operation", "loading", "history"),
    ("number-not-finite", _E, "NaN・Infinity は数として使えない", "NaN or Infinity in a history record", "loading", "history"),
    ("results-missing", _E, "結果ファイルがない", "a results file, folder or list entry that does not exist or holds no results",
     "rollup", "rollup"),
    ("source-unreadable", _E, "入力の一覧を読めない", "a list file (or a municipality folder's gapcheck.toml) that cannot be read",
     "rollup", "rollup"),
    ("source-duplicate", _W, "同じ結果ファイルを二度指定", "a results file named more than once: read once", "rollup", "rollup"),
    ("results-unreadable", _E, "結果ファイルを読めない", "a results file that is not readable Parquet", "rollup", "rollup"),
    ("results-not-gapcheck", _E, "gapcheck の結果ファイルでない", "a Parquet file without gapcheck's results metadata",
     "rollup", "rollup"),
    ("results-schema-newer", _E, "結果ファイルの形式が新しい", "a results file of a newer schema than this gapcheck reads",
     "rollup", "rollup"),
    ("results-schema-mismatch", _E, "結果ファイルの列・見出しが形式と違う",
     "a results file whose columns or header are not those of its schema", "rollup", "rollup"),
    ("results-version-unknown", _E, "作成した gapcheck の版が分からない", "a results file naming no gapcheck version",
     "rollup", "rollup"),
    ("results-version-newer", _W, "新しい gapcheck で作成", "a results file written by a newer gapcheck", "rollup", "rollup"),
    ("municipality-code-missing", _E, "団体コードがない", "a results file without a 団体コード", "rollup", "rollup"),
    ("municipality-code-invalid", _E, "団体コードが6桁の数字でない", "a results file's 団体コード is not 6 digits",
     "rollup", "rollup"),
    ("results-duplicate", _W, "同じ団体の結果が複数", "two results files for one 団体: the newest as-of is kept",
     "rollup", "rollup"),
    ("results-after-as-of", _W, "集計日より後の結果", "results as of a date after the roll-up's --as-of: left out",
     "rollup", "rollup"),
    ("results-mixed-as-of", _W, "基準日が団体により異なる", "results of different as-of dates rolled up together",
     "rollup", "rollup"),
    ("rollup-empty", _E, "集計できる結果がない", "no usable results file: nothing to roll up", "rollup", "rollup"),
    ("xlsx-not-a-workbook", _E, "Excel ブックとして読めない", "not a readable .xlsx workbook", "vendor", "import"),
    ("xlsx-no-header", _E, "見出し行がない", "no header row found", "vendor", "import"),
    ("xlsx-sheet-missing", _E, "シートがない", "a required sheet is missing", "vendor", "import"),
    ("spec-kind-missing", _E, "機能要件か帳票要件のシートがない",
     "a workbook with one kind of requirement and not the other, without --functions-only/--forms-only", "vendor", "import"),
    ("spec-kind-skipped", _W, "読まない種別のシート", "a sheet of the kind --functions-only/--forms-only leaves out",
     "vendor", "import"),
    ("spec-shrunk", _E, "要件数が前の版の半分未満", "a new version with under half the requirements of the previous one",
     "vendor", "import"),
    ("xlsx-missing-column", _B, "列がない（必須列は誤り、要件文の列は警告）",
     "a column is missing (an error for required columns, a warning for the requirement text)", "vendor", "import"),
    ("csv-encoding", _E, "CSV の文字コードが分からない", "a CSV file in neither UTF-8 nor Shift_JIS/CP932", "vendor", "import"),
    ("csv-mixed-encoding", _E, "CSV に文字コードが混在", "UTF-8 Japanese inside a Shift_JIS/CP932 CSV file (would be mojibake)",
     "vendor", "import"),
    ("xlsx-encrypted", _E, "ブックが暗号化されている", "a password-protected (encrypted) workbook", "vendor", "import"),
    ("xlsx-formula", _E, "計算結果のない数式", "a formula cell whose workbook holds no computed value", "vendor", "import"),
    ("cell-too-long", _E, "セルの文字数が Excel の上限を超える", "text longer than an Excel cell holds (32,767 characters)",
     "vendor", "import"),
    ("unknown-class", _E, "実装区分が分からない", "an unknown spelling of the implementation class (catalogue or workbook)",
     "vendor", "import"),
    ("missing-id", _E, "IDがない", "a filled row without an ID", "vendor", "import"),
    ("missing-value", _E, "値がない", "a required cell is empty", "vendor", "import"),
    ("no-requirements", _E, "要件の行がない", "no requirement rows under the header", "vendor", "import"),
    ("unknown-kind", _E, "種別が分からない（機能・帳票以外）", "an item kind other than 機能 (function) or 帳票 (form)",
     "vendor", "import"),
    ("no-items", _E, "機能・帳票の行がない", "no item rows under the header of a current-system list", "vendor", "import"),
    ("id-leading-zero-lost", _W, "Excel が機能IDの先頭の 0 を落とした可能性",
     "number cells of an ID column shorter than its zero-padded IDs (Excel dropped the zeros)", "vendor", "import"),
    ("item-id-generated", _W, "現行機能IDを名称から作成した", "item IDs made from operation, kind and name (the list has none)",
     "vendor", "import"),
    ("item-still-mapped", _E, "対応表が参照する現行機能が一覧から消える",
     "an import would drop an inventory item that a mapping still names", "vendor", "import"),
    ("worksheet-invalid-value", _E, "記入値が正しくない", "a worksheet cell holds an unknown value", "vendor", "worksheet"),
    ("worksheet-missing-value", _E, "記入がない", "a worksheet cell that must be filled is empty", "vendor", "worksheet"),
    ("worksheet-needs-review", _E, "改版で要再判定", "a judgement carried over a revision must be made again",
     "vendor", "worksheet"),
    ("worksheet-conflict", _E, "記入の矛盾", "two rows of a worksheet contradict each other", "vendor", "worksheet"),
    ("suggest-no-items", _W, "候補を出す現行機能がない", "the operation has no inventory item to suggest links for",
     "analysis", "suggest"),
    ("suggest-no-text", _W, "名称に文字がなく候補を出せない", "an item whose name and description hold no letter, only symbols or digits",
     "analysis", "suggest"),
)

CODES: dict[str, ProblemCode] = {row[0]: ProblemCode(*row) for row in _TABLE}
"""Every problem code, by code."""

GROUPS: dict[str, str] = {
    "file": "the file itself", "yaml": "YAML that cannot be read as plain data, and YAML 1.1 surprises",
    "schema": "schema", "id": "requirement IDs", "duplicate": "duplicates", "reference": "references",
    "link": "links", "decision": "decisions that contradict each other or the class", "mapping": "mapping decisions",
    "scope": "scope", "plan": "migration plan", "history": "history file", "import": "workbook and CSV import",
    "worksheet": "the vendor's Fit & Gap worksheet", "suggest": "suggested links (`mapping suggest`)",
    "rollup": "results files read by `gapcheck rollup`",
}
"""The README table's groups, in order."""

assert len(CODES) == len(_TABLE), "a code is registered twice"
assert {c.group for c in CODES.values()} <= set(GROUPS)


def known(code: str) -> bool:
    """Whether ``code`` is registered."""
    return code in CODES
