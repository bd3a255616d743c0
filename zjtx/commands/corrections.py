"""`zjtx round corrections NAME --out 补正清单.xlsx|.pdf`: what each applicant must still supply."""

from __future__ import annotations

import argparse
from pathlib import Path

from zjtx.cli import UsageError
from zjtx.commands.rounds import _common, _guarded, _service, _write_output
from zjtx.commands.textout import dump_json
from zjtx.export.corrections import (
    corrections_of_round,
    write_corrections_pdf,
    write_corrections_xlsx,
)

WRITERS = {".xlsx": write_corrections_xlsx, ".pdf": write_corrections_pdf}


def register(actions: argparse._SubParsersAction) -> None:
    """`round corrections` on the `round` parser's actions."""
    parser = actions.add_parser(
        "corrections",
        help="补正清单：每家企业还需补充的数据、待核实的导入问题与待补充的证明材料",
        description="列出每家企业（已决定推荐或不推荐的除外，待定的在前）缺少的数据、无法计算的"
        "数据、未确认的导入提示和待人工确认条目所需的证明材料，并注明应填写的文件、工作表、行与列；"
        "先列可能改变评价结论的项（需补正），每项数据只列一次，列在补充后可能改变结论的条目下"
        "（如某项已由其他直通条件或得分满足，其余直通条件不再列出；已不符合条件的企业不再要求补充"
        "数据）；只影响得分、不论取值都不改变评价结论的计分项另列为“可补充（仅影响得分）”。",
    )
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--out", required=True, metavar="FILE", help="输出文件：.xlsx 或 .pdf")
    _common(parser)
    parser.set_defaults(func=cmd_corrections)


@_guarded
def cmd_corrections(args: argparse.Namespace) -> int:
    out = Path(args.out)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise UsageError(f"--out 须为 .xlsx 或 .pdf 文件，收到 “{args.out}”")
    with _service() as service:
        model = corrections_of_round(service, args.name)
    _write_output(writer, model, out)
    if args.json:
        print(dump_json({**model.to_dict(), "file": str(out)}))
    else:
        print(f"已写出补正清单 {out}：{model.counts_text()}")
    return 0
