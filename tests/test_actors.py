"""Tests of the actor finder's predicate cut (actors._predicate_cut) and of find_actors around it."""

from __future__ import annotations

import pytest

from ketluan.actors import _actor_lexicons, _phrase_stops, _predicate_cut, find_actors

PHRASES = frozenset({"chủ trì", "phối hợp", "tham mưu"})


@pytest.mark.parametrize(
    ("word", "cut"),
    [
        ("sở y tế chủ trì", 8),  # "Sở Y tế | chủ trì"
        ("trung tâm y tế phối hợp", 15),
        ("chủ trì", 0),  # the predicate alone is no word to cut
        ("sở tài chính", 0),
        ("văn phòng tham mưu", 10),
        ("phòng chủ trì phối hợp", 14),  # the shortest predicate it ends in: the cut nearest the end
    ],
)
def test_actors_predicate_cut_at_the_predicate_a_word_swallowed(word: str, cut: int) -> None:
    assert _predicate_cut(word, PHRASES) == cut


def test_actors_phrase_stops_are_the_stops_of_several_words() -> None:
    stops = _actor_lexicons()[2]
    phrases = _phrase_stops(stops)
    assert phrases and all(" " in p for p in phrases)
    assert phrases == {s for s in stops if " " in s}


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        (
            "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính rà soát",
            ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
        ),
        ("Công an xã tăng cường tuần tra", ["Công an xã"]),
    ],
)
def test_actors_find_actors_stop_at_the_predicate(text: str, actors: list[str]) -> None:
    assert find_actors(text) == actors
