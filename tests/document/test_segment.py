"""Sentence segmentation: the rules, and the invariant that nothing is lost or doubled."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warraq.document.model import SEGMENT_SEPARATOR
from warraq.document.segment import split_sentences
from warraq.document.text import normalise_spaces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ذهب. ثم عاد.", ["ذهب.", "ثم عاد."]),
        ("هل ذهب؟ نعم!", ["هل ذهب؟", "نعم!"]),
        ("Is it? Yes.", ["Is it?", "Yes."]),
        ("انتظر… ثم تكلم", ["انتظر…", "ثم تكلم"]),
        ("انتظر... ثم تكلم", ["انتظر...", "ثم تكلم"]),
        ("أولاً، الأمن؛ ثانياً، الاقتصاد.", ["أولاً، الأمن؛ ثانياً، الاقتصاد."]),
        ("بلغ 24.5 في المئة.", ["بلغ 24.5 في المئة."]),
        ("بلغ ٣٫٥ في المئة. ثم ارتفع.", ["بلغ ٣٫٥ في المئة.", "ثم ارتفع."]),
        ("انظر ص. ١٢ من الكتاب.", ["انظر ص. ١٢ من الكتاب."]),
        ("قال د. أحمد إنه مستعد.", ["قال د. أحمد إنه مستعد."]),
        ("قال: «انتهى الأمر.» ثم خرج.", ["قال: «انتهى الأمر.»", "ثم خرج."]),
        ('He said "done." Then left.', ['He said "done."', "Then left."]),
        ("(انظر أدناه.) ثم تابع.", ["(انظر أدناه.)", "ثم تابع."]),
        ("حقاً؟! لا أصدق.", ["حقاً؟!", "لا أصدق."]),
        ("1. البند الأول هنا.", ["1. البند الأول هنا."]),
        ("جملة بلا نهاية", ["جملة بلا نهاية"]),
        ("  مسافات   كثيرة.  ثم   أخرى.  ", ["مسافات كثيرة.", "ثم أخرى."]),
        ("", []),
    ],
)
def test_split_sentences_rules(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_emphasis_span_is_not_split_in_markdown() -> None:
    text = "في الواحات *نظام قديم. وما زال يعمل* بكفاءة."
    assert split_sentences(text, "markdown") == [text]
    # In plain text an asterisk is only a character, so the sentence ends there.
    assert split_sentences(text, "text") == ["في الواحات *نظام قديم.", "وما زال يعمل* بكفاءة."]


def test_closing_emphasis_stays_with_its_sentence() -> None:
    assert split_sentences("هذا *مهم.* وهذا لا.", "markdown") == ["هذا *مهم.*", "وهذا لا."]


def test_diacritics_tatweel_and_digits_are_kept() -> None:
    text = "كَتَبَ الطالبـــب ٢٠٢٣ و2024. انتهى"
    assert split_sentences(text) == ["كَتَبَ الطالبـــب ٢٠٢٣ و2024.", "انتهى"]


_ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي")
    + list("abcXYZéç")
    + list("0123456789٠١٢٣٤٥٦٧٨٩")
    + list(".!?؟…،؛:«»\"'()[]*_\\-")
    + [" ", " ", " ", "\n", "\u00a0", "\t", "ـ", "\u064e", "\u0651", "\u200c", "\u200f"]
)


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=120), st.sampled_from(["text", "markdown"]))
def test_segments_join_back_to_the_normalised_text(text: str, markup: str) -> None:
    sentences = split_sentences(text, markup)  # type: ignore[arg-type]
    assert SEGMENT_SEPARATOR.join(sentences) == normalise_spaces(text)
    assert all(s and s == s.strip(" ") for s in sentences)
