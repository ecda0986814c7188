"""The cue lists compile each cue when it is first read, and read as compiled ones would."""

from __future__ import annotations

import re

import pytest

from parsing import lexicon
from parsing.lexicon import Cues


def test_a_cue_is_compiled_when_first_read_and_kept() -> None:
    fresh = Cues(lexicon._zh())
    assert not any(name in vars(fresh) for name in Cues.__lazy__)  # nothing compiled yet
    survey = fresh.survey_doc
    assert isinstance(survey, re.Pattern) and survey.search("请填写满意度问卷")
    assert [name for name in Cues.__lazy__ if name in vars(fresh)] == ["survey_doc"]
    assert fresh.survey_doc is survey
    assert fresh.joins_changes is True and Cues(lexicon._en()).joins_changes is False


def test_a_cue_a_language_does_not_use_never_matches_and_an_unknown_one_is_an_error() -> None:
    unused = [name for name in Cues.__lazy__ if name not in lexicon._en()]
    assert unused, "every cue is used by English: pick another check"
    assert getattr(Cues(lexicon._en()), unused[0]).search("anything at all") is None
    with pytest.raises(AttributeError, match="no attribute 'surveydoc'"):
        _ = Cues(lexicon._zh()).surveydoc
    with pytest.raises(TypeError, match="unknown cue"):
        Cues({"survey_docs": "x"})


def test_every_cue_compiles_to_the_pattern_written() -> None:
    for language, sources in (("zh", lexicon._zh()), ("en", lexicon._en())):
        found = lexicon.cues(language)
        for name in Cues.__lazy__:
            source = sources.get(name)
            assert getattr(found, name).pattern == (source if isinstance(source, str) else "(?!)"), (language, name)
