"""Logging in and out, and the two links that come by mail: the invitation and a new password."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import (
    COOKIE,
    HEADERS,
    PREFIX,
    Form,
    StaffContext,
    anonymous_token,
    clear_cookie,
    client_address,
    message_page,
    public_page,
    render_page,
    run,
    set_cookie,
    staff_page,
)
from doemee import staff
from doemee import staff_messages as text
from doemee.staff import StaffError, TokenPurpose, TokenState

HOME = f"{PREFIX}/vandaag"
TOKEN_STATUS = {TokenState.INVALID: 404, TokenState.EXPIRED: 410, TokenState.USED: 410}


@public_page(PREFIX, methods=["GET"])
async def home(request: Request, form: Form | None) -> Response:
    token = request.cookies.get(COOKIE)
    if token and await run(request, lambda session: staff.session_for(session, token)) is not None:
        return RedirectResponse(HOME, status_code=303, headers=HEADERS)
    return _login_page(request, None, 200)


@public_page(f"{PREFIX}/inloggen", methods=["POST"])
async def login(request: Request, form: Form | None) -> Response:
    assert form is not None
    email, password = form.get("email"), form.get("password")
    if not email.strip() or not password:
        return _login_page(request, text.LOGIN_EMPTY, 400, email)
    address = client_address(request)
    old = request.cookies.get(COOKIE)

    def work(session):
        outcome = staff.authenticate(session, email, password, address)
        if outcome.staff_id is None:
            return outcome, None
        staff.end_session(session, old)  # a new session id at every login
        return outcome, staff.start_session(session, outcome.staff_id)

    outcome, token = await run(request, work)
    if outcome.locked:
        return _login_page(request, text.LOGIN_LOCKED, 429, email)
    if token is None:
        return _login_page(request, text.LOGIN_WRONG, 401, email)
    response = RedirectResponse(HOME, status_code=303, headers=HEADERS)
    set_cookie(request, response, COOKIE, token)
    return response


def _login_page(request: Request, error: str | None, status: int, email: str = "") -> Response:
    return render_page(request, None, "portal/login.html", status, error=error, email=email[:254],
                       csrf_token=anonymous_token(request), notice=_notice(request))


def _notice(request: Request) -> str | None:
    return {"uit": text.LOGGED_OUT, "wachtwoord": text.PASSWORD_SET}.get(request.query_params.get("melding", ""))


@staff_page(f"{PREFIX}/uitloggen", methods=["POST"])
async def logout(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    token = request.cookies.get(COOKIE)
    await run(request, lambda session: staff.end_session(session, token))
    response = RedirectResponse(f"{PREFIX}?melding=uit", status_code=303, headers=HEADERS)
    clear_cookie(request, response, COOKIE)
    return response


@public_page(f"{PREFIX}/uitnodiging/{{token}}", methods=["GET", "POST"])
async def invitation(request: Request, form: Form | None) -> Response:
    return await _password_link(request, form, TokenPurpose.INVITE, staff.accept_invitation, text.INVITE_HEADING)


@public_page(f"{PREFIX}/wachtwoord/{{token}}", methods=["GET", "POST"])
async def new_password(request: Request, form: Form | None) -> Response:
    return await _password_link(request, form, TokenPurpose.RESET, staff.reset_password, text.RESET_HEADING)


async def _password_link(request: Request, form: Form | None, purpose: TokenPurpose, use, heading: str) -> Response:
    token = request.path_params["token"]
    state = await run(request, lambda session: staff.token_state(session, token, purpose))
    if state is not TokenState.OK:
        return message_page(request, None, staff.TOKEN_MESSAGES[state], TOKEN_STATUS[state], title=heading)
    if form is None:
        return _password_form(request, heading, None, 200)
    password, again = form.get("password"), form.get("password_again")
    if password != again:
        return _password_form(request, heading, text.PASSWORDS_DIFFER, 400)
    try:
        await run(request, lambda session: use(session, token, password))
    except StaffError as error:
        status = 400 if error.kind == "password" else 410
        return _password_form(request, heading, error.message, status)
    return RedirectResponse(f"{PREFIX}?melding=wachtwoord", status_code=303, headers=HEADERS)


def _password_form(request: Request, heading: str, error: str | None, status: int) -> Response:
    return render_page(request, None, "portal/password.html", status, heading=heading, error=error,
                       csrf_token=anonymous_token(request), action=request.url.path)


@public_page(f"{PREFIX}/wachtwoord-vergeten", methods=["GET", "POST"])
async def forgot(request: Request, form: Form | None) -> Response:
    if form is None:
        return render_page(request, None, "portal/forgot.html", done=False, csrf_token=anonymous_token(request))
    email = form.get("email")
    settings = request.app.state.gateway.config.mail
    if email.strip():
        await run(request, lambda session: staff.request_reset(session, email, settings))
    return render_page(request, None, "portal/forgot.html", done=True, csrf_token=anonymous_token(request))
