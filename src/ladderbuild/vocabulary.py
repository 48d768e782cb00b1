"""The framework's own words for labels that differ between fields of work.

An engineering ladder says "Theme" where a clinical one says "Domain", and has no "Scope of
practice". framework.yaml's `vocabulary:` sets any of these labels; a label it leaves out is
ladderbuild's default below, in the framework's language (the translation catalogue). Templates
ask for a label by key (`term("domain")`), never write the word themselves.
"""

from __future__ import annotations

from .i18n import N_
from .model import Vocabulary

DEFAULTS: dict[str, str] = {
    "level": N_("Level"),
    "levels": N_("Levels"),
    "track": N_("Track"),
    "competency": N_("Competency"),
    "competencies": N_("Competencies"),
    "domain": N_("Domain"),
    "stage": N_("Expected stage"),
    "responsibilities": N_("Responsibilities"),
    "scope_notes": N_("Scope and limits"),
    "credentials": N_("Credentials"),
    "credentials_none": N_("None required"),
    "experience": N_("Experience"),
    "education": N_("Education"),
    "reports_to": N_("Reports to"),
    "pay_differential": N_("Pay differential"),
    "grade": N_("Grade"),
    "indicators": N_("Indicators"),
    "evidence": N_("Evidence"),
    "eligibility": N_("Eligibility to apply"),
    "specialism": N_("Specialism"),
    "specialisms": N_("Specialisms"),
    "role": N_("Role"),
    "roles": N_("Roles"),
    "unit": N_("Unit"),
}


def label(vocabulary: Vocabulary | None, key: str, gettext) -> str:
    """The framework's word for `key`, else the default translated with `gettext`."""
    own = getattr(vocabulary, key, "") if vocabulary is not None else ""
    return own or gettext(DEFAULTS[key])

