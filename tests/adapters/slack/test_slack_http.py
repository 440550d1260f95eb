"""The Slack front end end to end over HTTP: bolt's own aiohttp app receiving signed requests,
replying through response_urls and views.open on a fake Slack, over a real service and database."""

from __future__ import annotations

import asyncio
import logging
import re
import time

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import create_app, ids, web_runner
from bot.core.errors import UNEXPECTED_ERROR
from tests.adapters.slack.fake_slack import (
    BOT_TOKEN,
    SECRETS,
    all_text,
    block_actions_payload,
    button,
    buttons,
    command_form,
    form_body,
    payload_body,
    signed_headers,
)
from tests.adapters.slack.helpers import (
    answer_buttons,
    board_rows,
    correct_text,
    daily_with_buttons,
    make_settings,
    question_of,
    right_and_wrong_buttons,
)

POINTS = re.compile(r"\+(\d+) points? \u00b7 streak (\d+)")


# ---------------------------------------------------------------------- daily question and buttons


async def test_daily_button_feedback_points_and_leaderboard(slack, service, fake_slack):
    team, question = await daily_with_buttons(slack)
    assert "Daily question" in all_text(question)
    right, wrong = right_and_wrong_buttons(service, question)

    feedback = await slack.press(right, team=team, user="U1", name="alice")
    text = all_text(feedback)
    assert feedback["response_type"] == "ephemeral" and feedback["replace_original"] is False
    assert "Correct!" in text
    points = int(POINTS.search(text).group(1))
    assert points > 0
    assert service.bank.questions[ids.parse_answer_value(right["value"])[0].question_id].explanation in text

    bad = all_text(await slack.press(wrong, team=team, user="U2", name="bob"))
    _, bank_question = question_of(service, question)
    assert "Not quite" in bad and "Correct answer:" in bad and str(bank_question.answer) in bad
    assert "+0 points" in bad

    board = await slack.ask("leaderboard", team=team, user="U1", name="alice")
    assert board_rows(board) == [f"1. alice \u2014 {points} points", "2. bob \u2014 0 points"]
    assert "Your rank: *1* of 2" in all_text(board)
    assert "<@" not in all_text(board)

    # A second click, even on another option, gives the first result and nothing more.
    again = all_text(await slack.press(wrong, team=team, user="U1", name="alice"))
    assert "already answered" in again and "Your first answer was right" in again
    assert "+" not in again.split("You answered")[0] and not POINTS.search(again)
    board = await slack.ask("leaderboard all", team=team, user="U2", name="bob")
    assert board_rows(board)[0] == f"1. alice \u2014 {points} points"


async def test_feedback_button_shows_the_related_figure_card(slack, service):
    team, question = await daily_with_buttons(slack)
    right, _ = right_and_wrong_buttons(service, question)
    feedback = await slack.press(right, team=team)
    _, bank_question = question_of(service, question)
    figure = service.bank.figures[bank_question.figures[0]]
    card = await slack.press(button(feedback, "Show card"), team=team)
    assert card["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": figure.name, "emoji": True}}


async def test_retried_requests_neither_score_nor_reply_twice(slack, service, fake_slack):
    team, question = await daily_with_buttons(slack)
    right, _ = right_and_wrong_buttons(service, question)

    # Slack's retry of a click we had already acknowledged: acked, and nothing else happens.
    retried = await slack.click(right, team=team, user="U3", name="carol", retry=1)
    retried_command = await slack.command("daily", team=team, user="U3", name="carol", retry=2)
    await asyncio.sleep(0.3)
    assert fake_slack.replies_to(retried) == [] and fake_slack.replies_to(retried_command) == []
    board = await slack.ask("leaderboard", team=team, user="U4", name="dan")
    assert "carol" not in all_text(board)

    # Two deliveries of the same click at once (a double click): one scores, one repeats.
    first, second = await asyncio.gather(
        slack.press(right, team=team, user="U3", name="carol"), slack.press(right, team=team, user="U3", name="carol")
    )
    texts = sorted([all_text(first), all_text(second)], key=lambda t: "already answered" in t)
    assert "Correct!" in texts[0] and "already answered" in texts[1]
    points = int(POINTS.search(texts[0]).group(1))
    board = await slack.ask("leaderboard", team=team, user="U3", name="carol")
    assert board_rows(board) == [f"1. carol \u2014 {points} points"]


# ---------------------------------------------------------------------- short answers


async def test_short_answer_through_the_modal(slack, fake_slack):
    card = await slack.ask("rival zinoviev")
    question = await slack.press(button(card, "Quiz me on this"))
    assert "Practice question" in all_text(question)
    assert "Leningrad Soviet" in all_text(question)
    open_button = button(question, ids.OPEN_MODAL_ACTION)

    click_url = await slack.click(open_button)
    views = await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open"))
    call = views[0]
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert call.body["trigger_id"].startswith("trigger-U1-")
    view = call.body["view"]
    assert view["type"] == "modal" and view["callback_id"] == ids.ANSWER_VIEW
    assert "Leningrad Soviet" in all_text(view)

    status, body = await slack.submit(view, "   ")
    assert status == 200 and body["response_action"] == "errors" and ids.ANSWER_BLOCK in body["errors"]

    status, body = await slack.submit(view, "Zinovyev")  # an accepted spelling
    assert (status, body) == (200, None)  # closes the modal
    feedback = all_text(await fake_slack.reply(click_url))  # to the chat where the button was
    assert "Correct!" in feedback and "Zinovyev" in feedback and "Leningrad base" in feedback
    assert "+0 points" in feedback  # practice questions score nothing


async def test_a_late_modal_answer_falls_back_to_an_ephemeral_message(slack, fake_slack):
    question = await slack.press(button(await slack.ask("rival zinoviev"), "Quiz me on this"))
    expired = fake_slack.expired_response_url()
    payload = block_actions_payload(button(question, ids.OPEN_MODAL_ACTION), response_url=expired, channel="C9")
    status, _ = await slack.send(payload_body(payload))
    assert status == 200
    view = (await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open")))[0].body["view"]

    assert (await slack.submit(view, "Kamenev"))[0] == 200
    posted = (await fake_slack.wait_for(lambda: fake_slack.api_calls("chat.postEphemeral")))[0]
    assert fake_slack.replies_to(expired)  # the response_url was tried first
    assert (posted.body["channel"], posted.body["user"]) == ("C9", "U1")
    assert "Not quite" in all_text(posted.body) and "Zinoviev" in all_text(posted.body)


async def test_short_answer_through_the_answer_command(slack):
    nothing = all_text(await slack.ask("answer Zinoviev"))
    assert "no question waiting" in nothing

    await slack.press(button(await slack.ask("rival zinoviev"), "Quiz me on this"))
    wrong = all_text(await slack.ask("answer Kamenev"))
    assert "Not quite" in wrong and "Correct answer: *Zinoviev*" in wrong and "Kamenev" in wrong

    await slack.press(button(await slack.ask("rival zinoviev"), "Quiz me on this"))
    right = all_text(await slack.ask("answer   grigory zinoviev "))
    assert "Correct!" in right

    usage = all_text(await slack.ask("answer"))
    assert "/study answer <your answer>" in usage.replace("&lt;", "<").replace("&gt;", ">")


async def test_daily_answered_with_the_answer_command_scores_once(slack, service):
    question = await slack.ask("daily", team="TS1")
    answer = correct_text(service, question)
    first = all_text(await slack.ask(f"answer {answer}", team="TS1"))
    assert "Correct!" in first and int(POINTS.search(first).group(1)) > 0
    await slack.ask("daily", team="TS1")
    again = all_text(await slack.ask(f"answer {answer}", team="TS1"))
    assert "already answered" in again and not POINTS.search(again)


# ---------------------------------------------------------------------- rival and explain


def header(message) -> str:
    return message["blocks"][0]["text"]["text"]


async def test_rival_known_alias_misspelt_and_unknown(slack):
    trotsky = await slack.ask("rival Trotsky")
    assert header(trotsky) == "Leon Trotsky"
    assert "War Commissar" in all_text(trotsky) and "Deported 1929" in all_text(trotsky)
    assert button(trotsky, "Quiz me on this")["value"] == "trotsky"

    assert header(await slack.ask("rival Bronstein")) == "Leon Trotsky"
    assert header(await slack.ask("rival Bukarin")) == "Nikolai Bukharin"

    unknown = await slack.ask("rival Lenin")
    assert "I don't have a card for \u201cLenin\u201d." in all_text(unknown)
    assert buttons(unknown) == []

    near = await slack.ask("rival Kam")
    assert "Did you mean \u201cLev Kamenev\u201d" in all_text(near)
    assert header(await slack.press(button(near, "Lev Kamenev"))) == "Lev Kamenev"

    # rival is for people: a term is not a rival.
    assert "I don't have a card for \u201cNEP\u201d." in all_text(await slack.ask("rival NEP"))


async def test_explain_finds_terms_and_quiz_me_asks_about_the_figure(slack, service):
    nep = await slack.ask("explain NEP")
    assert header(nep) == "New Economic Policy" and "mixed economy" in all_text(nep)

    bukharin = await slack.ask("explain bukharin")
    question = await slack.press(button(bukharin, "Quiz me on this"))
    ref, bank_question = question_of(service, question)
    assert "bukharin" in bank_question.figures and ref.mode.value == "practice"
    assert len(answer_buttons(question)) == 4


async def test_unknown_long_names_are_cut_short_in_the_reply(slack):
    reply = all_text(await slack.ask("rival " + "x" * 90))
    assert "x" * 90 not in reply and "x" * 50 in reply


# ---------------------------------------------------------------------- help, stats, forget-me, errors


async def test_help_and_closest_subcommand(slack):
    assert "/study quiz [topic]" in all_text(await slack.ask("help"))
    assert "/study leaderboard" in all_text(await slack.ask(""))
    misspelt = all_text(await slack.ask("leaderbord month"))
    assert "I don't know `leaderbord`" in misspelt and "Did you mean `/study leaderboard`?" in misspelt
    assert "Did you mean" not in all_text(await slack.ask("xyzzy"))
    period = all_text(await slack.ask("leaderboard fortnight"))
    assert "Choose `week`, `month` or `all`" in period


async def test_stats_and_forget_me(slack, service):
    question = await slack.ask("daily", team="TF1")
    await slack.ask(f"answer {correct_text(service, question)}", team="TF1")
    stats = all_text(await slack.ask("stats", team="TF1"))
    assert "Stats for alice" in stats and "*Answered*\n1 (1 daily, 0 practice)" in stats

    # forget-me only asks; Cancel keeps everything; only "Yes, delete my data" deletes.
    confirm = await slack.ask("forget-me", team="TF1")
    assert "cannot be undone" in all_text(confirm) and confirm["response_type"] == "ephemeral"
    assert [b["text"]["text"] for b in buttons(confirm)] == ["Yes, delete my data", "Cancel"]
    assert "*Answered*\n1 (1 daily" in all_text(await slack.ask("stats", team="TF1"))
    cancelled = await slack.press(button(confirm, "Cancel"), team="TF1")
    assert cancelled["replace_original"] is True and "nothing was deleted" in all_text(cancelled)
    assert "*Answered*\n1 (1 daily" in all_text(await slack.ask("stats", team="TF1"))

    gone = await slack.press(button(await slack.ask("forget-me", team="TF1"), "Yes, delete my data"), team="TF1")
    assert gone["replace_original"] is True  # the question is replaced by the answer: no second click
    assert "deleted your 1 answer(s)" in all_text(gone)
    again = await slack.press(button(confirm, "Yes, delete my data"), team="TF1")
    assert "nothing stored about you" in all_text(again)
    assert "No points yet" in all_text(await slack.ask("leaderboard", team="TF1", user="U2", name="bob"))


async def test_unexpected_errors_become_one_friendly_message_and_a_log(slack, service, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(service, "stats", broken)
    caplog.set_level(logging.INFO)  # the default level; slack_sdk itself logs URLs at DEBUG
    caplog.set_level(logging.DEBUG, logger="bot")
    response_url = await slack.command("stats")
    reply = await slack.fake.reply(response_url)
    assert reply["text"] == UNEXPECTED_ERROR and reply["response_type"] == "ephemeral"
    assert "database on fire" not in all_text(reply)
    assert "database on fire" in caplog.text and "Traceback" in caplog.text
    for secret in (*SECRETS, response_url):
        assert secret not in caplog.text


async def test_work_happens_after_the_ack(slack, service, monkeypatch):
    real = service.daily_question

    async def slow(actor):
        await asyncio.sleep(1.0)
        return await real(actor)

    monkeypatch.setattr(service, "daily_question", slow)
    response_url = slack.fake.response_url()
    body = form_body(command_form("daily", response_url=response_url))
    status, text, elapsed = await slack.post(body, signed_headers(body))
    assert (status, text) == (200, "") and elapsed < 0.5
    assert slack.fake.replies_to(response_url) == []
    assert "Daily question" in all_text(await slack.fake.reply(response_url))


# ---------------------------------------------------------------------- security and isolation


async def test_forged_and_stale_requests_are_refused_and_change_nothing(slack, service, fake_slack):
    team, question = await daily_with_buttons(slack)
    right, _ = right_and_wrong_buttons(service, question)
    before = len(fake_slack.calls)

    forged_url = fake_slack.response_url()
    body = payload_body(block_actions_payload(right, response_url=forged_url, team=team, user="U6", name="mallory"))
    forged = signed_headers(body, secret="not-the-secret")
    stale = signed_headers(body, timestamp=int(time.time()) - 6 * 60)
    tampered = signed_headers(body) | {"X-Slack-Request-Timestamp": str(int(time.time()) - 1)}
    unsigned = {"Content-Type": "application/x-www-form-urlencoded"}
    for headers in (forged, stale, tampered, unsigned):
        status, _, _ = await slack.post(body, headers)
        assert status == 401

    await asyncio.sleep(0.2)
    assert len(fake_slack.calls) == before  # no reply, no Web API call
    board = await slack.ask("leaderboard", team=team, user="U1", name="alice")
    assert "mallory" not in all_text(board) and "No points yet" in all_text(board)


async def test_two_workspaces_never_see_each_others_scores(slack, service, fake_slack):
    fake_slack.users["U2"] = {"is_admin": True}  # bob is an admin: a teacher, who may look at a classmate
    question = await slack.ask("daily", team="TA", user="U1", name="alice")
    scored = all_text(await slack.ask(f"answer {correct_text(service, question)}", team="TA", user="U1", name="alice"))
    points = int(POINTS.search(scored).group(1))

    # The same Slack user id in another workspace is another member with nothing yet.
    other = all_text(await slack.ask("leaderboard all", team="TB", user="U1", name="alice"))
    assert "alice" not in other.split("Your rank")[0] and "No points yet" in other
    assert "You have no points in this period yet" in other
    assert "*Answered*\n0" in all_text(await slack.ask("stats", team="TB", user="U1", name="alice"))
    peek = all_text(await slack.ask("stats <@U1|alice>", team="TB", user="U2", name="bob"))
    # Whether looking at alice enrols her in TB is the service's choice; her TA answers never show.
    assert "*Answered*\n1" not in peek
    assert "hasn't answered any questions here" in peek or "*Answered*\n0" in peek
    await slack.ask("daily", team="TA", user="U3", name="carol")
    peek = all_text(await slack.ask("stats <@U3|carol>", team="TB", user="U2", name="bob"))
    assert "hasn't answered any questions here" in peek

    home = await slack.ask("leaderboard all", team="TA", user="U2", name="bob")
    assert board_rows(home) == [f"1. alice \u2014 {points} points"]


async def test_names_in_the_leaderboard_never_mention_anyone(slack, service):
    question = await slack.ask("daily", team="TM", user="U7", name="<!channel>")
    await slack.ask(f"answer {correct_text(service, question)}", team="TM", user="U7", name="<!channel>")
    board = all_text(await slack.ask("leaderboard", team="TM", user="U8", name="<@U7>"))
    assert "&lt;!channel&gt;" in board
    assert "<!" not in board and "<@" not in board


async def test_replies_and_web_api_calls_share_one_connection_while_the_app_serves(slack, fake_slack):
    """The app holds one HTTP session while it serves: five replies to response_urls, and the Web API calls
    made meanwhile, reuse its connections instead of opening one each."""
    for command in ("daily", "leaderboard", "stats", "rival Trotsky", "help"):
        await slack.ask(command)
    replies = [call for call in fake_slack.calls if call.path.startswith("/response/")]
    assert len(replies) == 5
    assert len({call.peer for call in replies}) == 1  # one TCP connection for all five


async def test_the_shared_session_opens_with_the_server_and_closes_when_it_stops(service, fake_slack):
    app = create_app(service, make_settings(), client=AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    assert app.client.session is None
    runner = web_runner(app)
    await runner.setup()
    session = app.client.session
    assert session is not None and not session.closed
    await runner.cleanup()
    assert session.closed and app.client.session is None
