"""The word patterns the statement reader matches beyond the vocabulary of :mod:`analyzer.facts`.

:func:`patterns` gives them by name, compiled on first use: the verbs of practices the
vocabulary leaves to context ('use', 'receive', 'look at', 'send … to'), the frames that grant
or deny a right ('you can', 'you have the right to', 您可以), instructions ('to delete your
account, go to …'), subjects (we, you), scope ('only', 'including'), conditions ('unless',
'if', consent), words of contacting and complaining, controllers, high risks, and the names a
sentence gives to recipients. :data:`FUNCTION_NAMES` are capitalised words that name no one.
"""

from __future__ import annotations

import re
from functools import cache

from analyzer.text.compiled import regex

__all__ = ["FUNCTION_NAMES", "patterns"]


FUNCTION_NAMES = frozenset(
    {"If", "You", "We", "Our", "Your", "The", "This", "Please", "For", "To", "In", "Or", "And"}
)


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """The few patterns the reader needs beyond the vocabulary, compiled on first use."""
    return {
        # an item or entry that opens with its label ('**Unlock data**: …', 'AI Model
        # Providers: …', 账号信息：…)
        "item-label": regex(r"\s*[*_]{0,2}(?P<label>[^\W\d_][^:：\n.。]{0,60}?)[*_]{0,2}\s*[:：]"),
        # verbs of practices the vocabulary leaves to context
        "verbs": regex(
            r"(?<![a-z])(?:(?P<use>use|uses|used|using|process|processes|processed|processing"
            r"|fed into|feed into|feeds into|train|trains|trained|training(?= (?:of |our |the )?(?:models?|algorithms?|ai))"
            r"|analy[sz]e|analy[sz]es|analy[sz]ed|evaluate|evaluates|evaluated|evaluating)"
            r"|(?P<infer>infer|infers|inferred|inferring|(?<!your )(?<!the )(?<!a )(?<!their )"
            r"(?:profile|profiles)|profiling)"
            r"|(?P<disclose>shown|showing|displayed|made visible|visible)(?= (?:[a-z]+ ){0,2}?to"
            r" (?!you\b|yourself\b))"
            r"|(?P<receive>receive|receives|received|receiving|obtain access|gain access)"
            r"|(?P<safeguard>require|requires|required|oblige|obliges|obliged|obligate|obligates"
            r"|bind|binds|bound)(?= (?:[a-z]+ ){0,5}?(?:to|by) (?:follow|comply|agree|keep|protect|use|process"
            r"|adhere|abide|this|our|the same|confidential|appropriate)\b)"
            r"|(?P<safeguard_zh>要求(?:其|他们|对方|合作方|第三方|受托方|接收方)|签署(?:严格的)?(?:保密|数据处理|委托)?协议)"
            r"|(?P<message>send|sends|sent|sending)(?= (?:you |them |users )?(?:[a-z]+ )?(?:marketing|promotional"
            r"|advertising|text|sms|e-?mails?|messages|newsletters?|notifications|communications)\b)"
            r"|(?P<store>host|hosts|hosted|hosting|housed|located)(?= (?:[a-z]+ ){0,4}?(?:in|on|at|by)\b)"
            r"|(?P<provide>send|sends|sent|sending|pass|passes|passed|hand|hands|handed)"
            r"(?= [^.;:]{0,60}?\bto\b)(?! (?:us )?(?:a |an |your )?(?:written )?(?:letter|message"
            r"|e-?mail|request|complaint|note)s?\b)"
            r"|(?P<sell>for sale|on sale)"
            r"|(?P<give>provide|provides|provided|providing)(?= (?:[a-z]+ ){0,3}?with (?:your|their|the|such"
            r"|this|these|personal|information|data)\b)"
            r"|(?P<access>look at|looks at|looked at|looking at|read your|reads your|view your"
            r"|views your|access your|accesses your|access to your)"
            r"|(?P<access_staff>access|accesses|accessed|accessing)"
            r"|(?P<collect>obtain|obtains|obtained|record|records|recorded|capture|captures"
            r"|captured|transmit|transmits|transmitted|transmitting"
            r"|read(?= (?:the|your|a)\b)))(?![a-z])"
            r"|(?P<use_zh>使用|用于|处理您|利用)|(?P<infer_zh>用户画像|画像)|(?P<receive_zh>接收|收到)"
            r"|(?P<provide_zh>(?<=向)[^，。；]{1,20}?(?:发送|传送|上传)|(?:发送|传送|上传)(?=给|至))"
            r"|(?P<collect_zh>获取|采集|(?<=[会将])记录(?=您|用户|车辆|设备))|(?P<store_zh>保留(?![^，。；]{0,12}权))|(?P<access_zh>查看|访问您)|(?P<access_staff_zh>访问|接触|调阅)"
        ),
        # who may look into the user's content: the company's own people ('GitHub personnel do
        # not access …', 'no Acme human reads …', 我们的员工不会访问 …), the subject of a bare
        # 'access' (a user or a third party accessing something is no practice of the company)
        "staff-subject": regex(
            r"(?<![a-z])(?:we|employees?|personnel|staff(?: members?)?|humans?|engineers?|people"
            r"|team members?|workers?|support (?:agents?|team)|contractors?|moderators?"
            r"|administrators?|no one|nobody|no person)"
            r"(?:[ ,]+(?![a-z]*(?:you|users?|customers?)(?![a-z]))[a-z’'()]+){0,4}?[ ,]+$"
            r"|(?:我们|本公司|我司)?(?:的)?(?:员工|工作人员|人员|雇员|客服)[^，。；,]{0,8}$"
        ),
        "ability": regex(
            r"(?<![a-z])(?:you|users?|customers?|members?)(?:[ ,]+[a-z]+){0,3}?[ ,]+"
            r"(?:can|may|could|are able to|will be able to|have the right|has the right"
            r"|are entitled|is entitled|have the option|has the option|have a right"
            r"|cannot|can't|may not|can no longer|are not able|will not be able|are unable)"
            r"(?![a-z])"
            r"|(?<![a-z])(?:right|rights) (?:to|of)(?![a-z])"
            r"|(?<![a-z])(?:can|cannot|can't|may|may not|could) (?:not )?be(?= [a-z])"
            r"|您(?:也|还|均|亦)?(?:可以|可|有权|能够|能|无法|不能|不可|不得)"
            r"|你(?:也|还)?(?:可以|可|有权|能够|能|无法|不能)"
            r"|用户(?:也|还)?(?:可以|可|有权|能够|无法|不能)|有权(?:要求|请求|申请|查阅|复制|更正|删除)"
            r"|(?:可以|可)(?:通过|向我们|随时|在)|(?<=[\u4e00-\u9fff])(?:可以|有权|能够)"
        ),
        "instruction": regex(
            r"(?<![a-z])to [a-z ]{2,40}?, (?:please )?(?:go to|visit|click|tap|select|open|contact"
            r"|email|e-mail|write|call|use|sign in|log in|navigate|follow|adjust|change|update)"
            r"(?![a-z])|如(?:您|你)?(?:需要|需|希望|想|要)[^，。；]{1,30}[，,]\s*(?:请|可|您可以|可以)"
            r"|(?<![a-z])(?:learn|find out|read|see|find)(?: more)?(?: about)?(?: how)?(?: to)?\s*$"
        ),
        "someone-else": regex(
            r"(?<![a-z])(?:next of kin|relatives?|heirs?|parents?|guardians?|authori[sz]ed agents?"
            r"|agents?|representatives?|executors?)(?![a-z])|近亲属|监护人|法定代理人|继承人|代理人"
        ),
        "request": regex(r"(?<![a-z])requests?(?![a-z])|请求|申请"),
        "respond": regex(
            r"(?<![a-z])(?:respond|responds|responded|reply|replies|answer|answers|process your"
            r"|handle|handles|fulfil|fulfill|complete|completed|deleted|delete|deletes|erase|erases"
            r"|erased|remove|removes|removed|correct|corrects|corrected|provided|provide)(?![a-z])"
            r"|答复|回复|响应|处理完毕|完成|删除"
        ),
        "user-window": regex(
            r"(?<![a-z])(?:you|users?)(?:[ ,]+[a-z]+){0,4}?[ ,]+(?:may|can|must|need to|have to"
            r"|are required to)(?![a-z])"
            r"|(?<![a-z])(?:received|submitted|filed|lodged|made) (?:after|later than|outside)"
            r"(?![a-z])|您(?:应当|应|须|需要|需|可以|可)"
        ),
        "only": regex(
            r"(?<![a-z])(?:only|solely|exclusively|limited circumstances|limited to)"
            r"(?![a-z])|仅|只(?!要)|限于|唯一"
        ),
        "open": regex(
            r"(?<![a-z])(?:including|such as|for example|for instance|e\.g\.|a variety of"
            r"|among others|among other things|various)(?![a-z])|包括|例如|诸如|比如|等(?:情形|情况|场景)"
        ),
        "condition": regex(
            r"(?<![a-z])(?:if|unless|except|other than|apart from|only if|only when|provided that"
            r"|where|when|whenever|once|subject to|with your|without your|upon your|after you"
            r"|before you)(?![a-z])|除非|除[^，。；]{0,20}外|如果|如您|若|(?:在|当)您[^，。；]{0,30}(?:后|时|前)"
            r"|经您|征得您|取得您|单独同意"
        ),
        "consent": regex(
            r"(?<![a-z])(?:consent|opt[- ]in|opted in|agree|agreed|permission|authori[sz]e"
            r"|authori[sz]ation|ask(?:s|ed)? (?:you )?(?:if|whether) you|choose to|decide to"
            r"|allow us|enable|turn on|switch on)(?![a-z])|同意|授权|允许|开启|选择"
        ),
        "except": regex(
            r"(?<![a-z])(?:unless|except|other than|apart from|save)(?![a-z])|除非|除[^，。；]{0,20}外"
        ),
        "subject": regex(
            r"(?<![a-z])(?P<company>we|us|the company)(?![a-z])|(?P<user>you|users?)(?![a-z'’])"
            r"|(?<![a-z])(?P<other>(?:other|adult|older) (?:players?|users?|members?)|strangers?"
            r"|attackers?|hackers?|criminals?|fraudsters?|bad actors?)(?![a-z])"
            r"|(?P<company_zh>我们|本公司|我司)"
            # 您 after a verb or a preposition is its object ('读取您手机', '向您'), not who acts
            r"|(?<![^\s，。；：、（(“\"*如若当且并则而但在由请果即])(?P<user_zh>您|你|用户)(?!的)"
        ),
        "determiner-denial": regex(
            r"[\s*_\"'“‘(\[]*(?:no|none of|nobody|no one|neither|nothing)(?![a-z])"
        ),
        "contact-words": regex(
            r"(?<![a-z])(?:contact (?:us|our|the)|reach (?:us|our)|write to|call (?:us|our)"
            r"|(?:e-?mail|phone|telephone|ring) us|get in touch|complain|complaint|lodge"
            r"|questions|enquir|inquir|hotline|customer (?:service|care|support)|support team"
            r"|data protection officer|dpo|privacy (?:officer|team|office)|mailing address"
            r"|postal address|by post|by mail|by letter|contact details|contact information)"
            r"|联系我们|联系方式|投诉|举报|咨询|疑问|热线|客服|邮寄|负责人|(?:与|和|同)我们[^，。；]{0,12}联系"
            r"|数据保护官|致函|来信"
        ),
        "contact-heading": regex(
            r"(?<![a-z])(?:contact|complain|complaint|dpo|data protection officer|privacy officer"
            r"|questions|reach us|get in touch|address|representative)|联系|投诉|负责人|客服"
        ),
        "entity": regex(
            r"(?<![\w])[A-Z][\w&'’.-]*(?:[ \t]+(?:\([A-Za-z]{2,4}\)|[A-Z][\w&'’.-]*|&|of|and)){0,6}"
            r"[ \t]+(?:Inc|Ltd|Limited|LLC|GmbH|AG|S\.A|B\.V|BV|N\.V|Corp|Corporation|PLC|Pty|Pte)"
            r"(?![A-Za-z])\.?"
        ),
        "operated": regex(
            r"(?<![a-z])(?:operated by|is operated|are operated|run by|provided by|operator of|operates"
            r"|is the controller|are the controllers|joint controllers?)(?![a-z])"
            r"|运营(?!商)|经营(?!范围)|提供服务的主体|运营主体|控制者"
        ),
        "controller-heading": regex(
            r"(?<![a-z])(?:controllers?|responsible compan|operators?|who we are|about us)"
            r"|控制者|运营者|运营主体|个人信息处理者|关于我们"
        ),
        "complaint-words": regex(
            r"(?<![a-z])(?:complain|complaint|lodge|appeal|dispute|escalate|not satisfied"
            r"|dissatisfied|unhappy|concerns?)|投诉|举报|申诉|不满意|诉讼|仲裁"
        ),
        "high-risk": regex(
            r"(?<![a-z])(?:high|higher|significant|serious|severe|elevated)(?:[ -]level)?"
            r"(?: (?:residual|inherent|overall|remaining))? risks?"
            r"(?![a-z])|较高风险|高风险|重大风险|严重风险"
        ),
        "detail": regex(r"(?<![\w@./-])[A-Z][\w&’'-]+|(?<![\w.])\d[\d ]{1,}\d|\d+"),
        "named": regex(r"[A-Z][\w&’'.-]*(?: (?:[A-Z][\w&’'.-]*|&|of|de))*"),
        "appositive": regex(
            r",?\s{1,2}(?:called |named |namely |such as |like |including )?([A-Z][\w&’'.-]*)"
        ),
        "to-name": regex(
            r"(?:passed|sent|transferred|disclosed|provided|given|handed|shared|sold|made available)"
            r" (?:on )?(?:to|with) (?:our |a |an |the )?(?:partner |provider |vendor |processor )?"
            r"([A-Z][\w&’'.-]*)"
        ),
        "site-operators": regex(
            r"(?<![a-z])(?:(?:owner|owners|administrator|administrators|admin|admins|operator|operators"
            r"|author|authors)(?:\(s\))? of (?:the|that|this|a|an|another|other) (?:site|sites|website"
            r"|websites|blog|blogs|community|communities|group|groups|page|pages|workspace|workspaces"
            r"|organi[sz]ation|organi[sz]ations|server|servers)|(?:site|website|blog|workspace|group)"
            r" (?:owner|owners|administrator|administrators|admin|admins|operator|operators)(?:\(s\))?)"
            r"(?![a-z])|(?:网站|店铺|群组|社区)(?:的)?(?:所有者|管理员|运营者)"
        ),
        "includes": regex(
            r"\s*(?:this|these|they|it|which|those)\s+(?:also\s+)?(?:include|includes|including)"
            r"(?![a-z])"
        ),
    }
