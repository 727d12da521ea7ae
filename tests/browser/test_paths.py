"""Learning paths in Chromium: made from a course card, filled, reordered by drag and by
keyboard, and the order kept after a reload."""

from tests.factories import PASSWORD, course_publish, learner_with_profile


def _sign_in(page, user) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _order(page) -> list[str]:
    return page.locator(".path-item__title").all_inner_texts()


def test_a_path_made_from_a_course_card_is_filled_reordered_and_kept(page):
    for minutes, title in [(20, "Wondzorg"), (45, "Palliatieve zorg"), (90, "Reanimatie")]:
        course_publish(title=title, episodes=["Deel 1"], duration_minutes=minutes)
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


def test_a_shared_path_is_followed_and_a_colleague_adds_to_it(page):
    from playlists import services

    courses = [course_publish(title=f"Scholing {n}") for n in range(3)]
    owner, reader, colleague = (learner_with_profile() for _ in range(3))
    path = services.path_create(owner=owner, title="Nachtdienst 4C")
    services.path_item_add(path=path, actor=owner, course_id=courses[0].pk)

    _sign_in(page, owner)
    page.goto(f"{page.base_url}/leerpaden/{path.pk}/")
    page.get_by_text("Titel, beschrijving en zichtbaarheid aanpassen").click()
    page.get_by_label("Iedereen met de link").check()
    page.get_by_role("button", name="Opslaan").click()
    share_url = page.get_by_label("Deellink").input_value()
    page.get_by_role("button", name="Nodig een collega uit").click()
    invite_url = page.get_by_label(
        "Uitnodigingslink voor één collega, 7 dagen geldig"
    ).input_value()

    # Another learner, in a browser of their own, opens the link and follows the path.
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    reader_page = other.new_page()
    reader_page.base_url = page.base_url
    _sign_in(reader_page, reader)
    reader_page.goto(share_url)
    reader_page.get_by_role("button", name="Volgen").click()
    assert reader_page.get_by_text("“Nachtdienst 4C” staat nu in je bibliotheek.").is_visible()
    reader_page.goto(page.base_url + "/leerpaden/")
    assert reader_page.get_by_role("heading", name="Gevolgd").is_visible()
    other.close()

    # A colleague accepts the invitation and adds a course from its page.
    third = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    colleague_page = third.new_page()
    colleague_page.base_url = page.base_url
    _sign_in(colleague_page, colleague)
    colleague_page.goto(invite_url)
    colleague_page.get_by_role("button", name="Accepteren").click()
    assert colleague_page.get_by_text("Je werkt nu mee aan “Nachtdienst 4C”.").is_visible()
    colleague_page.goto(page.base_url + courses[2].url)
    colleague_page.get_by_label("Scholing 2 toevoegen aan een leerpad").first.click()
    colleague_page.get_by_role("button", name="Nachtdienst 4C").click()
    colleague_page.get_by_text("Toegevoegd aan Nachtdienst 4C").wait_for()
    third.close()

    page.reload()
    assert _order(page) == ["Scholing 0", "Scholing 2"]


def test_script_in_titles_and_descriptions_never_runs(page):
    from playlists import services
    from tests.factories import course_publish

    owner = learner_with_profile()
    course_publish(title="Cursus")
    payloads = [
        "<script>window.__hacked = 1</script>",
        '"><img src=x onerror="window.__hacked = 2">',
        "' onmouseover='window.__hacked = 3' x='",
        "<svg onload=window.__hacked=4>",
    ]
    paths = [
        services.path_create(owner=owner, title=payload, description=payload * 3)
        for payload in payloads
    ]
    _sign_in(page, owner)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in ["/leerpaden/", *[f"/leerpaden/{path.pk}/" for path in paths]]:
        page.goto(page.base_url + url)
        page.mouse.move(200, 300)
        assert page.evaluate("window.__hacked === undefined"), url
    page.goto(page.base_url + "/leerpaden/")
    assert page.get_by_text(payloads[0]).first.is_visible()  # shown as text
    assert not dialogs
