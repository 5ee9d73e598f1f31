"""Vocabulary data: what may happen to the company and the information, and what it promises: changes of ownership or control, risks, commitments about the user's rights.

See :mod:`analyzer.facts.vocabulary` for the notation of phrases.
"""

from __future__ import annotations

from analyzer.facts.vocabulary.terms import Terms

EVENTS: dict[str, dict[str, Terms]] = {
    "ownership": {
        "merger": Terms(en=("merger{,s}", "merge{,s,d}"), zh=("合并", "兼并")),
        "acquisition": Terms(
            en=("acquisition{,s}", "acquire{,s,d}", "takeover{,s}", "taken over"),
            zh=("收购",),
        ),
        "bankruptcy": Terms(
            en=(
                "bankruptc{y,ies}",
                "bankrupt",
                "insolvency",
                "insolvent",
                "liquidation",
                "receivership",
            ),
            zh=("破产", "清算", "破产清算"),
        ),
        "reorganisation": Terms(
            en=(
                "reorgani{s,z}ation",
                "restructuring",
                "spin-off",
                "divestiture",
                "demerger",
            ),
            zh=("重组", "分立", "资产重组"),
        ),
        "change-of-control": Terms(
            en=(
                "change of control",
                "change in control",
                "control rights",
                "controlling shareholder{,s}",
                "ownership structure",
                "shareholding structure",
                "wholly owned subsidiary",
                "wholly-owned subsidiary",
                "wholly owned by",
                "subsidiary of",
                "now owned by",
                "became part of",
            ),
            zh=(
                "控制权",
                "所有权结构",
                "股权结构",
                "控股股东",
                "实际控制人",
                "控制权变更",
                "股权变更",
                "全资控股",
                "全资子公司",
                "控股子公司",
                "股东变更",
            ),
        ),
        "organisational-structure": Terms(
            en=("organi{s,z}ational structure", "corporate structure", "business adjustment{,s}"),
            zh=("组织架构", "组织结构", "业务调整"),
        ),
        "sale-of-business": Terms(
            en=(
                "sale of {all or part of ,all or a portion of ,}{our ,the ,}{business,assets,company}",
                "asset sale{,s}",
                "transfer of assets",
                "joint venture{,s}",
                "dissolution",
            ),
            zh=("资产转让", "出售资产", "合资", "解散", "业务转让"),
        ),
    },
    # ------------------------------------------------------------------ 9.4.6 risk
    "risk": {
        "impact-assessment": Terms(
            en=(
                "impact assessment{,s}",
                "privacy impact assessment{,s}",
                "data protection impact assessment{,s}",
                "security impact assessment{,s}",
                "dpia{,s}",
                "pia",
            ),
            zh=("影响评估", "个人信息保护影响评估", "安全影响评估", "隐私影响评估"),
        ),
        "risk-assessment": Terms(
            en=("risk assessment{,s}", "security assessment{,s}", "assessment report{,s}"),
            zh=("风险评估", "安全评估", "评估报告"),
        ),
        "high-risk": Terms(
            en=(
                "high risk{,s}",
                "high-risk",
                "high {residual,inherent,remaining} risk{,s}",
                "high{, residual, inherent} risk{,s} remain{,s}",
                "significant risk{,s}",
                "serious risk{,s}",
                "severe risk{,s}",
                "considerable risk{,s}",
                "substantial risk{,s}",
                "elevated risk{,s}",
                "major risk{,s}",
                "unacceptable risk{,s}",
                "critical risk{,s}",
            ),
            zh=(
                "高风险",
                "重大风险",
                "较高风险",
                "较大风险",
                "严重风险",
                "风险较高",
                "风险较大",
                "高危",
                "较高的剩余风险",
                "高剩余风险",
                "剩余风险较高",
            ),
        ),
        "incident": Terms(
            en=(
                "security incident{,s}",
                "data breach{,es}",
                "personal data breach{,es}",
                "leakage",
                "data leak{,s}",
            ),
            zh=("安全事件", "个人信息安全事件", "泄露", "数据泄露"),
        ),
    },
    # ------------------------------------------------------------------ promises to the user
    # (the promise not to restrict rights is read by pattern: facts._extract_commitments)
    "commitment": {
        "liability": Terms(
            en=(
                "bear {any ,the ,}{corresponding ,}{legal ,}{responsibility,liability}",
                "assume {any ,the ,}{corresponding ,}{legal ,}{responsibility,liability}",
                "take {the ,}{corresponding ,}legal responsibility",
                "be {held ,}liable",
                "accept liability",
                "compensate you",
            ),
            zh=(
                "承担相应的法律责任",
                "承担法律责任",
                "承担相应法律责任",
                "承担相应的责任",
                "承担责任",
                "依法赔偿",
                "赔偿",
            ),
        ),
    },
}
