"""ProdReady: decide when an AI prototype needs production-grade engineering.

The public API is small: :func:`assess` turns an answers document into a :class:`Report`;
:func:`load_ruleset` gives the rules that drive it.
"""

__version__ = "0.1.0"

from prodready.answers import AnswersError
from prodready.evaluate import assess
from prodready.loader import RuleSetError, load_ruleset
from prodready.report import Report

__all__ = ["AnswersError", "Report", "RuleSetError", "__version__", "assess", "load_ruleset"]
