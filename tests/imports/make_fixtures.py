"""How the hand-made sheets in tests/imports/fixtures/ were made (run once; the files are checked
in, so the tests read files as an HR manager's Excel wrote them, not what this script writes
today): `python -m tests.imports.make_fixtures`."""

from pathlib import Path

from openpyxl import Workbook

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = ["部门", "岗位名称", "汇报对象", "职级", "用工形式", "启动期编制", "成长期编制",
          "成熟期编制", "薪资范围", "岗位职责", "任职要求", "考核指标"]  # fmt: skip
# Department cells left blank below the first row of each department, as merged cells read.
ROWS = [
    ["运营中心", "运营总监", "", "总监", "全职", "1", "1", "1", "20000-30000",
     "制定店铺运营策略\n管理运营团队", "学历：本科及以上；经验：5年以上电商运营", "GMV达成率"],
    ["", "运营专员", "运营总监", "专员", "全职", "1", "2-3", "3～5", "6k-8k",
     "商品上架；活动执行", "", "转化率；活动ROI"],
    ["运营中心 > 客服部", "客服主管", "运营总监", "主管", "全职", "1", "1", "1～2", "8000-10000",
     "管理客服团队；制定话术", "经验：2年以上客服管理", "满意度"],
    ["", "客服专员", "客服主管", "专员", "兼职", "2", "3～5", "6～8", "4000-5000",
     "售前咨询；售后处理", "", "响应时长"],
    ["仓储物流部", "仓储主管", "", "主管", "全职", "1", "1", "1", "7000",
     "管理仓库", "", "发货准确率"],
    ["", "打包员", "仓储主管", "助理", "劳务派遣", "2", "4", "6-10", "",
     "打包发货", "", ""],
]  # fmt: skip


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "岗位编制表"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    # The department cells merged down over each department's rows.
    for first, last in ((2, 3), (4, 5), (6, 7)):
        sheet.merge_cells(f"A{first}:A{last}")
    book.save(FIXTURES / "hr_positions.xlsx")
    lines = [",".join(HEADER)]
    for row in ROWS:
        lines.append(",".join('"' + v.replace('"', '""') + '"' if v else "" for v in row))
    (FIXTURES / "hr_positions_gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


if __name__ == "__main__":
    main()
