"""Synthetic applicants: the renewal gates are answered by renewals only, a few failing them."""

from zjtx.intake.synthetic import applicants


def test_renewals_answer_the_renewal_gates_and_new_applications_do_not():
    """Every renewal answers 按期更新 and 重大变化报告; a new application leaves them out; no
    applicant was revoked."""
    people = applicants(300, 2026)
    renewals = [p for p in people if p["application_type"] == "renewal"]
    new = [p for p in people if p["application_type"] == "new"]
    assert renewals and new and len(renewals) + len(new) == len(people)
    assert all(isinstance(p["annual_update_on_time"], bool) for p in renewals)
    assert {p["major_change_report"] for p in renewals} == {"none", "on_time", "late"}
    assert not any("annual_update_on_time" in p or "major_change_report" in p for p in new)
    assert all(p["revoked_3y"] is False for p in people)
    failing = [
        p for p in renewals if not p["annual_update_on_time"] or p["major_change_report"] == "late"
    ]
    assert 0 < len(failing) < len(renewals) // 5
