"""Looking at the widget the way a resident and an auditor would."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from doemee.colours import contrast_ratio

LAUNCHER_NAME = re.compile(r"^Open de chat van ")


def open_demo(page: Page, url: str) -> None:
    page.goto(f"{url}/")
    page.wait_for_selector("doemee-chat[data-ready]", state="attached")


def launcher(page: Page) -> Locator:
    return page.get_by_role("button", name=LAUNCHER_NAME)


def dialog(page: Page) -> Locator:
    return page.get_by_role("dialog")


def log(page: Page) -> Locator:
    return page.get_by_role("log")


def send(page: Page, text: str) -> None:
    """Types into the chat and presses Enter, then waits until the bot has answered."""
    before = log(page).locator(".dm-bot").count()
    box = page.get_by_label("Stel je vraag")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        """([before]) => {
            const root = document.querySelector('doemee-chat').shadowRoot;
            return root.querySelectorAll('.dm-bot').length > before
                && root.querySelector('.dm-typing').hidden;
        }""",
        arg=[before],
    )


def choose(page: Page, name: str) -> None:
    """Clicks the newest bot button called `name`, then waits until the bot has answered."""
    before = log(page).locator(".dm-bot").count()
    log(page).get_by_role("button", name=name, exact=True).last.click()
    page.wait_for_function(
        """([before]) => {
            const root = document.querySelector('doemee-chat').shadowRoot;
            return root.querySelectorAll('.dm-bot').length > before
                && root.querySelector('.dm-typing').hidden;
        }""",
        arg=[before],
    )


def last_bot_text(page: Page) -> str:
    return log(page).locator(".dm-bot .dm-bubble").last.inner_text()


def shadow_eval(page: Page, body: str, arg=None):
    """Runs `body` (a function of root, arg) against the widget's shadow root."""
    return page.evaluate(
        f"([arg]) => {{ const root = document.querySelector('doemee-chat').shadowRoot; return ({body})(root, arg); }}",
        [arg],
    )


def active_in_widget(page: Page) -> str:
    """What has keyboard focus inside the widget, as 'tag.class' (or '' when outside)."""
    return page.evaluate(
        """() => {
            const host = document.querySelector('doemee-chat');
            if (document.activeElement !== host) return '';
            const el = host.shadowRoot.activeElement;
            return el ? el.tagName.toLowerCase() + '.' + el.className : '';
        }"""
    )


# --- contrast from computed styles (WCAG 2.1 relative luminance) -------------------------

_RGBA = re.compile(r"rgba?\(([^)]+)\)")


def parse_colour(text: str) -> tuple[float, float, float, float]:
    match = _RGBA.match(text.strip())
    if not match:
        raise ValueError(f"unexpected computed colour {text!r}")
    parts = [float(p) for p in re.split(r"[,\s/]+", match.group(1).strip()) if p]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def blend(top: tuple[float, float, float, float], bottom: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = top
    return (r * a + bottom[0] * (1 - a), g * a + bottom[1] * (1 - a), b * a + bottom[2] * (1 - a))


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2.1 contrast of two computed colours, by the same formula the centres' colours are checked with."""
    return contrast_ratio(a, b)


# Every visible element with its own text: its colour and the background colours
# from itself outwards (crossing the shadow boundary), until an opaque one.
TEXT_COLOURS_JS = """
(root) => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || seen.has(el) || el.closest('style')) continue;
        seen.add(el);
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (rect.width < 2 || rect.height < 2 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
        const backgrounds = [];
        let cur = el;
        while (cur) {
            const bg = getComputedStyle(cur).backgroundColor;
            backgrounds.push(bg);
            if (bg.startsWith('rgb(') || /,\\s*1\\)$/.test(bg)) break;
            cur = cur.parentElement || (cur.getRootNode().host || null);
        }
        out.push({text: node.textContent.trim().slice(0, 40), color: style.color,
                  opacity: style.opacity, backgrounds});
    }
    return out;
}
"""


def text_contrasts(page: Page) -> list[tuple[str, float]]:
    """(text, contrast ratio) for every visible text in the widget."""
    results = []
    for item in shadow_eval(page, TEXT_COLOURS_JS):
        background = (255.0, 255.0, 255.0)
        for bg in reversed(item["backgrounds"]):
            if bg == "transparent":
                continue
            background = blend(parse_colour(bg), background)
        colour = blend(parse_colour(item["color"]), background)
        results.append((item["text"], contrast(colour, background)))
    return results
