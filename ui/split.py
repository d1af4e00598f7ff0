"""Cut a long text into messages a channel accepts: at paragraph, then line, then word
boundaries; never an empty part, never mid-word (a word longer than the limit is cut hard)."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        sep = "\n\n" if piece.startswith("\x00p") else "\n" if piece.startswith("\x00l") else " "
        body = piece[2:]
        candidate = current + sep + body if current else body
        if len(candidate) <= limit:
            current = candidate
        else:
            if current.strip():
                parts.append(current.strip())
            current = body
    if current.strip():
        parts.append(current.strip())
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    """Words tagged with the separator that precedes them: \\x00p paragraph, \\x00l line,
    \\x00w word."""
    out: list[str] = []
    for p_index, paragraph in enumerate(text.split("\n\n")):
        for l_index, line in enumerate(paragraph.split("\n")):
            tag = "\x00p" if l_index == 0 and p_index > 0 else "\x00l" if l_index > 0 else "\x00w"
            if len(line) <= limit:
                out.append(tag + line)
                continue
            for w_index, word in enumerate(line.split(" ")):
                word_tag = tag if w_index == 0 else "\x00w"
                while len(word) > limit:
                    out.append(word_tag + word[:limit])
                    word, word_tag = word[limit:], "\x00w"
                out.append(word_tag + word)
    return out
