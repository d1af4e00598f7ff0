"""Plain text: screens drawn for messengers without buttons, edits or files (Zalo's Bot
Platform). Choices become numbered lines; a reply of the number, or of the label typed without
accents or case, is the press of that choice."""
