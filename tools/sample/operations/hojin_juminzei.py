"""法人住民税 (hojin-juminzei): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9040201-, forms 9040011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 法人管理/登録/法人の登録 | 法人設立・設置届出書に基づき法人の名称・所在地・事業年度等を登録できること。
F M 法人管理/異動/法人の異動 | 異動届出書に基づき名称・所在地・事業年度・資本金等の変更を管理できること。
F M 法人管理/異動/解散・清算の管理 | 解散及び清算結了の届出を管理できること。
F M 法人管理/事業所/事業所等の管理 | 町内の事業所等の所在地・従業者数を管理できること。
F O 法人管理/法人番号/法人番号による照合 | 法人番号を用いて国税庁が公表する法人情報と照合できること。
F M 申告/受付/申告書の受付 | 確定申告・中間申告・修正申告を受け付けて登録できること。
F M 申告/受付/eLTAX申告データの取込 | eLTAXで受けた申告データを取り込めること。
F M 申告/審査/均等割額の審査 | 資本金等の額と従業者数から均等割額を審査できること。
F M 申告/審査/法人税割額の審査 | 法人税額及び分割基準から法人税割額を審査できること。
F M 申告/審査/分割基準の審査 | 複数団体に事業所等を有する法人の分割基準を審査できること。
F M 申告/予定申告/予定申告対象法人の抽出 | 前事業年度の実績から予定申告の対象法人を抽出できること。
F M 申告/未申告/未申告法人の抽出 | 申告期限を経過した未申告法人を抽出できること。
F M 更正/更正・決定/更正・決定の処理 | 申告内容の誤りに対し更正・決定を行い、税額を算定できること。
F M 更正/延滞金/延滞金の計算 | 申告期限後の納付に対する延滞金を計算できること。
F O 更正/加算金/加算金の計算 | 不申告加算金・過少申告加算金を計算できること。
F M 還付/還付/還付加算金の計算 | 還付金に加算する還付加算金を計算できること。
F M 国税連携/法人税/国税連携データの取込 | 国税当局から受けた法人税の更正・決定データを取り込めること。
F M 照会/法人照会/申告履歴の照会 | 法人ごとの申告・納付履歴を照会できること。
F X 照会/法人照会/申告データの外部一括出力 | 申告データを管理外の媒体へ一括出力する機能は実装しないこと。
F O 統計/集計/業種別集計 | 業種別・規模別の申告額を集計できること。
R M 帳票/申告/予定申告書 | 予定申告対象法人に申告書用紙を出力できること。
R M 帳票/申告/申告書送付案内 | 申告書の送付案内を出力できること。
R M 帳票/通知/更正・決定通知書 | 更正・決定の通知書を出力できること。
R M 帳票/通知/還付通知書 | 還付通知書を出力できること。
R M 帳票/督促/申告督促状 | 未申告法人への申告督促状を出力できること。
R O 帳票/証明/法人住民税納税証明書 | 法人住民税の納税証明書を出力できること。
R M 帳票/台帳/法人台帳 | 法人台帳を出力できること。
"""

SAMPLE = OperationSample(
    code="hojin-juminzei",
    prefix="904",
    item_prefix="HJ",
    department="税務課",
    system="法人住民税システム（現行）",
    vendor="架空システムサービス株式会社",
    product="さくら法人税（架空）",
    profile=Profile(partial=0.1, gap=0.08, deferred=1, violations=0, optional_used=0.5),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "abolish", "商工会会員との突合", "商工会の会員名簿と法人台帳を突き合わせる独自処理。"),
        custom("R", "euc", "法人数の年度推移表", "業種別法人数の年度推移表を独自に作成している。"),
    ),
)
