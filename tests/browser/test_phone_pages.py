"""Every main page on a 390 × 844 phone, anonymous and signed in as the demo nurse: nothing is
wider than the screen, and the buttons on course cards and path rows are 44-pixel targets."""

from accreditation.models import Certificate
from catalog.models import CoursePage, EpisodePage
from lms.demo.accounts import (
    DEMO_HISTORY,
    DEMO_PASSWORD,
    demo_accounts_seed,
    demo_completions_seed,
    demo_history_seed,
)
from lms.demo.catalog import demo_catalog_seed
from playlists.demo import DEMO_PATHS, demo_paths_seed
from playlists.models import LearningPath

NURSE = "verpleegkundige@leerstroom.localhost"
PUBLIC_PAGES = [
    "/",
    "/zoeken/?q=zorg&beroep=verpleegkundige&vorm=on_demand",
    "/certificaat/",
    "/certificaat/?code=ONBEKEND",
    "/accounts/login/",
    "/accounts/signup/",
]
LEARNER_PAGES = [
    "/leerpaden/",
    "/profiel/",
    "/accreditatie/",
    "/accreditatie/werkuren/",
    "/accreditatie/big-herregistratie/",
    "/accreditatie/activiteit-toevoegen/",
]
TOUCHED = ".course-card .icon-button, .path-item .icon-button"


def _too_small(phone) -> list[str]:
    return phone.evaluate(
        """selector => [...document.querySelectorAll(selector)]
        .map(button => [button.getAttribute('aria-label'), button.getBoundingClientRect()])
        .filter(([, box]) => box.width && (box.width < 44 || box.height < 44))
        .map(([label, box]) => `${label} ${box.width}×${box.height}`)""",
        TOUCHED,
    )


def test_no_main_page_is_wider_than_a_phone_and_card_and_row_buttons_are_44_pixels(page, browser):
    # The courses the demo nurse has watched and put in her path, and the catalog's webinars.
    demo_catalog_seed(
        slugs={slug for _email, slug, *_rest in DEMO_HISTORY}
        | {slug for *_text, slugs in DEMO_PATHS for slug in slugs}
        | {"webinar-antibioticaresistentie", "reanimatietraining-klassikaal-utrecht"}
    )
    demo_accounts_seed()
    demo_history_seed()
    demo_completions_seed()
    demo_paths_seed()
    course = CoursePage.objects.get(slug="palliatieve-zorg-de-basis")
    episode = EpisodePage.objects.child_of(course).first()
    path = LearningPath.objects.filter(owner__email=NURSE).first()
    certificate = Certificate.objects.filter(user__email=NURSE).first()
    pages = [
        *PUBLIC_PAGES,
        course.url,
        episode.url,
        f"/certificaat/{certificate.code}/",
        f"/leerpaden/gedeeld/{path.share_token}/",
    ]

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    wide = {}
    for signed_in in (False, True):
        if signed_in:
            phone.goto(page.base_url + "/accounts/login/")
            phone.locator("input[name=login]").fill(NURSE)
            phone.locator("input[name=password]").fill(DEMO_PASSWORD)
            phone.locator("main form button[type=submit]").click()
            phone.wait_for_url(lambda url: "/accounts/login/" not in url)
            pages += [*LEARNER_PAGES, f"/leerpaden/{path.pk}/"]
        for address in pages:
            phone.goto(page.base_url + address)
            phone.wait_for_load_state("networkidle")
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[("signed in " if signed_in else "anonymous ") + address] = width
            if signed_in and (small := _too_small(phone)):
                wide["small targets on " + address] = small
    context.close()
    assert wide == {}
