"""Stage 2b, statements: a clause tree -> what the policy says, as statements; two versions ->
what they state differently.

Takes a :class:`~analyzer.model.ClauseTree` and gives :class:`~analyzer.statements.model.PolicyStatements`
(:func:`statements_of`): who acts, doing what, to which information (with sensitive
sub-types), for whom, why, where, affirmed or denied, under which conditions; rights granted,
limited or denied with their channels, deadlines and fees; contacts, controllers, risks.
:func:`compare_statements` compares two versions at policy level
(:class:`~analyzer.statements.model.StatementDelta`): a statement stated before and after is
unchanged wherever it moved. Built on the facts of :mod:`analyzer.facts`; pure.

The API is stable (other stages and tools build on it): :func:`statements_of`,
:func:`statements_of_text`, :func:`compare_statements` and the dataclasses of
:mod:`~analyzer.statements.model`, each with ``to_dict()``.
"""

from analyzer.statements.compare import compare_statements
from analyzer.statements.model import (
    ATOM_KINDS,
    CHANGE_HOWS,
    STATEMENT_KINDS,
    PolicyStatements,
    Statement,
    StatementChange,
    StatementDelta,
)
from analyzer.statements.read import statements_of, statements_of_text

__all__ = [
    "ATOM_KINDS",
    "CHANGE_HOWS",
    "STATEMENT_KINDS",
    "PolicyStatements",
    "Statement",
    "StatementChange",
    "StatementDelta",
    "compare_statements",
    "statements_of",
    "statements_of_text",
]
