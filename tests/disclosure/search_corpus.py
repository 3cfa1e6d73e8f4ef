"""A small Chinese catalogue the search tests publish (sample data, 样例数据)."""

from __future__ import annotations

CORPUS = [
    {
        "title": "关于印发《成都市老旧小区改造实施方案》的通知",
        "issuing_organ": "成都市人民政府办公厅",
        "document_number": "成办发〔2015〕28号",
        "formed_on": "2015-06-01",
        "body": "各区（市）县政府：现将老旧小区改造实施方案印发给你们，请认真贯彻执行。",
        "force_level": "行政规范性文件",
        "key_area": "保障性住房",
    },
    {
        "title": "成都市2025年财政预算执行情况",
        "issuing_organ": "成都市财政局",
        "document_number": "成财预〔2026〕3号",
        "formed_on": "2026-01-20",
        "body": "全市一般公共预算收入完成情况，三公经费支出下降，老旧小区改造资金按进度拨付。",
        "key_area": "财政预决算",
    },
    {
        "title": "关于进一步规范政府采购行为的通知",
        "issuing_organ": "成都市财政局",
        "document_number": "成财采〔2026〕7号",
        "formed_on": "2026-02-10",
        "body": "政府采购项目应当公开采购意向，严禁化整为零规避公开招标。",
        "key_area": "政府采购",
    },
    {
        "title": "锦江区老旧小区改造资金管理办法",
        "issuing_organ": "锦江区人民政府",
        "document_number": "锦府发[2026]1号",
        "formed_on": "2026-03-01",
        "body": "为加强老旧小区改造资金管理，提高资金使用效益，制定本办法。",
        "force_level": "行政规范性文件",
        "key_area": "保障性住房",
    },
    {
        "title": "成都市食品药品安全监督抽检结果公告",
        "issuing_organ": "成都市市场监督管理局",
        "document_number": "",
        "formed_on": "2026-04-15",
        "body": "本次抽检食品样品120批次，合格118批次。",
        "key_area": "食品药品安全",
    },
]
