"""Input problems, reported as findings (``invalid-input``, ``unknown-value``,
``unresolved-interpolation``) so a bad file is a diagnostic and never a traceback."""

from __future__ import annotations

from ..findings import Finding, INVALID_INPUT, Location, UNKNOWN_VALUE, UNRESOLVED_INTERPOLATION

INVALID_INPUT = INVALID_INPUT
UNKNOWN_VALUE = UNKNOWN_VALUE
UNRESOLVED = UNRESOLVED_INTERPOLATION


class Problems:
    """Collects the input findings of one run."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def at(self, check: str, severity: str, message: str, file: str | None, line: int | None = None,
           column: int | None = None, **extra) -> None:
        self.findings.append(Finding(check, severity, message, Location(file=file, line=line, column=column, **extra)))

    def node(self, check: str, severity: str, message: str, node, expression: str | None = None) -> None:
        """A finding located at a ``Node`` (its span, pointer and address)."""
        origin = node.origin()
        location = Location(
            file=origin.file, line=origin.line, column=origin.column, end_line=origin.end_line,
            end_column=origin.end_column, pointer=origin.pointer, address=origin.address,
        )
        self.findings.append(Finding(check, severity, message, location, expression=expression))

    def unknown(self, node, what: str, value, known=None) -> None:
        message = f"unknown {what} {value!r}: kept as written, not analysed"
        self.node(UNKNOWN_VALUE, "info", message, node)


def kind_of(value) -> str:
    """``value``'s JSON type in words ("a number", "null"…), for messages about wrong types."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def objects_in(node, what: str, problems: "Problems") -> list:
    """The object elements of the array ``node`` (None: absent, no elements). Anything else
    is one ``invalid-input`` finding: at the value when it is not an array, else at the first
    element that is not an object (naming every such element)."""
    if node is None or node.unresolved is not None:
        return []
    if not node.is_list():
        if node.value is not None:
            problems.node(INVALID_INPUT, "error",
                          f"{what} must be an array of objects, not {kind_of(node.value)}: ignored", node)
        return []
    elements = node.elements()
    wrong = [(index, element) for index, element in enumerate(elements)
             if not element.is_dict() and element.unresolved is None]
    if wrong:
        if len(wrong) == 1:
            index, element = wrong[0]
            message = f"{what}[{index}] is {kind_of(element.value)}, not an object: ignored"
        else:
            items = ", ".join(f"{what}[{index}] ({kind_of(element.value)})" for index, element in wrong[:-1])
            index, element = wrong[-1]
            message = (f"{len(wrong)} items are not objects: {items} and {what}[{index}] "
                       f"({kind_of(element.value)}); ignored")
        problems.node(INVALID_INPUT, "error", message, wrong[0][1])
    return [element for element in elements if element.is_dict()]


def expect_object(node, what: str, problems: "Problems") -> bool:
    """True when ``node`` is an object; a finding when it is present and something else."""
    if node is None:
        return False
    if node.is_dict():
        return True
    if node.unresolved is None and node.value is not None:
        problems.node(INVALID_INPUT, "error", f"{what} must be an object, not {kind_of(node.value)}: ignored", node)
    return False


def end_of_text(text: str) -> tuple[int, int]:
    """Line and column just after the last character of ``text`` that is not white space:
    where "unexpected end of file" is reported (never on a line after the file's last)."""
    end = len(text.rstrip())
    line = text.count("\n", 0, end) + 1
    return line, end - (text.rfind("\n", 0, end) + 1) + 1
