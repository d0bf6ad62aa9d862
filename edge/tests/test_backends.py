"""The purge API clients, against a local server standing in for the provider."""

from edge import backends


def test_fastly_purges_keys_in_one_batch_call(fastly):
    answer = backends.fastly(["s1", "home-en"])
    assert answer.ok
    (call,) = fastly.calls
    assert call["method"] == "POST"
    assert call["path"] == "/service/svc1/purge"
    assert call["headers"]["fastly-key"] == "fastly-token"
    assert call["json"] == {"surrogate_keys": ["s1", "home-en"]}


def test_cloudflare_purges_tags(cloudflare):
    answer = backends.cloudflare(["s1", "t2"])
    assert answer.ok
    (call,) = cloudflare.calls
    assert call["path"] == "/client/v4/zones/zone9/purge_cache"
    assert call["headers"]["authorization"] == "Bearer cf-token"
    assert call["json"] == {"tags": ["s1", "t2"]}


def test_cloudflare_refusal_is_a_failure_with_its_answer(cloudflare):
    cloudflare.answers.append((200, {"success": False, "errors": [{"code": 1134}]}))
    answer = backends.cloudflare(["s1"])
    assert not answer.ok
    assert "1134" in answer.text


def test_http_error_and_no_server_are_failures_not_exceptions(fastly, settings):
    fastly.answers.append((503, {"msg": "busy"}))
    answer = backends.fastly(["s1"])
    assert not answer.ok and answer.text.startswith("503")
    settings.EDGE_FASTLY_URL = "http://127.0.0.1:9"  # nothing listens there
    answer = backends.fastly(["s1"])
    assert not answer.ok and "no answer" in answer.text


def test_varnish_sends_xkey_purge_to_every_url(settings, provider):
    settings.EDGE_VARNISH_URLS = [provider.url + "/", provider.url + "/"]
    answer = backends.varnish(["s1", "home-en"])
    assert answer.ok
    assert [c["method"] for c in provider.calls] == ["PURGE", "PURGE"]
    assert provider.calls[0]["headers"]["xkey-purge"] == "s1 home-en"


def test_unknown_backend_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="EDGE_PURGE_BACKEND"):
        backends.get("akamai")


def test_settings_are_checked_at_start_up(settings):
    from edge.conf import check_settings

    settings.EDGE_PURGE_BACKEND = "akamai"
    assert [error.id for error in check_settings()] == ["edge.E001"]
    settings.EDGE_PURGE_BACKEND = "cloudflare"
    settings.EDGE_CLOUDFLARE_ZONE, settings.EDGE_CLOUDFLARE_TOKEN = "", ""
    assert [error.id for error in check_settings()] == ["edge.E002", "edge.E002"]
    settings.EDGE_PURGE_BACKEND = ""
    assert check_settings() == []
