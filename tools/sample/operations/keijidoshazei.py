"""軽自動車税 (keijidoshazei): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9050201-, forms 9050011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 種別割/課税台帳/車両の登録 | 軽自動車・原動機付自転車・小型特殊自動車等の車両情報を登録できること。
F M 種別割/課税台帳/所有者・使用者の管理 | 車両ごとの所有者・使用者を管理できること。
F M 種別割/申告/申告の受付 | 窓口で受け付けた軽自動車税の申告（報告）書を登録できること。
F M 種別割/申告/申告データの取込 | 軽自動車検査協会等から受けた申告データを取り込めること。
F M 種別割/標識/標識番号の交付 | 原動機付自転車等の標識番号を払い出し、交付を管理できること。
F O 種別割/標識/独自デザイン標識の管理 | 独自デザインの標識の在庫と交付を管理できること。
F X 種別割/標識/標識番号の即時再交付 | 廃車直後の標識番号を同一年度内に再交付する機能は実装しないこと。
F M 種別割/名義変更/所有者の名義変更 | 譲渡等に伴う所有者の変更を管理できること。
F M 種別割/廃車/廃車の処理 | 廃車申告に基づき車両を課税対象から除外できること。
F M 種別割/税率/重課・軽課の判定 | 初度検査年月から経年車重課及び軽課を判定できること。
F M 種別割/減免/身体障害者等の減免 | 身体障害者等に対する減免の申請・決定を管理できること。
F O 種別割/減免/減免の継続確認 | 前年度の減免者に継続確認を行えること。
F M 種別割/課税/当初課税 | 賦課期日現在の所有者に当初課税を行えること。
F M 種別割/課税/課税保留 | 所在不明等の車両に課税保留を設定できること。
F X 種別割/課税/月割課税 | 種別割を月割で課税する機能は実装しないこと。
F M 環境性能割/申告/環境性能割の申告管理 | 環境性能割の申告納付の情報を受け付けて管理できること。
F M 照会/車両照会/車両・所有者の照会 | 標識番号・車台番号・所有者から車両を照会できること。
F M 継続検査/納付確認/納付確認データの提供 | 継続検査に用いる納付確認のデータを提供できること。
F O 統計/集計/車種別台数の集計 | 車種別・税率別の課税台数を集計できること。
F M 共通/連携/住民記録システムとの連携 | 住民異動に伴う所有者の住所・氏名の変更を反映できること。
F M 共通/連携/収納管理システムとの連携 | 課税データを収納管理システムへ連携できること。
R M 帳票/通知/軽自動車税納税通知書 | 種別割の納税通知書を出力できること。
R M 帳票/証明/継続検査用納税証明書 | 継続検査用の納税証明書を出力できること。
R M 帳票/標識/標識交付証明書 | 原動機付自転車等の標識交付証明書を出力できること。
R M 帳票/廃車/廃車申告受付書 | 廃車申告受付書を出力できること。
R M 帳票/減免/減免決定通知書 | 減免決定通知書を出力できること。
R O 帳票/減免/減免継続確認書 | 減免継続確認書を出力できること。
R M 帳票/台帳/軽自動車税課税台帳 | 軽自動車税の課税台帳を出力できること。
"""

SAMPLE = OperationSample(
    code="keijidoshazei",
    prefix="905",
    item_prefix="KE",
    department="税務課",
    system="軽自動車税システム（現行）",
    vendor="架空システムサービス株式会社",
    product="さくら軽自税（架空）",
    profile=Profile(partial=0.08, gap=0.05, deferred=0, violations=1, optional_used=0.6),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "external", "農耕用小型特殊の現地確認記録", "農耕作業用小型特殊自動車の現地確認の記録を管理している。"),
        custom("R", None, "標識返納督促はがき", "廃車未申告者への標識返納を促す独自はがき。"),
    ),
)
