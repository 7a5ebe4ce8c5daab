"""Event rules: which agreement a sentence states, between whom, of what type, signed or planned.

In: one sentence's clauses, place mentions and date mentions. Out: event drafts
(`drafts.Draft`). `events` decides which act is news and its type, `counterparts` who the two
sides are, `timing` whether it is signed or planned and when; the spaCy components registered
in `components` run them, and build the process's one pipeline. `drafts` holds the records
the three share.
"""
