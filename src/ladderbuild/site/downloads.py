"""What each level offers beyond its page — job description, interview guide, worksheet — and the
Downloads page that lists them with the JSON API and the past versions."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..hiring import has_interview
from ..resolve import Framework, Level


@dataclass(frozen=True)
class LevelDownloads:
    level: Level
    job: str  # the job description's page
    job_pdf: str | None  # None: the PDF is not part of this build
    interview: str | None  # None: no competency the level expects has interview questions
    interview_pdf: str | None
    worksheet: str
    worksheet_csv: str


def level_downloads(fw: Framework, level: Level, pdfs: set[str]) -> LevelDownloads:
    interview = has_interview(fw, level)
    return LevelDownloads(
        level=level,
        job=urls.job(level.id),
        job_pdf=urls.job_pdf(level.id) if urls.job_pdf(level.id) in pdfs else None,
        interview=urls.interview(level.id) if interview else None,
        interview_pdf=urls.interview_pdf(level.id) if interview and urls.interview_pdf(level.id) in pdfs else None,
        worksheet=urls.worksheet(level.id),
        worksheet_csv=urls.worksheet_csv(level.id),
    )


def downloads_view(fw: Framework, pdfs: set[str]) -> dict:
    return {
        "levels": tuple(level_downloads(fw, lvl, pdfs) for lvl in fw.all_levels),
        "api": urls.api("framework.json"),
        "schemas": urls.api("schemas/"),
    }
