"""Event rules: which agreement a sentence states, between whom, of what type, signed or planned.

In: one sentence's clauses, place mentions and date mentions. Out: event drafts
(`events.Draft`) with their status and signing date (`timing`), assembled by the spaCy
components registered in `components`, which also builds the process's one pipeline.
"""
