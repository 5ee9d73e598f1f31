"""Vocabulary data: how long information is kept, the user's rights, the channels to exercise them, and fees.

See :mod:`analyzer.facts.vocabulary` for the notation of phrases.
"""

from __future__ import annotations

from analyzer.facts.vocabulary.terms import Terms

RIGHTS: dict[str, dict[str, Terms]] = {
    # ------------------------------------------------------------------ how long it is kept
    "retention": {
        "necessary-period": Terms(
            en=(
                "as long as necessary",
                "as long as is necessary",
                "for the period necessary",
                "the period necessary",
                "no longer than necessary",
                "minimum period",
                "shortest period",
            ),
            zh=("必要的期限", "必要期限", "最短期限", "最短时间", "所必需的期限"),
        ),
        "indefinite": Terms(
            en=("indefinitely", "permanently", "forever"),
            zh=("永久", "无限期"),
        ),
        "account-lifetime": Terms(
            en=(
                "until {the,your} account is {deleted,closed,terminated,removed,canceled,cancelled}",
                "until you {delete,close,cancel,terminate} your account",
                "as long as {your,the} account {is active,is open,exists,remains active,"
                "remains open}",
                "while {your,the} account {is active,is open,exists}",
                "for the life{,time} of {your,the} account",
            ),
            zh=(
                "账户存续期间",
                "账号存续期间",
                "直至您注销账户",
                "直至您注销账号",
                "直到您注销账户",
                "直到您注销账号",
                "注销账户前",
                "注销账号前",
                "注销账户之前",
                "注销账号之前",
            ),
        ),
    },
    # ------------------------------------------------------------------ the user's rights
    "right": {
        "access": Terms(
            en=(
                "access your",
                "access to your",
                "right of access",
                "right to access",
                "query",
                "queries",
                "inquir{e,y,ies}",
                "view your",
                "review your",
                "viewing",
                "right to know",
                "right to be informed",
            ),
            zh=("查询", "查阅", "访问您的", "访问权", "知情权", "获取您的个人信息"),
        ),
        "portability": Terms(
            en=(
                "copy",
                "copies",
                "copying",
                "obtain a copy",
                "download your",
                "download the account information",
                "portability",
                "data portability",
                "export your",
            ),
            zh=("复制", "副本", "可携", "转移您的个人信息", "下载您的"),
        ),
        "correct": Terms(
            en=(
                "correct",
                "corrected",
                "correcting",
                "correction{,s}",
                "rectify",
                "rectified",
                "rectification",
                "update your",
                "amend your",
                "amend {any,the} information",
                "put right",
                "supplement",
                "supplements",
            ),
            zh=("更正", "补充", "修正", "修改您的"),
        ),
        "delete": Terms(
            en=(
                "delete",
                "deleting",
                "deletion",
                "erase",
                "erasure",
                "right to be forgotten",
            ),
            zh=("删除", "删除权"),
        ),
        "withdraw-consent": Terms(
            en=(
                "withdraw your consent",
                "withdraw consent",
                "withdraw{,ing} {your ,the ,}consent",
                "withdraw the scope of {your ,}authori{s,z}ation",
                "change or withdraw the scope of {your ,}authori{s,z}ation",
                "revoke {your ,}{consent,authori{s,z}ation}",
                "withdraw",
            ),
            zh=("撤回同意", "撤回授权", "撤回您的同意", "撤销授权", "改变授权范围", "撤回"),
        ),
        "close-account": Terms(
            en=(
                "cancel{,ling,ing} your",
                "account cancellation",
                "cancellation application",
                "close your account",
                "closing your account",
                "delete your account",
                "deactivate your account",
                "log off {your ,}account",
                "account closure",
                "account deletion",
            ),
            zh=("注销账号", "注销账户", "注销帐号", "注销您的账号", "注销您的账户", "注销"),
        ),
        "object": Terms(
            en=(
                "right to object",
                "object to",
                "objection",
                "opt out",
                "opt-out",
                "unsubscribe",
                "refuse to receive",
                "turn {this ,it ,them ,these ,}off",
                "turned off",
                "turning {this ,it ,them ,}off",
                "switch {this ,it ,them ,these ,}off",
                "switched off",
                "switching {this ,it ,them ,}off",
                "opt{,ed,ing,s} out",
                "opting-out",
                "decline {them,these,such messages}",
            ),
            zh=("反对", "退订", "拒绝接收", "选择退出", "关闭个性化推荐", "单独关闭", "随时关闭"),
        ),
        "restrict": Terms(
            en=(
                "restrict {the ,}processing",
                "restriction of processing",
                "limit {the ,}processing",
                "limit the use",
            ),
            zh=("限制处理",),
        ),
        "complain": Terms(
            en=(
                "complain",
                "complaint{,s}",
                "make a complaint",
                "lodge a complaint",
                "file a complaint",
            ),
            zh=("投诉", "举报"),
        ),
        "contest-decision": Terms(
            en=(
                "contest {it,the decision,a decision,decisions,the outcome,the result}",
                "challenge {the ,a ,}decision{,s}",
                "human review",
                "human intervention",
                "obtain {human ,}intervention",
                "express your point of view",
                "rather than by {our ,}automated",
                "instead of {by ,}{our ,}automated",
                "by a person rather than",
                "right not to be subject to",
            ),
            zh=("拒绝仅通过自动化决策", "人工复核", "人工审核"),
        ),
        "explanation": Terms(
            en=("right to an explanation", "explain {the ,}rules"),
            zh=("解释说明", "要求解释"),
        ),
        "appeal": Terms(
            en=(
                "appeal {our,the,a,this,that} decision",
                "appeal{,s} process",
                "right to appeal",
                "internal appeal{,s}",
                "appeal {our,the,a} refusal",
            ),
            zh=("对拒绝决定提出申诉", "申请复核您的请求", "提出复议"),
        ),
        "agent": Terms(
            en=(
                "authori{s,z}ed agent{,s}",
                "designate an agent",
                "agent{,s} acting on your behalf",
                "request{,s} submitted by agents",
                "request{,s} made by agents",
            ),
            zh=("授权代理人", "委托代理人", "代理人代为"),
        ),
    },
    # ------------------------------------------------------------------ how rights are exercised
    "channel": {
        "hotline": Terms(
            en=(
                "hotline{,s}",
                "customer service hotline",
                "call us",
                "phone us",
                "by phone",
                "by telephone",
                "call the",
                "customer service line",
            ),
            zh=("热线", "客服热线", "客服电话", "拨打", "致电", "联系电话", "服务热线"),
        ),
        "email": Terms(
            en=(
                "e-mail us",
                "by e-mail",
                "send an e-mail",
                "send us an e-mail",
                "write to us at",
                "contact us at",
            ),
            zh=("发送邮件", "发送电子邮件", "发邮件", "通过电子邮件"),
        ),
        "work-order": Terms(
            en=(
                "work order{,s}",
                "ticket{,s}",
                "support ticket{,s}",
                "support request{,s}",
            ),
            zh=("工单", "提交工单"),
        ),
        "form": Terms(
            en=(
                "web form{,s}",
                "online form{,s}",
                "contact form{,s}",
                "request form{,s}",
                "{privacy ,request ,online ,data subject request ,data subject access request ,}portal{,s}",
            ),
            zh=("表单", "在线表单", "门户", "在线门户", "请求门户", "隐私门户"),
        ),
        "settings": Terms(
            en=(
                "setting{,s}",
                "account setting{,s}",
                "privacy setting{,s}",
                "security setting{,s}",
                "dashboard{,s}",
                "console",
                "management console",
                "account management console",
                "control panel",
                "account center",
                "account centre",
                "personal center",
                "preferences",
            ),
            zh=(
                "设置",
                "隐私设置",
                "账号设置",
                "控制台",
                "账号中心",
                "账户中心",
                "个人中心",
                "管理后台",
            ),
        ),
        "postal": Terms(
            en=("by post", "by mail", "postal mail", "letter{,s}", "write to us"),
            zh=("邮寄", "信函", "来信"),
        ),
        "online-service": Terms(
            en=(
                "online customer service",
                "live chat",
                "chat with us",
                "online service",
                "online assistant",
                "virtual assistant",
                "chat assistant",
                "chatbot",
                "in-app chat",
            ),
            zh=("在线客服", "人工客服", "智能客服", "在线助手", "客服机器人"),
        ),
        "feedback": Terms(
            en=("feedback", "feedback page"),
            zh=("意见反馈", "反馈"),
        ),
        "support-page": Terms(
            en=(
                "support and service",
                "help center",
                "help centre",
                "support page",
                "support center",
                "service center",
                "contact page",
            ),
            zh=("帮助中心", "客服中心", "服务中心", "支持与服务"),
        ),
        "in-person": Terms(
            en=(
                "in person",
                "oral notification",
                "orally",
                "at any branch",
                "in a branch",
                "in branch",
            ),
            zh=("当面", "口头", "营业网点", "营业厅"),
        ),
    },
    # ------------------------------------------------------------------ fees for requests
    "fee": {
        "free": Terms(
            en=(
                "free of charge",
                "at no cost",
                "at no charge",
                "no charge",
                "without charge",
                "without charging",
                "for free",
                "free",
            ),
            zh=("免费", "无偿", "不收取费用", "不收取任何费用", "不收费"),
        ),
        "charged": Terms(
            en=(
                "charge{,s,d}",
                "charging",
                "charge a fee",
                "charge {a ,}{reasonable ,certain ,}{fee,cost}{,s}",
                "fee{,s}",
                "reasonable fee{,s}",
                "service fee{,s}",
                "processing fee{,s}",
                "administrative fee{,s}",
            ),
            zh=(
                "收费",
                "收取费用",
                "收取一定费用",
                "收取合理费用",
                "费用",
                "成本费用",
                "手续费",
                "工本费",
            ),
        ),
    },
}
