"""The WhatsApp adapter's pure parts, without a server: rendering within WhatsApp's limits,
templates (R38) and their configuration, reading webhook bodies, classifying Cloud API
errors, and the signature."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.config import SettingsError, load_settings
from bot.flow.events import Button, Reply
from bot.whatsapp.errors import Remedy, remedy
from bot.whatsapp.graph import GraphError
from bot.whatsapp.payloads import read_body
from bot.whatsapp.render import PAGE_KEY, Wording, render
from bot.whatsapp.signature import sign, signature_ok
from bot.whatsapp.templates import Template, TemplateGroup, group_of, parse_templates
from bot.whatsapp.text import split_text
from locales import Translator
from tests.e2e.fake_graph import PHONE_NUMBER_ID, _limits_problem
from tests.e2e.whatsapp_support import status_body, webhook_body

TRANSLATOR = Translator()
RU, KK = Wording(TRANSLATOR, "ru"), Wording(TRANSLATOR, "kk")
NAV = (Button("nav:back", "← Назад"), Button("nav:cancel", "Отменить"))


def messages(reply: Reply, wording: Wording = RU, outbox_id: int | None = 7) -> list[dict]:
    found = [part.message for part in render(reply, wording, outbox_id)]
    for message in found:  # everything rendered passes the fake Graph API's (Meta's) limits
        assert message is not None
        assert _limits_problem({"messaging_product": "whatsapp", "to": "7701", **message}) is None
    return found  # type: ignore[return-value]


def test_up_to_three_short_buttons_are_reply_buttons():
    reply = Reply("Вы согласны?", ((Button("consent:yes", "Согласен(на)"),), NAV))
    [message] = messages(reply)
    interactive = message["interactive"]
    assert interactive["type"] == "button"
    assert [b["reply"]["id"] for b in interactive["action"]["buttons"]] == [
        "consent:yes",
        "nav:back",
        "nav:cancel",
    ]


def test_a_label_too_long_for_a_button_takes_its_short_label_in_each_language():
    for wording, label in ((RU, "Встать в очередь без времени"), (KK, "Уақытсыз кезекке тұру")):
        reply = Reply("—", ((Button("slot:queue", label),), NAV[:1]))
        [message] = messages(reply, wording)
        titles = [b["reply"]["title"] for b in message["interactive"]["action"]["buttons"]]
        assert titles[0] == wording.t("whatsapp-label-slot-queue") and len(titles[0]) <= 20


def test_four_buttons_become_a_list_and_long_labels_keep_their_full_text_as_description():
    topic = "Жилищно-коммунальное хозяйство и благоустройство"
    reply = Reply(
        "Выберите тему вопроса.", ((Button("topic:1", topic),), (Button("topic:2", "Дороги"),), NAV)
    )
    [message] = messages(reply)
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0]["title"] == "Жилищно-коммунальное хо…" and len(rows[0]["title"]) == 24
    assert rows[0]["description"] == topic
    assert "description" not in rows[1]
    assert message["interactive"]["action"]["button"] == "Выбрать"


def test_a_slot_row_gives_up_its_weekday_before_its_time():
    reply = Reply(
        "Время?",
        tuple((Button(f"slot:{n}", f"сәрсенбі, 11 наурыз 2026 ж., 1{n}:00"),) for n in range(4)),
    )
    [message] = messages(reply, KK)
    row = message["interactive"]["action"]["sections"][0]["rows"][0]
    assert row["title"] == "11 наурыз 2026 ж., 10:00"
    assert row["description"] == "сәрсенбі, 11 наурыз 2026 ж., 10:00"


def test_a_long_menu_is_paged_with_the_navigation_on_every_page():
    topics = tuple((Button(f"topic:{n}", f"Тема {n}"),) for n in range(1, 21))
    reply = Reply("Выберите тему вопроса.", (*topics, NAV))
    pages = []
    for page in range(3):
        paged = Reply(reply.text, reply.buttons, extra={PAGE_KEY: str(page)})
        [message] = messages(paged)
        pages.append([r["id"] for r in message["interactive"]["action"]["sections"][0]["rows"]])
    assert pages[0] == [
        *(f"topic:{n}" for n in range(1, 8)),
        "wa:more:7:1",
        "nav:back",
        "nav:cancel",
    ]
    assert pages[1][:7] == [f"topic:{n}" for n in range(8, 15)] and pages[1][7] == "wa:more:7:2"
    assert pages[2] == [
        *(f"topic:{n}" for n in range(15, 21)),
        "wa:more:7:0",
        "nav:back",
        "nav:cancel",
    ]


def test_a_long_text_is_split_at_paragraphs_within_4096_characters():
    paragraph = "Абзац текста. " * 40
    text = "\n\n".join([paragraph.strip()] * 12)  # about 6,700 characters
    found = messages(Reply(text))
    assert len(found) == 2 and all(m["type"] == "text" for m in found)
    assert all(len(m["text"]["body"]) <= 4096 for m in found)
    assert found[0]["text"]["body"].endswith("Абзац текста.")
    assert split_text("🙂" * 4096) == ["🙂" * 2048, "🙂" * 2048]  # emoji count twice


def test_a_long_summary_goes_first_as_text_and_the_buttons_follow_under_its_last_paragraph():
    summary = "Проверьте заявку:\n" + "\n".join(f"Строка {n}: " + "х" * 60 for n in range(20))
    summary += "\n\nЕсли все верно, нажмите «Подтвердить»."
    [text, buttons] = messages(Reply(summary, ((Button("confirm", "Подтвердить"),), NAV)))
    assert text["type"] == "text" and text["text"]["body"].startswith("Проверьте заявку:")
    assert buttons["interactive"]["body"]["text"] == "Если все верно, нажмите «Подтвердить»."


def test_notice_kinds_choose_their_template_group():
    assert group_of("reminder") is TemplateGroup.REMINDER
    assert group_of("fix-request") is TemplateGroup.FIX_REQUEST
    assert group_of("hearing") is TemplateGroup.HEARING_NOTICE
    assert group_of("final-answer") is group_of("refused") is TemplateGroup.FINAL_ANSWER
    assert group_of("booked") is group_of("registered") is TemplateGroup.STATUS_CHANGE
    assert group_of(None) is None and group_of("operator") is None


def test_template_parameters_are_single_lines_in_the_citizens_words():
    template = Template("reception_hearing", {"kk": "kk", "ru": "ru"}, ("number", "until", "text"))
    message = template.message(
        "kk", "Бірінші жол.\nЕкінші\tжол.", {"number": "2026-000001", "until": date(2026, 3, 5)}
    )
    assert message["template"]["language"] == {"code": "kk"}
    params = [p["text"] for p in message["template"]["components"][0]["parameters"]]
    assert params == ["2026-000001", "5 наурыз 2026 ж.", "Бірінші жол. Екінші жол."]
    moment = Template("t", {"ru": "ru"}, ("when",)).message(
        "kk", "", {"when": datetime(2026, 3, 11, 5, tzinfo=UTC)}
    )
    assert (
        moment["template"]["components"][0]["parameters"][0]["text"] == "11 наурыз 2026 ж., 10:00"
    )
    assert moment["template"]["language"] == {"code": "ru"}  # the only language approved


def test_template_configuration_errors_name_the_variable():
    assert parse_templates({"reminder": {"name": "r", "language": "kk"}})[
        TemplateGroup.REMINDER
    ].params == ("text",)
    for wrong in (
        {"reminders": {"name": "r"}},
        {"reminder": {"language": "ru"}},
        {"reminder": {"name": "r", "params": "text"}},
    ):
        with pytest.raises(SettingsError, match=r"whatsapp_templates|WHATSAPP_TEMPLATES"):
            load_settings(whatsapp_templates=wrong, secret_key="k" * 40, _env_file=None)


def test_the_templates_come_from_the_environment_as_json(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "WHATSAPP_TEMPLATES", '{"final_answer": {"name": "reception_final", "language": "ru"}}'
    )
    settings = load_settings(secret_key="k" * 40, data_dir=tmp_path, _env_file=None)
    assert (
        parse_templates(settings.whatsapp_templates)[TemplateGroup.FINAL_ANSWER].name
        == "reception_final"
    )


def test_a_webhook_body_is_read_into_messages_and_statuses():
    body = webhook_body(
        {
            "contacts": [{"profile": {"name": "Айгерим"}, "wa_id": "77011234567"}],
            "messages": [
                {
                    "from": "77011234567",
                    "id": "wamid.A",
                    "timestamp": "1772427600",
                    "type": "interactive",
                    "interactive": {
                        "type": "list_reply",
                        "list_reply": {"id": "topic:1", "title": "Дороги"},
                    },
                },
                {
                    "from": "77011234567",
                    "id": "wamid.B",
                    "timestamp": "1772427601",
                    "type": "contacts",
                    "contacts": [
                        {
                            "name": {"formatted_name": "Болат"},
                            "phones": [{"phone": "+7 701 765 43 21"}],
                        }
                    ],
                },
            ],
        }
    )
    body["entry"][0]["changes"] += status_body(
        "wamid.C", "failed", 1772427602, "77011234567", code=131026, title="Message undeliverable"
    )["entry"][0]["changes"]
    content = read_body(body, PHONE_NUMBER_ID, datetime(2026, 3, 2, tzinfo=UTC))
    first, second = content.messages
    assert (first.wamid, first.chat_id, first.display_name) == ("wamid.A", "77011234567", "Айгерим")
    assert first.at == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert second.content["contacts"][0]["phones"][0]["phone"] == "+7 701 765 43 21"
    [status] = content.statuses
    assert (status.wamid, status.status, status.error_code, status.error_title) == (
        "wamid.C",
        "failed",
        131026,
        "Message undeliverable",
    )
    assert read_body(body, "another-number", datetime.now(UTC)).messages == []


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 130429, Remedy.WAIT),  # throughput
        (400, 131056, Remedy.WAIT),  # pair rate
        (400, 80007, Remedy.WAIT),
        (400, 4, Remedy.WAIT),
        (500, 1, Remedy.RETRY),
        (503, None, Remedy.RETRY),
        (0, None, Remedy.RETRY),  # no answer at all
        (401, 190, Remedy.RETRY),  # an expired token is fixed by an administrator
        (400, 131047, Remedy.TEMPLATE),
        (400, 131026, Remedy.GIVE_UP),
        (400, 100, Remedy.GIVE_UP),
        (400, 132001, Remedy.GIVE_UP),  # no such template
    ],
)
def test_cloud_api_errors_are_classified(status, code, expected):
    assert remedy(GraphError(status, code, "title")) is expected


def test_error_bodies_keep_metas_code_and_title():
    body = '{"error": {"message": "(#131026) Message undeliverable", "code": 131026, '
    body += '"error_subcode": 2494055}}'
    error = GraphError.from_body(400, body)
    assert (error.code, error.subcode) == (131026, 2494055)
    assert error.describe() == "HTTP 400, code 131026: (#131026) Message undeliverable"
    assert GraphError.from_body(502, "<html>Bad gateway</html>").code is None


def test_the_signature_is_the_hmac_of_the_exact_bytes():
    body = '{"text": "Әкімге жазылу 🙏"}'.encode()
    header = sign("secret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_ok("secret", body, header)
    assert not signature_ok("secret", body + b" ", header)
    assert not signature_ok("secret", body, header.upper())
    assert not signature_ok("secret", body, None)


def test_every_short_label_fits_a_button_and_both_languages_have_the_same_ids():
    ids = {i for i in TRANSLATOR.message_ids("ru") if i.startswith("whatsapp-")}
    assert ids == {i for i in TRANSLATOR.message_ids("kk") if i.startswith("whatsapp-")}
    for lang in ("kk", "ru"):
        for message_id in ids:
            text = TRANSLATOR(lang, message_id, page=2, pages=3)
            limit = 20 if message_id.startswith(("whatsapp-label-", "whatsapp-list-open")) else 24
            if message_id != "whatsapp-list-page":
                assert len(text) <= limit, (lang, message_id, text)
