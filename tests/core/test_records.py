"""Record classes: the core's cheap plain-data classes behave like the attrs classes beside them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imf import serde
from imf.errors import ConfigError
from imf.records import FrozenRecordError, Record, factory, is_record
from imf.validate import Validator


class Limits(Record, frozen=True):
    timeout: float = 5.0
    after: timedelta = timedelta(minutes=15)
    names: list[str] = factory(list)


class Rule(Record, frozen=True):
    id: str
    limits: Limits = factory(Limits)


class Info(Record):
    name: str
    active: bool = False


def test_defaults_and_fresh_factories():
    one, two = Limits(), Limits()
    assert (one.timeout, one.after, one.names) == (5.0, timedelta(minutes=15), [])
    assert one.names is not two.names
    assert Rule(id="a").limits == Limits()


def test_positional_construction_in_field_order():
    assert Info("x", True) == Info(name="x", active=True)
    with pytest.raises(TypeError, match="twice"):
        Info("x", name="y")
    with pytest.raises(TypeError, match="at most 2"):
        Info("x", True, 3)


def test_keyword_construction_checks_arguments():
    with pytest.raises(TypeError, match="needs the argument 'id'"):
        Rule()
    with pytest.raises(TypeError, match="unexpected arguments: colour"):
        Limits(colour=1)


def test_frozen_records_refuse_assignment_and_mutable_ones_allow_it():
    rule = Rule(id="a")
    with pytest.raises(FrozenRecordError):
        rule.id = "b"
    with pytest.raises(AttributeError):
        del rule.id
    info = Info(name="x")
    info.active = True
    assert info.active


def test_equality_and_repr_by_fields():
    assert Limits(timeout=1.0) == Limits(timeout=1.0)
    assert Limits(timeout=1.0) != Limits(timeout=2.0)
    assert Limits() != Info(name="x")
    assert repr(Info(name="x")) == "Info(name='x', active=False)"
    with pytest.raises(TypeError):
        hash(Limits())


def test_validator_builds_records_and_names_bad_keys():
    built = Validator().build(Rule, {"id": "r", "limits": {"after": "1h", "names": ["a"]}}, "x")
    assert built == Rule(id="r", limits=Limits(after=timedelta(hours=1), names=["a"]))
    with pytest.raises(ConfigError, match=r"x\.limits\.timeout"):
        Validator().build(Rule, {"id": "r", "limits": {"timeout": "soon"}}, "x")
    with pytest.raises(ConfigError, match=r"x\.id"):
        Validator().build(Rule, {}, "x")


def test_serde_writes_records_as_tables():
    assert serde.unstructure(Rule(id="r")) == {
        "id": "r",
        "limits": {"timeout": 5.0, "after": 900.0, "names": []},
    }
    assert is_record(Rule) and not is_record(Record) and not is_record(Rule(id="r"))
