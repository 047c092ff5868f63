"""``rulelint why``: trace one request through a zone's configuration, name what blocks it,
and write the narrowest exception (docs/why.md). ``rulelint events`` summarises a Security
Events export. The command line enters through ``cli.add_why_commands``."""
