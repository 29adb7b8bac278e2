"""印鑑登録 (inkan): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9150201-, forms 9150011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 登録/登録申請/印鑑登録の申請受付 | 印鑑登録の申請を受け付けて登録できること。
F M 登録/本人確認/照会書による本人確認 | 照会書を送付し、回答書による本人確認を管理できること。
F M 登録/印影/印影の登録 | 印影をスキャナで読み取り登録できること。
F M 登録/登録番号/印鑑登録番号の付番 | 印鑑登録番号を付番できること。
F M 登録/登録証/印鑑登録証の交付管理 | 印鑑登録証の交付・亡失・再交付を管理できること。
F O 登録/登録証/個人番号カードによる登録証の代替 | 条例に基づき個人番号カードを印鑑登録証に代えて利用する設定を管理できること。
F M 廃止/廃止申請/登録廃止の申請受付 | 印鑑登録の廃止申請を受け付けられること。
F M 廃止/職権抹消/住民異動による職権抹消 | 転出・死亡等の住民異動に伴い職権で登録を抹消できること。
F M 廃止/職権抹消/氏名変更による職権抹消 | 氏名等の変更により登録印鑑と一致しなくなった登録を抹消できること。
F M 証明/証明書交付/印鑑登録証明書の交付 | 印鑑登録証の提示を受けて印鑑登録証明書を交付できること。
F O 証明/証明書交付/証明書のコンビニ交付 | 個人番号カードによるコンビニ交付に対応できること。
F M 証明/交付履歴/交付履歴の管理 | 証明書の交付履歴を管理できること。
F M 照会/登録者照会/登録状況の照会 | 氏名・登録番号から登録状況を照会できること。
F X 照会/登録者照会/印影データの外部提供 | 印影データを外部のシステムへ一括提供する機能は実装しないこと。
F X 証明/証明書交付/登録証の提示によらない交付 | 印鑑登録証又はこれに代わるカードの提示なしに証明書を交付する機能は実装しないこと。
F M 共通/連携/住民記録システムとの連携 | 住民異動の情報を受け取り、登録者の状況に反映できること。
F M 共通/抑止/交付の抑止 | 支援措置の対象者等について証明書の交付を抑止できること。
R M 帳票/証明/印鑑登録証明書 | 偽造防止の措置を施した印鑑登録証明書を出力できること。
R M 帳票/照会/印鑑登録照会書 | 本人確認のための照会書を出力できること。
R M 帳票/登録証/印鑑登録証 | 印鑑登録証を出力できること。
R M 帳票/通知/印鑑登録抹消通知書 | 職権抹消の通知書を出力できること。
R O 帳票/台帳/印鑑登録原票 | 印鑑登録原票を出力できること。
R M 帳票/統計/印鑑登録件数表 | 登録・廃止・証明の件数の集計表を出力できること。
R M 帳票/台帳/交付履歴一覧 | 証明書の交付履歴の一覧を出力できること。
R O 帳票/通知/登録完了のお知らせ | 登録完了のお知らせを出力できること。
"""

SAMPLE = OperationSample(
    code="inkan",
    prefix="915",
    item_prefix="IN",
    department="住民課",
    system="印鑑登録システム（現行）",
    vendor="架空情報システム株式会社",
    product="さくら印鑑（架空）",
    profile=Profile(partial=0.05, gap=0.0, deferred=0, violations=0, optional_used=0.7, style="symbol"),
    requirements=REQUIREMENTS,
    custom=(
        custom("R", "abolish", "印鑑登録証の独自ケース印刷", "印鑑登録証を入れるケースに氏名を印字している。"),
    ),
)
