"""The building blocks of content-file declarations, and their problems in plain words."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError, model_validator

from waypost.core.file_schema import Number, Text, above, explained, plain_problems, problem


class Sample(BaseModel):
    """A small declared file: every building block once."""

    name: Text
    score: Number = 0
    weight: Annotated[Number, above(0)] = 1
    colour: Annotated[str, explained("must be a colour, not {value}")] = "red"

    @model_validator(mode="after")
    def _name_is_free(self) -> Sample:
        if self.name == "taken":
            raise problem("is used by another sample", at=("name",))
        return self


def _lines(data: dict) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return plain_problems(
        caught.value.errors(),
        describe=lambda loc: ".".join(str(part) for part in loc),
        missing=lambda loc: f"{loc[-1]} is missing",
    )


def test_a_number_keeps_its_kind():
    # given whole and decimal numbers as JSON reads them
    # when they are validated
    sample = Sample.model_validate({"name": "a", "score": 3, "weight": 2.5})
    # then an int stays an int and a float a float, as scores are printed
    assert type(sample.score) is int
    assert type(sample.weight) is float


@pytest.mark.parametrize("value", [True, "3", float("nan"), float("inf")])
def test_true_text_and_nan_are_not_numbers(value):
    # given a score that JSON can hold but that is no number to score with
    # when it is validated, then the value is shown as written
    assert _lines({"name": "a", "score": value}) == [f"score must be a number, not {value!r}"]


@pytest.mark.parametrize("value", [None, "", "   "])
def test_null_or_blank_text_is_missing(value):
    # given text that is null or blank, when it is validated, then it is told as missing
    assert _lines({"name": value}) == ["name is missing"]


def test_a_limit_is_told_once_the_value_is_a_number():
    # given a weight that must be above 0
    # when it is 0, then the limit is told; when it is text, then the type is
    assert _lines({"name": "a", "weight": 0}) == ["weight must be above 0"]
    assert _lines({"name": "a", "weight": "x"}) == ["weight must be a number, not 'x'"]


def test_an_explained_value_is_told_in_its_own_words():
    # given a field whose declaration says what it must be
    # when it is wrong, then that sentence is used, not pydantic's
    assert _lines({"name": "a", "colour": 7}) == ["colour must be a colour, not 7"]


def test_a_rule_across_fields_points_at_the_field_it_names():
    # given a rule of the whole sample about its name
    # when it fails, then the problem is told at the name
    assert _lines({"name": "taken"}) == ["name: is used by another sample"]


def test_every_problem_is_told_once_in_order():
    # given three wrong fields, when validated, then each is told once, in declaration order
    assert _lines({"score": "x", "colour": 7}) == [
        "name is missing",
        "score must be a number, not 'x'",
        "colour must be a colour, not 7",
    ]
