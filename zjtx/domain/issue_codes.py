"""The registry of data-quality issue codes: severity, Chinese title and meaning of each."""

from __future__ import annotations

from dataclasses import dataclass

from zjtx.domain.issues import Severity


@dataclass(frozen=True, slots=True)
class IssueCode:
    """One kind of issue the intake or the store can report (frictionless-style error type).

    Attributes:
        code: kebab-case identifier stored with every issue and every acknowledgement.
        severity: the severity the issue is reported with.
        title: short Chinese name shown to evaluators.
        description: Chinese sentence saying what the issue means.
        also: further severities the same code is reported with in some cases.
    """

    code: str
    severity: Severity
    title: str
    description: str
    also: tuple[Severity, ...] = ()

    @property
    def severities(self) -> tuple[Severity, ...]:
        return (self.severity, *self.also)

    @property
    def acknowledgeable(self) -> bool:
        """Whether an evaluator can acknowledge it with a reason (warnings only)."""
        return Severity.WARNING in self.severities


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: notice (info)

_CODES = (
    # The file as a whole.
    IssueCode("file-not-found", E, "文件不存在", "给出的文件路径不存在。"),
    IssueCode("file-unreadable", E, "文件无法打开", "文件存在但无法打开（权限或磁盘问题）。"),
    IssueCode(
        "file-format-unsupported",
        E,
        "文件类型不支持",
        "只能读取 xlsx、xls、csv、json 和 Word（docx）文件。",
    ),
    IssueCode("file-encrypted", E, "文件已加密", "工作簿设有打开密码，需先解除加密。"),
    IssueCode(
        "table-ragged", E, "表格行列不整齐", "Word 表格各行的列数不同，无法确定单元格对应的栏目。"
    ),
    IssueCode(
        "year-anchor-conflict",
        E,
        "近一年与批次年度不符",
        "表中注明的近一年对应财务年度与本批次的上一年度不一致。",
    ),
    IssueCode(
        "year-order-ambiguous",
        E,
        "年度列无法确定",
        "近一年、近两年、近三年的排列与表中的说明相矛盾，无法确定各列年度。",
    ),
    IssueCode("year-window", N, "多年合计未读取", "近两年、近三年的合计或平均值不是某一年的数据。"),
    IssueCode(
        "year-window-ambiguous",
        W,
        "年度含义不明",
        "“近两年…”可能是两年合计，也可能是某一年的数据，未读取。",
    ),
    IssueCode("year-relative", N, "相对年度", "近一年、近两年等按规则换算为具体年度。"),
    IssueCode(
        "reading-chosen", N, "读法", "工作簿按一家企业的申报材料或按名单（每行一家）读取的理由。"
    ),
    IssueCode("profile-applied", N, "已保存的对应关系", "按评审人保存的对应关系读取了该文件。"),
    IssueCode("ip-list-counted", N, "知识产权清单计数", "从知识产权清单计得的Ⅰ类、Ⅱ类项数。"),
    IssueCode(
        "ip-type-unknown", W, "知识产权类型不明", "清单中的类型不在知识产权类别表中，未计入。"
    ),
    IssueCode(
        "ip-related-unknown",
        W,
        "是否相关不明",
        "清单中“是否与主导产品相关”不是是或否，相关的项数未填入（待补充）。",
    ),
    IssueCode(
        "ip-acquisition-unknown", W, "获得方式不明", "清单中的获得方式看不出是自主研发还是受让。"
    ),
    IssueCode(
        "ip-transfer-recent", W, "受让未满1年", "受让的Ⅰ类知识产权未满1年或未填受让日期，未计入。"
    ),
    IssueCode(
        "ip-applied-unknown",
        W,
        "是否已应用不明",
        "清单中“是否已实际应用并产生经济效益”不是是或否，已应用的项数未填入（待补充）。",
    ),
    IssueCode(
        "ip-column-ignored", W, "知识产权清单列未读取", "知识产权清单中不能识别的列，未读取。"
    ),
    IssueCode(
        "ip-definition-undecided",
        W,
        "知识产权口径未定",
        "未填申报类型，新申报与复核的Ⅰ类知识产权口径不同、计得的项数不同，这些项数未填入。",
    ),
    IssueCode(
        "ip-count-mismatch", W, "知识产权项数不一致", "申请书填写的项数与知识产权清单计得的不同。"
    ),
    IssueCode("year-not-needed", N, "年度不需要", "该年度的数据本批次不需要，未读取。"),
    IssueCode("file-corrupt", E, "文件已损坏", "文件或其中的工作表已损坏，无法读取。"),
    IssueCode("file-encoding", E, "编码无法识别", "CSV 文件的编码不是 UTF-8 或 GBK。"),
    IssueCode("file-too-large", E, "文件过大", "文件超过了可读取的大小上限。"),
    IssueCode("file-skipped", N, "文件已跳过", "文件夹中不是申报材料的文件未读取。"),
    IssueCode(
        "file-read-as-web-table",
        N,
        "按网页表格读取",
        "扩展名为 Excel 的网页（HTML）文件按其中的表格读取。",
    ),
    IssueCode("file-read-as-csv", N, "按 CSV 读取", "扩展名为 Excel 的逗号分隔文本按 CSV 读取。"),
    IssueCode(
        "file-read-by-content",
        N,
        "按内容读取",
        "扩展名与内容不符的工作簿或 Word 文档（如另存为 .xls 的 .xlsx）按其内容读取。",
    ),
    IssueCode("docx-revisions", N, "含未接受的修订", "Word 文档中未接受的修订按修订后的文字读取。"),
    IssueCode("file-empty", E, "文件为空", "文件是 0 字节：网盘未下载的占位文件或复制未完成。"),
    IssueCode(
        "archive-in-folder", W, "文件夹中的压缩包", "文件夹中的压缩包未读取：如未解压，须先解压。"
    ),
    IssueCode("folder-empty", E, "文件夹中没有申报文件", "导入的文件夹中没有可读取的申报文件。"),
    IssueCode(
        "folder-unreadable",
        E,
        "文件夹无法读取",
        "导入的文件夹或其中的子文件夹没有权限打开（或网络共享已断开），其中的文件都没有读取。",
    ),
    IssueCode(
        "link-broken",
        E,
        "链接指向的文件不存在",
        "文件夹中的链接（快捷方式）指向的文件不存在或无法访问，没有读取。",
    ),
    IssueCode(
        "link-not-followed",
        W,
        "链接未读取",
        "文件夹中指向文件夹的链接和 Windows 快捷方式没有读取，它们指向的文件不在本次导入中。",
    ),
    IssueCode("json-invalid", E, "JSON 内容有误", "JSON 文件格式或其中的记录不符合要求。"),
    IssueCode("sheet-too-large", E, "工作表过大", "工作表的行数或列数超过了上限。"),
    IssueCode("sheet-skipped", N, "工作表已跳过", "不含企业名单的工作表未读取。"),
    IssueCode(
        "sheet-for-reference",
        W,
        "供参考的工作表",
        "名称表明是往年、供参考、作废或示例名单的工作表：与本批次的名单并列时其中的企业未导入，"
        "只有它时照常读取并提请核实。",
    ),
    IssueCode("cell-too-large", E, "单元格内容过长", "某个单元格的内容超过了可读取的长度。"),
    IssueCode(
        "form-several-applicants", E, "一份申请书多家企业", "一份申请书中填写了不止一家企业。"
    ),
    IssueCode(
        "form-enterprises-as-columns", E, "每列一家企业", "每列一家企业的名单需转置后再导入。"
    ),
    IssueCode("form-empty", N, "申报表为空", "申报表没有填写任何内容，已跳过。"),
    # The header of a roster.
    IssueCode("header-not-found", E, "找不到表头", "工作表中找不到企业名单的表头行。"),
    IssueCode("header-repeated", N, "表头重复出现", "名单中间重复出现的表头行已跳过。"),
    IssueCode(
        "csv-row-too-wide",
        E,
        "文本行多出值",
        "CSV 的一行比表头多出值：数字被逗号拆开时其后各值已错位，该行未导入；否则多出的值未读取。",
        also=(W,),
    ),
    IssueCode("header-year-missing", E, "列未注明年度", "需要年度的列没有注明年度，该列未导入。"),
    IssueCode("header-unit-invalid", E, "列单位无效", "列名中的单位无法识别，该列未导入。"),
    IssueCode(
        "year-out-of-round",
        W,
        "年度不在本批次",
        "列或单元格的年度在本批次考察的年度之前，该列未导入，企业的其余数据照常导入。",
    ),
    IssueCode(
        "year-column-not-read",
        W,
        "非完整年度的列未导入",
        "列（或行）的年度是本批次年度或其后、尚未结束，或只是某年的一部分（如“2026年1-5月”"
        "“2026年上半年”）：本批次按已结束的完整年度评价，该列未导入，企业的其余数据照常导入。",
    ),
    IssueCode("column-missing", E, "缺少必需列", "名单缺少必需的字段列，每行都无法导入。"),
    IssueCode(
        "value-looks-like-label",
        W,
        "值像是栏目名称",
        "栏目旁填的是另一个栏目的名称（如表头），不像是所填的内容，未导入。",
    ),
    IssueCode(
        "lead-products-summed",
        N,
        "主导产品按各产品合计",
        "主导产品情况表列有多种产品：名称合并读取，销售收入按各产品之和读取（主导产品指收入之和"
        "占营业收入 50% 以上的产品）。",
    ),
    IssueCode(
        "lead-product-table-unread",
        W,
        "主导产品收入未能合计",
        "主导产品情况表中某种产品的销售收入缺失或无法读取（无法合计），或合计行与各产品之和不符。",
    ),
    IssueCode(
        "lead-product-other-row",
        W,
        "其他产品未计入主导产品",
        "主导产品情况表中“其他”“其他产品”“其余”一行不是主导产品，其收入未计入主导产品销售收入。",
    ),
    IssueCode("label-ignored", W, "栏目未读取", "申报表中不在字段目录里的栏目，旁边的数值未导入。"),
    IssueCode(
        "label-text-ignored",
        N,
        "文字栏目未读取",
        "申报表中不在字段目录里的栏目（如联系人、地址），所填的文字或号码未导入。",
    ),
    IssueCode(
        "question-wording-other",
        W,
        "问题按另一版表述回答",
        "申报表按另一版评价标准的表述回答了某个问题（如 2022 年标准的“近三年发生重大安全…"
        "偷漏税等违法违规行为”），与本批次评价标准的问法不同：这一回答不能作为本批次问题的回答，"
        "未导入（不按字段目录检查时，说明哪些批次不会采用它）。",
    ),
    IssueCode("column-ignored", W, "列已忽略", "列名不是字段目录中的字段，该列未导入。"),
    IssueCode("column-ignored-manual", N, "列按更正忽略", "评审人员更正为忽略的列未导入。"),
    IssueCode("column-mapped-manual", N, "列按更正读取", "列按评审人员的更正读作某个字段。"),
    IssueCode("column-hidden", N, "隐藏列", "工作簿中被隐藏的列已照常读取。"),
    IssueCode(
        "number-format-scaled",
        W,
        "数字格式缩小显示",
        "单元格的数字格式把存储的数值缩小显示（如按万元显示元），按显示的数值读取。",
        also=(N,),  # a note when the format names the unit it shows
    ),
    IssueCode(
        "figure-in-merged-cell", W, "数值跨行合并", "跨几家企业合并的数值只读作第一家的，请核对。"
    ),
    IssueCode(
        "value-across-columns", W, "值跨栏合并", "跨几个栏目合并的值只读作第一个栏目的，请核对。"
    ),
    IssueCode(
        "sheet-repeats-others", N, "重复的工作表", "逐行重复其他工作表的汇总表或副本未重复导入。"
    ),
    IssueCode("row-hidden", N, "隐藏行", "工作表中被隐藏（或被筛选掉）的行已照常读取。"),
    IssueCode("sheet-hidden", N, "隐藏的工作表", "工作簿中被隐藏的工作表中的名单已照常读取。"),
    IssueCode(
        "sheet-hidden-only",
        W,
        "仅见于隐藏的工作表",
        "企业只出现在被隐藏的工作表中，须核实它属于本批次申报。",
    ),
    IssueCode("column-duplicate", N, "同一字段多列", "两列是同一字段，两列的值必须一致。"),
    IssueCode("unit-assumed", N, "未注明单位", "金额列未注明单位，按万元读取。"),
    IssueCode(
        "unit-from-note", N, "单位取自表头上方", "金额列未注明单位，按表头上方的单位说明读取。"
    ),
    IssueCode("total-row-skipped", N, "合计行已跳过", "名单中的合计、小计行不是企业，已跳过。"),
    IssueCode(
        "value-from-merged-cell", N, "取自合并单元格", "向下合并的单元格的值用于所覆盖的每一行。"
    ),
    # One cell or one value.
    IssueCode("cell-error-value", E, "单元格是错误值", "单元格是 #DIV/0! 等 Excel 错误值。"),
    IssueCode("formula-not-calculated", E, "公式未计算", "公式单元格没有保存计算结果。"),
    IssueCode(
        "cell-picture", E, "单元格中是图片", "WPS 嵌入单元格的图片（DISPIMG）不是数据，须改填数据。"
    ),
    IssueCode("conflicting-values", E, "同一字段值不一致", "同一字段的两处填写不一致。"),
    IssueCode("value-unreadable", E, "值无法识别", "单元格的内容不是该字段要求的格式。"),
    IssueCode("value-not-integer", E, "应为整数", "人数等计数字段填写了小数。"),
    IssueCode("value-out-of-range", E, "值超出范围", "数值超出了该字段允许的范围。"),
    IssueCode("missing-required", E, "缺少必填项", "企业名称等必填字段没有填写。"),
    IssueCode("text-too-long", E, "文字过长", "文字字段超过了允许的长度。"),
    IssueCode(
        "text-control-character",
        W,
        "含有控制字符",
        "文字中的不可见控制字符已删除；出现在企业名称或代码中时该企业无法导入。",
        also=(E,),
    ),
    # The unified social credit code.
    IssueCode("uscc-length", E, "信用代码位数不对", "统一社会信用代码应为 18 位。"),
    IssueCode("uscc-characters", E, "信用代码含非法字符", "统一社会信用代码含有不允许的字符。"),
    IssueCode("uscc-structure", E, "信用代码结构不对", "统一社会信用代码第 3–8 位应为行政区划码。"),
    IssueCode(
        "uscc-check-character", E, "信用代码校验位不对", "统一社会信用代码的校验位与前 17 位不符。"
    ),
    IssueCode("uscc-org-code", W, "组织机构代码段存疑", "代码中的组织机构代码段校验不符。"),
    IssueCode(
        "uscc-as-number", E, "信用代码被存为数字", "代码以数字保存，前导零或末位可能已丢失。"
    ),
    IssueCode(
        "value-read-as",
        N,
        "按勾选或说明读取",
        "勾选框或研发机构名称按所勾选、所写的级别读取，“无”按字段读作 0、否或未知；是/否后括号中的"
        "证书编号、日期等说明未读取，须核对（警告）。",
        also=(W,),
    ),
    IssueCode("uscc-tidied", N, "信用代码已整理", "代码后的括号说明或分隔符已去掉。"),
    IssueCode("uscc-lowercase", N, "信用代码含小写字母", "代码中的小写字母已按大写读取。"),
    IssueCode("uscc-duplicate", E, "信用代码重复", "同一统一社会信用代码出现在多行，数据不同。"),
    IssueCode(
        "uscc-duplicate-same",
        N,
        "重复且数据相同",
        "同一企业的数据完全相同地出现在多处，只导入第一处。",
    ),
    # Consistency between values.
    IssueCode(
        "main-revenue-exceeds-revenue", E, "主营收入大于营业收入", "主营业务收入不应超过营业收入。"
    ),
    IssueCode(
        "rd-expense-exceeds-revenue", E, "研发费用大于营业收入", "研发费用不应超过营业收入。"
    ),
    IssueCode(
        "lead-product-revenue-exceeds-revenue",
        E,
        "主导产品收入大于营业收入",
        "主导产品销售收入不应超过营业收入。",
    ),
    IssueCode("liabilities-without-assets", E, "有负债无资产", "填写了负债总额，资产总额却为 0。"),
    IssueCode(
        "ip-count-exceeds-total",
        E,
        "知识产权项数不符",
        "高价值、自主研发或已应用的Ⅰ类知识产权项数多于Ⅰ类知识产权项数。",
    ),
    IssueCode(
        "rd-staff-exceeds-employees", W, "研发人数多于职工人数", "研发人员数多于从业人员数。"
    ),
    IssueCode("ratio-mismatch", W, "填报比例与计算不符", "填报的比例与由金额算出的不一致。"),
    IssueCode(
        "revenue-unit-suspect", W, "金额单位存疑", "营业收入的数量级提示可能按元而非万元填写。"
    ),
    IssueCode("growth-over-300", W, "增长率超过 300%", "营业收入增长率超过 300%，请核实。"),
    IssueCode(
        "percent-looks-fractional",
        W,
        "百分数疑似填成小数",
        "百分比列的值小于 1（如 0.248），可能是丢了百分比格式的 24.8%。",
    ),
    # Saving into a round.
    IssueCode("store-text-too-long", E, "文字超出入库长度", "企业名称或代码超过数据库允许的长度。"),
    IssueCode("store-missing-uscc", E, "没有信用代码", "没有统一社会信用代码的企业无法入库。"),
    IssueCode("store-duplicate-uscc", E, "文件内代码重复", "同一代码在文件中出现多次，无法入库。"),
    IssueCode(
        "store-newer-file-kept",
        N,
        "保留较新文件的数据",
        "重新读取较早的文件时，较新文件给出的字段值未被覆盖。",
    ),
    IssueCode(
        "store-fields-kept",
        N,
        "沿用此前导入的字段",
        "本文件未含（或留空）的字段沿用此前导入的文件中的值，未被清除。",
    ),
    IssueCode(
        "type-missing",
        W,
        "未填申报类型",
        "未填申报类型（新申报或复核）：按新申报评价，复核企业须填报的事项未予评价。补填申报类型后"
        "重新导入，或核实为新申报后确认本提示；公示名单将其单列为“申报类型未填”。",
    ),
    IssueCode(
        "store-refused-combined",
        N,
        "与未能导入的申报合并",
        "此前某文件中该企业的申报因错误未能导入；本文件（如补正）与之合并：本文件的值为准，"
        "其余字段取自那份申报，有错误的值不采用。合并后的数据再作一次前后矛盾的检查。",
    ),
    IssueCode(
        "store-value-changed",
        W,
        "与此前导入的值不同",
        "本文件的值与此前导入的文件不同，已按本文件更新；请核实哪一份准确。",
    ),
    IssueCode(
        "store-merged-inconsistent",
        W,
        "合并后数据矛盾",
        "几份文件的数据合并后互相矛盾（如主营业务收入大于营业收入）：单份文件中这会拦截该企业，"
        "合并时作为警告，须核对后说明理由。",
    ),
    IssueCode(
        "store-value-restored",
        N,
        "恢复此前文件的值",
        "重新读取的文件不再提供某字段，该字段恢复为此前其他文件给出的值。",
    ),
    IssueCode(
        "store-value-dropped",
        W,
        "字段值已撤回",
        "重新读取的文件不再提供某字段，且没有其他文件提供过，该字段现为空。",
    ),
    IssueCode(
        "store-blocked-kept-previous",
        W,
        "保留此前导入的数据",
        "重新读取时有错误，企业仍是此前的数据。",
    ),
    IssueCode("region-outside-round", W, "地区不在本批次", "企业填写的地区不在本批次的地区内。"),
    # A published list (公示名单, 认定名单…) read into the register: the list is not imported.
    IssueCode("list-name-column-missing", E, "名单无企业名称列", "名单中找不到企业名称列。"),
    IssueCode("list-name-duplicate", E, "名单内企业重复", "同一企业在一份名单中出现多次。"),
    IssueCode("list-name-too-long", E, "企业名称过长", "名单中的企业名称超过允许的长度。"),
    IssueCode("list-uscc-invalid", E, "名单信用代码有误", "名单中的统一社会信用代码无效。"),
    IssueCode(
        "list-name-control-character",
        E,
        "企业名称含控制字符",
        "名单中的企业名称含有不可见的控制字符。",
    ),
    IssueCode("list-empty", E, "名单中没有企业", "名单有企业名称列，但其下没有一家企业。"),
    IssueCode("list-year-unreadable", E, "名单年度无法读取", "名单中的认定年度不是年份。"),
    # Noted on a list imported: what was read otherwise than written, or passed over.
    IssueCode("list-sheet-hidden", N, "隐藏的工作表未读取", "名单中隐藏的工作表未导入。"),
    IssueCode("list-sheet-continued", N, "续表按表头读取", "没有表头的续表按前面的表头读取。"),
    IssueCode("list-sheet-skipped", N, "工作表未读取", "没有企业名称列的工作表未读取。"),
    IssueCode(
        "list-rows-not-enterprises", N, "非企业行未导入", "分组标题、合计与注释行未作为企业导入。"
    ),
    IssueCode("list-name-mark", N, "名称后的标注已去掉", "企业名称后的*等标注不是名称的一部分。"),
    IssueCode(
        "list-year-differs", E, "名单年度与导入年度不同", "名单中某行的认定年度与导入时指定的不同。"
    ),
    IssueCode(
        "list-revocation-unmatched",
        E,
        "无可撤销的认定",
        "撤销名单中的企业在培育库中没有可撤销的该称号认定记录。",
    ),
    IssueCode(
        "list-uscc-contradicts",
        E,
        "信用代码与培育库不符",
        "名单中的统一社会信用代码与培育库中该企业的记录不同。",
    ),
    # Checked against the register (培育库) on import into a round.
    IssueCode(
        "registry-renewal-without-record",
        W,
        "复核申报无认定记录",
        "复核申报的企业不在培育库已导入的该称号名单中（仅在已导入覆盖批次年度的公告名单时"
        "提示），或培育库中只有其已撤销、仅公示的记录。",
    ),
    IssueCode(
        "registry-already-holds",
        W,
        "已持有该称号",
        "新申报的企业在培育库中已持有该称号且在有效期内，是否应为复核申报。",
    ),
    IssueCode(
        "registry-declared-contradicted",
        W,
        "申报“否”但培育库有记录",
        "企业申报未持有某称号，培育库中却有该称号的有效认定。",
    ),
    IssueCode(
        "registry-declared-not-on-record",
        W,
        "申报“是”但培育库无记录",
        "企业申报持有某称号，培育库中没有该称号的有效认定：已过期、已撤销或仅公示，或不在已导入"
        "的覆盖批次年度的公告名单中（未导入这样的名单时，不在库中不作提示）。",
    ),
    IssueCode(
        "registry-champion-excluded",
        W,
        "单项冠军企业申报小巨人",
        "培育库中该企业是有效期内的制造业单项冠军，按规定不再申报小巨人。",
    ),
)

ISSUE_CODES: dict[str, IssueCode] = {entry.code: entry for entry in _CODES}


def issue_code(code: str) -> IssueCode | None:
    """The registered entry of ``code``, or None when no such code is registered."""
    return ISSUE_CODES.get(code)


def issue_title(code: str) -> str:
    """The Chinese title an evaluator sees for ``code`` (the code itself if unregistered)."""
    entry = ISSUE_CODES.get(code)
    return entry.title if entry is not None else code


def acknowledgeable_codes() -> tuple[str, ...]:
    """Every code an evaluator can acknowledge (reported as a warning), sorted."""
    return tuple(sorted(c.code for c in _CODES if c.acknowledgeable))
