"""戸籍 (koseki): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9160201-, forms 9160011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 戸籍届出/受付/届書の受付 | 出生・婚姻・死亡等の届書を受け付けて受付帳に記録できること。
F M 戸籍届出/審査/届書の審査補助 | 届出事項の要件を審査するための確認項目を表示できること。
F M 戸籍届出/記載/戸籍の記載 | 届出に基づき戸籍に記載できること。
F M 戸籍届出/記載/他市町村への送付 | 本籍地が他市町村である届書の送付を管理できること。
F M 戸籍届出/記載/分籍・転籍の処理 | 分籍・転籍の届出に基づき新戸籍を編製できること。
F M 戸籍届出/届書等情報/届書等情報の作成 | 届書等情報を作成し、所定の連携先へ送信できること。
F M 証明/戸籍証明書/戸籍証明書の発行 | 戸籍全部事項証明書・個人事項証明書を発行できること。
F M 証明/戸籍証明書/本籍地以外での交付 | 本籍地以外の市町村で請求された戸籍証明書等を交付できること。
F M 証明/除籍/除籍証明書の発行 | 除籍全部事項証明書等を発行できること。
F O 証明/コンビニ交付/戸籍証明書のコンビニ交付 | 戸籍証明書をコンビニエンスストアで交付できること。
F M 証明/受理証明/受理証明書の発行 | 届出の受理証明書を発行できること。
F M 文字/文字管理/戸籍統一文字の管理 | 戸籍統一文字を用いて氏名等を管理できること。
F M 文字/振り仮名/氏名の振り仮名の記載 | 戸籍に氏名の振り仮名を記載できること。
F M 通知/住民記録/住民票記載事項通知 | 戸籍の届出に基づき住所地市町村へ住民票記載事項通知を送付できること。
F M 通知/附票/戸籍の附票への通知 | 戸籍の記載に伴い戸籍の附票へ連携できること。
F M 照会/戸籍照会/戸籍の検索 | 本籍・筆頭者・氏名から戸籍を検索できること。
F O 照会/戸籍照会/届出処理状況の照会 | 受付帳から届出の処理状況を照会できること。
F X 戸籍届出/記載/決裁前の記載確定 | 決裁を経ずに戸籍の記載を確定させる機能は実装しないこと。
F X 文字/文字管理/任意の外字作成 | 戸籍統一文字にない外字を任意に作成する機能は実装しないこと。
F M 統計/報告/戸籍事務の件数集計 | 届出の種類別の件数を集計できること。
F M 統計/人口動態/人口動態調査票の作成 | 出生・死亡等の人口動態調査票のデータを作成できること。
R M 帳票/証明/戸籍全部事項証明書 | 戸籍全部事項証明書を出力できること。
R M 帳票/証明/戸籍個人事項証明書 | 戸籍個人事項証明書を出力できること。
R M 帳票/証明/除籍全部事項証明書 | 除籍全部事項証明書を出力できること。
R M 帳票/受付/戸籍受付帳 | 戸籍受付帳を出力できること。
R M 帳票/証明/届書受理証明書 | 届書の受理証明書を出力できること。
R O 帳票/証明/届書記載事項証明書 | 届書の記載事項証明書を出力できること。
R M 帳票/通知/住民票記載事項通知書 | 住民票記載事項通知書を出力できること。
"""

SAMPLE = OperationSample(
    code="koseki",
    prefix="916",
    item_prefix="KS",
    department="住民課",
    system="戸籍情報システム（現行）",
    vendor="架空戸籍システム株式会社",
    product="さくら戸籍（架空）",
    profile=Profile(partial=0.08, gap=0.04, deferred=1, violations=1, optional_used=0.5),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "undecided", "改製原戸籍イメージの独自検索", "改製原戸籍の画像を独自の索引で検索している。"),
        custom("R", "euc", "月別届出件数の独自集計", "月別の届出件数を独自様式で集計している。"),
    ),
)
