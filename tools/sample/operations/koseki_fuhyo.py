"""戸籍の附票 (koseki-fuhyo): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9170201-, forms 9170011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 附票/記載/附票の記載 | 住所地市町村からの通知に基づき戸籍の附票に住所を記載できること。
F M 附票/記載/附票の作成 | 新戸籍の編製に伴い戸籍の附票を作成できること。
F M 附票/修正/記載の修正 | 通知に基づき附票の記載を修正できること。
F M 附票/消除/附票の消除 | 戸籍の消除・転籍に伴い附票を消除できること。
F O 附票/消除/除附票の保存期間管理 | 除かれた戸籍の附票の保存期間を管理できること。
F M 附票/国外転出者/国外転出者の記載 | 国外転出者の附票に国外転出の旨を記載できること。
F M 附票/本人確認情報/附票本人確認情報の送信 | 戸籍の附票の本人確認情報を所定の連携先へ送信できること。
F X 附票/記載/通知によらない住所の記載 | 住所地市町村からの通知によらずに住所を記載する機能は実装しないこと。
F M 証明/附票の写し/附票の写しの発行 | 戸籍の附票の写しを発行できること。
F M 証明/附票の写し/本籍・筆頭者の記載の選択 | 請求があった場合に限り本籍・筆頭者を記載した写しを発行できること。
F O 証明/コンビニ交付/附票の写しのコンビニ交付 | 戸籍の附票の写しをコンビニエンスストアで交付できること。
F M 証明/支援措置/支援措置対象者の交付制限 | 支援措置の対象者の附票の写しの交付を制限できること。
F M 証明/交付履歴/交付履歴の管理 | 附票の写しの交付履歴を管理できること。
F M 通知/住所地市町村/附票記載事項通知の送受信 | 住所地市町村との間で附票記載事項通知を送受信できること。
F M 照会/附票照会/附票の検索 | 本籍・筆頭者・氏名から附票を検索できること。
F O 照会/附票照会/住所履歴の照会 | 附票の住所の履歴を時系列で照会できること。
F M 共通/文字/戸籍統一文字の使用 | 氏名を戸籍統一文字で管理できること。
F M 共通/連携/戸籍情報システムとの連携 | 戸籍の記載・消除の情報を受け取り、附票に反映できること。
R M 帳票/証明/戸籍の附票の写し | 戸籍の附票の写しを出力できること。
R M 帳票/証明/除附票の写し | 除かれた戸籍の附票の写しを出力できること。
R M 帳票/通知/附票記載事項通知書 | 附票記載事項通知書を出力できること。
R M 帳票/台帳/附票一覧 | 本籍地区別の附票の一覧を出力できること。
R O 帳票/統計/附票異動件数表 | 附票の異動件数を集計して出力できること。
R O 帳票/証明/支援措置対象者一覧 | 支援措置の対象者の一覧を出力できること。
R M 帳票/交付履歴/交付履歴一覧 | 附票の写しの交付履歴の一覧を出力できること。
"""

SAMPLE = OperationSample(
    code="koseki-fuhyo",
    prefix="917",
    item_prefix="KF",
    department="住民課",
    system="戸籍附票システム（現行）",
    vendor="架空戸籍システム株式会社",
    product="さくら附票（架空）",
    profile=Profile(partial=0.05, gap=0.0, deferred=1, violations=0, optional_used=0.6),
    requirements=REQUIREMENTS,
)
