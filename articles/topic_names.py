"""How the desk reads a typed list of topics: one parser everywhere.

taggit's grammar (double quotes hold a name; commas separate names when there is
one outside quotes, spaces otherwise), registered as taggit's
`TAGGIT_TAGS_FROM_STRING` hook so the tag field, the admin and any script agree:
`"Burkina Faso" Mali` is two topics. Unlike taggit's own parser it keeps the order
the names were typed in (the first one becomes the primary topic) and drops a
repeat that differs only in case, accents or spacing.
"""

from .models import fold

MAX_NAME_LENGTH = 100  # Topic.name's column


def parse_topic_names(text):
    """The topic names in `text`, in the order typed, each once."""
    if not text:
        return []
    pieces = []  # (is_quoted, text) in order
    buffer, quoted = [], False
    for char in text:
        if char == '"':
            if buffer:
                pieces.append((quoted, "".join(buffer)))
            buffer, quoted = [], not quoted
        else:
            buffer.append(char)
    if buffer:
        # An unclosed quote reads as plain text, as taggit reads it.
        pieces.append((False, "".join(buffer)))
    delimiter = "," if any("," in part for q, part in pieces if not q) else " "
    names = []
    for is_quoted, part in pieces:
        names.extend([part] if is_quoted else part.split(delimiter))
    seen, result = set(), []
    for name in names:
        name = " ".join(name.split())
        key = fold(name)
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return result


def too_long(names):
    """The names that do not fit a topic's name column."""
    return [name for name in names if len(name) > MAX_NAME_LENGTH]
