"""児童手当 (jido-teate): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9130201-, forms 9130011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 認定/認定請求/認定請求の受付 | 児童手当の認定請求を受け付けて登録できること。
F M 認定/支給要件/支給要件児童の判定 | 18歳に達する日以後の最初の3月31日までの間にある児童を支給要件児童として判定できること。
F M 認定/手当額/手当額の算定 | 児童の数・年齢・出生順位に応じて手当額を算定できること。
F M 認定/額改定/額改定の処理 | 児童の増減に伴う額改定の請求・届出を処理できること。
F M 認定/消滅/受給資格の消滅 | 転出・児童の非監護等により受給資格を消滅できること。
F M 認定/公務員/公務員の受給資格の管理 | 公務員となった受給者の資格喪失等を管理できること。
F X 認定/手当額/手当額の任意設定 | 法定の算定によらない手当額を任意に設定する機能は実装しないこと。
F M 現況/現況確認/届出が必要な受給者の抽出 | 現況の確認のため届出が必要な受給者を抽出できること。
F M 支給/定期支払/定期支払 | 偶数月の定期支払を口座振込で行えること。
F M 支給/随時払/随時払 | 定期支払以外の随時払を行えること。
F O 支給/差止/支払差止の管理 | 届出の未提出等による支払差止を管理できること。
F M 支給/特別徴収/学校給食費等の徴収 | 受給者の申出に基づく学校給食費等の徴収を管理できること。
F M 支給/返還/過払金の返還管理 | 過払金の返還を管理できること。
F M 連携/情報連携/他団体への情報照会 | 転入者の手当の情報を他団体へ照会できること。
F M 連携/住民記録/住民異動の検知 | 住民異動に伴う受給者・児童の異動を検知できること。
F O 連携/電子申請/電子申請データの取込 | マイナポータルからの電子申請データを取り込めること。
F M 照会/受給者照会/受給者の照会 | 受給者ごとの認定・支給・児童の状況を照会できること。
F M 統計/報告/事業実績報告の集計 | 事業実績報告に必要な集計を行えること。
R M 帳票/通知/児童手当認定通知書 | 児童手当の認定通知書を出力できること。
R M 帳票/通知/額改定通知書 | 額改定通知書を出力できること。
R M 帳票/通知/受給事由消滅通知書 | 受給事由消滅通知書を出力できること。
R M 帳票/通知/支払通知書 | 支払通知書を出力できること。
R O 帳票/通知/現況届 | 現況届の用紙を出力できること。
R M 帳票/通知/却下通知書 | 却下通知書を出力できること。
R O 帳票/勧奨/認定請求勧奨通知 | 出生・転入者への請求勧奨通知を出力できること。
R M 帳票/台帳/受給者台帳 | 受給者台帳を出力できること。
"""

SAMPLE = OperationSample(
    code="jido-teate",
    prefix="913",
    item_prefix="JT",
    department="こども家庭課",
    system="児童手当システム（現行）",
    vendor="架空情報システム株式会社",
    product="さくら児童手当（架空）",
    profile=Profile(partial=0.08, gap=0.06, deferred=1, violations=0, optional_used=0.5),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "abolish", "出生祝金との重複確認", "町独自の出生祝金の支給と児童手当の請求を突き合わせている。"),
        custom("R", "euc", "月別支給額の集計表", "月別の支給額を独自に集計している。"),
    ),
)
