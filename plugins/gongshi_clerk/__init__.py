"""Gongshi's clerk tools: scaffold a record (gongshi new), add a withdrawal (gongshi withdraw),
and the clerk's spreadsheets (gongshi import / export)."""
