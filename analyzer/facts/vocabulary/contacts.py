"""Vocabulary data: who answers for the information: responsible departments, complaint channels, the controller.

See :mod:`analyzer.facts.vocabulary` for the notation of phrases.
"""

from __future__ import annotations

from analyzer.facts.vocabulary.terms import Terms

CONTACTS: dict[str, dict[str, Terms]] = {
    # ------------------------------------------------------------------ who to contact
    "department": {
        "dpo": Terms(
            en=(
                "data protection officer{,s}",
                "dpo",
                "personal information protection officer{,s}",
                "privacy officer{,s}",
                "chief privacy officer",
                "person in charge of personal information protection",
            ),
            zh=(
                "个人信息保护负责人",
                "个人信息保护官",
                "数据保护官",
                "个人信息保护专职部门",
                "个人信息保护机构",
                "个人信息保护工作机构",
            ),
        ),
        "legal": Terms(
            en=("legal department", "legal team", "legal affairs department"),
            zh=("法务部", "法务部门", "法律部"),
        ),
        "privacy-team": Terms(
            en=(
                "privacy team",
                "privacy office",
                "privacy department",
                "privacy committee",
                "data protection team",
                "data protection office",
                "data protection department",
                "personal information protection department",
                "personal information protection team",
                "personal information protection office",
                "privacy protection office",
                "compliance team",
                "compliance department",
                "data compliance team",
                "data compliance department",
            ),
            zh=(
                "隐私团队",
                "隐私保护部门",
                "隐私办公室",
                "隐私委员会",
                "个人信息保护部",
                "数据保护部门",
                "个人信息保护办公室",
                "数据合规部",
                "合规部",
                "合规部门",
                "法务合规部",
                "隐私保护办公室",
                "数据保护办公室",
                "个人信息保护部门",
            ),
        ),
        "security-team": Terms(
            en=(
                "security team",
                "security department",
                "security response center",
                "security center",
            ),
            zh=("安全团队", "安全部门", "安全应急响应中心", "安全中心"),
        ),
        "customer-service": Terms(
            en=(
                "customer service",
                "customer service personnel",
                "customer support",
                "support team",
            ),
            zh=("客服", "客户服务", "客服人员", "客服团队"),
        ),
        "responsible-department": Terms(
            en=(
                "responsible department",
                "department responsible",
                "department in charge",
                "competent department",
            ),
            zh=("负责部门", "责任部门", "专门部门", "专门机构"),
        ),
        "representative": Terms(
            en=("eu representative", "uk representative", "representative in the"),
            zh=("境内代表", "指定代表"),
        ),
    },
    # ------------------------------------------------------------------ where to complain
    "complaint": {
        "report-center": Terms(
            en=(
                "report center",
                "report centre",
                "reporting center",
                "reporting centre",
                "complaint center",
                "complaints center",
                "abuse report{,s}",
            ),
            zh=("举报中心", "举报平台", "投诉中心", "投诉举报"),
        ),
        "regulator": Terms(
            en=(
                "supervisory authorit{y,ies}",
                "data protection authorit{y,ies}",
                "regulator{,s}",
                "regulatory authorit{y,ies}",
                "competent authorit{y,ies}",
                "information commissioner",
                "cnil",
                "federal trade commission",
                "ftc",
                "cyberspace administration",
                "internet information department",
                "network information department",
                "consumer association{,s}",
            ),
            zh=("网信部门", "监管部门", "监管机构", "网信办", "消费者协会", "个人信息保护部门"),
        ),
        "court": Terms(
            en=("court{,s}", "litigation", "lawsuit{,s}", "sue", "legal action"),
            zh=("法院", "诉讼", "起诉"),
        ),
        "arbitration": Terms(
            en=("arbitration",),
            zh=("仲裁",),
        ),
    },
    # ------------------------------------------------------------------ who is in control
    "controller": {
        "controller": Terms(
            en=(
                "data controller{,s}",
                "controller{,s}",
                "personal information processor{,s}",
                "personal information handler{,s}",
                "operator{,s}",
                "operated by",
                "controlled by",
                "responsible for {the ,}processing",
            ),
            zh=("个人信息处理者", "控制者", "运营者", "运营方", "运营主体", "经营者"),
        ),
        "joint-controller": Terms(
            en=(
                "joint controller{,s}",
                "joint controllership",
                "co-controller{,s}",
                "jointly determine{,s}",
                "jointly decide{,s}",
                "jointly responsible for {the ,}processing",
            ),
            zh=(
                "共同个人信息处理者",
                "共同处理者",
                "共同控制者",
                "共同决定",
                "共同确定",
            ),
        ),
    },
}
