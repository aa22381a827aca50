"""The channel-free splitter both Telegram (4096) and WhatsApp (4096 text, 1024 body) use."""

from bot.flow.textsplit import length, prefix_within, split_text


def test_a_text_within_the_limit_is_one_piece_stripped() -> None:
    assert split_text("  Сәлем!\n", 10) == ["Сәлем!"]
    assert split_text(" \n ", 10) == []


def test_a_long_text_is_cut_after_a_paragraph_before_a_line_or_a_word() -> None:
    text = "aaaa bbbb\ncccc\n\ndddd eeee"
    assert split_text(text, 20) == ["aaaa bbbb\ncccc", "dddd eeee"]


def test_without_a_paragraph_end_the_cut_is_at_a_line_then_at_a_word() -> None:
    assert split_text("aaaa bbbb\ncccc dddd", 15) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("aaaa bbbb cccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]


def test_a_break_in_the_first_half_is_passed_over_for_a_hard_cut() -> None:
    assert split_text("ab cdefghijkl", 8) == ["ab cdefg", "hijkl"]


def test_each_piece_is_within_the_limit_in_utf16_units() -> None:
    pieces = split_text("🙂" * 4096, 4096)
    assert pieces == ["🙂" * 2048, "🙂" * 2048]
    assert length("🙂") == 2 and prefix_within("a🙂b", 2) == 1
    pieces = split_text(("Өтініш қабылданды. " * 400).strip(), 1024)
    assert all(length(piece) <= 1024 for piece in pieces) and len(pieces) == 8
