"""The reader registry: every format cscperf can load, tried in this order when detecting a file.

To add a format, write a reader (``cscperf.ingest.base.Reader``: ``format``, ``detect(path)``,
``read(path, detection)``) and add ONE line to ``READERS``. Order matters only when two
readers could claim the same file: the more specific reader goes first.
"""

from __future__ import annotations

from cscperf.core.errors import CscperfError
from cscperf.ingest.base import Reader
from cscperf.ingest.formats.annex_a import AnnexAReader
from cscperf.ingest.formats.cin_census import CinCensusReader
from cscperf.ingest.formats.csww import CswwReader
from cscperf.ingest.formats.hr import HrReader
from cscperf.ingest.formats.ofsted_providers import OfstedProvidersReader
from cscperf.ingest.formats.ssda903 import Ssda903Reader
from cscperf.ingest.formats.survey import SurveyReader

READERS: list[Reader] = [
    CinCensusReader(),
    Ssda903Reader(),
    CswwReader(),
    HrReader(),
    SurveyReader(),
    OfstedProvidersReader(),
    AnnexAReader(),  # last: it claims every workbook, so a damaged one gets a clear message
]


def formats() -> list[str]:
    """Format names accepted by ``--format`` (annex-a, cin, 903, csww, hr, survey once all are in)."""
    return [r.format for r in READERS]


def reader_for(format_name: str) -> Reader:
    for reader in READERS:
        if reader.format == format_name:
            return reader
    raise CscperfError(f"unknown format {format_name!r}; known: {', '.join(formats())}")
