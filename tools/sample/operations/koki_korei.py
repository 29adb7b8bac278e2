"""後期高齢者医療 (koki-korei): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9090201-, forms 9090011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 資格/届出受付/資格取得届の受付 | 資格取得の届出を受け付け、広域連合へ送付できること。
F M 資格/届出受付/住所変更等の届出の受付 | 住所変更等の届出の内容を広域連合へ連携できること。
F M 資格/障害認定/障害認定申請の受付 | 一定の障害がある65歳以上75歳未満の者の障害認定申請を受け付けられること。
F M 資格/資格確認書/資格確認書の引渡し管理 | 広域連合が作成した資格確認書の交付・返戻を管理できること。
F M 保険料/徴収/普通徴収の管理 | 広域連合が決定した保険料の普通徴収を管理できること。
F M 保険料/徴収/特別徴収の管理 | 年金からの特別徴収の対象と徴収額を管理できること。
F M 保険料/徴収/徴収方法の変更 | 口座振替への徴収方法の変更を管理できること。
F O 保険料/減免/減免申請の受付 | 保険料の減免申請を受け付けて広域連合へ送付できること。
F M 給付/申請受付/療養費申請の受付 | 療養費の支給申請を受け付けて広域連合へ送付できること。
F M 給付/申請受付/高額療養費申請の受付 | 高額療養費の支給申請を受け付けられること。
F M 給付/申請受付/葬祭費申請の受付 | 葬祭費の支給申請を受け付けられること。
F O 給付/申請受付/限度額適用認定申請の受付 | 限度額適用・標準負担額減額認定の申請を受け付けられること。
F M 連携/広域連合/広域連合システムとの連携 | 広域連合のシステムと資格・賦課・収納・給付の情報を連携できること。
F M 連携/住民記録/住民異動情報の送付 | 住民記録の異動情報を広域連合へ送付できること。
F M 連携/所得/所得情報の送付 | 個人住民税の所得情報を広域連合へ送付できること。
F M 照会/被保険者照会/資格・保険料の照会 | 被保険者ごとの資格・保険料・収納状況を照会できること。
F X 照会/被保険者照会/保険料の独自算定 | 町で保険料を独自に算定する機能は実装しないこと。
F M 保健事業/健診/健診対象者の抽出 | 後期高齢者健診の対象者を抽出できること。
F O 保健事業/健診/受診結果の取込 | 健診の受診結果を取り込めること。
R M 帳票/保険料/保険料額決定通知書 | 保険料額決定通知書兼納入通知書を出力できること。
R M 帳票/保険料/特別徴収開始通知書 | 特別徴収開始通知書を出力できること。
R M 帳票/収納/督促状 | 督促状を出力できること。
R M 帳票/資格/資格確認書送付用宛名 | 資格確認書の送付に用いる宛名を出力できること。
R M 帳票/受付/申請書受付一覧 | 広域連合へ送付する申請書の受付一覧を出力できること。
R O 帳票/保健事業/健診受診券 | 健診受診券を出力できること。
R M 帳票/給付/葬祭費支給決定通知書 | 葬祭費の支給決定通知書を出力できること。
"""

SAMPLE = OperationSample(
    code="koki-korei",
    prefix="909",
    item_prefix="KK",
    department="保険年金課",
    system="後期高齢者医療システム（現行）",
    vendor="架空情報システム株式会社",
    product="さくら後期高齢（架空）",
    profile=Profile(partial=0.08, gap=0.06, deferred=1, violations=0, optional_used=0.5),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "external", "長寿祝金の対象者抽出", "長寿祝金の対象者を後期高齢者医療の資格から抽出している。"),
        custom("R", "euc", "地区別被保険者数の推移表", "地区別の被保険者数の推移を作成している。"),
    ),
)
