"""Button callback data stays within Telegram's 64 bytes and resolves back to what was meant."""

from __future__ import annotations

from bot.telegram.callbacks import MAX_CALLBACK_BYTES, CallbackStore, Kind

LONG_PAYLOAD = '/sign_up{"opportunity_id":"123456789","title":"Buurttuin Overvecht zoekt hulp"}'


def test_short_payload_travels_inside_the_button():
    store = CallbackStore()
    data = store.payload("/more_results")
    assert store.resolve(data).value == "/more_results"
    assert len(store) == 0


def test_long_payload_is_stored_and_its_button_fits_64_bytes():
    store = CallbackStore()
    data = store.payload(LONG_PAYLOAD)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    callback = store.resolve(data)
    assert (callback.kind, callback.value) == (Kind.STORED_PAYLOAD, LONG_PAYLOAD)


def test_payload_with_multibyte_characters_is_measured_in_bytes():
    store = CallbackStore()
    payload = "/inform" + "é" * 30  # 37 characters, 67 bytes
    data = store.payload(payload)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert store.resolve(data).value == payload


def test_oldest_keys_are_forgotten_when_the_store_is_full():
    store = CallbackStore(capacity=2)
    first = store.payload(LONG_PAYLOAD + "1")
    second = store.payload(LONG_PAYLOAD + "2")
    third = store.payload(LONG_PAYLOAD + "3")
    assert store.resolve(first) is None
    assert store.resolve(second).value.endswith("2")
    assert store.resolve(third).value.endswith("3")
    assert len(store) == 2


def test_unknown_or_foreign_callback_data_resolves_to_nothing():
    store = CallbackStore()
    assert store.resolve("k:doesnotexist") is None
    assert store.resolve("r:doesnotexist") is None
    assert store.resolve("x:something") is None
    assert store.resolve("garbage") is None
    assert store.resolve("") is None
    assert store.resolve(None) is None
    assert store.resolve("m:") is None


def test_retry_keeps_the_original_request_object():
    store = CallbackStore()
    request = object()
    assert store.resolve(store.retry(request)).value is request


def test_stop_alerts_needs_no_stored_state():
    assert CallbackStore().resolve(CallbackStore.stop_alerts()).kind is Kind.STOP_ALERTS


def test_follow_up_answers_travel_inside_the_button_and_odd_ones_resolve_to_nothing():
    store = CallbackStore()
    for answer in ("yes", "no", "not_needed"):
        data = CallbackStore.follow_up(2_147_483_647, answer)
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        assert (store.resolve(data).kind, store.resolve(data).value) == (Kind.FOLLOW_UP, (2_147_483_647, answer))
    for odd in ("f:", "f:12", "f:12:", "f:12:q", "f:-1:y", "f:١٢:y", "f:1e3:y", "f:123456789012:y", "f: 1:y"):
        assert store.resolve(odd) is None, odd
