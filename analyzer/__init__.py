"""policy-analyzer: version privacy policies and judge what each revision owes its users."""

__version__ = "0.1.0.dev0"
