"""Only the Telegram channel draws Telegram: outside channels/telegram/ nothing builds inline
or reply keyboards, edits messages, sends photos or documents, answers presses or makes t.me
links. Checked on the syntax tree of every source file, so a new screen cannot slip back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["bot.py", "core", "ui", "channels", "handlers", "services", "scheduler", "storage"]
ALLOWED = ("channels/telegram/",)
BUILDERS = {
    "InlineKeyboardButton",
    "InlineKeyboardMarkup",
    "ReplyKeyboardMarkup",
    "ReplyKeyboardRemove",
}
CALLS = {
    "edit_message_text",
    "edit_message_reply_markup",
    "edit_message_caption",
    "edit_message_media",
    "edit_text",
    "edit_reply_markup",
    "edit_caption",
    "send_document",
    "send_photo",
    "reply_photo",
    "reply_document",
    "answer_callback_query",
}


def sources() -> list[Path]:
    files: list[Path] = []
    for entry in CHECKED:
        path = ROOT / entry
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [f for f in files if not f.relative_to(ROOT).as_posix().startswith(ALLOWED)]


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in BUILDERS:
                found.append(f"{where} uses {name}")
        if isinstance(node, ast.alias) and node.name.split(".")[-1] in BUILDERS:
            found.append(f"{where} imports {node.name}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr in CALLS:
                found.append(f"{where} calls {attr}")
            if attr == "answer" and _looks_like_query(node.func.value):
                found.append(f"{where} answers a callback query")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "t.me/" in node.value and not _is_docstring(tree, node):
                found.append(f"{where} builds a t.me link")
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.Constant) and "t.me/" in str(part.value):
                    found.append(f"{where} builds a t.me link")
    return found


def _looks_like_query(value: ast.expr) -> bool:
    text = ast.unparse(value)
    return "query" in text or "callback" in text


def _is_docstring(tree: ast.Module, node: ast.Constant) -> bool:
    for owner in ast.walk(tree):
        if isinstance(owner, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = owner.body
            if body and isinstance(body[0], ast.Expr) and body[0].value is node:
                return True
    return False


def test_only_the_telegram_channel_draws_telegram() -> None:
    found = [o for path in sources() for o in offences(path)]
    assert not found, "\n".join(found)


def test_the_check_sees_an_offence(tmp_path: Path) -> None:
    """The checker itself: each kind of offence is found (a check that cannot fail is none)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from telegram import InlineKeyboardMarkup\n"
        "async def f(query, bot, name):\n"
        "    await query.answer()\n"
        "    await bot.send_photo(1, b'')\n"
        "    await query.edit_message_text('x')\n"
        "    return f'https://t.me/{name}'\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        kinds = {o.split(" ", 1)[1] for o in offences(sample)}
    finally:
        ROOT = saved
    assert kinds == {
        "imports InlineKeyboardMarkup",
        "answers a callback query",
        "calls send_photo",
        "calls edit_message_text",
        "builds a t.me link",
    }
