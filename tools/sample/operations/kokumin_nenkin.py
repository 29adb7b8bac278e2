"""国民年金 (kokumin-nenkin): the sample's fictional catalogue and the town's side of it.

The town's current system, vendor and product, how far its mapping is
from the standard (``Profile``), and its own custom items.
"""

from __future__ import annotations

from ..model import OperationSample, Profile, custom

# One requirement a line (format: tables.py).  IDs are numbered per kind in table order
# (functions 9070201-, forms 9070011-): a line inserted mid-table renumbers those after it.
REQUIREMENTS = """
F M 被保険者/資格/第1号被保険者の資格取得 | 20歳到達・退職等による第1号被保険者の資格取得の届出を受け付けて登録できること。
F M 被保険者/資格/種別変更 | 第1号被保険者と第3号被保険者の間の種別変更の届出を処理できること。
F M 被保険者/資格/資格喪失 | 死亡・60歳到達等による資格喪失を処理できること。
F M 被保険者/任意加入/任意加入の受付 | 任意加入被保険者の申出を受け付けて登録できること。
F M 免除/申請/保険料免除申請の受付 | 保険料免除・納付猶予の申請を受け付けて登録できること。
F M 免除/申請/学生納付特例の受付 | 学生納付特例の申請を受け付けて登録できること。
F M 免除/法定免除/法定免除の届出 | 生活保護の受給等による法定免除の届出を処理できること。
F O 免除/申請/継続審査希望者の管理 | 免除の継続審査を希望する者を管理できること。
F M 免除/産前産後/産前産後期間の免除 | 産前産後期間の保険料免除の届出を受け付けて登録できること。
F M 給付/請求受付/老齢基礎年金の請求受付 | 老齢基礎年金の請求を受け付けて登録できること。
F M 給付/請求受付/障害基礎年金の請求受付 | 障害基礎年金の請求を受け付けて登録できること。
F M 給付/請求受付/遺族基礎年金の請求受付 | 遺族基礎年金の請求を受け付けて登録できること。
F O 給付/付加年金/付加保険料の納付申出 | 付加保険料の納付申出を受け付けて登録できること。
F M 給付/特別障害給付金/特別障害給付金の請求受付 | 特別障害給付金の請求を受け付けて登録できること。
F M 電子媒体/送付/届書データの送付 | 受け付けた届書の内容を日本年金機構へ電子媒体で送付できること。
F M 電子媒体/還元/還元データの取込 | 日本年金機構から受けた被保険者情報を取り込めること。
F M 照会/被保険者照会/資格・免除履歴の照会 | 被保険者ごとの資格・免除の履歴を照会できること。
F X 照会/被保険者照会/保険料納付記録の独自管理 | 保険料の納付記録を町で独自に管理する機能は実装しないこと。
F O 統計/集計/届書種別の件数集計 | 届書の種類別・月別の受付件数を集計できること。
F M 共通/連携/住民記録システムとの連携 | 20歳到達者及び住民異動の情報を受け取れること。
R M 帳票/届書/資格取得・種別変更届書 | 資格取得・種別変更の届書を出力できること。
R M 帳票/届書/保険料免除・納付猶予申請書 | 保険料免除・納付猶予の申請書を出力できること。
R M 帳票/送付/届書送付書 | 日本年金機構へ送付する届書の送付書を出力できること。
R M 帳票/台帳/国民年金被保険者名簿 | 被保険者名簿を出力できること。
R O 帳票/通知/加入手続のお知らせ | 20歳到達者への加入手続のお知らせを出力できること。
R M 帳票/受付/届書受付処理簿 | 届書の受付処理簿を出力できること。
"""

SAMPLE = OperationSample(
    code="kokumin-nenkin",
    prefix="907",
    item_prefix="NK",
    department="保険年金課",
    system="国民年金システム（現行）",
    vendor="架空情報システム株式会社",
    product="さくら国民年金（架空）",
    profile=Profile(partial=0.06, gap=0.04, deferred=0, violations=0, optional_used=0.7),
    requirements=REQUIREMENTS,
    custom=(
        custom("F", "abolish", "窓口来庁者の待ち時間記録", "年金窓口の待ち時間を記録している独自の表計算。"),
    ),
)
