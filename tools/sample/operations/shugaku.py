"""就学 (shugaku): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9060201-, forms 9060011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 学齢簿/編製/学齢簿の編製 | 住民記録の情報から学齢児童生徒を抽出し、学齢簿を編製できること。
F M 学齢簿/編製/新入学予定者の抽出 | 翌年度の新入学予定者を抽出できること。
F M 学齢簿/異動/転入学・転出学の処理 | 住民異動に伴う転入学・転出学を処理できること。
F M 学齢簿/異動/区域外就学の管理 | 区域外就学及び指定校変更の申請と許可を管理できること。
F M 学齢簿/異動/私立・国立学校入学者の管理 | 私立・国立学校等への入学者を管理できること。
F M 通学区域/学区/通学区域の管理 | 住所と指定校の対応（通学区域）を管理できること。
F O 通学区域/学区/指定校の一括変更 | 通学区域の見直しに伴い、対象児童生徒の指定校を一括で変更できること。
F M 就学時健康診断/対象者/健診対象者の抽出 | 就学時健康診断の対象者を抽出できること。
F O 就学時健康診断/結果/受診状況の記録 | 就学時健康診断の受診状況を記録できること。
F M 就学援助/申請/就学援助の申請受付 | 就学援助の申請を受け付けて登録できること。
F M 就学援助/認定/就学援助の認定 | 所得情報に基づき準要保護の認定判定を行えること。
F M 就学援助/支給/援助費の支給管理 | 学用品費・学校給食費等の援助費の支給を管理できること。
F O 就学援助/支給/入学前支給 | 新入学児童生徒学用品費等の入学前支給を管理できること。
F M 特別支援教育/就学先/就学先決定の管理 | 特別支援学校等への就学先決定の経過を管理できること。
F M 照会/学齢簿照会/児童生徒の照会 | 氏名・生年月日・学校から児童生徒を照会できること。
F X 照会/学齢簿照会/成績情報の管理 | 学齢簿に成績情報を記録する機能は実装しないこと。
F M 統計/集計/学校別児童生徒数の集計 | 学校別・学年別の児童生徒数を集計できること。
F M 共通/連携/住民記録システムとの連携 | 住民異動の情報を日次で学齢簿に反映できること。
F M 共通/連携/学校への異動連絡 | 学校へ転入学・転出学の異動情報を連絡できること。
R M 帳票/通知/入学通知書 | 新入学予定者への入学通知書を出力できること。
R M 帳票/通知/転入学通知書 | 転入学の通知書を出力できること。
R M 帳票/通知/就学時健康診断通知書 | 就学時健康診断の通知書を出力できること。
R M 帳票/就学援助/就学援助認定通知書 | 就学援助の認定・却下の通知書を出力できること。
R M 帳票/学齢簿/学齢簿 | 学齢簿を出力できること。
R O 帳票/通知/指定校変更許可通知書 | 指定校変更の許可通知書を出力できること。
R M 帳票/連携/入学予定者名簿 | 指定校別の入学予定者名簿を出力できること。
"""

SAMPLE = OperationSample(
    code="shugaku",
    prefix="906",
    item_prefix="SG",
    department="教育委員会学校教育課",
    system="学齢簿システム（現行）",
    vendor="架空ソリューションズ株式会社",
    product="さくら学齢簿（架空）",
    profile=Profile(partial=0.15, gap=0.12, deferred=1, violations=1, optional_used=0.5),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "undecided", "通学路の危険箇所管理", "通学路の危険箇所を地図と一緒に管理している独自機能。"),
        custom("F", "external", "スクールバス利用者管理", "スクールバスの利用者と乗降場所を管理している。"),
        custom("R", None, "入学説明会の案内文", "入学説明会の案内を独自様式で出力している。"),
    ),
)
