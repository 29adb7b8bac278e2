"""健康管理 (kenko-kanri): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9120201-, forms 9120011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 予防接種/対象者/定期接種対象者の抽出 | 接種の種類ごとに定期接種の対象者を抽出できること。
F M 予防接種/接種記録/接種履歴の登録 | 予診票の内容に基づき接種履歴を登録できること。
F M 予防接種/接種記録/転入者の接種歴の登録 | 転入者の前住所地での接種歴を登録できること。
F M 予防接種/接種記録/接種間隔の確認 | 接種間隔・接種回数の誤りを警告できること。
F O 予防接種/任意接種/任意接種の助成管理 | 町独自の任意接種の助成を管理できること。
F M 予防接種/情報連携/予防接種情報の提供 | 予防接種の記録を他団体等への情報提供に用いられる形で管理できること。
F M 母子保健/妊娠届/妊娠届出の受付 | 妊娠の届出を受け付け、母子健康手帳の交付を記録できること。
F M 母子保健/妊婦健康診査/妊婦健康診査の受診管理 | 妊婦健康診査の受診券の交付と受診結果を管理できること。
F M 母子保健/乳幼児健診/乳幼児健診の対象者抽出 | 1歳6か月児健診・3歳児健診等の対象者を抽出できること。
F M 母子保健/乳幼児健診/乳幼児健診結果の登録 | 乳幼児健診の結果を登録できること。
F O 母子保健/訪問/新生児訪問の記録 | 新生児訪問・乳児家庭全戸訪問の結果を記録できること。
F M 成人保健/がん検診/がん検診の対象者抽出 | がん検診の種類ごとに対象者を抽出できること。
F M 成人保健/がん検診/がん検診結果の登録 | がん検診の結果と精密検査の受診状況を登録できること。
F O 成人保健/健康相談/健康相談の記録 | 健康相談・健康教育の実施状況を記録できること。
F M 成人保健/特定健診/特定健診結果の取込 | 国民健康保険の特定健診の結果を取り込めること。
F X 成人保健/がん検診/検診結果の外部提供 | 本人の同意なく検診結果を外部の事業者へ提供する機能は実装しないこと。
F M 照会/個人照会/健康記録の照会 | 個人ごとに予防接種・健診の記録を時系列で照会できること。
F M 統計/報告/地域保健・健康増進事業報告の集計 | 地域保健・健康増進事業報告に必要な集計を行えること。
R M 帳票/予防接種/予防接種予診票 | 宛名を印字した予防接種予診票を出力できること。
R M 帳票/予防接種/予防接種済証 | 予防接種済証を出力できること。
R M 帳票/母子保健/乳幼児健診案内通知 | 乳幼児健診の案内通知を出力できること。
R M 帳票/母子保健/妊婦健康診査受診票 | 妊婦健康診査受診票を出力できること。
R M 帳票/成人保健/がん検診受診券 | がん検診受診券を出力できること。
R M 帳票/成人保健/精密検査受診勧奨通知 | 精密検査の受診勧奨通知を出力できること。
R O 帳票/予防接種/接種勧奨はがき | 未接種者への接種勧奨はがきを出力できること。
R O 帳票/成人保健/がん検診結果通知 | がん検診の結果通知を出力できること。
"""

SAMPLE = OperationSample(
    code="kenko-kanri",
    prefix="912",
    item_prefix="KN",
    department="健康推進課",
    system="健康管理システム（現行）",
    vendor="架空ソリューションズ株式会社",
    product="さくら健康管理（架空）",
    profile=Profile(partial=0.12, gap=0.1, deferred=1, violations=1, optional_used=0.5),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "external", "健康ポイント事業の管理", "町独自の健康ポイント事業の参加者とポイントを管理している。"),
        custom("R", "euc", "地区別受診率一覧", "地区別のがん検診受診率の一覧。"),
        custom("F", None, "保健師の活動日報", "保健師の活動日報を独自画面で入力している。"),
    ),
)
