"""Markdown, HTML and Chinese plain text come out as clause trees a reader would recognise."""

from __future__ import annotations

import textwrap

import pytest

from analyzer.model import ClauseTree, Document
from analyzer.parse.ingest import read_document
from analyzer.parse.lost import lost_text, text_of_tree
from analyzer.parse.tree import parse


def _parse(text: str, name: str) -> tuple[Document, ClauseTree]:
    document = read_document(textwrap.dedent(text).lstrip("\n").encode("utf-8"), name)
    tree = parse(document)
    assert lost_text(document, tree) is None
    return document, tree


def _kids(tree: ClauseTree, parent: str | None) -> list[str]:
    return [c.id for c in tree.clauses if c.parent == parent]


MARKDOWN = """
---
title: Example Privacy Policy
language: en
---
# Example Privacy Policy

*Last updated: May 1, 2024* {: datetime="2024-05-01" }

This policy is split into sections:

* [What we collect](#what-we-collect)
* [Your rights](#your-rights)

<!-- an editor's note that is not part of the policy -->

## What we collect

We collect the following data:

- **Account data**: your name and [e-mail address](mailto:privacy@example.com).
- Usage data, such as:
  - pages you visit;
  - the time of your visit.

| Data | Why | Kept for |
| --- | --- | --- |
| Name | To run your account | 2 years |
| IP address | Security | 30 days |

## Your rights

As a user, you have the right to:

1. Access your data
1. Delete your data (see <https://example.com/delete>)

   Deletion takes up to 30 days.

> We never sell your data.

### 1. Changes

We will notify you 30 days before a change.

### 2. Contact

Write to privacy@example.com.
"""


def test_markdown_tree() -> None:
    document, tree = _parse(MARKDOWN, "policy.md")
    index = tree.by_id()
    assert document.format == "markdown"
    # the only top-level heading is the title: it does not swallow the document
    assert index["h-example-privacy-policy"].kind == "preamble"
    assert index["p1"].text == "Last updated: May 1, 2024"  # markup and {: …} gone
    contents = index["contents"]
    assert contents.heading == "This policy is split into sections:"
    assert contents.text == "What we collect (#what-we-collect)\nYour rights (#your-rights)"
    collect = "h-what-we-collect"
    assert index[collect].heading == "What we collect" and index[collect].parent is None
    assert index[collect].address == "What we collect"
    assert _kids(tree, collect) == [f"{collect}-p1", f"{collect}-t1"]
    intro = f"{collect}-p1"
    assert _kids(tree, intro) == [f"{intro}-i1", f"{intro}-i2"]
    assert index[f"{intro}-i1"].text == (
        "Account data: your name and e-mail address (mailto:privacy@example.com)."
    )
    assert [index[i].text for i in _kids(tree, f"{intro}-i2")] == [
        "pages you visit;",
        "the time of your visit.",
    ]
    table = index[f"{collect}-t1"]
    assert table.kind == "table" and table.text == "Data | Why | Kept for"
    assert [index[r].text for r in _kids(tree, table.id)] == [
        "Name | To run your account | 2 years",
        "IP address | Security | 30 days",
    ]


def test_markdown_ordered_lists_and_numbered_headings() -> None:
    _, tree = _parse(MARKDOWN, "policy.md")
    index = tree.by_id()
    rights = "h-your-rights-p1"
    assert _kids(tree, rights) == [f"{rights}(1)", f"{rights}(2)"]
    first, second = index[f"{rights}(1)"], index[f"{rights}(2)"]
    # CommonMark numbers "1. 1." as 1, 2; the label stays as written
    assert (first.label, first.number, second.label, second.number) == ("1.", (1,), "1.", (2,))
    assert second.text == "Delete your data (see https://example.com/delete)"
    assert [index[i].text for i in _kids(tree, second.id)] == ["Deletion takes up to 30 days."]
    assert index["h-your-rights-p2"].text == "We never sell your data."
    changes = index["h-your-rights.1"]
    assert (changes.label, changes.heading, changes.number) == ("1.", "Changes", (1,))
    assert changes.parent == "h-your-rights"
    assert changes.address == "Your rights › 1."
    assert _kids(tree, changes.id) == ["h-your-rights.1-p1"]
    assert index["h-your-rights.2"].heading == "Contact"


def test_markdown_lines_count_the_front_matter() -> None:
    _, tree = _parse(MARKDOWN, "policy.md")
    index = tree.by_id()
    source = textwrap.dedent(MARKDOWN).lstrip("\n").splitlines()
    for clause in tree.clauses:
        first, last = clause.lines
        assert 1 <= first <= last <= len(source)
    assert source[index["h-what-we-collect"].lines[0] - 1] == "## What we collect"
    row = index["h-what-we-collect-t1-r2"]
    assert source[row.lines[0] - 1].startswith("| IP address")


def test_numbered_markdown_headings_number_their_clauses() -> None:
    text = """
    ## A. Definitions

    Terms we use.

    ## B. Account Terms

    ### 1. Account Controls

    You control your account.

    ### 2. Required Information

    A valid e-mail address.

    ## I. Additional Product Terms

    ## 5.3 Deletion

    We delete on request.
    """
    _, tree = _parse(text, "tos.md")
    index = tree.by_id()
    assert index["s1"].heading == "Definitions" and index["s1"].label == "A."
    assert index["s2.1"].heading == "Account Controls" and index["s2.1"].parent == "s2"
    assert index["s2.2"].number == (2, 2)
    # after B., "I." is read as a letter like its siblings (9), not as Roman 1
    assert index["s9"].heading == "Additional Product Terms" and index["s9"].label == "I."
    assert index["s5.3"].number == (5, 3) and index["s5.3"].heading == "Deletion"


def test_letter_i_after_h_is_a_letter() -> None:
    headings = "\n\n".join(f"## {letter}. Part {letter}" for letter in "ABCDEFGHIJ")
    _, tree = _parse(headings, "tos.md")
    assert [c.number for c in tree.clauses] == [(n,) for n in range(1, 11)]
    assert tree.by_id()["s9"].label == "I."


HTML = """
<!doctype html>
<html lang="en">
<head>
  <title>Privacy | Example</title>
  <style>body { font-family: sans-serif; }</style>
  <script>window.analytics = "track-everything";</script>
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/blog">Blog</a></nav></header>
<aside>Subscribe to our newsletter</aside>
<main>
  <h1>Privacy Policy</h1>
  <p>Effective <b>June 1, 2024</b>.</p>
  <h2>1. What we collect</h2>
  <p>We collect:</p>
  <ol>
    <li>Your name</li>
    <li>Your e-mail address, see <a href="https://example.com/email">details</a></li>
  </ol>
  <h2>2. Sharing</h2>
  <table>
    <thead><tr><th>Recipient</th><th>Purpose</th></tr></thead>
    <tbody>
      <tr><td>Payment processor</td><td>Billing</td></tr>
      <tr><td>Hosting provider</td><td>Storage</td></tr>
    </tbody>
  </table>
  <noscript>Please enable JavaScript.</noscript>
  <form><input name="q"><button>Search</button></form>
</main>
<footer>© 2024 Example Inc. <a href="/terms">Terms</a></footer>
<script>console.log("bye")</script>
</body>
</html>
"""


def test_html_page() -> None:
    document, tree = _parse(HTML, "privacy.html")
    assert document.format == "html"
    everything = text_of_tree(tree)
    for chrome in (
        "Home",
        "Blog",
        "newsletter",
        "track-everything",
        "font-family",
        "JavaScript",
        "Search",
        "© 2024",
        "bye",
        "Privacy | Example",
    ):
        assert chrome not in everything, chrome
    index = tree.by_id()
    assert index["h-privacy-policy"].kind == "preamble"
    assert index["p1"].text == "Effective June 1, 2024."
    assert index["s1"].heading == "What we collect"
    assert _kids(tree, "s1") == ["s1-p1"]
    assert [index[i].text for i in _kids(tree, "s1-p1")] == [
        "Your name",
        "Your e-mail address, see details (https://example.com/email)",
    ]
    assert index["s1-p1(2)"].number == (1, 2) and index["s1-p1(2)"].label is None
    table = index["s2-t1"]
    assert table.text == "Recipient | Purpose"
    assert [index[r].text for r in _kids(tree, table.id)] == [
        "Payment processor | Billing",
        "Hosting provider | Storage",
    ]
    source = textwrap.dedent(HTML).lstrip("\n").splitlines()
    assert "Hosting provider" in source[index["s2-t1-r2"].lines[0] - 1]


def test_html_without_main_keeps_the_body_but_not_the_chrome() -> None:
    page = """
    <html><body>
    <nav>Menu</nav>
    <h2>Cookies</h2>
    <p>We use cookies.<br>Only a few.</p>
    <ul><li>Session<ul><li>expires at logout</li></ul></li><li>Preferences</li></ul>
    <footer>Footer links</footer>
    </body></html>
    """
    _, tree = _parse(page, "page.htm")
    assert "Menu" not in text_of_tree(tree) and "Footer" not in text_of_tree(tree)
    index = tree.by_id()
    assert index["h-cookies-p1"].text == "We use cookies.\nOnly a few."
    assert index["h-cookies-i1"].text == "Session"
    assert index["h-cookies-i1-i1"].text == "expires at logout"
    assert index["h-cookies-i2"].text == "Preferences"


CHINESE_ARTICLES = """
某某公司隐私政策

更新日期：2023年5月26日

第一章 总则

第一条 为了保护用户的个人信息，制定本政策。

第二条 本政策适用于本公司提供的全部服务。

第二章 个人信息的收集

第三条 我们会在以下情形收集您的个人信息：

（一）您注册账户时提供的信息；

（二）您使用服务时产生的信息：

1. 设备信息；

2. 日志信息。

（三）第三方提供的信息。

第十二条 我们不会向第三方出售您的个人信息。
"""

CHINESE_SECTIONS = """
隐私政策

本政策将帮助您了解以下内容：

一、我们如何收集您的信息

二、我们如何使用您的信息

三、如何联系我们

一、我们如何收集您的信息

（一）注册信息

您注册时需提供手机号码。

（二）设备信息

1、设备型号；

2、操作系统版本。

二、我们如何使用您的信息

我们仅在本政策所述目的范围内使用您的信息。

三、如何联系我们

如您有任何疑问，请拨打客服热线 95187。
"""


def test_chinese_chapters_and_articles() -> None:
    _, tree = _parse(CHINESE_ARTICLES, "zh.txt")
    index = tree.by_id()
    assert tree.language == "zh"
    assert not tree.warnings
    assert index["s1"].label == "第一章" and index["s1"].heading == "总则"
    assert _kids(tree, "s2") == ["s2.3", "s2.12"]
    article = index["s2.3"]
    assert article.label == "第三条" and article.address == "第三条"
    assert article.text == "我们会在以下情形收集您的个人信息："
    assert _kids(tree, "s2.3") == ["s2.3(1)", "s2.3(2)", "s2.3(3)"]
    assert _kids(tree, "s2.3(2)") == ["s2.3(2)(1)", "s2.3(2)(2)"]
    assert index["s2.3(2)(2)"].text == "日志信息。"
    assert index["s2.12"].number == (2, 12) and index["s2.12"].label == "第十二条"


def test_chinese_sections_items_and_contents() -> None:
    _, tree = _parse(CHINESE_SECTIONS, "zh.txt")
    index = tree.by_id()
    assert index["contents"].heading == "本政策将帮助您了解以下内容："
    assert index["contents"].text.splitlines() == [
        "一、我们如何收集您的信息",
        "二、我们如何使用您的信息",
        "三、如何联系我们",
    ]
    assert [c for c in _kids(tree, None) if c.startswith("s")] == ["s1", "s2", "s3"]
    assert index["s1"].heading == "我们如何收集您的信息"
    assert index["s1(1)"].heading == "注册信息"
    assert _kids(tree, "s1(1)") == ["s1(1)-p1"]  # a titled item owns the text under it
    assert _kids(tree, "s1(2)") == ["s1(2)(1)", "s1(2)(2)"]
    assert index["s3-p1"].text == "如您有任何疑问，请拨打客服热线 95187。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "2018. In May…" is prose, not clause 2018
        ("1. Scope\n\nText.\n\n2018. In May we changed this policy.\n", ["s1", "s1-p1", "s1-p2"]),
        # a decimal after a section is not a clause either
        ("1. Storage\n\nYou get:\n\n1.5 GB of storage.\n", ["s1", "s1-p1", "s1-p2"]),
        ("1. Pi\n\nIntro.\n\n3.14 is roughly pi.\n", ["s1", "s1-p1", "s1-p2"]),
        # "I am" is the pronoun
        ("1. Us\n\nIntro.\n\nI am the controller.\n", ["s1", "s1-p1", "s1-p2"]),
    ],
)
def test_prose_that_looks_numbered(text: str, expected: list[str]) -> None:
    _, tree = _parse(text, "p.txt")
    assert [c.id for c in tree.clauses] == expected


def test_duplicated_top_level_number_is_repaired() -> None:
    _, tree = _parse("1、 One\n\nText.\n\n2、 Two\n\nText.\n\n2、 Three\n\nText.\n", "p.txt")
    assert [c.id for c in tree.clauses if c.parent is None] == ["s1", "s2", "s3"]
    assert tree.by_id()["s3"].label == "2、"
    assert tree.warnings == ("line 9: duplicated number '2、' read as 3",)


def test_one_clause_per_line_without_blank_lines() -> None:
    _, tree = _parse("1. Scope\n1.1. First rule.\n1.2. Second rule.\n(1) an item\n", "p.txt")
    assert [(c.id, c.lines) for c in tree.clauses] == [
        ("s1", (1, 1)),
        ("s1.1", (2, 2)),
        ("s1.2", (3, 3)),
        ("s1.2(1)", (4, 4)),
    ]


def test_chinese_decimal_numbers_one_per_line() -> None:
    """'3.1 您可以…' lines without blank lines or a closing dot are clauses of 三、."""
    text = (
        "一、我们如何收集您的信息\n"
        "1.1 当您注册时，我们会收集您的手机号码。\n"
        "1.2 我们会收集您的设备信息。\n"
        "二、联系我们\n"
        "2.1 您可以拨打客服电话 400-123-4567。\n"
        "2.2 我们将在十五天内回复。\n"
    )
    _, tree = _parse(text, "zh.txt")
    index = tree.by_id()
    assert _kids(tree, "s1") == ["s1.1", "s1.2"]
    assert _kids(tree, "s2") == ["s2.1", "s2.2"]
    assert index["s2.2"].text == "我们将在十五天内回复。"
    assert index["s2.1"].lines == (5, 5)


def test_a_quantity_at_the_start_of_a_line_stays_in_its_paragraph() -> None:
    # 4.2 does not continue 1.1, so the line is prose, not a clause
    text = "1. Ratings\n1.1. Reviews\nOur apps are rated well.\n4.2 Stars is the average.\n"
    _, tree = _parse(text, "p.txt")
    assert [c.id for c in tree.clauses] == ["s1", "s1.1"]
    assert tree.by_id()["s1.1"].text == "Our apps are rated well.\n4.2 Stars is the average."


def test_a_wrapped_reference_does_not_start_an_item() -> None:
    text = (
        "1. Registration\n\n"
        "You may give us (1) your company name; (2) your phone. We use the information in\n"
        "category (1) to promote products, and we write to you about category\n"
        "(2) of this article.\n"
    )
    _, tree = _parse(text, "p.txt")
    assert [c.id for c in tree.clauses] == ["s1", "s1-p1"]
    assert tree.by_id()["s1-p1"].text.endswith("category\n(2) of this article.")


def test_plain_text_columns_are_a_table() -> None:
    text = (
        "1. Retention\n\n"
        "We keep data as follows:\n\n"
        "    Kind of data        Kept for\n"
        "    Account data        12 months after the last login\n"
        "    Invoices            7 years\n\n"
        "A sentence with  two spaces in it\nand a second line is no table.\n"
    )
    _, tree = _parse(text, "p.txt")
    index = tree.by_id()
    table = next(c for c in tree.clauses if c.kind == "table")
    assert table.text == "Kind of data | Kept for"
    rows = [c for c in tree.clauses if c.parent == table.id]
    assert [r.text for r in rows] == [
        "Account data | 12 months after the last login",
        "Invoices | 7 years",
    ]
    assert [r.lines for r in rows] == [(6, 6), (7, 7)]
    assert sum(c.kind == "table" for c in index.values()) == 1
