"""``gapcheck init``: a working folder a municipality can start from, without writing YAML by hand.

The folder holds ``gapcheck.toml``, ``specs/`` (empty, with a README line on
``gapcheck spec import``), ``current_system/inventory.yaml`` naming the
municipality and the operations that do not apply to it,
``current_system/plan.yaml`` with the packaged step template, ``policy.yaml``
and ``mappings/``.  Right after it, ``gapcheck validate`` finds no error and
``gapcheck readiness`` lists every operation in scope as 準備中 with what is
missing.  Nothing is ever overwritten: when any of these files exists, none
is written.  The files are checked by the project loader before they are
written (:mod:`gapcheck.vendor.writecheck`).

It lives in the vendor room, beside the other ways the municipality's own
data comes in (inventory and plan workbooks), because it must load the
operation registry and check its files with the loader, which the core room,
below the loading room, cannot import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gapcheck.core.config import CONFIG_NAME, Config
from gapcheck.core.errors import InvalidInput, OutputExists, UsageError
from gapcheck.core.ids import municipality_code_problem, unknown_operation
from gapcheck.core.messages import Msg
from gapcheck.core.model import Operation, Project
from gapcheck.core.output import write_atomic
from gapcheck.core.paths import display_path
from gapcheck.core.plan import step_template
from gapcheck.vendor.writecheck import new_errors
from gapcheck.vendor.yamldump import Flow, dump_yaml

PLAN_START = "2021-04-01"
"""The start written into a new plan: the first day of FY2021, the fiscal year of the standardisation law.

Go-live dates before it are errors.
"""
FOLDERS = ("specs", "current_system", "mappings")


@dataclass(frozen=True)
class InitResult:
    """What ``gapcheck init`` made."""

    folder: Path
    files: tuple[Path, ...]
    """The files written, in the order written."""
    municipality: str
    in_scope: tuple[str, ...]
    not_applicable: tuple[str, ...]


def init_project(folder: Path, municipality: str | None = None, code: str | None = None,
                 operations: Sequence[str] | None = None, not_applicable: Sequence[str] | None = None) -> InitResult:
    """Make the working folder ``folder`` (created if needed) for ``municipality`` (default: the folder's name).

    ``operations`` names the operations in scope (the others are not
    applicable), or ``not_applicable`` those that are not (default: all 20
    apply).  Raises :class:`~gapcheck.core.errors.UsageError` for unknown
    codes, a bad municipality code or both lists given, and
    :class:`~gapcheck.core.errors.OutputExists` naming every file that
    exists already (then nothing is written).
    """
    from gapcheck.validation.project import load_registry

    registry, problems = load_registry(None)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    if operations is not None and not_applicable is not None:
        raise UsageError(Msg("init-operations-or-not"))
    if code is not None and (why := municipality_code_problem(code)) is not None:
        raise UsageError(Msg("init-code", why=why))
    name = municipality or folder.resolve().name
    chosen = _codes(registry, operations if operations is not None else not_applicable or [])
    out = [o.code for o in registry if (o.code in chosen) != (operations is not None)]
    texts = _files(name, code, registry, out)
    taken = [display_path(folder / rel) for rel in texts if (folder / rel).exists()]
    taken += [display_path(folder / d) for d in FOLDERS if (folder / d).exists() and not (folder / d).is_dir()]
    if taken:
        raise OutputExists(Msg("init-exists", n=len(taken), files=", ".join(taken)))
    cfg = Config.defaults(folder).with_overrides(plan=folder / "current_system" / "plan.yaml", policy=folder / "policy.yaml")
    errors = new_errors(cfg, Project((), (), None, ()), {folder / rel: t for rel, t in texts.items() if rel.endswith(".yaml")})
    if errors:  # a bug in the texts below, never the user's doing; reported rather than written
        raise InvalidInput(errors)
    written = []
    for rel, text in texts.items():
        write_atomic(folder / rel, text, overwrite=False)
        written.append(folder / rel)
    for d in FOLDERS:
        (folder / d).mkdir(parents=True, exist_ok=True)
    return InitResult(folder, tuple(written), name, tuple(o.code for o in registry if o.code not in out), tuple(out))


def _codes(registry: tuple[Operation, ...], codes: Sequence[str]) -> set[str]:
    known = [o.code for o in registry]
    for c in codes:
        if c not in known:
            raise UsageError(unknown_operation(c, known))
    return set(codes)


def _files(name: str, code: str | None, registry: tuple[Operation, ...], out: list[str]) -> dict[str, str]:
    """Relative path -> text of every file of a new working folder."""
    scope = [o for o in registry if o.code not in out]
    names = [f"{o.name}（{o.code}）" for o in scope] or ["なし"]
    listed = "\n".join("#   " + "、".join(names[i:i + 4]) for i in range(0, len(names), 4))
    muni = Flow({"name": name, **({"code": code} if code else {})})
    inventory = {"gapcheck": "inventory/1", "municipality": muni,
                 **({"not_applicable": [Flow({"operation": c}) for c in out]} if out else {}), "operations": {}}
    plan = {"gapcheck": "plan/1", "municipality": name, "start": PLAN_START,
            "steps": [Flow(s) for s in step_template()], "operations": {}}
    return {
        CONFIG_NAME: _TOML,
        "specs/README.md": _SPECS_README,
        "mappings/README.md": _MAPPINGS_README,
        "current_system/inventory.yaml": dump_yaml(inventory, _INVENTORY_HEAD.format(n=len(scope), listed=listed)),
        "current_system/plan.yaml": dump_yaml(plan, _PLAN_HEAD),
        "policy.yaml": _POLICY,
    }


_TOML = """\
# gapcheck の作業フォルダ（`gapcheck init` で作成）。パスはこのファイルのあるフォルダからの相対パス。
[paths]
specs = "specs"                    # 標準仕様書のカタログ（gapcheck spec import が書き込む）
current_system = "current_system"  # 現行システムの機能・帳票一覧（gapcheck inventory import）と移行計画
mappings = "mappings"              # ベンダーの対応表（gapcheck mapping import）
reports = "reports"                # レポートと準備状況の履歴
plan = "current_system/plan.yaml"  # 移行計画（gapcheck plan template / plan import）
policy = "policy.yaml"             # gapcheck check の基準
"""

_SPECS_README = """\
# specs: 標準仕様書のカタログ

標準仕様書の別紙「機能・帳票要件」（Excel または CSV）を次のように取り込むと、`specs/CODE/X.Y.yaml` ができます。

    gapcheck spec import 機能帳票要件.xlsx --operation CODE --version X.Y --published YYYY-MM-DD

業務コード（CODE）は `gapcheck operations` で確かめられます。
"""

_MAPPINGS_README = """\
# mappings: ベンダーの対応表（Fit & Gap）

カタログと現行機能の一覧を取り込んだら、ベンダーに渡す Excel を作り、記入されたものを取り込みます。

    gapcheck mapping template --operation CODE
    gapcheck mapping import 記入済み.xlsx --output mappings/CODE.yaml
"""

_INVENTORY_HEAD = """\
# 現行システムの調査（`gapcheck init` で作成）。対象業務 {n} 件:
{listed}
# 業務が対象外なら not_applicable に加えます（例: 県が実施する生活保護）。
# 現行の機能・帳票の一覧は `gapcheck inventory import 一覧.xlsx --operation CODE` で
# current_system/CODE.yaml に取り込みます（記入用の様式: `gapcheck inventory template --operation CODE`）。
"""

_PLAN_HEAD = f"""\
# 移行計画（`gapcheck init` で作成）。start（{PLAN_START}）より前の稼働日は誤りとして報告されます。
# steps は gapcheck の手順テンプレート（手順書の段階 計画立案・調達・移行）で、国の PMO ツールの 40 手順では
# ありません。団体の手順一覧に置き換えてください。業務ごとの状況は `gapcheck plan template` の Excel で
# 更新し、`gapcheck plan import` で戻します。
"""

_POLICY = """\
# `gapcheck check` の基準（`gapcheck init` で作成）。団体の方針に合わせて値を変えてください。
# all の基準はすべての対象業務に、operations.<code> の基準はその業務にだけ適用されます。
gapcheck: policy/1
all:
  max_violations: 0      # 実装不可違反の上限（標準準拠システムは実装不可の機能を持てない）
  max_days_overdue: 0    # 移行期限の超過日数の上限
  # min_mandatory_fit_rate: 0.9   # 実装必須要件の適合率の下限（0〜1）
  # max_undecided: 0              # 処置が未決定の独自機能・帳票の上限
"""
