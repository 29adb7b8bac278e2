"""介護保険 (kaigo): two catalogue versions, "5.0" and "6.0", and the town's side of it.

The "5.0" table gives its IDs; five of them, with their names, are quoted
from the published specification (``KAIGO_REAL``), the rest is fictional.
"6.0" is "5.0" with the changes listed in ``KAIGO_DIFF_HEAD``, so that a
diff and stale/broken links have something to show.  The vendor mapped
against the older "5.0" on purpose, and a few states are forced so that the
changed requirements are linked.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import (
    FORBIDDEN,
    MANDATORY,
    REAL_NOTE,
    Catalogue,
    OperationSample,
    Profile,
    Req,
    custom,
)
from ..tables import parse_table

# One requirement a line (format: tables.py), IDs given.
KAIGO_V5 = """
0230201 F M 認定/申請/要介護認定申請の受付 | 要介護・要支援認定の新規・更新・区分変更申請を受け付けて登録できること。
0230205 F M 認定/認定調査/認定調査の依頼管理 | 認定調査の依頼先・実施日・調査票の受領を管理できること。
0230210 F O 認定/主治医意見書/主治医意見書の依頼管理 | 主治医意見書の依頼日・受領日を管理できること。
0230215 F M 認定/審査会/介護認定審査会資料の作成 | 介護認定審査会に諮る審査対象者の一覧と資料を作成できること。
0230220 F M 認定/結果/認定結果の登録 | 審査会の判定結果（要介護状態区分・有効期間）を登録できること。
0230225 F M 認定/更新/更新対象者の抽出 | 有効期間満了前の更新申請勧奨対象者を抽出できること。
0230230 F O 認定/審査会/審査会委員の報酬管理 | 審査会委員の出席状況と報酬を管理できること。
0230251 F M 資格管理/資格取得/第1号被保険者の資格取得 | 65歳到達により第1号被保険者の資格を取得させ、資格取得日を管理できること。
0230255 F M 資格管理/資格取得/第2号被保険者の資格取得 | 要介護認定を申請した第2号被保険者の資格を登録できること。
0230260 F M 資格管理/住所地特例/住所地特例者の管理 | 住所地特例対象施設への入所者を住所地特例者として管理できること。
0230265 F M 資格管理/資格異動/住民異動に伴う資格異動 | 住民記録システムから受けた異動情報（転入・転出・死亡等）に基づき資格を取得・喪失できること。
0230270 F M 資格管理/適用除外/適用除外者の管理 | 適用除外施設の入所者について適用除外の期間を管理できること。
0230275 F M 資格管理/被保険者番号/被保険者番号の付番 | 資格取得時に被保険者番号を付番できること。
0230280 F M 資格管理/被保険者番号/被保険者番号の変更 | 付番済みの被保険者番号を画面から任意に変更できること。
0230286 F M 資格管理/被保険者証/被保険者証の出力 | 被保険者証を交付対象者ごとに出力できること。
0230290 F O 資格管理/被保険者証/被保険者証の一斉更新 | 被保険者証の一斉更新の対象者を抽出できること。
0230301 F M 賦課/所得段階/所得段階の判定 | 住民税の課税状況と本人の所得から保険料の所得段階を判定できること。
0230305 F M 賦課/本算定/本算定の一括計算 | 当該年度の所得確定後に保険料の本算定を一括計算できること。
0230310 F M 賦課/月割/資格異動に伴う月割賦課 | 年度途中の資格取得・喪失に応じて保険料を月割で再計算できること。
0230315 F M 賦課/特別徴収/特別徴収対象者の判定 | 年金保険者から受けた特別徴収対象者情報により特別徴収の対象を判定できること。
0230320 F M 賦課/特別徴収/仮徴収額の算定 | 前年度の特別徴収額をもとに仮徴収額を算定できること。
0230325 F O 賦課/減免/保険料減免の管理 | 災害等による保険料減免の申請・決定を管理できること。
0230331 F M 収納/消込/口座振替結果の消込 | 金融機関から受けた口座振替結果を取り込み消込できること。
0230335 F M 収納/督促/督促状発行対象の抽出 | 納期限を経過した未納者を抽出できること。
0230340 F O 収納/滞納/給付制限の管理 | 保険料滞納者に対する支払方法変更・給付額減額等の給付制限を管理できること。
0230345 F X 収納/消込/収納履歴の一括削除 | 消込済みの収納履歴を、履歴を残さず一括削除する機能は実装しないこと。
0230351 F M 給付/負担割合/負担割合の判定 | 所得情報から利用者負担割合（1割・2割・3割）を判定できること。
0230355 F M 給付/高額介護サービス費/高額介護サービス費の支給決定 | 国保連合会から受けた給付実績をもとに高額介護サービス費を算定し、支給決定できること。
0230360 F M 給付/特定入所者/負担限度額の認定 | 特定入所者介護サービス費の負担限度額を認定できること。
0230365 F O 給付/償還払い/住宅改修費の支給 | 住宅改修費の事前申請・支給申請を管理できること。
0230370 F X 給付/国保連/給付実績の直接修正 | 国保連合会から受けた給付実績を画面で直接修正する機能は実装しないこと。
0230010 R M 帳票/資格/介護保険被保険者証 | 介護保険被保険者証を出力できること。
0230014 R M 帳票/資格/被保険者証等再交付申請書 | 被保険者証等の再交付申請書を出力できること。
0230016 R M 帳票/資格/資格取得・異動・喪失届 | 資格の取得・異動・喪失の届出様式を出力できること。
0230021 R M 帳票/賦課/介護保険料額決定通知書 | 保険料額の決定・変更を通知する帳票を出力できること。
0230025 R M 帳票/賦課/特別徴収開始通知書 | 特別徴収の開始を通知する帳票を出力できること。
0230031 R M 帳票/収納/納入通知書 | 普通徴収の納入通知書を出力できること。
0230035 R M 帳票/収納/督促状 | 督促状を出力できること。
0230041 R M 帳票/認定/要介護認定等結果通知書 | 認定結果の通知書を出力できること。
0230045 R M 帳票/認定/主治医意見書作成依頼書 | 主治医意見書の作成依頼書を出力できること。
0230051 R M 帳票/給付/介護保険負担割合証 | 介護保険負担割合証を出力できること。
0230055 R M 帳票/給付/負担限度額認定証 | 介護保険負担限度額認定証を出力できること。
0230061 R O 帳票/給付/高額介護サービス費支給申請勧奨通知 | 支給対象者への申請勧奨通知を出力できること。
"""
KAIGO_REAL = ("0230265", "0230275", "0230286", "0230010", "0230014")
KAIGO_ADDED = """
0230245 F M 認定/電子申請/マイナポータルからの申請取込 | マイナポータルから受けた要介護認定申請データを取り込み、申請を登録できること。
0230047 R O 帳票/認定/認定有効期間満了のお知らせ | 更新申請を促すお知らせを出力できること。
"""
KAIGO_REMOVED = ("0230230", "0230270")
KAIGO_REWORDED = {
    "0230305": "当該年度の所得確定後に保険料の本算定を一括計算し、仮徴収額との差額を以後の納期に割り振れること。",
    "0230351": "本人の合計所得金額及び同一世帯の第1号被保険者の年金収入等から利用者負担割合（1割・2割・3割）を判定し、判定根拠を保持できること。",
}
KAIGO_RETITLED = {"0230335": "督促対象者の抽出"}
KAIGO_RECLASSIFIED = {"0230210": MANDATORY, "0230280": FORBIDDEN}
KAIGO_DIFF_HEAD = (
    "第5.0版 → 第6.0版 の差分（このサンプル上の架空の改版。公式の改版内容ではありません）:",
    "  追加（6.0のみ）: 0230245 マイナポータルからの申請取込, 0230047 認定有効期間満了のお知らせ",
    "  削除（5.0のみ）: 0230230 審査会委員の報酬管理, 0230270 適用除外者の管理",
    "  要件文の変更: 0230305 本算定の一括計算, 0230351 負担割合の判定",
    "  名称の変更: 0230335 督促状発行対象の抽出 → 督促対象者の抽出",
    "  実装区分の変更: 0230210 標準オプション→実装必須, 0230280 実装必須→実装不可",
)

KAIGO_MAPPING_HEAD = (
    "この比較分析は旧版（第5.0版）に対して作成したものです。第6.0版で分析すると、削除された要件へのリンクは",
    "broken、要件文・名称・実装区分が変わった要件へのリンクは stale（要再確認）になります。",
)


def kaigo_versions() -> dict[str, list[Req]]:
    """介護保険 "5.0" and "6.0": real IDs marked as such, the rest fictional."""
    v5 = [replace(r, note=REAL_NOTE) if r.id in KAIGO_REAL else r for r in parse_table(KAIGO_V5, "023")]
    v6: list[Req] = []
    for r in v5:
        if r.id in KAIGO_REMOVED:
            continue
        r = replace(r, summary=KAIGO_REWORDED.get(r.id, r.summary), title=KAIGO_RETITLED.get(r.id, r.title),
                    klass=KAIGO_RECLASSIFIED.get(r.id, r.klass))
        v6.append(r)
    v6 += parse_table(KAIGO_ADDED, "023")
    v6.sort(key=lambda r: (r.kind != "function", r.id))
    return {"5.0": v5, "6.0": v6}


def kaigo_head(version: str) -> tuple[str, ...]:
    """The heading of one version's catalogue file, with the (fictional) differences."""
    return (
        f"SAMPLE / synthetic: 介護保険システム標準仕様書 第{version}版（サンプル・架空）. NOT the official specification.",
        "prefix 023 は介護保険の仕様番号。ID・名称が公表仕様書に基づくのは note に明記した5件",
        "（0230265, 0230275, 0230286, 0230010, 0230014）のみで、その実装区分と要件文もサンプルです。",
        "その他の要件（note: 架空（サンプル））はすべて架空です。",
        "",
        *KAIGO_DIFF_HEAD,
    )


def catalogues(_name: str) -> list[Catalogue]:
    """Both versions, in order."""
    return [Catalogue(version, kaigo_head(version), f"介護保険システム標準仕様書 第{version}版（サンプル・架空）",
                      "gapcheck サンプルデータ（架空。一部のID・名称のみ公表仕様書に基づく）",
                      "サンプル。公式の標準仕様書ではない。", reqs)
            for version, reqs in kaigo_versions().items()]


SAMPLE = OperationSample(
    code="kaigo",
    prefix="023",
    item_prefix="KG",
    department="介護保険課",
    system="介護保険システム（現行）",
    vendor="架空ソリューションズ株式会社",
    product="さくら介護保険（架空）",
    profile=Profile(partial=0.12, gap=0.1, deferred=2, violations=1, optional_used=0.5, style="mixed"),
    custom=(
        custom("F", "undecided", "認定調査員の日程調整表", "認定調査員ごとの訪問予定を独自画面で調整している。"),
        custom("R", "abolish", "要介護度別の独自案内文", "要介護度ごとに異なる独自の案内文を出力している。"),
        custom("F", "replace", "保険料減免の独自台帳", "減免の申請・決定を独自台帳で管理している。", replace_by="保険料減免の管理"),
        custom("F", "external", "見守りネットワーク登録者管理", "地域の見守りネットワークの登録者を管理している。"),
        custom("R", None, "介護サービス事業所一覧", "町内の介護サービス事業所の一覧を独自に出力している。"),
    ),
    forced={"0230270": "fit", "0230305": "fit", "0230280": "fit", "0230335": "partial"},
    catalogues=catalogues,
    mapped_version="5.0",
    mapping_head=KAIGO_MAPPING_HEAD,
)
