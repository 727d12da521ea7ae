"""The catalog in Chromium: a learner browses rows (one fails at first and is tried again),
searches with filters and opens a course; an editor publishes a course with an episode and
accreditation in the Wagtail admin."""

import re
from datetime import date

from django.contrib.auth.models import Group

from catalog.models import CoursePage
from lms.demo.catalog import demo_catalog_seed
from playback.models import Video
from tests.factories import PASSWORD, UserFactory, learner_with_profile, progress_record


def _sign_in(page, user) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_learner_browses_rows_retries_one_that_failed_searches_and_opens_a_course(page):
    demo_catalog_seed()
    learner = learner_with_profile()
    wound = CoursePage.objects.get(slug="wondzorg-decubitus")
    progress_record(user=learner, course=wound, share=0.6)
    _sign_in(page, learner)
    # One row fails on its first try.
    failing = "**/rijen/competentie-communicatie/"
    page.route(failing, lambda route: route.fulfill(status=500, body="kapot"))

    page.goto(page.base_url + "/")
    hero = page.locator(".hero")
    assert hero.get_by_role(
        "heading", name="Interprofessioneel samenwerken in het MDO"
    ).is_visible()
    continuing = page.locator("section[data-row=verder-kijken]")
    assert continuing.get_by_role("heading", name=wound.title).is_visible()
    assert continuing.get_by_role("progressbar").get_attribute("aria-valuenow") == "60"

    # A row scrolls with its buttons and with the keyboard.
    featured = page.locator("section.row").nth(1)
    items = featured.locator(".row__items")
    items.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=items.element_handle())
    before = items.evaluate("el => el.scrollLeft")
    featured.get_by_role("button", name="Verder scrollen").click()
    page.wait_for_function(f"el => el.scrollLeft > {before}", arg=items.element_handle())

    # Rows further down load as they come into view.
    for _screen in range(40):
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(100)
        if page.evaluate("innerHeight + scrollY >= document.body.scrollHeight - 2"):
            break
    comfort = page.get_by_role("heading", name="Buiten je comfortzone")
    comfort.wait_for()
    failed = page.locator('section[hx-get="/rijen/competentie-communicatie/"]')
    failed.get_by_text("Deze cursussen konden niet worden geladen.").wait_for()
    page.unroute(failing)
    # From the keyboard: rows above may still be growing as they load, moving the button.
    failed.get_by_role("button", name="Opnieuw proberen").focus()
    page.keyboard.press("Enter")
    page.locator("section[data-row=competentie-communicatie] .course-card").first.wait_for()
    page.wait_for_function("() => !document.querySelector('.row--loading')")
    assert page.locator("section[data-row^=competentie-]").count() == 7

    # Removing a course from Continue watching takes its card away at once.
    continuing.get_by_role("button", name=f"{wound.title} verwijderen uit Verder kijken").click()
    continuing.locator(".row__item").first.wait_for(state="detached")

    page.goto(page.base_url + "/zoeken/")
    search_box = page.locator("main").get_by_label("Zoek cursussen")
    search_box.fill("zorg")
    search_box.press("Enter")
    page.wait_for_url(re.compile(r"q=zorg"))
    page.get_by_label("Verpleegkundige").check()
    page.wait_for_url(re.compile(r"beroep=verpleegkundige"))
    page.get_by_label("Gratis").check()
    page.wait_for_url(re.compile(r"prijs=gratis"))
    assert "q=zorg" in page.url
    chips = page.get_by_role("list", name="Gekozen filters")
    assert chips.get_by_role("link", name=re.compile("Beroep: Verpleegkundige")).is_visible()
    count = page.get_by_role("status").filter(has_text="cursus").inner_text()
    assert int(count.split()[0]) > 0

    first = page.locator(".search__results .course-card__title").first
    title = first.inner_text()
    first.click()
    assert page.get_by_role("heading", name=title, level=1).is_visible()


def test_an_editor_publishes_a_course_with_an_episode_and_accreditation(page):
    editor = UserFactory(is_staff=True)
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    _sign_in(page, editor)
    home_id = CoursePage._meta.apps.get_model("catalog", "HomePage").objects.get().pk

    page.goto(f"{page.base_url}/admin/pages/add/catalog/coursepage/{home_id}/")
    page.locator("#id_title").fill("Sepsis herkennen op de SEH")
    page.locator("#id_title").press("Tab")
    page.locator("#id_subtitle").fill("De eerste uren tellen")
    page.locator("#id_summary").fill("Vroege signalen, qSOFA en de sepsisbundel.")
    page.locator("#id_accreditations-ADD").click()
    page.locator("#id_accreditations-0-register").select_option(label="V&VN Kwaliteitsregister")
    page.locator("#id_accreditations-0-points").fill("2")
    page.locator("#id_accreditations-0-category").select_option(index=1)
    page.locator("#id_accreditations-0-activity_id").fill("VN-2026-0042")
    page.locator("#id_accreditations-0-valid_from").fill(f"{date.today().year}-01-01")
    page.locator("#id_accreditations-0-valid_until").fill(f"{date.today().year + 1}-12-31")
    page.locator("#id_accreditations-0-valid_until").press("Escape")
    page.evaluate("document.querySelector('button[name=action-publish]').click()")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    # Without an episode to finish, the course is kept as a draft and the editor told why.
    assert page.get_by_text("Opgeslagen als concept, niet gepubliceerd").is_visible()
    course = CoursePage.objects.get(title="Sepsis herkennen op de SEH")
    assert not course.live and course.accreditations.count() == 1

    video = Video.objects.create(title="qSOFA", state=Video.State.READY, duration=300)
    page.goto(f"{page.base_url}/admin/pages/add/catalog/episodepage/{course.pk}/")
    page.locator("#id_title").fill("Het qSOFA-criterium")
    page.locator("#id_title").press("Tab")  # the slug follows the title
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    page.evaluate(f"document.querySelector('#id_video').value = '{video.pk}'")
    page.evaluate("document.querySelector('button[name=action-publish]').click()")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))

    page.goto(f"{page.base_url}/admin/pages/{course.pk}/edit/")
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=action-publish]').click()")
    course.refresh_from_db()
    assert course.live

    # A visitor finds it in the catalog.
    visitor = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    base_url, page = page.base_url, visitor.new_page()
    page.goto(base_url + "/zoeken/?q=qSOFA")
    card = page.locator(".course-card").filter(has_text="Sepsis herkennen op de SEH")
    assert card.is_visible()
    assert card.get_by_text("Aflevering: Het qSOFA-criterium").is_visible()
    card.click()
    assert page.get_by_role("heading", name="Sepsis herkennen op de SEH", level=1).is_visible()
    assert page.get_by_text("VN-2026-0042").is_visible()
    assert page.get_by_role("link", name="Het qSOFA-criterium").is_visible()
    visitor.close()
