"""Reference data: the shipped files load, hold DOMAIN.md's facts, and bad files are reported by place."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from progression.errors import InputError
from progression.reference import (
    Framework,
    Reference,
    ReviewInterval,
    first_year_programme,
    load_reference,
    reference,
    registration_year,
)
from progression.reference.loader import _default_dir

DATA = _default_dir()
SHARED_KSB_CSV = Path("/work/shared/data/skills-england/ST0510-ksbs.csv")


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        load_reference(folder)
    return {p.place: p.message for p in caught.value.problems}


# The shipped data -------------------------------------------------------------------------------


def test_shipped_data_loads_and_is_cached() -> None:
    """The default directory loads; reference() caches it."""
    assert reference() is reference()
    assert set(reference().frameworks) == {
        "pcf",
        "pqs-cf-practitioner",
        "early-career-standards",
        "swe-professional-standards",
        "ST0510",
    }


def test_pcf_has_nine_domains_with_2018_names_and_2012_aliases(ref: Reference) -> None:
    """DOMAIN.md §1: nine domains (2018 names); 2012 "Diversity" and "Intervention and Skills" are aliases."""
    pcf = ref.frameworks["pcf"]
    assert [c.title for c in pcf.capabilities] == [
        "Professionalism",
        "Values and Ethics",
        "Diversity and Equality",
        "Rights, Justice and Economic Wellbeing",
        "Knowledge",
        "Critical Reflection and Analysis",
        "Skills and Interventions",
        "Contexts and Organisations",
        "Professional Leadership",
    ]
    assert [c.number for c in pcf.capabilities] == list(range(1, 10))
    assert pcf.capability("Diversity") == pcf.capability("diversity-and-equality")
    assert pcf.capability("intervention and skills").code == "skills-and-interventions"
    assert (pcf.version, pcf.valid_from) == ("2018", date(2018, 6, 1))
    assert pcf.owner.startswith("British Association")


def test_pcf_super_domains_with_impact_unverified(ref: Reference) -> None:
    """DOMAIN.md §1: Purpose = 2-4, Practice = 5-7; Impact = 1, 8, 9 is inferred [unverified]."""
    pcf = ref.frameworks["pcf"]
    by_group = {g.key: [c.number for c in pcf.capabilities if c.group == g.key] for g in pcf.groups}
    assert by_group == {"purpose": [2, 3, 4], "practice": [5, 6, 7], "impact": [1, 8, 9]}
    assert {g.key: g.unverified for g in pcf.groups} == {"purpose": False, "practice": False, "impact": True}


def test_pcf_nine_levels_and_three_advanced_pathways_in_order(ref: Reference) -> None:
    """DOMAIN.md §1: nine levels; advanced has three pathways; each level covers all nine domains."""
    pcf = ref.frameworks["pcf"]
    assert [lv.key for lv in pcf.levels if lv.pathway_of is None] == [
        "entry",
        "readiness-for-direct-practice",
        "end-of-first-placement",
        "end-of-last-placement",
        "asye",
        "social-worker",
        "experienced-social-worker",
        "advanced",
        "strategic",
    ]
    assert [lv.position for lv in pcf.levels if lv.pathway_of is None] == list(range(1, 10))
    pathways = [lv for lv in pcf.levels if lv.pathway_of]
    assert [(p.key, p.pathway_of, p.position) for p in pathways] == [
        ("advanced-practitioner", "advanced", 8),
        ("professional-educator", "advanced", 8),
        ("manager", "advanced", 8),
    ]
    codes = [c.code for c in pcf.capabilities]
    assert all(lv.domains == codes for lv in pcf.levels)


def test_pqs_practitioner_has_ten_statements_with_unverified_titles(ref: Reference) -> None:
    """DOMAIN.md §2: 10 practitioner statements; 1, 6, 7, 9 confirmed, the rest [unverified]; until 31 Mar 2027."""
    pqs = ref.frameworks["pqs-cf-practitioner"]
    assert len(pqs.capabilities) == 10
    assert [c.number for c in pqs.capabilities if c.unverified] == [2, 3, 4, 5, 8, 10]
    assert pqs.capability("kss-6").title == "Child and family assessment"
    assert [lv.key for lv in pqs.levels] == ["practitioner"]
    assert (pqs.valid_from, pqs.valid_to) == (date(2018, 5, 1), date(2027, 3, 31))


def test_swe_has_six_standards_with_2_3_5_6_unverified(ref: Reference) -> None:
    """DOMAIN.md §4: six SWE standards; 1 and 4 confirmed, 2, 3, 5, 6 [unverified]; SWE from 2 Dec 2019."""
    swe = ref.frameworks["swe-professional-standards"]
    assert len(swe.capabilities) == 6
    assert [c.number for c in swe.capabilities if c.unverified] == [2, 3, 5, 6]
    assert swe.capability("standard-4").title == "Maintain my continuing professional development"
    assert swe.valid_from == date(2019, 12, 2)


def test_early_career_standards_declared_without_statements(ref: Reference) -> None:
    """DOMAIN.md §2: early career standards published 18 Feb 2026, apply from 1 Apr 2027 (statements not listed)."""
    ecs = ref.frameworks["early-career-standards"]
    assert ecs.capabilities == [] and ecs.valid_from == date(2027, 4, 1) and ecs.note


def test_st0510_ksbs_from_csv(ref: Reference) -> None:
    """DOMAIN.md §6 / data README: ST0510 KSBs are K1-K35, S1-S50, B1-B5."""
    ksbs = ref.frameworks["ST0510"]
    counts = {g: sum(1 for c in ksbs.capabilities if c.group == g) for g in ("knowledge", "skill", "behaviour")}
    assert counts == {"knowledge": 35, "skill": 50, "behaviour": 5}
    assert [c.code for c in ksbs.capabilities][:2] == ["K1", "K2"] and ksbs.capabilities[-1].code == "B5"
    assert (ksbs.kind, ksbs.version) == ("apprenticeship-ksbs", "1.1")
    assert ksbs.capabilities_file is not None
    assert "Open Government Licence" in ksbs.capabilities_file.licence


@pytest.mark.skipif(not SHARED_KSB_CSV.exists(), reason="shared data not present")
def test_st0510_csv_is_an_unchanged_copy() -> None:
    """The KSB CSV is copied from the shared data unchanged."""
    assert (DATA / "ST0510-ksbs.csv").read_bytes() == SHARED_KSB_CSV.read_bytes()


def test_programme_keys_are_the_contract_keys(ref: Reference) -> None:
    """CONTRACT.md: reference programmes asye, ecdp, peps-stage-1, peps-stage-2, placement, ST0510."""
    assert list(ref.programmes) == ["asye", "ecdp", "peps-stage-1", "peps-stage-2", "placement", "ST0510"]
    assert {k: p.kind for k, p in ref.programmes.items()} == {
        "asye": "asye",
        "ecdp": "ecdp",
        "peps-stage-1": "peps",
        "peps-stage-2": "peps",
        "placement": "placement",
        "ST0510": "apprenticeship",
    }


def test_asye_programme(ref: Reference) -> None:
    """DOMAIN.md §3: 12 months pro rata; reviews 3, 6, (9), 12; 10% protected time; 10% lower workload (setting)."""
    asye = ref.programmes["asye"]
    assert (asye.duration_months, asye.pro_rata_part_time, asye.supervision, asye.level) == (12, True, "asye", "asye")
    assert [(r.months, r.optional) for r in asye.review_points] == [(3, False), (6, False), (9, True), (12, False)]
    assert asye.protected_time.percent == 10
    assert (asye.workload_reduction.percent, asye.workload_reduction.employer_setting) == (10, True)
    evidence = {e.key: (e.count, e.at_months) for e in asye.evidence}
    assert evidence["direct-observation"] == (3, [])
    assert evidence["feedback-people-who-use-services"] == (3, [])
    assert evidence["feedback-professionals"] == (3, [])
    assert evidence["written-report"] == (3, [])
    assert evidence["critical-reflection"] == (2, [6, 12])


def test_ecdp_and_peps_programmes(ref: Reference) -> None:
    """DOMAIN.md §3, §7: ECDP 2 years [details unverified]; PEPS stage 1 cannot hold a final assessment, stage 2 can."""
    ecdp = ref.programmes["ecdp"]
    assert (ecdp.duration_months, ecdp.unverified, ecdp.framework) == (24, True, "early-career-standards")
    assert ref.programmes["peps-stage-1"].can_hold_final_assessment is False
    assert ref.programmes["peps-stage-2"].can_hold_final_assessment is True


def test_st0510_programme_versions(ref: Reference) -> None:
    """Data README: ST0510 level 6; v1.0 30 months, £23,000, retired; v1.1 36 months, £24,000."""
    st = ref.programmes["ST0510"]
    assert st.qualification_level == 6
    v10, v11 = st.version("1.0"), st.version("1.1")
    assert (v10.duration_months, v10.max_funding_gbp, v10.status) == (30, 23000, "retired")
    assert (v11.duration_months, v11.max_funding_gbp, v11.unverified) == (36, 24000, True)


def test_first_year_programme_switches_on_1_september_2027(ref: Reference) -> None:
    """DOMAIN.md §0, §3: the ECDP replaces the ASYE for child and family social workers from Sep 2027."""
    assert first_year_programme(date(2027, 8, 31)).key == "asye"
    assert first_year_programme(date(2027, 9, 1)).key == "ecdp"
    assert ref.first_year_programme(date(2027, 9, 1), service="children").key == "ecdp"


def test_asye_stays_for_adults(ref: Reference) -> None:
    """DOMAIN.md §3: the ASYE stays for adults."""
    assert ref.first_year_programme(date(2030, 1, 1), service="adults").key == "asye"
    with pytest.raises(InputError):
        ref.first_year_programme(date(2030, 1, 1), service="education")


def test_pqs_to_early_career_standards_on_1_april_2027(ref: Reference) -> None:
    """DOMAIN.md §2: the practitioner PQS applies until 31 Mar 2027; early career standards from 1 Apr 2027."""
    keys = lambda d: {f.key for f in ref.frameworks_on(d)}  # noqa: E731
    assert "pqs-cf-practitioner" in keys(date(2027, 3, 31)) and "early-career-standards" not in keys(date(2027, 3, 31))
    assert "early-career-standards" in keys(date(2027, 4, 1)) and "pqs-cf-practitioner" not in keys(date(2027, 4, 1))
    assert [(c.key, c.effective_on) for c in ref.changeovers] == [
        ("cf-practitioner-standards", date(2027, 4, 1)),
        ("cf-first-year-programme", date(2027, 9, 1)),
    ]


def test_registration_year_runs_1_december_to_30_november() -> None:
    """DOMAIN.md §4: the SWE registration year is 1 Dec - 30 Nov."""
    assert registration_year(date(2026, 11, 30)) == (date(2025, 12, 1), date(2026, 11, 30))
    assert registration_year(date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 11, 30))
    assert registration_year(date(2028, 2, 29)) == (date(2027, 12, 1), date(2028, 11, 30))


def test_cpd_minimum(ref: Reference) -> None:
    """DOMAIN.md §4: at least 2 CPD records a year, at least 1 with peer reflection; 21 days' grace."""
    rule = ref.cpd_rule_on(date(2026, 1, 1))
    assert (rule.min_records, rule.min_peer_reflection_records, rule.grace_days) == (2, 1, 21)
    assert (rule.standard.framework, rule.standard.code) == ("swe-professional-standards", "standard-4")
    with pytest.raises(InputError):
        ref.cpd_rule_on(date(2019, 12, 1))  # before SWE became the regulator


def test_supervision_schedules(ref: Reference) -> None:
    """DOMAIN.md §8: NQSWs weekly for 6 weeks, fortnightly to 6 months, then monthly; others monthly; 1.5 h."""
    asye, standard = ref.supervision["asye"], ref.supervision["standard"]
    start = date(2025, 1, 1)
    assert asye.interval_on(start, date(2025, 2, 11)).weeks == 1  # day 41, within 6 weeks
    assert asye.interval_on(start, date(2025, 2, 12)).weeks == 2
    assert asye.interval_on(start, date(2025, 6, 30)).weeks == 2
    assert asye.interval_on(start, date(2025, 7, 1)).months == 1
    assert standard.interval_on(start, start).months == 1
    assert asye.min_session_hours == standard.min_session_hours == 1.5
    assert asye.group_reflection.expected is True and asye.group_reflection.every is None


def test_placement_rule(ref: Reference) -> None:
    """DOMAIN.md §7: from Sep 2021 >=200 days incl. up to 30 skills days (>=170 on placement), 2 settings, statutory."""
    rule = ref.placement_rule_on(date(2021, 9, 1))
    assert (rule.min_total_days, rule.max_skills_days, rule.min_placement_days, rule.min_settings) == (200, 30, 170, 2)
    assert rule.contrasting_settings and rule.statutory_tasks_required
    with pytest.raises(InputError):
        ref.placement_rule_on(date(2021, 8, 31))


@pytest.mark.parametrize(
    ("start", "key"),
    [
        (date(2022, 7, 31), "twenty-percent"),
        (date(2022, 8, 1), "six-hours-a-week"),
        (date(2025, 7, 31), "six-hours-a-week"),
        (date(2025, 8, 1), "standard-minimum"),
    ],
)
def test_otj_rule_by_start_date(ref: Reference, start: date, key: str) -> None:
    """DOMAIN.md §6: OTJ 20% before Aug 2022; 6 h/week from 1 Aug 2022; per-standard minimum from 1 Aug 2025."""
    assert ref.otj_rule_for_start(start).key == key


def test_otj_rule_details(ref: Reference) -> None:
    """DOMAIN.md §6: 6 h full-time, 20% part-time; from Aug 2025 >=187 h funded and >=8 months."""
    six = ref.otj_rule_for_start(date(2023, 1, 1))
    assert six.full_time_threshold.min_weekly_hours == 30 and six.full_time_threshold.unverified
    assert six.amount_for(37).hours_per_week == 6
    assert six.amount_for(30).hours_per_week == 6
    assert six.amount_for(22.5).percent_of_hours == 20
    assert ref.otj_rule_for_start(date(2020, 1, 1)).amount_for(37).percent_of_hours == 20
    minimum = ref.otj_rule_for_start(date(2025, 8, 1))
    assert (minimum.full_time.per_standard, minimum.min_funded_hours, minimum.min_duration_months) == (True, 187, 8)


@pytest.mark.parametrize(
    ("start", "interval"),
    [
        (date(2022, 8, 1), ReviewInterval(weeks=12)),
        (date(2025, 7, 31), ReviewInterval(weeks=12)),
        (date(2025, 8, 1), ReviewInterval(months=3)),
    ],
)
def test_review_interval_by_start_date(ref: Reference, start: date, interval: ReviewInterval) -> None:
    """DOMAIN.md §6: reviews every 12 weeks from Aug 2022; every 3 calendar months from 2025-26."""
    assert ref.review_interval_for_start(start) == interval


def test_no_review_interval_before_august_2022(ref: Reference) -> None:
    """DOMAIN.md §6 gives no review interval before 1 Aug 2022, so none is chosen."""
    with pytest.raises(InputError, match="2022-07-31"):
        ref.review_interval_for_start(date(2022, 7, 31))


def test_month_intervals_clamp_to_month_end() -> None:
    """CONTRACT.md: N months after D is the same day N months later, clamped (2024-01-31 + 1 month = 2024-02-29)."""
    assert ReviewInterval(months=1).add_to(date(2024, 1, 31)) == date(2024, 2, 29)
    assert ReviewInterval(months=3).add_to(date(2025, 11, 30)) == date(2026, 2, 28)
    assert ReviewInterval(weeks=12).add_to(date(2022, 8, 1)) == date(2022, 10, 24)


def test_every_item_has_sources(ref: Reference) -> None:
    """Each rule, framework and programme cites at least one source."""
    items = [
        *ref.frameworks.values(),
        *ref.programmes.values(),
        *ref.supervision.values(),
        *ref.cpd_rules,
        *ref.placement_rules,
        *ref.otj_rules,
        *ref.review_rules,
        *ref.changeovers,
    ]
    assert all(item.sources for item in items)


# Bad files --------------------------------------------------------------------------------------


def test_missing_field_names_file_and_path(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "pcf.yaml", "{key: end-of-last-placement, title:", "{title:")
    problems = _problems(folder)
    assert "pcf.yaml: levels[3].key" in problems
    assert "required" in problems["pcf.yaml: levels[3].key"].lower()


def test_bad_date(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "apprenticeships.yaml", "valid_from: 2022-08-01", "valid_from: 2022-13-01")
    problems = _problems(folder)
    assert "YYYY-MM-DD" in problems["apprenticeships.yaml: otj_rules[1].valid_from"]


def test_date_not_iso(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "placements.yaml", "valid_from: 2021-09-01", "valid_from: 1 Sep 2021")
    assert "placements.yaml: placement_rules[0].valid_from" in _problems(folder)


def test_valid_to_before_valid_from(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "placements.yaml", "valid_from: 2021-09-01", "valid_from: 2021-09-01\n    valid_to: 2020-01-01")
    assert "before valid_from" in _problems(folder)["placements.yaml: placement_rules[0].valid_to"]


def test_duplicate_capability_code(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "pqs-cf-practitioner.yaml", "code: kss-10,", "code: kss-9,")
    assert "duplicate" in _problems(folder)["pqs-cf-practitioner.yaml: capabilities[9].code"]


def test_alias_clashing_with_a_code(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "pcf.yaml", "aliases: [Diversity]", "aliases: [Knowledge]")
    assert "pcf.yaml: capabilities[4].code" in _problems(folder)


def test_overlapping_dated_rules(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "apprenticeships.yaml", "valid_to: 2025-07-31", "valid_to: 2025-08-31")
    problems = _problems(folder)
    assert "overlaps 'six-hours-a-week'" in problems["apprenticeships.yaml: otj_rules[2].valid_from"]


def test_overlap_across_files_names_the_right_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "extra.yaml").write_text(
        "placement_rules:\n  - {key: extra, valid_from: 2024-01-01, min_total_days: 1, max_skills_days: 0,"
        " min_settings: 1, sources: [x]}\n",
        encoding="utf-8",
    )
    assert "extra.yaml: placement_rules[0].valid_from" in _problems(folder)


def test_unknown_pathway(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    last_pathway = "position: 8, pathway_of: advanced}\n  - key: strategic"
    _edit(folder / "pcf.yaml", last_pathway, last_pathway.replace("advanced}", "advancd}"))
    assert "unknown level 'advancd'" in _problems(folder)["pcf.yaml: levels[10].pathway_of"]


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "cpd.yaml", "    min_records: 2\n", "    min_records: [2\n")
    places = list(_problems(folder))
    assert len(places) == 1 and places[0].startswith("cpd.yaml:") and places[0].split(":")[1].isdigit()


def test_duplicate_yaml_key_gives_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "cpd.yaml", "    min_records: 2\n", "    min_records: 2\n    min_records: 3\n")
    line = (folder / "cpd.yaml").read_text(encoding="utf-8").splitlines().index("    min_records: 3") + 1
    assert "duplicate key 'min_records'" in _problems(folder)[f"cpd.yaml:{line}"]


def test_duplicate_programme_across_files(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = "programmes:\n  - {key: asye, title: Copy, kind: asye, sources: [x]}\n"
    (folder / "zz-local.yaml").write_text(text, encoding="utf-8")
    assert "programmes.yaml" in _problems(folder)["zz-local.yaml: programmes[0].key"]


def test_unknown_supervision_schedule(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "programmes.yaml", "supervision: asye", "supervision: nqsw")
    assert "nqsw" in _problems(folder)["programmes.yaml: programmes[0].supervision"]


def test_changeover_must_match_dates(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "pqs-cf-practitioner.yaml", "valid_to: 2027-03-31", "valid_to: 2027-03-30")
    assert "2027-03-31" in _problems(folder)["early-career.yaml: changeovers[0].replaces"]


def test_unknown_field(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    hours = "    min_session_hours: 1.5\n"
    _edit(folder / "supervision.yaml", hours, hours + "    min_sesion_minutes: 90\n")
    assert "supervision.yaml: supervision[0].min_sesion_minutes" in _problems(folder)


def test_bad_csv_row(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "ST0510-ksbs.csv", "ST0510,knowledge,K4,", "ST0510,knowlege,K4,")
    problems = _problems(folder)
    assert "unknown type 'knowlege'" in problems["ST0510-ksbs.csv:5: ksb_type"]


def test_csv_code_of_wrong_type_and_duplicate(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "ST0510-ksbs.csv", "ST0510,knowledge,K4,", "ST0510,knowledge,S4,")
    _edit(folder / "ST0510-ksbs.csv", "ST0510,knowledge,K6,", "ST0510,knowledge,K5,")
    problems = _problems(folder)
    assert "ST0510-ksbs.csv:5: code" in problems
    assert "also on line 6" in problems["ST0510-ksbs.csv:7: code"]


def test_csv_missing_column(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "ST0510-ksbs.csv", "standard_ref,ksb_type,code,text", "standard_ref,type,code,text")
    assert "ksb_type" in _problems(folder)["ST0510-ksbs.csv:1"]


def test_framework_with_no_capabilities_is_accepted() -> None:
    """The early career standards are declared before their statements are sourced."""
    raw = {"key": "x", "version": "1", "title": "X", "owner": "o", "kind": "capabilities", "sources": ["s"]}
    fw = Framework.model_validate(raw)
    assert fw.capabilities == [] and fw.levels == []


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_reference(tmp_path / "nowhere")
