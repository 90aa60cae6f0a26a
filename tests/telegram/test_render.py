"""Rasa's replies become faithful Telegram messages."""

from __future__ import annotations

from bot.telegram.callbacks import MAX_CALLBACK_BYTES, CallbackStore, Kind
from bot.telegram.render import MAX_TEXT, render, split_text
from doemee import messages


def _buttons(outgoing):
    return [b for row in outgoing.inline.inline_keyboard for b in row]


def test_text_is_sent_as_given():
    [out] = render([{"recipient_id": "x", "text": "Hoi! Ik ben DoeMee."}], CallbackStore())
    assert out.text == "Hoi! Ik ben DoeMee."
    assert out.inline is None and not out.request_location


def test_buttons_become_an_inline_keyboard_whose_presses_send_the_payloads():
    store = CallbackStore()
    long = '/sign_up{"opportunity_id":"1234567890123456789012345678901234567890"}'
    [out] = render([{"text": "Kies:", "buttons": [
        {"title": "Aanmelden", "payload": long},
        {"title": "Meer", "payload": "/more_results"},
    ]}], store)
    buttons = _buttons(out)
    assert [b.text for b in buttons] == ["Aanmelden", "Meer"]
    assert all(len(b.callback_data.encode()) <= MAX_CALLBACK_BYTES for b in buttons)
    assert [store.resolve(b.callback_data).value for b in buttons] == [long, "/more_results"]


def test_buttons_without_text_still_get_a_message():
    [out] = render([{"buttons": [{"title": "Ja", "payload": "/affirm"}]}], CallbackStore())
    assert out.text == messages.TELEGRAM_CHOOSE
    assert _buttons(out)[0].text == "Ja"


def test_web_links_become_url_buttons_and_other_schemes_are_not_links():
    [out] = render([{"text": "Kijk:", "buttons": [
        {"title": "Website", "payload": "https://example.org/plek"},
        {"title": "Stiekem", "payload": "javascript:alert(1)"},
    ]}], CallbackStore())
    website, sneaky = _buttons(out)
    assert website.url == "https://example.org/plek" and website.callback_data is None
    assert sneaky.url is None and sneaky.callback_data.startswith(Kind.PAYLOAD.value)


def test_custom_json_asks_for_a_location():
    [out] = render([{"text": "Waar zoek je?", "custom": {"telegram": {"request_location": True}}}], CallbackStore())
    assert out.request_location


def test_custom_json_alone_asks_for_a_location_in_dutch():
    [out] = render([{"custom": {"telegram": {"request_location": True}}}], CallbackStore())
    assert out.request_location and out.text == messages.TELEGRAM_ASK_LOCATION


def test_a_question_about_where_you_live_offers_the_location_button():
    [out] = render([{"text": "Waar woon je? Een postcode is genoeg."}], CallbackStore())
    assert out.request_location


def test_unknown_custom_json_is_never_shown_raw():
    assert render([{"custom": {"something": "else"}}], CallbackStore()) == []


def test_markup_is_kept_as_literal_text():
    [out] = render([{"text": "<b>vet</b> & <a href='x'>link</a>"}], CallbackStore())
    assert out.text == "<b>vet</b> & <a href='x'>link</a>"


def test_image_becomes_a_photo_before_its_text():
    photo, text = render([{"text": "Zo ziet het eruit", "image": "https://example.org/a.png"}], CallbackStore())
    assert photo.photo == "https://example.org/a.png" and text.text == "Zo ziet het eruit"


def test_long_text_is_split_below_telegrams_limit_and_buttons_go_last():
    paragraph = "Dit is een zin over vrijwilligerswerk. " * 60
    text = "\n\n".join([paragraph] * 4)
    outs = render([{"text": text, "buttons": [{"title": "Meer", "payload": "/more_results"}]}], CallbackStore())
    assert len(outs) > 1
    assert all(len(o.text) <= MAX_TEXT for o in outs)
    assert [o.inline is not None for o in outs] == [False] * (len(outs) - 1) + [True]
    assert " ".join(o.text for o in outs).split() == text.split()


def test_split_text_cuts_a_single_huge_word():
    chunks = split_text("x" * 10_000)
    assert [len(c) for c in chunks] == [4096, 4096, 1808]
