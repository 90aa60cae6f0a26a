"""DOEMEE_TRUSTED_PROXIES: X-Forwarded-For names the client only when a trusted proxy sent it.

Over real HTTP on loopback: the portal's login lock and the chat API's
per-address limit both count the address this setting yields.
"""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from bot.web.config import GatewayConfig, ProxySettingError, parse_proxies
from doemee import staff_messages as text
from tests.web.conftest import SENDER
from tests.web.test_portal import Portal, mail_settings, member  # noqa: F401  (fixtures)


def _fail_five_times(me: Portal, forwarded: list[str]) -> None:
    for number, address in enumerate(forwarded):
        assert me.post("/portaal/inloggen", {"email": f"poging{number}@example.org", "password": "fout fout fout"},
                       csrf_from="/portaal", **{"X-Forwarded-For": address}).status_code == 401


def _log_in(me: Portal, forwarded: str) -> httpx.Response:
    return me.post("/portaal/inloggen", {"email": "sanne@example.org", "password": "een lange zin als wachtwoord"},
                   csrf_from="/portaal", **{"X-Forwarded-For": forwarded})


def test_behind_a_trusted_proxy_the_lock_holds_the_client_not_the_proxy(make_gateway, database, mail_settings):  # noqa: F811
    member(database, mail_settings)
    base = make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0,
                        trusted_proxies=("127.0.0.0/8",))
    me = Portal(base)
    try:
        # Whatever a client writes in front, the proxy's own right-most entry is what counts.
        _fail_five_times(me, [f"198.51.100.{n}, 203.0.113.7" for n in range(5)])
        assert _log_in(me, "203.0.113.7").status_code == 429
        assert _log_in(me, "203.0.113.8").status_code == 303
    finally:
        me.close()


def test_without_trusted_proxies_the_header_is_ignored(make_gateway, database, mail_settings):  # noqa: F811
    member(database, mail_settings)
    base = make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0)
    me = Portal(base)
    try:
        _fail_five_times(me, [f"203.0.113.{n}" for n in range(5)])
        locked = _log_in(me, "192.0.2.99")
        assert locked.status_code == 429 and text.LOGIN_LOCKED in locked.text
    finally:
        me.close()


@pytest.mark.parametrize("trusted", [(), ("127.0.0.1",)])
def test_the_chat_apis_limit_per_address_follows_the_same_setting(make_gateway, database, trusted):
    base = make_gateway(database_url=database.url, rate_per_ip=2, email_alert_interval_seconds=0,
                        trusted_proxies=trusted)
    with httpx.Client(base_url=base, trust_env=False) as http:
        def news(address: str) -> int:
            return http.get("/api/news", params={"sender": SENDER}, headers={"X-Forwarded-For": address}).status_code

        assert news("203.0.113.1") != 429 and news("203.0.113.1") != 429
        assert news("203.0.113.1") == 429
        assert (news("203.0.113.2") == 429) is (not trusted)


def test_the_setting_reads_ips_and_networks():
    assert parse_proxies("") == ()
    assert parse_proxies(" 10.0.0.5 , 192.168.0.0/24,,::1") == ("10.0.0.5/32", "192.168.0.0/24", "::1/128")
    assert GatewayConfig.from_env({"DOEMEE_TRUSTED_PROXIES": "10.0.0.0/8"}).trusted_proxies == ("10.0.0.0/8",)
    assert GatewayConfig.from_env({}).trusted_proxies == ()


@pytest.mark.parametrize("value", ["proxy.example", "10.0.0.300", "*", "10.0.0.0/40", "\u202e" * 500])
def test_a_setting_that_is_no_ip_is_refused(value):
    with pytest.raises(ProxySettingError):
        parse_proxies(value)


def test_the_gateway_does_not_start_with_a_bad_setting():
    done = subprocess.run([sys.executable, "-m", "bot.web", "--port", "0"], capture_output=True, text=True,
                          timeout=60, env={"DOEMEE_TRUSTED_PROXIES": "proxy.example", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["DOEMEE_TRUSTED_PROXIES: 'proxy.example' is no IP address or network"]
