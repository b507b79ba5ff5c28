"""imf.serde: writing model objects without cattrs gives what the cattrs converter gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from imf import model, serde
from imf.store.base import IncidentRow

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
json_tables = st.dictionaries(st.text(max_size=8), json_values, max_size=4)

model.resolve()
for cls in (model.Incident, model.Event, model.Postmortem, model.SeverityPolicy, model.Delivery):
    attrs.resolve_types(cls)

incidents = st.builds(
    model.Incident,
    refs=st.dictionaries(st.text(max_size=8), json_tables, max_size=3),
    classification=json_tables,
)
events = st.builds(model.Event, data=json_tables)


@settings(max_examples=150, deadline=None)
@given(incidents)
def test_incidents_unstructure_as_cattrs_does(incident):
    assert serde.unstructure(incident) == serde.converter().unstructure(incident)


@settings(max_examples=150, deadline=None)
@given(incidents)
def test_incidents_round_trip(incident):
    data = json.loads(serde.dumps(incident))
    assert serde.unstructure(serde.structure(data, model.Incident)) == data


@settings(max_examples=60, deadline=None)
@given(
    events,
    st.from_type(model.Postmortem),
    st.from_type(model.SeverityPolicy),
    st.from_type(model.Delivery),
)
def test_other_model_objects_unstructure_as_cattrs_does(event, postmortem, policy, delivery):
    for value in (event, postmortem, policy, delivery):
        assert serde.unstructure(value) == serde.converter().unstructure(value)


def test_values_inside_event_data():
    at = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    data = {
        "at": at,
        "after": timedelta(minutes=90),
        "status": model.Status.MITIGATING,
        "items": ("a", "b"),
        "nested": {"when": at.date()},
    }
    assert serde.unstructure(data) == {
        "at": "2026-11-28T12:00:00+00:00",
        "after": 5400.0,
        "status": "mitigating",
        "items": ["a", "b"],
        "nested": {"when": "2026-11-28"},
    }


def test_log_and_postmortem_classes_load_on_first_use():
    import subprocess
    import sys

    code = (
        "import sys, imf.model as m; assert 'imf.model_postmortem' not in sys.modules; "
        "assert 'imf.model_log' not in sys.modules; "
        "assert m.Note is sys.modules['imf.model_log'].Note; "
        "assert m.Postmortem is sys.modules['imf.model_postmortem'].Postmortem; "
        "from imf.model import Why; import imf; assert imf.ActionItem.__module__ == "
        "'imf.model_postmortem'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_incident_rows_become_tables():
    at = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    row = IncidentRow("INC-1", 1, "API", "P2", "investigating", at, None, ("api",))
    assert serde.unstructure([row]) == [
        {
            "id": "INC-1",
            "number": 1,
            "title": "API",
            "severity": "P2",
            "status": "investigating",
            "declared_at": "2026-11-28T12:00:00+00:00",
            "resolved_at": None,
            "services": ["api"],
        }
    ]
