"""Message catalogue rows of usage and output errors raised by the library: the configuration, dates, locks,
output files, and the commands' own refusals (see :mod:`gapcheck.core.messages`):
key -> (Japanese template, English template)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # gapcheck.toml
    "config-unknown-setting": ("未知のパスの設定: {names}", "unknown path setting(s): {names}"),
    "config-missing": ("{path}: 設定ファイルがありません", "{path}: config file does not exist"),
    "config-not-regular": ("{path}: 通常のファイルではありません", "{path}: not a regular file"),
    "config-too-large": ("{path}: {kb} KB を超えていて gapcheck.toml ではありません", "{path}: larger than {kb} KB: not a gapcheck.toml"),
    "config-not-toml": ("{path}: 正しい TOML ファイルではありません: {why}", "{path}: not a valid TOML file: {why}"),
    "config-unknown-table": ("{path}: 未知の表かキー {names}（[paths] の表だけを書きます）",
                             "{path}: unknown table(s) or key(s) {names} (expected a [paths] table)"),
    "config-paths-table": ("{path}: [paths] は表でなければなりません", "{path}: [paths] must be a table"),
    "config-paths-quoted": ("{path}: [paths] の値は引用符で囲んだパスです（{kind} ではなく）: {names}",
                            "{path}: [paths] values must be quoted paths, not {kind}: {names}"),
    "config-unknown-key": ("{path}: [paths] に未知のキー {names}（使えるキー: {keys}）",
                           "{path}: unknown key(s) in [paths]: {names} (expected {keys})"),
    # dates
    "date-range": ("{what}は {first} から {last} までの日付です（指定: {value}）", "{what} must be a date from {first} to {last}, not {value}"),
    "the-as-of-date": ("基準日", "the as-of date"),
    # locks and output files
    "cannot-create-lock": ("{target} のロックファイルを作れません: {why}", "cannot create the lock file of {target}: {why}"),
    "lock-not-regular": ("ロックファイルが通常のファイルではありません。移動してください", "the lock file is not a regular file; move it away"),
    "output-exists": ("{path}: 内容の違うファイルがすでにあります。置き換えるなら --force を使ってください",
                      "{path}: exists with different content; use --force to replace it"),
    "cannot-replace-kept": ("ファイルを置き換えられません: {why}。元のファイルはそのままです", "cannot replace the file: {why}; the old file is kept"),
    "cannot-write-kept": ("書き込めません: {why}。何も置き換えず、元のファイルはそのままです",
                          "cannot write: {why}; nothing was replaced, the previous files are kept"),
    "cannot-create-folder": ("出力フォルダを作れません: {why}", "cannot create the output folder: {why}"),
    "is-not-a-folder": ("フォルダではありません", "is not a folder"),
    "kind-symlink": ("シンボリックリンク", "a symbolic link"),
    "cannot-look-at": ("ファイルを調べられません: {why}", "cannot look at the file: {why}"),
    "output-not-regular": ("{kind}で、通常のファイルではありません: gapcheck が書くのは通常のファイルだけです。移動してください",
                           "is {kind}, not a regular file: gapcheck writes only regular files; move it away"),
    "cannot-read-to-compare": ("比べるためにファイルを読めません: {why}", "cannot read the file to compare it: {why}"),
    "input-changed": ("{path}: 取り込みの途中で別の実行が変更しました。何も書き込んでいません: もう一度実行してください",
                      "{path}: changed by another run while this one was merging into it; nothing was written: run the command again"),
    "read-only": ("{path}: 読み取り専用です。書き込めるようにするか --force を使ってください", "{path}: is read-only; make it writable or use --force"),
    "refused-one": ("{what}。何も書き込んでいません", "{what}; nothing was written"),
    "refused-many": ("{n} 件のファイルを置き換えられないため、何も書き込んでいません: {what}",
                     "{n} file(s) cannot be replaced, so nothing was written: {what}"),
    "joined": ("{first}。{rest}", "{first}; {rest}"),
    "path-message": ("{path}: {message}", "{path}: {message}"),
    "conflicts": ("gapcheck が書いたのではない内容のファイルが {n} 件あります: {files}。移動するか --force を使ってください",
                  "{n} file(s) exist with content gapcheck did not write: {files}; move them away or use --force"),
    "cannot-replace-some": ("ファイルを置き換えられません: {why}。{n} 件のうち {renamed} 件は置き換え済みで、gapcheck のものとして記録しています",
                            "cannot replace the file: {why}; {renamed} of {n} file(s) were replaced and are known as gapcheck's"),
    # the commands' own refusals
    "no-inventory-municipality": ("{folder} に団体を示す現行機能一覧がありません: 先に `gapcheck init` を実行してください",
                                  "no inventory file names the municipality in {folder}: run `gapcheck init` first"),
    "items-would-be-removed": ("。{n} 件の機能が消えます: {ids}", "; {n} item(s) would be removed: {ids}"),
    "inventory-exists": ("{path}: {code} の現行機能一覧（{old} 件）がすでにあります。読み込んだ {n} 件で置き換えるなら --force を使ってください{gone}",
                         "{path}: already holds the inventory of {code} ({old} item(s)); use --force to replace it with the "
                         "{n} item(s) read{gone}"),
    "inventory-split": ("{code} の現行機能一覧が {files} に分かれています。取り込むには 1 つのファイルにまとめてください",
                        "the inventory of {code} is split over {files}; keep it in one file to import into"),
    "not-an-inventory-file": ("{path}: 現行機能一覧ではないファイルがあります。{code} の現行機能一覧を取り込むには移動してください",
                              "{path}: exists and is not an inventory file; move it away to import the inventory of {code}"),
    "no-mapping-to-export": ("書き出せる {code} の対応表（対応のあるもの）がありません（mappings/ に {name} のものがない）",
                             "no mapping of {code} with links to export (mappings/ holds none for {name})"),
    "no-plan": ("{path}: 移行計画がありません。先に `gapcheck init` を実行するか、gapcheck.toml にパスを書いてください（plan =）",
                "{path}: no migration plan; run `gapcheck init` first, or give its path in gapcheck.toml (plan =)"),
    "not-a-plan": ("{path}: 移行計画ではありません（gapcheck: plan/1）", "{path}: not a migration plan (gapcheck: plan/1)"),
    "no-catalogue-import": ("{code} のカタログが読み込まれていません。`gapcheck spec import` で取り込んでください",
                            "no catalogue of {code} is loaded; import one with `gapcheck spec import`"),
    "not-a-loaded-mapping": ("{mapping}: 版 {version} 以前に対して作った、読み込まれた {code} の対応表ではありません",
                             "{mapping}: not a loaded mapping of {code} made against version {version} or older"),
    "several-mappings": ("{code} {version} の対応表が {n} つあります（{files}）。--mapping で 1 つを選ぶか --blank を使ってください",
                         "{n} mappings of {code} {version} ({files}); choose one with --mapping, or use --blank"),
    "init-operations-or-not": ("--operations（対象の業務）か --not-applicable（対象外の業務）のどちらか一方を指定してください",
                               "give either --operations (those that apply) or --not-applicable (those that do not), not both"),
    "init-code": ("--code は 6 桁の全国地方公共団体コードです: {why}", "--code takes the 6-digit 全国地方公共団体コード: {why}"),
    "init-exists": ("{n} 件のファイルがすでにあります: {files}。gapcheck init は上書きしません（移動するか、別のフォルダで始めてください）",
                    "{n} file(s) exist already: {files}; gapcheck init never overwrites (move them away, or start in another folder)"),
}

MESSAGES.update({
    "font-warning": ("warning: 日本語のフォントが見つからないため、グラフは英語と業務コードで表示します。フォントを入れて（例: apt-get install {package}）もう一度実行してください",
                     "warning: no Japanese font found: the charts are labelled in English with operation codes; install one "
                     "(e.g. apt-get install {package}) and run again"),
})
