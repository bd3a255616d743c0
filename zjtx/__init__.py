"""专精特新评审助手: intake, scoring, review and reports for SME title evaluations."""

__version__ = "0.1.0"
