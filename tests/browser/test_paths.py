"""Learning paths in Chromium: made from a course card, filled, reordered by drag and by
keyboard, and the order kept after a reload."""

from catalog.demo import demo_catalog_seed
from tests.factories import PASSWORD, learner_with_profile


def _sign_in(page, user) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _order(page) -> list[str]:
    return page.locator(".path-item__title").all_inner_texts()


def test_a_path_made_from_a_course_card_is_filled_reordered_and_kept(page):
    demo_catalog_seed()
    _sign_in(page, learner_with_profile())
    page.goto(page.base_url + "/zoeken/?sorteer=duur")
    cards = page.locator(".search__results .course-card")
    titles = [cards.nth(n).locator(".course-card__title").inner_text() for n in range(3)]

    cards.nth(0).get_by_label(f"{titles[0]} toevoegen aan een leerpad").click()
    menu = cards.nth(0).locator(".add-menu__panel")
    menu.get_by_placeholder("Nieuw leerpad").fill("Mijn avonddiensten")
    menu.get_by_role("button", name="Maken").click()
    page.wait_for_load_state()
    assert page.get_by_text("Leerpad “Mijn avonddiensten” gemaakt.").is_visible()

    for n in (1, 2):
        card = page.locator(".search__results .course-card").nth(n)
        card.get_by_label(f"{titles[n]} toevoegen aan een leerpad").click()
        card.get_by_role("button", name="Mijn avonddiensten").click()
        card.get_by_text("Toegevoegd aan Mijn avonddiensten").wait_for()

    page.goto(page.base_url + "/leerpaden/")
    page.get_by_role("link", name="Mijn avonddiensten").click()
    assert _order(page) == titles

    # Drag the last item to the top by its handle.
    handles = page.locator(".path-item__handle")
    with page.expect_response(lambda r: "verplaatsen" in r.url) as moved:
        handles.nth(2).drag_to(handles.nth(0))
    assert moved.value.status == 200
    assert _order(page) == [titles[2], titles[0], titles[1]]

    # Move the (now) last item up with the keyboard.
    with page.expect_response(lambda r: "verplaatsen" in r.url):
        page.get_by_role("button", name=f"{titles[1]} omhoog").focus()
        page.keyboard.press("Enter")
    assert _order(page) == [titles[2], titles[1], titles[0]]

    page.reload()
    assert _order(page) == [titles[2], titles[1], titles[0]]
