"""How a reader names a fact's canonical value, in English: ``advertisers`` -> ``advertising
partners``, ``id-document`` -> ``identity documents``, ``CN`` -> ``the People's Republic of
China``.

The policy summary (:mod:`analyzer.statements.summary`) and the grouped reasons of a decision
(:mod:`analyzer.judge.reasons`) print these names; JSON keeps the canonical values beside them.
A value without a name here (a new word of the vocabulary) reads as itself, hyphens as spaces.
Notices have their own words, in both languages, in ``notices/<lang>/sentences.yaml``.

This module is data, with one lookup function.
"""

from __future__ import annotations

__all__ = ["SENSITIVE_CATEGORIES", "fact_name", "is_sensitive"]

_NAMES: dict[str, dict[str, str]] = {
    "pi-category": {
        "contact": "contact information",
        "account": "account information",
        "device": "device information",
        "usage-log": "log information",
        "location": "location",
        "precise-location": "precise location",
        "approximate-location": "approximate location",
        "biometric": "biometric information",
        "id-document": "identity documents",
        "financial": "financial information",
        "health": "health information",
        "minors": "children's information",
        "communications": "communications",
        "online-identifier": "online identifiers",
        "sensitive": "sensitive personal information",
        "business": "business information",
        "user-content": "content the user provides",
        "installed-apps": "installed apps",
    },
    "purpose": {
        "service": "providing the service",
        "security": "security",
        "marketing": "marketing",
        "personalisation": "personalisation",
        "analytics": "analytics",
        "legal": "legal obligations",
        "research": "research and statistics",
        "ai-training": "training AI models",
        "support": "customer support",
        "notification": "service notifications",
        "credit-assessment": "credit assessment",
        "any-purpose": "any purpose",
    },
    "recipient": {
        "partners": "partners",
        "affiliates": "affiliates",
        "advertisers": "advertising partners",
        "service-providers": "service providers",
        "payment-processors": "payment processors",
        "authorities": "public authorities",
        "overseas": "recipients abroad",
        "public": "the public",
        "buyer": "a buyer of the business",
        "third-parties": "third parties",
        "data-brokers": "data brokers",
        "insurers": "insurers",
        "researchers": "researchers",
        "credit-agencies": "credit reference agencies",
        "debt-collectors": "debt collection agencies",
        "fraud-agencies": "fraud prevention agencies",
        "retailers": "other retailers",
    },
    "processing": {
        "collect": "collect",
        "store": "store",
        "share": "share",
        "transfer": "transfer",
        "disclose": "disclose",
        "disclose-publicly": "disclose publicly",
        "sell": "sell",
        "entrust": "entrust to processors",
        "cross-border": "transfer abroad",
        "combine": "combine",
        "anonymise": "anonymise",
        "automated-decision": "automated decisions",
        "provide": "provide to others",
        "tracking": "tracking",
    },
    "location": {
        "CN": "the People's Republic of China",
        "overseas": "abroad",
        "US": "the United States",
        "EU": "the European Union",
        "EEA": "the European Economic Area",
        "GB": "the United Kingdom",
        "CH": "Switzerland",
        "SG": "Singapore",
        "JP": "Japan",
        "HK": "Hong Kong",
        "MO": "Macao",
        "TW": "Taiwan",
        "IN": "India",
        "CA": "Canada",
        "AU": "Australia",
        "DE": "Germany",
        "FR": "France",
        "IE": "Ireland",
        "NL": "the Netherlands",
        "KR": "South Korea",
        "BR": "Brazil",
        "RU": "Russia",
        "MY": "Malaysia",
        "ID": "Indonesia",
        "AE": "the United Arab Emirates",
    },
    "retention": {
        "necessary-period": "as long as necessary",
        "indefinite": "indefinitely",
        "account-lifetime": "until the account is deleted",
    },
    "right": {
        "access": "access",
        "portability": "a copy (portability)",
        "correct": "correction",
        "delete": "deletion",
        "withdraw-consent": "withdrawing consent",
        "close-account": "closing the account",
        "object": "objection (opt-out)",
        "restrict": "restriction of processing",
        "complain": "complaint",
        "explanation": "an explanation",
        "contest-decision": "contesting an automated decision",
        "appeal": "an appeal against a refused request",
        "agent": "a request made by an authorised agent",
    },
    "channel": {
        "hotline": "customer service hotline",
        "email": "e-mail",
        "work-order": "work order",
        "form": "online form",
        "settings": "settings",
        "postal": "post",
        "online-service": "online customer service",
        "feedback": "feedback page",
        "support-page": "support page",
        "in-person": "in person",
    },
    "fee": {
        "free": "free of charge",
        "charged": "charged",
    },
    "department": {
        "dpo": "data protection officer",
        "legal": "legal department",
        "privacy-team": "privacy team",
        "security-team": "security team",
        "customer-service": "customer service",
        "responsible-department": "responsible department",
        "representative": "local representative",
    },
    "complaint": {
        "report-center": "report centre",
        "regulator": "regulator",
        "court": "court",
        "arbitration": "arbitration",
    },
    "ownership": {
        "merger": "merger",
        "acquisition": "acquisition",
        "bankruptcy": "bankruptcy",
        "reorganisation": "reorganisation",
        "change-of-control": "change of control",
        "organisational-structure": "organisational structure",
        "sale-of-business": "sale of the business",
    },
    "risk": {
        "impact-assessment": "impact assessment",
        "risk-assessment": "risk assessment",
        "high-risk": "high risk",
        "incident": "security incident",
    },
    "controller": {"controller": "a controller (not named)"},
    "commitment": {
        "restrict-rights": "restricting the user's rights",
        "liability": "liability",
    },
}

SENSITIVE_CATEGORIES = frozenset(
    {
        "biometric",
        "id-document",
        "financial",
        "health",
        "location",
        "precise-location",
        "minors",
        "sensitive",
    }
)
"""Categories of personal information that privacy laws treat as sensitive (China's PIPL art.
28: biometrics, specific identity, medical health, financial accounts, whereabouts, children
under 14; GDPR art. 9 and the US state laws name most of them too); ``sensitive`` is the policy
saying "sensitive personal information" without naming which."""


def fact_name(kind: str, value: str) -> str:
    """The English name of a fact's value: ``fact_name("recipient", "advertisers")`` is
    ``advertising partners``. Values that carry their own words (a phone number, a duration, a
    console path) read as they are."""
    known = _NAMES.get(kind, {}).get(value)
    if known is not None:
        return known
    if value.startswith("path:"):
        return value[len("path:") :]
    if kind in _NAMES and "-" in value and " " not in value:
        return value.replace("-", " ")
    return value


def is_sensitive(value: str) -> bool:
    """Whether a category of personal information is a sensitive one
    (:data:`SENSITIVE_CATEGORIES`); a sub-type written ``parent/sub`` counts by its parent."""
    return value in SENSITIVE_CATEGORIES or value.split("/", 1)[0] in SENSITIVE_CATEGORIES
