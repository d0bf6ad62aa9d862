"""Only plain public answers are kept: nothing that sets a cookie, carries a CSRF
token, is private, or varies on what the key does not cover."""

from django.http import HttpResponse

from pagecache.entries import response_is_cacheable


def test_answers_that_set_cookies_or_csrf_tokens_are_not_cached(rf):
    request = rf.get("/")
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("tracking", "1")
    assert not response_is_cacheable(request, with_cookie)

    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not response_is_cacheable(request, HttpResponse("x"))

    plain = rf.get("/")
    assert response_is_cacheable(plain, HttpResponse("x"))
    assert not response_is_cacheable(plain, HttpResponse(status=302))
    assert not response_is_cacheable(plain, HttpResponse(status=500))
    varied = HttpResponse("x", headers={"Vary": "User-Agent"})
    assert not response_is_cacheable(plain, varied)
    private = HttpResponse("x", headers={"Cache-Control": "private"})
    assert not response_is_cacheable(plain, private)
