"""No notification ever names the child or says anything about health: each message builder's
every word is checked against the child's names and a list of health words."""

import re

import pytest

from backto.capabilities.notifications.messages import BUILDERS

HEALTH_WORDS = {
    "pain", "hurt", "hurts", "sore", "ache", "symptom", "symptoms", "amplified", "crps", "mood",
    "sleep", "anxiety", "depression", "pcs", "fdi", "catastrophizing", "score", "safety",
    "alert", "medicine", "doctor", "therapy", "crisis", "missed", "late", "overdue",
}  # fmt: skip


def _words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(
    "name",
    sorted(
        __import__("backto.capabilities.notifications.messages", fromlist=["BUILDERS"]).BUILDERS
    ),
)
def test_no_message_names_the_child_or_says_anything_about_health(db, name, maya):
    message = BUILDERS[name]()
    text = " ".join([message.title, message.body, message.url, message.tag])
    words = _words(text)
    assert not words & HEALTH_WORDS, words & HEALTH_WORDS
    assert not words & _words(maya.legal_name)
    assert len(message.title) <= 50 and len(message.body) <= 120  # fits a lock screen
    assert message.url.startswith("/") and not re.search(r"[A-Za-z]+=", message.url)
    assert set(message.payload()) == {"title", "body", "url", "tag"}
