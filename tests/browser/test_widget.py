"""The widget in real Chromium: opening it, keyboard use, safety, reloads, accessibility."""

from __future__ import annotations

import pytest

from doemee import messages
from tests.browser.widget import (
    LAUNCHER_NAME,
    active_in_widget,
    dialog,
    launcher,
    log,
    open_demo,
    send,
    shadow_eval,
    text_contrasts,
)

pytestmark = pytest.mark.browser

INJECTION = "<img src=x onerror=alert(1)>"


def test_the_launcher_is_a_named_button_that_opens_a_dialog_with_a_heading(page, offline_gateway):
    open_demo(page, offline_gateway)
    button = launcher(page)
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert dialog(page).is_visible()
    assert page.get_by_role("button", name=LAUNCHER_NAME, include_hidden=True).get_attribute("aria-expanded") == "true"
    assert page.get_by_role("heading", name="Vrijwilligerscentrum Utrecht").is_visible()
    assert log(page).get_attribute("aria-live") == "polite"
    assert "Vrijwilligerscentrum Utrecht" in log(page).inner_text()


def test_keyboard_alone_opens_sends_and_closes_with_focus_back_on_the_launcher(page, offline_gateway):
    open_demo(page, offline_gateway)
    for _ in range(30):
        page.keyboard.press("Tab")
        if active_in_widget(page).startswith("button.dm-launcher"):
            break
    assert active_in_widget(page).startswith("button.dm-launcher")
    page.keyboard.press("Enter")
    assert active_in_widget(page).startswith("input.dm-input")
    page.keyboard.type("hallo")
    page.keyboard.press("Enter")
    log(page).get_by_text(messages.WEB_RASA_DOWN).wait_for()
    assert log(page).get_by_text("hallo", exact=True).is_visible()
    page.keyboard.press("Escape")
    assert not dialog(page).is_visible()
    assert active_in_widget(page).startswith("button.dm-launcher")


def test_the_close_button_has_a_dutch_name_and_closes_the_chat(page, offline_gateway):
    open_demo(page, offline_gateway)
    launcher(page).click()
    page.get_by_role("button", name=messages.WEB_WIDGET_LABELS["close"]).click()
    assert not dialog(page).is_visible()
    assert launcher(page).is_visible()


def test_rasa_down_shows_a_dutch_apology_and_a_retry_button(page, offline_gateway):
    open_demo(page, offline_gateway)
    launcher(page).click()
    send(page, "ik wil tuinieren")
    assert log(page).get_by_text(messages.WEB_RASA_DOWN).is_visible()
    retry = log(page).get_by_role("button", name=messages.BUTTON_RETRY).last
    retry.click()
    page.wait_for_function(
        "() => document.querySelector('doemee-chat').shadowRoot.querySelectorAll('.dm-bot').length >= 3")
    assert log(page).get_by_text(messages.WEB_RASA_DOWN).count() == 2


def test_a_resident_typing_html_sees_it_as_text(watched, offline_gateway):
    page = watched.page
    open_demo(page, offline_gateway)
    launcher(page).click()
    send(page, INJECTION)
    assert log(page).get_by_text(INJECTION, exact=True).is_visible()
    assert shadow_eval(page, "(root) => root.querySelectorAll('img, script, b').length") == 0
    assert watched.dialogs == [] and watched.errors == []


def test_html_and_script_links_from_the_bot_stay_text(watched, hostile_gateway):
    page = watched.page
    url, received = hostile_gateway
    open_demo(page, url)
    launcher(page).click()
    send(page, "hallo")
    assert log(page).get_by_role("button", name="<b onmouseover=alert(2)>vet</b>").is_visible()
    assert "<img src=x onerror=alert(1)>" in log(page).inner_text()
    assert shadow_eval(page, "(root) => root.querySelectorAll('img, script, b').length") == 0
    hrefs = shadow_eval(page, "(root) => [...root.querySelectorAll('a')].map(a => [a.href, a.rel, a.target, a.textContent])")
    assert hrefs == [
        ["https://moestuin.example.org/doe-mee", "noopener noreferrer", "_blank", "de website"],
        ["https://example.org/info", "noopener noreferrer", "_blank", "https://example.org/info"],
    ]
    log(page).get_by_role("button", name="<b onmouseover=alert(2)>vet</b>").click()
    page.wait_for_function("() => document.querySelector('doemee-chat').shadowRoot.querySelectorAll('.dm-bot').length >= 3")
    assert received[-1]["message"] == "<img src=x onerror=alert(3)>"
    assert watched.dialogs == [] and watched.errors == []


def test_bot_buttons_are_real_buttons_that_send_their_payload_and_show_their_title(page, hostile_gateway):
    url, received = hostile_gateway
    open_demo(page, url)
    launcher(page).click()
    send(page, "hallo")
    choice = log(page).get_by_role("button", name="Aanmelden").first
    assert choice.evaluate("b => b.tagName") == "BUTTON"
    choice.click()
    page.wait_for_function("() => document.querySelector('doemee-chat').shadowRoot.querySelectorAll('.dm-bot').length >= 3")
    assert received[-1]["message"] == "/sign_up"
    assert log(page).locator(".dm-user").last.inner_text().endswith("Aanmelden")


def test_the_conversation_survives_a_reload_with_the_same_sender(page, hostile_gateway):
    url, received = hostile_gateway
    open_demo(page, url)
    launcher(page).click()
    send(page, "ik woon in 3511")
    page.reload()
    page.wait_for_selector("doemee-chat[data-ready]", state="attached")
    assert dialog(page).is_visible()
    assert log(page).get_by_text("ik woon in 3511", exact=True).is_visible()
    send(page, "en nu?")
    assert received[0]["sender"] == received[1]["sender"]
    assert received[0]["sender"].startswith("web-")


def test_host_page_css_cannot_hide_or_restyle_the_widget(page, offline_gateway):
    open_demo(page, offline_gateway)
    before = launcher(page).bounding_box()
    hostile = ("* { color: red !important; font-size: 40px !important; } "
               "button { display: none !important; } div { background: lime !important; }")
    # A constructed sheet, because the demo page's CSP rightly blocks inline <style>.
    page.evaluate("(css) => { const s = new CSSStyleSheet(); s.replaceSync(css); document.adoptedStyleSheets = [s]; }", hostile)
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).color") == "rgb(255, 0, 0)"
    assert launcher(page).is_visible()
    assert launcher(page).bounding_box() == before


# --- accessibility (WCAG 2.1 AA checks on computed styles) -------------------------------

def test_every_widget_text_has_a_contrast_of_at_least_4_5(page, hostile_gateway):
    url, _ = hostile_gateway
    open_demo(page, url)
    launcher(page).click()
    send(page, "hallo")
    page.get_by_label("Stel je vraag").fill("")
    measured = text_contrasts(page)
    assert len(measured) >= 6
    too_low = [(text, round(ratio, 2)) for text, ratio in measured if ratio < 4.5]
    assert too_low == []


def test_the_launcher_text_has_a_contrast_of_at_least_4_5(page, offline_gateway):
    open_demo(page, offline_gateway)
    measured = dict(text_contrasts(page))
    assert measured["Chat"] >= 4.5


def test_every_control_shows_a_visible_focus_outline_from_the_keyboard(page, hostile_gateway):
    url, _ = hostile_gateway
    open_demo(page, url)
    launcher(page).focus()
    page.keyboard.press("Enter")
    send(page, "hallo")
    outlines = {}
    for _ in range(12):
        focused = active_in_widget(page)
        if not focused:
            break
        outlines[focused] = shadow_eval(
            page, "(root) => { const s = getComputedStyle(root.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
        page.keyboard.press("Shift+Tab")
    assert {"input.dm-input", "button.dm-choice", "button.dm-close"} <= set(outlines)
    for element, (style, width) in outlines.items():
        assert style != "none" and float(width.rstrip("px")) >= 2, element


def test_controls_have_names_and_the_input_a_label(page, offline_gateway):
    open_demo(page, offline_gateway)
    launcher(page).click()
    assert page.get_by_role("textbox", name=messages.WEB_WIDGET_LABELS["input"]).is_visible()
    assert page.get_by_role("button", name=messages.WEB_WIDGET_LABELS["send"]).is_visible()
    assert page.get_by_role("button", name=messages.WEB_WIDGET_LABELS["close"]).is_visible()
    assert dialog(page).get_attribute("aria-labelledby") == "dm-title"


def test_the_chat_fills_a_360px_phone_screen_without_sideways_scrolling(browser, offline_gateway):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_demo(page, offline_gateway)
        launcher(page).click()
        send(page, "een heel lang woord: " + "x" * 200)
        box = dialog(page).bounding_box()
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 360, 740)
        widest = shadow_eval(page, "(root) => Math.max(...[...root.querySelectorAll('*')].map(e => e.getBoundingClientRect().right))")
        assert widest <= 360
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
