"""axe-core in Debian's chromium: WCAG 2.2 A and AA, light and dark colour schemes.

Every public page type in both interface languages (plus axe's best practices: the
public site is all ours), and the desk's story form, add form and story list (WCAG
only, minus what comes from Django's admin or its vendored widgets, each exclusion
listed with its reason). axe-core is vendored (vendor/README.md); Playwright's
`bypass_csp` lets it run under the site's Content-Security-Policy.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from articles.models import Article

from .conftest import LANGUAGES, public_pages

# The browser commits for real through the live server; the flush after each test
# must leave the desk's groups and permissions for whatever runs next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCHEMES = ["light", "dark"]

# Public pages: parts that are not ours, left out, with why.
PUBLIC_EXCLUDED = {
    # Swagger UI is django-ninja's bundled copy of a third-party app; its own
    # markup (buttons inside buttons, faint method badges) is upstream's to fix.
    # Our page around it (language, landmark, heading, title) is checked.
    "api-docs": ["#swagger-ui"],
}
# The desk: (axe rule, elements it may flag there, why that is not ours).
DESK_EXCLUSIONS = [
    (
        "list",
        ".select2-selection__rendered",
        "select2, vendored by Django's admin for autocomplete fields, puts its "
        "'clear' button (a span) straight inside the <ul> of chosen items",
    ),
]

RUN_AXE = """async ([tags, exclude, skips]) => {
  const result = await axe.run(
    {include: [document], exclude: exclude.map((selector) => [selector])},
    {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
  );
  const skipped = (rule, node) => skips.some(([id, selector]) => {
    const element = document.querySelector(node.target[0]);
    return id === rule && element && element.matches(selector);
  });
  return result.violations
    .map((v) => ({...v, nodes: v.nodes.filter((node) => !skipped(v.id, node))}))
    .filter((v) => v.nodes.length)
    .map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(
      (node) => node.target.join(" ") + ": " + node.failureSummary.replace(/\\s+/g, " "))}));
}"""


# Colours are judged at rest: the admin eases link colours over 0.15 s, so right
# after the colour scheme changes they would be caught halfway.
NO_TRANSITIONS = "*, ::before, ::after { transition: none !important; }"


DANGLING_REFERENCES = """() => [...document.querySelectorAll(
  "[aria-describedby], [aria-labelledby], label[for]")].flatMap((element) =>
  ["aria-describedby", "aria-labelledby", "for"].flatMap((name) =>
    (element.getAttribute(name) || "").split(/\\s+/).filter(
      (id) => id && !document.getElementById(id)).map(
      (id) => `${element.tagName.toLowerCase()}#${element.id} ${name}="${id}"`)))"""


def axe_findings(page, label, *, tags, exclude=(), skips=()):
    page.add_script_tag(path=AXE)
    page.add_style_tag(content=NO_TRANSITIONS)
    findings = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for violation in page.evaluate(RUN_AXE, [tags, list(exclude), list(skips)]):
            findings.append(
                f"{label} ({scheme}): {violation['id']} [{violation['impact']}] "
                f"{violation['help']}\n    " + "\n    ".join(violation["nodes"][:10])
            )
    return findings


def local_only(context, base):
    """Let the browser reach our server only; note anything else a page asks for."""
    host, outside = urlsplit(base).netloc, []

    def route(route):
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return outside


def test_public_pages_pass_axe(chromium, live_server, live_demo):
    findings, errors = [], []
    for language in LANGUAGES:
        context = chromium.new_context(
            bypass_csp=True,
            viewport={"width": 1280, "height": 900},
            # The reader asks for the other language: the address decides.
            extra_http_headers={"Accept-Language": "fr" if language == "en" else "en"},
        )
        outside = local_only(context, live_server.url)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        for name, path, status in public_pages(language):
            response = page.goto(live_server.url + path)
            assert response.status == status, path
            if name == "api-docs":  # Swagger UI draws itself from our static files
                page.wait_for_selector("#swagger-ui .info .title")
            findings += axe_findings(
                page,
                f"{path} [{language}]",
                tags=[*WCAG, "best-practice"],
                exclude=PUBLIC_EXCLUDED.get(name, ()),
            )
        context.close()
        assert not outside, f"pages fetched from outside the site: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
    assert not findings, "\n".join(findings)


def test_story_form_and_list_pass_axe(chromium, live_server, live_demo):
    context = chromium.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    local_only(context, live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "sahel-desk-editor")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    story = (
        Article.objects.filter(notes__isnull=False, curated_links__isnull=False)
        .distinct()
        .first()
    )
    findings = []
    for label, path in [
        ("story list", "/admin/articles/article/"),
        ("new story", "/admin/articles/article/add/"),
        ("story form", f"/admin/articles/article/{story.pk}/change/"),
    ]:
        assert page.goto(live_server.url + path).status == 200, path
        page.wait_for_selector("#content")
        if label != "story list":
            page.wait_for_selector(".field-body [contenteditable=true]")
            page.wait_for_selector(".field-authors .select2-search__field")
            # A note row added in the page is named like the others.
            row = page.input_value("#id_notes-TOTAL_FORMS")
            page.click("#notes-group .add-row a")
            page.wait_for_selector(f"#id_notes-{row}-kind[aria-label]")
        findings += axe_findings(
            page,
            label,
            tags=WCAG,
            skips=[(rule, selector) for rule, selector, _ in DESK_EXCLUSIONS],
        )
        # axe lets a description that points nowhere pass; a screen reader then
        # reads no help at all.
        findings += [
            f"{label}: {reference} names no element"
            for reference in page.evaluate(DANGLING_REFERENCES)
        ]
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not findings, "\n".join(findings)
